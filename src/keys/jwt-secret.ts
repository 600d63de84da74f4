// In embedded mode a project needs no set-up: the JWT secret is generated on first start
// and kept in the data directory (mode 0600), so keys and sessions survive restarts.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const SECRET_FILE = 'jwt-secret';

export function readOrCreateJwtSecret(dataDir: string): { secret: string; created: boolean } {
  const path = join(dataDir, SECRET_FILE);
  try {
    const secret = readFileSync(path, 'utf8').trim();
    if (secret.length >= 32) return { secret, created: false };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString('base64url'); // 43 characters
  writeFileSync(path, `${secret}\n`, { mode: 0o600 });
  return { secret, created: true };
}
