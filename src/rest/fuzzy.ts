// "Perhaps you meant …" suggestions: the candidate closest to what was asked for, by
// trigram similarity (the measure fuzzy-set libraries use), when it is close enough.

function grams(s: string): Map<string, number> {
  const padded = `-${s.toLowerCase()}-`;
  const out = new Map<string, number>();
  for (let i = 0; i + 3 <= padded.length; i++) {
    const g = padded.slice(i, i + 3);
    out.set(g, (out.get(g) ?? 0) + 1);
  }
  return out;
}

/** Cosine similarity of trigram counts, 0 to 1. */
export function similarity(a: string, b: string): number {
  const ga = grams(a);
  const gb = grams(b);
  let dot = 0;
  for (const [g, n] of ga) dot += n * (gb.get(g) ?? 0);
  const norm = (m: Map<string, number>) => Math.sqrt([...m.values()].reduce((s, n) => s + n * n, 0));
  const d = norm(ga) * norm(gb);
  return d === 0 ? 0 : dot / d;
}

export function closest(target: string, candidates: Iterable<string>, threshold = 0.33): string | undefined {
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
