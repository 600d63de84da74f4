// The one SQLSTATE → HTTP status mapping, PostgREST's (v13), used by every API family.
// First match wins; the order matters (e.g. 57P01 before 57*).

export interface SqlstateContext {
  readonly message: string;
  /** Whether the caller ran as a role other than the anonymous one (decides 401 vs 403). */
  readonly authenticated: boolean;
}

type Rule = readonly [test: (s: string, c: SqlstateContext) => boolean, status: (s: string, c: SqlstateContext) => number];

const is = (code: string) => (s: string) => s === code;
const cls = (prefix: string) => (s: string) => s.startsWith(prefix);
const fixed = (n: number) => () => n;

const rules: readonly Rule[] = [
  [cls('08'), fixed(503)],
  [cls('09'), fixed(500)],
  [cls('0L'), fixed(403)],
  [cls('0P'), fixed(403)],
  [is('23503'), fixed(409)],
  [is('23505'), fixed(409)],
  [is('25006'), fixed(405)],
  [is('21000'), (_s, c) => (c.message.endsWith('requires a WHERE clause') ? 400 : 500)],
  [is('22023'), (_s, c) => (c.message.startsWith('role') && c.message.endsWith('does not exist') ? 401 : 400)],
  [cls('25'), fixed(500)],
  [cls('28'), fixed(403)],
  [cls('2D'), fixed(500)],
  [(s) => s.startsWith('38') || s.startsWith('39') || s.startsWith('3B'), fixed(500)],
  [cls('40'), fixed(500)],
  [is('53400'), fixed(500)],
  [cls('53'), fixed(503)],
  [cls('54'), fixed(500)],
  [cls('55'), fixed(500)],
  [is('57P01'), fixed(503)],
  [cls('57'), fixed(500)],
  [(s) => s.startsWith('58') || s.startsWith('F0') || s.startsWith('HV'), fixed(500)],
  [is('P0001'), fixed(400)],
  [cls('P0'), fixed(500)],
  [cls('XX'), fixed(500)],
  [is('42883'), (_s, c) => (c.message.startsWith('function xmlagg(') ? 406 : 404)],
  [is('42P01'), fixed(404)],
  [is('42P17'), fixed(500)],
  [is('42501'), (_s, c) => (c.authenticated ? 403 : 401)],
  [(s) => /^PT\d{3}$/.test(s), (s) => Number(s.slice(2))],
  [cls('PT'), fixed(500)],
];

export function httpStatusForSqlstate(sqlstate: string, context: SqlstateContext): number {
  for (const [test, status] of rules) if (test(sqlstate, context)) return status(sqlstate, context);
  return 400;
}
