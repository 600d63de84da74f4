// The SMTP side of the sender: one nodemailer transport made from the typed config. Kept
// behind a small interface so the sender can be driven by a fake in unit tests. nodemailer
// is imported with the first mail: it is among the slowest modules to load, and most
// starts never send one.
import { PermanentDeliveryError } from '../outbox/claims.ts';
import type { Transporter } from 'nodemailer';
import type { SmtpConfig } from '../config/load.ts';

export interface OutgoingMail {
  readonly to: string;
  readonly subject: string;
  readonly html: string;
}

export interface MailTransport {
  send(mail: OutgoingMail): Promise<void>;
  close(): void;
}

/** Each send is bounded (connect, greeting, idle socket), well inside a claim's lease (outbox.ts). */
const TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 };

export function smtpTransport(config: SmtpConfig): MailTransport {
  let transporter: Promise<Transporter> | undefined;
  const open = async (): Promise<Transporter> => {
    const { default: nodemailer } = await import('nodemailer');
    return nodemailer.createTransport({
      host: config.host,
      port: config.port,
      secure: config.secure,
      ...(config.user === undefined ? {} : { auth: { user: config.user, pass: config.pass ?? '' } }),
      ...TIMEOUTS,
    });
  };
  const from = config.senderName === undefined ? config.adminEmail : { name: config.senderName, address: config.adminEmail };
  return {
    send: async (mail) => {
      transporter ??= open();
      const t = await transporter;
      try {
        await t.sendMail({ from, to: mail.to, subject: mail.subject, html: mail.html });
      } catch (e) {
        throw permanentIfRefused(e);
      }
    },
    close: () => void transporter?.then((t) => t.close(), () => undefined),
  };
}

/** An SMTP 5xx reply (a refused recipient, a rejected message) is final; anything else (4xx, network) may pass later. */
export function permanentIfRefused(e: unknown): unknown {
  const code = typeof e === 'object' && e !== null ? (e as { responseCode?: unknown }).responseCode : undefined;
  return typeof code === 'number' && code >= 500 && code < 600 ? new PermanentDeliveryError(e instanceof Error ? e.message : String(e)) : e;
}
