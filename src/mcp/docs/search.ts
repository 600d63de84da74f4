// `search_docs` over Groundwork's own documentation (README.md and docs/*.md, shipped in the
// package). Supabase's tool takes a GraphQL query for its docs service; we accept the same
// input, read the `query:` (and `limit:`) argument out of it, or take plain words, and answer
// in the shape that service gives: `{ searchDocs: { nodes: [{ title, href, content }] } }`.
// Sections are scored by how often the query's words occur, title words counting triple.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface DocSection {
  readonly title: string;
  readonly href: string;
  readonly content: string;
}

/** The folder holding package.json, walking up from this module (source tree or bundle). */
export function packageRoot(from: string = dirname(fileURLToPath(import.meta.url))): string {
  let dir = from;
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) return from;
    dir = up;
  }
  return dir;
}

const anchor = (title: string) => title.toLowerCase().replace(/[^a-z0-9 -]/g, '').trim().replace(/ +/g, '-');

/** Splits a markdown file into sections at its headings (pure). */
export function sections(file: string, text: string): DocSection[] {
  const out: DocSection[] = [];
  let title = file;
  let body: string[] = [];
  const flush = () => {
    const content = body.join('\n').trim();
    if (content !== '') out.push({ title, href: `${file}${title === file ? '' : `#${anchor(title)}`}`, content });
  };
  let fenced = false;
  for (const line of text.split('\n')) {
    if (line.startsWith('```')) fenced = !fenced;
    const h = fenced ? null : /^#{1,4}\s+(.*)$/.exec(line);
    if (h !== null) {
      flush();
      title = (h[1] ?? '').trim();
      body = [];
    } else body.push(line);
  }
  flush();
  return out;
}

export function readDocs(root: string): DocSection[] {
  const files = ['README.md', ...(existsSync(join(root, 'docs')) ? readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md')).sort().map((f) => `docs/${f}`) : [])];
  return files.filter((f) => existsSync(join(root, f))).flatMap((f) => sections(f, readFileSync(join(root, f), 'utf8')));
}

/** The search words and limit of a GraphQL `searchDocs(query: "…", limit: n)` call, or of plain text (pure). */
export function parseDocsQuery(input: string): { words: string[]; limit: number } {
  const quoted = /\bquery\s*:\s*"((?:\\.|[^"\\])*)"/.exec(input);
  const limit = /\blimit\s*:\s*(\d+)/.exec(input);
  const text = quoted !== null ? (quoted[1] ?? '') : input.replace(/[{}()]/g, ' ');
  const words = [...new Set(text.toLowerCase().match(/[a-z0-9_]{2,}/g) ?? [])];
  return { words, limit: Math.min(20, Math.max(1, Number(limit?.[1] ?? 5))) };
}

const count = (hay: string, word: string) => hay.split(word).length - 1;

export function searchSections(docs: readonly DocSection[], words: readonly string[], limit: number): DocSection[] {
  if (words.length === 0) return [];
  return docs
    .map((d) => {
      const title = d.title.toLowerCase();
      const content = d.content.toLowerCase();
      const hits = words.filter((w) => title.includes(w) || content.includes(w)).length;
      const score = words.reduce((n, w) => n + 3 * count(title, w) + count(content, w), 0) * hits;
      return { d, score };
    })
    .filter((s) => s.score > 0)
    .sort((a, b) => b.score - a.score)
    .slice(0, limit)
    .map(({ d }) => ({ ...d, content: d.content.length > 4000 ? `${d.content.slice(0, 4000)}…` : d.content }));
}
