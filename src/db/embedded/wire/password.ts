// The database port's password, generated on first start and kept in the data directory
// (mode 0600) beside the JWT secret, so the URL printed at start stays valid across restarts.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const PASSWORD_FILE = 'db-password';

export function readOrCreateDbPassword(dataDir: string): { password: string; created: boolean } {
  const path = join(dataDir, PASSWORD_FILE);
  try {
    const password = readFileSync(path, 'utf8').trim();
    if (password.length >= 16) return { password, created: false };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  mkdirSync(dataDir, { recursive: true });
  // base64url: safe in a URL as it is.
  const password = randomBytes(24).toString('base64url');
  writeFileSync(path, `${password}\n`, { mode: 0o600 });
  return { password, created: true };
}
