import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseFunctionsToml } from './config-toml.ts';

test('parseFunctionsToml reads the [functions.<name>] tables the Supabase CLI writes', () => {
  const text = `
project_id = "blog"
[api]
port = 54321
[functions.stripe-webhook]
enabled = true
verify_jwt = false
import_map = "./functions/stripe-webhook/deno.json"
entrypoint = "./functions/stripe-webhook/index.ts"
# static_files = [ "./functions/stripe-webhook/*.html" ]
[functions.hello]
verify_jwt = true
`;
  const got = parseFunctionsToml(text);
  assert.ok(!('error' in got));
  assert.deepEqual(got.get('stripe-webhook'), { enabled: true, verifyJwt: false, importMap: './functions/stripe-webhook/deno.json', entrypoint: './functions/stripe-webhook/index.ts' });
  assert.deepEqual(got.get('hello'), { verifyJwt: true });
  assert.equal(got.size, 2);
});

test('parseFunctionsToml: no [functions] is no settings; bad text and bad types are errors that name the key', () => {
  const empty = parseFunctionsToml('[api]\nport = 1\n');
  assert.ok(!('error' in empty) && empty.size === 0);
  const cases: ReadonlyArray<[string, RegExp]> = [
    ['[functions.x\nverify_jwt = false', /not valid TOML/],
    ['[functions.x]\nverify_jwt = "no"', /functions\.x\.verify_jwt must be a boolean/],
    ['[functions.x]\nentrypoint = 3', /functions\.x\.entrypoint must be a string/],
    ['functions = 3', /\[functions\] must be a table/],
    ['[functions]\nx = 1', /functions\.x must be a table/],
  ];
  for (const [text, message] of cases) {
    const got = parseFunctionsToml(text);
    assert.ok('error' in got, text);
    assert.match(got.error as string, message);
  }
});
