import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { breakUnions, formatTypescript, unionMembers } from './format.ts';

describe('unionMembers', () => {
  const cases: Array<[string, string[]]> = [
    ['string', ['string']],
    ['string | null', ['string', 'null']],
    ['"a | b" | "c"', ['"a | b"', '"c"']],
    ['("a" | "b")[] | null', ['("a" | "b")[]', 'null']],
    ['{ a: 1 | 2 } | Record<string, 1 | 2>', ['{ a: 1 | 2 }', 'Record<string, 1 | 2>']],
    ['"say \\" | " | x', ['"say \\" | "', 'x']],
  ];
  for (const [type, expected] of cases) it(type, () => assert.deepEqual(unionMembers(type), expected));
});

describe('breakUnions', () => {
  const cases: Array<[string, string, string]> = [
    ['a union on the line after its key', 'k: {\n  long_key:\n    A | null\n  b: string\n}', 'k: {\n  long_key:\n    | A\n    | null\n  b: string\n}'],
    ['a union inside the parentheses of an array', 'x: (\n  "a" | "b"\n)[]', 'x: (\n  | "a"\n  | "b"\n)[]'],
    ['… itself a member of a union', 'x:\n  | (\n      "a" | "b"\n    )[]\n  | null', 'x:\n  | (\n      | "a"\n      | "b"\n    )[]\n  | null'],
    ['already one member per line', 'k:\n  | A\n  | null\nb: 1', 'k:\n  | A\n  | null\nb: 1'],
    ['not a union', 'k:\n  Database["public"]["Tables"]["t"]["Row"]\nb: 1', 'k:\n  Database["public"]["Tables"]["t"]["Row"]\nb: 1'],
    ['a value over several lines is left alone', 'k:\n  A | {\n    x: 1\n  }\nb: 1', 'k:\n  A | {\n    x: 1\n  }\nb: 1'],
    ['a comment ending in a colon', '// note:\n  a | b', '// note:\n  a | b'],
  ];
  for (const [name, input, expected] of cases) it(name, () => assert.equal(breakUnions(input), expected));
});

describe('formatTypescript', () => {
  it("formats as the Supabase CLI's file: no semicolons, double quotes, unions one member per line when too long", async () => {
    const source = `export type T = { Tables: {\n"row": { a_rather_long_column_name_for_a_composite: Database['public']['CompositeTypes']['address'] | null, 'b': string } } }`;
    assert.equal(
      await formatTypescript(source),
      [
        'export type T = {',
        '  Tables: {',
        '    row: {',
        '      a_rather_long_column_name_for_a_composite:',
        '        | Database["public"]["CompositeTypes"]["address"]',
        '        | null',
        '      b: string',
        '    }',
        '  }',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('keeps objects written on one line on one line when they fit', async () => {
    assert.equal(await formatTypescript('type F = { f: { Args: { "a": number,"b": string }; Returns: (string)[] } }'), 'type F = { f: { Args: { a: number; b: string }; Returns: string[] } }\n');
  });
});
