// PGlite reads a COPY FROM STDIN's data from the bytes it was handed with the statement; if
// they end before CopyDone it stops the whole database. So the port holds a statement that
// starts such a COPY, answers CopyInResponse itself (clients send the data only then), and
// forwards statement and data together once the client's CopyDone (or CopyFail) is in.
// Which statements start one is known from their text: COPY <table> ... FROM STDIN as the
// first statement of a query (how psql, pg_dump's scripts and drivers send it).
import { BodyReader, T, type Message } from './frames.ts';

/** Skips blanks and comments (`--`, nested `/* *\/`) before a statement's first word. */
function firstToken(text: string): string {
  let i = 0;
  for (;;) {
    while (i < text.length && /\s/.test(text[i] as string)) i++;
    if (text.startsWith('--', i)) {
      const eol = text.indexOf('\n', i);
      i = eol < 0 ? text.length : eol + 1;
    } else if (text.startsWith('/*', i)) {
      let depth = 0;
      do {
        if (text.startsWith('/*', i)) {
          depth++;
          i += 2;
        } else if (text.startsWith('*/', i)) {
          depth--;
          i += 2;
        } else i++;
      } while (depth > 0 && i < text.length);
    } else return text.slice(i);
  }
}

/** A COPY FROM STDIN about to start; binary when its data is in the binary format. */
export interface CopyStart {
  readonly binary: boolean;
}

/** `COPY table [(columns)] FROM STDIN …` (a COPY of a query, `COPY (…)`, can only be TO). */
export function copyFromStdin(text: string): CopyStart | undefined {
  const m = /^copy\s+[^(;\s][^;]*?\bfrom\s+stdin\b[^;]*/i.exec(firstToken(text));
  return m === null ? undefined : { binary: /\bbinary\b/i.test(m[0]) };
}

/**
 * Follows a client's statements and portals (by the client's own names) so that an Execute
 * is known to start a COPY FROM STDIN. Call `starts` for every message, in the order sent.
 */
export class CopyInTracker {
  readonly #statements = new Map<string, CopyStart | undefined>();
  readonly #portals = new Map<string, CopyStart | undefined>();

  starts(m: Message): CopyStart | undefined {
    const r = new BodyReader(m.body);
    switch (m.type) {
      case T.query:
        return copyFromStdin(r.cstring());
      case T.parse: {
        const name = r.cstring();
        this.#statements.set(name, copyFromStdin(r.cstring()));
        return undefined;
      }
      case T.bind: {
        const portal = r.cstring();
        this.#portals.set(portal, this.#statements.get(r.cstring()));
        return undefined;
      }
      case T.execute:
        return this.#portals.get(r.cstring());
      case T.close: {
        const kind = r.byte();
        (kind === 0x53 ? this.#statements : this.#portals).delete(r.cstring());
        return undefined;
      }
      default:
        return undefined;
    }
  }
}

/**
 * How many of the pending messages may go to PGlite now: all of them, or those before a
 * COPY FROM STDIN whose CopyDone/CopyFail has not arrived yet.
 */
export function forwardable(pending: ReadonlyArray<{ readonly message: Message; readonly copy: CopyStart | undefined }>): number {
  for (let i = 0; i < pending.length; i++) {
    if (pending[i]?.copy === undefined) continue;
    const end = pending.findIndex((p, j) => j > i && (p.message.type === T.copyDone || p.message.type === T.copyFail));
    if (end < 0) return i;
    i = end;
  }
  return pending.length;
}
