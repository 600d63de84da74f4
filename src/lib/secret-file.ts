// A secret generated once and kept in a file (mode 0600), so what was derived from it (keys,
// printed URLs) stays valid across restarts. A file too short to be ours is replaced.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface SecretFileSpec {
  readonly dir: string;
  readonly file: string;
  /** Random bytes of a new secret, written base64url (URL-safe as it is). */
  readonly bytes: number;
  /** A stored value shorter than this is not accepted. */
  readonly minLength: number;
}

export function readOrCreateSecretFile(spec: SecretFileSpec): { value: string; created: boolean } {
  const path = join(spec.dir, spec.file);
  try {
    const value = readFileSync(path, 'utf8').trim();
    if (value.length >= spec.minLength) return { value, created: false };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  mkdirSync(spec.dir, { recursive: true });
  const value = randomBytes(spec.bytes).toString('base64url');
  writeFileSync(path, `${value}\n`, { mode: 0o600 });
  return { value, created: true };
}
