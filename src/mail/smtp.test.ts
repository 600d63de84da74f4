import { it } from 'node:test';
import assert from 'node:assert/strict';
import { PermanentDeliveryError } from '../outbox/claims.ts';
import { permanentIfRefused } from './smtp.ts';

it('treats SMTP 5xx replies as final, and 4xx or network failures as worth retrying', () => {
  const smtpError = (responseCode: number | undefined) => Object.assign(new Error(`reply ${String(responseCode)}`), responseCode === undefined ? {} : { responseCode });
  const table: Array<[error: unknown, final: boolean]> = [
    [smtpError(550), true],
    [smtpError(554), true],
    [smtpError(421), false],
    [smtpError(451), false],
    [smtpError(undefined), false],
    ['not an error', false],
  ];
  for (const [error, final] of table) {
    const out = permanentIfRefused(error);
    assert.equal(out instanceof PermanentDeliveryError, final, String(error));
    if (!final) assert.equal(out, error, 'passed on unchanged');
  }
});
