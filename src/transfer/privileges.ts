// GRANT statements that give an object on the target exactly the privileges it had on the
// source. The target's bootstrap has default privileges of its own (the API roles get
// everything made in `public`), so each object first loses what PUBLIC and those roles got
// by default, then gets the source's grants back. Pure.
import { quoteIdent } from '../lib/sql.ts';
import type { AclEntry, DefaultAclInfo } from './catalog-types.ts';
import { DEFAULT_GRANTEES, GROUNDWORK_DEFAULT_ACLS } from './scope.ts';

export type PrivilegeKind = 'table' | 'sequence' | 'function' | 'schema' | 'column';

/**
 * Every privilege of a kind that PostgreSQL 15 knows: holding them all is written `all`.
 * (PostgreSQL 17 added MAINTAIN on tables, which 15 refuses; `all` carries it on a newer target.)
 */
const FULL: Readonly<Record<PrivilegeKind, readonly string[]>> = {
  table: ['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER'],
  sequence: ['USAGE', 'SELECT', 'UPDATE'],
  function: ['EXECUTE'],
  schema: ['USAGE', 'CREATE'],
  column: ['SELECT', 'INSERT', 'UPDATE', 'REFERENCES'],
};

const grantee = (name: string) => (name === '' ? 'public' : quoteIdent(name));

interface Held {
  readonly all: Set<string>;
  readonly grantable: Set<string>;
}

function byGrantee(acl: readonly AclEntry[], skip: string): Map<string, Held> {
  const held = new Map<string, Held>();
  for (const e of acl) {
    if (e.grantee === skip) continue;
    const h = held.get(e.grantee) ?? { all: new Set<string>(), grantable: new Set<string>() };
    h.all.add(e.privilege);
    if (e.grantable) h.grantable.add(e.privilege);
    held.set(e.grantee, h);
  }
  return held;
}

/** The privilege list for a GRANT: `all` when every one is held, else the ones 15 knows. */
function privilegeList(kind: PrivilegeKind, privileges: ReadonlySet<string>, columns?: string): string | undefined {
  const full = FULL[kind];
  const suffix = columns === undefined ? '' : ` (${columns})`;
  if (full.every((p) => privileges.has(p))) return `all${suffix}`;
  const known = full.filter((p) => privileges.has(p));
  return known.length === 0 ? undefined : known.map((p) => `${p.toLowerCase()}${suffix}`).join(', ');
}

function grantsFor(kind: PrivilegeKind, on: string, held: ReadonlyMap<string, Held>, columns?: string): string[] {
  const out: string[] = [];
  for (const [name, h] of held) {
    const plain = new Set([...h.all].filter((p) => !h.grantable.has(p)));
    const list = privilegeList(kind, plain, columns);
    if (list !== undefined) out.push(`grant ${list} on ${on} to ${grantee(name)};`);
    const withOption = privilegeList(kind, h.grantable, columns);
    if (withOption !== undefined) out.push(`grant ${withOption} on ${on} to ${grantee(name)} with grant option;`);
  }
  return out;
}

/**
 * Statements that set `on`'s privileges to `acl` (an ACL as aclexplode reads it, the
 * default one when the source had none). `on` is the GRANT object: `table "s"."t"`,
 * `function "s"."f"(integer)`, `schema "s"`… The owner's own privileges come with ownership.
 */
export function objectGrants(kind: Exclude<PrivilegeKind, 'column'>, on: string, acl: readonly AclEntry[], owner: string): string[] {
  const from = ['public', ...DEFAULT_GRANTEES.map(quoteIdent)].join(', ');
  return [`revoke all on ${on} from ${from};`, ...grantsFor(kind, on, byGrantee(acl, owner))];
}

/** Column grants (`grant select ("c") on table …`); a new column has none to revoke. */
export function columnGrants(table: string, column: string, acl: readonly AclEntry[]): string[] {
  return grantsFor('column', `table ${table}`, byGrantee(acl, '\u0000'), quoteIdent(column));
}

const DEFAULT_ACL_OBJECTS: Readonly<Record<DefaultAclInfo['kind'], { readonly word: string; readonly kind: PrivilegeKind | 'type' }>> = {
  r: { word: 'tables', kind: 'table' },
  S: { word: 'sequences', kind: 'sequence' },
  f: { word: 'functions', kind: 'function' },
  T: { word: 'types', kind: 'type' },
  n: { word: 'schemas', kind: 'schema' },
};

function defaultAclPrefix(role: string, admin: string, schema: string | null): string {
  const forRole = role === admin ? '' : ` for role ${quoteIdent(role)}`;
  const inSchema = schema === null ? '' : ` in schema ${quoteIdent(schema)}`;
  return `alter default privileges${forRole}${inSchema}`;
}

/**
 * `alter default privileges` statements so objects the project makes later on the target
 * get what they would have got on the source. `admin` is the source role that made the
 * project's objects: its entries apply to whoever loads the dump. The bootstrap's own
 * entries in `public` that the source no longer has are revoked too.
 */
export function defaultPrivileges(entries: readonly DefaultAclInfo[], admin: string, projectSchemas: readonly string[]): string[] {
  const out: string[] = [];
  const from = ['public', ...DEFAULT_GRANTEES.map(quoteIdent)].join(', ');
  for (const e of entries) {
    const { word, kind } = DEFAULT_ACL_OBJECTS[e.kind];
    const prefix = defaultAclPrefix(e.role, admin, e.schema);
    out.push(`${prefix} revoke all on ${word} from ${from};`);
    for (const [name, h] of byGrantee(e.acl, e.role)) {
      const privileges = kind === 'type' ? (h.all.has('USAGE') ? 'usage' : undefined) : privilegeList(kind, h.all);
      if (privileges === undefined) continue;
      const option = h.grantable.size > 0 && h.grantable.size === h.all.size ? ' with grant option' : '';
      out.push(`${prefix} grant ${privileges} on ${word} to ${grantee(name)}${option};`);
    }
  }
  for (const [schema, k] of GROUNDWORK_DEFAULT_ACLS) {
    if (!projectSchemas.includes(schema)) continue;
    if (entries.some((e) => e.role === admin && e.schema === schema && e.kind === k)) continue;
    out.push(`${defaultAclPrefix(admin, admin, schema)} revoke all on ${DEFAULT_ACL_OBJECTS[k].word} from ${from};`);
  }
  return out;
}
