import { it } from 'node:test';
import assert from 'node:assert/strict';
import { BackendScanner } from './backend-scan.ts';
import { cstring, int32, message, readyForQuery } from './frames.ts';

const types = (b: Buffer) => {
  const out: string[] = [];
  for (let at = 0; at < b.length; at += 1 + b.readInt32BE(at + 1)) out.push(String.fromCharCode(b[at] as number));
  return out.join('');
};

it('passes messages on, reports ReadyForQuery, and hands notifications to the API instead of the client', () => {
  const ready: string[] = [];
  const heard: string[] = [];
  const s = new BackendScanner({ ready: (st) => ready.push(st), notification: (c, p) => heard.push(`${c}:${p}`) });
  const out = s.push(Buffer.concat([message(0x43, cstring('NOTIFY')), message(0x41, int32(42), cstring('pgrst'), cstring('reload schema')), readyForQuery('T')]));
  assert.equal(types(out), 'CZ');
  assert.deepEqual(ready, ['T']);
  assert.deepEqual(heard, ['pgrst:reload schema']);
});

it('carries a message cut between chunks over to the next one', () => {
  const ready: string[] = [];
  const s = new BackendScanner({ ready: (st) => ready.push(st), notification: () => undefined });
  const whole = Buffer.concat([message(0x44, Buffer.alloc(1000, 1)), readyForQuery('I')]);
  const parts = [whole.subarray(0, 3), whole.subarray(3, 500), whole.subarray(500, 1004), whole.subarray(1004)];
  const out = Buffer.concat(parts.map((p) => s.push(p)));
  assert.deepEqual(out, whole);
  assert.deepEqual(ready, ['I']);
});

it('warns after LISTEN and drops the CopyInResponses the port already answered', () => {
  const s = new BackendScanner({ ready: () => undefined, notification: () => undefined });
  assert.equal(types(s.push(Buffer.concat([message(0x43, cstring('LISTEN')), readyForQuery('I')]))), 'CNZ');
  s.copyInsAnswered = 1;
  const copyIn = message(0x47, Buffer.from([0, 0, 0]));
  assert.equal(types(s.push(Buffer.concat([copyIn, message(0x43, cstring('COPY 2')), copyIn]))), 'CG');
  assert.equal(s.copyInsAnswered, 0);
});
