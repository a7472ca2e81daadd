// The @opentelemetry/host-metrics peer: HostMetrics (network group only, the part comparable to
// otel-netif) on an SDK MeterProvider, collected on each GET /metrics and printed as Prometheus
// text. Plain JS rather than TS so no transpiler hooks inflate the RSS we report for it.
// Usage: node host-metrics-server.mjs PORT
import { createServer } from 'node:http';
import { HostMetrics } from '@opentelemetry/host-metrics';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';

class PullReader extends MetricReader {
  onForceFlush() {
    return Promise.resolve();
  }
  onShutdown() {
    return Promise.resolve();
  }
}

const reader = new PullReader();
const provider = new MeterProvider({ readers: [reader] });
new HostMetrics({ meterProvider: provider, name: 'bench', metricGroups: ['system.network'] }).start();

const promName = (name) => name.replace(/[^a-zA-Z0-9_:]/g, '_');
const labels = (attrs) => {
  const parts = Object.entries(attrs).map(([k, v]) => `${promName(k)}="${String(v).replace(/["\\\n]/g, '\\$&')}"`);
  return parts.length ? `{${parts.join(',')}}` : '';
};

// A minimal encoder: host-metrics exports a handful of series, so encoding is not what we time.
async function render() {
  const { resourceMetrics } = await reader.collect();
  let out = '';
  for (const scope of resourceMetrics.scopeMetrics) {
    for (const metric of scope.metrics) {
      const name = promName(metric.descriptor.name) + (metric.isMonotonic ? '_total' : '');
      out += `# TYPE ${name} ${metric.isMonotonic ? 'counter' : 'gauge'}\n`;
      for (const dp of metric.dataPoints) out += `${name}${labels(dp.attributes)} ${dp.value}\n`;
    }
  }
  return out;
}

const port = Number(process.argv[2] ?? 9100);
createServer((req, res) => {
  if (req.url !== '/metrics') {
    res.writeHead(404).end();
    return;
  }
  render().then(
    (body) => res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(body),
    (err) => res.writeHead(500).end(String(err)),
  );
}).listen(port, '127.0.0.1');

for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(0));
