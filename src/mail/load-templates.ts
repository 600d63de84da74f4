// Reads a project's email templates once, at start-up: `<kind>.html` files from the
// templates folder and subject overrides from the config, over the defaults. A template the
// renderer cannot follow (an unknown variable, `{{ if }}`), a stray file name or an
// unreadable folder stops the start with the setting's name.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../config/load.ts';
import { MAIL_KINDS, type MailKind } from './kinds.ts';
import { templateProblems } from './template.ts';
import { DEFAULT_TEMPLATES, type MailTemplate, type MailTemplates } from './templates.ts';

export interface TemplateSettings {
  /** Absolute path of the folder of `<kind>.html` files. */
  readonly templatesDir: string | undefined;
  readonly subjects: Readonly<Partial<Record<MailKind, string>>>;
}

const DIR_SETTING = 'GROUNDWORK_AUTH_MAIL_TEMPLATES_DIR';
const SUBJECTS_SETTING = 'GROUNDWORK_AUTH_MAIL_SUBJECTS';

function readFiles(dir: string): Map<string, string> {
  try {
    const names = readdirSync(dir).filter((n) => n.endsWith('.html'));
    return new Map(names.map((n) => [n, readFileSync(join(dir, n), 'utf8')]));
  } catch (e) {
    throw new ConfigError(DIR_SETTING, `(${dir}): ${e instanceof Error ? e.message : String(e)}`);
  }
}

export function loadMailTemplates(settings: TemplateSettings): MailTemplates {
  const files = settings.templatesDir === undefined ? new Map<string, string>() : readFiles(settings.templatesDir);
  const known = new Set(MAIL_KINDS.map((k) => `${k}.html`));
  const stray = [...files.keys()].filter((n) => !known.has(n));
  if (stray.length > 0) throw new ConfigError(DIR_SETTING, `(${settings.templatesDir}): unknown template ${stray.join(', ')} (expected ${[...known].join(', ')})`);
  const entries = MAIL_KINDS.map((kind): [MailKind, MailTemplate] => {
    const html = files.get(`${kind}.html`) ?? DEFAULT_TEMPLATES[kind].html;
    const subject = settings.subjects[kind] ?? DEFAULT_TEMPLATES[kind].subject;
    const htmlProblem = templateProblems(html)[0];
    if (htmlProblem !== undefined) throw new ConfigError(DIR_SETTING, `(${kind}.html): ${htmlProblem}`);
    const subjectProblem = templateProblems(subject)[0];
    if (subjectProblem !== undefined) throw new ConfigError(SUBJECTS_SETTING, `(${kind}): ${subjectProblem}`);
    return [kind, { subject, html }];
  });
  return Object.fromEntries(entries) as Record<MailKind, MailTemplate>;
}
