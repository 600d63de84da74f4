// The reference page's files: Swagger UI's, as the @fastify/swagger-ui package ships them
// (found through Node's resolution, so the bundled CLI finds them in node_modules too), and
// the page's own. Read on first request and kept: nothing is read at start-up.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { docsErrors } from './errors.ts';
import { initScript, PAGE_CSS } from './page.ts';

export interface Asset {
  readonly type: string;
  readonly body: Buffer;
}

/** Swagger UI's files the page uses, and their types; nothing else in the folder is served. */
const SWAGGER_FILES: Readonly<Record<string, string>> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'index.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'application/javascript; charset=utf-8',
  'swagger-ui-standalone-preset.js': 'application/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
  'favicon-16x16.png': 'image/png',
};

const OWN: Readonly<Record<string, () => Asset>> = {
  'init.js': () => ({ type: 'application/javascript; charset=utf-8', body: Buffer.from(initScript()) }),
  'page.css': () => ({ type: 'text/css; charset=utf-8', body: Buffer.from(PAGE_CSS) }),
};

const resolveFrom = createRequire(import.meta.url);

function packageDir(): string {
  try {
    return dirname(resolveFrom.resolve('@fastify/swagger-ui/package.json'));
  } catch (e) {
    throw docsErrors.assetsMissing(e instanceof Error ? e.message : String(e));
  }
}

let version: Promise<string> | undefined;

/** Swagger UI's package version (the page's cache-buster). */
export function swaggerUiVersion(): Promise<string> {
  version ??= (async () => String((JSON.parse(await readFile(join(packageDir(), 'package.json'), 'utf8')) as { version?: unknown }).version ?? '0'))();
  version.catch(() => (version = undefined));
  return version;
}

async function readSwaggerFile(name: string, type: string): Promise<Asset> {
  const dir = packageDir();
  try {
    return { type, body: await readFile(join(dir, 'static', name)) };
  } catch (e) {
    throw docsErrors.assetsMissing(e instanceof Error ? e.message : String(e));
  }
}

const kept = new Map<string, Promise<Asset>>();

/** The asset, or undefined when the page names no such file. */
export function asset(name: string): Promise<Asset> | undefined {
  const own = OWN[name];
  const type = SWAGGER_FILES[name];
  if (own === undefined && type === undefined) return undefined;
  let found = kept.get(name);
  if (found === undefined) {
    found = own !== undefined ? Promise.resolve(own()) : readSwaggerFile(name, type as string);
    kept.set(name, found);
    // A failed read is tried again next time (the package may be installed meanwhile).
    found.catch(() => kept.delete(name));
  }
  return found;
}
