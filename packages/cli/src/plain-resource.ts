import type { Attributes } from '@opentelemetry/api';
import type { Resource } from '@opentelemetry/resources';

/**
 * A Resource with known attributes and nothing asynchronous: what the agent's resource always is.
 * Built here rather than with resourceFromAttributes() because loading @opentelemetry/resources
 * (and the SDK it pulls in) costs an agent that only serves /metrics about 14 MB of resident memory;
 * the OTLP exporter, which loads the SDK anyway, reads only `attributes` and `schemaUrl` from it.
 */
export function plainResource(attributes: Attributes): Resource {
  const frozen = Object.freeze({ ...attributes });
  const resource: Resource = {
    attributes: frozen,
    asyncAttributesPending: false,
    waitForAsyncAttributes: () => Promise.resolve(),
    // As the SDK's: the other resource's attributes win.
    merge: (other) => (other === null ? resource : plainResource({ ...frozen, ...other.attributes })),
    getRawAttributes: () => Object.entries(frozen),
  };
  return resource;
}
