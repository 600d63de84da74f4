// typeConditions and matches: filters typed against columns, then evaluated on rows.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { matches, parseFilter, typeConditions, type Condition } from './filter.ts';

const cond = (column: string, op: Condition['op'], value: Condition['value'], negate = false): Condition => ({ column, op, negate, value });

const COLUMNS = new Map([
  ['id', 'int8'],
  ['n', 'int4'],
  ['small', 'int2'],
  ['o', 'oid'],
  ['f', 'float8'],
  ['price', 'numeric'],
  ['name', 'text'],
  ['title', 'varchar'],
  ['code', 'bpchar'],
  ['email', 'citext'],
  ['ok', 'bool'],
  ['uid', 'uuid'],
  ['at', 'timestamptz'],
  ['ts', 'timestamp'],
  ['d', 'date'],
  ['t', 'time'],
  ['tt', 'timetz'],
  ['data', 'jsonb'],
  ['j', 'json'],
  ['tags', '_text'],
  ['nums', '_int4'],
  ['mood', 'mood'],
]);

/** The typed conditions of a filter that must parse and type. */
function typed(filter: string) {
  const parsed = parseFilter(filter);
  assert.ok(parsed.ok, `parse ${filter}: ${parsed.ok ? '' : parsed.message}`);
  const result = typeConditions(parsed.value, COLUMNS);
  assert.ok(result.ok, `type ${filter}: ${result.ok ? '' : result.message}`);
  return result.value;
}

