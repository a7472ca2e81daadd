import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HttpServer } from '../http/server.js';
import type { Logger } from '../log.js';
import type { LiveFeed } from './live.js';
import { API_VERSION, type LiveHistory, type LiveSnapshot } from './model.js';
import { PAGE_CSP, loadPage } from './page.js';
import { QueryError, parseHistoryQuery } from './query.js';
import { SSE_HEARTBEAT, sseEvent, sseRetry } from './sse.js';

export const API_PATHS = {
  interfaces: '/api/v1/interfaces',
  history: '/api/v1/history',
  events: '/api/v1/events',
  page: '/',
} as const;

export interface LiveRoutesOptions {
  /** Comment lines on idle event streams (default 15 s). */
  heartbeatMs?: number;
  /** Event streams open at once; more get 503 (default 100). */
  maxStreams?: number;
  /** For tests: the page's bytes. */
  page?: Buffer;
}

export interface LiveRoutes {
  /** Open event streams. */
  streams(): number;
  /** Ends every event stream (the HTTP server's close drops the sockets anyway). */
  close(): void;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  sendJsonText(res, status, JSON.stringify(body));
}

function sendJsonText(res: ServerResponse, status: number, json: string): void {
  const text = `${json}\n`;
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
    // The page is served from the same origin; other sites may read the numbers too (read-only, no cookies).
    'Access-Control-Allow-Origin': '*',
    'X-Content-Type-Options': 'nosniff',
  });
  res.end(text);
}

function search(req: IncomingMessage): string {
  const url = req.url ?? '';
  const q = url.indexOf('?');
  return q < 0 ? '' : url.slice(q + 1);
}

/**
 * The page, the JSON API and the event stream on the agent's HTTP server. Only GET (and HEAD)
 * are registered, so every other method gets the router's 405: the API is read-only.
 */
export function mountLiveRoutes(server: HttpServer, feed: LiveFeed, logger: Logger, opts: LiveRoutesOptions = {}): LiveRoutes {
  const heartbeatMs = opts.heartbeatMs ?? 15_000;
  const maxStreams = opts.maxStreams ?? 100;
  const page = opts.page ?? loadPage();
  const closers = new Set<() => void>();
  // The latest snapshot's event, framed and encoded once for every stream: at 1000 interfaces it is
  // ~800 KB. Let go when the last stream closes.
  let framed: { snapshot: LiveSnapshot; event: Buffer } | undefined;
  const eventOf = (s: LiveSnapshot): Buffer => {
    if (framed?.snapshot !== s) framed = { snapshot: s, event: Buffer.from(sseEvent('interfaces', feed.json(s), s.seq)) };
    return framed.event;
  };

  server.addRoute('GET', API_PATHS.interfaces, (_req, res) => {
    const latest = feed.latest();
    if (latest === undefined) return sendJson(res, 503, { error: 'no sample yet; retry after one interval' });
    sendJsonText(res, 200, feed.json(latest));
  });

  server.addRoute('GET', API_PATHS.history, (req, res) => {
    let seconds: number | undefined;
    try {
      ({ seconds } = parseHistoryQuery(search(req)));
    } catch (err) {
      if (err instanceof QueryError) return sendJson(res, 400, { error: err.message });
      throw err;
    }
    const newest = feed.history.latestTime();
    const window = feed.history.window(seconds === undefined || newest === undefined ? undefined : newest - seconds * 1000);
    const body: LiveHistory = {
      version: API_VERSION,
      host: feed.host,
      intervalMs: feed.intervalMs,
      capacity: feed.history.capacity,
      seconds: seconds ?? null,
      t: window.t,
      interfaces: Object.fromEntries(window.interfaces),
    };
    sendJson(res, 200, body);
  });

  server.addRoute('GET', API_PATHS.events, (req, res) => {
    if (closers.size >= maxStreams) {
      return sendJson(res, 503, { error: `too many event streams (${maxStreams}); poll ${API_PATHS.interfaces} instead` });
    }
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      // nginx and friends would otherwise buffer the stream into uselessness.
      'X-Accel-Buffering': 'no',
      'Access-Control-Allow-Origin': '*',
    });
    if (req.method === 'HEAD') return void res.end();
    // A client that reads slower than we sample gets samples skipped, not an ever-growing buffer.
    let congested = false;
    const send = (chunk: string | Buffer): void => {
      if (congested) return;
      if (!res.write(chunk)) {
        congested = true;
        res.once('drain', () => (congested = false));
      }
    };
    const onUpdate = (s: ReturnType<LiveFeed['latest']>): void => {
      if (s) send(eventOf(s));
    };
    const heartbeat = setInterval(() => send(SSE_HEARTBEAT), heartbeatMs);
    heartbeat.unref();
    const close = (): void => {
      if (!closers.delete(close)) return;
      if (closers.size === 0) framed = undefined;
      clearInterval(heartbeat);
      feed.off('update', onUpdate);
      if (!res.writableEnded) res.end();
    };
    closers.add(close);
    res.on('close', close);
    feed.on('update', onUpdate);
    send(sseRetry(2000));
    // The current state at once, so a new page does not wait a whole interval for its first numbers.
    onUpdate(feed.latest());
    logger.debug(`event stream opened (${closers.size} open)`);
  });

  server.addRoute('GET', API_PATHS.page, (_req, res) => {
    res.writeHead(200, {
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Length': page.length,
      'Cache-Control': 'no-cache',
      'Content-Security-Policy': PAGE_CSP,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
    });
    res.end(page);
  });

  return {
    streams: () => closers.size,
    close: () => {
      for (const c of [...closers]) c();
    },
  };
}
