import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseCli, UsageError } from './args.ts';

describe('parseCli', () => {
  const ok: Array<[string[], unknown]> = [
    [[], { kind: 'help', command: undefined }],
    [['--help'], { kind: 'help', command: undefined }],
    [['--version'], { kind: 'version' }],
    [['start', '--help'], { kind: 'help', command: 'start' }],
    [['migrate', 'up', '-h'], { kind: 'help', command: 'migrate up' }],
    [['start'], { kind: 'run', command: 'start', positionals: [], flags: {}, yes: false, options: {} }],
    [['start', '--port', '8000', '--host=0.0.0.0'], { kind: 'run', command: 'start', positionals: [], flags: { port: '8000', host: '0.0.0.0' }, yes: false, options: {} }],
    [['migrate', 'new', 'add posts'], { kind: 'run', command: 'migrate new', positionals: ['add posts'], flags: {}, yes: false, options: {} }],
    [['db', 'reset', '--yes', '--project-dir', 'x'], { kind: 'run', command: 'db reset', positionals: [], flags: { 'project-dir': 'x' }, yes: true, options: {} }],
    [['db', 'dump', '-f', 'out.sql'], { kind: 'run', command: 'db dump', positionals: [], flags: {}, yes: false, options: { file: 'out.sql' } }],
    [['db', 'dump'], { kind: 'run', command: 'db dump', positionals: [], flags: {}, yes: false, options: {} }],
    [
      ['db', 'copy', '--to', 'postgres://h/db', '--replace', '--data-dir', 'd'],
      { kind: 'run', command: 'db copy', positionals: [], flags: { 'data-dir': 'd' }, yes: false, options: { to: 'postgres://h/db', replace: true } },
    ],
    [['gen', 'types'], { kind: 'run', command: 'gen types', positionals: [], flags: {}, yes: false, options: {} }],
    [
      ['gen', 'types', 'typescript', '--local', '-s', 'public', '--schema', 'shop,other', '-o', 'types.ts'],
      { kind: 'run', command: 'gen types', positionals: ['typescript'], flags: {}, yes: false, options: { local: true, schema: 'public,shop,other', output: 'types.ts' } },
    ],
    [['gen', 'types', '--help'], { kind: 'help', command: 'gen types' }],
  ];
  for (const [argv, expected] of ok) it(`parses ${JSON.stringify(argv)}`, () => assert.deepEqual(parseCli(argv), expected));

  const bad: Array<[string[], RegExp]> = [
    [['serve'], /unknown command 'serve'/],
    [['migrate'], /needs a subcommand: migrate new, migrate up, migrate status/],
    [['migrate', 'sideways'], /unknown command 'migrate sideways'/],
    [['start', '--prot', '1'], /^unknown flag '--prot'$/],
    [['start', 'extra'], /takes no arguments/],
    [['migrate', 'new'], /takes 1 argument \(got 0\)/],
    [['start', '--port'], /argument missing/],
    [['keys', '--yes'], /^unknown flag '--yes'$/],
    [['db', 'dump', '--to', 'x'], /^unknown flag '--to'$/],
    [['db', 'copy', '--file', 'x'], /^unknown flag '--file'$/],
    [['db', 'copy', '--to'], /argument missing/],
    [['gen'], /needs a subcommand: gen types/],
    [['gen', 'types', 'typescript', 'go'], /takes at most 1 argument \(got 2\)/],
    [['gen', 'types', '--query-timeout', '5s'], /^unknown flag '--query-timeout'$/],
  ];
  for (const [argv, message] of bad) {
    it(`refuses ${JSON.stringify(argv)}`, () => assert.throws(() => parseCli(argv), (e: unknown) => e instanceof UsageError && message.test(e.message)));
  }
});
