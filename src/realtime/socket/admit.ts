// Whether a `phx_join` may go ahead, checked in Supabase's order (realtime.md §4.2): limits,
// the token, replay's terms, then a private channel's read policy. Each refusal carries
// the reason realtime-js reports (`Code: message`).
import type { Caller } from '../../db/port.ts';
import type { Extension } from '../private/types.ts';
import type { JoinRequest } from '../protocol/join.ts';
import type { RealtimeContext } from './context.ts';
import { checkToken } from './token.ts';

export type Admission =
  | { readonly ok: true; readonly caller: Caller; readonly token: string; readonly exp: number; readonly presenceReadable: boolean }
  | { readonly ok: false; readonly reason: string; readonly closeSocket?: boolean };

export interface JoinFacts {
  readonly name: string;
  readonly request: JoinRequest;
  /** The key the socket connected with, used when the join brings no token of its own. */
  readonly socketToken: string;
  readonly channelsOnSocket: number;
  readonly socketActive: boolean;
  readonly headers: Readonly<Record<string, string>>;
}

export async function admit(ctx: RealtimeContext, facts: JoinFacts): Promise<Admission> {
  const { limits } = ctx;
  if (!facts.socketActive && ctx.activeSockets.size >= limits.maxConcurrentUsers) return { ok: false, reason: 'ConnectionRateLimitReached: Too many connected users' };
  if (!ctx.joinRate.add()) return { ok: false, reason: 'ClientJoinRateLimitReached: Too many joins per second', closeSocket: true };
  if (facts.channelsOnSocket >= limits.maxChannelsPerClient) return { ok: false, reason: 'ChannelRateLimitReached: Too many channels' };
  const token = facts.request.accessToken ?? facts.socketToken;
  const check = await checkToken(ctx.verify, token, ctx.roles());
  if (!check.ok) return { ok: false, reason: `${check.code}: ${check.message}` };
  const caller: Caller = {
    role: check.role,
    claims: { ...check.claims, role: check.role },
    headers: facts.headers,
    cookies: {},
    method: 'GET',
    path: '/realtime/v1/websocket',
  };
  const { replay } = facts.request;
  if (replay !== undefined && (!facts.request.private || replay === 'invalid')) {
    return { ok: false, reason: replay === 'invalid' ? 'UnableToReplayMessages: Replay params are not valid' : 'UnableToReplayMessages: Replay is only available for private channels' };
  }
  let presenceReadable = true;
  if (facts.request.private) {
    const wanted: Extension[] = facts.request.presenceEnabled ? ['broadcast', 'presence'] : ['broadcast'];
    let readable: ReadonlySet<Extension>;
    try {
      readable = await ctx.policies.canRead(caller, facts.name, wanted);
    } catch (error) {
      return { ok: false, reason: `UnableToConnectToProject: ${error instanceof Error ? error.message : String(error)}` };
    }
    if (readable.size === 0) return { ok: false, reason: `Unauthorized: You do not have permissions to read from this Channel topic: ${facts.name}` };
    presenceReadable = readable.has('presence');
  }
  return { ok: true, caller, token, exp: check.exp, presenceReadable };
}