describe('typeConditions', () => {
  const bad: Array<[string, string]> = [
    ['nope=eq.1', 'column "nope" does not exist'],
    ['id=eq.abc', 'invalid input for type int8: "abc" (column id)'],
    ['id=eq.1.5', 'invalid input for type int8: "1.5" (column id)'],
    ['id=eq.', 'invalid input for type int8: "" (column id)'],
    ['id=eq.0x10', 'invalid input for type int8: "0x10" (column id)'],
    ['id=eq.9223372036854775808', 'invalid input for type int8: "9223372036854775808" (column id)'],
    ['small=eq.40000', 'invalid input for type int2: "40000" (column small)'],
    ['n=in.(1,x)', 'invalid input for type int4: "x" (column n)'],
    ['o=eq.-1', 'invalid input for type oid: "-1" (column o)'],
    ['f=gt.1e', 'invalid input for type float8: "1e" (column f)'],
    ['ok=eq.maybe', 'invalid input for type bool: "maybe" (column ok)'],
    ['uid=eq.123', 'invalid input for type uuid: "123" (column uid)'],
    ['at=gt.yesterday', 'invalid input for type timestamptz: "yesterday" (column at)'],
    ['at=gt.2025-02-30', 'invalid input for type timestamptz: "2025-02-30" (column at)'],
    ['at=gt.2025-01-01T25:00:00Z', 'invalid input for type timestamptz: "2025-01-01T25:00:00Z" (column at)'],
    ['d=eq.2025-13-01', 'invalid input for type date: "2025-13-01" (column d)'],
    ['t=eq.10:61', 'invalid input for type time: "10:61" (column t)'],
    ['data=eq.{x}', 'invalid input for type jsonb: "{x}" (column data)'],
    ['nums=eq."{1,x}"', 'invalid input for type _int4: "{1,x}" (column nums)'],
    ['nums=eq.1', 'invalid input for type _int4: "1" (column nums)'],
    ['data=lt.1', 'operator lt does not exist for type jsonb (column data)'],
    ['j=gte.1', 'operator gte does not exist for type json (column j)'],
    ['tags=gt.{a}', 'operator gt does not exist for type _text (column tags)'],
    ['data=like.%a%', 'operator like does not exist for type jsonb (column data)'],
    ['tags=match.a', 'operator match does not exist for type _text (column tags)'],
    ['id=like.1%', 'operator like does not exist for type int8 (column id)'],
    ['uid=ilike.a%', 'operator ilike does not exist for type uuid (column uid)'],
    ['mood=like.h%', 'operator like does not exist for type mood (column mood)'],
    ['name=like.abc\\', 'LIKE pattern must not end with escape character: "abc\\\\" (column name)'],
    ['name=match.(a', 'invalid regular expression: "(a" (column name)'],
    ['name=imatch.[', 'invalid regular expression: "[" (column name)'],
    ['id=is.true', 'argument of IS TRUE must be type bool, not type int8 (column id)'],
    ['name=not.is.false', 'argument of IS FALSE must be type bool, not type text (column name)'],
    ['data=is.unknown', 'argument of IS UNKNOWN must be type bool, not type jsonb (column data)'],
    ['id=isdistinct.x', 'invalid input for type int8: "x" (column id)'],
    ['id=gt.0,id=lt.x', 'invalid input for type int8: "x" (column id)'],
  ];
  for (const [filter, message] of bad) {
    it(`refuses ${JSON.stringify(filter)}`, () => {
      const parsed = parseFilter(filter);
      assert.ok(parsed.ok, filter); // a message spares node:assert reading this file to make one
      assert.deepEqual(typeConditions(parsed.value, COLUMNS), { ok: false, message });
    });
  }

  it('refuses a list for a single-value operator and a bad `is` built by hand', () => {
    assert.deepEqual(typeConditions([cond('id', 'eq', ['1'])], COLUMNS), { ok: false, message: 'eq takes one value, not a list (column id)' });
    assert.deepEqual(typeConditions([cond('ok', 'is', 'maybe')], COLUMNS), { ok: false, message: 'is takes null, true, false or unknown, not "maybe" (column ok)' });
  });

  it('keeps column, operator and negation, and converts values up front', () => {
    const [c] = typed('id=not.in.(1, 2)');
    assert.equal(c?.column, 'id');
    assert.equal(c?.op, 'in');
    assert.equal(c?.negate, true);
    assert.equal(c?.type, 'int8');
    assert.deepEqual(c?.test, { kind: 'in', values: new Set([1, 2]) });
    assert.deepEqual(typed('at=gt.1970-01-01T00:00:01.5+00')[0]?.test, { kind: 'compare', op: 'gt', value: 1_500_000 });
    assert.deepEqual(typed('id=isdistinct.NULL')[0]?.test, { kind: 'distinct', value: null });
  });

  it('accepts what Postgres casts: spaces around numbers, float specials, bool words, uuid forms', () => {
    for (const filter of ['id=eq. 42 ', 'id=eq.-9223372036854775808', 'f=eq.NaN', 'f=gt.-Infinity', 'price=eq.1.50', 'f=eq.1e3', 'f=eq..5', 'ok=eq.T', 'ok=eq.yes', 'ok=eq.0',
      'uid=eq.{A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11}', 'uid=eq.a0eebc999c0b4ef8bb6d6bb9bd380a11', 'at=lt.infinity', 'd=gt.-infinity', 'ts=eq.2025-01-01 10:00', 'mood=eq.whatever',
      'tags=eq.{}', 'nums=eq."{{1,2},{3,4}}"', 'tags=eq."{\\"a,b\\",NULL, c }"', 'data=eq.null', 't=eq.24:00:00', 'tt=eq.10:00:00+05:30', 'name=match.\\-'])
      typed(filter);
  });
});

