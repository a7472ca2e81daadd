import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ValueType } from '@opentelemetry/api';
import { AggregationTemporality, DataPointType } from '@opentelemetry/sdk-metrics';
import { NetifReceiver } from '../src/receiver.js';
import { TIME_ORIGIN } from './helpers/fixture-root.js';

const TESTDATA = fileURLToPath(new URL('./testdata/', import.meta.url));
const UPDATE = process.env.UPDATE_GOLDEN === '1';
const VERSION = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/** Golden files should not change with the checkout path or a version bump, and should read as names, not enum numbers. */
function normalize(value: unknown, root: string): unknown {
  return JSON.parse(
    JSON.stringify(value, (key, v: unknown) => {
      if (typeof v === 'string') return v.replaceAll(root, '<root>');
      if (key === 'dataPointType') return DataPointType[v as number];
      if (key === 'aggregationTemporality') return AggregationTemporality[v as number];
      if (key === 'valueType') return ValueType[v as number];
      return v;
    }),
  );
}

function stableJson(value: unknown): string {
  return `${JSON.stringify(
    value,
    (_k, v: unknown) => (v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v),
    2,
  )}\n`;
}

const cases = readdirSync(TESTDATA).filter((d) => statSync(join(TESTDATA, d)).isDirectory()).sort();

describe('golden: NetifReceiver over fixture trees (UPDATE_GOLDEN=1 rewrites test/testdata/*/golden.json)', () => {
  it('has the fixture cases the suite is meant to cover', () => {
    for (const c of ['typical-server', 'garbled', 'odd-names', 'missing-sysfs']) assert.ok(cases.includes(c), `test/testdata/${c} is missing`);
  });

  for (const name of cases) {
    it(name, () => {
      const root = join(TESTDATA, name);
      const receiver = new NetifReceiver(
        { rootPath: root, include: [], exclude: [], metadataRefreshMs: 60_000 },
        { now: () => 5000.25, timeOrigin: TIME_ORIGIN },
      );
      const sample = receiver.sample();
      const scopeMetrics = receiver.toScopeMetrics(sample);
      assert.equal(scopeMetrics.scope.version, VERSION);
      const actual = normalize({ problems: sample.problems, scopeMetrics: { ...scopeMetrics, scope: { ...scopeMetrics.scope, version: '<package version>' } } }, root);
      const goldenPath = join(root, 'golden.json');
      if (UPDATE) writeFileSync(goldenPath, stableJson(actual));
      assert.ok(existsSync(goldenPath), `${goldenPath} is missing: run with UPDATE_GOLDEN=1 to write it, then review it before committing`);
      assert.deepStrictEqual(actual, JSON.parse(readFileSync(goldenPath, 'utf8')));
    });
  }
});
