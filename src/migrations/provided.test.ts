import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { providedExtension } from './provided.ts';

describe('extensions Groundwork provides', () => {
  const cases: ReadonlyArray<readonly [string, string | undefined]> = [
    ['create extension if not exists pg_net with schema extensions', 'pg_net'],
    ['CREATE EXTENSION IF NOT EXISTS "pg_net" WITH SCHEMA "extensions"', 'pg_net'],
    ['create extension pgmq', 'pgmq'],
    ['create extension if not exists pg_cron with schema pg_catalog', 'pg_cron'],
    ['-- queues\ncreate extension pgmq cascade', 'pgmq'],
    ['create extension if not exists pgcrypto', undefined],
    ['create extension pg_netx', undefined],
    ['select 1 -- create extension pgmq', undefined],
    ['drop extension pg_net', undefined],
  ];
  for (const [statement, want] of cases) it(JSON.stringify(statement), () => assert.equal(providedExtension(statement), want));
});
