import { it } from 'node:test';
import assert from 'node:assert/strict';
import { setFunctionKey } from './toml-edit.ts';

it('sets a function key, keeping every other line as written', () => {
  const cases: Array<[string, string, string, string | boolean, string]> = [
    ['', 'hello', 'verify_jwt', false, '[functions.hello]\nverify_jwt = false\n'],
    ['project_id = "x"\n', 'hello', 'verify_jwt', false, 'project_id = "x"\n\n[functions.hello]\nverify_jwt = false\n'],
    ['[functions.hello]\n# why\nverify_jwt = true\n\n[functions.other]\nverify_jwt = false\n', 'hello', 'verify_jwt', false, '[functions.hello]\n# why\nverify_jwt = false\n\n[functions.other]\nverify_jwt = false\n'],
    ['[functions.hello]\nenabled = true\n\n[api]\nport = 1\n', 'hello', 'entrypoint', './functions/hello/main.ts', '[functions.hello]\nenabled = true\nentrypoint = "./functions/hello/main.ts"\n\n[api]\nport = 1\n'],
    ['[functions.hello-world]\nverify_jwt = true', 'hello', 'verify_jwt', true, '[functions.hello-world]\nverify_jwt = true\n\n[functions.hello]\nverify_jwt = true\n'],
  ];
  for (const [text, name, key, value, expected] of cases) assert.equal(setFunctionKey(text, name, key, value), expected);
});
