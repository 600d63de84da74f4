// Twilio's Messages API: a form-encoded POST with basic auth (account SID and auth token),
// sent from a Messaging Service when one is configured, else from a phone number.
import { post, type Fetch, type HttpRequest } from './http.ts';
import type { OutgoingSms, SmsProvider } from './provider.ts';

export interface TwilioConfig {
  readonly accountSid: string;
  readonly authToken: string;
  readonly messagingServiceSid: string | undefined;
  readonly from: string | undefined;
}

export function twilioRequest(config: TwilioConfig, sms: OutgoingSms): HttpRequest {
  const form = new URLSearchParams({ To: `+${sms.to}`, Body: sms.body });
  if (config.messagingServiceSid !== undefined) form.set('MessagingServiceSid', config.messagingServiceSid);
  else if (config.from !== undefined) form.set('From', config.from);
  return {
    url: `https://api.twilio.com/2010-04-01/Accounts/${encodeURIComponent(config.accountSid)}/Messages.json`,
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${config.accountSid}:${config.authToken}`).toString('base64')}`,
    },
    body: form.toString(),
  };
}

export function twilioProvider(config: TwilioConfig, fetchFn?: Fetch): SmsProvider {
  return { name: 'twilio', send: (sms) => post(twilioRequest(config, sms), fetchFn) };
}
