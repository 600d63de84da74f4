// "Perhaps you meant …" suggestions: the candidate closest to what was asked for, scoring
// each by the better of bigram/trigram similarity and edit distance (with transpositions),
// when it is close enough to be a likely typo.

function grams(s: string, n: number): Map<string, number> {
  const padded = `-${s.toLowerCase()}-`;
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

/** Optimal string alignment distance: insertions, deletions, substitutions, transpositions. */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const row = d[i] as number[];
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min((d[i - 1] as number[])[j] as number + 1, (row[j - 1] as number) + 1, ((d[i - 1] as number[])[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) row[j] = Math.min(row[j] as number, ((d[i - 2] as number[])[j - 2] as number) + 1);
    }
  }
  return (d[a.length] as number[])[b.length] as number;
}

export function similarity(a: string, b: string): number {
  const edit = 1 - editDistance(a.toLowerCase(), b.toLowerCase()) / Math.max(a.length, b.length, 1);
  return Math.max(edit, cosine(grams(a, 2), grams(b, 2)), cosine(grams(a, 3), grams(b, 3)));
}

export function closest(target: string, candidates: Iterable<string>, threshold = 0.5): string | undefined {
  let best: string | undefined;
  let score = threshold;
  for (const c of candidates) {
    const s = similarity(target, c);
    if (s > score) {
      score = s;
      best = c;
    }
  }
  return best;
}
