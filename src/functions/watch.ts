// Tells when the functions folder or supabase/config.toml changes, so the next invocation
// runs the new code without a restart. A folder that does not exist yet is looked for once
// a second until it does (`groundwork functions new` may create it while Groundwork runs).
import { existsSync, unwatchFile, watch, watchFile, type FSWatcher } from 'node:fs';
import { dirname, join } from 'node:path';

const SETTLE_MS = 50;
const LOOK_AGAIN_MS = 1000;

export interface Watching {
  close(): void;
}

export function watchFunctions(dir: string, onChange: () => void): Watching {
  let watcher: FSWatcher | undefined;
  let settle: NodeJS.Timeout | undefined;
  let closed = false;
  const changed = () => {
    clearTimeout(settle);
    settle = setTimeout(onChange, SETTLE_MS);
  };
  const toml = join(dirname(dir), 'config.toml');
  watchFile(toml, { interval: LOOK_AGAIN_MS, persistent: false }, changed);
  let look: NodeJS.Timeout | undefined;
  let appeared = false;
  const start = () => {
    if (closed) return;
    if (!existsSync(dir)) {
      appeared = true;
      look = setTimeout(start, LOOK_AGAIN_MS);
      look.unref();
      return;
    }
    try {
      watcher = watch(dir, { recursive: true, persistent: false }, changed);
      watcher.on('error', () => {
        watcher?.close();
        watcher = undefined;
        changed();
        start();
      });
      if (appeared) changed(); // it appeared, maybe with functions in it
    } catch {
      look = setTimeout(start, LOOK_AGAIN_MS);
      look.unref();
    }
  };
  start();
  return {
    close() {
      closed = true;
      clearTimeout(settle);
      clearTimeout(look);
      watcher?.close();
      unwatchFile(toml, changed);
    },
  };
}
