// Realtime (Supabase Realtime's protocol, at /realtime/v1) as a module: the WebSocket, the
// REST broadcast endpoints, and one worker, the change feed that turns committed changes
// and realtime.messages inserts into deliveries on this node.
import { randomUUID } from 'node:crypto';
import type { Config } from '../config/load.ts';
import type { ApiModule, ModuleContext, Worker } from '../http/module.ts';
import { ChangeFeed } from './changes/feed.ts';
import { realtimeErrors } from './errors.ts';
import { registerRealtimeRoutes } from './http/routes.ts';
import { listenForUpgrades, type Upgrades } from './http/upgrade.ts';
import { Hub } from './hub/hub.ts';
import { WindowRate } from './limits/rate.ts';
import { databasePolicies } from './private/policies.ts';
import type { RealtimeContext } from './socket/context.ts';

type RealtimeConfig = Config['realtime'];

interface State {
  readonly context: RealtimeContext;
  readonly feed: ChangeFeed;
  upgrades?: Upgrades;
}

// register() and workers() receive the same context object: what one builds, the other uses.
const states = new WeakMap<ModuleContext<RealtimeConfig>, State>();

function stateOf(ctx: ModuleContext<RealtimeConfig>): State {
  let state = states.get(ctx);
  if (state !== undefined) return state;
  const hub = new Hub(ctx.observe);
  const feed = new ChangeFeed(ctx.db.api, hub, ctx.schema, ctx.observe);
  const policies = databasePolicies(ctx.db.api);
  const context: RealtimeContext = {
    limits: ctx.settings,
    verify: ctx.verifyToken,
    roles: () => ctx.schema.current.roles,
    hub,
    changes: feed,
    policies,
    replay: policies,
    joinRate: new WindowRate(ctx.settings.maxJoinsPerSecond),
    eventRate: new WindowRate(ctx.settings.maxEventsPerSecond),
    activeSockets: new Set(),
    observe: ctx.observe,
    nodeId: randomUUID(),
  };
  state = { context, feed };
  states.set(ctx, state);
  return state;
}

export const realtimeModule: ApiModule<RealtimeConfig> = {
  name: 'realtime',
  errors: realtimeErrors,
  settings: (config) => config.realtime,
  register(http, ctx) {
    const state = stateOf(ctx);
    registerRealtimeRoutes(http, { ctx: state.context, anonRole: ctx.config.rest.anonRole });
    const upgrades = listenForUpgrades(http.server, state.context);
    state.upgrades = upgrades;
    // Upgraded sockets are no longer the HTTP server's: close them as it stops accepting.
    http.addHook('preClose', async () => upgrades.close());
  },
  workers(ctx) {
    const { feed } = stateOf(ctx);
    const worker: Worker = { name: feed.name, start: () => feed.start(), stop: () => feed.stop() };
    return [worker];
  },
};
