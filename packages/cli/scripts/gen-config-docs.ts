// Regenerates the options table in docs/configuration.md from src/config/options.ts.
// Run with `npm run docs` (needs --conditions=source so workspace packages resolve to src/).
import { readFileSync, writeFileSync } from 'node:fs';
import { updateConfigDocs } from '../src/config/docs.js';

const file = new URL('../../../docs/configuration.md', import.meta.url);
const before = readFileSync(file, 'utf8');
const after = updateConfigDocs(before);
if (after !== before) writeFileSync(file, after);
process.stdout.write(`docs/configuration.md ${after === before ? 'is up to date' : 'updated'}\n`);
