// The generated file from small models: each case names the model's objects and lines the
// formatted file must hold (as the Supabase CLI writes them), or must not.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { typescriptFromModel } from './generate.ts';
import type { Column, FunctionArg, PgFunction, PgType, Relation, Relationship, TypegenModel } from './model.ts';

const T = { bool: 16, int8: 20, int4: 23, text: 25, json: 114, jsonb: 3802, void: 2278, record: 2249, int4s: 1007 } as const;
const catalog: PgType[] = Object.entries({ bool: 16, int8: 20, int4: 23, text: 25, json: 114, jsonb: 3802, void: 2278, record: 2249, _int4: 1007 }).map(([name, id]) => ({
  id,
  name,
  schema: 'pg_catalog',
  format: name,
  enumValues: [],
  attributes: [],
  relationId: null,
}));

const col = (name: string, type: string, extra: Partial<Column> = {}): Column => ({
  name,
  type,
  typeSchema: 'pg_catalog',
  nullable: false,
  identity: null,
  generated: false,
  hasDefault: false,
  updatable: true,
  ...extra,
});
const rel = (id: number, name: string, columns: Column[], extra: Partial<Relation> = {}): Relation => ({
  id,
  schema: 'public',
  name,
  kind: 'table',
  insertable: false,
  updatable: false,
  columns,
  ...extra,
});
const rowType = (id: number, name: string, relationId: number, schema = 'public'): PgType => ({ id, name, schema, format: name, enumValues: [], attributes: [], relationId });
const arg = (name: string, typeId: number, extra: Partial<FunctionArg> = {}): FunctionArg => ({ mode: 'in', name, typeId, hasDefault: false, ...extra });
let nextId = 5000;
const fn = (name: string, args: FunctionArg[], returnTypeId: number, extra: Partial<PgFunction> = {}): PgFunction => ({
  id: nextId++,
  schema: 'public',
  name,
  args,
  argumentTypes: args.map((a) => `${a.name} ${a.typeId}`).join(', '),
  identityArgumentTypes: args.map((a) => String(a.typeId)).join(', '),
  returnTypeId,
  returnType: String(returnTypeId),
  returnRelationId: null,
  setReturning: false,
  rows: null,
  ...extra,
});

// authors (100, row type 101) ← books (200, row type 201) by books_author_id_fkey.
const authors = rel(100, 'authors', [col('id', 'int4'), col('name', 'text')]);
const books = rel(200, 'books', [col('id', 'int4'), col('author_id', 'int4'), col('title', 'text', { nullable: true })]);
const base = (extra: Partial<TypegenModel> = {}): TypegenModel => ({
  schemas: ['public'],
  relations: [authors, books],
  relationships: [],
  functions: [],
  types: [...catalog, rowType(101, 'authors', 100), rowType(201, 'books', 200)],
  ...extra,
});
const bookKey: Relationship = {
  constraint: 'books_author_id_fkey',
  schema: 'public',
  relation: 'books',
  columns: ['author_id'],
  oneToOne: false,
  referencedSchema: 'public',
  referencedRelation: 'authors',
  referencedColumns: ['id'],
};

interface Case {
  readonly name: string;
  readonly model: TypegenModel;
  readonly options?: Parameters<typeof typescriptFromModel>[1];
  readonly has: readonly string[];
  readonly lacks?: readonly string[];
}

const lines = (...l: string[]) => l.join('\n');

