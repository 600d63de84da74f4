// Our formatting (prettier, then breakUnions) against the Supabase generator's formatter
// (oxfmt, installed with @supabase/postgres-meta): the same rendered text, from seeded
// random models with long names, long unions, overloads and every member shape, must come
// out identical. The scenario test compares whole files on real databases; this one reaches
// widths a fixture does not.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { format as oxfmt } from 'oxfmt';
import { formatTypescript } from './format.ts';
import type { PgFunction, PgType, Relation, Relationship, TypegenModel } from './model.ts';
import { renderTypes } from './render.ts';

function randomModel(seed: number): { model: TypegenModel; postgrestVersion: string | undefined } {
  let state = seed;
  const rnd = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  const int = (n: number) => Math.floor(rnd() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)] as T;
  const name = (min: number, max: number) => {
    let s = '';
    for (let i = min + int(max - min); i > 0; i--) s += pick([...'abcdefghij_klmnopqrstuvwxyz']);
    return rnd() < 0.05 ? `${s}-x` : rnd() < 0.05 ? `Up ${s}` : s || 'x';
  };
  let oid = 100_000;
  const schemas = ['public', `other_${name(1, 30)}`];
  const anywhere = [...schemas, 'hidden'];
  const types: PgType[] = ['int4', 'text', 'bool', 'jsonb', 'json', 'uuid', 'inet', 'numeric', '_text', 'record', 'void'].map((n) => ({
    id: oid++,
    name: n,
    schema: 'pg_catalog',
    format: n,
    enumValues: [],
    attributes: [],
    relationId: null,
  }));
  for (let i = 0; i < 6; i++) {
    const e: PgType = { id: oid++, name: name(2, 30), schema: pick(anywhere), format: 'e', enumValues: Array.from({ length: 1 + int(12) }, () => name(1, 40)), attributes: [], relationId: null };
    types.push(e, { ...e, id: oid++, name: `_${e.name}`, enumValues: [] });
  }
  for (let i = 0; i < 4; i++) {
    types.push({ id: oid++, name: name(2, 30), schema: pick(anywhere), format: 'c', enumValues: [], attributes: Array.from({ length: 1 + int(5) }, () => ({ name: name(1, 40), typeId: pick(types).id })), relationId: oid++ });
  }
  const relations: Relation[] = [];
  for (let i = 0; i < 8; i++) {
    const r: Relation = {
      id: oid++,
      schema: pick(schemas),
      name: name(2, 60),
      kind: pick(['table', 'table', 'view', 'materialized-view', 'foreign-table'] as const),
      insertable: rnd() < 0.5,
      updatable: rnd() < 0.5,
      columns: Array.from({ length: int(10) }, () => {
        const t = pick(types);
        return {
          name: name(1, 90),
          type: rnd() < 0.2 && !t.name.startsWith('_') ? `_${t.name}` : t.name,
          typeSchema: t.schema,
          nullable: rnd() < 0.5,
          identity: pick([null, null, 'ALWAYS', 'BY DEFAULT'] as const),
          generated: rnd() < 0.1,
          hasDefault: rnd() < 0.3,
          updatable: rnd() < 0.7,
        };
      }),
    };
    relations.push(r);
    types.push({ id: oid++, name: r.name, schema: r.schema, format: rnd() < 0.5 ? r.name : `${r.schema}.${r.name}`, enumValues: [], attributes: [], relationId: r.id });
  }
  const names = Array.from({ length: 6 }, () => name(2, 80));
  const functions: PgFunction[] = Array.from({ length: 14 }, () => {
    const returns = pick(types);
    return {
      id: oid++,
      schema: pick(schemas),
      name: pick(names),
      args: Array.from({ length: int(5) }, () => ({ mode: pick(['in', 'in', 'in', 'out', 'table', 'variadic'] as const), name: rnd() < 0.1 ? '' : name(1, 40), typeId: pick(types).id, hasDefault: rnd() < 0.3 })),
      argumentTypes: name(0, 20),
      identityArgumentTypes: name(0, 10),
      returnTypeId: returns.id,
      returnType: returns.name,
      returnRelationId: returns.relationId,
      setReturning: rnd() < 0.4,
      rows: pick([null, 1, 1000]),
    };
  });
  const relationships: Relationship[] = Array.from({ length: 10 }, () => {
    const from = pick(relations);
    const to = pick(relations);
    return {
      constraint: name(5, 70),
      schema: from.schema,
      relation: from.name,
      columns: Array.from({ length: 1 + int(6) }, () => name(1, 30)),
      oneToOne: rnd() < 0.5,
      referencedSchema: rnd() < 0.8 ? from.schema : to.schema,
      referencedRelation: to.name,
      referencedColumns: Array.from({ length: 1 + int(6) }, () => name(1, 30)),
    };
  });
  return { model: { schemas, relations, relationships, functions, types }, postgrestVersion: rnd() < 0.5 ? '13.0.5' : undefined };
}

describe('formatting matches oxfmt (the Supabase generator’s formatter)', () => {
  for (let seed = 1; seed <= 100; seed++) {
    it(`seed ${seed}`, async () => {
      const { model, postgrestVersion } = randomModel(seed);
      const rendered = renderTypes(model, { detectOneToOne: true, postgrestVersion });
      for (const text of [rendered.database, rendered.constants]) {
        const reference = await oxfmt('output.ts', text, { semi: false, printWidth: 80 });
        assert.deepEqual(reference.errors, []);
        const ours = (await formatTypescript(text)).split('\n');
        const theirs = reference.code.split('\n');
        const at = ours.findIndex((line, i) => line !== theirs[i]);
        if (at >= 0 || ours.length !== theirs.length) {
          const from = Math.max(0, at - 3);
          assert.fail(`differs at line ${at + 1}\n--- ours\n${ours.slice(from, at + 6).join('\n')}\n--- oxfmt\n${theirs.slice(from, at + 6).join('\n')}`);
        }
      }
    });
  }
});
