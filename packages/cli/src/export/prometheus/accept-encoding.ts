/**
 * True when an Accept-Encoding header allows gzip: a `gzip` (or `x-gzip`) or `*` entry whose
 * q-value is not 0. Prometheus sends `gzip`; curl sends nothing unless asked.
 */
export function acceptsGzip(header: string | string[] | undefined): boolean {
  if (header === undefined) return false;
  const value = Array.isArray(header) ? header.join(',') : header;
  let star: boolean | undefined;
  for (const part of value.split(',')) {
    const [coding = '', ...params] = part.split(';');
    const name = coding.trim().toLowerCase();
    if (name !== 'gzip' && name !== 'x-gzip' && name !== '*') continue;
    let q = 1;
    for (const p of params) {
      const m = /^\s*q\s*=\s*([0-9.]+)\s*$/i.exec(p);
      if (m) q = Number(m[1]);
    }
    if (name === '*') star = q > 0;
    else return q > 0;
  }
  return star ?? false;
}
