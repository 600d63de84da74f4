// Private channels' authorization: RLS policies on realtime.messages (realtime.md §9.2).
import type { Caller } from '../../db/port.ts';

export type Extension = 'broadcast' | 'presence';

export interface ChannelPolicies {
  /** The extensions `caller` may read on private channel `name`. */
  canRead(caller: Caller, name: string, extensions: readonly Extension[]): Promise<ReadonlySet<Extension>>;
  canWrite(caller: Caller, name: string, extension: Extension): Promise<boolean>;
}
