import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_TEMPLATES } from '../../mail/templates.ts';
import { render, type Mail } from './mail.ts';

const link = 'http://gw.test/auth/v1/verify?token=abc&type=signup&redirect_to=http%3A%2F%2Fapp.test';

describe('render (Auth emails)', () => {
  const cases: Array<{ mail: Mail; subject: string; body: string }> = [
    {
      mail: { kind: 'confirmation', to: 'ada@example.com', link, otp: '123456' },
      subject: 'Confirm Your Signup',
      body: `<h2>Confirm Your Signup</h2>\n<p>Follow this link to confirm your user:</p>\n<p><a href="${link.replaceAll('&', '&amp;')}">${link.replaceAll('&', '&amp;')}</a></p>\n<p>Alternatively, enter the code: 123456</p>\n`,
    },
    {
      mail: { kind: 'reauthentication', to: 'ada@example.com', link: null, otp: '654321' },
      subject: 'Confirm reauthentication',
      body: '<h2>Confirm reauthentication</h2>\n<p>Enter this code to confirm it is you: 654321</p>\n',
    },
    {
      mail: { kind: 'email_change', to: 'ada@example.com', newEmail: 'ada@new.test', link, otp: '111111' },
      subject: 'Confirm Email Change',
      body: `<h2>Confirm Email Change</h2>\n<p>Follow this link to confirm the update of your email from ada@example.com to ada@new.test:</p>\n<p><a href="${link.replaceAll('&', '&amp;')}">${link.replaceAll('&', '&amp;')}</a></p>\n<p>Alternatively, enter the code: 111111</p>\n`,
    },
  ];
  for (const c of cases) {
    it(`renders the default ${c.mail.kind} email`, () => assert.deepEqual(render(c.mail), { subject: c.subject, body: c.body }));
  }

  it('renders a project template with every variable', () => {
    const templates = { ...DEFAULT_TEMPLATES, magic_link: { subject: 'Sign in, {{ .Data.name }}', html: '{{ .SiteURL }}|{{ .Email }}|{{ .Token }}|{{ .TokenHash }}|{{ .RedirectTo }}|{{ .ConfirmationURL }}' } };
    const mail: Mail = { kind: 'magic_link', to: 'ada@example.com', link, otp: '222222', tokenHash: 'abc', redirectTo: 'http://app.test/in', data: { name: 'Ada' } };
    assert.deepEqual(render(mail, { templates, siteUrl: 'http://app.test', delivered: false, sentPerHour: 0 }), {
      subject: 'Sign in, Ada',
      body: `http://app.test|ada@example.com|222222|abc|http://app.test/in|${link.replaceAll('&', '&amp;')}`,
    });
  });
});
