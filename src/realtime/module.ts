// Realtime (Supabase Realtime's protocol, at /realtime/v1) as a module: the WebSocket, the
// REST broadcast endpoints, and its workers: the change feed that turns committed changes
// and realtime.messages inserts into deliveries on this node, and in server mode the bus
// that carries broadcasts and presence to the other nodes.
import { randomUUID } from 'node:crypto';
import type { Config } from '../config/load.ts';
import type { ApiModule, ModuleContext, Worker } from '../http/module.ts';
import { ChangeFeed } from './changes/feed.ts';
import { realtimeErrors } from './errors.ts';
import { registerRealtimeRoutes } from './http/routes.ts';
import { listenForUpgrades } from './http/upgrade.ts';
import { Hub } from './hub/hub.ts';
import { PgBus } from './hub/pg-bus.ts';
import { WindowRate } from './limits/rate.ts';
import { databasePolicies } from './private/policies.ts';
import type { RealtimeContext } from './socket/context.ts';
import { Traffic } from './socket/traffic.ts';

type RealtimeConfig = Config['realtime'];

interface State {
  readonly context: RealtimeContext;
  readonly feed: ChangeFeed;
  /** Server mode: other nodes may share the database. The embedded one has a single node. */
  readonly bus: PgBus | undefined;
}

// register() and workers() receive the same context object: what one builds, the other uses.
const states = new WeakMap<ModuleContext<RealtimeConfig>, State>();

function stateOf(ctx: ModuleContext<RealtimeConfig>): State {
  let state = states.get(ctx);
  if (state !== undefined) return state;
  const hub = new Hub(ctx.observe);
  const nodeId = randomUUID();
  const server = ctx.config.database.mode === 'server';
  const bus = server ? new PgBus(ctx.db.api, hub, nodeId, ctx.observe) : undefined;
  if (bus !== undefined) hub.attachBus(bus);
  // The embedded database is always bootstrapped by a superuser: its event trigger keeps the capture triggers in step.
  const feed = new ChangeFeed(ctx.db.api, hub, ctx.schema, ctx.observe, { onBus: (text) => bus?.receive(text), syncTriggers: server });
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
    nodeId,
    traffic: new Traffic(ctx.observe),
  };
  state = { context, feed, bus };
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
    // Upgraded sockets are no longer the HTTP server's: close them as it stops accepting.
    http.addHook('preClose', async () => upgrades.close());
  },
  workers(ctx) {
    const { feed, bus, context } = stateOf(ctx);
    const workers: Worker[] = [];
    const { traffic } = context;
    if (traffic !== undefined) workers.push({ name: 'realtime-traffic', start: async () => traffic.start(), stop: async () => traffic.stop() });
    if (bus !== undefined) workers.push({ name: 'realtime-bus', start: () => bus.start(), stop: () => bus.stop() });
    workers.push({ name: feed.name, start: () => feed.start(), stop: () => feed.stop() });
    return workers;
  },
};
