// SQL snapshots: each representative request's compiled statement is kept in
// snapshots/<name>.sql, so a change to the generated SQL is a diff in review.
// UPDATE_SNAPSHOTS=1 rewrites them.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { compile } from '../../lib/sql.ts';
import { cinema, request, restConfig } from '../../../test/support/cinema.ts';
import { planRequest } from '../plan/plan.ts';

const dir = new URL('./snapshots/', import.meta.url);
const update = process.env.UPDATE_SNAPSHOTS === '1';

const cases: Array<[name: string, method: string, url: string, body?: unknown, headers?: Record<string, string>]> = [
  ['read-columns-filter-order', 'GET', '/films?select=id,title&year=gte.1950&order=year.desc.nullslast&limit=10&offset=5'],
  ['read-embed-to-one-and-many', 'GET', '/films?select=title,directors(name),cast:actors(name),technical_specs(camera)'],
  ['read-embed-inner-filter-limit', 'GET', '/directors?select=name,films!inner(title)&films.year=lt.1960&films.order=year&films.limit=1'],
  ['read-json-path-cast', 'GET', '/films?select=title,lang:meta->>lang,cannes:meta->awards->cannes,rating::text&meta->>lang=eq.ja'],
  ['read-logic-trees', 'GET', '/films?or=(year.lt.1955,and(rating.gte.8,genre.not.eq.drama))&tags=cs.{classic}'],
  ['read-operators', 'GET', '/films?title=ilike.*samurai*&id=in.(1,2,"3")&genre=not.is.null&summary=fts(english).samurai&runtime=adj.[80,85)&title=like(any).{R*,S*}'],
  ['read-null-embed', 'GET', '/directors?select=name,films()&films=is.null'],
  ['read-spread-and-related-order', 'GET', '/films?select=title,...directors(director:name)&order=directors(name).asc'],
  ['read-count-exact', 'GET', '/films?select=title&year=gt.1950', undefined, { prefer: 'count=exact' }],
  ['read-singular', 'GET', '/films?id=eq.1', undefined, { accept: 'application/vnd.pgrst.object+json' }],
  ['read-csv', 'GET', '/films?select=id,title', undefined, { accept: 'text/csv' }],
  ['insert-representation', 'POST', '/films?select=id,title,directors(name)', { id: 9, title: 'New', director_id: 1 }, { prefer: 'return=representation' }],
  ['insert-bulk-columns-defaults', 'POST', '/orders?columns=total,note', [{ total: 1 }, { total: 2, note: 'x' }], { prefer: 'missing=default' }],
  ['upsert-merge', 'POST', '/kv?on_conflict=k', [{ k: 'a', v: 'z' }], { prefer: 'resolution=merge-duplicates, return=representation' }],
  ['update-filtered', 'PATCH', '/films?id=eq.1&select=id,title', { title: 'Cleo' }, { prefer: 'return=representation' }],
  ['put-single-row', 'PUT', '/kv?k=eq.c', { k: 'c', v: '3' }],
  ['delete-filtered', 'DELETE', '/films?year=is.null'],
  ['rpc-get-scalar', 'GET', '/rpc/add?a=1&b=2'],
  ['rpc-post-rows-filtered', 'POST', '/rpc/films_since?select=title,directors(name)&order=id&limit=2', { y: 1950 }],
  ['rpc-variadic', 'GET', '/rpc/sum_all?nums=1&nums=2&nums=3'],
  ['rpc-single-json', 'POST', '/rpc/echo', { any: ['thing'] }],
];

/** Line breaks before the main clauses, for readable diffs (display only). */
function display(text: string): string {
  return text.replace(/ (FROM|WHERE|ORDER BY|LIMIT|OFFSET|GROUP BY|LEFT JOIN LATERAL|INNER JOIN LATERAL|RETURNING|ON CONFLICT|SELECT) /g, '\n  $1 ').replace(/, (pgrst_\w+ AS \()/g, ',\n$1');
}

for (const [name, method, url, body, headers] of cases) {
  it(`${name}: ${method} ${url}`, () => {
    const plan = planRequest(request(method, url, body, headers), cinema, restConfig);
    assert.equal(plan.kind, 'statement');
    if (plan.kind !== 'statement') return;
    const { text, values } = compile(plan.execution.statement);
    const snapshot = `-- ${method} ${url}${body === undefined ? '' : `\n-- body: ${JSON.stringify(body)}`}\n${display(text)}\n-- values: ${JSON.stringify(values)}\n`;
    const file = new URL(`${name}.sql`, dir);
    if (update || !existsSync(file)) {
      mkdirSync(dir, { recursive: true });
      writeFileSync(file, snapshot);
    }
    assert.equal(snapshot, readFileSync(file, 'utf8'));
  });
}
