import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildImportMap, offlineTarget, remoteSpecifiers } from './import-map.ts';

const shims = { stdHttpServer: 'file:///rt/std-http-server.ts', edgeRuntimeTypes: 'file:///rt/edge-runtime.d.ts' };

const targets: ReadonlyArray<[string, string | undefined]> = [
  ['https://deno.land/std@0.168.0/http/server.ts', shims.stdHttpServer],
  ['https://deno.land/std@0.177.0/http/server.ts', shims.stdHttpServer],
  ['https://deno.land/std/http/server.ts', shims.stdHttpServer],
  ['https://deno.land/std@0.168.0/http/http_status.ts', undefined],
  ['jsr:@supabase/functions-js/edge-runtime.d.ts', shims.edgeRuntimeTypes],
  ['jsr:@supabase/functions-js@2/edge-runtime.d.ts', shims.edgeRuntimeTypes],
  ['jsr:@supabase/functions-js@^2', 'npm:@supabase/functions-js@^2'],
  ['jsr:@supabase/supabase-js@2', 'npm:@supabase/supabase-js@2'],
  ['jsr:@supabase/supabase-js@2.45.0/cors', 'npm:@supabase/supabase-js@2.45.0/cors'],
  ['jsr:@std/http', undefined],
  ['https://esm.sh/@supabase/supabase-js@2', 'npm:@supabase/supabase-js@2'],
  ['https://esm.sh/@supabase/supabase-js@2.39.3?target=deno', 'npm:@supabase/supabase-js@2.39.3'],
  ['https://esm.sh/stripe@14.0.0?target=denonext', 'npm:stripe@14.0.0'],
  ['https://esm.sh/v135/zod@3.22.4', 'npm:zod@3.22.4'],
  ['https://esm.sh/preact@10/hooks', 'npm:preact@10/hooks'],
  ['npm:zod', undefined],
  ['./local.ts', undefined],
];

test('offlineTarget: the stand-in for each remote specifier Supabase templates use', () => {
  for (const [specifier, expected] of targets) assert.equal(offlineTarget(specifier, shims), expected, specifier);
});

test('remoteSpecifiers finds them in source text, in any quotes, and nothing else', () => {
  const source = `
import "jsr:@supabase/functions-js/edge-runtime.d.ts";
import { serve } from 'https://deno.land/std@0.168.0/http/server.ts'
import { createClient } from "https://esm.sh/@supabase/supabase-js@2"
import { z } from 'npm:zod'
import { status } from "https://deno.land/std@0.168.0/http/http_status.ts"
const url = \`jsr:@supabase/supabase-js@2\`
`;
  assert.deepEqual(remoteSpecifiers(source, shims), [
    'jsr:@supabase/functions-js/edge-runtime.d.ts',
    'https://deno.land/std@0.168.0/http/server.ts',
    'https://esm.sh/@supabase/supabase-js@2',
    'jsr:@supabase/supabase-js@2',
  ]);
});

test("buildImportMap: the function's own map with absolute addresses, plus the stand-ins", () => {
  const own = {
    imports: { '@supabase/functions-js': 'jsr:@supabase/functions-js@^2', zod: 'npm:zod@4', '@shared/': '../_shared/', std: 'https://deno.land/std@0.168.0/http/server.ts' },
    scopes: { './vendor/': { lodash: 'npm:lodash@4' } },
  };
  const map = buildImportMap(own, '/p/supabase/functions/hello/deno.json', ['https://deno.land/std@0.168.0/http/server.ts'], shims);
  assert.deepEqual(map, {
    imports: {
      'https://deno.land/std@0.168.0/http/server.ts': shims.stdHttpServer,
      '@supabase/functions-js': 'npm:@supabase/functions-js@^2',
      zod: 'npm:zod@4',
      '@shared/': 'file:///p/supabase/functions/_shared/',
      std: shims.stdHttpServer,
    },
    scopes: { 'file:///p/supabase/functions/hello/vendor/': { lodash: 'npm:lodash@4' } },
  });
  assert.deepEqual(buildImportMap(undefined, undefined, [], shims), { imports: {} });
});

test('buildImportMap: a malformed map is an error naming the bad part', () => {
  assert.throws(() => buildImportMap([], '/p/deno.json', [], shims), /must hold a JSON object/);
  assert.throws(() => buildImportMap({ imports: { a: 1 } }, '/p/deno.json', [], shims), /imports\.a must be a string/);
  assert.throws(() => buildImportMap({ imports: 'x' }, '/p/deno.json', [], shims), /imports must be an object/);
});
