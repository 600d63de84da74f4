// pg_cron schedules: five cron fields (Vixie semantics, UTC), `N seconds` intervals and the
// @ macros. Accepts exactly what _groundwork.cron_check_schedule (bootstrap v14) accepts;
// both are tested against SCHEDULE_EXAMPLES. Croner only computes fire times: it gets a
// pattern of plain number lists built here, so its own, wider syntax never matters.
import { Cron } from 'croner';

export type Schedule =
  | { readonly kind: 'interval'; readonly seconds: number; readonly text: string }
  | { readonly kind: 'cron'; readonly text: string; readonly pattern: string; readonly cron: Cron };

interface Field {
  readonly name: string;
  readonly lo: number;
  readonly hi: number;
  readonly names: readonly string[];
}

const FIELDS: readonly Field[] = [
  { name: 'minute', lo: 0, hi: 59, names: [] },
  { name: 'hour', lo: 0, hi: 23, names: [] },
  { name: 'day of month', lo: 1, hi: 31, names: [] },
  { name: 'month', lo: 1, hi: 12, names: ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'] },
  { name: 'day of week', lo: 0, hi: 7, names: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] },
];

/** pg_cron's `$` in day of month: the month's last day. */
const LAST = 32;

const MACROS: Readonly<Record<string, string>> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

const ITEM = /^(?:(\*)|([0-9]+|[a-z]+)(?:-([0-9]+|[a-z]+))?)(?:\/([0-9]+))?$/;

function value(token: string, field: Field): number {
  return /^[0-9]+$/.test(token) ? Number(token) : field.names.indexOf(token) + field.lo;
}

/** A field's values, or what is wrong with it. */
function parseField(text: string, field: Field): number[] | string {
  const values: number[] = [];
  for (const item of text.split(',')) {
    if (item === '$' && field.hi === 31) {
      values.push(LAST);
      continue;
    }
    const m = ITEM.exec(item.toLowerCase());
    if (m === null) return `${field.name}: cannot read "${item}"`;
    const [, star, from, to, step] = m;
    const unknown = [from, to].find((t) => t !== undefined && !/^[0-9]+$/.test(t) && !field.names.includes(t));
    if (unknown !== undefined) return `${field.name}: unknown name "${unknown}"`;
    let a = field.lo;
    let b = field.hi;
    if (star === undefined && from !== undefined) {
      a = value(from, field);
      b = to !== undefined ? value(to, field) : step !== undefined ? field.hi : a;
    }
    if (a < field.lo || a > field.hi || b < field.lo || b > field.hi) return `${field.name}: ${item} is out of range ${field.lo}-${field.hi}`;
    if (a > b) return `${field.name}: range ${item} goes backwards`;
    const by = step === undefined ? 1 : Number(step);
    if (by < 1) return `${field.name}: step must be at least 1`;
    for (let v = a; v <= b; v += Math.min(by, 100)) values.push(v);
  }
  return values;
}

const longestDay = (month: number) => (month === 2 ? 29 : [4, 6, 9, 11].includes(month) ? 30 : 31);

const list = (values: readonly number[]) => [...new Set(values)].sort((x, y) => x - y).join(',');

/** A field as croner reads it: `*` stays (Vixie's "unrestricted"), anything else a number list. */
function cronerField(text: string, values: readonly number[], index: number): string {
  if (text === '*') return '*';
  if (index === 2) return [list(values.filter((v) => v !== LAST)), values.includes(LAST) ? 'L' : ''].filter((s) => s !== '').join(',');
  if (index === 4) return list(values.map((v) => v % 7));
  return list(values);
}

function parseFields(text: string, fields: readonly string[]): Schedule | { readonly error: string } {
  const values: number[][] = [];
  for (const [i, field] of FIELDS.entries()) {
    const parsed = parseField(fields[i] ?? '', field);
    if (typeof parsed === 'string') return { error: parsed };
    values.push(parsed);
  }
  const [, , dom = '', , dow = ''] = fields;
  const [, , days = [], months = []] = values;
  // Days of week OR in only when neither day field starts with '*' (Vixie): otherwise a day
  // of month no chosen month has never fires.
  if (!dom.startsWith('*') && dow.startsWith('*') && !days.includes(LAST) && Math.min(...days) > Math.max(...months.map(longestDay))) {
    return { error: 'never fires: no chosen month has that day' };
  }
  const pattern = fields.map((f, i) => cronerField(f, values[i] ?? [], i)).join(' ');
  // No function and paused: croner only computes. A UTC offset of 0 is UTC without Intl lookups.
  const cron = new Cron(pattern, { paused: true, utcOffset: 0, mode: '5-part', domAndDow: dom.startsWith('*') || dow.startsWith('*') });
  return { kind: 'cron', text, pattern, cron };
}

export function parseSchedule(input: string): Schedule | { readonly error: string } {
  const text = input.replace(/^[ \t\n\r\f\v]+|[ \t\n\r\f\v]+$/g, '').replace(/[ \t\n\r\f\v]+/g, ' ');
  const lower = text.toLowerCase();
  if (text.startsWith('@')) {
    if (lower === '@reboot') return { error: '@reboot is not supported: jobs here do not run at server start' };
    const macro = MACROS[lower];
    if (macro === undefined) return { error: 'unknown macro; use @yearly, @annually, @monthly, @weekly, @daily, @midnight or @hourly' };
    const parsed = parseFields(text, macro.split(' '));
    return 'error' in parsed ? parsed : { ...parsed, text };
  }
  if (/^[0-9]+ seconds?$/.test(lower)) {
    const seconds = Number(text.split(' ')[0]);
    if (seconds < 1 || seconds > 59) return { error: 'an interval must be 1 to 59 seconds' };
    return { kind: 'interval', seconds, text };
  }
  const fields = text === '' ? [] : text.split(' ');
  if (fields.length !== 5) return { error: `expected five fields (minute hour day-of-month month day-of-week), "N seconds" or a macro; found ${fields.length} fields` };
  return parseFields(text, fields);
}

/** The first fire time strictly after `after` (UTC). Interval jobs: the next multiple of `seconds` since the Unix epoch, so every node computes the same tick. */
export function nextTick(schedule: Schedule, after: Date): Date {
  if (schedule.kind === 'interval') {
    const period = schedule.seconds * 1000;
    return new Date((Math.floor(after.getTime() / period) + 1) * period);
  }
  const next = schedule.cron.nextRun(after);
  // Unreachable for schedules parseSchedule accepts (those that never fire are refused).
  if (next === null) throw new Error(`schedule ${schedule.text} has no fire time after ${after.toISOString()}`);
  return next;
}
