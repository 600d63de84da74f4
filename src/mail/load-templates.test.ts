import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../config/load.ts';
import { loadMailTemplates } from './load-templates.ts';
import { DEFAULT_TEMPLATES } from './templates.ts';

describe('loadMailTemplates', () => {
  const dirs: string[] = [];
  const folder = (files: Record<string, string>) => {
    const dir = mkdtempSync(join(tmpdir(), 'gw-templates-'));
    dirs.push(dir);
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    return dir;
  };
  after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('gives the defaults when nothing is configured', () => {
    assert.deepEqual(loadMailTemplates({ templatesDir: undefined, subjects: {} }), DEFAULT_TEMPLATES);
  });

  it('takes <kind>.html files and subject overrides over the defaults, ignoring other files', () => {
    const dir = folder({ 'recovery.html': '<p>{{ .Token }}</p>', 'README.md': 'notes' });
    const t = loadMailTemplates({ templatesDir: dir, subjects: { recovery: 'Reset for {{ .Email }}', invite: 'Join us' } });
    assert.deepEqual(t.recovery, { subject: 'Reset for {{ .Email }}', html: '<p>{{ .Token }}</p>' });
    assert.deepEqual(t.invite, { subject: 'Join us', html: DEFAULT_TEMPLATES.invite.html });
    assert.deepEqual(t.confirmation, DEFAULT_TEMPLATES.confirmation);
  });

  const refused: Array<{ name: string; files?: Record<string, string>; subjects?: Record<string, string>; variable: string; problem: RegExp }> = [
    { name: 'a misspelt file name', files: { 'magiclink.html': 'x' }, variable: 'GROUNDWORK_AUTH_MAIL_TEMPLATES_DIR', problem: /unknown template magiclink\.html \(expected confirmation\.html, / },
    { name: 'an unknown variable', files: { 'invite.html': '{{ .Link }}' }, variable: 'GROUNDWORK_AUTH_MAIL_TEMPLATES_DIR', problem: /\(invite\.html\): unknown variable \.Link/ },
    { name: 'a control action', files: { 'invite.html': '{{ range .Data }}' }, variable: 'GROUNDWORK_AUTH_MAIL_TEMPLATES_DIR', problem: /\(invite\.html\): unsupported/ },
    { name: 'a bad subject', subjects: { confirmation: 'Hi {{ .Name }}' }, variable: 'GROUNDWORK_AUTH_MAIL_SUBJECTS', problem: /\(confirmation\): unknown variable \.Name/ },
  ];
  for (const r of refused) {
    it(`refuses ${r.name}, naming the setting`, () => {
      assert.throws(
        () => loadMailTemplates({ templatesDir: folder(r.files ?? {}), subjects: r.subjects ?? {} }),
        (e: unknown) => e instanceof ConfigError && e.variable === r.variable && r.problem.test(e.problem),
      );
    });
  }

  it('refuses a folder that does not exist', () => {
    assert.throws(
      () => loadMailTemplates({ templatesDir: join(tmpdir(), 'gw-no-such-templates'), subjects: {} }),
      (e: unknown) => e instanceof ConfigError && e.variable === 'GROUNDWORK_AUTH_MAIL_TEMPLATES_DIR' && /ENOENT/.test(e.problem),
    );
  });
});
