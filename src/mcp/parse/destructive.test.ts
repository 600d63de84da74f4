import { it } from 'node:test';
import assert from 'node:assert/strict';
import { destructiveReason, destructiveStatements } from './destructive.ts';

it('finds the statements that lose data, and only those', () => {
  const cases: Array<[string, boolean]> = [
    ['drop table posts', true],
    ['DROP SCHEMA app CASCADE', true],
    ['truncate posts', true],
    ['alter table posts drop column body', true],
    ['alter table posts add column body text', false],
    ['delete from posts', true],
    ['delete from posts where id = 1', false],
    ['DELETE FROM posts WHERE id IN (select id from old)', false],
    ['delete from posts using (select id from old where x) o', true],
    ['update posts set title = upper(title)', true],
    ['update posts set title = (select t from x where x.id = posts.id)', true],
    ['update posts set title = $$where$$', true],
    ["update posts set title = 'where'", true],
    ['update posts set title = 1 -- where\n', true],
    ['update posts set title = 1 where id = 2', false],
    ['select * from posts', false],
    ['insert into posts (title) values ($1)', false],
    ['create table t (id int)', false],
    ['create function f() returns void language plpgsql as $fn$ begin drop table x; end $fn$', false],
  ];
  for (const [text, destructive] of cases) assert.equal(destructiveReason(text) !== undefined, destructive, text);
});

it('lists each destructive statement of a script with its reason', () => {
  const found = destructiveStatements('create table a (id int);\ndrop table b;\ndelete from c;\nselect 1;');
  assert.deepEqual(found, [
    { text: 'drop table b', reason: 'DROP TABLE drops an object and its data' },
    { text: 'delete from c', reason: 'DELETE without WHERE changes every row' },
  ]);
});
