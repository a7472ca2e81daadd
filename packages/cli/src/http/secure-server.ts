import { createServer as createHttp } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { ServerOptions as HttpsOptions } from 'node:https';
import type { TLSSocket } from 'node:tls';
import { currentHttpDate } from '../format/utc-time.js';
import { https } from '../lazy-builtins.js';
import { BasicAuth } from './basic-auth.js';
import type { WebConfig, WebTlsConfig } from './web-config.js';

type RequestListener = (req: IncomingMessage, res: ServerResponse) => void;

function tlsOptions(tls: WebTlsConfig): HttpsOptions {
  const verify = tls.clientAuth === 'RequireAndVerifyClientCert';
  return {
    cert: tls.cert,
    key: tls.key,
    minVersion: tls.minVersion,
    ...(tls.maxVersion ? { maxVersion: tls.maxVersion } : {}),
    ...(tls.clientCa ? { ca: tls.clientCa } : {}),
    requestCert: tls.clientAuth !== 'NoClientCert',
    // Node waits 120 s for a handshake by default; a stalled client must not hold a socket that long.
    handshakeTimeout: 10_000,
    // Only the strict mode can let OpenSSL refuse the handshake; the others are decided per
    // connection below, once it is known whether a certificate came and whether it verified.
    rejectUnauthorized: verify,
  };
}

function hasPeerCertificate(socket: TLSSocket): boolean {
  const cert = socket.getPeerCertificate();
  return cert !== null && typeof cert === 'object' && Object.keys(cert).length > 0;
}

/** An http or https server, as the web config says; client certificate policies are enforced on connect. */
export function createNodeServer(web: WebConfig | undefined, handler: RequestListener): Server {
  // A Date header of our own, so that Node does not format one with Date (see format/utc-time.ts).
  const onRequest: RequestListener = (req, res) => {
    res.setHeader('Date', currentHttpDate());
    handler(req, res);
  };
  const tls = web?.tls;
  if (!tls) return createHttp(onRequest);
  const server = https().createServer(tlsOptions(tls), onRequest);
  if (tls.clientAuth === 'RequireAnyClientCert' || tls.clientAuth === 'VerifyClientCertIfGiven') {
    server.on('secureConnection', (socket: TLSSocket) => {
      const given = hasPeerCertificate(socket);
      if (tls.clientAuth === 'RequireAnyClientCert' ? !given : given && !socket.authorized) socket.destroy();
    });
  }
  // https.Server is an http.Server as far as routing, timeouts and close() go.
  return server as unknown as Server;
}

/**
 * Whether a request may go on: a function when basic auth is configured, which answers 401 itself
 * and resolves false for a request without the right credentials.
 */
export function authGuard(web: WebConfig | undefined): ((req: IncomingMessage, res: ServerResponse) => Promise<boolean>) | undefined {
  if (!web?.users) return undefined;
  const auth = new BasicAuth(web.users);
  return async (req, res) => {
    if (await auth.check(req.headers.authorization)) return true;
    const body = 'Unauthorized\n';
    res.writeHead(401, {
      'Content-Type': 'text/plain; charset=utf-8',
      'Content-Length': Buffer.byteLength(body),
      'WWW-Authenticate': 'Basic realm="otel-netif", charset="UTF-8"',
      'Cache-Control': 'no-store',
    });
    res.end(body);
    return false;
  };
}
