// In embedded mode a project needs no set-up: the JWT secret is generated on first start
// and kept in the data directory (mode 0600), so keys and sessions survive restarts.
import { readOrCreateSecretFile } from '../lib/secret-file.ts';

export const SECRET_FILE = 'jwt-secret';

export function readOrCreateJwtSecret(dataDir: string): { secret: string; created: boolean } {
  // 32 bytes: 43 characters.
  const { value, created } = readOrCreateSecretFile({ dir: dataDir, file: SECRET_FILE, bytes: 32, minLength: 32 });
  return { secret: value, created };
}
