// Auth (Supabase Auth's API, at /auth/v1) as a module: its settings (with the project's
// email templates, read once here so a bad one stops the start), its routes, and its two
// workers, the email and SMS senders that drain the outbox after commit when SMTP or an
// SMS provider is configured (without them, messages stay in the outbox for developers).
import type { Config } from '../config/load.ts';
import type { ApiModule, Worker } from '../http/module.ts';
import { loadMailTemplates } from '../mail/load-templates.ts';
import { startMailSender } from '../mail/sender.ts';
import { smtpTransport } from '../mail/smtp.ts';
import type { MailTemplates } from '../mail/templates.ts';
import type { OutboxSender } from '../outbox/sender.ts';
import type { SmsProvider } from '../sms/provider.ts';
import { smsProvider, startSmsSender } from '../sms/sender.ts';
import { authErrors, disabled } from './errors.ts';
import { AUTH_PREFIX, registerAuth } from './http/routes.ts';
import type { AuthConfig, AuthDeps } from './types.ts';

export interface AuthSettings {
  readonly auth: AuthConfig;
  readonly smtp: Config['smtp'];
  readonly mailTemplates: MailTemplates;
  readonly smsProvider: SmsProvider | undefined;
}

/** A worker around an outbox sender, which starts (and drains once) when started. */
function senderWorker(name: string, start: () => Promise<OutboxSender>): Worker {
  let sender: OutboxSender | undefined;
  return {
    name,
    start: async () => {
      sender = await start();
    },
    stop: async () => {
      await sender?.stop();
    },
  };
}

export const authModule: ApiModule<AuthSettings> = {
  name: 'auth',
  errors: { ...authErrors, ...disabled },
  settings: (config) => ({
    auth: config.auth,
    smtp: config.smtp,
    mailTemplates: loadMailTemplates({ templatesDir: config.auth.mailTemplatesDir, subjects: config.auth.mailSubjects }),
    smsProvider: config.sms === undefined ? undefined : smsProvider(config.sms),
  }),
  register(http, ctx) {
    const { auth, smtp, mailTemplates, smsProvider: provider } = ctx.settings;
    const deps: AuthDeps = {
      db: ctx.db.auth,
      config: auth,
      tokens: { secret: ctx.jwtSecret, expiry: auth.jwtExpiry, issuer: `${ctx.externalUrl()}${AUTH_PREFIX}`, keySet: ctx.keySet },
      verify: ctx.verifyToken,
      observe: ctx.observe,
      externalUrl: ctx.externalUrl,
      mailTemplates,
      smsProvider: provider?.name,
      mailDelivered: smtp !== undefined,
    };
    registerAuth(http, deps);
  },
  workers(ctx) {
    const { smtp, smsProvider: provider } = ctx.settings;
    const { auth: db } = ctx.db;
    const workers: Worker[] = [];
    if (smtp !== undefined) workers.push(senderWorker('mail sender', () => startMailSender({ db, transport: smtpTransport(smtp), observe: ctx.observe })));
    if (provider !== undefined) workers.push(senderWorker('sms sender', () => startSmsSender({ db, provider, observe: ctx.observe })));
    return workers;
  },
};
