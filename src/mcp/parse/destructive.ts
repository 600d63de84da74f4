// Which statements of a SQL text would lose data: DROP …, ALTER … DROP …, TRUNCATE, and
// DELETE or UPDATE without a WHERE clause. `execute_sql` and `apply_migration` ask the person
// at the client to confirm these first. Reads words outside strings, quoted identifiers,
// comments and dollar-quoted bodies, at the statement's top level (a WHERE inside a subquery
// does not count). Pure; tested with a table.
import { splitStatements } from '../../migrations/split.ts';

/** The words of a statement outside quotes and comments, each with its parenthesis depth. */
function words(text: string): Array<{ word: string; depth: number }> {
  const out: Array<{ word: string; depth: number }> = [];
  let depth = 0;
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (c === '-' && text[i + 1] === '-') {
      const eol = text.indexOf('\n', i);
      i = eol === -1 ? text.length : eol + 1;
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      i = end === -1 ? text.length : end + 2;
    } else if (c === "'" || c === '"') {
      let j = i + 1;
      while (j < text.length && !(text[j] === c && text[j + 1] !== c)) j += text[j] === c ? 2 : 1;
      i = j + 1;
    } else if (c === '$') {
      const tag = /^\$[A-Za-z_]*\$/.exec(text.slice(i));
      if (tag === null) i++;
      else {
        const end = text.indexOf(tag[0], i + tag[0].length);
        i = end === -1 ? text.length : end + tag[0].length;
      }
    } else if (c === '(') {
      depth++;
      i++;
    } else if (c === ')') {
      depth = Math.max(0, depth - 1);
      i++;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_$]*/.exec(text.slice(i)) as RegExpExecArray;
      out.push({ word: m[0].toLowerCase(), depth });
      i += m[0].length;
    } else i++;
  }
  return out;
}

/** Why a statement loses data, or undefined. */
export function destructiveReason(statement: string): string | undefined {
  const top = words(statement).filter((w) => w.depth === 0).map((w) => w.word);
  const first = top[0];
  if (first === 'drop') return `${top.slice(0, 2).join(' ').toUpperCase()} drops an object and its data`;
  if (first === 'truncate') return 'TRUNCATE deletes every row';
  if (first === 'alter' && top.includes('drop')) return 'ALTER … DROP removes part of an object';
  if ((first === 'delete' || first === 'update') && !top.includes('where')) return `${first.toUpperCase()} without WHERE changes every row`;
  return undefined;
}

/** The destructive statements of a SQL text, each with its reason. */
export function destructiveStatements(source: string): Array<{ text: string; reason: string }> {
  return splitStatements(source).flatMap((s) => {
    const reason = destructiveReason(s.text);
    return reason === undefined ? [] : [{ text: s.text, reason }];
  });
}
