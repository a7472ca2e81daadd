import { strict as assert } from 'node:assert';
import {
  ValueProblem,
  combineExporters,
  formatByteSize,
  formatDuration,
  parseBandwidth,
  parseByteSize,
  parseDuration,
  parseExporterName,
  parseHeaderFlag,
  parseHeaderList,
  parseListen,
  parseLogLevel,
  parseMilliseconds,
  parseOtlpProtocol,
  parseUrl,
  splitList,
  splitServiceName,
} from '../../src/config/values.js';
import { didYouMean } from '../../src/config/did-you-mean.js';

function problem(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ValueProblem, `expected a ValueProblem, got ${String(err)}`);
    return err.message;
  }
  assert.fail('expected a ValueProblem');
}

describe('config values', () => {
  describe('durations', () => {
    for (const [raw, ms] of [
      ['500ms', 500],
      ['5s', 5000],
      ['1m', 60_000],
      ['2h', 7_200_000],
      ['1.5s', 1500],
      ['1m30s', 90_000],
      [' 10s ', 10_000],
      ['0', 0],
    ] as const) {
      it(`reads ${JSON.stringify(raw)} as ${ms} ms`, () => assert.equal(parseDuration(raw), ms));
    }

    it('refuses a bare number, suggesting units', () => {
      assert.equal(problem(() => parseDuration('5')), 'a duration needs a unit (e.g. 5s or 5ms)');
      assert.equal(problem(() => parseDuration('60000')), 'a duration needs a unit (e.g. 60000ms)');
    });

    for (const raw of ['5x', '', 's', '5 s', '-5s', '5sec', '1m30', 'ms5']) {
      it(`refuses ${JSON.stringify(raw)}`, () => assert.equal(problem(() => parseDuration(raw)), 'not a duration (use e.g. 500ms, 5s, 1m)'));
    }

    it('reads OTel millisecond variables as whole numbers only', () => {
      assert.equal(parseMilliseconds('60000'), 60_000);
      assert.equal(
        problem(() => parseMilliseconds('60s')),
        'not a whole number of milliseconds (OpenTelemetry defines this variable in ms, e.g. 60000)',
      );
    });

    it('formats durations back in the largest whole unit', () => {
      assert.deepEqual([60_000, 5000, 1500, 7_200_000, 90_000, 0].map(formatDuration), ['1m', '5s', '1500ms', '2h', '90s', '0ms']);
    });
  });

  describe('bandwidth', () => {
    for (const [raw, bytes] of [
      ['1Gbit', 125_000_000],
      ['100Mbit', 12_500_000],
      ['10Gbps', 1_250_000_000],
      ['125MB', 125_000_000],
      ['125MB/s', 125_000_000],
      ['1.5GB', 1_500_000_000],
      ['1Kibit', 128],
      ['1MiB', 1_048_576],
      ['800bit', 100],
      ['0', 0],
      ['0Mbit', 0],
      ['100mbit', 12_500_000],
    ] as const) {
      it(`reads ${raw} as ${bytes} bytes/s`, () => assert.equal(parseBandwidth(raw), bytes));
    }

    it('refuses a bare number other than 0', () => {
      assert.equal(problem(() => parseBandwidth('1000')), 'a bandwidth needs a unit (use e.g. 1000Mbit or 1000MB)');
    });
    it('refuses the ambiguous lower-case b', () => {
      assert.equal(problem(() => parseBandwidth('100Mb')), '"b" is ambiguous (write 100Mbit for bits or 100MB for bytes)');
    });
    it('refuses nonsense', () => {
      assert.equal(problem(() => parseBandwidth('fast')), 'not a bandwidth (use e.g. 1Gbit, 100Mbit or 125MB, all per second; 0 for none)');
      assert.equal(problem(() => parseBandwidth('1Xbit')), 'not a bandwidth (use e.g. 1Gbit, 100Mbit or 125MB, all per second; 0 for none)');
    });
  });

  describe('sizes', () => {
    for (const [raw, bytes] of [
      ['1048576', 1_048_576],
      ['1MiB', 1_048_576],
      ['1 MiB', 1_048_576],
      ['512KiB', 524_288],
      ['4MB', 4_000_000],
      ['1.5MiB', 1_572_864],
      ['0', 0],
      ['64B', 64],
      ['2GiB', 2 * 2 ** 30],
    ] as const) {
      it(`reads ${raw} as ${bytes} bytes`, () => assert.equal(parseByteSize(raw), bytes));
    }
    it('refuses bits, fractions of a byte and nonsense', () => {
      for (const raw of ['1Mb', '1Mbit', 'lots', '-1MiB', '1XB', '']) assert.equal(problem(() => parseByteSize(raw)), 'not a size (use e.g. 1MiB, 512KiB or 4MB)', raw);
      assert.equal(problem(() => parseByteSize('1.5')), 'a fraction of a byte needs a unit (use e.g. 1MiB, 512KiB or 4MB)');
    });
    it('writes a size back the way it reads', () => {
      for (const bytes of [1_048_576, 524_288, 4_000_000, 1000, 0]) assert.equal(parseByteSize(formatByteSize(bytes)), bytes);
      assert.equal(formatByteSize(1_048_576), '1MiB');
    });
  });

  describe('listen addresses', () => {
    it('reads IPv4, names and bracketed IPv6', () => {
      assert.deepEqual(parseListen('127.0.0.1:9464'), { host: '127.0.0.1', port: 9464 });
      assert.deepEqual(parseListen('localhost:80'), { host: 'localhost', port: 80 });
      assert.deepEqual(parseListen('[::]:9464'), { host: '::', port: 9464 });
      assert.deepEqual(parseListen('[::1]:1'), { host: '::1', port: 1 });
    });
    it('says what is missing', () => {
      assert.equal(problem(() => parseListen('9464')), 'missing port (use host:port, e.g. 127.0.0.1:9464, 0.0.0.0:9464 or [::]:9464)');
      assert.equal(problem(() => parseListen(':9464')), 'missing host (use 127.0.0.1:PORT for this host only, 0.0.0.0:PORT for every interface)');
      assert.equal(problem(() => parseListen('::1:9464')), 'put an IPv6 address in brackets (e.g. [::]:9464 or [::1]:9464)');
      assert.equal(problem(() => parseListen('[nope]:9464')), '"[nope]" is not an IPv6 address (use host:port, e.g. 127.0.0.1:9464, 0.0.0.0:9464 or [::]:9464)');
      assert.equal(problem(() => parseListen('0.0.0.0:0')), 'not a port (use 1-65535)');
      assert.equal(problem(() => parseListen('0.0.0.0:65536')), 'not a port (use 1-65535)');
      assert.equal(problem(() => parseListen('bad_host:1')), 'not an IP address or host name (use e.g. 127.0.0.1, 0.0.0.0 or ::)');
    });
  });

  describe('OTLP headers', () => {
    it('reads the OTel list format with percent-decoding and trimming', () => {
      assert.deepEqual(parseHeaderList('authorization=Bearer%20abc, x-tenant = a ,,k=v%2Cw'), {
        authorization: 'Bearer abc',
        'x-tenant': 'a',
        k: 'v,w',
      });
    });
    it('keeps "=" inside values', () => {
      assert.deepEqual(parseHeaderList('authorization=Basic dXNlcjpwYXNz=='), { authorization: 'Basic dXNlcjpwYXNz==' });
    });
    it('names bad entries by position and never echoes a value', () => {
      const noEq = problem(() => parseHeaderList('a=1,secret-token'));
      assert.equal(noEq, 'entry 2 has no "=" (use key=value pairs separated by commas)');
      assert.ok(!noEq.includes('secret-token'));
      assert.equal(problem(() => parseHeaderList('a=%zz')), 'entry 1 ("a"): invalid percent-encoding in the value (encode "%" as %25)');
      assert.equal(problem(() => parseHeaderList('bad key=1')), 'entry 1: "bad key" is not a valid header name');
      assert.equal(problem(() => parseHeaderList('=1')), 'entry 1 has no header name (use key=value)');
    });
    it('takes a flag value literally', () => {
      assert.deepEqual(parseHeaderFlag('authorization=Bearer a%20b,c'), ['authorization', 'Bearer a%20b,c']);
      assert.equal(problem(() => parseHeaderFlag('token')), 'missing "=" (use key=value, e.g. authorization=Bearer …)');
    });
  });

  describe('names', () => {
    it('maps OTEL_METRICS_EXPORTER values', () => {
      assert.deepEqual(['Prometheus', 'otlp', 'console', 'logging', 'none'].map(parseExporterName), ['prometheus', 'otlp', 'console', 'console', 'none']);
      assert.equal(problem(() => parseExporterName('prom')), 'unknown exporter (did you mean "prometheus"? use prometheus, otlp, console, events, none)');
      assert.equal(problem(() => parseExporterName('zipkin')), 'unknown exporter (use prometheus, otlp, console, events, none)');
    });
    it('allows none only alone, and removes duplicates', () => {
      assert.deepEqual(combineExporters(['none']), []);
      assert.deepEqual(combineExporters(['otlp', 'console', 'otlp']), ['otlp', 'console']);
      assert.equal(problem(() => combineExporters(['none', 'otlp'])), '"none" cannot be combined with other exporters');
      assert.equal(problem(() => combineExporters([])), 'no exporter given (use none to export nothing)');
    });
    it('maps OTEL_LOG_LEVEL values', () => {
      assert.deepEqual(['DEBUG', 'info', 'warn', 'warning', 'error', 'none', 'verbose', 'all'].map(parseLogLevel), [
        'debug', 'info', 'warn', 'warn', 'error', 'none', 'debug', 'debug',
      ]);
      assert.equal(problem(() => parseLogLevel('trace')), 'not a log level (use debug, info, warn, error, none)');
    });
    it('reads OTLP protocols', () => {
      assert.equal(parseOtlpProtocol('GRPC'), 'grpc');
      assert.equal(problem(() => parseOtlpProtocol('udp')), 'not an OTLP protocol (use http/protobuf, http/json, grpc)');
      assert.equal(problem(() => parseOtlpProtocol('http')), 'not an OTLP protocol (did you mean "http/protobuf"? use http/protobuf, http/json, grpc)');
      assert.equal(problem(() => parseOtlpProtocol('http/protbuf')), 'not an OTLP protocol (did you mean "http/protobuf"? use http/protobuf, http/json, grpc)');
    });
    it('wants http(s) URLs', () => {
      assert.equal(parseUrl('https://c.example:4318/base'), 'https://c.example:4318/base');
      assert.equal(problem(() => parseUrl('collector:4318')), 'not an http:// or https:// URL (e.g. http://collector:4318)');
      assert.equal(problem(() => parseUrl('not a url')), 'not a URL (use e.g. http://localhost:4318 or https://collector.example:4318)');
    });
  });

  it('splits lists on commas outside braces', () => {
    assert.deepEqual(splitList('eth*, {en,wl}*,,veth*'), ['eth*', '{en,wl}*', 'veth*']);
  });

  it('takes service.name out of resource attributes', () => {
    assert.deepEqual(splitServiceName('a=1,service.name=my%20svc,b=2'), { serviceName: 'my svc', rest: 'a=1,b=2' });
    assert.deepEqual(splitServiceName('a=1'), { serviceName: undefined, rest: 'a=1' });
  });

  it('suggests close names, in any case style, and abbreviations', () => {
    assert.equal(didYouMean('intervall', ['interval', 'listen']), 'interval');
    assert.equal(didYouMean('exportInterval', ['interval', 'export-interval']), 'export-interval');
    assert.equal(didYouMean('max_bandwidth', ['max-bandwidth']), 'max-bandwidth');
    assert.equal(didYouMean('colour', ['interval', 'listen']), undefined);
  });
});
