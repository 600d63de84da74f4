// REST requests meant to be valid: real columns, embeds and functions, operators and values
// of the right types, sane headers and credentials, bodies of well-typed rows. They reach
// the planner, the SQL and the database (where row-level security refuses every write);
// the malformed half of the mix comes from rest.ts.
import type { HttpCase } from '../case.ts';
import type { Rng } from '../prng.ts';
import type { Param } from './rest-filter.ts';
import { tableInfo } from './rest-select.ts';
import { FUZZ_USER, JSON_COLUMNS, ROUTINES, TABLES, type TableInfo } from './schema.ts';
import { signHs256, type Credentials } from './tokens.ts';
import { typedCondition, typedJson, typedText } from './typed.ts';
import { pct } from './values.ts';

const GRAMMAR = /[A-Za-z0-9\-_.~!*'():,>]/;

function selectList(r: Rng, t: TableInfo, depth: number): string {
  return r
    .many(r.int(1, 4), () =>
      r.weighted<() => string>([
        [1, () => '*'],
        [6, () => `${r.chance(0.15) ? 'a:' : ''}${r.pick(t.columns)}${r.chance(0.1) ? '::text' : ''}`],
        [t.columns.includes('meta') ? 2 : 0, () => `${r.pick(JSON_COLUMNS)}${r.pick(['->>lang', '->score', '->nested->>deep', '->>n'])}`],
        [1, () => (r.chance(0.5) ? 'count()' : `${t.columns[0] ?? 'id'}.${r.pick(['count', 'max', 'min'])}()`)],
        [depth > 0 && t.embeds.length > 0 ? 3 : 0, () => {
          const name = r.pick(t.embeds);
          const inner = tableInfo(name) ?? tableInfo('books');
          const hinted = r.chance(0.2) && t.hints.length > 0 ? r.pick(t.hints) : name;
          return `${r.chance(0.1) ? '...' : ''}${hinted}(${inner === undefined ? '*' : selectList(r, inner, depth - 1)})`;
        }],
      ])(),
    )
    .join(',');
}

function condition(r: Rng, t: TableInfo): string {
  const col = r.pick(t.columns);
  const type = t.types[col] ?? 'text';
  if (type === 'json' || (type === 'jsonb' && r.chance(0.5))) return `${col}->>${r.pick(['lang', 'n', 'score'])}.${r.pick(['eq.en', 'eq.fr', 'gt.3', 'is.null', 'in.(1,2,fr)'])}`;
  return `${col}.${typedCondition(r, type)}`;
}

function filters(r: Rng, t: TableInfo): Param[] {
  return r.many(r.int(0, 3), () => {
    if (r.chance(0.25)) {
      const tree = (d: number): string => `(${r.many(r.int(1, 3), () => (d > 0 && r.chance(0.3) ? `${r.pick(['or', 'and', 'not.or'])}${tree(d - 1)}` : condition(r, t))).join(',')})`;
      return [r.pick(['or', 'and', 'not.and']), tree(2)] as const;
    }
    const [col, ...rest] = condition(r, t).split('.');
    return [col ?? 'id', rest.join('.')] as const;
  });
}

function paging(r: Rng, t: TableInfo): Param[] {
  const out: Param[] = [];
  if (r.chance(0.4)) out.push(['order', r.many(r.int(1, 2), () => `${r.pick(t.columns.filter((c) => !['doc', 'search'].includes(c)))}${r.pick(['', '.asc', '.desc'])}${r.pick(['', '.nullsfirst', '.nullslast'])}`).join(',')]);
  if (r.chance(0.3)) out.push(['limit', String(r.int(0, 30))]);
  if (r.chance(0.2)) out.push(['offset', String(r.int(0, 250))]);
  return out;
}

function credentials(r: Rng, creds: Credentials): Record<string, string> {
  const token = r.weighted<() => string | undefined>([
    [5, () => undefined],
    [2, () => creds.session?.accessToken],
    [3, () => signHs256({ alg: 'HS256', typ: 'JWT' }, { role: 'authenticated', sub: FUZZ_USER.id, aud: 'authenticated', exp: 2082585600, email: FUZZ_USER.email }, creds.jwtSecret)],
  ])();
  return { apikey: creds.anonKey, ...(token === undefined ? {} : { authorization: `Bearer ${token}` }) };
}

function row(r: Rng, t: TableInfo): Record<string, unknown> {
  const cols = t.columns.filter((c) => c !== 'book_count' && (r.chance(0.6) || t.key.includes(c)));
  return Object.fromEntries(cols.map((c) => [c, c === 'id' ? r.int(1, 400) : typedJson(r, t.types[c] ?? 'text')]));
}

function query(r: Rng, params: readonly Param[]): string {
  return params.length === 0 ? '' : `?${params.map(([k, v]) => `${pct(k, GRAMMAR)}=${pct(v, GRAMMAR)}`).join('&')}`;
}

export function cleanRestCase(r: Rng, creds: Credentials): HttpCase {
  const headers: Record<string, string> = credentials(r, creds);
  if (r.chance(0.2)) headers['prefer'] = r.pick(['count=exact', 'count=planned', 'return=representation', 'return=minimal', 'handling=strict', 'missing=default', 'resolution=merge-duplicates', 'count=estimated, return=representation']);
  if (r.chance(0.15)) headers['accept'] = r.pick(['application/vnd.pgrst.object+json', 'text/csv', 'application/geo+json', 'application/vnd.pgrst.plan+json', 'application/vnd.pgrst.array+json;nulls=stripped', 'application/json']);
  if (r.chance(0.1)) headers['range'] = `${r.int(0, 10)}-${r.int(0, 30)}`;
  if (r.chance(0.15)) {
    const f = r.pick(ROUTINES);
    const args = Object.fromEntries(f.args.map((a, i) => [a, typedJson(r, f.types?.[i] ?? 'text')]).filter(() => r.chance(0.85)));
    const get = f.readOnly && r.chance(0.5);
    if (get) {
      const params: Param[] = Object.entries(args).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)] as const);
      return { kind: 'http', family: 'rest', method: r.chance(0.9) ? 'GET' : 'HEAD', path: `/rest/v1/rpc/${f.name}${query(r, params)}`, headers };
    }
    headers['content-type'] = 'application/json';
    return { kind: 'http', family: 'rest', method: 'POST', path: `/rest/v1/rpc/${f.name}`, headers, body: Buffer.from(JSON.stringify(args)) };
  }
  const t = r.pick(TABLES);
  const method = r.weighted([[10, 'GET'], [1, 'HEAD'], [2, 'POST'], [2, 'PATCH'], [1, 'PUT'], [2, 'DELETE']]);
  const params: Param[] = [];
  if (method === 'GET' || method === 'HEAD' || r.chance(0.3)) params.push(['select', selectList(r, t, 2)]);
  if (method === 'PUT') params.push(...t.key.map((k) => [k, `eq.${typedText(r, t.types[k] ?? 'int')}`] as const));
  else if (method !== 'POST') params.push(...filters(r, t));
  if (method === 'GET') params.push(...paging(r, t));
  if (method === 'POST' && r.chance(0.2)) params.push(['on_conflict', t.key.join(',')]);
  let body: Buffer | undefined;
  if (method === 'POST' || method === 'PATCH' || method === 'PUT') {
    const value = method === 'POST' && r.chance(0.3) ? r.many(r.int(1, 5), () => row(r, t)) : row(r, t);
    body = Buffer.from(JSON.stringify(value));
    headers['content-type'] = 'application/json';
  }
  return { kind: 'http', family: 'rest', method, path: `/rest/v1/${t.name}${query(r, params)}`, headers, ...(body === undefined ? {} : { body }) };
}
