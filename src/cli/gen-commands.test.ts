import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { UsageError } from './args.ts';
import { genTypesRequest } from './gen-commands.ts';

const config = { rest: { schemas: ['public', 'graphql_public', 'pgmq_public'] } } as unknown as Parameters<typeof genTypesRequest>[0];

describe('genTypesRequest', () => {
  const ok: Array<[string, string[], Record<string, string | boolean>, Partial<ReturnType<typeof genTypesRequest>>]> = [
    ['defaults: public and the exposed schemas, stdout, isOneToOne', [], {}, { schemas: ['public', 'graphql_public', 'pgmq_public'], output: undefined, dbUrl: undefined, detectOneToOne: true }],
    ['--schema replaces them (deduplicated, trimmed)', ['typescript'], { schema: 'shop, public,shop' }, { schemas: ['shop', 'public'] }],
    ['--lang typescript and --local change nothing', [], { lang: 'typescript', local: true }, { schemas: ['public', 'graphql_public', 'pgmq_public'] }],
    ['--db-url, --output, --postgrest-version, --postgrest-v9-compat', [], { 'db-url': 'postgresql://u:p@h:5432/d', output: 'x.ts', 'postgrest-version': '13', 'postgrest-v9-compat': true }, { dbUrl: 'postgresql://u:p@h:5432/d', output: 'x.ts', postgrestVersion: '13', detectOneToOne: false }],
  ];
  for (const [name, positionals, options, expected] of ok) {
    it(name, () => {
      const request = genTypesRequest(config, positionals, options);
      for (const [k, v] of Object.entries(expected)) assert.deepEqual(request[k as keyof typeof request], v, k);
    });
  }

  const bad: Array<[string[], Record<string, string | boolean>, RegExp]> = [
    [['go'], {}, /only typescript types can be generated \(got "go"\)/],
    [[], { lang: 'swift' }, /only typescript/],
    [[], { linked: true }, /--linked and --project-id read a Supabase platform project/],
    [[], { 'project-id': 'abc' }, /--linked and --project-id/],
    [[], { schema: ' , ' }, /--schema must name at least one schema/],
    [[], { 'db-url': 'mysql://x' }, /--db-url must be a postgres:\/\/ or postgresql:\/\/ URL/],
    [[], { output: '' }, /--output needs a file name/],
  ];
  for (const [positionals, options, message] of bad) {
    it(`refuses ${JSON.stringify([...positionals, options])}`, () =>
      assert.throws(() => genTypesRequest(config, positionals, options), (e: unknown) => e instanceof UsageError && e.command === 'gen types' && message.test(e.message)));
  }
});
