// The API families, in the order start-up registers them and starts their workers
// (shutdown stops workers in the reverse order). Adding a family is one line here.
import { authModule } from '../auth/module.ts';
import { functionsModule } from '../functions/module.ts';
import type { ApiModule } from '../http/module.ts';
import { jobsModule } from '../jobs/module.ts';
import { realtimeModule } from '../realtime/module.ts';
import { restModule } from '../rest/module.ts';

export const modules: readonly ApiModule[] = [restModule, authModule, realtimeModule, jobsModule, functionsModule];
