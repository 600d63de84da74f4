// The database port's password, generated on first start and kept in the data directory
// (mode 0600) beside the JWT secret, so the URL printed at start stays valid across restarts.
import { readOrCreateSecretFile } from '../../../lib/secret-file.ts';

export const PASSWORD_FILE = 'db-password';

export function readOrCreateDbPassword(dataDir: string): { password: string; created: boolean } {
  const { value, created } = readOrCreateSecretFile({ dir: dataDir, file: PASSWORD_FILE, bytes: 24, minLength: 16 });
  return { password: value, created };
}
