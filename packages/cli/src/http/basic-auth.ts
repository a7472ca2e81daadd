import { crypto } from '../lazy-builtins.js';

// Compared against when the user is unknown, so an unknown user takes as long as a wrong
// password and response times do not tell which user names exist. Cost 10, like htpasswd's.
const DUMMY_HASH = '$2b$10$3r8kd79R2AQuuC5bTzRFA.3XehXEj5VRYp1ct7AIHwH9fcH/SLAKG';
const CACHE_MAX = 256;

function parseBasic(header: string | undefined): { user: string; password: string } | undefined {
  if (header === undefined) return undefined;
  const m = /^\s*Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!m) return undefined;
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/**
 * HTTP basic auth against bcrypt hashes, as node_exporter's basic_auth_users. bcrypt is slow on
 * purpose (tens of ms per check), and a scraper sends the same credentials every few seconds, so
 * verdicts are cached under a digest of user, password and hash; the plain password is not kept.
 */
export class BasicAuth {
  private readonly cache = new Map<string, boolean>();

  constructor(private readonly users: ReadonlyMap<string, string>) {}

  /** True when the Authorization header names a user and that user's password. */
  async check(header: string | undefined): Promise<boolean> {
    const creds = parseBasic(header);
    if (!creds) return false;
    const hash = this.users.get(creds.user);
    const key = crypto().createHash('sha256').update(`${creds.user}\0${creds.password}\0${hash ?? ''}`).digest('base64');
    const cached = this.cache.get(key);
    if (cached !== undefined) return cached;
    // bcryptjs's async compare yields to the event loop, so sampling and other scrapes go on.
    // Loaded on first use: an agent without basic auth never holds it.
    const { default: bcrypt } = await import('bcryptjs');
    const ok = (await bcrypt.compare(creds.password, hash ?? DUMMY_HASH)) && hash !== undefined;
    if (this.cache.size >= CACHE_MAX) this.cache.delete(this.cache.keys().next().value as string);
    this.cache.set(key, ok);
    return ok;
  }
}
