import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { detectResource, osType, readMachineId } from '../../src/resource.js';
import type { DetectResourceOptions } from '../../src/resource.js';
import { parseResourceAttributes } from '../../src/resource-attributes.js';
import { captureLogger } from '../http/capture-logger.js';

const CLI_VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
const HOST_MACHINE_ID = existsSync('/etc/machine-id') ? readFileSync('/etc/machine-id', 'utf8').trim() || undefined : undefined;

describe('detectResource', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'onx-res-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const detect = (o: Partial<DetectResourceOptions> = {}) =>
    detectResource({ rootPath: root, resourceAttributes: undefined, env: {}, logger: captureLogger(), ...o }).attributes;

  it('describes the service and the host', () => {
    mkdirSync(join(root, 'etc'));
    writeFileSync(join(root, 'etc/machine-id'), 'f00dfeedf00dfeedf00dfeedf00dfeed\n');
    assert.deepEqual(detect(), {
      'service.name': 'otel-netif',
      'service.version': CLI_VERSION,
      'host.name': hostname(),
      'host.id': 'f00dfeedf00dfeedf00dfeedf00dfeed',
      'os.type': 'linux',
    });
  });

  it("falls back to this system's /etc/machine-id, and leaves host.id out when there is none", () => {
    assert.equal(detect()['host.id'], HOST_MACHINE_ID);
    assert.equal(readMachineId(root), HOST_MACHINE_ID);
    mkdirSync(join(root, 'etc'));
    writeFileSync(join(root, 'etc/machine-id'), '\n');
    assert.equal(readMachineId(root), HOST_MACHINE_ID, 'an empty file is not an id');
    assert.equal(readMachineId(root, join(root, 'absent')), undefined);
  });

  it('adds the Kubernetes node and cluster from the environment', () => {
    const a = detect({ env: { K8S_NODE_NAME: 'node-7', K8S_CLUSTER_NAME: 'prod-eu' } });
    assert.equal(a['k8s.node.name'], 'node-7');
    assert.equal(a['k8s.cluster.name'], 'prod-eu');
    assert.equal(detect({ env: { K8S_NODE_NAME: '' } })['k8s.node.name'], undefined);
  });

  it('lets OTEL_RESOURCE_ATTRIBUTES override detected values, percent-decoded', () => {
    const a = detect({
      resourceAttributes: 'host.name=edge%2C01,deployment.environment=prod,team=net%20ops,k8s.node.name=override',
      env: { K8S_NODE_NAME: 'node-7' },
    });
    assert.equal(a['host.name'], 'edge,01');
    assert.equal(a['deployment.environment'], 'prod');
    assert.equal(a.team, 'net ops');
    assert.equal(a['k8s.node.name'], 'override');
  });

  it('reads env.OTEL_RESOURCE_ATTRIBUTES when none is given', () => {
    assert.equal(detect({ env: { OTEL_RESOURCE_ATTRIBUTES: 'a=1' } }).a, '1');
    assert.equal(detect({ resourceAttributes: 'a=2', env: { OTEL_RESOURCE_ATTRIBUTES: 'a=1' } }).a, '2');
  });

  it('skips invalid entries with one warning each, keeping the rest', () => {
    const logger = captureLogger();
    const a = detectResource({ rootPath: root, resourceAttributes: 'good=1,novalue,=x,bad=%zz,empty=', env: {}, logger }).attributes;
    assert.equal(a.good, '1');
    assert.equal(Object.keys(a).filter((k) => ['novalue', '', 'bad', 'empty'].includes(k)).length, 0);
    assert.deepEqual(logger.lines, [
      'warn resource attribute "novalue" has no "=": expected key=value; skipped',
      'warn resource attribute "=x" has an empty key; skipped',
      'warn resource attribute "bad=%zz" has invalid percent-encoding (write a literal % as %25); skipped',
      'warn resource attribute "empty=" has an empty value; skipped',
    ]);
  });

  it('ranks an explicit service name above service.name in the attributes (OTEL_SERVICE_NAME wins)', () => {
    assert.equal(detect({ resourceAttributes: 'service.name=from-attrs' })['service.name'], 'from-attrs');
    assert.equal(detect({ serviceName: 'edge', resourceAttributes: 'service.name=from-attrs' })['service.name'], 'edge');
    assert.equal(detect({ serviceName: 'edge' })['service.name'], 'edge');
  });

  it('maps Node platform names to OTel os.type values', () => {
    assert.equal(osType('linux'), 'linux');
    assert.equal(osType('win32'), 'windows');
    assert.equal(osType('sunos'), 'solaris');
    assert.equal(osType('darwin'), 'darwin');
    assert.equal(osType('os390'), 'z_os');
    assert.equal(detect({ platform: 'win32' })['os.type'], 'windows');
  });
});

describe('parseResourceAttributes', () => {
  it('trims, keeps "=" inside values, and lets later duplicates win', () => {
    assert.deepEqual(parseResourceAttributes(' a = 1 ,b=x=y,,a=2').attributes, { a: '2', b: 'x=y' });
  });

  it('decodes percent-encoded keys and values', () => {
    assert.deepEqual(parseResourceAttributes('k%2Ey=v%3Dw%25').attributes, { 'k.y': 'v=w%' });
  });
});
