import { formatDuration } from '../../config/values.js';

const MAX_REASON = 300;

interface ErrorLike {
  name?: unknown;
  message?: unknown;
  code?: unknown;
  errors?: unknown;
  details?: unknown;
}

function isErrorLike(e: unknown): e is ErrorLike {
  return typeof e === 'object' && e !== null;
}

function describe(err: unknown, timeoutMs: number): string {
  if (!isErrorLike(err)) return err === undefined ? 'unknown error' : String(err);
  const message = typeof err.message === 'string' ? err.message : '';
  // Node's dual-stack connect (localhost → ::1 and 127.0.0.1) fails with an AggregateError whose
  // own message is empty; the first attempt's error says what happened.
  if (message === '' && Array.isArray(err.errors) && err.errors.length > 0) return describe(err.errors[0], timeoutMs);
  if (err.name === 'OTLPExporterError' && typeof err.code === 'number') {
    return `HTTP ${err.code}${message ? ` ${message}` : ''}`;
  }
  if (message === 'Export failed with retryable status') {
    return `the collector kept answering with a retryable status (429, 502, 503 or 504) for ${formatDuration(timeoutMs)}`;
  }
  if (message === 'Request timed out') return `no answer within ${formatDuration(timeoutMs)}`;
  if (message !== '') return message;
  if (typeof err.code === 'string') return err.code;
  return String(err);
}

/**
 * One readable line for a failed export. Header values (API keys) are scrubbed in case a server
 * or proxy echoes them in an error message: they must never reach the log.
 */
export function describeExportError(err: unknown, timeoutMs: number, secrets: readonly string[]): string {
  // grpc-js ends some messages with an empty "Resolution note:".
  let reason = describe(err, timeoutMs).replace(/\s+/g, ' ').replace(/ ?Resolution note: ?$/, '').trim();
  for (const secret of secrets) {
    if (secret.length >= 4) reason = reason.split(secret).join('<redacted>');
  }
  return reason.length > MAX_REASON ? `${reason.slice(0, MAX_REASON - 3)}...` : reason;
}

/** What to check, given the failure: a refused connection and a rejected key need different fixes. */
export function exportHint(err: unknown): string {
  const code = isErrorLike(err) ? err.code : undefined;
  if (isErrorLike(err) && err.name === 'OTLPExporterError') {
    if (code === 401 || code === 403) return 'are the OTLP headers (API key) right?';
    if (code === 404 || code === 405) return 'is the endpoint URL right?';
    if (code === 400 || code === 413 || code === 415) return 'does the collector accept this protocol?';
  }
  if (isErrorLike(err) && err.message === 'Export failed with retryable status') return 'is the collector overloaded or restarting?';
  // gRPC status codes: UNAUTHENTICATED, PERMISSION_DENIED; RESOURCE_EXHAUSTED; UNIMPLEMENTED.
  if (isErrorLike(err) && err.details !== undefined) {
    if (code === 16 || code === 7) return 'are the OTLP headers (API key) right?';
    if (code === 8) return 'is the collector overloaded or restarting?';
    if (code === 12) return 'does the collector accept OTLP/gRPC on this port?';
  }
  return 'is the collector running?';
}
