// parseFilter: the filter strings realtime-js sends, and the ones Supabase refuses.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseFilter, type Condition } from './filter.ts';

const cond = (column: string, op: Condition['op'], value: Condition['value'], negate = false): Condition => ({ column, op, negate, value });

describe('parseFilter', () => {
  const cases: Array<[string | undefined, Condition[]]> = [
    [undefined, []],
    ['', []],
    ['   ', []],
    ['id=eq.1', [cond('id', 'eq', '1')]],
    ['id=eq.a.b', [cond('id', 'eq', 'a.b')]],
    ['name=eq.', [cond('name', 'eq', '')]],
    ['name=eq.a b ', [cond('name', 'eq', 'a b ')]],
    ['id=neq.1', [cond('id', 'neq', '1')]],
    ['id=lt.1', [cond('id', 'lt', '1')]],
    ['id=lte.1', [cond('id', 'lte', '1')]],
    ['id=gt.1', [cond('id', 'gt', '1')]],
    ['id=gte.1', [cond('id', 'gte', '1')]],
    ['id=in.(1,2,3)', [cond('id', 'in', ['1', '2', '3'])]],
    ['name=in.(red, blue)', [cond('name', 'in', ['red', 'blue'])]],
    ['name=in.("a,b", "c\\"d",e)', [cond('name', 'in', ['a,b', 'c"d', 'e'])]],
    ['name=in.()', [cond('name', 'in', [])]],
    ['name=in.( )', [cond('name', 'in', [])]],
    ['id=gt.0,id=lt.100', [cond('id', 'gt', '0'), cond('id', 'lt', '100')]],
    ['id=gt.0, name=eq.x', [cond('id', 'gt', '0'), cond('name', 'eq', 'x')]],
    ['id=in.(1,2),name=eq."a,b"', [cond('id', 'in', ['1', '2']), cond('name', 'eq', 'a,b')]],
    ['name=eq."say \\"hi\\", \\\\ ok"', [cond('name', 'eq', 'say "hi", \\ ok')]],
    ['name=eq.f(a,b)', [cond('name', 'eq', 'f(a,b)')]],
    ['name=eq.:),id=eq.1', [cond('name', 'eq', ':)'), cond('id', 'eq', '1')]],
    ['id=not.eq.5', [cond('id', 'eq', '5', true)]],
    ['id=not.in.(1)', [cond('id', 'in', ['1'], true)]],
    ['name=like.a\\%%', [cond('name', 'like', 'a\\%%')]],
    ['name=ilike.*A*', [cond('name', 'ilike', '*A*')]],
    ['name=match.^a.c$', [cond('name', 'match', '^a.c$')]],
    ['name=imatch.x', [cond('name', 'imatch', 'x')]],
    ['ok=is.NULL', [cond('ok', 'is', 'null')]],
    ['ok=not.is.true', [cond('ok', 'is', 'true', true)]],
    ['ok=is.Unknown', [cond('ok', 'is', 'unknown')]],
    ['id=isdistinct.null', [cond('id', 'isdistinct', 'null')]],
    ['id=not.isdistinct.3', [cond('id', 'isdistinct', '3', true)]],
  ];
  for (const [input, expected] of cases) it(`parses ${JSON.stringify(input)}`, () => assert.deepEqual(parseFilter(input), { ok: true, value: expected }));

  it('allows 100 `in` values, not 101', () => {
    const list = (n: number) => `id=in.(${Array.from({ length: n }, (_, i) => i).join(',')})`;
    assert.equal(parseFilter(list(100)).ok, true);
    assert.deepEqual(parseFilter(list(101)), { ok: false, message: `Error parsing \`filter\` params: ["id", "in.(${Array.from({ length: 101 }, (_, i) => i).join(',')})"] (\`in\` takes at most 100 values)` });
  });

  const bad: Array<[string, string]> = [
    ['foo', '["foo"] (expected column=operator.value)'],
    ['=eq.1', '["=eq.1"] (expected column=operator.value)'],
    ['foo=hey', '["foo", "hey"] (unknown operator "hey")'],
    ['foo=eq', '["foo", "eq"] (expected operator.value)'],
    ['id=zz.1', '["id", "zz.1"] (unknown operator "zz")'],
    ['id=EQ.1', '["id", "EQ.1"] (unknown operator "EQ")'],
    ['id=not.5', '["id", "not.5"] (unknown operator "5")'],
    ['id=not.not.eq.5', '["id", "not.not.eq.5"] (unknown operator "not")'],
    ['id=in.1,2', '["id", "in.1"] (`in` filter value must be wrapped by parentheses)'],
    ['id=in.(1,,2)', '["id", "in.(1,,2)"] (malformed `in` element "")'],
    ['id=in.("a"b)', '["id", "in.(\\"a\\"b)"] (malformed `in` element "\\"a\\"b")'],
    ['ok=is.maybe', '["ok", "is.maybe"] (`is` takes null, true, false or unknown)'],
    ['name=eq."a"b', '["name", "eq.\\"a\\"b"] (malformed quoted value)'],
    ['name=eq."abc', '["name=eq.\\"abc"] (unclosed quote)'],
    ['id=eq.1,', '[""] (expected column=operator.value)'],
    ['id=eq.1,,id=eq.2', '[""] (expected column=operator.value)'],
    // Only (…) and "…" keep commas: braces do not, so arrays and JSON with commas need quotes.
    ['tags=eq.{a,b}', '["b}"] (expected column=operator.value)'],
    ['name=match.x{2,}', '["}"] (expected column=operator.value)'],
  ];
  for (const [input, message] of bad) {
    it(`refuses ${JSON.stringify(input)}`, () => assert.deepEqual(parseFilter(input), { ok: false, message: `Error parsing \`filter\` params: ${message}` }));
  }
});
