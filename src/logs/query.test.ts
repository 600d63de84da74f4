// The log query's edge: what a filter accepts and refuses, and the conditions it sets.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError } from '../errors/api-error.ts';
import { compile, join } from '../lib/sql.ts';
import { filterConditions, levelsFrom, parseLogFilter } from './query.ts';

const accepted: ReadonlyArray<readonly [unknown, Record<string, unknown>]> = [
  [undefined, { limit: 100, order: 'desc' }],
  [{}, { limit: 100, order: 'desc' }],
  [{ services: ['rest', 'auth'], level: 'warn', limit: 1000, order: 'asc' }, { services: ['rest', 'auth'], level: 'warn', limit: 1000, order: 'asc' }],
  [{ since: '2025-01-31T12:00:00Z', until: '2025-01-31T15:00:00.5+02:00' }, { since: '2025-01-31T12:00:00Z', until: '2025-01-31T15:00:00.5+02:00', limit: 100, order: 'desc' }],
  [{ requestId: 'abc', traceId: '0af7651916cd43dd8448eb211c80319c', search: 'timeout', events: ['request'] }, { requestId: 'abc', traceId: '0af7651916cd43dd8448eb211c80319c', search: 'timeout', events: ['request'], limit: 100, order: 'desc' }],
];

for (const [input, expected] of accepted) {
  it(`accepts ${JSON.stringify(input)}`, () => assert.deepEqual(parseLogFilter(input), expected));
}

const refused: ReadonlyArray<readonly [unknown, RegExp]> = [
  [{ services: ['storage'] }, /^invalid log query: services\.0: /],
  [{ services: [] }, /services/],
  [{ level: 'verbose' }, /level/],
  [{ limit: 0 }, /limit/],
  [{ limit: 1001 }, /limit/],
  [{ limit: 2.5 }, /limit/],
  [{ limit: '10' }, /limit/],
  [{ order: 'newest' }, /order/],
  [{ since: 'yesterday' }, /since: must be an ISO 8601 timestamp/],
  [{ since: '2025-01-31T12:00:00' }, /since/],
  [{ since: '2025-02-01T00:00:00Z', until: '2025-01-31T00:00:00Z' }, /since: must not be after until/],
  [{ search: '' }, /search/],
  [{ requestId: 'x'.repeat(201) }, /requestId/],
  [{ service: 'rest' }, /unrecognized key/i],
  ['rest', /expected object/i],
];

for (const [input, message] of refused) {
  it(`refuses ${JSON.stringify(input)} with LOG400`, () => {
    assert.throws(
      () => parseLogFilter(input),
      (e: unknown) => e instanceof ApiError && e.status === 400 && e.code === 'LOG400' && message.test(e.message),
    );
  });
}

it('keeps the levels at or above the minimum', () => {
  assert.deepEqual(levelsFrom('warn'), ['warn', 'error', 'fatal']);
  assert.deepEqual(levelsFrom('trace'), ['trace', 'debug', 'info', 'warn', 'error', 'fatal']);
});

it('turns each filter into one condition, its values as parameters', () => {
  const q = compile(join(filterConditions(parseLogFilter({ services: ['rest'], level: 'error', since: '2025-01-01T00:00:00Z', until: '2025-01-02T00:00:00Z', requestId: 'r', traceId: 't', search: "it's" })), ' and '));
  assert.equal(
    q.text,
    'service = any($1::text[]) and level = any($2::text[]) and at >= $3::timestamptz and at <= $4::timestamptz and request_id = $5 and trace_id = $6 and strpos(lower(message), lower($7::text)) > 0',
  );
  assert.deepEqual(q.values, [['rest'], ['error', 'fatal'], '2025-01-01T00:00:00Z', '2025-01-02T00:00:00Z', 'r', 't', "it's"]);
  // The lowest level is every level: no condition.
  assert.deepEqual(filterConditions({ level: 'trace' }), []);
});
