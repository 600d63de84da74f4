import { it } from 'node:test';
import assert from 'node:assert/strict';
import { httpStatusForSqlstate } from './sqlstate-http.ts';

const anon = { message: 'x', authenticated: false };
const user = { message: 'x', authenticated: true };
const cases: Array<[string, { message: string; authenticated: boolean }, number]> = [
  ['08006', anon, 503],
  ['09000', anon, 500],
  ['0P000', anon, 403],
  ['23503', anon, 409],
  ['23505', anon, 409],
  ['23502', anon, 400],
  ['23514', anon, 400],
  ['25006', anon, 405],
  ['21000', { message: 'DELETE requires a WHERE clause', authenticated: false }, 400],
  ['21000', anon, 500],
  ['22023', { message: 'role "ghost" does not exist', authenticated: false }, 401],
  ['22023', anon, 400],
  ['22P02', anon, 400],
  // NUL in a text value (22021) or in a JSON string bound for text/jsonb (22P05): input, not a fault.
  ['22021', anon, 400],
  ['22P05', anon, 400],
  ['25001', anon, 500],
  ['28000', anon, 403],
  ['40001', anon, 500],
  ['53400', anon, 500],
  ['53100', anon, 503],
  ['57P01', anon, 503],
  ['57014', anon, 500],
  ['P0001', anon, 400],
  ['P0004', anon, 500],
  ['XX000', anon, 500],
  ['42883', anon, 404],
  ['42883', { message: 'function xmlagg(integer) does not exist', authenticated: false }, 406],
  ['42P01', anon, 404],
  ['42P17', anon, 500],
  ['42501', anon, 401],
  ['42501', user, 403],
  ['42703', anon, 400],
  ['PT402', anon, 402],
  ['PTabc', anon, 500],
];
for (const [code, ctx, status] of cases) {
  it(`${code} (${ctx.authenticated ? 'authenticated' : 'anonymous'}${ctx.message === 'x' ? '' : `, "${ctx.message}"`}) → ${status}`, () => {
    assert.equal(httpStatusForSqlstate(code, ctx), status);
  });
}
