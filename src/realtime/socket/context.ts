// What every socket on this node shares: limits, token checks, the hub, the change feed,
// private channels' policies, and the node-wide rates.
import type { Config } from '../../config/load.ts';
import type { TokenVerifier } from '../../keys/verify-token.ts';
import type { Observer } from '../../observe/events.ts';
import type { ChangeSubscriptions } from '../changes/types.ts';
import type { Hub } from '../hub/hub.ts';
import type { WindowRate } from '../limits/rate.ts';
import type { ChannelPolicies } from '../private/types.ts';
import type { ReplaySource } from '../private/replay.ts';
import type { Traffic } from './traffic.ts';

export type RealtimeLimits = Config['realtime'];

export interface RealtimeContext {
  readonly limits: RealtimeLimits;
  readonly verify: TokenVerifier;
  /** Roles a token may name (the schema cache's, read at each check). */
  readonly roles: () => ReadonlySet<string>;
  readonly hub: Hub;
  readonly changes: ChangeSubscriptions;
  readonly policies: ChannelPolicies;
  readonly replay: ReplaySource;
  readonly joinRate: WindowRate;
  readonly eventRate: WindowRate;
  /** Sockets with at least one channel, for the concurrent users limit. */
  readonly activeSockets: Set<object>;
  readonly observe: Observer;
  /** Names this node in presence owners. */
  readonly nodeId: string;
  /** Counts sockets and frames for metrics (absent: not counted). */
  readonly traffic?: Traffic;
}
