import { SignJWT } from 'jose';
import { TEST_JWT_SECRET } from './db.ts';

export function mintToken(claims: Record<string, unknown>, secret = TEST_JWT_SECRET, alg = 'HS256'): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg, typ: 'JWT' }).sign(new TextEncoder().encode(secret));
}

export const ALICE = '11111111-1111-4111-8111-111111111111';
export const BOB = '22222222-2222-4222-8222-222222222222';
