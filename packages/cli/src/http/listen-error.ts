import { StartupError } from '../errors.js';

/** `host:port`, with brackets for IPv6 so the port is not read as part of the address. */
export function formatHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

const FIX = 'pick another address with --listen HOST:PORT';

/**
 * The one line a user sees when the server cannot bind: what failed, why, and the flag that fixes
 * it. Listen errors are the common startup failure (a second agent, a port below 1024), so they
 * get a precise message rather than Node's `listen EADDRINUSE: address already in use`.
 */
export function listenError(host: string, port: number, err: NodeJS.ErrnoException): StartupError {
  const where = `cannot listen on ${formatHostPort(host, port)}`;
  switch (err.code) {
    case 'EADDRINUSE':
      return new StartupError(`${where}: address in use — stop the other process or pick another port with --listen HOST:PORT`);
    case 'EACCES':
      return new StartupError(`${where}: permission denied — ports below 1024 need root or CAP_NET_BIND_SERVICE; pick another port with --listen HOST:PORT`);
    case 'EADDRNOTAVAIL':
      return new StartupError(`${where}: no interface on this host has that address — use one of its addresses, 127.0.0.1 or 0.0.0.0; ${FIX}`);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_FAIL':
      return new StartupError(`${where}: cannot resolve host "${host}" — use an IP address; ${FIX}`);
    default:
      return new StartupError(`${where}: ${err.code ?? err.message} — ${FIX}`);
  }
}
