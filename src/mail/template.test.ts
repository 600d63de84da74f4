import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { renderTemplate, templateProblems, type TemplateValues } from './template.ts';

const values: TemplateValues = {
  ConfirmationURL: 'http://gw.test/auth/v1/verify?token=abc&type=signup',
  Token: '123456',
  TokenHash: 'abc',
  SiteURL: 'http://app.test',
  Email: 'ada@example.com',
  NewEmail: 'new@example.com',
  RedirectTo: 'http://app.test/welcome',
  Data: { name: 'Ada <Lovelace>', team: { name: 'Engines' }, age: 36, tags: ['a', 'b'], empty: null },
};

describe('renderTemplate', () => {
  const cases: Array<{ template: string; as: 'html' | 'text'; expect: string }> = [
    { template: 'Code: {{ .Token }}', as: 'html', expect: 'Code: 123456' },
    { template: '{{.Token}}{{  .Token  }}', as: 'html', expect: '123456123456' },
    { template: '{{- .Token -}}', as: 'html', expect: '123456' },
    { template: '<a href="{{ .ConfirmationURL }}">go</a>', as: 'html', expect: '<a href="http://gw.test/auth/v1/verify?token=abc&amp;type=signup">go</a>' },
    { template: '{{ .SiteURL }}/confirm?token_hash={{ .TokenHash }}&type=email', as: 'html', expect: 'http://app.test/confirm?token_hash=abc&type=email' },
    { template: 'Hi {{ .Data.name }}', as: 'html', expect: 'Hi Ada &lt;Lovelace&gt;' },
    { template: 'Hi {{ .Data.name }}', as: 'text', expect: 'Hi Ada <Lovelace>' },
    { template: '{{ .Data.team.name }} {{ .Data.age }} {{ .Data.tags }}', as: 'text', expect: 'Engines 36 ["a","b"]' },
    { template: '[{{ .Data.missing }}][{{ .Data.empty }}][{{ .Data.name.first }}]', as: 'text', expect: '[][][]' },
    { template: '{{ .Data }}', as: 'html', expect: '{&quot;name&quot;:&quot;Ada &lt;Lovelace&gt;&quot;,&quot;team&quot;:{&quot;name&quot;:&quot;Engines&quot;},&quot;age&quot;:36,&quot;tags&quot;:[&quot;a&quot;,&quot;b&quot;],&quot;empty&quot;:null}' },
    { template: '{{ .Email }} → {{ .NewEmail }}, then {{ .RedirectTo }}', as: 'text', expect: 'ada@example.com → new@example.com, then http://app.test/welcome' },
    { template: "it's {{ .Data.quote }}", as: 'html', expect: "it's " },
    { template: 'no variables, <b>kept</b> as written', as: 'html', expect: 'no variables, <b>kept</b> as written' },
    { template: '{{ if .Token }}x{{ end }}', as: 'html', expect: 'x' },
    { template: '{{ .Unknown }}|{{ .Data.__proto__ }}|{{ .Data.constructor }}', as: 'html', expect: '||' },
  ];
  for (const c of cases) {
    it(`${c.as}: ${c.template}`, () => assert.equal(renderTemplate(c.template, values, c.as), c.expect));
  }

  it('escapes every HTML-significant character in values', () => {
    const v = { ...values, Data: { x: `<script>alert("x" + 'y') & more</script>` } };
    assert.equal(renderTemplate('{{ .Data.x }}', v, 'html'), '&lt;script&gt;alert(&quot;x&quot; + &#39;y&#39;) &amp; more&lt;/script&gt;');
  });

  it('keeps a subject on one line', () => {
    const v = { ...values, Data: { name: 'Ada\r\nBcc: x@evil.test' } };
    assert.equal(renderTemplate('Welcome {{ .Data.name }}', v, 'text'), 'Welcome Ada Bcc: x@evil.test');
  });
});

describe('templateProblems', () => {
  const cases: Array<{ template: string; problems: RegExp[] }> = [
    { template: 'Code {{ .Token }} at {{ .ConfirmationURL }} for {{ .Data.name }}', problems: [] },
    { template: 'no actions at all', problems: [] },
    { template: '{{ .Tokn }}', problems: [/^unknown variable \.Tokn \(known: \.ConfirmationURL/] },
    { template: '{{ if .Token }}x{{ end }}', problems: [/^unsupported \{\{ if \.Token \}\}/, /^unsupported \{\{ end \}\}/] },
    { template: '{{ .Token.x }}', problems: [/^\.Token has no fields/] },
    { template: '{{ Token }}', problems: [/^unsupported/] },
  ];
  for (const c of cases) {
    it(JSON.stringify(c.template), () => {
      const found = templateProblems(c.template);
      assert.equal(found.length, c.problems.length, found.join('; '));
      c.problems.forEach((p, i) => assert.match(found[i] ?? '', p));
    });
  }
});
