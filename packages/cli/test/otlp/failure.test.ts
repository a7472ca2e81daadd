import assert from 'node:assert/strict';
import { freePort } from '../../../../test-support/ports.js';
import type { OtlpReceiver } from '../../../../test-support/otlp-receiver.js';
import { createOtlpExporter } from '../../src/export/otlp/exporter.js';
import type { OtlpExporter } from '../../src/export/otlp/exporter.js';
import type { OtlpProtocol } from '../../src/export/otlp/endpoint.js';
import { captureLogger } from '../http/capture-logger.js';
import type { CapturedLogger } from '../http/capture-logger.js';
import { FixturePipeline } from './fixture-pipeline.js';
import { RECEIVERS } from './receivers.js';

const KEY = 'sk-live-0123456789abcdef';
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

async function until(what: string, done: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

/** A pipeline sampling every 50 ms on its own timer, with the gaps between its snapshots. */
function sampling(): { fx: FixturePipeline; gaps: number[] } {
  const fx = new FixturePipeline([{ name: 'eth0', counters: { rxBytes: 1, rxPackets: 1, txBytes: 1, txPackets: 1 } }], { intervalMs: 50 });
  const gaps: number[] = [];
  let last = performance.now();
  fx.pipeline.on('snapshot', () => {
    const now = performance.now();
    gaps.push(now - last);
    last = now;
  });
  fx.pipeline.start();
  return { fx, gaps };
}

const warnings = (log: CapturedLogger) => log.lines.filter((l) => l.startsWith('warn'));

for (const protocol of ['http/protobuf', 'http/json', 'grpc'] as const satisfies readonly OtlpProtocol[]) {
  describe(`OTLP exporter with the collector down (${protocol})`, () => {
    let receiver: OtlpReceiver | undefined;
    let exporter: OtlpExporter | undefined;
    let fx: FixturePipeline | undefined;

    afterEach(async () => {
      await exporter?.shutdown();
      await receiver?.close();
      fx?.remove();
      receiver = exporter = fx = undefined;
    });

    it('logs one line, keeps sampling, and delivers once the collector comes up on the same port', async () => {
      const port = await freePort();
      const s = sampling();
      fx = s.fx;
      const log = captureLogger();
      exporter = createOtlpExporter(
        fx.pipeline,
        { endpoint: `http://127.0.0.1:${port}`, protocol, headers: { authorization: `Bearer ${KEY}` }, exportIntervalMs: 200, timeoutMs: 200 },
        log,
      );
      await exporter.start();
      await sleep(1100);

      const target = protocol === 'grpc' ? `http://127.0.0.1:${port}` : `http://127.0.0.1:${port}/v1/metrics`;
      assert.equal(warnings(log).length, 1, log.lines.join('\n'));
      const line = warnings(log)[0]!;
      assert.ok(line.startsWith(`warn OTLP export to ${target} failed: `), line);
      assert.ok(line.endsWith(' — retrying every 200ms; is the collector running?'), line);
      assert.match(line, /ECONNREFUSED|UNAVAILABLE/);
      // 50 ms apart: a sampler stalled behind the exporter would show far fewer.
      assert.ok(s.gaps.length >= 10, `only ${s.gaps.length} samples in 1.1 s`);

      receiver = await RECEIVERS[protocol]({ port });
      await receiver.waitForExports(1, 5000);
      await until('the recovery line', () => log.lines.some((l) => l.startsWith('info ') && l.includes('recovered')));
      assert.match(log.lines.find((l) => l.includes('recovered'))!, new RegExp(`^info OTLP export to ${target.replace(/[./]/g, '\\$&')} recovered after \\d+ failed attempts?$`));
      assert.equal(warnings(log).length, 1);
      assert.equal(receiver.exports[0]!.headers.authorization, `Bearer ${KEY}`);
      assert.ok(log.lines.every((l) => !l.includes(KEY)), 'a header value reached the log');
    });
  });
}

for (const protocol of ['http/protobuf', 'grpc'] as const) {
  describe(`OTLP exporter with a failing or slow collector (${protocol})`, () => {
    let receiver: OtlpReceiver;
    let exporter: OtlpExporter | undefined;
    let fx: FixturePipeline | undefined;

    beforeEach(async () => {
      receiver = await RECEIVERS[protocol]();
    });
    afterEach(async () => {
      await exporter?.shutdown();
      await receiver.close();
      fx?.remove();
      exporter = fx = undefined;
    });

    it('reports a 503 streak once and its end once', async () => {
      receiver.failWith = 503;
      const s = sampling();
      fx = s.fx;
      const log = captureLogger();
      exporter = createOtlpExporter(fx.pipeline, { endpoint: receiver.endpoint, protocol, headers: {}, exportIntervalMs: 150, timeoutMs: 150 }, log);
      await exporter.start();
      await until('several failed attempts', () => receiver.attempts >= 4);
      assert.equal(warnings(log).length, 1);
      assert.match(
        warnings(log)[0]!,
        protocol === 'grpc'
          ? /failed: 14 UNAVAILABLE: receiver told to fail — retrying every 150ms; is the collector running\?$/
          : /failed: the collector kept answering with a retryable status \(429, 502, 503 or 504\) for 150ms — retrying every 150ms; is the collector overloaded or restarting\?$/,
      );

      receiver.failWith = undefined;
      await receiver.waitForExports(1, 3000);
      await until('the recovery line', () => log.lines.some((l) => l.includes('recovered')));
      assert.equal(warnings(log).length, 1);
    });

    it('points at the headers when the collector rejects the key', async () => {
      receiver.failWith = 401;
      fx = sampling().fx;
      const log = captureLogger();
      exporter = createOtlpExporter(fx.pipeline, { endpoint: receiver.endpoint, protocol, headers: { 'x-api-key': KEY }, exportIntervalMs: 150, timeoutMs: 150 }, log);
      await exporter.start();
      await until('a failed attempt', () => warnings(log).length > 0);
      assert.match(warnings(log)[0]!, /(HTTP 401 Unauthorized|16 UNAUTHENTICATED).* — retrying every 150ms; are the OTLP headers \(API key\) right\?$/);
      assert.ok(log.lines.every((l) => !l.includes(KEY)));
    });

    it('never holds up sampling while an export hangs', async () => {
      receiver.delayMs = 2000;
      const s = sampling();
      fx = s.fx;
      exporter = createOtlpExporter(fx.pipeline, { endpoint: receiver.endpoint, protocol, headers: {}, exportIntervalMs: 200, timeoutMs: 200 }, captureLogger());
      await exporter.start();
      await until('an export in flight', () => receiver.attempts >= 1);
      const before = s.gaps.length;
      await sleep(600);
      // The export hangs for 2 s; a sampler waiting on it would show one gap that long.
      assert.ok(s.gaps.length - before >= 6, `only ${s.gaps.length - before} samples in 600 ms`);
      assert.ok(Math.max(...s.gaps.slice(before)) < 500, `a sample waited ${Math.max(...s.gaps.slice(before))} ms`);
    });

    it('bounds shutdown to about 4 s when the collector hangs', async () => {
      receiver.delayMs = 20_000;
      fx = new FixturePipeline([{ name: 'eth0', counters: { rxBytes: 1, rxPackets: 1, txBytes: 1, txPackets: 1 } }]);
      fx.first();
      const log = captureLogger();
      exporter = createOtlpExporter(fx.pipeline, { endpoint: receiver.endpoint, protocol, headers: {}, exportIntervalMs: 60_000, timeoutMs: 10_000 }, log);
      await exporter.start();
      const t0 = performance.now();
      await exporter.shutdown();
      const took = performance.now() - t0;
      assert.ok(took < 4500, `shutdown took ${Math.round(took)} ms`);
      assert.ok(took > 2500, `shutdown gave up after only ${Math.round(took)} ms`);
      assert.ok(log.lines.some((l) => /^warn OTLP: the final export to .* did not finish within 3s; dropped$/.test(l)), log.lines.join('\n'));
    });
  });
}

describe('OTLP exporter shutdown with the collector down', () => {
  it('stays within its budget while the SDK retries refused connections', async () => {
    const port = await freePort();
    const fx = new FixturePipeline([{ name: 'eth0', counters: { rxBytes: 1, rxPackets: 1, txBytes: 1, txPackets: 1 } }]);
    fx.first();
    const exporter = createOtlpExporter(
      fx.pipeline,
      { endpoint: `http://127.0.0.1:${port}`, protocol: 'http/protobuf', headers: {}, exportIntervalMs: 60_000, timeoutMs: 10_000 },
      captureLogger(),
    );
    await exporter.start();
    const t0 = performance.now();
    await exporter.shutdown();
    fx.remove();
    assert.ok(performance.now() - t0 < 4500);
  });
});
