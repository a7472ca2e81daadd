import type { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseYaml } from '@otel-netif/metadata';
import { shownPath } from '../config/pem-file.js';
import { crypto } from '../lazy-builtins.js';

/** A web config file that cannot be used; the message is one line without the file's name. */
export class WebConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WebConfigError';
  }
}

/** node_exporter's (exporter-toolkit's) names, mapped to what a Node TLS server does. */
export const CLIENT_AUTH_TYPES = ['NoClientCert', 'RequestClientCert', 'RequireAnyClientCert', 'VerifyClientCertIfGiven', 'RequireAndVerifyClientCert'] as const;
export type ClientAuthType = (typeof CLIENT_AUTH_TYPES)[number];

const TLS_VERSIONS = { TLS10: 'TLSv1', TLS11: 'TLSv1.1', TLS12: 'TLSv1.2', TLS13: 'TLSv1.3' } as const;
type NodeTlsVersion = (typeof TLS_VERSIONS)[keyof typeof TLS_VERSIONS];

export interface WebTlsConfig {
  certFile: string;
  keyFile: string;
  clientCaFile: string | undefined;
  cert: Buffer;
  key: Buffer;
  clientCa: Buffer | undefined;
  clientAuth: ClientAuthType;
  minVersion: NodeTlsVersion;
  maxVersion: NodeTlsVersion | undefined;
}

export interface WebConfig {
  /** The file, absolute; its directory anchors relative paths inside it. */
  file: string;
  tls: WebTlsConfig | undefined;
  /** User → bcrypt hash; undefined: no basic auth. */
  users: ReadonlyMap<string, string> | undefined;
}

const TOP_KEYS = ['tls_server_config', 'basic_auth_users'];
// exporter-toolkit keys that are valid there but not implemented here: refused by name, so a
// file copied from node_exporter never silently loses a setting.
const UNSUPPORTED_TOP = ['http_server_config', 'rate_limit'];
const TLS_KEYS = ['cert_file', 'key_file', 'client_ca_file', 'client_auth_type', 'min_version', 'max_version'];
const UNSUPPORTED_TLS = ['cert', 'key', 'client_ca', 'cipher_suites', 'curve_preferences', 'prefer_server_cipher_suites', 'client_allowed_sans'];
// $2a$, $2b$ and $2y$ (htpasswd -B), cost 04-31, 22 salt and 31 hash characters.
const BCRYPT = /^\$2[aby]\$(0[4-9]|[12][0-9]|3[01])\$[./A-Za-z0-9]{53}$/;
const HASH_HINT = 'generate one with: htpasswd -nbBC 10 "" \'PASSWORD\' | tr -d \':\\n\'';

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function errnoOf(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  return typeof code === 'string' ? code : String((err as Error).message ?? err).split('\n')[0]!;
}

function checkKeys(obj: Record<string, unknown>, where: string, known: string[], unsupported: string[]): void {
  for (const key of Object.keys(obj)) {
    if (known.includes(key)) continue;
    if (unsupported.includes(key)) throw new WebConfigError(`${where}${key}: valid for node_exporter but not supported by otel-netif (supported: ${known.join(', ')})`);
    throw new WebConfigError(`${where}${key}: unknown key (supported: ${known.join(', ')})`);
  }
}

type ReadFile = (path: string) => Buffer;

function readPem(readFile: ReadFile, base: string, raw: unknown, key: string): { path: string; data: Buffer } {
  const where = `tls_server_config.${key}`;
  if (typeof raw !== 'string' || raw.trim() === '') throw new WebConfigError(`${where}: must be a file path`);
  const path = resolve(base, raw.trim());
  let data: Buffer;
  try {
    data = readFile(path);
  } catch (err) {
    throw new WebConfigError(`${where}: cannot read ${shownPath(path)} (${errnoOf(err)})`);
  }
  return { path, data };
}

function certificates(pem: Buffer, path: string, where: string): X509Certificate[] {
  const blocks = pem.toString('utf8').match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  try {
    const certs = blocks.map((b) => new (crypto().X509Certificate)(b));
    if (certs.length > 0) return certs;
  } catch {
    // reported below, the same way as no block at all
  }
  throw new WebConfigError(`${where}: ${shownPath(path)} holds no valid PEM certificate`);
}

