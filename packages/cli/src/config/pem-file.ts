import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { crypto } from '../lazy-builtins.js';
import { ValueProblem } from './values.js';

/** A PEM file named by an option, read and checked when the configuration loads. */
export interface PemFile {
  /** Absolute (relative paths are taken from the working directory, as the OTel SDK does). */
  path: string;
  pem: Buffer;
}

/** A path as messages show it: quoted when it holds characters that would break the one line. */
export function shownPath(path: string): string {
  return /[\u0000-\u001f\u007f]/.test(path) ? JSON.stringify(path) : path;
}

function read(raw: string): PemFile {
  const s = raw.trim();
  if (s === '') throw new ValueProblem('must be a file path');
  const path = resolve(s);
  try {
    return { path, pem: readFileSync(path) };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new ValueProblem(`cannot read ${shownPath(path)} (${code})`);
  }
}

/**
 * One or more PEM certificates (a CA bundle or a client chain). The OTel SDK would only log a
 * warning nobody sees and then fail every TLS handshake; a start-up error says which file.
 */
export function parseCertificateFile(raw: string): PemFile {
  const file = read(raw);
  const blocks = file.pem.toString('utf8').match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  try {
    for (const b of blocks) new (crypto().X509Certificate)(b);
  } catch {
    throw new ValueProblem(`${shownPath(file.path)} holds an invalid PEM certificate`);
  }
  if (blocks.length === 0) throw new ValueProblem(`${shownPath(file.path)} holds no PEM certificate`);
  return file;
}

/** An unencrypted PEM private key. */
export function parsePrivateKeyFile(raw: string): PemFile {
  const file = read(raw);
  try {
    crypto().createPrivateKey(file.pem);
  } catch {
    throw new ValueProblem(`${shownPath(file.path)} holds no valid unencrypted PEM private key`);
  }
  return file;
}

/** Whether `key` is the private key of the first certificate in `cert`. */
export function keyMatchesCertificate(cert: PemFile, key: PemFile): boolean {
  const first = cert.pem.toString('utf8').match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/)?.[0];
  if (first === undefined) return false;
  try {
    return new (crypto().X509Certificate)(first).checkPrivateKey(crypto().createPrivateKey(key.pem));
  } catch {
    return false;
  }
}
