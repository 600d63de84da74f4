// Broadcast replay on private channels (realtime.md §7.3): the messages stored in
// realtime.messages since a time, oldest first, that the caller's policies let it read.
import type { Caller } from '../../db/port.ts';
import type { BroadcastMessage } from '../hub/broadcast.ts';

export interface ReplaySource {
  replay(caller: Caller, name: string, since: number, limit: number): Promise<readonly BroadcastMessage[]>;
}
