// The only way Groundwork builds SQL. A fragment is a list of parts that keep trusted
// text, identifiers and values apart; `compile` turns it into `{ text, values }` with
// numbered placeholders. Interpolated JavaScript values always become placeholders, so
// user input can never become SQL text; identifiers must be wrapped in `ident()` and
// trusted text in `raw()` on purpose.

const FRAGMENT = Symbol('groundwork.sql');

export type SqlValue = string | number | boolean | null | bigint | Date | readonly unknown[] | { readonly [k: string]: unknown };

type Part =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'ident'; readonly names: readonly string[] }
  | { readonly kind: 'value'; readonly value: unknown };

export interface Sql {
  readonly [FRAGMENT]: readonly Part[];
}

export interface CompiledSql {
  readonly text: string;
  readonly values: readonly unknown[];
}

export function isSql(x: unknown): x is Sql {
  return typeof x === 'object' && x !== null && FRAGMENT in x;
}

function fragment(parts: readonly Part[]): Sql {
  return { [FRAGMENT]: parts };
}

/** Tagged template: `sql\`select * from ${ident('s', 't')} where id = ${id}\``. */
export function sql(strings: TemplateStringsArray, ...args: ReadonlyArray<Sql | SqlValue | undefined>): Sql {
  const parts: Part[] = [];
  strings.forEach((text, i) => {
    if (text !== '') parts.push({ kind: 'text', text });
    if (i < args.length) {
      const arg = args[i];
      if (isSql(arg)) parts.push(...arg[FRAGMENT]);
      else parts.push({ kind: 'value', value: arg === undefined ? null : arg });
    }
  });
  return fragment(parts);
}

/** A quoted identifier; several names make a qualified one (`"schema"."table"`). */
export function ident(...names: string[]): Sql {
  if (names.length === 0) throw new TypeError('ident() needs at least one name');
  return fragment([{ kind: 'ident', names }]);
}

/** A value placeholder, for building fragments outside a template. */
export function value(v: SqlValue): Sql {
  return fragment([{ kind: 'value', value: v }]);
}

/** Trusted SQL text, never derived from input: keywords, operators chosen from a fixed list. */
export function raw(text: string): Sql {
  return fragment([{ kind: 'text', text }]);
}

/**
 * A whole statement an operator sent to be run as SQL (the MCP `execute_sql` tool): the text
 * is the request itself and runs on its own, never spliced into other SQL.
 */
export function statement(text: string): Sql {
  return fragment([{ kind: 'text', text }]);
}

export function join(items: readonly Sql[], separator: string = ', '): Sql {
  const parts: Part[] = [];
  items.forEach((item, i) => {
    if (i > 0 && separator !== '') parts.push({ kind: 'text', text: separator });
    parts.push(...item[FRAGMENT]);
  });
  return fragment(parts);
}

export const empty: Sql = fragment([]);

export function quoteIdent(name: string): string {
  if (name.includes('\u0000')) throw new TypeError('identifier contains a NUL character');
  return `"${name.replaceAll('"', '""')}"`;
}

/** Quotes a string as a SQL literal; for DDL that cannot take placeholders (e.g. COMMENT, DO bodies). */
export function quoteLiteral(text: string): string {
  if (text.includes('\u0000')) throw new TypeError('literal contains a NUL character');
  return `'${text.replaceAll("'", "''")}'`;
}

export function compile(q: Sql): CompiledSql {
  let text = '';
  const values: unknown[] = [];
  for (const part of q[FRAGMENT]) {
    switch (part.kind) {
      case 'text':
        text += part.text;
        break;
      case 'ident':
        text += part.names.map(quoteIdent).join('.');
        break;
      case 'value':
        values.push(part.value);
        text += `$${values.length}`;
        break;
    }
  }
  return { text, values };
}
