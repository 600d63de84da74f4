import { it } from 'node:test';
import assert from 'node:assert/strict';
import { refusal, type SqlGuard } from './sql-guard.ts';

it('lets each session run only what keeps it who it is', async () => {
  const cases: Array<[string, SqlGuard, RegExp | undefined]> = [
    ['select * from notes', 'user', undefined],
    ['with mine as (select id from notes) select count(*) from mine', 'user', undefined],
    ["insert into notes (body) values ('hi') returning id", 'user', undefined],
    ["update notes set body = 'x' where id = 1; delete from notes where id = 2", 'user', undefined],
    ['values (1), (2)', 'user', undefined],
    ['set role service_role', 'user', /only SELECT, INSERT, UPDATE and DELETE .*VariableSet/],
    ['reset role', 'user', /VariableSet/],
    ['set session authorization postgres', 'user', /VariableSet/],
    ["select set_config('request.jwt.claims', '{\"sub\":\"x\"}', true)", 'user', /may not call set_config/],
    ["select * from notes where body = (select set_config('role', 'service_role', true))", 'user', /set_config/],
    ["select * from pg_catalog.set_config('role', 'postgres', true)", 'user', /set_config/],
    ["select query_to_xml('select 1', true, true, '')", 'user', /query_to_xml/],
    ['select * into stolen from notes', 'user', /SELECT INTO/],
    ['create table t (id int)', 'user', /not Create/],
    ["copy notes to program 'x'", 'user', /not Copy/],
    ['begin; select 1; commit', 'operator', /transaction control/],
    ['select 1; rollback', 'user', /transaction control/],
    ['create table t (id int); drop table t', 'operator', undefined],
    ['set transaction read write', 'operator-read-only', /read-only mode/],
    ['set session characteristics as transaction read write', 'operator-read-only', /read-only mode/],
    ['set default_transaction_read_only = off', 'operator-read-only', /read-only mode/],
    ["select set_config('statement_timeout', '1s', true)", 'operator-read-only', undefined],
  ];
  for (const [text, guard, expected] of cases) {
    const why = await refusal(text, guard);
    if (expected === undefined) assert.equal(why, undefined, text);
    else assert.match(why ?? '', expected, text);
  }
});

it('throws on a syntax error, with the parser message', async () => {
  await assert.rejects(refusal('selec 1', 'user'), /syntax error/);
});
