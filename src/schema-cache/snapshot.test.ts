import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readSnapshot, writeSnapshot } from './snapshot.ts';

const dir = () => mkdtempSync(join(tmpdir(), 'gw-snapshot-'));

describe('schema cache snapshot file', () => {
  it('gives back what was kept, with its key', () => {
    const path = join(dir(), 'schema-cache.json');
    writeSnapshot(path, 'k1', { relations: [1, 2] });
    assert.deepEqual(readSnapshot(path), { key: 'k1', document: { relations: [1, 2] } });
  });

  const unreadable: Array<[string, string | undefined]> = [
    ['a missing file', undefined],
    ['not JSON', '{"format": 1, "key": "k1", "docu'],
    ['another format', JSON.stringify({ format: 0, key: 'k1', document: {} })],
    ['no key', JSON.stringify({ format: 1, document: {} })],
  ];
  for (const [name, content] of unreadable) {
    it(`reads ${name} as no snapshot`, () => {
      const path = join(dir(), 'schema-cache.json');
      if (content !== undefined) writeFileSync(path, content);
      assert.equal(readSnapshot(path), undefined);
    });
  }

  it('replaces the file whole and leaves nothing aside', () => {
    const d = dir();
    const path = join(d, 'schema-cache.json');
    writeSnapshot(path, 'k1', { n: 1 });
    writeSnapshot(path, 'k2', { n: 2 });
    assert.deepEqual(JSON.parse(readFileSync(path, 'utf8')), { format: 1, key: 'k2', document: { n: 2 } });
  });

  it('keeps nothing, without failing, where the file cannot be written', () => {
    const path = join(dir(), 'gone', 'schema-cache.json'); // its directory does not exist
    writeSnapshot(path, 'k1', {});
    assert.equal(readSnapshot(path), undefined);
  });
});
