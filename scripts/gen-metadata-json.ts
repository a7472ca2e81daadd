// Compiles every package's metadata.yaml into the metadata.json the agent loads at run time.
// Run with `npm run docs`; packages/metadata/test/compiled.test.ts fails when one is out of date.
import { readFileSync, readdirSync, existsSync, writeFileSync } from 'node:fs';
import { compileMetadata } from '@otel-netif/metadata';

const packages = new URL('../packages/', import.meta.url);
for (const dir of readdirSync(packages)) {
  const yaml = new URL(`${dir}/metadata.yaml`, packages);
  if (!existsSync(yaml)) continue;
  const json = new URL(`${dir}/metadata.json`, packages);
  const after = compileMetadata(readFileSync(yaml, 'utf8'), `packages/${dir}/metadata.yaml`);
  const before = existsSync(json) ? readFileSync(json, 'utf8') : '';
  if (after !== before) writeFileSync(json, after);
  process.stdout.write(`packages/${dir}/metadata.json ${after === before ? 'is up to date' : 'updated'}\n`);
}
