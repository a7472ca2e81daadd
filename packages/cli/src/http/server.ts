import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../log.js';
import { formatHostPort, listenError } from './listen-error.js';
import { authGuard, createNodeServer } from './secure-server.js';
import type { WebConfig } from './web-config.js';

export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

export interface HttpServerOptions {
  /** Without brackets, also for IPv6. */
  host: string;
  /** 0 lets the OS pick (tests); read the result from address(). */
  port: number;
  /** --web-config: TLS for every route, basic auth for all but /healthz and /readyz; plain HTTP without. */
  web?: WebConfig;
}

export interface HttpServer {
  /**
   * Serves `path` (exact, query string ignored) for `method`. A path ending in `/*` serves every
   * path under that prefix (for static UI assets). HEAD is answered by the GET handler.
   */
  addRoute(method: string, path: string, handler: RouteHandler): void;
  /** Resolves once listening. @throws StartupError when the address cannot be bound. */
  start(): Promise<void>;
  /** Stops accepting, drops idle and in-flight connections; safe to call twice or before start. */
  close(): Promise<void>;
  /** The bound address (the real port when started with port 0). @throws before start(). */
  address(): { host: string; port: number };
  /** http://host:port/ (https:// with TLS) of the bound address. @throws before start(). */
  url(): string;
}

interface Route {
  /** Method → handler. */
  methods: Map<string, RouteHandler>;
}

/**
 * Paths basic auth does not cover: Kubernetes probes cannot take a password from a Secret, and a
 * password written into the pod spec (httpGet.httpHeaders) is readable by anyone who can read pods.
 */
const OPEN_PATHS: ReadonlySet<string> = new Set(['/healthz', '/readyz']);

function sendText(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
    ...headers,
  });
  res.end(body);
}

/**
 * A small router over node:http shared by /metrics, the health probes and later the JSON API and
 * web UI, so all of them live on the one --listen address. No framework: the agent serves a
 * handful of fixed paths and must stay small.
 */
export function createHttpServer(opts: HttpServerOptions, logger: Logger): HttpServer {
  const exact = new Map<string, Route>();
  const prefixes: Array<{ prefix: string; route: Route }> = [];
  let server: Server | undefined;
  let bound: { host: string; port: number } | undefined;
  let closing: Promise<void> | undefined;
  const guard = authGuard(opts.web);

  function findRoute(path: string): Route | undefined {
    const hit = exact.get(path);
    if (hit) return hit;
    for (const p of prefixes) if (path.startsWith(p.prefix)) return p.route;
    return undefined;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const rawUrl = req.url ?? '/';
    const q = rawUrl.indexOf('?');
    const path = q === -1 ? rawUrl : rawUrl.slice(0, q);
    // Before routing, so an unauthenticated client learns nothing, not even which paths exist;
    // except the probes, which say only "ok" or "ready" (TLS still applies to them).
    if (guard && !OPEN_PATHS.has(path) && !(await guard(req, res))) return;
    const route = findRoute(path);
    if (!route) {
      sendText(res, 404, `not found: ${path}\n`);
      return;
    }
    const method = req.method ?? 'GET';
    const handler = route.methods.get(method) ?? (method === 'HEAD' ? route.methods.get('GET') : undefined);
    if (!handler) {
      const allowed = [...route.methods.keys()];
      if (route.methods.has('GET') && !route.methods.has('HEAD')) allowed.push('HEAD');
      sendText(res, 405, `method ${method} not allowed on ${path}; allowed: ${allowed.join(', ')}\n`, { Allow: allowed.join(', ') });
      return;
    }
    try {
      await handler(req, res);
    } catch (err) {
      logger.error(`${method} ${path} failed: ${err instanceof Error ? err.message : String(err)}`);
      if (!res.headersSent) sendText(res, 500, 'internal error\n');
      else res.destroy();
    }
  }

  return {
    addRoute(method, path, handler) {
      const m = method.toUpperCase();
      let route: Route | undefined;
      if (path.endsWith('/*')) {
        const prefix = path.slice(0, -1);
        route = prefixes.find((p) => p.prefix === prefix)?.route;
        if (!route) {
          route = { methods: new Map() };
          prefixes.push({ prefix, route });
          // Longest prefix first, so /ui/assets/* wins over /ui/*.
          prefixes.sort((a, b) => b.prefix.length - a.prefix.length);
        }
      } else {
        route = exact.get(path);
        if (!route) exact.set(path, (route = { methods: new Map() }));
      }
      if (route.methods.has(m)) throw new Error(`route ${m} ${path} is already registered`);
      route.methods.set(m, handler);
    },

    start() {
      if (server) return Promise.reject(new Error('server already started'));
      const srv = createNodeServer(opts.web, (req, res) => void handle(req, res));
      server = srv;
      // A stalled client must not hold a socket for long; scrapes and API calls are small.
      srv.headersTimeout = 10_000;
      srv.requestTimeout = 30_000;
      srv.keepAliveTimeout = 5_000;
      return new Promise<void>((resolve, reject) => {
        const onError = (err: NodeJS.ErrnoException) => {
          server = undefined;
          reject(listenError(opts.host, opts.port, err));
        };
        srv.once('error', onError);
        srv.listen({ host: opts.host, port: opts.port }, () => {
          srv.off('error', onError);
          srv.on('error', (err) => logger.error(`HTTP server on ${formatHostPort(opts.host, opts.port)}: ${err.message}`));
          const addr = srv.address() as AddressInfo;
          bound = { host: opts.host, port: addr.port };
          resolve();
        });
      });
    },

    close() {
      const srv = server;
      if (!srv) return Promise.resolve();
      closing ??= new Promise<void>((resolve) => {
        srv.close(() => resolve());
        // close() alone waits for keep-alive sockets (a scraper's) to time out.
        srv.closeAllConnections();
      });
      return closing;
    },

    address() {
      if (!bound) throw new Error('server not started');
      return { ...bound };
    },

    url() {
      if (!bound) throw new Error('server not started');
      return `${opts.web?.tls ? 'https' : 'http'}://${formatHostPort(bound.host, bound.port)}/`;
    },
  };
}
