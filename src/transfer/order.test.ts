import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { creationOrder, type Edge } from './order.ts';

const node = (key: string, rank: number) => ({ key, rank, name: key });
const keys = (nodes: ReadonlyArray<{ key: string }>) => nodes.map((n) => n.key);

describe('creationOrder', () => {
  const nodes = [node('fn:helper', 3), node('rel:view', 4), node('rel:b_table', 2), node('rel:a_table', 2), node('type:mood', 0), node('rel:seq', 1)];

  it('orders by rank, then name, when nothing depends on anything', () => {
    assert.deepEqual(keys(creationOrder(nodes, [])), ['type:mood', 'rel:seq', 'rel:a_table', 'rel:b_table', 'fn:helper', 'rel:view']);
  });

  it('moves a function ahead of the table that needs it, and no further', () => {
    const edges: Edge[] = [{ from: 'rel:b_table', to: 'fn:helper' }];
    assert.deepEqual(keys(creationOrder(nodes, edges)), ['type:mood', 'rel:seq', 'rel:a_table', 'fn:helper', 'rel:b_table', 'rel:view']);
  });

  it('puts a function returning a view after the view, and a view on a view after that view', () => {
    const all = [node('fn:card', 3), node('rel:cards', 4), node('rel:happy', 4), node('rel:base', 2)];
    const edges: Edge[] = [
      { from: 'fn:card', to: 'rel:cards' },
      { from: 'rel:cards', to: 'rel:base' },
      { from: 'rel:happy', to: 'rel:cards' },
    ];
    assert.deepEqual(keys(creationOrder(all, edges)), ['rel:base', 'rel:cards', 'fn:card', 'rel:happy']);
  });

  it('ignores edges to objects outside the dump, self edges and repeats', () => {
    const edges: Edge[] = [
      { from: 'rel:a_table', to: 'rel:auth_users' },
      { from: 'rel:view', to: 'rel:view' },
      { from: 'rel:view', to: 'rel:a_table' },
      { from: 'rel:view', to: 'rel:a_table' },
    ];
    assert.deepEqual(keys(creationOrder(nodes, edges)), ['type:mood', 'rel:seq', 'rel:a_table', 'rel:b_table', 'fn:helper', 'rel:view']);
  });

  it('keeps every node of a cycle, placed last by rank and name', () => {
    const edges: Edge[] = [
      { from: 'rel:a_table', to: 'rel:b_table' },
      { from: 'rel:b_table', to: 'rel:a_table' },
    ];
    assert.deepEqual(keys(creationOrder(nodes, edges)), ['type:mood', 'rel:seq', 'fn:helper', 'rel:view', 'rel:a_table', 'rel:b_table']);
  });
});
