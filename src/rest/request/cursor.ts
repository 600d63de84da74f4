// A cursor over one query-string value, shared by the select, filter, order and logic-tree
// parsers. Failures carry the 1-based column PostgREST reports ("(line 1, column N)").

export class ParseFailure extends Error {
  constructor(
    /** What was being parsed: "select parameter", "filter", "order", "logic tree"… */
    readonly what: string,
    readonly input: string,
    readonly column: number,
    readonly expected: string,
  ) {
    super(`failed to parse ${what} (${input})`);
    this.name = 'ParseFailure';
  }
}

/** Input the grammar accepts but past one of REST_LIMITS (limits.ts): PGRST100 with its own message. */
export class LimitFailure extends Error {
  constructor(
    readonly what: string,
    message: string,
    readonly column: number,
  ) {
    super(message);
    this.name = 'LimitFailure';
  }
}

// Identifier characters: letters and digits of any script, _, $ and space (PostgREST's set).
const IDENT = /[\p{L}\p{N}_$ ]/u;

export class Cursor {
  pos = 0;
  constructor(
    readonly text: string,
    readonly what: string,
  ) {}

  get done(): boolean {
    return this.pos >= this.text.length;
  }
  peek(n = 0): string {
    return this.text[this.pos + n] ?? '';
  }
  startsWith(s: string): boolean {
    return this.text.startsWith(s, this.pos);
  }
  eat(s: string): boolean {
    if (!this.startsWith(s)) return false;
    this.pos += s.length;
    return true;
  }
  expect(s: string, expected = `"${s}"`): void {
    if (!this.eat(s)) this.fail(expected);
  }
  skipSpaces(): void {
    while (this.peek() === ' ' || this.peek() === '\t') this.pos++;
  }
  fail(expected: string): never {
    const found = this.done ? 'end of input' : `"${this.peek()}"`;
    throw new ParseFailure(this.what, this.text, this.pos + 1, `unexpected ${found} expecting ${expected}`);
  }
  limit(message: string): never {
    throw new LimitFailure(this.what, message, this.pos + 1);
  }

  /**
   * A double-quoted string with \" and \\ escapes. For a name (`name` true) a NUL fails:
   * PostgreSQL names cannot hold one. Values may; PostgreSQL answers those (22021, a 400).
   */
  quoted(name = false): string {
    this.expect('"');
    let out = '';
    while (!this.done && this.peek() !== '"') {
      if (this.peek() === '\\' && this.pos + 1 < this.text.length) this.pos++;
      if (name && this.peek() === '\u0000') this.fail('a name character (names cannot hold NUL)');
      out += this.peek();
      this.pos++;
    }
    this.expect('"', 'closing quote');
    return out;
  }

  /** An unquoted identifier: ident ("-" ident)*, where "-" never starts "->". Trimmed. */
  ident(): string {
    const start = this.pos;
    for (;;) {
      while (IDENT.test(this.peek())) this.pos++;
      if (this.peek() === '-' && this.peek(1) !== '>' && IDENT.test(this.peek(1))) {
        this.pos++;
        continue;
      }
      break;
    }
    const name = this.text.slice(start, this.pos).trim();
    if (name === '') {
      this.pos = start;
      this.fail('letter, digit, "_", "$" or a quoted name');
    }
    return name;
  }

  name(): string {
    return this.peek() === '"' ? this.quoted(true) : this.ident();
  }
}
