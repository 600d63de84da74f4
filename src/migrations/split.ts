// Splits a SQL file into statements, so each can be recorded (Supabase keeps them in
// schema_migrations.statements) and a failure can be reported with its line. Understands
// quotes, "identifiers", E'' strings, $tag$ bodies, -- and nested /* */ comments, and
// BEGIN ATOMIC ... END function bodies. Pure; tested with a table.

export interface Statement {
  readonly text: string;
  /** 1-based line of the statement's first character in the file. */
  readonly line: number;
}

const WORD = /[A-Za-z_][A-Za-z0-9_$]*/y;

export function splitStatements(source: string): Statement[] {
  const out: Statement[] = [];
  let start = 0;
  let i = 0;
  let atomicDepth = 0; // inside BEGIN ATOMIC: CASE/END pairs nest, the last END closes it
  let lastWord = '';
  const n = source.length;

  const push = (end: number) => {
    // A statement starts at its first token: comments before it belong to no statement.
    const first = skipBlank(source, start, end);
    if (first < end) out.push({ text: source.slice(first, end).trimEnd(), line: lineAt(source, first) });
  };

  while (i < n) {
    const c = source[i] as string;
    const next = source[i + 1];
    if (c === '-' && next === '-') {
      const eol = source.indexOf('\n', i);
      i = eol === -1 ? n : eol + 1;
    } else if (c === '/' && next === '*') {
      i = skipBlockComment(source, i);
    } else if (c === "'") {
      const escapes = /[eE]$/.test(source.slice(Math.max(0, i - 1), i)) && !/[A-Za-z0-9_]/.test(source[i - 2] ?? '');
      i = skipQuoted(source, i, "'", escapes);
    } else if (c === '"') {
      i = skipQuoted(source, i, '"', false);
    } else if (c === '$') {
      const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(source.slice(i, i + 64));
      if (tag !== null && !/[A-Za-z0-9_]/.test(source[i - 1] ?? '')) {
        const close = source.indexOf(tag[0], i + tag[0].length);
        i = close === -1 ? n : close + tag[0].length;
      } else i++;
    } else if (/[A-Za-z_]/.test(c) && !/[A-Za-z0-9_$]/.test(source[i - 1] ?? '')) {
      WORD.lastIndex = i;
      const word = (WORD.exec(source)?.[0] ?? c).toLowerCase();
      if (word === 'atomic' && lastWord === 'begin') atomicDepth++;
      else if (atomicDepth > 0 && word === 'case') atomicDepth++;
      else if (atomicDepth > 0 && word === 'end') atomicDepth--;
      lastWord = word;
      i += word.length;
    } else if (c === ';' && atomicDepth === 0) {
      push(i);
      start = i + 1;
      i++;
    } else {
      i++;
    }
  }
  push(n);
  return out;
}

function skipBlockComment(s: string, i: number): number {
  let depth = 0;
  while (i < s.length) {
    if (s[i] === '/' && s[i + 1] === '*') {
      depth++;
      i += 2;
    } else if (s[i] === '*' && s[i + 1] === '/') {
      depth--;
      i += 2;
      if (depth === 0) return i;
    } else i++;
  }
  return i;
}

function skipQuoted(s: string, i: number, quote: string, backslashEscapes: boolean): number {
  i++;
  while (i < s.length) {
    const c = s[i];
    if (backslashEscapes && c === '\\') i += 2;
    else if (c === quote && s[i + 1] === quote) i += 2;
    else if (c === quote) return i + 1;
    else i++;
  }
  return i;
}

/** The offset of the first character in [i, end) that is neither white space nor a comment. */
function skipBlank(text: string, i: number, end: number): number {
  while (i < end) {
    const c = text[i] as string;
    if (/\s/.test(c)) i++;
    else if (c === '-' && text[i + 1] === '-') {
      const eol = text.indexOf('\n', i);
      i = eol === -1 ? end : eol + 1;
    } else if (c === '/' && text[i + 1] === '*') i = skipBlockComment(text, i);
    else return i;
  }
  return end;
}

/** True when the text holds only white space and comments. */
export function isBlank(text: string): boolean {
  return skipBlank(text, 0, text.length) === text.length;
}

export function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let k = 0; k < offset && k < text.length; k++) if (text[k] === '\n') line++;
  return line;
}
