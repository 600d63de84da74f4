import { it } from 'node:test';
import assert from 'node:assert/strict';
import { copyFromStdin, CopyInTracker, forwardable } from './copy-in.ts';
import { cstring, int32, T, type Message } from './frames.ts';

it('knows a COPY FROM STDIN by its text', () => {
  const cases: Array<[string, boolean | 'binary']> = [
    ['copy t from stdin', true],
    ['COPY public."my table" (a, b) FROM STDIN WITH (FORMAT csv);', true],
    ['  -- load\n/* nested /* comment */ */ copy t from stdin', true],
    ['copy t from stdin with (format binary)', 'binary'],
    ['copy t to stdout', false],
    ["copy (select 'from stdin') to stdout", false],
    ["copy t from '/tmp/file'", false],
    ["select 'copy t from stdin'", false],
    ['begin; copy t from stdin', false],
  ];
  for (const [text, want] of cases) {
    const got = copyFromStdin(text);
    assert.equal(got === undefined ? false : got.binary ? 'binary' : true, want, text);
  }
});

const msg = (type: number, ...parts: Buffer[]): Message => ({ type, body: Buffer.concat(parts) });

it('follows a COPY statement through Parse, Bind and Execute', () => {
  const t = new CopyInTracker();
  assert.equal(t.starts(msg(T.parse, cstring('s1'), cstring('copy t from stdin'), Buffer.from([0, 0]))), undefined);
  assert.equal(t.starts(msg(T.bind, cstring('p'), cstring('s1'), Buffer.from([0, 0, 0, 0, 0, 0]))), undefined);
  assert.deepEqual(t.starts(msg(T.execute, cstring('p'), int32(0))), { binary: false });
  t.starts(msg(T.close, Buffer.from('P'), cstring('p')));
  assert.equal(t.starts(msg(T.execute, cstring('p'), int32(0))), undefined);
  assert.deepEqual(t.starts(msg(T.query, cstring('copy t from stdin'))), { binary: false });
});

it('holds a COPY FROM STDIN back until its CopyDone or CopyFail is in', () => {
  const p = (type: number, copy = false) => ({ message: msg(type), copy: copy ? { binary: false } : undefined });
  assert.equal(forwardable([p(T.query), p(T.query, true), p(T.copyData)]), 1);
  assert.equal(forwardable([p(T.query, true), p(T.copyData), p(T.copyDone), p(T.query)]), 4);
  assert.equal(forwardable([p(T.query, true), p(T.copyFail), p(T.query, true)]), 2);
  assert.equal(forwardable([]), 0);
});