function parseTls(raw: unknown, base: string, readFile: ReadFile): WebTlsConfig {
  if (!isRecord(raw)) throw new WebConfigError('tls_server_config: must be a mapping with cert_file and key_file');
  checkKeys(raw, 'tls_server_config.', TLS_KEYS, UNSUPPORTED_TLS);
  if (raw.cert_file === undefined) throw new WebConfigError('tls_server_config.cert_file: required (the server certificate, PEM)');
  if (raw.key_file === undefined) throw new WebConfigError('tls_server_config.key_file: required (the private key of cert_file, PEM)');
  const cert = readPem(readFile, base, raw.cert_file, 'cert_file');
  const [leaf] = certificates(cert.data, cert.path, 'tls_server_config.cert_file');
  const key = readPem(readFile, base, raw.key_file, 'key_file');
  let privateKey;
  try {
    privateKey = crypto().createPrivateKey(key.data);
  } catch {
    throw new WebConfigError(`tls_server_config.key_file: ${shownPath(key.path)} holds no valid PEM private key (or it is encrypted)`);
  }
  if (!leaf!.checkPrivateKey(privateKey)) throw new WebConfigError(`tls_server_config.key_file: ${shownPath(key.path)} is not the key of ${shownPath(cert.path)}`);

  const authRaw = raw.client_auth_type ?? 'NoClientCert';
  // exporter-toolkit's old name for RequireAnyClientCert.
  const authName = authRaw === 'RequireClientCert' ? 'RequireAnyClientCert' : authRaw;
  if (typeof authName !== 'string' || !(CLIENT_AUTH_TYPES as readonly string[]).includes(authName)) {
    throw new WebConfigError(`tls_server_config.client_auth_type: ${JSON.stringify(authRaw)} is not one of ${CLIENT_AUTH_TYPES.join(', ')}`);
  }
  const clientAuth = authName as ClientAuthType;
  let clientCa: { path: string; data: Buffer } | undefined;
  if (raw.client_ca_file !== undefined) {
    clientCa = readPem(readFile, base, raw.client_ca_file, 'client_ca_file');
    certificates(clientCa.data, clientCa.path, 'tls_server_config.client_ca_file');
    if (clientAuth === 'NoClientCert') {
      throw new WebConfigError('tls_server_config.client_ca_file: set, but client_auth_type is NoClientCert (set e.g. client_auth_type: RequireAndVerifyClientCert)');
    }
  } else if (clientAuth === 'VerifyClientCertIfGiven' || clientAuth === 'RequireAndVerifyClientCert') {
    throw new WebConfigError(`tls_server_config.client_auth_type: ${clientAuth} needs client_ca_file (the CA that signs client certificates)`);
  }
  const version = (v: unknown, k: string): NodeTlsVersion | undefined => {
    if (v === undefined) return undefined;
    const mapped = typeof v === 'string' ? TLS_VERSIONS[v as keyof typeof TLS_VERSIONS] : undefined;
    if (mapped === undefined) throw new WebConfigError(`tls_server_config.${k}: ${JSON.stringify(v)} is not one of ${Object.keys(TLS_VERSIONS).join(', ')}`);
    return mapped;
  };
  // TLS 1.2 is exporter-toolkit's default minimum as well.
  const minVersion = version(raw.min_version, 'min_version') ?? 'TLSv1.2';
  const maxVersion = version(raw.max_version, 'max_version');
  if (maxVersion !== undefined && maxVersion < minVersion) throw new WebConfigError('tls_server_config.max_version: lower than min_version');
  return {
    certFile: cert.path,
    keyFile: key.path,
    clientCaFile: clientCa?.path,
    cert: cert.data,
    key: key.data,
    clientCa: clientCa?.data,
    clientAuth,
    minVersion,
    maxVersion,
  };
}

function parseUsers(raw: unknown): Map<string, string> {
  if (!isRecord(raw)) throw new WebConfigError('basic_auth_users: must be a mapping of user: bcrypt-hash');
  const users = new Map<string, string>();
  for (const [user, hash] of Object.entries(raw)) {
    if (user === '' || user.includes(':')) throw new WebConfigError(`basic_auth_users: ${JSON.stringify(user)} is not a valid user name (non-empty, no ":")`);
    // Never echo the value: a plain password pasted here by mistake must not reach a log.
    if (typeof hash !== 'string' || !BCRYPT.test(hash)) throw new WebConfigError(`basic_auth_users.${user}: not a bcrypt hash (${HASH_HINT})`);
    users.set(user, hash);
  }
  if (users.size === 0) throw new WebConfigError('basic_auth_users: empty (list at least one user, or remove the key)');
  return users;
}

/** Parses web config text; `file` anchors relative paths. @throws WebConfigError */
export function parseWebConfig(text: string, file: string, readFile: ReadFile = (p) => readFileSync(p)): WebConfig {
  let doc: unknown;
  try {
    // 'error': the yaml library would otherwise print its warnings (an unknown %directive) itself, as a Node warning.
    doc = parseYaml(text, { logLevel: 'error' });
  } catch (err) {
    throw new WebConfigError(`not valid YAML: ${(((err as Error).message ?? '').split('\n')[0] ?? '').replace(/:$/, '')}`);
  }
  if (doc === null || doc === undefined) throw new WebConfigError('empty (give tls_server_config and/or basic_auth_users, as for node_exporter)');
  if (!isRecord(doc)) throw new WebConfigError('must be a mapping with tls_server_config and/or basic_auth_users, as for node_exporter');
  checkKeys(doc, '', TOP_KEYS, UNSUPPORTED_TOP);
  const abs = resolve(file);
  return {
    file: abs,
    tls: doc.tls_server_config === undefined || doc.tls_server_config === null ? undefined : parseTls(doc.tls_server_config, dirname(abs), readFile),
    users: doc.basic_auth_users === undefined || doc.basic_auth_users === null ? undefined : parseUsers(doc.basic_auth_users),
  };
}

/** Reads and checks a web config file, and every certificate and key it names. @throws WebConfigError */
export function loadWebConfig(file: string): WebConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new WebConfigError(`cannot read the file (${errnoOf(err)})`);
  }
  return parseWebConfig(text, file);
}
