import type { Exporter } from './exporter.js';

/**
 * An exporter whose code is imported when it starts. The OTLP exporter brings the OTel SDK,
 * protobuf and gRPC: about 20 MB of resident memory an agent that only serves /metrics would
 * carry for nothing. Errors from loading or creating it come out of start(), where run's
 * error handling already expects them.
 */
export function lazyExporter(name: string, load: () => Promise<Exporter>): Exporter & { readonly inner: Exporter | undefined } {
  let inner: Exporter | undefined;
  return {
    name,
    get inner() {
      return inner;
    },
    async start() {
      inner = await load();
      await inner.start();
    },
    async shutdown() {
      await inner?.shutdown();
    },
  };
}