describe('matches', () => {
  it('keeps LIKE linear-ish: many `%` against a long non-matching text', () => {
    const started = performance.now();
    assert.equal(matches(typed(`name=like.${'%a'.repeat(20)}%b`), { name: 'a'.repeat(5000) }), false);
    assert.ok(performance.now() - started < 1000);
  });
  it('keeps timestamp parsing linear on long runs of blanks', () => {
    const started = performance.now();
    const result = typeConditions([cond('at', 'eq', `2025-01-01${' '.repeat(50_000)}x`)], COLUMNS);
    assert.equal(result.ok, false);
    assert.ok(performance.now() - started < 1000);
  });

  const cases: Array<[string, Record<string, unknown>, boolean]> = [
    // No conditions: everything matches.
    ['', {}, true],
    ['   ', { id: 1 }, true],
    // Numbers, int8 as JSON numbers.
    ['id=eq.1', { id: 1 }, true],
    ['id=eq.1', { id: 2 }, false],
    ['id=eq.007', { id: 7 }, true],
    ['id=neq.1', { id: 2 }, true],
    ['id=neq.1', { id: 1 }, false],
    ['id=lt.10', { id: 9 }, true],
    ['id=lt.10', { id: 10 }, false],
    ['id=lte.10', { id: 10 }, true],
    ['id=gt.10', { id: 11 }, true],
    ['id=gte.10', { id: 9 }, false],
    ['id=gt.9007199254740990', { id: 9007199254740991 }, true],
    ['id=gt.0,id=lt.100', { id: 50 }, true],
    ['id=gt.0,id=lt.100', { id: 100 }, false],
    ['id=gt.0, id=lt.100', { id: 0 }, false],
    ['f=gt.1.5', { f: 1.75 }, true],
    ['f=lt.0', { f: -0.5 }, true],
    ['f=eq.NaN', { f: 'NaN' }, true],
    ['f=gt.1e308', { f: 'NaN' }, true], // NaN sorts above every number in Postgres
    ['f=gt.1e308', { f: 'Infinity' }, true],
    ['f=in.(1,NaN)', { f: 'NaN' }, true],
    ['price=eq.1.50', { price: 1.5 }, true],
    ['id=eq.1', { id: '1' }, true], // a numeric string (as for NaN) still reads as a number
    ['id=eq.1', { id: 'x' }, false], // a value of the wrong shape counts as NULL
    // NULL and missing columns: every comparison is NULL, negated or not.
    ['id=eq.1', { id: null }, false],
    ['id=eq.1', {}, false],
    ['id=not.eq.1', { id: null }, false],
    ['id=neq.1', { id: null }, false],
    ['id=not.neq.1', {}, false],
    ['id=lt.5', { id: null }, false],
    ['id=not.lt.5', { id: null }, false],
    ['id=in.(1,2)', { id: null }, false],
    ['id=not.in.(1,2)', { id: null }, false],
    ['name=like.%', { name: null }, false],
    ['name=not.like.x', { name: null }, false],
    ['name=match..*', {}, false],
    ['name=not.imatch.x', {}, false],
    // Negation.
    ['id=not.eq.5', { id: 5 }, false],
    ['id=not.eq.5', { id: 6 }, true],
    ['id=not.gt.5', { id: 5 }, true],
    ['id=not.in.(1,2)', { id: 3 }, true],
    ['id=not.in.(1,2)', { id: 2 }, false],
    // in.
    ['id=in.(1,2,3)', { id: 2 }, true],
    ['id=in.(1, 2, 3)', { id: 3 }, true],
    ['id=in.(1,2,3)', { id: 4 }, false],
    ['id=in.()', { id: 1 }, false],
    ['id=not.in.()', { id: 1 }, true],
    ['name=in.(red, blue)', { name: 'blue' }, true],
    ['name=in.(red, blue)', { name: ' blue' }, false],
    ['name=in.("a,b",c)', { name: 'a,b' }, true],
    ['name=in.("a,b",c)', { name: 'a' }, false],
    ['name=in.(" x ")', { name: ' x ' }, true],
    // Text: exact, code point order, quoted values with commas and escapes.
    ['name=eq.Ann', { name: 'Ann' }, true],
    ['name=eq.Ann', { name: 'ann' }, false],
    ['name=eq."a,b",id=eq.1', { name: 'a,b', id: 1 }, true],
    ['name=eq."say \\"hi\\""', { name: 'say "hi"' }, true],
    ['name=eq.a b ', { name: 'a b ' }, true],
    ['name=eq.a b ', { name: 'a b' }, false],
    ['name=lt.b', { name: 'a' }, true],
    ['name=lt.b', { name: 'B' }, true], // "B" < "b" by code point
    ['name=lt.b', { name: 'ba' }, false],
    ['name=gt.\uffff', { name: '\u{1f600}' }, true], // code point order, not UTF-16 order
    ['name=lt.\u{1f600}', { name: '\uff5e' }, true],
    ['title=eq.x', { title: 'x' }, true],
    ['code=eq.ab', { code: 'ab  ' }, true], // char(n) pads with blanks
    ['email=eq.Ann@Example.com', { email: 'ann@example.COM' }, true],
    ['email=like.ANN@%', { email: 'ann@x' }, true], // citext patterns are case-insensitive
    ['mood=eq.happy', { mood: 'happy' }, true],
    ['mood=lt.sad', { mood: 'happy' }, true],
    ['name=eq.1', { name: 1 }, false],
    // like / ilike.
    ['name=like.a%', { name: 'abc' }, true],
    ['name=like.a%', { name: 'Abc' }, false],
    ['name=like.a_c', { name: 'abc' }, true],
    ['name=like.a_c', { name: 'abbc' }, false],
    ['name=like._', { name: '\u{1f600}' }, true], // one character, not one UTF-16 unit
    ['name=like.%b', { name: 'a\nb' }, true],
    ['name=like.100\\%', { name: '100%' }, true],
    ['name=like.100\\%', { name: '1000' }, false],
    ['name=like.a\\_b', { name: 'axb' }, false],
    ['name=like.a\\\\b', { name: 'a\\b' }, true],
    ['name=like.a.c', { name: 'abc' }, false], // regex characters are literal
    ['name=like.(x)*', { name: '(x)*' }, true],
    ['name=like.abc', { name: 'abcd' }, false], // anchored
    ['name=ilike.A%', { name: 'abc' }, true],
    ['name=ilike.%É%', { name: 'café' }, true],
    ['name=not.like.a%', { name: 'bcd' }, true],
    ['name=not.ilike.A%', { name: 'abc' }, false],
    ['name=like.%a%b%', { name: 'xxaxxbxx' }, true],
    ['name=like.%%%', { name: '' }, true],
    ['name=like.a%%c', { name: 'ac' }, true],
    ['name=like.%ab', { name: 'aab' }, true], // the `%` has to give back characters
    ['name=like.%a_b', { name: 'aaxab' }, false],
    ['name=like._', { name: '' }, false],
    ['code=like.ab', { code: 'ab  ' }, true],
    // match / imatch: unanchored POSIX-style regex.
    ['name=match.^a.c$', { name: 'abc' }, true],
    ['name=match.b', { name: 'abc' }, true],
    ['name=match.^b', { name: 'abc' }, false],
    ['name=match.A', { name: 'abc' }, false],
    ['name=imatch.A', { name: 'abc' }, true],
    ['name=match.a.b', { name: 'a\nb' }, true],
    ['name=match."x{2,}"', { name: 'axxb' }, true],
    ['name=not.match.^a', { name: 'abc' }, false],
    ['name=not.imatch.^B', { name: 'abc' }, true],
    // is.
    ['ok=is.null', { ok: null }, true],
    ['ok=is.null', {}, true],
    ['ok=is.null', { ok: false }, false],
    ['ok=not.is.null', { ok: false }, true],
    ['ok=not.is.null', { ok: null }, false],
    ['name=is.null', { name: null }, true],
    ['name=not.is.null', { name: '' }, true],
    ['ok=is.true', { ok: true }, true],
    ['ok=is.true', { ok: null }, false],
    ['ok=is.false', { ok: false }, true],
    ['ok=is.false', { ok: null }, false],
    ['ok=not.is.true', { ok: null }, true],
    ['ok=not.is.true', { ok: false }, true],
    ['ok=not.is.true', { ok: true }, false],
    ['ok=is.unknown', { ok: null }, true],
    ['ok=is.unknown', { ok: true }, false],
    ['ok=not.is.unknown', { ok: false }, true],
    // bool comparisons.
    ['ok=eq.true', { ok: true }, true],
    ['ok=eq.t', { ok: true }, true],
    ['ok=eq.F', { ok: false }, true],
    ['ok=eq.false', { ok: true }, false],
    ['ok=neq.true', { ok: false }, true],
    ['ok=lt.true', { ok: false }, true],
    ['ok=eq.true', { ok: 'true' }, false],
    // isdistinct: null-safe.
    ['id=isdistinct.1', { id: 2 }, true],
    ['id=isdistinct.1', { id: 1 }, false],
    ['id=isdistinct.1', { id: null }, true],
    ['id=isdistinct.null', { id: null }, false],
    ['id=isdistinct.null', { id: 0 }, true],
    ['id=not.isdistinct.1', { id: 1 }, true],
    ['id=not.isdistinct.1', { id: null }, false],
    ['id=not.isdistinct.null', {}, true],
    ['id=not.isdistinct.null', { id: 1 }, false],
    ['name=isdistinct.null', { name: 'null' }, true],
    // timestamptz: compared as instants.
    ['at=eq.2025-11-03T09:32:55.123+00:00', { at: '2025-11-03T09:32:55.123+00:00' }, true],
    ['at=eq.2025-11-03T10:32:55.123+01:00', { at: '2025-11-03T09:32:55.123+00:00' }, true],
    ['at=eq.2025-11-03 09:32:55.123', { at: '2025-11-03T09:32:55.123+00:00' }, true], // no offset: UTC
    ['at=eq.2025-11-03T09:32:55.123Z', { at: '2025-11-03T11:32:55.123+02:00' }, true],
    ['at=eq.2025-11-03 04:02:55.123-0530', { at: '2025-11-03T09:32:55.123+00:00' }, true],
    ['at=eq.2025-11-03T09:32:55.12+00', { at: '2025-11-03T09:32:55.120000+00:00' }, true],
    ['at=eq.2025-11-03T09:32:55.123456+00', { at: '2025-11-03T09:32:55.123457+00:00' }, false], // microseconds count
    ['at=gt.2025-11-03T09:00:00+00:00', { at: '2025-11-03T09:32:55.123+00:00' }, true],
    ['at=gt.2025-11-03T10:00:00+02:00', { at: '2025-11-03T09:32:55+00:00' }, true],
    ['at=lt.2025-11-03T10:00:00-02:00', { at: '2025-11-03T09:32:55+00:00' }, true],
    ['at=gte.2025-11-03', { at: '2025-11-02T23:59:59.999999+00:00' }, false],
    ['at=lt.infinity', { at: '2999-01-01T00:00:00+00:00' }, true],
    ['at=gt.-infinity', { at: '-infinity' }, false],
    ['at=gt.0044-03-15 BC', { at: '0044-03-16T00:00:00+00:00 BC' }, true],
    ['at=gt.0001-01-01', { at: '0001-01-01T00:00:00+00:00 BC' }, false],
    ['at=in.(2025-01-01T00:00:00Z, 2025-01-01T01:00:00+01:00)', { at: '2025-01-01T00:00:00+00:00' }, true],
    ['at=eq.2025-11-03T09:32:55Z', { at: 'not a time' }, false],
    // timestamp, date, time, timetz.
    ['ts=eq.2025-11-03 09:32:55', { ts: '2025-11-03T09:32:55' }, true],
    ['ts=eq.2025-11-03T09:32:55.100', { ts: '2025-11-03T09:32:55.1' }, true],
    ['ts=eq.2025-11-03T09:32:55+05', { ts: '2025-11-03T09:32:55' }, true], // the offset is ignored
    ['ts=lt.2025-11-03T10:00', { ts: '2025-11-03T09:32:55' }, true],
    ['ts=eq.2025-11-03', { ts: '2025-11-03T00:00:00' }, true],
    ['d=eq.2025-11-03', { d: '2025-11-03' }, true],
    ['d=lt.2025-11-10', { d: '2025-11-09' }, true],
    ['d=gt.2025-1-9', { d: '2025-01-10' }, true],
    ['d=eq.2024-02-29 13:00', { d: '2024-02-29' }, true],
    ['t=eq.09:32', { t: '09:32:00' }, true],
    ['t=lt.10:00:00', { t: '09:59:59.999999' }, true],
    ['t=gt.9:00', { t: '10:00:00' }, true],
    ['tt=eq.10:00:00+01', { tt: '10:00:00+01:00' }, true],
    ['tt=eq.10:00:00+01', { tt: '09:00:00+00:00' }, false], // same instant, different zone: not equal in Postgres
    ['tt=lt.10:00:00+01', { tt: '09:30:00+00:00' }, false],
    ['tt=gt.10:00:00+01', { tt: '09:30:00+00:00' }, true],
    // uuid: case-insensitive.
    ['uid=eq.A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11', { uid: 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11' }, true],
    ['uid=eq.a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', { uid: 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11' }, true],
    ['uid=neq.a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', { uid: 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a12' }, true],
    ['uid=in.(A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11)', { uid: 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11' }, true],
    ['uid=gt.00000000-0000-0000-0000-00000000000A', { uid: '00000000-0000-0000-0000-00000000000b' }, true],
    // json / jsonb: canonical JSON equality.
    ['data=eq."{\\"a\\":1,\\"b\\":[1,2]}"', { data: { b: [1, 2], a: 1 } }, true], // commas need quotes
    ['data=eq.{"a":1}', { data: { a: 2 } }, false],
    ['data=eq."{\\"a\\":{\\"y\\":1,\\"x\\":2}}"', { data: { a: { x: 2, y: 1 } } }, true],
    ['data=eq.1.0', { data: 1 }, true],
    ['data=eq."[1,2]"', { data: [2, 1] }, false],
    ['data=neq.{"a":1}', { data: { a: 2 } }, true],
    ['data=eq."\\"x\\""', { data: 'x' }, true],
    ['j=eq.true', { j: true }, true],
    ['data=eq.null', { data: null }, false], // a NULL column and JSON null look alike; NULL wins
    ['data=isdistinct.{"a":1}', { data: { a: 1 } }, false],
    ['data=in.("{\\"a\\":1}", "[]")', { data: [] }, true],
    ['data=is.null', { data: null }, true],
    // Arrays: equality with a Postgres array literal.
    ['tags=eq."{a,b}"', { tags: ['a', 'b'] }, true],
    ['tags=eq."{a,b}"', { tags: ['b', 'a'] }, false],
    ['tags=eq.{a}', { tags: ['a'] }, true],
    ['tags=eq."{\\"a,b\\", c }"', { tags: ['a,b', 'c'] }, true],
    ['tags=eq."{a,NULL}"', { tags: ['a', null] }, true],
    ['tags=eq."{a,\\"NULL\\"}"', { tags: ['a', null] }, false],
    ['tags=eq."{a,\\"NULL\\"}"', { tags: ['a', 'NULL'] }, true],
    ['tags=eq.{}', { tags: [] }, true],
    ['nums=eq."{1,2}"', { nums: [1, 2] }, true],
    ['nums=eq."{1, 02}"', { nums: [1, 2] }, true],
    ['nums=eq."{{1,2},{3,4}}"', { nums: [[1, 2], [3, 4]] }, true],
    ['nums=neq."{1,2}"', { nums: [1, 2, 3] }, true],
    ['nums=eq."{1,2}"', { nums: null }, false],
    ['nums=in.("{1,2}","{3}")', { nums: [3] }, true],
    ['nums=isdistinct.null', { nums: [] }, true],
    // Several conditions: all must hold.
    ['id=gt.0,name=like.a%,ok=is.true', { id: 1, name: 'ab', ok: true }, true],
    ['id=gt.0,name=like.a%,ok=is.true', { id: 1, name: 'ab', ok: false }, false],
    ['id=gt.0,name=like.a%,ok=is.true', { id: 1, name: 'ba', ok: true }, false],
    ['name=in.("x,y",z),id=not.isdistinct.null', { name: 'x,y', id: null }, true],
  ];
  for (const [filter, record, expected] of cases) {
    it(`${JSON.stringify(filter)} on ${JSON.stringify(record)} → ${expected}`, () => assert.equal(matches(typed(filter), record), expected));
  }
});
