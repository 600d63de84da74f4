// Entries made storable: ids pulled out, strings made valid for PostgreSQL, sizes bounded.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import type { Description } from '../observe/describe.ts';
import { batchJson, MAX_FIELDS_CHARS, MAX_MESSAGE_CHARS, toLogRow } from './row.ts';

const at = Date.parse('2025-03-01T10:00:00.123Z');
const row = (description: Description, event = 'request') => toLogRow({ at, event, description });
const fieldsOf = (d: Description) => JSON.parse(row(d).fields) as Record<string, unknown>;

it('keeps the description, the time as ISO, and the request and trace ids in their columns', () => {
  const r = row({ level: 'info', message: 'GET / 200', service: 'api', fields: { requestId: 'r1', traceId: 't1', status: 200, bytes: undefined } });
  assert.deepEqual({ ...r, fields: JSON.parse(r.fields) as unknown }, {
    at: '2025-03-01T10:00:00.123Z',
    service: 'api',
    level: 'info',
    event: 'request',
    message: 'GET / 200',
    request_id: 'r1',
    trace_id: 't1',
    fields: { requestId: 'r1', traceId: 't1', status: 200 },
  });
});

it('has no ids when the fields hold none, or hold something else', () => {
  const r = row({ level: 'info', message: 'm', service: 'server', fields: { requestId: 7, traceId: '' } });
  assert.deepEqual([r.request_id, r.trace_id], [null, null]);
});

it('stores an error as pino prints it: type, message, code, stack', () => {
  const err = Object.assign(new TypeError('bad'), { code: 'E1' });
  const f = fieldsOf({ level: 'error', message: 'request failed', service: 'api', fields: { requestId: 'r', err } });
  assert.deepEqual(Object.keys(f['err'] as object), ['type', 'message', 'code', 'stack']);
  assert.equal((f['err'] as { type: string }).type, 'TypeError');
});

it('replaces what PostgreSQL refuses (NUL, lone surrogates) in the message and in the fields', () => {
  const table: ReadonlyArray<readonly [string, string]> = [
    ['a\u0000b', 'a\uFFFDb'],
    ['x\uD800y', 'x\uFFFDy'],
    ['x\uDC00', 'x\uFFFD'],
    ['ok \uD83D\uDE00', 'ok \uD83D\uDE00'],
  ];
  for (const [given, kept] of table) {
    const r = row({ level: 'info', message: given, service: 'functions', fields: { nested: { text: given } } });
    assert.equal(r.message, kept);
    assert.deepEqual(JSON.parse(r.fields), { nested: { text: kept } });
    assert.ok(!r.fields.includes('\\u0000') && !/\\ud[89ab]/i.test(r.fields), r.fields);
  }
});

it('bounds the message, each string, and the fields as a whole', () => {
  const long = row({ level: 'info', message: 'm'.repeat(MAX_MESSAGE_CHARS + 5), service: 'functions', fields: { s: 's'.repeat(10_000) } });
  assert.equal(long.message.length, MAX_MESSAGE_CHARS + 1);
  assert.ok(long.fields.length < 5_000);
  const many = fieldsOf({ level: 'info', message: 'm', service: 'functions', fields: Object.fromEntries([...Array(20).keys()].map((i) => [`k${i}`, 'v'.repeat(3_000)])) });
  assert.equal(many['truncated'], true);
  assert.ok((many['chars'] as number) > MAX_FIELDS_CHARS);
});

it('cuts without leaving half a surrogate pair', () => {
  const r = row({ level: 'info', message: `${'m'.repeat(MAX_MESSAGE_CHARS - 1)}\uD83D\uDE00`, service: 'api', fields: {} });
  assert.ok(!/[\uD800-\uDBFF]…$/.test(r.message));
});

it('writes a batch as one JSON array holding each row with its fields', () => {
  const rows = [row({ level: 'info', message: 'a', service: 'api', fields: { n: 1 } }), row({ level: 'warn', message: 'b"c', service: 'cron', fields: {} }, 'cron-run')];
  const parsed = JSON.parse(batchJson(rows)) as Array<Record<string, unknown>>;
  assert.deepEqual(parsed.map((r) => [r['message'], r['event'], r['fields']]), [['a', 'request', { n: 1 }], ['b"c', 'cron-run', {}]]);
  assert.equal(batchJson([]), '[]');
});
