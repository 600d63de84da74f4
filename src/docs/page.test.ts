import { it } from 'node:test';
import assert from 'node:assert/strict';
import { asset } from './assets.ts';
import { DOCUMENTS, initScript, PAGE_CSP, pageHtml } from './page.ts';

const html = pageHtml('5.0.0');

it('names no outside URL: every script, style and icon is one of its own assets', () => {
  assert.doesNotMatch(html, /(https?:)?\/\/[a-z]/i);
  const named = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1] ?? '');
  assert.ok(named.length >= 8);
  for (const url of named) {
    if (DOCUMENTS.some((d) => d.url === url)) continue;
    const m = /^\/docs\/assets\/([^?]+)\?v=5\.0\.0$/.exec(url);
    assert.ok(m !== null && asset(m[1] as string) !== undefined, `${url} is not served`);
  }
});

it('has no inline script or style, which its policy would block', () => {
  assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/);
  assert.doesNotMatch(html, /<style|\sstyle=|\son[a-z]+=/i);
  assert.match(PAGE_CSP, /script-src 'self';/);
  assert.doesNotMatch(PAGE_CSP, /unsafe|https?:|\*/);
});

it('offers the three documents and turns off the public validator', () => {
  const script = initScript();
  for (const d of DOCUMENTS) assert.ok(script.includes(JSON.stringify(d.url)), d.url);
  assert.deepEqual(DOCUMENTS.map((d) => d.url), ['/openapi/rest.json', '/auth/v1/openapi.json', '/openapi/admin.json']);
  assert.match(script, /validatorUrl: null/);
});

it('serves only the files it names', async () => {
  for (const name of ['../package.json', 'index.html', 'oauth2-redirect.html', 'swagger-ui.js', '']) assert.equal(asset(name), undefined, name);
  const css = await asset('swagger-ui.css');
  assert.equal(css?.type, 'text/css; charset=utf-8');
  assert.ok((css?.body.length ?? 0) > 10_000);
});
