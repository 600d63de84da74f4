import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { buildSchemaCache } from './build.ts';

const fixture: unknown = JSON.parse(readFileSync(new URL('./fixtures/blog.json', import.meta.url), 'utf8'));

describe('buildSchemaCache (from the blog fixture, no database)', () => {
  const cache = buildSchemaCache(fixture, new Date('2026-01-01T00:00:00Z'));

  it('lists tables with their kind, RLS and write abilities', () => {
    const own = [...cache.relations.keys()].filter((k) => k.startsWith('public.') || k === 'auth.users');
    assert.deepEqual(own, ['auth.users', 'public.comments', 'public.notifications', 'public.posts', 'public.profiles', 'public.stripe_events', 'public.user_roles']);
    assert.ok(cache.relations.has('auth.sessions') && cache.relations.has('auth.refresh_tokens'));
    const posts = cache.relations.get('public.posts');
    assert.ok(posts);
    assert.equal(posts.kind, 'table');
    assert.equal(posts.rlsEnabled, true);
    assert.deepEqual([posts.insertable, posts.updatable, posts.deletable], [true, true, true]);
    assert.deepEqual(posts.primaryKey, ['id']);
  });

  it('describes columns: type, nullability, default, identity, generated', () => {
    const col = (rel: string, name: string) => cache.relations.get(rel)?.columns.find((c) => c.name === name);
    assert.deepEqual(
      { ...col('public.posts', 'published') },
      { name: 'published', position: 5, type: 'boolean', typeOid: 16, udtName: 'bool', nullable: false, default: 'false', identity: null, generated: false, enumValues: null, comment: null },
    );
    assert.equal(col('public.comments', 'id')?.identity, 'always');
    assert.equal(col('auth.users', 'confirmed_at')?.generated, true);
    assert.equal(col('auth.users', 'email')?.type, 'character varying(255)');
    assert.equal(col('public.profiles', 'avatar_url')?.nullable, true);
    assert.equal(col('public.posts', 'id')?.default, 'gen_random_uuid()');
  });

  it('resolves foreign keys, column by column', () => {
    const fk = cache.foreignKeys.find((f) => f.table === 'comments' && f.refTable === 'posts');
    assert.deepEqual(fk, { name: 'comments_post_id_fkey', schema: 'public', table: 'comments', columns: ['post_id'], refSchema: 'public', refTable: 'posts', refColumns: ['id'] });
    assert.ok(cache.foreignKeys.some((f) => f.table === 'profiles' && f.refSchema === 'auth' && f.refTable === 'users'));
  });

  it('lists functions with arguments, return type and volatility', () => {
    const uid = cache.routines.get('auth.uid')?.[0];
    assert.deepEqual(uid && { ...uid, args: [...uid.args] }, {
      schema: 'auth',
      name: 'uid',
      args: [],
      returnType: 'uuid',
      returnTypeOid: 2950,
      returnsSet: false,
      returnsRelation: null,
      returnColumns: [],
      volatility: 'stable',
      comment: null,
      rows: 0,
    });
  });

  it('knows which roles requests may switch to', () => {
    assert.deepEqual([...cache.roles].sort(), ['anon', 'authenticated', 'authenticator', 'service_role']);
  });

  it('refuses a malformed document with a clear error', () => {
    assert.throws(() => buildSchemaCache({ relations: 'nope' }), /relations/);
  });
});
