import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, resolveConfig, type ConfigSources } from './load.ts';

function sources(over: Partial<ConfigSources> & { files?: Record<string, string> } = {}): ConfigSources {
  const files = over.files ?? {};
  return {
    flags: over.flags ?? {},
    env: over.env ?? {},
    cwd: over.cwd ?? '/work/app',
    readFile: over.readFile ?? ((p) => files[p]),
  };
}

describe('config layering', () => {
  it('has defaults for everything', () => {
    const c = resolveConfig(sources());
    assert.equal(c.projectDir, '/work/app');
    assert.equal(c.dataDir, '/work/app/.groundwork');
    assert.deepEqual(c.database, { mode: 'embedded' });
    assert.equal(c.host, '127.0.0.1');
    assert.equal(c.port, 54321);
    assert.equal(c.jwtSecret, undefined);
    assert.equal(c.logLevel, 'info');
    assert.equal(c.autoMigrate, true);
  });

  it("reads the JWT audience (PostgREST's jwt-aud): unset or empty means any", () => {
    assert.equal(resolveConfig(sources()).jwtAud, undefined);
    assert.equal(resolveConfig(sources({ env: { GROUNDWORK_JWT_AUD: '' } })).jwtAud, undefined);
    assert.equal(resolveConfig(sources({ env: { GROUNDWORK_JWT_AUD: 'authenticated' } })).jwtAud, 'authenticated');
    assert.equal(resolveConfig(sources({ flags: { 'jwt-aud': 'my-app' }, env: { GROUNDWORK_JWT_AUD: 'authenticated' } })).jwtAud, 'my-app');
  });

  it('caps code lifetimes at a day, as Supabase does', () => {
    assert.equal(resolveConfig(sources({ env: { GROUNDWORK_AUTH_OTP_EXPIRY: '86400' } })).auth.otpExpiry, 86400);
    for (const env of ['GROUNDWORK_AUTH_OTP_EXPIRY', 'GROUNDWORK_AUTH_SMS_OTP_EXPIRY']) {
      assert.throws(() => resolveConfig(sources({ env: { [env]: '86401' } })), (e: unknown) => e instanceof ConfigError && e.variable === env);
    }
  });

  describe('the SMS template', () => {
    const cases: Array<[string, string | undefined]> = [
      ['Your code is {{ .Code }}', 'Your code is {{ .Code }}'],
      ['{{.Code}} is your Acme code', '{{.Code}} is your Acme code'],
      ['Your code', undefined],
      ['{{ .Code }} for {{ .Email }}', undefined],
    ];
    for (const [template, expected] of cases) {
      it(`${JSON.stringify(template)} → ${expected === undefined ? 'refused' : 'kept'}`, () => {
        const read = () => resolveConfig(sources({ env: { GROUNDWORK_AUTH_SMS_TEMPLATE: template } })).auth.smsTemplate;
        if (expected === undefined) assert.throws(read, (e: unknown) => e instanceof ConfigError && e.variable === 'GROUNDWORK_AUTH_SMS_TEMPLATE');
        else assert.equal(read(), expected);
      });
    }
    it('defaults to Supabase’s text', () => assert.equal(resolveConfig(sources()).auth.smsTemplate, 'Your code is {{ .Code }}'));
  });

  it('reads the phone settings, test numbers normalised, and names a bad test number', () => {
    const c = resolveConfig(sources({ env: { GROUNDWORK_AUTH_PHONE_ENABLED: 'true', GROUNDWORK_AUTH_SMS_TEST_OTP: '+1 234 567 890=123456' } }));
    assert.deepEqual([c.auth.phoneEnabled, c.auth.phoneAutoconfirm, c.auth.smsOtpExpiry], [true, false, 60]);
    assert.deepEqual([...c.auth.smsTestOtp], [['1234567890', '123456']]);
    assert.equal(resolveConfig(sources()).auth.smsTestOtp.size, 0);
    assert.throws(() => resolveConfig(sources({ env: { GROUNDWORK_AUTH_SMS_TEST_OTP: 'nope' } })), (e: unknown) => e instanceof ConfigError && e.variable === 'GROUNDWORK_AUTH_SMS_TEST_OTP');
  });

  it('reads lists: redirect URLs by comma, password character sets by colon (with \\: escaped)', () => {
    const c = resolveConfig(sources({ env: { GROUNDWORK_AUTH_REDIRECT_URLS: 'http://a.test/**, http://b.test', GROUNDWORK_AUTH_PASSWORD_REQUIRED_CHARACTERS: 'abc:0-9\\::XYZ' } }));
    assert.deepEqual(c.auth.redirectUrls, ['http://a.test/**', 'http://b.test']);
    assert.deepEqual(c.auth.passwordRequiredCharacters, ['abc', '0-9:', 'XYZ']);
    assert.deepEqual(resolveConfig(sources()).auth.passwordRequiredCharacters, []);
  });

  it('takes .env, then the environment, then flags', () => {
    const files = { '/work/app/proj/.env': 'PORT=1000\nHOST=0.0.0.0\nLOG_LEVEL=debug' };
    const c = resolveConfig(sources({ files, flags: { 'project-dir': 'proj', port: '3000' }, env: { PORT: '2000', HOST: '' } }));
    assert.equal(c.projectDir, '/work/app/proj');
    assert.equal(c.port, 3000, 'flag beats env and .env');
    assert.equal(c.host, '0.0.0.0', 'an empty env value counts as unset');
    assert.equal(c.logLevel, 'debug', '.env beats the default');
    assert.equal(c.dataDir, '/work/app/proj/.groundwork', 'data dir follows the project');
  });

  it('switches to server mode with DATABASE_URL', () => {
    const c = resolveConfig(sources({ env: { DATABASE_URL: 'postgres://u@localhost:5432/db' } }));
    assert.deepEqual(c.database, { mode: 'server', url: 'postgres://u@localhost:5432/db', adminUrl: 'postgres://u@localhost:5432/db' });
  });

  it('bootstraps and migrates through GROUNDWORK_ADMIN_DATABASE_URL when it is set', () => {
    const env = { DATABASE_URL: 'postgres://authenticator:pw@db.test/app', GROUNDWORK_ADMIN_DATABASE_URL: 'postgres://postgres:root@db.test/app' };
    assert.deepEqual(resolveConfig(sources({ env })).database, { mode: 'server', url: env.DATABASE_URL, adminUrl: env.GROUNDWORK_ADMIN_DATABASE_URL });
  });

  it('reads SMTP only when a host is set, with SMTPS on port 465 by default', () => {
    assert.equal(resolveConfig(sources()).smtp, undefined);
    const smtp = { GROUNDWORK_SMTP_HOST: 'smtp.test', GROUNDWORK_SMTP_ADMIN_EMAIL: 'auth@acme.test' };
    assert.deepEqual(resolveConfig(sources({ env: smtp })).smtp, { host: 'smtp.test', port: 587, secure: false, user: undefined, pass: undefined, adminEmail: 'auth@acme.test', senderName: undefined });
    const full = resolveConfig(sources({ env: { ...smtp, GROUNDWORK_SMTP_PORT: '465', GROUNDWORK_SMTP_USER: 'u', GROUNDWORK_SMTP_PASS: 'p', GROUNDWORK_SMTP_SENDER_NAME: 'Acme' } })).smtp;
    assert.deepEqual(full, { host: 'smtp.test', port: 465, secure: true, user: 'u', pass: 'p', adminEmail: 'auth@acme.test', senderName: 'Acme' });
    assert.equal(resolveConfig(sources({ env: { ...smtp, GROUNDWORK_SMTP_PORT: '465', GROUNDWORK_SMTP_SECURE: 'false' } })).smtp?.secure, false);
  });

  it('reads the SMS provider: a webhook (optionally signed) or Twilio, else none', () => {
    assert.equal(resolveConfig(sources()).sms, undefined);
    const hook = { GROUNDWORK_SMS_WEBHOOK_URL: 'https://hooks.acme.test/sms' };
    assert.deepEqual(resolveConfig(sources({ env: hook })).sms, { provider: 'webhook', url: 'https://hooks.acme.test/sms', secret: undefined });
    assert.deepEqual(resolveConfig(sources({ env: { ...hook, GROUNDWORK_SMS_WEBHOOK_SECRET: 's3' } })).sms, { provider: 'webhook', url: 'https://hooks.acme.test/sms', secret: 's3' });
    const twilio = { GROUNDWORK_SMS_TWILIO_ACCOUNT_SID: 'AC1', GROUNDWORK_SMS_TWILIO_AUTH_TOKEN: 'tok', GROUNDWORK_SMS_TWILIO_FROM: '+15005550006' };
    assert.deepEqual(resolveConfig(sources({ env: twilio })).sms, { provider: 'twilio', accountSid: 'AC1', authToken: 'tok', messagingServiceSid: undefined, from: '+15005550006' });
  });

  it('reads mail templates: the folder relative to the project, subjects as JSON by kind', () => {
    const c = resolveConfig(sources({ env: { GROUNDWORK_AUTH_MAIL_TEMPLATES_DIR: 'emails', GROUNDWORK_AUTH_MAIL_SUBJECTS: '{"confirmation":"Welcome","email_change":"New address"}' } }));
    assert.equal(c.auth.mailTemplatesDir, '/work/app/emails');
    assert.deepEqual(c.auth.mailSubjects, { confirmation: 'Welcome', email_change: 'New address' });
    assert.deepEqual(resolveConfig(sources()).auth.mailSubjects, {});
  });

  const bad: Array<{ name: string; s: ConfigSources; variable: string; problem: RegExp }> = [
    { name: 'port not a number', s: sources({ env: { PORT: 'abc' } }), variable: 'PORT', problem: /whole number.*"abc"/ },
    { name: 'port out of range', s: sources({ flags: { port: '70000' } }), variable: 'PORT (--port)', problem: /between 0 and 65535/ },
    { name: 'short secret', s: sources({ env: { JWT_SECRET: 'short' } }), variable: 'JWT_SECRET', problem: /^must be at least 32 characters long$/ },
    { name: 'bad url', s: sources({ env: { DATABASE_URL: 'mysql://x' } }), variable: 'DATABASE_URL', problem: /postgres:\/\// },
    {
      name: 'an admin URL without a server',
      s: sources({ env: { GROUNDWORK_ADMIN_DATABASE_URL: 'postgres://postgres@db.test/app' } }),
      variable: 'GROUNDWORK_ADMIN_DATABASE_URL',
      problem: /only used with DATABASE_URL/,
    },
    {
      name: 'authenticator with nothing to bootstrap with',
      s: sources({ env: { DATABASE_URL: 'postgres://authenticator:pw@db.test/app' } }),
      variable: 'GROUNDWORK_ADMIN_DATABASE_URL',
      problem: /required when DATABASE_URL logs in as authenticator/,
    },
    { name: 'bad log level', s: sources({ env: { LOG_LEVEL: 'loud' } }), variable: 'LOG_LEVEL', problem: /one of/ },
    { name: 'bad boolean', s: sources({ env: { GROUNDWORK_AUTO_MIGRATE: 'maybe' } }), variable: 'GROUNDWORK_AUTO_MIGRATE', problem: /true or false/ },
    { name: 'SMTP without a From address', s: sources({ env: { GROUNDWORK_SMTP_HOST: 'smtp.test' } }), variable: 'GROUNDWORK_SMTP_ADMIN_EMAIL', problem: /required when GROUNDWORK_SMTP_HOST is set/ },
    { name: 'a From address that is not one', s: sources({ env: { GROUNDWORK_SMTP_HOST: 'smtp.test', GROUNDWORK_SMTP_ADMIN_EMAIL: 'acme' } }), variable: 'GROUNDWORK_SMTP_ADMIN_EMAIL', problem: /email address/ },
    { name: 'a subject list that is not an object', s: sources({ env: { GROUNDWORK_AUTH_MAIL_SUBJECTS: '["Hi"]' } }), variable: 'GROUNDWORK_AUTH_MAIL_SUBJECTS', problem: /^must be a JSON object/ },
    { name: 'subjects that are not JSON', s: sources({ env: { GROUNDWORK_AUTH_MAIL_SUBJECTS: 'Welcome' } }), variable: 'GROUNDWORK_AUTH_MAIL_SUBJECTS', problem: /^must be a JSON object/ },
    { name: 'subjects for an unknown kind', s: sources({ env: { GROUNDWORK_AUTH_MAIL_SUBJECTS: '{"signup":"Hi"}' } }), variable: 'GROUNDWORK_AUTH_MAIL_SUBJECTS', problem: /keys confirmation, recovery/ },
    { name: 'a subject that is not text', s: sources({ env: { GROUNDWORK_AUTH_MAIL_SUBJECTS: '{"invite":1}' } }), variable: 'GROUNDWORK_AUTH_MAIL_SUBJECTS', problem: /text values/ },
    { name: 'a webhook URL that is not http', s: sources({ env: { GROUNDWORK_SMS_WEBHOOK_URL: 'ftp://x.test' } }), variable: 'GROUNDWORK_SMS_WEBHOOK_URL', problem: /http:\/\/ or https:\/\// },
    {
      name: 'two SMS providers',
      s: sources({ env: { GROUNDWORK_SMS_WEBHOOK_URL: 'http://x.test', GROUNDWORK_SMS_TWILIO_ACCOUNT_SID: 'AC1' } }),
      variable: 'GROUNDWORK_SMS_TWILIO_ACCOUNT_SID',
      problem: /together with GROUNDWORK_SMS_WEBHOOK_URL/,
    },
    { name: 'Twilio without a token', s: sources({ env: { GROUNDWORK_SMS_TWILIO_ACCOUNT_SID: 'AC1' } }), variable: 'GROUNDWORK_SMS_TWILIO_AUTH_TOKEN', problem: /required/ },
    {
      name: 'Twilio without a sender',
      s: sources({ env: { GROUNDWORK_SMS_TWILIO_ACCOUNT_SID: 'AC1', GROUNDWORK_SMS_TWILIO_AUTH_TOKEN: 'tok' } }),
      variable: 'GROUNDWORK_SMS_TWILIO_MESSAGE_SERVICE_SID',
      problem: /or GROUNDWORK_SMS_TWILIO_FROM is required/,
    },
    {
      name: 'bad value in .env names the file',
      s: sources({ files: { '/work/app/.env': 'PORT=x' } }),
      variable: 'PORT (in /work/app/.env)',
      problem: /whole number/,
    },
  ];
  for (const b of bad) {
    it(`refuses ${b.name} with one line naming the variable`, () => {
      assert.throws(
        () => resolveConfig(b.s),
        (e: unknown) => {
          assert.ok(e instanceof ConfigError);
          assert.equal(e.variable, b.variable);
          assert.match(e.problem, b.problem);
          assert.ok(!e.message.includes('\n'));
          return true;
        },
      );
    });
  }
});
