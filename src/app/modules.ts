// The API families, in the order start-up registers them and starts their workers
// (shutdown stops workers in the reverse order). Adding a family is one line here.
import { authModule } from '../auth/module.ts';
import { docsModule } from '../docs/module.ts';
import { functionsModule } from '../functions/module.ts';
import type { ApiModule } from '../http/module.ts';
import { jobsModule } from '../jobs/module.ts';
import { logsModule } from '../logs/module.ts';
import { mcpModule } from '../mcp/module.ts';
import { observeModule } from '../observe/module.ts';
import { realtimeModule } from '../realtime/module.ts';
import { restModule } from '../rest/module.ts';

// The log store first: its workers stop last, so what the others observe while stopping is kept.
// Metrics next, subscribed before any module observes.
export const modules: readonly ApiModule[] = [logsModule, observeModule, restModule, authModule, realtimeModule, jobsModule, functionsModule, docsModule, mcpModule];
