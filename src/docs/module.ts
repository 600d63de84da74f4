// Documentation as a module: the API reference page (/docs) and the documents it shows
// besides REST's and Auth's own (/openapi/*). No settings and no workers; nothing is loaded
// until a page or document is asked for.
import type { ApiModule } from '../http/module.ts';
import { docsErrors } from './errors.ts';
import { registerDocsRoutes } from './routes.ts';

export const docsModule: ApiModule<undefined> = {
  name: 'docs',
  errors: docsErrors,
  settings: () => undefined,
  register(http) {
    registerDocsRoutes(http);
  },
};
