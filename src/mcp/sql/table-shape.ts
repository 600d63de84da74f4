// Pure reshaping of catalog tables into `list_tables` answers, as Supabase's tool gives them:
// compact `{name, rls_enabled, rows, comment?}`, or verbose with columns and keys (empty and
// null fields left out), plus at most one advisory when a listed table has RLS off outside
// the platform's own schemas.
import type { CatalogColumn, CatalogTable } from './list-tables.ts';

/** Schemas the platform owns: RLS there is not the developer's to fix. */
const PLATFORM_SCHEMAS = new Set([
  'auth', 'storage', 'realtime', 'extensions', 'graphql', 'graphql_public', 'vault', 'pgsodium', 'pgsodium_masks',
  'supabase_functions', 'supabase_migrations', 'cron', 'net', 'pgmq', 'pgmq_public', 'pg_catalog', 'information_schema',
  'pgbouncer', '_groundwork', '_realtime', '_analytics',
]);

export type CompactTable = {
  name: string;
  rls_enabled: boolean;
  rows: number;
  comment?: string;
};

export type VerboseColumn = {
  name: string;
  data_type: string;
  format: string;
  options: string[];
  default_value?: string;
  identity_generation?: string;
  enums?: string[];
  check?: string;
  comment?: string;
};

export type VerboseTable = CompactTable & {
  columns: VerboseColumn[];
  primary_keys: string[];
  foreign_key_constraints?: Array<{ name: string; source: string; target: string }>;
};

export type Advisory = {
  id: 'rls_disabled';
  priority: number;
  level: 'critical';
  title: string;
  message: string;
  remediation_sql: string;
  doc_url: string;
};

function column(c: CatalogColumn): VerboseColumn {
  const options = [
    ...(c.is_identity ? ['identity'] : []),
    ...(c.is_generated ? ['generated'] : []),
    ...(c.is_nullable ? ['nullable'] : []),
    ...(c.is_updatable ? ['updatable'] : []),
    ...(c.is_unique ? ['unique'] : []),
  ];
  return {
    name: c.name,
    data_type: c.data_type,
    format: c.format,
    options,
    ...(c.default_value !== null ? { default_value: c.default_value } : {}),
    ...(c.identity_generation !== null ? { identity_generation: c.identity_generation } : {}),
    ...(c.enums.length > 0 ? { enums: c.enums } : {}),
    ...(c.check !== null ? { check: c.check } : {}),
    ...(c.comment !== null ? { comment: c.comment } : {}),
  };
}

export function shapeTable(t: CatalogTable, verbose: boolean): CompactTable | VerboseTable {
  const compact: CompactTable = { name: `${t.schema}.${t.name}`, rls_enabled: t.rls_enabled, rows: t.rows, ...(t.comment !== null ? { comment: t.comment } : {}) };
  if (!verbose) return compact;
  return {
    ...compact,
    columns: t.columns.map(column),
    primary_keys: t.primary_keys,
    ...(t.foreign_keys.length > 0 ? { foreign_key_constraints: t.foreign_keys } : {}),
  };
}

const quote = (name: string) => (/^[a-z_][a-z0-9_]*$/.test(name) ? name : `"${name.replaceAll('"', '""')}"`);

/** The RLS advisory for tables anyone with the anon key might reach, if any. */
export function rlsAdvisory(tables: readonly CatalogTable[]): Advisory | undefined {
  const open = tables.filter((t) => !t.rls_enabled && !PLATFORM_SCHEMAS.has(t.schema));
  if (open.length === 0) return undefined;
  const names = open.map((t) => `${t.schema}.${t.name}`);
  return {
    id: 'rls_disabled',
    priority: 1,
    level: 'critical',
    title: 'Row level security is off',
    message:
      `${open.length === 1 ? 'Table' : 'Tables'} ${names.join(', ')} ${open.length === 1 ? 'has' : 'have'} row level security disabled: ` +
      'anyone with the anon key can read and change every row through the REST API. Tell the user, and suggest the remediation SQL; do not apply it without their consent.',
    remediation_sql: open.map((t) => `ALTER TABLE ${quote(t.schema)}.${quote(t.name)} ENABLE ROW LEVEL SECURITY;`).join('\n'),
    doc_url: 'https://supabase.com/docs/guides/database/postgres/row-level-security',
  };
}
