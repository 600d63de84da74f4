// Content-Location echoes the query; past a bound it is left out, so a long query (an
// `in` list of thousands of ids) never makes response headers clients cannot read.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { request, cinema, restConfig } from '../../../test/support/cinema.ts';
import { CONTENT_LOCATION_MAX, contentLocation } from './plan.ts';
import { planRequest } from './plan.ts';

const renderOf = (url: string) => {
  const plan = planRequest(request('GET', url), cinema, restConfig);
  assert.equal(plan.kind, 'statement');
  return plan.kind === 'statement' ? plan.render : undefined;
};

it('names the path and the parameters sorted by key', () => {
  assert.equal(contentLocation('films', [['title', 'eq.A b'], ['id', 'gt.1']]), '/films?id=gt.1&title=eq.A+b');
  assert.equal(renderOf('/films?select=id,title&id=in.(1,2)')?.contentLocation, '/films?id=in.%281%2C2%29&select=id%2Ctitle');
});

it('is left out when it would pass the bound', () => {
  const ids = Array.from({ length: 2000 }, (_, i) => i + 1).join(',');
  assert.ok(ids.length < CONTENT_LOCATION_MAX * 3);
  assert.equal(renderOf(`/films?select=id&id=in.(${ids})`)?.contentLocation, undefined);
  const fits = 'a'.repeat(CONTENT_LOCATION_MAX - '/films?t='.length);
  assert.equal(contentLocation('films', [['t', fits]])?.length, CONTENT_LOCATION_MAX);
  assert.equal(contentLocation('films', [['t', `${fits}a`]]), undefined);
});
