import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { jsonShape } from './json-shape.ts';

const nested = (depth: number, open = '[', close = ']') => JSON.parse(`${open.repeat(depth)}${close.repeat(depth)}`) as unknown;

describe('jsonShape', () => {
  it('measures nesting: scalars 0, each array or object one level', () => {
    assert.equal(jsonShape(1, 10).depth, 0);
    assert.equal(jsonShape('x', 10).depth, 0);
    assert.equal(jsonShape(null, 10).depth, 0);
    assert.equal(jsonShape([], 10).depth, 1);
    assert.equal(jsonShape({ a: [1, { b: [] }], c: 2 }, 10).depth, 4);
    assert.equal(jsonShape(nested(7), 10).depth, 7);
  });
  it('stops counting past the limit, and never recurses, however deep', () => {
    assert.equal(jsonShape(nested(11), 10).depth, 11);
    const deep = JSON.parse(`${'{"a":'.repeat(1_000_000)}1${'}'.repeat(1_000_000)}`) as unknown;
    assert.equal(jsonShape(deep, 512).depth, 513);
    assert.equal(jsonShape(nested(1_000_000), 512).depth, 513);
  });
  it('finds NUL in keys and in string values at any depth', () => {
    assert.equal(jsonShape({ a: ['x', { b: 'y' }] }, 10).nul, false);
    assert.equal(jsonShape('a\u0000', 10).nul, true);
    assert.equal(jsonShape({ a: [1, { b: 'y\u0000' }] }, 10).nul, true);
    assert.equal(jsonShape({ a: { 'k\u0000': 1 } }, 10).nul, true);
  });
});
