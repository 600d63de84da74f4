import { it } from 'node:test';
import assert from 'node:assert/strict';
import { lookalikeUser } from './lookalike.ts';

it('looks like a new unconfirmed sign-up and carries nothing else', () => {
  const cases: Array<['email' | 'phone', string, string, string]> = [
    ['email', 'a@b.co', 'a@b.co', ''],
    ['phone', '15555550100', '', '15555550100'],
  ];
  for (const [provider, address, email, phone] of cases) {
    const u = lookalikeUser(provider, address, { name: 'A' });
    assert.deepEqual(Object.keys(u).sort(), ['app_metadata', 'aud', 'confirmation_sent_at', 'created_at', 'email', 'id', 'identities', 'is_anonymous', 'phone', 'role', 'updated_at', 'user_metadata']);
    assert.deepEqual([u.email, u.phone, u.role, u.identities], [email, phone, '', []]);
    assert.deepEqual(u['app_metadata'], { provider, providers: [provider] });
    assert.match(String(u['created_at']), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    assert.notEqual(lookalikeUser(provider, address, {}).id, u.id, 'a new id each time');
  }
});
