import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { REPO_ROOT } from './paths.js';

export const UPDATE_GOLDEN = process.env.UPDATE_GOLDEN === '1';

/** Compares `actual` with a committed golden file; UPDATE_GOLDEN=1 rewrites it instead. */
export function assertGolden(file: string, actual: string): void {
  const rel = relative(REPO_ROOT, file);
  if (UPDATE_GOLDEN) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, actual);
    return;
  }
  assert.ok(existsSync(file), `${rel} is missing: run the tests once with UPDATE_GOLDEN=1 and review the diff`);
  const expected = readFileSync(file, 'utf8');
  if (expected !== actual) {
    const a = expected.split('\n');
    const b = actual.split('\n');
    let i = 0;
    while (i < a.length && a[i] === b[i]) i++;
    assert.fail(`${rel} differs from what was rendered, first at line ${i + 1}:\n- ${a[i] ?? '<end of file>'}\n+ ${b[i] ?? '<end of file>'}\n` +
      'If the change is intended, rerun with UPDATE_GOLDEN=1 and review the diff.');
  }
}
