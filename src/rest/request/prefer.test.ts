import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseAccept } from './accept.ts';
import { parsePrefer } from './prefer.ts';

describe('Prefer', () => {
  it('reads every kind; the first token of a kind wins; unknown tokens are invalid', () => {
    const p = parsePrefer(['return=representation, count=exact', 'return=minimal,resolution=merge-duplicates, missing=default, handling=strict, timezone=Europe/Paris, max-affected=5, tx=rollback, bogus, params=single-object']);
    assert.deepEqual(p, {
      return: 'representation',
      count: 'exact',
      resolution: 'merge-duplicates',
      missing: 'default',
      handling: 'strict',
      timezone: 'Europe/Paris',
      maxAffected: 5,
      tx: 'rollback',
      invalid: ['bogus', 'params=single-object'],
    });
  });
  it('is empty without a header', () => {
    assert.deepEqual(parsePrefer(undefined).invalid, []);
    assert.equal(parsePrefer(undefined).return, undefined);
  });
  it('compares tokens exactly', () => assert.deepEqual(parsePrefer('return = minimal').invalid, ['return = minimal']));
});

describe('Accept', () => {
  const raws = (h: string | undefined) => parseAccept(h).map((m) => m.raw);
  it('defaults to */*', () => assert.deepEqual(raws(undefined), ['*/*']));
  it('orders by q, then specificity, then position', () => {
    assert.deepEqual(raws('*/*, text/csv'), ['text/csv', '*/*']);
    assert.deepEqual(raws('application/json;q=0.5, text/csv'), ['text/csv', 'application/json']);
    assert.deepEqual(raws('application/json, application/vnd.pgrst.object+json;nulls=stripped'), ['application/vnd.pgrst.object+json;nulls=stripped', 'application/json']);
  });
  it('reads parameters, case-insensitively, tolerating a trailing ;', () => {
    const [m] = parseAccept('application/vnd.pgrst.plan+text; for="application/json"; options=analyze|verbose;');
    assert.deepEqual(m?.params, { for: 'application/json', options: 'analyze|verbose' });
    assert.equal(m?.subtype, 'vnd.pgrst.plan+text');
  });
});
