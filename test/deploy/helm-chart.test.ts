import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { parse } from 'yaml';
import { DaemonSet } from 'kubernetes-models/apps/v1/DaemonSet';
import { NAMESPACE, ciValuesFiles, findObject, parseManifests, renderChart, renderOk } from './lib/chart.js';
import { assertGolden, UPDATE_GOLDEN } from './lib/golden.js';
import { unknownFields, validateObject } from './lib/k8s-validate.js';
import { CHART_DIR, DASHBOARD_DIR, GOLDEN_DIR, RULES_FILE } from './lib/paths.js';
import { ensureHelm, helm } from './lib/tools.js';
import { replaceTable, TABLE_BEGIN, TABLE_END, valueRows, valuesTable } from './lib/values-table.js';

type Obj = Record<string, any>;

const cases = (): Array<{ name: string; args: string[] }> => [
  { name: 'chart defaults', args: [] },
  ...ciValuesFiles().map((f) => ({ name: `ci/${basename(f)}`, args: ['-f', f] })),
];

function daemonSet(args: string[] = []): Obj {
  const ds = findObject(parseManifests(renderOk(args)), 'DaemonSet');
  assert.ok(ds, 'no DaemonSet rendered');
  return ds;
}

function container(ds: Obj): Obj {
  return ds.spec.template.spec.containers[0] as Obj;
}

function env(c: Obj, name: string): Obj | undefined {
  return (c.env as Obj[]).find((e) => e.name === name);
}

