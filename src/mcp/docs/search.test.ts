import { it } from 'node:test';
import assert from 'node:assert/strict';
import { packageRoot, parseDocsQuery, readDocs, searchSections, sections } from './search.ts';

it('reads the words and limit out of a GraphQL searchDocs call, or plain text', () => {
  const cases: Array<[string, { words: string[]; limit: number }]> = [
    ['{ searchDocs(query: "row level security", limit: 3) { nodes { title href content } } }', { words: ['row', 'level', 'security'], limit: 3 }],
    ['query { searchDocs(query: "Edge Functions") { nodes { title } } }', { words: ['edge', 'functions'], limit: 5 }],
    ['cron schedule', { words: ['cron', 'schedule'], limit: 5 }],
    ['{ searchDocs(query: "x", limit: 999) { nodes { title } } }', { words: [], limit: 20 }],
  ];
  for (const [input, expected] of cases) assert.deepEqual(parseDocsQuery(input), expected);
});

it('splits markdown at headings, outside code fences', () => {
  const found = sections('docs/X.md', 'intro\n# One\nalpha\n```\n# not a heading\n```\n## Two words!\nbeta\n');
  assert.deepEqual(
    found.map((s) => [s.title, s.href]),
    [['docs/X.md', 'docs/X.md'], ['One', 'docs/X.md#one'], ['Two words!', 'docs/X.md#two-words']],
  );
  assert.match(found[1]?.content ?? '', /# not a heading/);
});

it("finds Groundwork's own docs by their words, best first", () => {
  const docs = readDocs(packageRoot());
  assert.ok(docs.length > 20);
  const [first] = searchSections(docs, ['row', 'level', 'security'], 3);
  assert.ok(first !== undefined);
  assert.match(`${first.title} ${first.content}`.toLowerCase(), /row level security|rls/);
  assert.deepEqual(searchSections(docs, ['zzzunlikelyword'], 3), []);
});
