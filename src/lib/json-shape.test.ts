import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { jsonShape } from './json-shape.ts';

const nested = (depth: number, open = '[', close = ']') => `${open.repeat(depth)}${close.repeat(depth)}`;
const depth = (text: string, max = 10) => jsonShape(text, max).depth;

describe('jsonShape', () => {
  it('measures nesting: scalars 0, each array or object one level', () => {
    for (const scalar of ['1', '"x"', 'null', 'true']) assert.equal(depth(scalar), 0);
    assert.equal(depth('[]'), 1);
    assert.equal(depth('{"a":[1,{"b":[]}],"c":2}'), 4);
    assert.equal(depth(nested(7)), 7);
    assert.equal(depth('[[1],[2],[3]]'), 2);
  });
  it('ignores brackets, braces and escaped quotes inside strings', () => {
    assert.equal(depth('{"[[[{{{": "]]]}}}\\"[[[", "b": ["\\\\"]}'), 2);
  });
  it('stops past the limit, however deep, without recursing', () => {
    assert.equal(depth(nested(11)), 11);
    assert.equal(depth(`${'{"a":'.repeat(1_000_000)}1${'}'.repeat(1_000_000)}`, 512), 513);
    assert.equal(depth(nested(1_000_000), 512), 513);
  });
  it('finds \\u0000 in keys and values at any depth, and only there', () => {
    assert.equal(jsonShape('{"a":["x",{"b":"y"}]}', 10).nul, false);
    assert.equal(jsonShape('"a\\u0000"', 10).nul, true);
    assert.equal(jsonShape('{"a":[1,{"b":"y\\u0000"}]}', 10).nul, true);
    assert.equal(jsonShape('{"a":{"k\\u0000":1}}', 10).nul, true);
    // An escaped backslash followed by the text u0000, and other \u escapes, are not NUL.
    assert.equal(jsonShape('["\\\\u0000", "\\u0001", "\\u00a0"]', 10).nul, false);
  });
});