describe('deploy: Helm chart (deploy/helm/otel-netif)', function () {
  this.timeout(180_000);

  before(() => {
    ensureHelm();
  });

  it('has the five ci/*-values.yaml examples the chart promises', () => {
    assert.deepEqual(ciValuesFiles().map((f) => basename(f)), [
      'default-values.yaml', 'monitors-rules-values.yaml', 'no-hostnetwork-values.yaml', 'otlp-secret-values.yaml', 'web-config-values.yaml',
    ]);
  });

  for (const c of cases()) {
    describe(c.name, () => {
      it('passes helm lint --strict', () => {
        const r = helm(['lint', '--strict', CHART_DIR, ...c.args]);
        assert.equal(r.code, 0, `helm lint --strict failed:\n${r.stdout}\n${r.stderr}`);
        assert.match(r.stdout, /1 chart\(s\) linted, 0 chart\(s\) failed/);
      });

      it('renders objects that validate against the Kubernetes and Prometheus Operator schemas, with no unknown fields', () => {
        const objs = parseManifests(renderOk(c.args));
        assert.ok(objs.length > 0, 'nothing rendered');
        const problems = objs.flatMap((o) => validateObject(o));
        assert.deepEqual(problems, []);
        for (const o of objs as Obj[]) assert.equal(o.metadata?.namespace, NAMESPACE, `${o.kind} ${o.metadata?.name} is not in the release namespace`);
      });

      it('renders exactly the committed golden manifests', () => {
        const golden = join(GOLDEN_DIR, `helm-${c.name === 'chart defaults' ? 'chart-defaults' : basename(c.name, '.yaml')}.yaml`);
        assertGolden(golden, renderOk(c.args));
      });
    });
  }

  describe('strict checks can fail', () => {
    it('the unknown-field check catches a typo that kubernetes-models validate() accepts', () => {
      const ds = daemonSet();
      ds.spec.template.spec.hostNetwrk = true;
      container(ds).securityContext.readOnlyRootFilesytem = true;
      new DaemonSet(ds as never).validate(); // the schemas alone do not object
      assert.deepEqual(unknownFields(DaemonSet as never, ds), [
        '/spec/template/spec/containers/0/securityContext/readOnlyRootFilesytem',
        '/spec/template/spec/hostNetwrk',
      ]);
    });

    it('map-typed fields (labels, resources) are not reported as unknown', () => {
      const ds = daemonSet(['--set', 'podLabels.team=net', '--set', 'resources.limits.ephemeral-storage=10Mi']);
      assert.deepEqual(unknownFields(DaemonSet as never, ds), []);
    });

    it('the schema validation catches a bad type', () => {
      const ds = daemonSet();
      ds.spec.template.spec.hostNetwork = 'yes';
      assert.deepEqual(validateObject(ds).length, 1);
      assert.match(validateObject(ds)[0]!, /hostNetwork/);
    });

    it('an unknown kind is reported rather than skipped', () => {
      assert.match(validateObject({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'x' } })[0]!, /no schema for v1 Pod/);
    });
  });

  describe('values.schema.json', () => {
    const failing: Array<[string, string[], RegExp]> = [
      ['a typo at the top level', ['--set', 'hostNetwrk=true'], /additional properties 'hostNetwrk' not allowed/],
      ['a typo in a nested group', ['--set', 'serviceMonitor.enabeld=true'], /additional properties 'enabeld' not allowed/],
      ['a typo inside a Kubernetes object', ['--set', 'securityContext.readOnlyRootFilesytem=true'], /additional properties 'readOnlyRootFilesytem' not allowed/],
      ['a string for a boolean', ['--set-string', 'hostNetwork=yes'], /\/hostNetwork.*want boolean/],
      ['a string for the port', ['--set-string', 'agent.port=http'], /\/agent\/port.*want integer/],
      ['a port out of range', ['--set', 'agent.port=70000'], /\/agent\/port/],
      ['a number for a duration', ['--set', 'agent.interval=5'], /\/agent\/interval.*want string/],
      ['a duration without a unit', ['--set-string', 'agent.interval=5'], /\/agent\/interval/],
      ['an unknown exporter', ['--set', 'agent.exporters={prom}'], /\/agent\/exporters\/0/],
      ['an unknown OTLP protocol', ['--set', 'otlp.protocol=http'], /\/otlp\/protocol/],
      ['a negative top', ['--set', 'agent.top=-1'], /\/agent\/top/],
    ];
    for (const [what, args, want] of failing) {
      it(`rejects ${what} (helm template)`, () => {
        const r = renderChart(args);
        assert.notEqual(r.code, 0, `helm template ${args.join(' ')} succeeded`);
        assert.match(r.stderr, want);
      });
    }

    it('rejects a typo in a values file (helm lint --strict)', () => {
      const dir = mkdtempSync(join(tmpdir(), 'otel-netif-values-'));
      try {
        const file = join(dir, 'typo-values.yaml');
        writeFileSync(file, 'hostNetwrk: true\n');
        const r = helm(['lint', '--strict', CHART_DIR, '-f', file]);
        assert.notEqual(r.code, 0);
        assert.match(r.stdout + r.stderr, /additional properties 'hostNetwrk' not allowed/);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('says additionalProperties on every object; true only where a Kubernetes object is passed through', () => {
      const schema = JSON.parse(readFileSync(join(CHART_DIR, 'values.schema.json'), 'utf8')) as Obj;
      const passThrough = new Set(['global', 'extraEnv[].valueFrom', 'affinity.nodeAffinity', 'affinity.podAffinity', 'affinity.podAntiAffinity', 'serviceMonitor.tlsConfig', 'podMonitor.tlsConfig']);
      const problems: string[] = [];
      const walk = (node: Obj, path: string): void => {
        const types = ([] as unknown[]).concat(node.type ?? []);
        if (types.includes('object')) {
          if (!('additionalProperties' in node)) problems.push(`${path || '(root)'}: no additionalProperties`);
          else if (node.additionalProperties === true && !passThrough.has(path)) problems.push(`${path}: additionalProperties true`);
        }
        for (const [k, v] of Object.entries((node.properties ?? {}) as Obj)) walk(v as Obj, path ? `${path}.${k}` : k);
        if (node.items) walk(node.items as Obj, `${path}[]`);
        if (typeof node.additionalProperties === 'object') walk(node.additionalProperties as Obj, `${path}{}`);
      };
      walk(schema, '');
      assert.deepEqual(problems, []);
    });
  });

  describe('the DaemonSet', () => {
    it('runs on the host network with host /proc and /sys read-only under --root-path', () => {
      const ds = daemonSet();
      const spec = ds.spec.template.spec as Obj;
      assert.equal(spec.hostNetwork, true);
      assert.equal(spec.dnsPolicy, 'ClusterFirstWithHostNet');
      const c = container(ds);
      assert.ok((c.args as string[]).includes('--root-path=/host'));
      const mounts = Object.fromEntries((c.volumeMounts as Obj[]).map((m) => [m.mountPath, m]));
      const vols = Object.fromEntries((spec.volumes as Obj[]).map((v) => [v.name, v]));
      for (const [path, host] of [['/host/proc', '/proc'], ['/host/sys', '/sys']]) {
        assert.equal(mounts[path!]?.readOnly, true, `${path} is not mounted read-only`);
        assert.equal(vols[mounts[path!]!.name]?.hostPath?.path, host);
      }
    });

    it('is non-root, read-only, capability-free, without privilege escalation, seccomp RuntimeDefault', () => {
      const ds = daemonSet();
      const pod = ds.spec.template.spec as Obj;
      const sc = container(ds).securityContext as Obj;
      assert.equal(pod.securityContext.runAsNonRoot, true);
      assert.ok(pod.securityContext.runAsUser > 0);
      assert.equal(pod.securityContext.seccompProfile.type, 'RuntimeDefault');
      assert.equal(sc.readOnlyRootFilesystem, true);
      assert.equal(sc.allowPrivilegeEscalation, false);
      assert.deepEqual(sc.capabilities.drop, ['ALL']);
      assert.equal(pod.automountServiceAccountToken, false);
    });

    it('tolerates every taint, updates rolling, has small requests and limits', () => {
      const ds = daemonSet();
      assert.deepEqual(ds.spec.template.spec.tolerations, [{ operator: 'Exists' }]);
      assert.equal(ds.spec.updateStrategy.type, 'RollingUpdate');
      const r = container(ds).resources as Obj;
      for (const k of ['cpu', 'memory']) {
        assert.ok(r.requests[k], `no ${k} request`);
        assert.ok(r.limits[k], `no ${k} limit`);
      }
    });

    it('probes /healthz and /readyz on the agent port, which listens on all node addresses', () => {
      const c = container(daemonSet());
      assert.deepEqual(c.livenessProbe.httpGet, { path: '/healthz', port: 'http' });
      assert.deepEqual(c.readinessProbe.httpGet, { path: '/readyz', port: 'http' });
      assert.deepEqual(c.ports, [{ name: 'http', containerPort: 9464, protocol: 'TCP' }]);
      assert.ok((c.args as string[]).includes('--listen=0.0.0.0:9464'));
    });

    it('brackets an IPv6 listen address, and passes $(POD_IP) through for Kubernetes to expand', () => {
      assert.ok((container(daemonSet(['--set', 'agent.listenHost=::'])).args as string[]).includes('--listen=[::]:9464'));
      const c = container(daemonSet(['--set', 'agent.listenHost=$(POD_IP)']));
      assert.ok((c.args as string[]).includes('--listen=$(POD_IP):9464'));
      assert.deepEqual(env(c, 'POD_IP')?.valueFrom, { fieldRef: { fieldPath: 'status.podIP' } });
    });

    it('keeps veth/cali/lxc out and top-N on by default', () => {
      const args = container(daemonSet()).args as string[];
      for (const glob of ['veth*', 'cali*', 'lxc*']) assert.ok(args.includes(`--exclude=${glob}`), `no --exclude=${glob}`);
      assert.ok(args.includes('--top=20'));
      assert.ok(!container(daemonSet(['--set', 'agent.top=0'])).args.some((a: string) => a.startsWith('--top')));
    });

    it('sets K8S_NODE_NAME from the downward API and K8S_CLUSTER_NAME from clusterName', () => {
      const c = container(daemonSet(['--set', 'clusterName=prod-eu-1']));
      assert.deepEqual(env(c, 'K8S_NODE_NAME')?.valueFrom, { fieldRef: { fieldPath: 'spec.nodeName' } });
      assert.equal(env(c, 'K8S_CLUSTER_NAME')?.value, 'prod-eu-1');
      assert.equal(env(container(daemonSet()), 'K8S_CLUSTER_NAME'), undefined);
    });

    it('takes the OTLP headers from a Secret, never from a plain value', () => {
      const c = container(daemonSet(['-f', join(CHART_DIR, 'ci', 'otlp-secret-values.yaml')]));
      assert.deepEqual(env(c, 'OTEL_EXPORTER_OTLP_HEADERS')?.valueFrom, { secretKeyRef: { name: 'otel-netif-otlp', key: 'headers' } });
      assert.equal(env(c, 'OTEL_EXPORTER_OTLP_ENDPOINT')?.value, 'http://otel-collector.observability.svc:4317');
      assert.equal(env(c, 'OTEL_EXPORTER_OTLP_PROTOCOL')?.value, 'grpc');
      assert.ok((c.args as string[]).includes('--exporter=otlp'));
      assert.ok((c.args as string[]).includes('--export-interval=30s'));
    });

    it('with webConfig: mounts the web config and TLS Secrets, passes --web-config, probes and scrapes over HTTPS', () => {
      const values = ['-f', join(CHART_DIR, 'ci', 'web-config-values.yaml')];
      const objs = parseManifests(renderOk(values));
      const ds = findObject(objs, 'DaemonSet') as Obj;
      const c = container(ds);
      assert.ok((c.args as string[]).includes('--web-config=/etc/otel-netif/web/web-config.yml'));
      const mounts = Object.fromEntries((c.volumeMounts as Obj[]).map((m) => [m.name, m]));
      assert.deepEqual(mounts['web-config'], { name: 'web-config', mountPath: '/etc/otel-netif/web', readOnly: true });
      assert.deepEqual(mounts['web-tls'], { name: 'web-tls', mountPath: '/etc/otel-netif/tls', readOnly: true });
      const volumes = Object.fromEntries((ds.spec.template.spec.volumes as Obj[]).map((v) => [v.name, v]));
      assert.deepEqual(volumes['web-config']?.secret, { secretName: 'otel-netif-web' });
      assert.deepEqual(volumes['web-tls']?.secret, { secretName: 'otel-netif-tls' });
      // No Authorization header: the agent answers the probes without one.
      for (const probe of [c.livenessProbe, c.readinessProbe] as Obj[]) assert.deepEqual(Object.keys(probe.httpGet).sort(), ['path', 'port', 'scheme']);
      assert.equal(c.readinessProbe.httpGet.scheme, 'HTTPS');
      const sm = findObject(objs, 'ServiceMonitor') as Obj;
      const ep = sm.spec.endpoints[0] as Obj;
      assert.equal(ep.scheme, 'https');
      assert.deepEqual(ep.tlsConfig, { ca: { secret: { name: 'otel-netif-tls', key: 'ca.crt' } }, serverName: 'otel-netif' });
      assert.deepEqual(ep.basicAuth.password, { name: 'otel-netif-scrape', key: 'password' });

      // TLS without a CA for the scrape: HTTPS without verification, said explicitly; the PodMonitor too.
      const pm = findObject(parseManifests(renderOk(['--set', 'webConfig.secretName=w', '--set', 'webConfig.tls=true', '--set', 'podMonitor.enabled=true'])), 'PodMonitor') as Obj;
      assert.deepEqual([pm.spec.podMetricsEndpoints[0].scheme, pm.spec.podMetricsEndpoints[0].tlsConfig], ['https', { insecureSkipVerify: true }]);
      // Without webConfig nothing of this is rendered.
      const plain = container(daemonSet());
      assert.ok(!(plain.args as string[]).some((a) => a.startsWith('--web-config')));
      assert.equal(plain.readinessProbe.httpGet.scheme, undefined);
    });

    it('has no port, listen address, probes or Service without the prometheus exporter (the agent then serves no HTTP)', () => {
      const otlpOnly = ['--set', 'agent.exporters={otlp}', '--set', 'otlp.endpoint=http://collector:4318'];
      const objs = parseManifests(renderOk(otlpOnly));
      const c = container(findObject(objs, 'DaemonSet')!);
      assert.equal(c.livenessProbe, undefined);
      assert.equal(c.readinessProbe, undefined);
      assert.equal(c.ports, undefined);
      assert.ok(!(c.args as string[]).some((a) => a.startsWith('--listen')), 'the agent warns about --listen without the prometheus exporter');
      assert.deepEqual(objs.map((o) => o.kind), ['DaemonSet']);
      assert.ok(container(daemonSet(['--set', 'agent.exporters={prometheus,console}'])).livenessProbe);
      const r = renderChart([...otlpOnly, '--set', 'podMonitor.enabled=true']);
      assert.notEqual(r.code, 0);
      assert.match(r.stderr, /podMonitor\.enabled needs the prometheus exporter/);
    });

    it('refuses the otlp exporter without an endpoint', () => {
      const r = renderChart(['--set', 'agent.exporters={prometheus,otlp}']);
      assert.notEqual(r.code, 0);
      assert.match(r.stderr, /set otlp\.endpoint/);
    });

    it('annotates pods for annotation-based scraping with the configured port', () => {
      const ds = daemonSet(['--set', 'agent.port=9999']);
      assert.deepEqual(ds.spec.template.metadata.annotations, {
        'prometheus.io/scrape': 'true', 'prometheus.io/port': '9999', 'prometheus.io/path': '/metrics',
      });
      assert.equal(daemonSet(['--set', 'prometheusScrapeAnnotations=false']).spec.template.metadata.annotations, undefined);
    });

    it('without hostNetwork, uses ClusterFirst DNS and warns in the notes', () => {
      const ds = daemonSet(['-f', join(CHART_DIR, 'ci', 'no-hostnetwork-values.yaml')]);
      assert.equal(ds.spec.template.spec.hostNetwork, false);
      assert.equal(ds.spec.template.spec.dnsPolicy, 'ClusterFirst');
      const notes = helm(['install', 'x', CHART_DIR, '--dry-run=client', '--namespace', NAMESPACE, '--set', 'hostNetwork=false']);
      assert.equal(notes.code, 0, notes.stderr);
      assert.match(notes.stdout, /hostNetwork is false/);
    });
  });

  describe('optional objects', () => {
    const monitors = (): Obj[] => parseManifests(renderOk(['-f', join(CHART_DIR, 'ci', 'monitors-rules-values.yaml')]));

    it('renders nothing optional by default: a DaemonSet and a headless Service', () => {
      const kinds = parseManifests(renderOk()).map((o) => o.kind).sort();
      assert.deepEqual(kinds, ['DaemonSet', 'Service']);
      assert.equal(findObject(parseManifests(renderOk()), 'Service')?.spec.clusterIP, 'None');
    });

    it('ServiceMonitor and PodMonitor scrape the http port and set instance to the node name', () => {
      for (const kind of ['ServiceMonitor', 'PodMonitor']) {
        const m = findObject(monitors(), kind);
        assert.ok(m, `no ${kind}`);
        const ep = (m.spec.endpoints ?? m.spec.podMetricsEndpoints)[0] as Obj;
        assert.equal(ep.port, 'http');
        assert.equal(ep.path, '/metrics');
        assert.deepEqual(ep.relabelings, [{ sourceLabels: ['__meta_kubernetes_pod_node_name'], targetLabel: 'instance', action: 'replace' }]);
        assert.equal(m.metadata.labels.release, 'kube-prometheus-stack');
      }
    });

    it('a ServiceMonitor without the Service is refused', () => {
      const r = renderChart(['--set', 'serviceMonitor.enabled=true', '--set', 'service.enabled=false']);
      assert.notEqual(r.code, 0);
      assert.match(r.stderr, /serviceMonitor\.enabled needs service\.enabled/);
    });

    it('the PrometheusRule carries exactly the rules file (one source), plus additionalRuleLabels', () => {
      const rule = findObject(monitors(), 'PrometheusRule');
      assert.ok(rule);
      const file = parse(readFileSync(RULES_FILE, 'utf8')) as Obj;
      const withTeam = structuredClone(file.groups) as Obj[];
      for (const g of withTeam) for (const r of g.rules as Obj[]) r.labels = { ...r.labels, team: 'network' };
      assert.deepEqual(rule.spec.groups, withTeam);
      const plain = findObject(parseManifests(renderOk(['--set', 'prometheusRule.enabled=true'])), 'PrometheusRule');
      assert.deepEqual(plain?.spec.groups, file.groups);
    });

    it('one dashboard ConfigMap per dashboard file, byte for byte, labelled grafana_dashboard: "1"', () => {
      const cms = monitors().filter((o) => o.kind === 'ConfigMap');
      const files = ['fleet.json', 'network-interfaces.json'];
      assert.deepEqual(cms.map((c) => Object.keys(c.data)[0]).sort(), files);
      for (const cm of cms) {
        const [name, content] = Object.entries(cm.data as Record<string, string>)[0]!;
        assert.equal(content, readFileSync(join(DASHBOARD_DIR, name), 'utf8').replace(/\n$/, ''));
        assert.equal(cm.metadata.labels.grafana_dashboard, '1');
        assert.equal(cm.metadata.annotations.grafana_folder, 'Network');
      }
    });
  });

  describe('README.md', () => {
    it('has a values table in sync with values.yaml', () => {
      const readmePath = join(CHART_DIR, 'README.md');
      const readme = readFileSync(readmePath, 'utf8');
      const want = replaceTable(readme, valuesTable());
      if (UPDATE_GOLDEN && want !== readme) writeFileSync(readmePath, want);
      else assert.equal(readme, want, `the values table in ${readmePath} is stale: rerun with UPDATE_GOLDEN=1`);
      assert.ok(readme.includes(TABLE_BEGIN) && readme.includes(TABLE_END));
    });

    it('documents every value with a `# --` comment in values.yaml', () => {
      assert.deepEqual(valueRows().filter((r) => !r.description).map((r) => r.key), []);
    });

    it('the table check notices a value missing from the table', () => {
      const rows = valueRows();
      assert.notEqual(valuesTable(rows.slice(1)), valuesTable(rows));
      assert.ok(valuesTable(rows).includes('`hostNetwork` | boolean | `true`'));
    });
  });
});
