// The Accept header as PostgREST orders it: by q-value, then by specificity (number of
// parameters minus wildcards), then in the order given. No header means */*.

export interface MediaType {
  readonly type: string;
  readonly subtype: string;
  /** Lower-cased parameter names; values as given (quotes removed). */
  readonly params: Readonly<Record<string, string>>;
  /** The media type as the client wrote it, without q and spaces. */
  readonly raw: string;
}

function parseOne(text: string): { media: MediaType; q: number } | undefined {
  const compact = text.replace(/\s+/g, '');
  const [essence = '', ...rest] = compact.split(';');
  const slash = essence.indexOf('/');
  if (slash <= 0) return undefined;
  const params: Record<string, string> = {};
  let q = 1;
  const kept: string[] = [essence];
  for (const p of rest) {
    const eq = p.indexOf('=');
    const name = (eq < 0 ? p : p.slice(0, eq)).toLowerCase();
    const value = eq < 0 ? '' : p.slice(eq + 1).replace(/^"(.*)"$/, '$1');
    if (name === '') continue;
    if (name === 'q') {
      q = Number(value);
      break; // everything from ;q= on is dropped
    }
    params[name] = value;
    kept.push(p);
  }
  return {
    media: { type: essence.slice(0, slash).toLowerCase(), subtype: essence.slice(slash + 1).toLowerCase(), params, raw: kept.join(';') },
    q: Number.isFinite(q) ? q : 0,
  };
}

export function parseAccept(header: string | undefined): MediaType[] {
  if (header === undefined || header.trim() === '') return [{ type: '*', subtype: '*', params: {}, raw: '*/*' }];
  const parsed = header
    .split(',')
    .map(parseOne)
    .filter((x): x is { media: MediaType; q: number } => x !== undefined);
  const specificity = (m: MediaType) => Object.keys(m.params).length - (m.type === '*' ? 1 : 0) - (m.subtype === '*' ? 1 : 0);
  return parsed
    .map((p, i) => ({ ...p, i }))
    .sort((a, b) => b.q - a.q || specificity(b.media) - specificity(a.media) || a.i - b.i)
    .map((p) => p.media);
}
