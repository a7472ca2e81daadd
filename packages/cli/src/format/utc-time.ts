/**
 * UTC timestamps by arithmetic. The first Date method that breaks a time into fields (toISOString,
 * toUTCString and Node's own Date header among them) makes V8 load the local time zone from ICU's
 * data, and those pages of node's binary then stay resident: 640 KB of VmRSS for a process that
 * only ever prints UTC (pagemap of node's icudt78_dat symbol, 464 against 1104 KB, Node 20).
 */

const DAY_MS = 86_400_000;
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

interface UtcFields {
  year: number;
  /** 1-12 */
  month: number;
  day: number;
  /** 0 = Sunday */
  weekday: number;
  hours: number;
  minutes: number;
  seconds: number;
  millis: number;
}

/** A Unix time in ms as UTC fields of the proleptic Gregorian calendar; the date by Howard Hinnant's civil_from_days. */
function utcFields(unixMs: number): UtcFields {
  const days = Math.floor(unixMs / DAY_MS);
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const shiftedMonth = Math.floor((5 * dayOfYear + 2) / 153);
  const month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9;
  const msOfDay = unixMs - days * DAY_MS;
  return {
    year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0),
    month,
    day: dayOfYear - Math.floor((153 * shiftedMonth + 2) / 5) + 1,
    weekday: (((days + 4) % 7) + 7) % 7,
    hours: Math.floor(msOfDay / 3_600_000),
    minutes: Math.floor(msOfDay / 60_000) % 60,
    seconds: Math.floor(msOfDay / 1000) % 60,
    millis: msOfDay % 1000,
  };
}

const pad2 = (n: number): string => (n < 10 ? `0${n}` : `${n}`);
const pad3 = (n: number): string => (n < 10 ? `00${n}` : n < 100 ? `0${n}` : `${n}`);

function isoYear(year: number): string {
  if (year >= 0 && year <= 9999) return `${year}`.padStart(4, '0');
  return `${year < 0 ? '-' : '+'}${`${Math.abs(year)}`.padStart(6, '0')}`;
}

/**
 * What `new Date(unixMs).toISOString()` returns, for any time a Date can hold. Fractional
 * milliseconds are dropped, as Date does.
 */
export function isoTime(unixMs: number): string {
  if (!Number.isFinite(unixMs) || Math.abs(unixMs) > 8.64e15) throw new RangeError(`not a time a Date can hold: ${unixMs}`);
  const f = utcFields(Math.trunc(unixMs) + 0);
  return `${isoYear(f.year)}-${pad2(f.month)}-${pad2(f.day)}T${pad2(f.hours)}:${pad2(f.minutes)}:${pad2(f.seconds)}.${pad3(f.millis)}Z`;
}

/** isoTime of an OTel time ([seconds, nanoseconds] since the epoch), to the millisecond below. */
export function hrTimeIso([seconds, nanos]: readonly [number, number]): string {
  return isoTime(seconds * 1000 + Math.floor(nanos / 1e6));
}

/** An HTTP Date (RFC 9110's IMF-fixdate), as `new Date(unixMs).toUTCString()` gives it for years 1000-9999. */
export function httpDate(unixMs: number): string {
  const f = utcFields(Math.floor(unixMs / 1000) * 1000);
  return `${WEEKDAYS[f.weekday]}, ${pad2(f.day)} ${MONTHS[f.month - 1]} ${f.year} ${pad2(f.hours)}:${pad2(f.minutes)}:${pad2(f.seconds)} GMT`;
}

let cachedSecond = Number.NaN;
let cachedDate = '';

/** The Date header for a response sent now; formatted once a second, as Node does for its own. */
export function currentHttpDate(): string {
  const second = Math.floor(Date.now() / 1000);
  if (second !== cachedSecond) {
    cachedSecond = second;
    cachedDate = httpDate(second * 1000);
  }
  return cachedDate;
}
