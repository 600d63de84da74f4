import { it } from 'node:test';
import assert from 'node:assert/strict';
import { Validator } from '@seriousme/openapi-schema-validator';
import { openApiDocument } from '../rest/openapi.ts';
import { cinema } from '../../test/support/cinema.ts';
import { browsableRestDocument } from './rest-copy.ts';

const original = openApiDocument(cinema, 'public', 'test');
const copy = browsableRestDocument(original);

it("calls /rest/v1 on the page's own scheme and host", () => {
  assert.equal(copy['basePath'], '/rest/v1');
  assert.equal('host' in copy, false);
  assert.equal('schemes' in copy, false);
  assert.deepEqual(copy['paths'], original['paths']);
  assert.deepEqual(copy['definitions'], original['definitions']);
});

it('names the keys as optional security, so "Authorize" can send them', () => {
  assert.deepEqual(Object.keys(copy['securityDefinitions'] as object), ['apikey', 'bearer']);
  assert.deepEqual(copy['security'], [{}, { apikey: [] }, { bearer: [] }]);
});

// What the copy changes is valid Swagger 2.0; REST's operations are REST's own (src/rest/openapi.ts).
it('changes only what stays valid Swagger 2.0', async () => {
  const validator = new Validator();
  const result = await validator.validate(JSON.parse(JSON.stringify({ ...copy, paths: {}, parameters: {}, definitions: {} })) as Record<string, unknown>);
  assert.equal(validator.version, '2.0');
  assert.deepEqual(result.errors ?? [], []);
});
