// `order=col.desc.nullslast,rel(col).asc,data->>x`, and the identifier lists of
// `columns=` and `on_conflict=`.
import { Cursor } from './cursor.ts';
import { fieldRef } from './select.ts';
import type { OrderTerm } from './types.ts';

export function parseOrder(text: string): OrderTerm[] {
  const c = new Cursor(text, 'order');
  const terms: OrderTerm[] = [];
  for (;;) {
    c.skipSpaces();
    const first = fieldRef(c);
    let relation: string | undefined;
    let field = first;
    if (first.jsonPath.length === 0 && c.eat('(')) {
      relation = first.name;
      field = fieldRef(c);
      c.expect(')');
    }
    let direction: 'asc' | 'desc' | undefined;
    let nulls: 'first' | 'last' | undefined;
    if (c.eat('.asc')) direction = 'asc';
    else if (c.eat('.desc')) direction = 'desc';
    if (c.eat('.nullsfirst')) nulls = 'first';
    else if (c.eat('.nullslast')) nulls = 'last';
    terms.push({ field, relation, direction, nulls });
    c.skipSpaces();
    if (c.eat(',')) continue;
    if (!c.done) c.fail('",", ".asc", ".desc", ".nullsfirst", ".nullslast" or end of input');
    return terms;
  }
}

/** `a,b,"c d"`: the names of `columns=` and `on_conflict=`. */
export function parseNameList(text: string, what: string): string[] {
  const c = new Cursor(text, what);
  const names: string[] = [];
  for (;;) {
    c.skipSpaces();
    names.push(c.name());
    c.skipSpaces();
    if (c.eat(',')) continue;
    if (!c.done) c.fail('"," or end of input');
    return names;
  }
}
