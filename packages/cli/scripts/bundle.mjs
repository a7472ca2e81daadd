// Bundles the compiled CLI (dist/bin.js and everything it imports from this repository, plus
// commander) into dist/bundle/otel-netif.js, the file `otel-netif` runs. Run after `tsc -b`.
//
// Why: one file instead of ~90 ES modules, each with a module record, its own source string and
// its resolution and linking. Measured with the agent's flags, default interval, a gzip scrape every
// 15 s (2026-12-05, Node 20.20): at 10 interfaces 1.8 MiB less resident memory after 2 minutes
// (V8 heap 10.2 -> 8.7 MiB), at 1000 about 1.5 MiB less (64.1 against 65.7 MiB after a minute);
// `otel-netif --version` starts in 170 ms instead of 230. Whitespace and comments go (the source
// text is V8 heap), and local and top-level names are shortened (minifyIdentifiers): V8 keeps every
// name a closure can see in the module's scope info, as a string each, besides the source; at 1000
// interfaces the heap after a full collection held 0.3 MB less (10.04 -> 9.73 MB, side by side,
// 2026-12-05). Property names stay. A stack trace then names shortened functions:
// `node --enable-source-maps` maps it back through the linked source map. Code that needs a name
// at run time spells it out (CliError's subclasses set `name` themselves).
//
// CommonJS, not an ES module (dist/bundle/package.json says so, so the file keeps its name): Node
// loads the part of its ES module loader that runs ES modules (module jobs, translators, the module
// map) only for an ES module. A bare HTTP server with zlib is 0.5 MiB smaller as a .cjs file than as
// an .mjs file; the agent, side by side at 1000 taps (1 s cycles, 4 minutes), 59,466 -> 58,847 kB
// on average (2026-12-05). The packages imported only when configured still come through import(),
// which CommonJS has too.
//
// What stays outside: packages that are imported only when configured (the OTLP exporters with the
// OTel SDK, protobuf and gRPC; bcryptjs for basic auth; yaml for a config file). They are
// dependencies of this package and load from node_modules as before.
import { chmodSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { LAUNCHER_SHEBANG, launcherLine } from './launcher.mjs';

const CLI = join(dirname(fileURLToPath(import.meta.url)), '..');
const PACKAGES = join(CLI, '..');
const OUT_DIR = join(CLI, 'dist', 'bundle');
export const BUNDLE = join(OUT_DIR, 'otel-netif.js');

// A module of the bundle that asks for its own URL (to find metadata.json, package.json or the UI
// page next to its sources) gets the URL its unbundled file has. This package's files are found
// relative to the bundle, which ships in the same package; another workspace package's through
// module resolution, where an install put it (node_modules/@otel-netif/…, or the workspace link).
const moduleUrls = {
  name: 'module-urls',
  setup(build) {
    build.onLoad({ filter: /[\\/]packages[\\/][^\\/]+[\\/]dist[\\/].*\.js$/ }, async (args) => {
      const contents = await readFile(args.path, 'utf8');
      if (!contents.includes('import.meta.url')) return { contents, loader: 'js' };
      const inPackage = relative(PACKAGES, args.path).split(sep);
      const pkgDir = join(PACKAGES, inPackage[0]);
      let url;
      if (pkgDir === CLI) {
        url = `new URL(${JSON.stringify(relative(OUT_DIR, args.path).split(sep).join('/'))}, __otelNetifBundleUrl).href`;
      } else {
        const { name } = JSON.parse(await readFile(join(pkgDir, 'package.json'), 'utf8'));
        url = `__otelNetifPackageFile(${JSON.stringify(name)}, ${JSON.stringify(inPackage.slice(1).join('/'))})`;
      }
      return { contents: contents.replaceAll('import.meta.url', url), loader: 'js' };
    });
  },
};

// The bundle's own URL, for this package's files next to it (see moduleUrls); the package-file helper
// resolves `<name>/package.json`, which each workspace package exports.
// The launcher line first (see launcher.mjs), the directive next, or the whole file would run in
// sloppy mode (esbuild's own comes after the banner): both are strings of the directive prologue.
const banner = [
  launcherLine(),
  '"use strict";',
  "const __otelNetifBundleUrl = require('node:url').pathToFileURL(__filename).href;",
  "const __otelNetifPackageFile = (name, file) => new URL(file, require('node:url').pathToFileURL(require.resolve(`${name}/package.json`))).href;",
].join('\n');

export async function bundle() {
  // Emptied first: an earlier build's files (ES module chunks, once) must not ship with this one.
  rmSync(OUT_DIR, { recursive: true, force: true });
  const result = await esbuild.build({
    entryPoints: { 'otel-netif': join(CLI, 'dist', 'bin.js') },
    outdir: OUT_DIR,
    bundle: true,
    // One file: the OTLP exporter's own code (~20 KB of source) is in it too, and runs only when one
    // is configured (esbuild wraps a module imported with import() in a function called then).
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    external: ['@opentelemetry/*', '@grpc/*', 'bcryptjs', 'yaml'],
    minifyWhitespace: true,
    minifyIdentifiers: true,
    legalComments: 'none',
    sourcemap: 'linked',
    banner: { js: banner },
    plugins: [moduleUrls],
    logLevel: 'warning',
    metafile: true,
  });
  // esbuild keeps the entry's shebang; the launcher's takes its place, one line for one, so the
  // source map's line numbers still hold.
  const text = readFileSync(BUNDLE, 'utf8');
  if (!text.startsWith('#!')) throw new Error(`${BUNDLE} does not start with the entry's shebang`);
  writeFileSync(BUNDLE, `${LAUNCHER_SHEBANG}${text.slice(text.indexOf('\n'))}`);
  // This package is "type": "module"; this makes the bundle's .js CommonJS without renaming it.
  writeFileSync(join(OUT_DIR, 'package.json'), `${JSON.stringify({ type: 'commonjs' })}\n`);
  chmodSync(BUNDLE, 0o755);
  return result;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await bundle();
