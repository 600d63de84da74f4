// "Perhaps you meant …" suggestions, ranked the way PostgREST's fuzzy set does: for gram
// size 3, then 2, candidates sharing grams of the normalised names (lower case, letters,
// digits, spaces and commas) are ranked by cosine similarity; the best fifty are re-scored
// by Levenshtein ratio of the lower-cased names, and the best scoring at least 0.33 wins.
// A gram size where none reaches 0.33 falls through to the next.

const normalise = (s: string) => s.toLowerCase().replace(/[^\p{L}\p{N}\s,]+/gu, '');

function grams(s: string, n: number): Map<string, number> {
  const padded = `-${s}-`;
  const out = new Map<string, number>();
  for (let i = 0; i + n <= padded.length; i++) {
    const g = padded.slice(i, i + n);
    out.set(g, (out.get(g) ?? 0) + 1);
  }
  return out;
}

function cosine(a: Map<string, number>, b: Map<string, number>): number {
  let dot = 0;
  for (const [g, n] of a) dot += n * (b.get(g) ?? 0);
  const norm = (m: Map<string, number>) => Math.sqrt([...m.values()].reduce((s, n) => s + n * n, 0));
  const d = norm(a) * norm(b);
  return d === 0 ? 0 : dot / d;
}

export function levenshtein(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min((prev[j] as number) + 1, (row[j - 1] as number) + 1, (prev[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length] as number;
}

export function closest(target: string, candidates: Iterable<string>, minScore = 0.33): string | undefined {
  const t = normalise(target);
  if (t === '') return undefined;
  const lower = target.toLowerCase();
  const all = [...new Set(candidates)].map((c) => ({ c, n: normalise(c), l: c.toLowerCase() })).filter((x) => x.n !== '');
  for (const size of [3, 2]) {
    const tg = grams(t, size);
    const best = all
      .map((x) => ({ ...x, score: cosine(tg, grams(x.n, size)) }))
      .filter((x) => x.score > 0)
      .sort((a, b) => b.score - a.score)
      .slice(0, 50)
      .map((x) => ({ ...x, score: 1 - levenshtein(lower, x.l) / Math.max(lower.length, x.l.length, 1) }))
      .filter((x) => x.score >= minScore)
      .sort((a, b) => b.score - a.score)[0];
    if (best !== undefined) return best.c;
  }
  return undefined;
}
