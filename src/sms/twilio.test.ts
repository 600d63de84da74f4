import { it } from 'node:test';
import assert from 'node:assert/strict';
import { twilioRequest } from './twilio.ts';

it('builds the Twilio Messages request: basic auth, form-encoded, from the Messaging Service when set, else the number', () => {
  const sms = { id: 3, to: '15005550006', body: 'Your code is 042424' };
  const base = { accountSid: 'ACxxx', authToken: 'tok' };
  const table: Array<[sender: { messagingServiceSid: string | undefined; from: string | undefined }, body: string]> = [
    [{ messagingServiceSid: 'MG123', from: undefined }, 'To=%2B15005550006&Body=Your+code+is+042424&MessagingServiceSid=MG123'],
    [{ messagingServiceSid: undefined, from: '+15005550001' }, 'To=%2B15005550006&Body=Your+code+is+042424&From=%2B15005550001'],
    [{ messagingServiceSid: 'MG123', from: '+15005550001' }, 'To=%2B15005550006&Body=Your+code+is+042424&MessagingServiceSid=MG123'],
  ];
  for (const [sender, body] of table) {
    assert.deepEqual(twilioRequest({ ...base, ...sender }, sms), {
      url: 'https://api.twilio.com/2010-04-01/Accounts/ACxxx/Messages.json',
      // base64 of "ACxxx:tok"
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: 'Basic QUN4eHg6dG9r' },
      body,
    });
  }
});
