import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { PAGE_URL, loadPage } from '../../src/api/page.js';

const html = readFileSync(PAGE_URL, 'utf8');

describe('the live page file', () => {
  it('is what the server serves, from packages/cli/ui/index.html', () => {
    assert.match(PAGE_URL.pathname, /\/packages\/cli\/ui\/index\.html$/);
    assert.equal(loadPage().toString('utf8'), html);
  });

  it('is self-contained: no external scripts, styles, fonts or images', () => {
    assert.doesNotMatch(html, /<script[^>]*\ssrc=/i);
    assert.doesNotMatch(html, /<link[^>]*rel="?stylesheet/i);
    assert.doesNotMatch(html, /@import|@font-face/i);
    assert.doesNotMatch(html, /url\(\s*['"]?(https?:)?\/\//i);
    // Every src/href is same-origin or data: (the SVG namespace is an identifier, not a fetch).
    for (const m of html.matchAll(/\b(?:src|href)=["']([^"']*)["']/gi)) {
      assert.match(m[1] as string, /^(\/|data:|#)/, `external reference: ${m[0]}`);
    }
    for (const m of html.matchAll(/(?:fetch|EventSource)\(\s*['"]([^'"]+)/g)) assert.match(m[1] as string, /^\/api\/v1\//, m[0]);
  });

  it('uses the API paths the server mounts', () => {
    for (const path of ['/api/v1/events', '/api/v1/interfaces', '/api/v1/history?seconds=']) assert.ok(html.includes(path), path);
  });

  it('inserts interface names as text, never as markup', () => {
    assert.doesNotMatch(html, /innerHTML|outerHTML|insertAdjacentHTML|document\.write/);
  });
});
