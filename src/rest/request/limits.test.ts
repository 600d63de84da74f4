// The REST limits on input (README "Limits"): past each one a request is refused with a
// 400 and a code before any recursion could overflow the stack or PostgreSQL could fail.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../../errors/api-error.ts';
import { cinema, request, restConfig } from '../../../test/support/cinema.ts';
import { planRequest } from '../plan/plan.ts';
import { parseApiRequest } from './api-request.ts';
import { REST_LIMITS } from './limits.ts';

const refused = (run: () => unknown, status: number, code: string, message: RegExp) =>
  assert.throws(run, (e: unknown) => {
    assert.ok(e instanceof ApiError, `not an ApiError: ${String(e)}`);
    assert.equal(e.status, status);
    assert.equal(e.body.code, code);
    assert.match(e.body.message, message);
    return true;
  });
const plan = (method: string, url: string, body?: unknown) => planRequest(request(method, url, body), cinema, restConfig);
const post = (path: string, text: string) =>
  planRequest(parseApiRequest({ method: 'POST', path, query: '', headers: { 'content-type': 'application/json' }, body: Buffer.from(text) }, restConfig), cinema, restConfig);

const orTree = (depth: number) => `(${'or('.repeat(depth - 1)}id.eq.1${')'.repeat(depth - 1)})`;
const notAndTree = (depth: number) => `(${'not.and('.repeat(depth - 1)}id.eq.1${')'.repeat(depth - 1)})`;
const embeds = (depth: number) => `${'employees!manager_id('.repeat(depth)}id${')'.repeat(depth)}`;
const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

describe('logic trees', () => {
  it(`accept ${REST_LIMITS.logicDepth} levels`, () => {
    plan('GET', `/films?or=${orTree(REST_LIMITS.logicDepth)}`);
    plan('GET', `/films?and=${notAndTree(REST_LIMITS.logicDepth)}`);
  });
  it('refuse one more with PGRST100, as a parse error, at any depth beyond', () => {
    for (const depth of [REST_LIMITS.logicDepth + 1, 2500, 50_000]) {
      refused(() => plan('GET', `/films?or=${orTree(depth)}`), 400, 'PGRST100', /^Logic trees can nest at most 100 levels/);
      refused(() => plan('GET', `/films?not.and=${notAndTree(depth)}`), 400, 'PGRST100', /^Logic trees can nest at most 100 levels/);
    }
  });
  it('count the levels of an embedded level too', () => {
    refused(() => plan('GET', `/directors?select=films(id)&films.or=${orTree(REST_LIMITS.logicDepth + 1)}`), 400, 'PGRST100', /^Logic trees/);
  });
});

describe('embedded resources', () => {
  it(`nest ${REST_LIMITS.embedDepth} levels`, () => {
    plan('GET', `/employees?select=${embeds(REST_LIMITS.embedDepth)}`);
  });
  it('refuse one more, and spreads count as levels', () => {
    refused(() => plan('GET', `/employees?select=${embeds(REST_LIMITS.embedDepth + 1)}`), 400, 'PGRST100', /^Embedded resources can nest at most 100 levels/);
    refused(() => plan('GET', `/employees?select=${embeds(5000)}`), 400, 'PGRST100', /^Embedded resources/);
    const spreads = `id,${'...employees!manager_id('.repeat(REST_LIMITS.embedDepth + 1)}id${')'.repeat(REST_LIMITS.embedDepth + 1)}`;
    refused(() => plan('GET', `/employees?select=${spreads}`), 400, 'PGRST100', /^Embedded resources/);
  });
});

describe('JSON paths', () => {
  const path = (steps: number) => `meta${'->a'.repeat(steps - 1)}->>a`;
  it(`take ${REST_LIMITS.jsonPathSteps} steps in select, filters and order`, () => {
    plan('GET', `/films?select=${path(REST_LIMITS.jsonPathSteps)}`);
    plan('GET', `/films?${path(REST_LIMITS.jsonPathSteps)}=eq.1`);
    plan('GET', `/films?order=${path(REST_LIMITS.jsonPathSteps)}`);
  });
  it('refuse more', () => {
    const long = path(REST_LIMITS.jsonPathSteps + 1);
    for (const url of [`/films?select=${long}`, `/films?${long}=eq.1`, `/films?order=${long}`, `/films?or=(${long}.eq.1)`, `/films?select=${path(2000)}`]) {
      refused(() => plan('GET', url), 400, 'PGRST100', /^A JSON path can have at most 100 steps/);
    }
  });
});

describe('columns of one select', () => {
  const list = (n: number) => Array.from({ length: n }, () => 'id').join(',');
  it('accept PostgreSQL’s 1664 target entries', () => {
    plan('GET', `/films?select=${list(1664)}`);
  });
  it('refuse more, counting what * and embeds add', () => {
    refused(() => plan('GET', `/films?select=${list(1665)}`), 400, 'PGRST100', /^A select can return at most 1664 columns per level; this one asks for 1665/);
    // films has 12 columns: 139 stars are 1668.
    refused(() => plan('GET', `/films?select=${Array.from({ length: 139 }, () => '*').join(',')}`), 400, 'PGRST100', /asks for 1668/);
    refused(() => plan('GET', `/films?select=${list(1664)},directors(id)`), 400, 'PGRST100', /asks for 1665/);
    refused(() => plan('GET', `/directors?select=id,films(${list(1665)})`), 400, 'PGRST100', /asks for 1665/);
  });
  it('apply to the representation of a write', () => {
    refused(() => plan('POST', `/kv?select=${list(1665)}`, { k: 'a' }), 400, 'PGRST100', /asks for 1665/);
  });
});

describe('NUL characters in names', () => {
  const nul = '%00';
  for (const url of [
    `/films?select="ti${nul}tle"`,
    `/films?select="a${nul}lias":id`,
    `/films?select=meta->ke${nul}y`,
    `/films?select=meta->"ke${nul}y"`,
    `/films?select=directors!"hi${nul}nt"(id)`,
    `/films?"ti${nul}tle"=eq.1`,
    `/films?meta->>k${nul}=eq.1`,
    `/films?order="ti${nul}tle"`,
    `/films?order=meta->"k${nul}"`,
    `/films?or=("ti${nul}tle".eq.1)`,
    `/films?columns="k${nul}"`,
  ]) {
    it(`refuses ${url} as a parse error`, () => {
      refused(() => plan('GET', url), 400, 'PGRST100', /^"failed to parse/);
    });
  }
  it('leaves values to PostgreSQL (22021, a 400), as PostgREST does', () => {
    plan('GET', `/films?title=eq.a${nul}b`);
    plan('GET', `/films?or=(title.eq."a${nul}b")`);
  });
});

describe('JSON bodies', () => {
  it(`accept ${REST_LIMITS.jsonDepth} levels of nesting`, () => {
    // The row object is the first level.
    post('/films', `{"id":1,"title":"x","meta":${nested(REST_LIMITS.jsonDepth - 1)}}`);
    post('/films', `[{"id":1,"title":"x","meta":${nested(REST_LIMITS.jsonDepth - 2)}}]`);
  });
  it('refuse deeper ones with PGRST102, however deep', () => {
    for (const depth of [REST_LIMITS.jsonDepth, 5000, 200_000]) {
      refused(() => post('/films', `{"id":1,"title":"x","meta":${nested(depth)}}`), 400, 'PGRST102', /^JSON nested deeper than 512 levels/);
    }
    refused(() => post('/rpc/echo', nested(5000)), 400, 'PGRST102', /^JSON nested deeper than 512 levels/);
  });
});
