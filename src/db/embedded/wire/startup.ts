// A client's first packet: a request (TLS, GSS encryption, cancel) or the start-up message
// with its user, database and settings. Pure: what the packet asks, and whether the port
// serves it.
import { BodyReader, CANCEL_REQUEST, GSSENC_REQUEST, SSL_REQUEST, type Problem } from './frames.ts';

export type StartupPacket =
  | { readonly kind: 'ssl' }
  | { readonly kind: 'gssenc' }
  | { readonly kind: 'cancel'; readonly pid: number; readonly secret: number }
  | { readonly kind: 'startup'; readonly major: number; readonly minor: number; readonly params: ReadonlyMap<string, string> };

/** The packet's body, after its length. */
export function parseStartup(body: Buffer): StartupPacket {
  const r = new BodyReader(body);
  const code = r.int32();
  if (code === SSL_REQUEST) return { kind: 'ssl' };
  if (code === GSSENC_REQUEST) return { kind: 'gssenc' };
  if (code === CANCEL_REQUEST) return { kind: 'cancel', pid: r.int32(), secret: r.int32() };
  const params = new Map<string, string>();
  for (;;) {
    const name = r.cstring();
    if (name === '') break;
    params.set(name, r.cstring());
  }
  return { kind: 'startup', major: code >>> 16, minor: code & 0xffff, params };
}

/** The user and database the port serves: PGlite's own. */
export const PORT_USER = 'postgres';
export const PORT_DATABASE = 'postgres';

export interface StartupRequest {
  readonly user: string;
  /** Settings for the client's session: the packet's own and those of its `options`. */
  readonly settings: ReadonlyArray<readonly [string, string]>;
  /** Protocol options (`_pq_.*`) the port does not know, for NegotiateProtocolVersion. */
  readonly unrecognized: readonly string[];
}

const fatal = (code: string, message: string, detail?: string): Problem => ({ severity: 'FATAL', code, message, ...(detail === undefined ? {} : { detail }) });

export function startupRequest(packet: Extract<StartupPacket, { kind: 'startup' }>): StartupRequest | Problem {
  if (packet.major !== 3) return fatal('0A000', `unsupported frontend protocol ${packet.major}.${packet.minor}: server supports 3.0 to 3.0`);
  const params = packet.params;
  const user = params.get('user');
  if (user === undefined || user === '') return fatal('28000', 'no PostgreSQL user name specified in startup packet');
  if (user !== PORT_USER) return fatal('28P01', `password authentication failed for user "${user}"`, `Groundwork's database port serves the user ${PORT_USER} only.`);
  const database = params.get('database') ?? user;
  if (database !== PORT_DATABASE) return fatal('3D000', `database "${database}" does not exist`, `The embedded database has one database, ${PORT_DATABASE}.`);
  const replication = params.get('replication');
  if (replication !== undefined && !['false', 'off', 'no', '0'].includes(replication.toLowerCase())) {
    return fatal('0A000', 'replication connections are not supported by the embedded database');
  }
  const settings: Array<readonly [string, string]> = [];
  const unrecognized: string[] = [];
  for (const [name, value] of params) {
    if (name.startsWith('_pq_.')) unrecognized.push(name);
    else if (!['user', 'database', 'replication', 'options'].includes(name)) settings.push([name, value]);
  }
  const options = parseOptions(params.get('options') ?? '');
  if (!Array.isArray(options)) return options;
  return { user, settings: [...settings, ...options], unrecognized };
}

/**
 * The `options` parameter as PostgreSQL reads it: words separated by blanks (a backslash
 * keeps the next character), each `-c name=value` or `--name=value`.
 */
export function parseOptions(options: string): Array<readonly [string, string]> | Problem {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  for (let i = 0; i < options.length; i++) {
    const c = options[i] as string;
    if (c === '\\' && i + 1 < options.length) {
      word += options[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  const out: Array<readonly [string, string]> = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i] as string;
    let assignment: string | undefined;
    if (w === '-c') assignment = words[++i];
    else if (w.startsWith('-c')) assignment = w.slice(2);
    else if (w.startsWith('--')) assignment = w.slice(2);
    const eq = assignment?.indexOf('=') ?? -1;
    if (assignment === undefined || eq <= 0) return fatal('42601', `invalid command-line argument for server process: ${w}`, 'Only -c name=value and --name=value are accepted in options.');
    out.push([assignment.slice(0, eq).replaceAll('-', '_'), assignment.slice(eq + 1)]);
  }
  return out;
}

export function isProblem(x: unknown): x is Problem {
  return typeof x === 'object' && x !== null && 'severity' in x && 'code' in x;
}
