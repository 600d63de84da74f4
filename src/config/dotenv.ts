// A `.env` reader: KEY=value lines, optional `export `, # comments, single or double
// quotes (double quotes understand \n). Pure, so it is tested with a table.

export function parseDotenv(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#')) continue;
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_.]*)\s*=\s*(.*)$/.exec(line);
    if (m === null) continue;
    const key = m[1] as string;
    let v = m[2] as string;
    const quote = v[0];
    if ((quote === '"' || quote === "'") && v.lastIndexOf(quote) > 0) {
      v = v.slice(1, v.lastIndexOf(quote));
      if (quote === '"') v = v.replaceAll('\\n', '\n').replaceAll('\\"', '"');
    } else {
      const hash = v.search(/\s#/);
      if (hash >= 0) v = v.slice(0, hash);
      v = v.trim();
    }
    out[key] = v;
  }
  return out;
}
