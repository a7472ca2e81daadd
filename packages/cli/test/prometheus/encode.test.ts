import assert from 'node:assert/strict';
import { ValueType } from '@opentelemetry/api';
import { AggregationTemporality, DataPointType } from '@opentelemetry/sdk-metrics';
import type { HistogramMetricData } from '@opentelemetry/sdk-metrics';
import { findSample, findSamples, parseExposition } from '../../../../test-support/index.js';
import { encodeExposition } from '../../src/export/prometheus/encode.js';
import { END, START, gaugeMetric, io, netifScopes, scope, snapshotOf, sumMetric } from './snapshot.js';

function encode(...args: Parameters<typeof snapshotOf>): string {
  const s = snapshotOf(...args);
  return encodeExposition(s.scopeMetrics, s.resource);
}

describe('Prometheus encoder', () => {
  it('writes the exact exposition for a hand-built snapshot', () => {
    const text = encode(
      1,
      [
        scope(
          '@otel-netif/receiver-netif',
          sumMetric('system.network.io', 'By', 'Bytes received or transmitted.\nSecond line with a \\ backslash.', [
            [io('eth0', 'receive'), 2 ** 53],
            [io('eth0', 'transmit'), 0],
          ]),
          gaugeMetric('system.network.interface.up', '', 'Operationally "up".', [[{ 'network.interface.name': 'eth0' }, 1]], ValueType.INT),
        ),
        scope(
          '@otel-netif/processor-rate',
          gaugeMetric('system.network.io.rate', 'By/s', 'Bytes per second.', [
            [io('eth0', 'receive'), 1250.5],
            [io('eth0', 'transmit'), NaN],
          ]),
          gaugeMetric('system.network.bandwidth.utilization', '1', '', [
            [io('eth0', 'receive'), Infinity],
            [io('eth0', 'transmit'), -Infinity],
          ]),
        ),
      ],
      { 'service.name': 'otel-netif', 'host.name': 'node-1', 'k8s.node.name': 'n"1' },
    );
    assert.equal(
      text,
      [
        '# HELP target_info Target metadata',
        '# TYPE target_info gauge',
        'target_info{service_name="otel-netif",host_name="node-1",k8s_node_name="n\\"1"} 1',
        '# HELP system_network_io_bytes_total Bytes received or transmitted.\\nSecond line with a \\\\ backslash.',
        '# TYPE system_network_io_bytes_total counter',
        'system_network_io_bytes_total{network_interface_name="eth0",network_io_direction="receive"} 9007199254740992',
        'system_network_io_bytes_total{network_interface_name="eth0",network_io_direction="transmit"} 0',
        '# HELP system_network_interface_up Operationally "up".',
        '# TYPE system_network_interface_up gauge',
        'system_network_interface_up{network_interface_name="eth0"} 1',
        '# HELP system_network_io_rate_bytes_per_second Bytes per second.',
        '# TYPE system_network_io_rate_bytes_per_second gauge',
        'system_network_io_rate_bytes_per_second{network_interface_name="eth0",network_io_direction="receive"} 1250.5',
        'system_network_io_rate_bytes_per_second{network_interface_name="eth0",network_io_direction="transmit"} NaN',
        // No description: the OTel name is the help, so promtool's "no help text" lint stays quiet.
        '# HELP system_network_bandwidth_utilization_ratio system.network.bandwidth.utilization',
        '# TYPE system_network_bandwidth_utilization_ratio gauge',
        'system_network_bandwidth_utilization_ratio{network_interface_name="eth0",network_io_direction="receive"} +Inf',
        'system_network_bandwidth_utilization_ratio{network_interface_name="eth0",network_io_direction="transmit"} -Inf',
        '',
      ].join('\n'),
    );
  });

  it('names every metric the receiver and processor emit by the OTel→Prometheus rules', () => {
    const e = parseExposition(encode(1, netifScopes(['eth0'])));
    assert.deepEqual(
      [...e.types.entries()],
      [
        ['target_info', 'gauge'],
        ['system_network_io_bytes_total', 'counter'],
        ['system_network_packet_count_total', 'counter'],
        ['system_network_interface_up', 'gauge'],
        ['system_network_interface_speed_bytes_per_second', 'gauge'],
        ['system_network_io_rate_bytes_per_second', 'gauge'],
        ['system_network_packet_count_rate_per_second', 'gauge'],
        ['system_network_bandwidth_utilization_ratio', 'gauge'],
      ],
    );
    assert.equal(findSample(e, 'system_network_io_bytes_total', { network_interface_name: 'eth0', network_io_direction: 'receive' })?.value, 98765432109);
  });

  it('round-trips interface names with quotes, backslashes, newlines and unicode', () => {
    const names = ['we"ird', 'back\\slash', 'new\nline', 'wlän0', '网卡0', 'eth0.100', 'veth0@if3', 'wlan:0', '\\"\\n'];
    const e = parseExposition(encode(1, netifScopes(names)));
    const got = findSamples(e, 'system_network_io_bytes_total', { network_io_direction: 'receive' }).map((s) => s.labels.network_interface_name);
    assert.deepEqual(got, names);
  });

  it('writes integers up to 2^53 without an exponent and fractions in shortest round-trip form', () => {
    const values = [0, 1, 4294967296, 2 ** 53 - 1, 2 ** 53, 0.1, 1e-7, 123456.789, -0];
    const text = encode(1, [scope('s', gaugeMetric('g', '', 'g', values.map((v, i) => [{ i: String(i) }, v])))]);
    const lines = text.split('\n').filter((l) => l.startsWith('g{'));
    assert.deepEqual(
      lines.map((l) => l.split(' ')[1]),
      ['0', '1', '4294967296', '9007199254740991', '9007199254740992', '0.1', '1e-7', '123456.789', '0'],
    );
  });

  it('types a non-monotonic sum as a gauge without _total', () => {
    const text = encode(1, [scope('s', sumMetric('process.open.things', '{thing}', 'Open things.', [[{}, 3]], false))]);
    assert.match(text, /^# TYPE process_open_things gauge\nprocess_open_things 3$/m);
  });

  it('merges attributes that sanitize to one label name, in key order', () => {
    const text = encode(1, [scope('s', gaugeMetric('g', '', 'g', [[{ 'a.b': 'dot', a_b: 'underscore', c: 'x' }, 1]]))]);
    assert.match(text, /^g\{a_b="dot;underscore",c="x"\} 1$/m);
    assert.ok(parseExposition(text));
  });

  it('merges same-named metrics from two scopes into one family', () => {
    const text = encode(1, [
      scope('a', gaugeMetric('x', '', 'X.', [[{ s: 'a' }, 1]])),
      scope('b', gaugeMetric('x', '', 'X again.', [[{ s: 'b' }, 2]])),
    ]);
    assert.equal(text.match(/# TYPE x gauge/g)?.length, 1);
    assert.match(text, /x\{s="a"\} 1\nx\{s="b"\} 2\n/);
  });

  it('leaves out what it cannot write, and says so', () => {
    const histogram: HistogramMetricData = {
      descriptor: { name: 'h', description: '', unit: 's', valueType: ValueType.DOUBLE },
      dataPointType: DataPointType.HISTOGRAM,
      aggregationTemporality: AggregationTemporality.CUMULATIVE,
      dataPoints: [{ attributes: {}, startTime: START, endTime: END, value: { buckets: { boundaries: [], counts: [1] }, count: 1, sum: 1, min: 1, max: 1 } }],
    };
    const skipped: string[] = [];
    const s = snapshotOf(1, [
      scope('s', histogram, gaugeMetric('x.total', '', 'gauge first', [[{}, 1]]), sumMetric('x', '', 'then a counter', [[{}, 2]])),
    ]);
    const text = encodeExposition(s.scopeMetrics, s.resource, { onSkip: (r) => skipped.push(r) });
    assert.deepEqual(skipped, ['h: histograms are not exposed on /metrics', 'x: its Prometheus name x_total is already a gauge']);
    assert.doesNotMatch(text, /counter/);
  });

  it('writes no target_info for an empty resource and no family without points', () => {
    const text = encode(1, [scope('s', gaugeMetric('empty', '', 'none', []))], {});
    assert.equal(text, '');
  });
});
