// Sets one key of a `[functions.<name>]` table in supabase/config.toml's text, keeping every
// other line (comments included) as written: the key's line is replaced, or added at the end
// of the table, or a new table is appended. Pure; tested with a table.

const header = (line: string) => /^\s*\[([^\]]+)\]\s*(#.*)?$/.exec(line)?.[1]?.trim();

function tomlValue(v: string | boolean): string {
  return typeof v === 'boolean' ? String(v) : JSON.stringify(v);
}

export function setFunctionKey(text: string, name: string, key: string, value: string | boolean): string {
  const lines = text === '' ? [] : text.replace(/\n$/, '').split('\n');
  const wanted = [`functions.${name}`, `functions."${name}"`];
  const start = lines.findIndex((l) => wanted.includes(header(l) ?? ''));
  const entry = `${key} = ${tomlValue(value)}`;
  if (start === -1) {
    const gap = lines.length > 0 && lines[lines.length - 1]?.trim() !== '' ? [''] : [];
    return [...lines, ...gap, `[functions.${name}]`, entry].join('\n') + '\n';
  }
  let end = lines.findIndex((l, i) => i > start && header(l) !== undefined);
  if (end === -1) end = lines.length;
  const keyLine = new RegExp(`^\\s*${key}\\s*=`);
  const at = lines.findIndex((l, i) => i > start && i < end && keyLine.test(l));
  if (at !== -1) lines[at] = entry;
  else {
    // After the table's last non-blank line.
    let last = end - 1;
    while (last > start && lines[last]?.trim() === '') last--;
    lines.splice(last + 1, 0, entry);
  }
  return lines.join('\n') + '\n';
}
