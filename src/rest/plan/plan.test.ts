// The planner against the cinema fixture (no database): relationships chosen for embeds,
// and the errors PostgREST gives when a request cannot be planned.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../../errors/api-error.ts';
import { cinema, request, restConfig } from '../../../test/support/cinema.ts';
import { planReadTree } from './read.ts';
import { planRequest } from './plan.ts';
import type { EmbedNode, ReadNode } from './types.ts';

function tree(url: string): ReadNode {
  const req = request('GET', url);
  const t = req.target;
  if (t.kind !== 'relation') throw new Error('not a relation');
  const relation = cinema.relations.get(`public.${t.name}`);
  if (relation === undefined) throw new Error(`no ${t.name}`);
  return planReadTree({ cache: cinema, schema: 'public', exposed: ['public'], aggregatesEnabled: false, maxRows: 1000 }, relation, relation.name, req, { rootFilters: true });
}

const embed = (node: ReadNode, i = 0): EmbedNode => node.embeds[i] as EmbedNode;

describe('embedding: which relationship', () => {
  const cases: Array<[string, string, string, string]> = [
    // url, expected cardinality, expected target, expected constraint or junction
    ['/films?select=title,directors(name)', 'many-to-one', 'directors', 'films_director_id_fkey'],
    ['/directors?select=films(title)', 'one-to-many', 'films', 'films_director_id_fkey'],
    ['/films?select=actors(name)', 'many-to-many', 'actors', 'roles'],
    ['/films?select=technical_specs(camera)', 'one-to-one', 'technical_specs', 'technical_specs_film_id_fkey'],
    ['/technical_specs?select=films(title)', 'one-to-one', 'films', 'technical_specs_film_id_fkey'],
    ['/films?select=director_id(name)', 'many-to-one', 'directors', 'films_director_id_fkey'],
    ['/films?select=films_director_id_fkey(name)', 'many-to-one', 'directors', 'films_director_id_fkey'],
    ['/employees?select=manager_id(name)', 'many-to-one', 'employees', 'employees_manager_id_fkey'],
    ['/employees?select=employees(name)', 'one-to-many', 'employees', 'employees_manager_id_fkey'],
    ['/orders?select=addresses!billing_address_id(city)', 'many-to-one', 'addresses', 'orders_billing_address_id_fkey'],
    ['/orders?select=addresses!orders_shipping_address_id_fkey(city)', 'many-to-one', 'addresses', 'orders_shipping_address_id_fkey'],
    ['/actors?select=films!roles(title)', 'many-to-many', 'films', 'roles'],
    // Foreign keys projected onto a view that exposes their columns.
    ['/roles?select=film_titles(title)', 'many-to-one', 'film_titles', 'roles_film_id_fkey'],
    ['/film_titles?select=technical_specs(camera)', 'one-to-one', 'technical_specs', 'technical_specs_film_id_fkey'],
    ['/film_titles?select=roles(character)', 'one-to-many', 'roles', 'roles_film_id_fkey'],
    // A computed relationship: a function of a row.
    ['/directors?select=name,top_film(title)', 'many-to-one', 'films', 'top_film'],
  ];

  it('gives a view the primary key of the table it exposes', () => {
    assert.deepEqual(cinema.relations.get('public.film_titles')?.primaryKey, ['id']);
  });
  for (const [url, cardinality, target, via] of cases) {
    it(url, () => {
      const e = embed(tree(url));
      assert.equal(e.relationship.cardinality, cardinality);
      assert.equal(e.relationship.target.name, target);
      assert.equal(e.relationship.junction?.table.name ?? e.relationship.constraint, via);
    });
  }

  it("names levels as PostgREST does (<table>_<depth>, <parent>_<key>_<depth>), keeping aliases, hints, !inner and spreads", () => {
    const t = tree('/films?select=title,dir:directors!inner(name),cast:actors(name,films(title)),...technical_specs(camera)');
    assert.deepEqual(t.embeds.map((e) => [e.key, e.join, e.spread, e.lateral, e.child.alias]), [
      ['dir', 'inner', false, 'films_dir_1', 'directors_1'],
      ['cast', 'left', false, 'films_cast_1', 'actors_1'],
      ['technical_specs', 'left', true, 'films_technical_specs_1', 'technical_specs_1'],
    ]);
    assert.equal(embed(embed(t, 1).child).lateral, 'actors_films_2');
    assert.equal(embed(embed(t, 1).child).child.alias, 'films_2');
  });

  it('puts filters, order and limits on the level their path names', () => {
    const t = tree('/films?select=title,cast:actors(name)&cast.name=like.T*&cast.order=name.desc&cast.limit=2&year=gt.1950&order=year');
    assert.equal(t.conditions.length, 1);
    assert.equal(embed(t).child.conditions.length, 1);
    assert.deepEqual(embed(t).child.order.map((o) => [o.field.name, o.direction]), [['name', 'desc']]);
    assert.equal(embed(t).child.limit, 2);
    assert.equal(t.limit, 1000, 'max rows caps the top level');
  });

  it('turns embed=is.null / not.is.null into a test on the embedded rows', () => {
    const t = tree('/directors?select=name,films()&films=is.null');
    assert.deepEqual(t.conditions, [{ kind: 'embed-null', lateral: 'directors_films_1', toOne: false, isNull: true }]);
    assert.equal(embed(t).hidden, true);
  });
});

