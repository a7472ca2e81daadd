import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { allPanels, loadDashboards, loadRules } from './lib/promql.js';
import { REPO_ROOT } from './lib/paths.js';

const doc = readFileSync(join(REPO_ROOT, 'docs', 'deploy.md'), 'utf8');

/** The text of a `## ` or `### ` section, up to the next heading of the same or a higher level. */
function section(title: string): string {
  const m = new RegExp(`^(#{2,3}) ${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`, 'm').exec(doc);
  assert.ok(m, `docs/deploy.md has no "${title}" section`);
  const rest = doc.slice(m.index + m[0].length);
  const end = new RegExp(`^#{2,${m[1]!.length}} `, 'm').exec(rest);
  return end ? rest.slice(0, end.index) : rest;
}

describe('deploy: docs/deploy.md', () => {
  it('has a section with commands for each way to run it', () => {
    const want: Record<string, RegExp> = {
      'npx and from a clone': /npx otel-netif[\s\S]*npm ci && npm start/,
      systemd: /install -m 0644 deploy\/systemd\/otel-netif\.service[\s\S]*systemctl enable --now otel-netif/,
      Docker: /docker build -t otel-netif \.[\s\S]*--network host[\s\S]*-v \/proc:\/host\/proc:ro -v \/sys:\/host\/sys:ro/,
      'docker compose: the full stack': /docker compose -f deploy\/compose\/docker-compose\.yml up -d/,
      'Kubernetes: Helm': /helm install otel-netif deploy\/helm\/otel-netif/,
    };
    for (const [title, re] of Object.entries(want)) assert.match(section(title), re, `section "${title}"`);
  });

  it('describes every panel of every dashboard, under that dashboard', () => {
    for (const { json } of loadDashboards()) {
      const text = section(String(json.title));
      for (const p of allPanels(json)) assert.ok(text.includes(`**${p.title}**`), `"${json.title}" section does not describe "${p.title}"`);
    }
  });

  it('lists every alert rule', () => {
    const text = section('Alert rules');
    for (const g of loadRules()) for (const r of g.rules) assert.ok(text.includes(`\`${r.alert}\``), `${r.alert} is not documented`);
  });

  it('names only files that exist', () => {
    for (const m of doc.matchAll(/`((?:deploy|docs|test|packages)\/[\w./-]+)`/g)) {
      const path = m[1]!.replace(/\/$/, '');
      assert.ok(existsSync(join(REPO_ROOT, path)), `${path} does not exist`);
    }
  });
});
