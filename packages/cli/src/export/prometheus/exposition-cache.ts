import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { PipelineSnapshot } from '../../pipeline/pipeline.js';
import { encodeExposition } from './encode.js';
import type { EncodeOptions } from './encode.js';

const gzipAsync = promisify(gzip);

export type ExpositionEncoder = typeof encodeExposition;

export interface Exposition {
  seq: number;
  body: Buffer;
  /** Made on the first scrape that asks for gzip, then shared by later ones. */
  gzipped?: Promise<Buffer>;
}

/**
 * The encoded body of the latest snapshot. Snapshots are immutable and numbered, so every scrape
 * between two samples (several Prometheus servers, a curl) reuses the same bytes: encoding costs
 * once per sample, not once per scrape.
 */
export class ExpositionCache {
  private current: Exposition | undefined;

  constructor(
    private readonly encode: ExpositionEncoder = encodeExposition,
    private readonly encodeOptions: EncodeOptions = {},
  ) {}

  get(snapshot: PipelineSnapshot): Exposition {
    if (this.current?.seq !== snapshot.seq) {
      const text = this.encode(snapshot.scopeMetrics, snapshot.resource, this.encodeOptions);
      this.current = { seq: snapshot.seq, body: Buffer.from(text, 'utf8') };
    }
    return this.current;
  }

  gzipped(exposition: Exposition): Promise<Buffer> {
    if (!exposition.gzipped) {
      const p = gzipAsync(exposition.body);
      exposition.gzipped = p;
      // A failed compression is not cached: the next scrape tries again.
      p.catch(() => {
        if (exposition.gzipped === p) delete exposition.gzipped;
      });
    }
    return exposition.gzipped;
  }
}
