import type { LiveSnapshot } from '../api/model.js';
import { API_PATHS } from '../api/routes.js';

/**
 * "host:9464", "http://host:9464/", even a pasted ".../api/v1/interfaces" → "http://host:9464".
 * user:password@ is kept, for agents behind basic auth (--web-config).
 */
export function normalizeRemote(raw: string): string {
  const text = raw.trim();
  let u: URL;
  try {
    u = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `http://${text}`);
  } catch {
    throw new Error('not a URL (e.g. http://host:9464)');
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error(`only http:// and https:// are supported, not ${u.protocol}//`);
  let path = u.pathname.replace(/\/+$/, '');
  for (const p of Object.values(API_PATHS)) if (p !== '/' && path.endsWith(p)) path = path.slice(0, -p.length);
  const auth = u.username || u.password ? `${u.username}:${u.password}@` : '';
  return `${u.protocol}//${auth}${u.host}${path}`;
}

/** The URL to show: never the password. */
export function displayRemote(base: string): string {
  return base.replace(/\/\/([^/@:]*)(:[^/@]*)?@/, (_m, user: string) => `//${user}@`);
}

/** fetch refuses URLs with credentials: they go into an Authorization header instead. */
function request(url: string): { url: string; headers: Record<string, string> } {
  const u = new URL(url);
  if (!u.username && !u.password) return { url, headers: {} };
  const token = Buffer.from(`${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`).toString('base64');
  u.username = '';
  u.password = '';
  return { url: u.toString(), headers: { authorization: `Basic ${token}` } };
}

/** GET with the credentials of the URL, if any, and a timeout. */
export function remoteGet(url: string, timeoutMs: number, fetchImpl: typeof fetch = fetch): Promise<Response> {
  const r = request(url);
  return fetchImpl(r.url, { signal: AbortSignal.timeout(timeoutMs), headers: { accept: 'application/json', ...r.headers } });
}

function isLiveSnapshot(v: unknown): v is LiveSnapshot {
  const o = v as Partial<LiveSnapshot> | null;
  return typeof o === 'object' && o !== null && typeof o.host === 'string' && typeof o.timeUnixMs === 'number' && Array.isArray(o.interfaces);
}

/** Why a fetch failed, in the words a user can act on (the cause's code, not "fetch failed"). */
export function describeFetchError(err: unknown, timeoutMs: number): string {
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return `no answer within ${timeoutMs} ms`;
  const code = e.cause?.code;
  if (code === 'ECONNREFUSED') return 'connection refused (is the agent running, and listening on that address?)';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'host name not found';
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return 'host unreachable';
  return code ?? e.cause?.message ?? e.message ?? String(err);
}

/**
 * One GET of a remote agent's /api/v1/interfaces. Throws an Error whose message is the whole
 * in-place explanation shown in that host's section.
 */
export async function fetchRemote(base: string, timeoutMs: number, fetchImpl: typeof fetch = fetch): Promise<LiveSnapshot> {
  let res: Response;
  try {
    res = await remoteGet(`${base}${API_PATHS.interfaces}`, timeoutMs, fetchImpl);
  } catch (err) {
    throw new Error(describeFetchError(err, timeoutMs));
  }
  if (res.status === 503) throw new Error('the agent has no sample yet');
  if (res.status === 401) throw new Error('HTTP 401: the agent wants a user and password (--remote http://user:password@host:port)');
  if (res.status === 404) throw new Error(`HTTP 404 for ${API_PATHS.interfaces}: an otel-netif agent with the UI on? (--no-ui turns the API off)`);
  if (!res.ok) throw new Error(`HTTP ${res.status} for ${API_PATHS.interfaces}`);
  let body: unknown;
  try {
    body = await res.json();
  } catch {
    throw new Error('the answer is not JSON: is this an otel-netif agent?');
  }
  if (!isLiveSnapshot(body)) throw new Error('the answer is not an otel-netif /api/v1 snapshot');
  return body;
}