describe('planning errors', () => {
  const cases: Array<[string, string, unknown, number, string, RegExp, RegExp | null]> = [
    ['GET', '/flims', undefined, 404, 'PGRST205', /^Could not find the table 'public.flims' in the schema cache$/, /^Perhaps you meant the table 'public.films'$/],
    ['GET', '/orders?select=addresses(city)', undefined, 300, 'PGRST201', /^Could not embed because more than one relationship was found for 'orders' and 'addresses'$/, /^Try changing 'addresses' to one of the following: 'addresses!orders_billing_address_id_fkey', 'addresses!orders_shipping_address_id_fkey'\. Find the desired relationship in the 'details' key\.$/],
    ['GET', '/films?select=director(*)', undefined, 400, 'PGRST200', /^Could not find a relationship between 'films' and 'director' in the schema cache$/, /^Perhaps you meant 'directors' instead of 'director'\.$/],
    ['GET', '/films?select=title&directors.name=eq.x', undefined, 400, 'PGRST108', /^'directors' is not an embedded resource in this request$/, /select/],
    ['GET', '/directors?select=films(title)&order=films(title)', undefined, 400, 'PGRST118', /^A related order on 'films' is not possible$/, null],
    ['GET', '/films?select=rating.sum()', undefined, 400, 'PGRST123', /^Use of aggregate functions is not allowed$/, null],
    ['POST', '/films', { nope: 1 }, 400, 'PGRST204', /^Could not find the 'nope' column of 'films' in the schema cache$/, null],
    ['PUT', '/films?title=eq.x', { id: 1 }, 405, 'PGRST105', /primary key/, null],
    ['GET', '/rpc/add?x=1', undefined, 404, 'PGRST202', /^Could not find the function public\.add\(x\) in the schema cache$/, null],
    ['GET', '/rpc/helo', undefined, 404, 'PGRST202', /without parameters/, /^Perhaps you meant to call the function public\.hello$/],
  ];
  for (const [method, url, body, status, code, message, hint] of cases) {
    it(`${method} ${url} → ${status} ${code}`, () => {
      assert.throws(
        () => planRequest(request(method, url, body), cinema, restConfig),
        (e: unknown) => {
          assert.ok(e instanceof ApiError, String(e));
          assert.equal(e.status, status);
          assert.equal(e.body.code, code);
          assert.match(e.body.message, message);
          if (hint !== null) assert.match(e.body.hint ?? '', hint);
          return true;
        },
      );
    });
  }

  it('lists the candidates of an ambiguous embed', () => {
    try {
      planRequest(request('GET', '/orders?select=addresses(city)'), cinema, restConfig);
      assert.fail('expected PGRST201');
    } catch (e) {
      assert.ok(e instanceof ApiError);
      assert.deepEqual(e.body.details, [
        { cardinality: 'many-to-one', embedding: 'orders with addresses', relationship: 'orders_billing_address_id_fkey using orders(billing_address_id) and addresses(id)' },
        { cardinality: 'many-to-one', embedding: 'orders with addresses', relationship: 'orders_shipping_address_id_fkey using orders(shipping_address_id) and addresses(id)' },
      ]);
    }
  });

  it('resolves overloads and defaults by argument names', () => {
    for (const url of ['/rpc/add?a=1', '/rpc/add?a=1&b=2', '/rpc/overloaded?a=1', '/rpc/overloaded?a=1&b=2', '/rpc/hello']) {
      assert.equal(planRequest(request('GET', url), cinema, restConfig).kind, 'statement', url);
    }
  });
});
