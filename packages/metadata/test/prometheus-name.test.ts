import assert from 'node:assert/strict';
import { prometheusLabelName, prometheusMetricName } from '@otel-netif/metadata';

describe('prometheusMetricName', () => {
  const cases: Array<[string, string, 'sum' | 'gauge', boolean, string]> = [
    ['system.network.io', 'By', 'sum', true, 'system_network_io_bytes_total'],
    ['system.network.packet.count', '{packet}', 'sum', true, 'system_network_packet_count_total'],
    ['system.network.io.rate', 'By/s', 'gauge', false, 'system_network_io_rate_bytes_per_second'],
    ['system.network.packet.count.rate', '{packet}/s', 'gauge', false, 'system_network_packet_count_rate_per_second'],
    ['system.network.bandwidth.utilization', '1', 'gauge', false, 'system_network_bandwidth_utilization_ratio'],
    ['system.network.interface.up', '', 'gauge', false, 'system_network_interface_up'],
    ['system.network.interface.mtu', 'By', 'gauge', false, 'system_network_interface_mtu_bytes'],
    // A unit already present in the name is not repeated; "total" moves to the end once.
    ['http.total.bytes', 'By', 'sum', true, 'http_bytes_total'],
    // A non-monotonic sum is a gauge in Prometheus: no _total.
    ['queue.size', '{item}', 'sum', false, 'queue_size'],
    // Unknown units pass through cleaned up.
    ['disk.ops', 'op/m', 'gauge', false, 'disk_ops_op_per_minute'],
    ['disk.ops', 'op/min', 'gauge', false, 'disk_ops_op_per_min'],
    ['2xx.count', '', 'sum', true, '_2xx_count_total'],
    ['latency', 'ms', 'gauge', false, 'latency_milliseconds'],
  ];
  for (const [name, unit, kind, monotonic, want] of cases) {
    it(`${name} [${unit || 'no unit'}] ${kind}${monotonic ? ' monotonic' : ''} → ${want}`, () => {
      assert.equal(prometheusMetricName({ name, unit, kind, monotonic }), want);
    });
  }
});

describe('prometheusLabelName', () => {
  it('replaces dots and other invalid characters', () => {
    assert.equal(prometheusLabelName('network.interface.name'), 'network_interface_name');
    assert.equal(prometheusLabelName('k8s.node-name'), 'k8s_node_name');
  });
  it('prefixes a leading digit', () => {
    assert.equal(prometheusLabelName('0day'), 'key_0day');
  });
});
