import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../../errors/api-error.ts';
import type { RestConfig } from '../config.ts';
import { parseApiRequest, queryParams, type RawRestRequest } from './api-request.ts';

const config: RestConfig = {
  schemas: ['public', 'personal'],
  extraSearchPath: ['public', 'extensions'],
  maxRows: 1000,
  aggregatesEnabled: false,
  planEnabled: false,
  txEnd: 'commit',
  preRequest: undefined,
  anonRole: 'anon',
};
const req = (over: Partial<RawRestRequest>) => parseApiRequest({ method: 'GET', path: '/posts', query: '', headers: {}, body: undefined, ...over }, config);
const fails = (over: Partial<RawRestRequest>, status: number, code: string, message?: RegExp) =>
  assert.throws(
    () => req(over),
    (e: unknown) => e instanceof ApiError && e.status === status && e.body.code === code && (message === undefined || message.test(e.body.message)),
  );

describe('parseApiRequest', () => {
  it('decodes the query string like a form, ignoring keys without =', () => {
    assert.deepEqual(queryParams('a=1&b&c=&d=x+y%2Bz&e=%22q%22'), [['a', '1'], ['c', ''], ['d', 'x y+z'], ['e', '"q"']]);
  });

  it('routes paths', () => {
    assert.deepEqual(req({ path: '/' }).target, { kind: 'root' });
    assert.deepEqual(req({ path: '/my%20table' }).target, { kind: 'relation', name: 'my table' });
    assert.deepEqual(req({ path: '/rpc/fn' }).target, { kind: 'routine', name: 'fn' });
    assert.deepEqual(req({ path: '/rpc' }).target, { kind: 'relation', name: 'rpc' });
    fails({ path: '/a/b' }, 404, 'PGRST125');
    fails({ path: '/posts/' }, 404, 'PGRST125');
    fails({ method: 'PUT', path: '/rpc/fn' }, 405, 'PGRST101', /^Cannot use the PUT method on RPC$/);
    fails({ method: 'TRACE' }, 405, 'PGRST117', /^Unsupported HTTP method: TRACE$/);
  });

  it('selects the schema from the profile headers', () => {
    assert.equal(req({}).schema, 'public');
    assert.equal(req({}).negotiatedSchema, true, 'two schemas exposed');
    assert.equal(req({ headers: { 'accept-profile': 'personal' } }).schema, 'personal');
    assert.equal(req({ method: 'DELETE', headers: { 'content-profile': 'personal', 'accept-profile': 'nope' } }).schema, 'personal');
    fails({ headers: { 'accept-profile': 'secret' } }, 406, 'PGRST106', /^Invalid schema: secret$/);
  });

  it('classifies parameters: select, filters, embedded filters, logic, order, limits', () => {
    const r = req({ query: 'select=id,author:profiles(id)&id=eq.1&profiles.username=like.a*&or=(a.eq.1,b.eq.2)&profiles.not.and=(x.eq.1)&order=id.desc&order=ignored&profiles.order=id&limit=5&limit=10&offset=2&profiles.limit=3&x' });
    assert.equal(r.select.length, 2);
    assert.deepEqual(r.filters.map((f) => [f.path, f.filter.field.name]), [[[], 'id'], [['profiles'], 'username']]);
    assert.deepEqual(r.logic.map((l) => [l.path, l.tree.op, l.tree.negated]), [[[], 'or', false], [['profiles'], 'and', true]]);
    assert.deepEqual(r.order.map((o) => [o.path, o.terms[0]?.field.name, o.terms[0]?.direction]), [[[], 'id', 'desc'], [['profiles'], 'id', undefined]]);
    assert.deepEqual(r.range, { offset: 2, limit: 10 });
    assert.deepEqual(r.ranges.find((x) => x.path.length === 1), { path: ['profiles'], limit: 3, offset: undefined });
  });

  it('reports parse errors as PGRST100 with PostgREST’s message', () => {
    fails({ query: 'select=id,' }, 400, 'PGRST100', /^"failed to parse select parameter \(id,\)" \(line 1, column 4\)$/);
    fails({ query: 'id=five' }, 400, 'PGRST100', /^"failed to parse filter \(five\)" \(line 1, column 1\)$/);
    fails({ query: 'id=' }, 400, 'PGRST100', /failed to parse filter \(\)/);
    fails({ query: 'or=(a.eq.1' }, 400, 'PGRST100', /failed to parse logic tree/);
  });

  it('passes RPC GET arguments apart from filters', () => {
    const r = req({ path: '/rpc/fn', query: 'a=1&b=x.y&c=eq.3&v=1&v=2' });
    assert.deepEqual(r.rpcArgs, [['a', '1'], ['b', 'x.y'], ['v', '1'], ['v', '2']]);
    assert.deepEqual(r.filters.map((f) => f.filter.field.name), ['c']);
    fails({ path: '/rpc/fn', query: 'a=in.5' }, 400, 'PGRST100');
  });

  it('intersects limit/offset with the Range header (GET only)', () => {
    assert.deepEqual(req({ headers: { range: '0-9' } }).range, { offset: 0, limit: 10 });
    assert.deepEqual(req({ query: 'limit=5', headers: { range: '2-' } }).range, { offset: 2, limit: 3 });
    assert.deepEqual(req({ query: 'limit=10&offset=-5' }).range, { offset: 0, limit: 5 });
    assert.deepEqual(req({ method: 'HEAD', headers: { range: '0-1' } }).range, { offset: 0, limit: undefined });
    assert.deepEqual(req({ query: 'limit=abc' }).range, { offset: 0, limit: undefined });
    fails({ query: 'limit=-1' }, 416, 'PGRST103');
    fails({ headers: { range: '5-2' } }, 416, 'PGRST103');
    fails({ method: 'PUT', query: 'id=eq.1&limit=1', body: Buffer.from('{}') }, 400, 'PGRST114');
  });

  it('reads bodies: JSON objects and arrays, CSV, forms', () => {
    const one = req({ method: 'POST', body: Buffer.from('{"a":1,"b":"x"}') }).payload;
    assert.deepEqual(one, { kind: 'rows', rows: [{ a: 1, b: 'x' }], keys: ['a', 'b'] });
    const csv = req({ method: 'POST', headers: { 'content-type': 'text/csv' }, body: Buffer.from('a,b\n1,"x,y"\n2,NULL\n') }).payload;
    assert.deepEqual(csv, { kind: 'rows', rows: [{ a: '1', b: 'x,y' }, { a: '2', b: null }], keys: ['a', 'b'] });
    const form = req({ method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: Buffer.from('a=1&b=two+words') }).payload;
    assert.deepEqual(form, { kind: 'rows', rows: [{ a: '1', b: 'two words' }], keys: ['a', 'b'] });
    assert.deepEqual(req({ method: 'POST', path: '/rpc/fn', body: Buffer.from('') }).payload, { kind: 'args', value: {} });
  });

  it('refuses bad bodies with PGRST102', () => {
    fails({ method: 'POST', body: Buffer.from('{"a":') }, 400, 'PGRST102', /^Empty or invalid json$/);
    fails({ method: 'POST', body: Buffer.from('') }, 400, 'PGRST102', /^Empty or invalid json$/);
    fails({ method: 'POST', body: Buffer.from('[{"a":1},{"b":2}]') }, 400, 'PGRST102', /^All object keys must match$/);
    fails({ method: 'POST', body: Buffer.from('[1,2]') }, 400, 'PGRST102', /^All object keys must match$/);
    fails({ method: 'POST', headers: { 'content-type': 'text/plain' }, body: Buffer.from('x') }, 400, 'PGRST102', /^Content-Type not acceptable: text\/plain$/);
    assert.equal(req({ method: 'POST', query: 'columns=a,b', body: Buffer.from('[{"a":1},{"b":2}]') }).payload?.kind, 'rows', 'columns= skips the key check');
  });

  it('refuses invalid preferences only with handling=strict', () => {
    assert.deepEqual(req({ headers: { prefer: 'nonsense' } }).prefer.invalid, ['nonsense']);
    fails({ headers: { prefer: 'handling=strict, nonsense' } }, 400, 'PGRST122');
  });
});
