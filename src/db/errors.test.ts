import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isStaleStatement } from './errors.ts';

describe('isStaleStatement', () => {
  const cases: Array<[string, { sqlstate: string; message: string } | undefined, boolean]> = [
    ['a prepared statement that no longer exists', { sqlstate: '26000', message: 'prepared statement "s1" does not exist' }, true],
    ['a kept plan whose row type changed', { sqlstate: '0A000', message: 'cached plan must not change result type' }, true],
    ['another unsupported feature', { sqlstate: '0A000', message: 'cannot use subquery in check constraint' }, false],
    ['any other error', { sqlstate: '22012', message: 'division by zero' }, false],
    ['no database error at all', undefined, false],
  ];
  for (const [name, e, expected] of cases) it(name, () => assert.equal(isStaleStatement(e), expected));
});
