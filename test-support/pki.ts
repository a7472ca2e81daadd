/**
 * A throwaway PKI made with the real `openssl` CLI: a CA, a server certificate for 127.0.0.1 and
 * localhost, a client certificate, and a second CA that signed nothing the server trusts.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Pki {
  dir: string;
  caCert: string;
  caKey: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
  /** A CA nobody uses: a client trusting only it must refuse the server. */
  otherCaCert: string;
  /** A client certificate signed by the other CA. */
  otherClientCert: string;
  otherClientKey: string;
  remove(): void;
}

/** Why the PKI cannot be made here, or undefined. */
export function opensslUnavailableReason(): string | undefined {
  const r = spawnSync('openssl', ['version'], { encoding: 'utf8' });
  return r.error ? 'openssl is not installed (apt-get install openssl; .ci/run does)' : undefined;
}

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

function keyPair(dir: string, name: string): string {
  const key = join(dir, `${name}-key.pem`);
  // EC P-256: a key in milliseconds, where RSA would take most of a second each.
  openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', key], dir);
  return key;
}

function selfSignedCa(dir: string, name: string): { cert: string; key: string } {
  const key = keyPair(dir, name);
  const cert = join(dir, `${name}.pem`);
  openssl(['req', '-x509', '-new', '-key', key, '-sha256', '-days', '2', '-subj', `/CN=${name}`,
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign', '-out', cert], dir);
  return { cert, key };
}

function signed(dir: string, name: string, ca: { cert: string; key: string }, ext: string): { cert: string; key: string } {
  const key = keyPair(dir, name);
  const csr = join(dir, `${name}.csr`);
  const cert = join(dir, `${name}.pem`);
  const extFile = join(dir, `${name}.ext`);
  writeFileSync(extFile, ext);
  openssl(['req', '-new', '-key', key, '-subj', `/CN=${name}`, '-out', csr], dir);
  openssl(['x509', '-req', '-in', csr, '-CA', ca.cert, '-CAkey', ca.key, '-CAcreateserial', '-days', '2', '-sha256', '-extfile', extFile, '-out', cert], dir);
  return { cert, key };
}

export function makePki(): Pki {
  const dir = mkdtempSync(join(tmpdir(), 'onx-pki-'));
  const ca = selfSignedCa(dir, 'test-ca');
  const other = selfSignedCa(dir, 'other-ca');
  const server = signed(dir, 'server', ca, 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n');
  const client = signed(dir, 'client', ca, 'extendedKeyUsage=clientAuth\nbasicConstraints=CA:FALSE\n');
  const otherClient = signed(dir, 'other-client', other, 'extendedKeyUsage=clientAuth\nbasicConstraints=CA:FALSE\n');
  return {
    dir,
    caCert: ca.cert,
    caKey: ca.key,
    serverCert: server.cert,
    serverKey: server.key,
    clientCert: client.cert,
    clientKey: client.key,
    otherCaCert: other.cert,
    otherClientCert: otherClient.cert,
    otherClientKey: otherClient.key,
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
