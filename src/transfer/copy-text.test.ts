import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { copyField, copyLine, copyStatement } from './copy-text.ts';

describe('COPY text format', () => {
  const fields: Array<[string | null, string]> = [
    [null, '\\N'],
    ['', ''],
    ['plain', 'plain'],
    ['tab\there', 'tab\\there'],
    ['two\nlines\r\n', 'two\\nlines\\r\\n'],
    ['back\\slash', 'back\\\\slash'],
    ['\\.', '\\\\.'], // never the end-of-data line
    ['\\N', '\\\\N'], // the text \N, not NULL
    ['émoji 🎉', 'émoji 🎉'],
  ];
  for (const [value, written] of fields) it(`writes ${JSON.stringify(value)} as ${JSON.stringify(written)}`, () => assert.equal(copyField(value), written));

  it('separates columns with tabs', () => assert.equal(copyLine(['a', null, 'b\tc']), 'a\t\\N\tb\\tc'));

  it('names the table and its columns quoted; a table without columns takes no list', () => {
    const t = { schema: 'my schema', table: 'T"1', columns: ['id', 'Name'], types: ['integer', 'text'], auth: false, rows: 0 };
    assert.equal(copyStatement(t), 'copy "my schema"."T""1" ("id", "Name") from stdin;');
    assert.equal(copyStatement({ ...t, columns: [], types: [] }), 'copy "my schema"."T""1" from stdin;');
  });
});
