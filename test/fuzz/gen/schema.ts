// What the generators know of the fixture project (fixture/supabase): names that exist, so
// most generated requests get past the parser into the planner and the database.

export interface TableInfo {
  readonly name: string;
  readonly columns: readonly string[];
  /** Tables and computed relationships it can embed. */
  readonly embeds: readonly string[];
  /** Foreign-key hints (`table!hint`) that disambiguate embeds. */
  readonly hints: readonly string[];
}

export const TABLES: readonly TableInfo[] = [
  { name: 'authors', columns: ['id', 'name', 'bio', 'born', 'book_count'], embeds: ['books', 'latest_book', 'book_titles'], hints: ['books!author_id', 'books!editor_id', 'books!books_author_id_fkey'] },
  {
    name: 'books',
    columns: ['id', 'title', 'author_id', 'editor_id', 'price', 'tags', 'meta', 'doc', 'pages', 'search', 'mood', 'published_at', 'cover', 'owner', 'uid'],
    embeds: ['authors', 'readers', 'loans', 'book_details'],
    hints: ['authors!author_id', 'authors!editor_id', 'authors!inner', 'authors!left', 'authors!books_editor_id_fkey'],
  },
  { name: 'readers', columns: ['id', 'name', 'email'], embeds: ['books', 'loans'], hints: ['books!loans', 'loans!inner'] },
  { name: 'loans', columns: ['book_id', 'reader_id', 'due'], embeds: ['books', 'readers'], hints: ['books!inner'] },
  { name: 'book_details', columns: ['book_id', 'isbn', 'hardcover'], embeds: ['books'], hints: [] },
  { name: 'shelves', columns: ['id', 'label', 'parent_id'], embeds: ['shelves'], hints: ['shelves!parent_id', 'parent:shelves!parent_id', 'children:shelves!shelves_parent_id_fkey'] },
  { name: 'counters', columns: ['k', 'n'], embeds: [], hints: [] },
  { name: 'book_titles', columns: ['id', 'title', 'author_id'], embeds: ['authors'], hints: [] },
];

/** Columns of JSON types, for `->` / `->>` paths. */
export const JSON_COLUMNS = ['meta', 'doc'] as const;
export const JSON_KEYS = ['lang', 'score', 'nested', 'deep', 'n', '0', '-1', 'missing'] as const;

export interface RoutineInfo {
  readonly name: string;
  readonly args: readonly string[];
  /** Whether GET may call it (stable or immutable). */
  readonly readOnly: boolean;
}

export const ROUTINES: readonly RoutineInfo[] = [
  { name: 'hello', args: [], readOnly: true },
  { name: 'add', args: ['a', 'b'], readOnly: true },
  { name: 'echo', args: [], readOnly: true },
  { name: 'echo_jsonb', args: ['j'], readOnly: true },
  { name: 'echo_text', args: [], readOnly: true },
  { name: 'byte_length', args: [], readOnly: true },
  { name: 'sum_all', args: ['nums'], readOnly: true },
  { name: 'numbers', args: ['n'], readOnly: true },
  { name: 'books_since', args: ['y'], readOnly: true },
  { name: 'book_by_id', args: ['bid'], readOnly: true },
  { name: 'search_books', args: ['q'], readOnly: true },
  { name: 'typed', args: ['i', 't', 'b', 'd', 'ts', 'u', 'n', 'arr', 'j', 'r', 'm'], readOnly: true },
  { name: 'pairs', args: [], readOnly: true },
  { name: 'stats', args: [], readOnly: true },
  { name: 'whoami', args: [], readOnly: true },
  { name: 'overloaded', args: ['a'], readOnly: true },
  { name: 'fail_with', args: ['msg'], readOnly: false },
  { name: 'noop', args: [], readOnly: false },
  { name: 'bump', args: ['key'], readOnly: false },
];

export const SCHEMAS = ['public', 'other'] as const;
/** The user the fixture's seed creates (see fixture/supabase/seed.sql). */
export const FUZZ_USER = { id: 'f0220000-0000-4000-8000-000000000001', email: 'fuzz@example.com', password: 'fuzz-password-1' } as const;
