import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { compileMetadata, loadMetadata, parseMetadata } from '@otel-netif/metadata';

const packages = new URL('../../', import.meta.url);
const withMetadata = readdirSync(packages).filter((d) => existsSync(new URL(`${d}/metadata.yaml`, packages)));

describe('compiled metadata.json', () => {
  it('exists for the three packages that declare metrics', () => {
    assert.deepEqual(withMetadata.sort(), ['cli', 'processor-rate', 'receiver-netif']);
  });

  for (const dir of withMetadata) {
    it(`packages/${dir}/metadata.json is metadata.yaml compiled (else: npm run docs)`, () => {
      const yaml = readFileSync(new URL(`${dir}/metadata.yaml`, packages), 'utf8');
      const json = new URL(`${dir}/metadata.json`, packages);
      assert.ok(existsSync(json), `packages/${dir}/metadata.json is missing: run npm run docs`);
      assert.equal(readFileSync(json, 'utf8'), compileMetadata(yaml), `packages/${dir}/metadata.json is stale: run npm run docs`);
      assert.deepEqual(loadMetadata(json), parseMetadata(yaml));
    });

    it(`packages/${dir} ships metadata.json and loads it, not the YAML, at run time`, () => {
      const pkg = JSON.parse(readFileSync(new URL(`${dir}/package.json`, packages), 'utf8')) as { files?: string[] };
      assert.ok(pkg.files?.includes('metadata.json'), `packages/${dir}/package.json "files" must list metadata.json`);
      const src = new URL(`${dir}/src/`, packages);
      const loaders = readdirSync(src, { recursive: true, encoding: 'utf8' })
        .filter((f) => f.endsWith('.ts'))
        .map((f) => readFileSync(new URL(f, src), 'utf8'))
        .filter((text) => text.includes('loadMetadata('));
      assert.ok(loaders.length > 0, 'some source file loads the metadata');
      for (const text of loaders) assert.doesNotMatch(text, /metadata\.yaml', import\.meta\.url/);
    });
  }

  it('rejects a compiled file that breaks the schema, like the YAML would be', () => {
    assert.throws(() => compileMetadata('type: t\nscope: {}\nmetrics: {}\n'), /scope\.name/);
  });
});
