// The live page in real headless Chromium (Debian's, driven by playwright-core) against the real
// agent reading a namespace with known traffic. Root only (namespaces); skipped with the reason
// otherwise, or when Chromium is not installed.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import {
  REPO_ROOT,
  cleanupNamespaces,
  createNamespace,
  createVethPair,
  namespaceRoot,
  requireCli,
  requireRoot,
  sendUdp,
  sleep,
  startAgent,
  startUdpSink,
  type Agent,
  type Namespace,
  type NamespaceRoot,
  type VethPair,
} from '../../../../test-support/index.js';
import { CHROMIUM, CHROMIUM_ARGS, requireChromium } from './chromium.js';

const ARTIFACTS = join(REPO_ROOT, 'test-results');

async function raw(page: Page, iface: string, field: string): Promise<number> {
  const v = await page.getAttribute(`[data-iface="${iface}"] [data-field="${field}"]`, 'data-raw');
  return v === null || v === '' ? Number.NaN : Number(v);
}

async function until(what: string, cond: () => Promise<boolean>, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`${what}: not within ${ms} ms`);
    await sleep(100);
  }
}

describe('the live page in headless Chromium @root', function () {
  this.timeout(180_000);
  let nsA: Namespace;
  let ab: VethPair;
  let ac: VethPair;
  let root: NamespaceRoot;
  let agent: Agent;
  let browser: Browser;
  const problems: string[] = [];

  before(async function () {
    requireRoot(this);
    requireCli(this);
    requireChromium(this);
    nsA = await createNamespace('uiA');
    const nsB = await createNamespace('uiB');
    const nsC = await createNamespace('uiC');
    ab = await createVethPair(nsA, nsB, { nameA: 'vuia', nameB: 'vuib' });
    ac = await createVethPair(nsA, nsC, { nameA: 'vuic', nameB: 'vuid', ipA: '198.51.100.1', ipB: '198.51.100.2' });
    await startUdpSink(nsB, ab.b.ip, 40200);
    await startUdpSink(nsC, ac.b.ip, 40201);
    // The agent reads nsA through a root path but listens on the host, where the browser is.
    root = await namespaceRoot(nsA);
    agent = await startAgent({ args: ['run', '--interval', '500ms', '--root-path', root.path] });
    const page = await agent.get('/');
    if (page.status !== 200) throw new Error(`the agent does not serve the page (GET / → ${page.status}): liveViewsEntry in commands/exporters.ts?`);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  });

  after(async () => {
    await browser?.close();
    if (agent?.running()) await agent.stop().catch(() => undefined);
    await cleanupNamespaces();
  });

  it('loads with no console errors and shows exactly the namespace’s interfaces', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, colorScheme: 'light' });
    const origin = agent.url;
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
    page.on('request', (r) => {
      if (!r.url().startsWith(origin) && !r.url().startsWith('data:')) problems.push(`external request: ${r.url()}`);
    });
    await page.goto(`${origin}/`);
    await page.waitForSelector('[data-iface="vuic"] [data-field="tx-rate"][data-raw]');
    const names = await page.$$eval('#cards [data-iface]', (els) => els.map((e) => e.getAttribute('data-iface')));
    assert.deepEqual(names.sort(), ['lo', 'vuia', 'vuic']);
    assert.equal(await page.getAttribute('body', 'data-transport'), 'live');
    assert.match((await page.textContent('#host')) ?? '', / · every 500 ms$/);

    // Traffic: about 1 MB/s out of vuia and 250 KB/s out of vuic for 6 s.
    const seqBefore = Number(await page.getAttribute('body', 'data-seq'));
    assert.equal(await raw(page, 'vuia', 'tx-rate'), 0);
    const sending = Promise.all([
      sendUdp({ from: nsA, to: ab.b.ip, port: 40200, count: 6000, payloadBytes: 958, durationMs: 6000 }),
      sendUdp({ from: nsA, to: ac.b.ip, port: 40201, count: 1500, payloadBytes: 958, durationMs: 6000 }),
    ]);
    await until('vuia and vuic transmit rates', async () => (await raw(page, 'vuia', 'tx-rate')) > 500_000 && (await raw(page, 'vuic', 'tx-rate')) > 100_000);
    const seen = new Set<number>();
    for (let i = 0; i < 6; i++) {
      seen.add(await raw(page, 'vuia', 'tx-rate'));
      await sleep(500);
    }
    // The numbers move: new samples keep arriving and the value changes between them.
    assert.ok(seen.size >= 2, `vuia tx stuck at ${[...seen].join(', ')}`);
    assert.ok(Number(await page.getAttribute('body', 'data-seq')) > seqBefore + 5);
    assert.match((await page.textContent('[data-iface="vuia"] [data-field="tx-rate"]')) ?? '', /^[\d.]+ [KM]B\/s$/);
    assert.equal(await raw(page, 'vuia', 'rx-rate'), 0);
    assert.match((await page.textContent('#sum-tx')) ?? '', /^[\d.]+ [KM]B\/s$/);
    // The two busy veths lead the rings, busiest first.
    const rings = await page.$$eval('#rings [data-iface]', (els) => els.map((e) => e.getAttribute('data-iface')));
    assert.deepEqual(rings.slice(0, 2), ['vuia', 'vuic']);
    await sleep(2500);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'ui.png'), fullPage: true });

    // Units and theme switch in place.
    await page.click('#units');
    assert.match((await page.textContent('[data-iface="vuia"] [data-field="tx-rate"]')) ?? '', /bit\/s$/);
    await page.click('#units');
    await page.click('#theme');
    assert.equal(await page.getAttribute('html', 'data-theme'), 'light');
    await page.click('#theme');
    assert.equal(await page.getAttribute('html', 'data-theme'), 'dark');
    await page.screenshot({ path: join(ARTIFACTS, 'ui-dark.png'), fullPage: true });
    await sending;
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('keeps updating by polling when the event stream is refused', async () => {
    const page = await browser.newPage();
    await page.route('**/api/v1/events', (r) => r.fulfill({ status: 404, body: 'no' }));
    await page.goto(`${agent.url}/`);
    await until('polling', async () => (await page.getAttribute('body', 'data-transport')) === 'polling');
    const first = Number(await page.getAttribute('body', 'data-updates'));
    await until('updates by polling', async () => Number(await page.getAttribute('body', 'data-updates')) >= first + 3);
    const names = await page.$$eval('#cards [data-iface]', (els) => els.map((e) => e.getAttribute('data-iface')));
    assert.deepEqual(names.sort(), ['lo', 'vuia', 'vuic']);
    await page.close();
  });

  it('drops the card of an interface that goes away', async () => {
    const page = await browser.newPage();
    await page.goto(`${agent.url}/`);
    await page.waitForSelector('[data-iface="vuic"]');
    const { ip } = await import('../../../../test-support/index.js');
    await ip(['-n', nsA.name, 'link', 'del', 'vuic']);
    await page.waitForSelector('#cards [data-iface="vuic"]', { state: 'detached', timeout: 10_000 });
    assert.deepEqual((await page.$$eval('#cards [data-iface]', (els) => els.map((e) => e.getAttribute('data-iface')))).sort(), ['lo', 'vuia']);
    await page.close();
  });
});
