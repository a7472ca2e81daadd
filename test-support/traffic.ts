/**
 * Exact, countable UDP traffic between namespaces. A small node script runs under
 * `ip netns exec`, so the datagrams leave through the namespace's veth and nothing else moves.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { nsName, trackProcess, type Namespace } from './netns.js';

/**
 * Ethernet (14) + IPv4 (20) + UDP (8) header bytes per datagram: what /proc/net/dev counts on
 * a veth on top of the payload.
 */
export const UDP_OVERHEAD_BYTES = 42;

export interface SendOptions {
  /** Namespace to send from. */
  from: Namespace | string;
  to: string;
  port: number;
  count: number;
  payloadBytes: number;
  /** Spread the datagrams evenly over this long; 0 or absent sends them back to back. */
  durationMs?: number;
}

export interface SendResult {
  count: number;
  payloadBytes: number;
  /** What the sender's tx and the peer's rx counters must grow by: count × (payload + 42). */
  wireBytes: number;
  /** Wall clock (epoch ms, sub-ms precision) of the first send and of the last completed send. */
  startMs: number;
  endMs: number;
  /** wireBytes over the measured sending time: the rate actually sent, not the one asked for. */
  bytesPerSecond: number;
  packetsPerSecond: number;
}

export interface UdpSink {
  port: number;
  /** Stops the sink and reports what reached the socket (drops in the socket buffer are not counted). */
  stop(): Promise<{ datagrams: number; bytes: number }>;
}

// Paced by elapsed time, not by timer count: when the machine is busy and a tick is late, the
// next tick catches up, so the rate over any second stays what was asked for.
const SENDER = `
const dgram = require('node:dgram');
const [host, port, count, size, durationMs] = process.argv.slice(1);
const N = Number(count), T = Number(durationMs);
const s = dgram.createSocket('udp4');
const buf = Buffer.alloc(Number(size), 0x5a);
const now = () => performance.timeOrigin + performance.now();
let queued = 0, done = 0, inflight = 0, start = 0;
function finish() {
  const end = now();
  process.stdout.write(JSON.stringify({ start, end, done }) + '\\n');
  s.close();
}
function sent(err) {
  if (err) { process.stderr.write('send failed: ' + err.message + '\\n'); process.exit(3); }
  inflight--;
  if (++done === N) finish(); else if (T <= 0) pump();
}
function pump() {
  const due = T > 0 ? Math.min(N, Math.floor(((now() - start) / T) * N) + 1) : N;
  // Unpaced: a few in flight at a time, so a burst never overruns the peer's backlog queue
  // (a veth drops, and does not count as sent, what the backlog cannot take).
  while (queued < due && (T > 0 || inflight < 64)) { queued++; inflight++; s.send(buf, Number(port), host, sent); }
  if (T > 0 && queued < N) setTimeout(pump, 2);
}
start = now();
if (N === 0) finish(); else pump();
`;

const SINK = `
const dgram = require('node:dgram');
const [host, port] = process.argv.slice(1);
const s = dgram.createSocket({ type: 'udp4', recvBufferSize: 8 * 1024 * 1024 });
let datagrams = 0, bytes = 0;
s.on('message', (m) => { datagrams++; bytes += m.length; });
s.on('error', (e) => { process.stderr.write(e.message + '\\n'); process.exit(3); });
process.on('SIGTERM', () => { process.stdout.write(JSON.stringify({ datagrams, bytes }) + '\\n', () => process.exit(0)); });
s.bind(Number(port), host, () => process.stdout.write('ready\\n'));
`;

/**
 * Sends exactly `count` datagrams of `payloadBytes` from the namespace and resolves once every
 * send completed, with the measured timing. Rejects if any send fails.
 */
export async function sendUdp(opts: SendOptions): Promise<SendResult> {
  const args = ['netns', 'exec', nsName(opts.from), process.execPath, '-e', SENDER, opts.to, String(opts.port),
    String(opts.count), String(opts.payloadBytes), String(opts.durationMs ?? 0)];
  const child = trackProcess(spawn('ip', args, { stdio: ['ignore', 'pipe', 'pipe'] }));
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
  if (code !== 0) throw new Error(`UDP sender in ${nsName(opts.from)} exited ${code}: ${stderr.trim()}`);
  const r = JSON.parse(stdout.trim()) as { start: number; end: number; done: number };
  if (r.done !== opts.count) throw new Error(`sender completed ${r.done} of ${opts.count} sends`);
  const wireBytes = opts.count * (opts.payloadBytes + UDP_OVERHEAD_BYTES);
  const seconds = Math.max(r.end - r.start, 1e-3) / 1000;
  return {
    count: opts.count,
    payloadBytes: opts.payloadBytes,
    wireBytes,
    startMs: r.start,
    endMs: r.end,
    bytesPerSecond: wireBytes / seconds,
    packetsPerSecond: opts.count / seconds,
  };
}

/**
 * A UDP socket in the namespace that consumes datagrams, so the peer does not answer each one
 * with ICMP port-unreachable (which would add frames to the counters in the other direction).
 */
export async function startUdpSink(ns: Namespace | string, host: string, port: number): Promise<UdpSink> {
  const child = trackProcess(spawn('ip', ['netns', 'exec', nsName(ns), process.execPath, '-e', SINK, host, String(port)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  }));
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const lines = createInterface({ input: child.stdout! });
  const iter = lines[Symbol.asyncIterator]();
  const first = await Promise.race([
    iter.next(),
    new Promise<never>((_, reject) => child.once('exit', (c) => reject(new Error(`UDP sink in ${nsName(ns)} exited ${c}: ${stderr.trim()}`)))),
  ]);
  if (first.done || first.value !== 'ready') throw new Error(`UDP sink did not start: ${stderr.trim()}`);
  return {
    port,
    stop: async () => {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      const next = iter.next();
      child.kill('SIGTERM');
      const line = await next;
      await exited;
      lines.close();
      if (line.done) throw new Error(`UDP sink ended without a report: ${stderr.trim()}`);
      return JSON.parse(line.value) as { datagrams: number; bytes: number };
    },
  };
}
