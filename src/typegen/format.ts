// Formats the rendered text the way the Supabase CLI's file is formatted (its generator runs
// oxfmt with prettier's defaults and no semicolons). Prettier, loaded only when types are
// generated, gives the same layout but for one rule: a union that does not fit after its
// key goes to the next line whole when it fits there, where oxfmt writes one member per
// line; the same inside the parentheses of an array of a union. `breakUnions` turns the one
// into the other.

/** Splits `A | B | C` at the `|` outside brackets and strings; one item when there is none. */
export function unionMembers(type: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < type.length; i++) {
    const c = type[i];
    if (c === '"' || c === "'") {
      for (i++; i < type.length && type[i] !== c; i++) if (type[i] === '\\') i++;
    } else if (c === '(' || c === '[' || c === '{' || c === '<') depth++;
    else if (c === ')' || c === ']' || c === '}' || c === '>') depth--;
    else if (depth === 0 && type.startsWith(' | ', i)) {
      out.push(type.slice(start, i));
      start = i + 3;
      i += 2;
    }
  }
  out.push(type.slice(start));
  return out;
}

const indentOf = (line: string): number => line.length - line.trimStart().length;

/** `key:` (or `(`) then `  A | B` on one line becomes `key:` then `  | A` and `  | B`. */
export function breakUnions(text: string): string {
  const lines = text.split('\n');
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    out.push(line);
    const next = lines[i + 1];
    const after = lines[i + 2];
    if (!(line.endsWith(':') || line.endsWith('(')) || line.trimStart().startsWith('//') || next === undefined) continue;
    // Where the line's own content starts (after a `| ` when it is itself a union member).
    const indent = indentOf(line) + (line.trimStart().startsWith('| ') ? 2 : 0);
    // The value is exactly the next line: deeper by one level, and followed by a line back at the key's level.
    if (indentOf(next) !== indent + 2 || next.trimStart().startsWith('|') || (after !== undefined && after.trim() !== '' && indentOf(after) > indent)) continue;
    const members = unionMembers(next.trim());
    if (members.length < 2) continue;
    for (const m of members) out.push(`${' '.repeat(indent + 2)}| ${m}`);
    i++;
  }
  return out.join('\n');
}

/** Prettier with the generated file's options, then the union layout above. */
export async function formatTypescript(source: string): Promise<string> {
  const prettier = await import('prettier');
  const formatted = await prettier.format(source, { parser: 'typescript', semi: false, printWidth: 80 });
  return breakUnions(formatted);
}
