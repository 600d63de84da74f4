import { it } from 'node:test';
import assert from 'node:assert/strict';
import { consistencyProblems, openApiErrors, schemaChecker } from '../../../../test/support/openapi.ts';
import { authDocument, authDocumentJson } from './document.ts';

const doc = authDocument('test');

it('is valid OpenAPI 3.1', async () => {
  assert.deepEqual(await openApiErrors(doc), []);
});

it('has no dangling $ref, duplicate operation id or undeclared path parameter', () => {
  assert.deepEqual(consistencyProblems(doc), []);
});

it('guards every admin operation with the service_role scheme, and only those', () => {
  for (const [path, item] of Object.entries(doc.paths)) {
    const admin = path === '/invite' || (path.startsWith('/admin/') && !/\/(sso|oauth|custom-providers)\//.test(path));
    for (const op of [item.get, item.put, item.post, item.delete, item.patch]) {
      if (op === undefined) continue;
      assert.equal(JSON.stringify(op.security) === JSON.stringify([{ serviceRole: [] }]), admin, `${path}: ${JSON.stringify(op.security)}`);
    }
  }
});

it('describes both error shapes, told apart by the type of `code`', () => {
  const check = schemaChecker(doc);
  const cases: Array<[unknown, boolean]> = [
    [{ code: 400, error_code: 'invalid_credentials', msg: 'Invalid login credentials' }, true],
    [{ code: 'invalid_credentials', message: 'Invalid login credentials' }, true],
    [{ code: 'weak_password', message: 'weak', weak_password: { reasons: ['length'] } }, true],
    [{ code: 400, msg: 'no error_code' }, false],
    [{ error: 'invalid_grant' }, false],
  ];
  for (const [body, valid] of cases) assert.equal(check('#/components/schemas/AuthError', body).length === 0, valid, JSON.stringify(body));
});

it('is serialised once', () => {
  assert.equal(authDocumentJson('test'), authDocumentJson('test'));
  assert.equal(JSON.parse(authDocumentJson('test')).openapi, '3.1.0');
});
