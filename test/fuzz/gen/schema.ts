// What the generators know of the fixture project (fixture/supabase): names that exist, so
// most generated requests get past the parser into the planner and the database.

/** Column types as the generators of well-formed requests need them (operators, values). */
export type ColumnType = 'int' | 'bigint' | 'numeric' | 'text' | 'date' | 'timestamptz' | 'text[]' | 'jsonb' | 'json' | 'int4range' | 'tsvector' | 'mood' | 'bytea' | 'uuid' | 'boolean';

export interface TableInfo {
  readonly name: string;
  readonly columns: readonly string[];
  readonly types: Readonly<Record<string, ColumnType>>;
  /** The primary key's columns (PUT needs them as eq filters). */
  readonly key: readonly string[];
  /** Tables and computed relationships it can embed. */
  readonly embeds: readonly string[];
  /** Foreign-key hints (`table!hint`) that disambiguate embeds. */
  readonly hints: readonly string[];
}

function table(name: string, types: Record<string, ColumnType>, key: readonly string[], embeds: readonly string[], hints: readonly string[]): TableInfo {
  return { name, columns: Object.keys(types), types, key, embeds, hints };
}

export const TABLES: readonly TableInfo[] = [
  table('authors', { id: 'int', name: 'text', bio: 'text', born: 'date', book_count: 'bigint' }, ['id'], ['books', 'latest_book', 'book_titles'], ['books!author_id', 'books!editor_id', 'books!books_author_id_fkey']),
  table(
    'books',
    { id: 'int', title: 'text', author_id: 'int', editor_id: 'int', price: 'numeric', tags: 'text[]', meta: 'jsonb', doc: 'json', pages: 'int4range', search: 'tsvector', mood: 'mood', published_at: 'timestamptz', cover: 'bytea', owner: 'uuid', uid: 'uuid' },
    ['id'],
    ['authors', 'readers', 'loans', 'book_details'],
    ['authors!author_id', 'authors!editor_id', 'authors!inner', 'authors!left', 'authors!books_editor_id_fkey'],
  ),
  table('readers', { id: 'int', name: 'text', email: 'text' }, ['id'], ['books', 'loans'], ['books!loans', 'loans!inner']),
  table('loans', { book_id: 'int', reader_id: 'int', due: 'date' }, ['book_id', 'reader_id'], ['books', 'readers'], ['books!inner']),
  table('book_details', { book_id: 'int', isbn: 'text', hardcover: 'boolean' }, ['book_id'], ['books'], []),
  table('shelves', { id: 'int', label: 'text', parent_id: 'int' }, ['id'], ['shelves'], ['shelves!parent_id', 'parent:shelves!parent_id', 'children:shelves!shelves_parent_id_fkey']),
  table('counters', { k: 'text', n: 'bigint' }, ['k'], [], []),
  table('book_titles', { id: 'int', title: 'text', author_id: 'int' }, ['id'], ['authors'], []),
];

/** Columns of JSON types, for `->` / `->>` paths. */
export const JSON_COLUMNS = ['meta', 'doc'] as const;
export const JSON_KEYS = ['lang', 'score', 'nested', 'deep', 'n', '0', '-1', 'missing'] as const;

export interface RoutineInfo {
  readonly name: string;
  readonly args: readonly string[];
  /** Argument types, in order; a routine with one unnamed argument takes the whole body. */
  readonly types?: readonly ColumnType[];
  /** Whether GET may call it (stable or immutable). */
  readonly readOnly: boolean;
}

export const ROUTINES: readonly RoutineInfo[] = [
  { name: 'hello', args: [], readOnly: true },
  { name: 'add', args: ['a', 'b'], types: ['int', 'int'], readOnly: true },
  { name: 'echo', args: [], readOnly: true },
  { name: 'echo_jsonb', args: ['j'], types: ['jsonb'], readOnly: true },
  { name: 'echo_text', args: [], readOnly: true },
  { name: 'byte_length', args: [], readOnly: true },
  { name: 'sum_all', args: ['nums'], types: ['int'], readOnly: true },
  { name: 'numbers', args: ['n'], types: ['int'], readOnly: true },
  { name: 'books_since', args: ['y'], types: ['int'], readOnly: true },
  { name: 'book_by_id', args: ['bid'], types: ['int'], readOnly: true },
  { name: 'search_books', args: ['q'], types: ['text'], readOnly: true },
  { name: 'typed', args: ['i', 't', 'b', 'd', 'ts', 'u', 'n', 'arr', 'j', 'r', 'm'], types: ['int', 'text', 'boolean', 'date', 'timestamptz', 'uuid', 'numeric', 'text[]', 'jsonb', 'int4range', 'mood'], readOnly: true },
  { name: 'pairs', args: [], readOnly: true },
  { name: 'stats', args: [], readOnly: true },
  { name: 'whoami', args: [], readOnly: true },
  { name: 'overloaded', args: ['a'], types: ['text'], readOnly: true },
  { name: 'fail_with', args: ['msg'], types: ['text'], readOnly: false },
  { name: 'noop', args: [], readOnly: false },
  { name: 'bump', args: ['key'], types: ['text'], readOnly: false },
];

export const SCHEMAS = ['public', 'other'] as const;
/** The user the fixture's seed creates (see fixture/supabase/seed.sql). */
export const FUZZ_USER = { id: 'f0220000-0000-4000-8000-000000000001', email: 'fuzz@example.com', password: 'fuzz-password-1' } as const;
