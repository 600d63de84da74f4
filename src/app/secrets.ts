// The signing secrets a start needs, apart from start-up itself so the `keys` command can
// read them without loading the server.
import { readFileSync } from 'node:fs';
import { ConfigError, type Config } from '../config/load.ts';
import { readOrCreateJwtSecret } from '../keys/jwt-secret.ts';
import { EMPTY_KEY_SET, keySetFrom, type KeySet } from '../keys/key-set.ts';

export function resolveJwtSecret(config: Config): string {
  if (config.jwtSecret !== undefined) return config.jwtSecret;
  if (config.database.mode === 'server') throw new ConfigError('JWT_SECRET', 'is required when DATABASE_URL is set (every node must share it)');
  return readOrCreateJwtSecret(config.dataDir).secret;
}

/** The asymmetric signing keys, read once at start-up; a bad file stops the start. */
export function readKeySet(config: Config): KeySet {
  const path = config.auth.signingKeysPath;
  if (path === undefined) return EMPTY_KEY_SET;
  try {
    return keySetFrom(JSON.parse(readFileSync(path, 'utf8')));
  } catch (e) {
    throw new ConfigError('GROUNDWORK_AUTH_SIGNING_KEYS_PATH', `(${path}): ${e instanceof Error ? e.message : String(e)}`);
  }
}
