// Case number `index` of run `seed`: its own PRNG stream picks a family (REST, Auth, odd
// HTTP, raw bytes) and whether the request is well-formed or malformed, then a last layer
// may corrupt the path at the byte level or add odd headers. The same seed and index always
// give the same case.
import type { FuzzCase, HttpCase } from '../case.ts';
import { Rng, streamSeed } from '../prng.ts';
import { cleanAuthCase } from './auth-clean.ts';
import { authCase } from './auth.ts';
import { miscCase, rawCase } from './raw.ts';
import { cleanRestCase } from './rest-clean.ts';
import { restCase } from './rest.ts';
import type { Credentials } from './tokens.ts';
import { BROKEN_ESCAPES, oddString } from './values.ts';

export type { Credentials } from './tokens.ts';

function corrupt(r: Rng, c: HttpCase): HttpCase {
  let path = c.path;
  const headers: Record<string, string | readonly string[]> = { ...c.headers };
  if (r.chance(0.04)) {
    // Bytes straight into the URL: a percent escape to NUL or invalid UTF-8, or a raw byte
    // (a char below 0x100 goes out as that single byte, invalid UTF-8 on its own).
    const at = r.int(path.indexOf('/', 1) + 1, path.length);
    path = path.slice(0, at) + r.pick([...BROKEN_ESCAPES, '\xff', '\xc3', '\x80', '\xe9']) + path.slice(at);
  }
  if (r.chance(0.03)) path += `${path.includes('?') ? '&' : '?'}${'p'.repeat(r.pick([2000, 9000, 17000, 70000]))}=1`;
  if (r.chance(0.05)) headers[r.pick(['x-odd', 'prefer', 'accept', 'range', 'accept-profile', 'content-profile', 'x-client-info', 'origin'])] = oddString(r).slice(0, r.pick([100, 20000]));
  if (r.chance(0.02)) headers['accept'] = r.many(r.pick([50, 2000]), () => 'application/json;q=0.1').join(',');
  return { ...c, path, headers };
}

export function generateCase(seed: number, index: number, creds: Credentials): FuzzCase {
  const r = new Rng(streamSeed(seed, index));
  const family = r.weighted<'rest' | 'auth' | 'misc' | 'raw'>([
    [60, 'rest'],
    [26, 'auth'],
    [8, 'misc'],
    [6, 'raw'],
  ]);
  if (family === 'raw') return rawCase(r, creds);
  // About 40% of REST and Auth requests are well-formed, to reach the planner, the database
  // and the end of the flows; a few of those get one corruption like the malformed ones.
  if (family !== 'misc' && r.chance(0.4)) {
    const clean = family === 'rest' ? cleanRestCase(r, creds) : cleanAuthCase(r, creds);
    return r.chance(0.1) ? corrupt(r, clean) : clean;
  }
  const c = family === 'rest' ? restCase(r, creds) : family === 'auth' ? authCase(r, creds) : miscCase(r, creds);
  return r.chance(0.25) ? corrupt(r, c) : c;
}
