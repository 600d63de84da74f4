// Email templates in the Go-template style Supabase uses: `{{ .ConfirmationURL }}`,
// `{{ .Data.name }}`. Only variable references are supported (no `if`/`range`); anything
// else between braces is reported by `templateProblems` so a bad file stops the start
// instead of sending broken mail. Pure.

export const TEMPLATE_VARIABLES = ['ConfirmationURL', 'Token', 'TokenHash', 'SiteURL', 'Email', 'NewEmail', 'RedirectTo', 'Data'] as const;
export type TemplateVariable = (typeof TEMPLATE_VARIABLES)[number];

export interface TemplateValues {
  readonly ConfirmationURL: string;
  readonly Token: string;
  readonly TokenHash: string;
  readonly SiteURL: string;
  readonly Email: string;
  readonly NewEmail: string;
  readonly RedirectTo: string;
  /** The user's metadata (`raw_user_meta_data`). */
  readonly Data: Readonly<Record<string, unknown>>;
}

const ACTION = /\{\{-?\s*(.*?)\s*-?\}\}/gs;
const REFERENCE = /^\.([A-Za-z]+)((?:\.[A-Za-z0-9_]+)*)$/;

/** What is wrong with a template, one line each (empty when it renders). */
export function templateProblems(text: string): string[] {
  const problems: string[] = [];
  for (const m of text.matchAll(ACTION)) {
    const action = m[1] ?? '';
    const ref = REFERENCE.exec(action);
    if (ref === null) problems.push(`unsupported {{ ${action} }} (only variables such as {{ .Token }} are supported)`);
    else if (!(TEMPLATE_VARIABLES as readonly string[]).includes(ref[1] ?? '')) problems.push(`unknown variable .${ref[1]} (known: ${TEMPLATE_VARIABLES.map((v) => `.${v}`).join(', ')})`);
    else if (ref[1] !== 'Data' && ref[2] !== '') problems.push(`.${ref[1]} has no fields (only .Data does)`);
  }
  return problems;
}

export function escapeHtml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;').replaceAll("'", '&#39;');
}

/** A value as text: strings as they are, missing as empty, anything else as JSON. */
function text(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

function lookup(values: TemplateValues, name: string, path: string): unknown {
  if (!(TEMPLATE_VARIABLES as readonly string[]).includes(name)) return undefined;
  let v: unknown = values[name as TemplateVariable];
  for (const key of path.split('.').filter((k) => k !== '')) {
    v = typeof v === 'object' && v !== null && !Array.isArray(v) && Object.hasOwn(v, key) ? (v as Record<string, unknown>)[key] : undefined;
  }
  return v;
}

/**
 * Substitutes every `{{ .Variable }}`: HTML-escaped for a body, as plain text for a subject
 * (a header: line breaks become spaces). Unsupported actions render as nothing; start-up
 * refuses templates that have any (`templateProblems`).
 */
export function renderTemplate(template: string, values: TemplateValues, as: 'html' | 'text'): string {
  return template.replace(ACTION, (_whole, action: string) => {
    const ref = REFERENCE.exec(action);
    const value = ref === null ? '' : text(lookup(values, ref[1] ?? '', ref[2] ?? ''));
    return as === 'html' ? escapeHtml(value) : value.replace(/[\r\n]+/g, ' ');
  });
}
