import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AuthError, apiVersion, renderAuthError, authErrors } from './errors.ts';
import { checkPassword, normaliseEmail, normalisePhone } from './validate.ts';

const fails = (fn: () => unknown, status: number, code: string, message: string) =>
  assert.throws(fn, (e: unknown) => e instanceof AuthError && e.status === status && e.code === code && e.message === message);

describe('auth input rules', () => {
  it('lower-cases valid emails and refuses bad ones', () => {
    assert.equal(normaliseEmail('Ada.Lovelace+x@Example.COM'), 'ada.lovelace+x@example.com');
    fails(() => normaliseEmail('not-an-email'), 400, 'validation_failed', 'Unable to validate email address: invalid format');
    fails(() => normaliseEmail(''), 400, 'validation_failed', 'An email address is required');
    fails(() => normaliseEmail(`${'a'.repeat(250)}@x.com`), 400, 'validation_failed', 'An email address is too long');
  });

  it("stores phones as E.164 digits without + and refuses others with Supabase Auth's message", () => {
    assert.equal(normalisePhone('+1 234 567 890'), '1234567890');
    for (const bad of ['0123', '+1', '1 (234) 567', 'phone', '', 1234567890, undefined]) fails(() => normalisePhone(bad), 400, 'validation_failed', 'Invalid phone number format (E.164 required)');
  });

  it('enforces the password policy', () => {
    assert.equal(checkPassword('secret', { minLength: 6 }), 'secret');
    fails(() => checkPassword('', { minLength: 6 }), 400, 'validation_failed', 'Signup requires a valid password');
    fails(() => checkPassword('abc', { minLength: 6 }), 422, 'weak_password', 'Password should be at least 6 characters.');
    const classes = { minLength: 6, requiredCharacters: ['abc', 'ABC', '0123456789'] };
    assert.equal(checkPassword('aB3xyz', classes), 'aB3xyz');
    fails(() => checkPassword('abcdef', classes), 422, 'weak_password', 'Password should contain at least one character of each: abc, ABC, 0123456789.');
    fails(() => checkPassword('aB', classes), 422, 'weak_password', 'Password should be at least 6 characters. Password should contain at least one character of each: abc, ABC, 0123456789.');
    fails(() => checkPassword('é'.repeat(37), { minLength: 6 }), 400, 'validation_failed', 'Password cannot be longer than 72 characters');
  });
});

describe('auth error shapes', () => {
  it('speaks 2024-01-01 when asked, legacy otherwise', () => {
    assert.equal(apiVersion('2024-01-01'), '2024-01-01');
    assert.equal(apiVersion('2025-06-30'), '2024-01-01');
    assert.equal(apiVersion('2023-12-31'), undefined);
    assert.equal(apiVersion('yesterday'), undefined);
    assert.deepEqual(renderAuthError(authErrors.invalidCredentials(), '2024-01-01'), {
      status: 400,
      headers: { 'x-supabase-api-version': '2024-01-01', 'x-sb-error-code': 'invalid_credentials' },
      body: { code: 'invalid_credentials', message: 'Invalid login credentials' },
    });
    assert.deepEqual(renderAuthError(authErrors.invalidCredentials(), undefined), {
      status: 400,
      headers: { 'x-sb-error-code': 'invalid_credentials' },
      body: { code: 400, error_code: 'invalid_credentials', msg: 'Invalid login credentials' },
    });
  });

  it('carries weak password reasons', () => {
    const r = renderAuthError(authErrors.weakPassword('Password should be at least 6 characters.', ['length']), '2024-01-01');
    assert.deepEqual(r.body, { code: 'weak_password', message: 'Password should be at least 6 characters.', weak_password: { reasons: ['length'] } });
    assert.equal(r.headers['x-sb-error-code'], undefined);
  });
});
