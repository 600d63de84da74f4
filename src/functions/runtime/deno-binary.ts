// Finds the Deno executable: the configured path, else the binary the `deno` npm package
// installed (its platform package, so a skipped postinstall does not matter), else `deno`
// on the PATH.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

function platformPackage(): string | undefined {
  const libc = process.platform === 'linux' ? '-glibc' : '';
  const names: Record<string, string> = { 'linux-x64': `linux-x64${libc}`, 'linux-arm64': `linux-arm64${libc}`, 'darwin-x64': 'darwin-x64', 'darwin-arm64': 'darwin-arm64', 'win32-x64': 'win32-x64', 'win32-arm64': 'win32-arm64' };
  return names[`${process.platform}-${process.arch}`];
}

export function findDeno(configured: string | undefined): string {
  if (configured !== undefined) return configured;
  const require = createRequire(import.meta.url);
  const exe = process.platform === 'win32' ? 'deno.exe' : 'deno';
  const candidates: string[] = [];
  const pkg = platformPackage();
  for (const name of [pkg === undefined ? undefined : `@deno/${pkg}/package.json`, 'deno/package.json']) {
    if (name === undefined) continue;
    try {
      candidates.push(join(dirname(require.resolve(name)), exe));
    } catch {
      // not installed: try the next
    }
  }
  return candidates.find((p) => existsSync(p)) ?? 'deno';
}
