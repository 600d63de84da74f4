// Every port client shares PGlite's one session, so two clients' prepared statements named
// "s0" (Prisma, postgres.js and others number theirs per connection) would collide. Names
// in Parse, Bind, Describe, Close and Execute get the client's own prefix on the way in;
// PostgreSQL only ever echoes them back in errors. The unnamed statement and portal stay
// unnamed: drivers send them with their Bind and Execute in one go, within one turn.
import { BodyReader, cstring, T, type Message } from './frames.ts';

const withPrefix = (prefix: string, name: string): string => (name === '' ? '' : `${prefix}${name}`);

export function prefixNames(m: Message, prefix: string): Message {
  const r = new BodyReader(m.body);
  switch (m.type) {
    case T.parse: {
      const name = r.cstring();
      return { type: m.type, body: Buffer.concat([cstring(withPrefix(prefix, name)), r.rest]) };
    }
    case T.bind: {
      const portal = r.cstring();
      const statement = r.cstring();
      return { type: m.type, body: Buffer.concat([cstring(withPrefix(prefix, portal)), cstring(withPrefix(prefix, statement)), r.rest]) };
    }
    case T.describe:
    case T.close: {
      const kind = r.byte();
      const name = r.cstring();
      return { type: m.type, body: Buffer.concat([Buffer.from([kind]), cstring(withPrefix(prefix, name)), r.rest]) };
    }
    case T.execute: {
      const portal = r.cstring();
      return { type: m.type, body: Buffer.concat([cstring(withPrefix(prefix, portal)), r.rest]) };
    }
    default:
      return m;
  }
}

/** What a message does to the client's named statements: creates one, drops one, or neither. */
export function statementChange(m: Message): { readonly created?: string; readonly dropped?: string } {
  const r = new BodyReader(m.body);
  if (m.type === T.parse) {
    const name = r.cstring();
    return name === '' ? {} : { created: name };
  }
  if (m.type === T.close && r.byte() === 0x53) {
    const name = r.cstring();
    return name === '' ? {} : { dropped: name };
  }
  return {};
}
