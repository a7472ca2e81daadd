/** A client mistake in the query string, answered with 400 and this one line. */
export class QueryError extends Error {}

export const MAX_HISTORY_SECONDS = 7 * 24 * 3600;

/**
 * `seconds` of /api/v1/history: absent means the whole ring. Strict, so a typo ("secs", "60s")
 * is a 400 that says what is wrong rather than a silently different window.
 */
export function parseHistoryQuery(search: string): { seconds: number | undefined } {
  const params = new URLSearchParams(search);
  for (const key of new Set(params.keys())) {
    if (key !== 'seconds') throw new QueryError(`unknown query parameter "${key}" (known: seconds)`);
  }
  const all = params.getAll('seconds');
  if (all.length === 0) return { seconds: undefined };
  if (all.length > 1) throw new QueryError('seconds given more than once');
  const raw = all[0] as string;
  const n = /^\d{1,7}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(n >= 1 && n <= MAX_HISTORY_SECONDS)) {
    throw new QueryError(`seconds must be a whole number from 1 to ${MAX_HISTORY_SECONDS}, got ${JSON.stringify(raw)}`);
  }
  return { seconds: n };
}
