import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { perRowCalls, readsUserMetadata } from './policy-text.ts';

describe('perRowCalls: calls evaluated for every row', () => {
  const cases: Array<[string | null, string[]]> = [
    [null, []],
    ['(auth.uid() = user_id)', ['auth.uid()']],
    ['(( SELECT auth.uid() AS uid) = user_id)', []],
    ["((auth.jwt() ->> 'role'::text) = 'admin'::text)", ['auth.jwt()']],
    ["(( SELECT (auth.jwt() ->> 'role'::text)) = 'admin'::text)", []],
    ["(( SELECT COALESCE((auth.jwt() ->> 'org'::text), ''::text) AS \"coalesce\") = org)", []],
    ['((( SELECT auth.uid() AS uid) = owner) OR (auth.uid() = editor))', ['auth.uid()']],
    ["(owner = (current_setting('request.jwt.claim.sub'::text, true))::uuid)", ['current_setting()']],
    ["(owner = ( SELECT (current_setting('request.jwt.claim.sub'::text, true))::uuid AS current_setting))", []],
    ['((auth.role() = \'authenticated\'::text) AND (auth.email() = email))', ['auth.role()', 'auth.email()']],
    // Text that only looks like a call: inside a literal, or another schema's function.
    ["(note = 'auth.uid()'::text)", []],
    ['(myauth.uid() = user_id)', []],
    ['(public.is_member(org_id) AND (team IN ( SELECT m.team FROM public.members m WHERE (m.user_id = auth.uid()))))', []],
    ['"weird(select" = auth.uid()', ['auth.uid()']],
    ['true', []],
  ];
  for (const [expr, expected] of cases) {
    it(`${expr ?? 'null'} → [${expected.join(', ')}]`, () => assert.deepEqual(perRowCalls(expr), expected));
  }
});

describe('readsUserMetadata', () => {
  const cases: Array<[string | null, boolean]> = [
    [null, false],
    ["(((auth.jwt() -> 'user_metadata'::text) ->> 'role'::text) = 'admin'::text)", true],
    ["(((( SELECT auth.jwt() AS jwt) -> 'user_metadata'::text) ->> 'org'::text) = (org_id)::text)", true],
    ["((((current_setting('request.jwt.claims'::text, true))::json -> 'user_metadata'::text) ->> 'admin'::text) = 'true'::text)", true],
    ["(EXISTS ( SELECT 1 FROM auth.users u WHERE ((u.id = auth.uid()) AND ((u.raw_user_meta_data ->> 'admin'::text) = 'true'::text))))", true],
    ["(((auth.jwt() -> 'app_metadata'::text) ->> 'role'::text) = 'admin'::text)", false],
    ["(user_metadata_label = 'x'::text)", false],
  ];
  for (const [expr, expected] of cases) {
    it(`${expr ?? 'null'} → ${expected}`, () => assert.equal(readsUserMetadata(expr), expected));
  }
});
