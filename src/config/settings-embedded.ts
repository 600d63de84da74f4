// The embedded database's footprint and start-up: PGlite runs a whole PostgreSQL in the
// process, sized by default for a server. Part of the one settings table in settings.ts.
import { z } from 'zod';

/** A PostgreSQL memory size (`16MB`, `512kB`, `1GB`), at least PostgreSQL's minimum of 128 kB. */
const memorySize = z
  .string()
  .trim()
  .regex(/^\d+(kB|MB|GB)$/, 'must be a size in kB, MB or GB, e.g. 16MB')
  .refine((s) => {
    const n = Number(/^\d+/.exec(s)?.[0]);
    return n * (s.endsWith('GB') ? 1024 * 1024 : s.endsWith('MB') ? 1024 : 1) >= 128;
  }, 'must be at least 128kB');

export const embeddedSettings = {
  embeddedSharedBuffers: {
    env: 'GROUNDWORK_EMBEDDED_SHARED_BUFFERS',
    flag: 'embedded-shared-buffers',
    default: '16MB',
    doc: "Embedded mode: the database's page cache (PostgreSQL's `shared_buffers`; PGlite's own default is 128MB). It is part of the process's memory from the start, used or not: raise it for a database of more than a few hundred MB that is read often.",
    schema: memorySize,
  },
  cacheDir: {
    env: 'GROUNDWORK_CACHE_DIR',
    flag: 'cache-dir',
    default: '(`$XDG_CACHE_HOME/groundwork`, else `~/.cache/groundwork`)',
    doc: "Embedded mode: where a freshly initialised database is kept (about 40 MB, once per PGlite version), so a new data directory is copied from it instead of running PostgreSQL's initdb (seconds). `off` keeps nothing.",
    schema: z.string().trim().min(1, 'must not be empty'),
  },
} as const;