const cases: Case[] = [
  {
    name: 'Insert and Update: identity, generated, default and nullable columns',
    model: base({
      relations: [
        rel(300, 'things', [
          col('id', 'int8', { identity: 'ALWAYS' }),
          col('seq', 'int4', { identity: 'BY DEFAULT' }),
          col('slug', 'text', { generated: true, nullable: true }),
          col('flag', 'bool', { hasDefault: true }),
          col('note', 'text', { nullable: true }),
          col('doc', 'jsonb'),
          col('tags', '_int4', { nullable: true }),
        ]),
      ],
    }),
    has: [
      lines('        Row: {', '          doc: NonNullable<Json>', '          flag: boolean', '          id: number', '          note: string | null', '          seq: number', '          slug: string | null', '          tags: number[] | null', '        }'),
      lines('        Insert: {', '          doc: NonNullable<Json>', '          flag?: boolean', '          id?: never', '          note?: string | null', '          seq?: number', '          slug?: never', '          tags?: number[] | null', '        }'),
      lines('        Update: {', '          doc?: NonNullable<Json>', '          flag?: boolean', '          id?: never', '          note?: string | null', '          seq?: number', '          slug?: never', '          tags?: number[] | null', '        }'),
    ],
  },
  {
    name: 'relationships, with isOneToOne; one to another schema is left out',
    model: base({ relationships: [bookKey, { ...bookKey, constraint: 'books_x_fkey', referencedSchema: 'other', referencedRelation: 'x' }] }),
    has: [
      lines(
        '        Relationships: [',
        '          {',
        '            foreignKeyName: "books_author_id_fkey"',
        '            columns: ["author_id"]',
        '            isOneToOne: false',
        '            referencedRelation: "authors"',
        '            referencedColumns: ["id"]',
        '          },',
        '        ]',
      ),
    ],
    lacks: ['books_x_fkey'],
  },
  {
    name: 'no isOneToOne in PostgREST v9 compatibility',
    model: base({ relationships: [bookKey] }),
    options: { detectOneToOne: false },
    has: ['foreignKeyName: "books_author_id_fkey"'],
    lacks: ['isOneToOne'],
  },
  {
    name: 'views: writable columns optional and nullable, the others never; read-only and materialized views have Row only',
    model: base({
      relations: [
        rel(400, 'writable', [col('id', 'int4', { nullable: true }), col('total', 'int8', { nullable: true, updatable: false })], { kind: 'view', insertable: true, updatable: true }),
        rel(401, 'counts', [col('n', 'int8', { nullable: true, updatable: false })], { kind: 'view' }),
        rel(402, 'stats', [col('n', 'int4')], { kind: 'materialized-view' }),
      ],
    }),
    has: [
      lines('      writable: {', '        Row: {', '          id: number | null', '          total: number | null', '        }', '        Insert: {', '          id?: number | null', '          total?: never', '        }', '        Update: {'),
      lines('      counts: {', '        Row: {', '          n: number | null', '        }', '        Relationships: []', '      }'),
      lines('      stats: {', '        Row: {', '          n: number', '        }', '        Relationships: []', '      }'),
    ],
  },
  {
    name: 'functions: no arguments, defaults, sets, void, record, unnamed json',
    model: base({
      functions: [
        fn('ping', [], T.text),
        fn('greet', [arg('name', T.text, { hasDefault: true }), arg('loud', T.bool)], T.text),
        fn('ids', [], T.int4, { setReturning: true, rows: 1000 }),
        fn('touch', [], T.void),
        fn('anything', [], T.record),
        fn('echo', [arg('', T.json)], T.json),
        fn('skipped', [arg('', T.int4)], T.int4),
      ],
    }),
    has: [
      lines('      anything: {', '        Args: Record<PropertyKey, never>', '        Returns: Record<string, unknown>', '      }'),
      '      echo: { Args: { "": Json }; Returns: Json }',
      '      greet: { Args: { loud: boolean; name?: string }; Returns: string }',
      '      ids: { Args: Record<PropertyKey, never>; Returns: number[] }',
      '      ping: { Args: Record<PropertyKey, never>; Returns: string }',
      '      touch: { Args: Record<PropertyKey, never>; Returns: undefined }',
    ],
    lacks: ['skipped'],
  },
  {
    name: 'functions returning rows: RETURNS TABLE, a table row, a set of rows, ROWS 1',
    model: base({
      functions: [
        fn('pairs', [arg('k', T.int4, { mode: 'table' }), arg('v', T.text, { mode: 'table' })], T.record, { setReturning: true, rows: 1000 }),
        fn('first_author', [], 101, { returnRelationId: 100 }),
        fn('all_books', [], 201, { returnRelationId: 200, setReturning: true, rows: 1000 }),
        fn('one_book', [], 201, { returnRelationId: 200, setReturning: true, rows: 1 }),
      ],
    }),
    has: [
      lines('      all_books: {', '        Args: Record<PropertyKey, never>', '        Returns: {', '          author_id: number', '          id: number', '          title: string | null', '        }[]', '        SetofOptions: {', '          from: "*"', '          to: "books"', '          isOneToOne: false', '          isSetofReturn: true', '        }', '      }'),
      lines('        Returns: {', '          id: number', '          name: string', '        }', '        SetofOptions: {', '          from: "*"', '          to: "authors"', '          isOneToOne: true', '          isSetofReturn: false'),
      lines('      one_book: {', '        Args: Record<PropertyKey, never>', '        Returns: {', '          author_id: number', '          id: number', '          title: string | null', '        }', '        SetofOptions: {', '          from: "*"', '          to: "books"', '          isOneToOne: true', '          isSetofReturn: true'),
      lines('      pairs: {', '        Args: Record<PropertyKey, never>', '        Returns: {', '          k: number', '          v: string', '        }[]', '      }'),
    ],
  },
  {
    name: 'computed fields: a row argument reads as a column; a scalar one is an error in Functions, a set of rows is embedded',
    model: base({
      functions: [fn('book_count', [arg('', 101)], T.int8), fn('author_books', [arg('', 101)], 201, { returnRelationId: 200, setReturning: true, rows: 1000 })],
    }),
    has: [
      lines('        Row: {', '          id: number', '          name: string', '          author_books: {', '            author_id: number', '            id: number', '            title: string | null', '          } | null', '          book_count: number | null', '        }'),
      lines(
        '      book_count: {',
        '        Args: { "": Database["public"]["Tables"]["authors"]["Row"] }',
        '        Returns: {',
        '          error: true',
        '        } & "the function public.book_count with parameter or with a single unnamed json/jsonb parameter, but no matches were found in the schema cache"',
        '      }',
      ),
      lines('        SetofOptions: {', '          from: "authors"', '          to: "books"', '          isOneToOne: false', '          isSetofReturn: true'),
    ],
  },
  {
    name: 'overloads: a union; those PostgREST cannot choose between carry its error',
    model: base({
      functions: [
        fn('add', [arg('a', T.int4), arg('b', T.int4)], T.int4),
        fn('add', [arg('a', T.text), arg('b', T.text)], T.text),
        fn('pick', [arg('v', T.int4)], T.int4),
        fn('pick', [arg('v', T.text)], T.text),
        fn('opt', [], T.text),
        fn('opt', [arg('', T.text, { hasDefault: true })], T.text),
      ],
    }),
    has: [
      lines('      add:', '        | { Args: { a: number; b: number }; Returns: number }', '        | { Args: { a: string; b: string }; Returns: string }'),
      '        } & "Could not choose the best candidate function between: public.pick(v => int4), public.pick(v => text). Try renaming the parameters or the function itself in the database so function overloading can be resolved"',
      '        } & "Could not choose the best candidate function between: public.opt(), public.opt( => text). Try renaming the parameters or the function itself in the database so function overloading can be resolved"',
      '        | { Args: { ""?: string }; Returns: string }',
    ],
  },
  {
    name: 'function names that are array indices come first, by number',
    model: base({ functions: [fn('a', [], T.int4), fn('42', [], T.int4), fn('7', [], T.int4)] }),
    has: [lines('      "7": { Args: Record<PropertyKey, never>; Returns: number }', '      "42": { Args: Record<PropertyKey, never>; Returns: number }', '      a: { Args: Record<PropertyKey, never>; Returns: number }')],
  },
  {
    name: 'enums and composite types, in Database and Constants; one of a schema not generated is written out',
    model: base({
      relations: [rel(300, 'moods', [col('m', 'mood', { typeSchema: 'public' }), col('h', 'level', { typeSchema: 'hidden', nullable: true })])],
      types: [
        ...catalog,
        { id: 600, name: 'mood', schema: 'public', format: 'mood', enumValues: ['sad', 'ok'], attributes: [], relationId: null },
        { id: 601, name: 'level', schema: 'hidden', format: 'hidden.level', enumValues: ['low', 'high'], attributes: [], relationId: null },
        { id: 602, name: 'pair', schema: 'public', format: 'pair', enumValues: [], attributes: [{ name: 'x', typeId: T.int4 }, { name: 'm', typeId: 600 }, { name: 'q', typeId: 9 }], relationId: 603 },
      ],
    }),
    has: [
      lines('        Row: {', '          h: "low" | "high" | null', '          m: Database["public"]["Enums"]["mood"]', '        }'),
      lines('    Enums: {', '      mood: "sad" | "ok"', '    }', '    CompositeTypes: {', '      pair: {', '        x: number | null', '        m: Database["public"]["Enums"]["mood"] | null', '        q: unknown', '      }', '    }'),
      lines('export const Constants = {', '  public: {', '    Enums: {', '      mood: ["sad", "ok"],', '    },', '  },', '} as const', ''),
    ],
  },
  {
    name: 'an empty schema, and the __InternalSupabase block',
    model: { schemas: ['public'], relations: [], relationships: [], functions: [], types: catalog },
    options: { postgrestVersion: '13.0.5' },
    has: [
      lines(
        'export type Database = {',
        '  // Allows to automatically instantiate createClient with right options',
        "  // instead of createClient<Database, { PostgrestVersion: 'XX' }>(URL, KEY)",
        '  __InternalSupabase: {',
        '    PostgrestVersion: "13.0.5"',
        '  }',
        '  public: {',
        '    Tables: {',
        '      [_ in never]: never',
        '    }',
        '    Views: {',
      ),
      lines('export const Constants = {', '  public: {', '    Enums: {},', '  },', '} as const'),
      'type DefaultSchema = DatabaseWithoutInternals[Extract<keyof Database, "public">]',
    ],
  },
  {
    name: 'no schema at all',
    model: { schemas: [], relations: [], relationships: [], functions: [], types: catalog },
    has: ['export type Database = {}\n', 'export const Constants = {} as const\n'],
    lacks: ['__InternalSupabase:'],
  },
];

describe('typescriptFromModel', () => {
  for (const c of cases) {
    it(c.name, async () => {
      const text = await typescriptFromModel(c.model, c.options);
      for (const expected of c.has) assert.ok(text.includes(expected), `expected:\n${expected}\n\nin:\n${text.slice(0, text.indexOf('type DatabaseWithoutInternals'))}`);
      for (const absent of c.lacks ?? []) assert.ok(!text.includes(absent), `did not expect ${absent}`);
    });
  }

  it('starts with the Json type and ends with Constants and one newline', async () => {
    const text = await typescriptFromModel(base());
    assert.ok(text.startsWith('export type Json =\n  | string\n  | number\n  | boolean\n  | null\n  | { [key: string]: Json | undefined }\n  | Json[]\n\nexport type Database = {\n'));
    assert.ok(text.endsWith('} as const\n') && !text.endsWith('\n\n'));
  });
});
