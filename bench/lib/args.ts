import { parseArgs } from 'node:util';

export interface BenchArgs {
  sizes: number[];
  fixture: boolean;
  quick: boolean;
  gzip: boolean;
  profile: boolean;
  /** Write docs/benchmarks.md and bench/results/latest.*; by default only a full netns run does. */
  publish: boolean;
  /** Measure nothing: re-render docs and the chart from bench/results/latest.json. */
  render: boolean;
}

export const USAGE = `usage: npm run bench -- [--sizes 10,100,1000,4000] [--fixture] [--quick] [--no-gzip] [--profile] [--publish]
  --fixture   generated /proc and /sys under a temp dir (no root, no namespaces)
  --quick     sizes 10,100 and fewer scrapes, for development
  --no-gzip   scrape without Accept-Encoding: gzip
  --profile   CPU-profile otel-netif's sample loop and its server, print the top functions
  --publish   write docs/benchmarks.md and bench/results/latest.{json,svg} even for a quick or fixture run
  --render    measure nothing: re-render docs/benchmarks.md and latest.svg from latest.json`;

export function parseBenchArgs(argv: string[]): BenchArgs {
  const { values } = parseArgs({
    args: argv,
    options: {
      sizes: { type: 'string' },
      fixture: { type: 'boolean', default: false },
      quick: { type: 'boolean', default: false },
      'no-gzip': { type: 'boolean', default: false },
      profile: { type: 'boolean', default: false },
      publish: { type: 'boolean', default: false },
      render: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const quick = values.quick ?? false;
  const sizes = (values.sizes ?? (quick ? '10,100' : '10,100,1000,4000')).split(',').map((s) => Number(s.trim()));
  if (sizes.some((n) => !Number.isInteger(n) || n < 1 || n > 20000)) throw new Error(`--sizes: whole numbers from 1 to 20000, got ${values.sizes}`);
  const fixture = values.fixture ?? false;
  return {
    sizes: [...new Set(sizes)].sort((a, b) => a - b),
    fixture,
    quick,
    gzip: !(values['no-gzip'] ?? false),
    profile: values.profile ?? false,
    // Only the full default run replaces the published numbers; anything else is development.
    publish: (values.publish ?? false) || (!fixture && !quick && values.sizes === undefined),
    render: values.render ?? false,
  };
}
