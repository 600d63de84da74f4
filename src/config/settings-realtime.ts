// Realtime's limits: Supabase's self-hosted defaults (realtime.md §10.1), each configurable.
// Part of the one settings table in settings.ts.
import { positive } from './schemas.ts';

export const realtimeSettings = {
  realtimeMaxConcurrentUsers: {
    env: 'GROUNDWORK_REALTIME_MAX_CONCURRENT_USERS',
    flag: 'realtime-max-concurrent-users',
    default: '200',
    doc: 'Realtime: sockets with at least one channel this node holds at once; a join past it is refused (`ConnectionRateLimitReached`).',
    schema: positive,
  },
  realtimeMaxChannelsPerClient: {
    env: 'GROUNDWORK_REALTIME_MAX_CHANNELS_PER_CLIENT',
    flag: 'realtime-max-channels-per-client',
    default: '100',
    doc: 'Realtime: channels one socket may join (`ChannelRateLimitReached`).',
    schema: positive,
  },
  realtimeMaxJoinsPerSecond: {
    env: 'GROUNDWORK_REALTIME_MAX_JOINS_PER_SECOND',
    flag: 'realtime-max-joins-per-second',
    default: '100',
    doc: 'Realtime: channel joins per second on this node, averaged over 60 s; past it a join is refused and its socket closed (`ClientJoinRateLimitReached`).',
    schema: positive,
  },
  realtimeMaxEventsPerSecond: {
    env: 'GROUNDWORK_REALTIME_MAX_EVENTS_PER_SECOND',
    flag: 'realtime-max-events-per-second',
    default: '100',
    doc: 'Realtime: messages per second this node accepts from clients (socket and REST broadcasts, presence), averaged over 60 s; past it a sending channel is closed ("Too many messages per second") and REST answers 429.',
    schema: positive,
  },
  realtimeMaxPayloadKb: {
    env: 'GROUNDWORK_REALTIME_MAX_PAYLOAD_KB',
    flag: 'realtime-max-payload-kb',
    default: '3000',
    doc: 'Realtime: largest broadcast or presence payload, in KB (REST answers 413, a socket push an error reply).',
    schema: positive,
  },
  realtimeSendBufferKb: {
    env: 'GROUNDWORK_REALTIME_SEND_BUFFER_KB',
    flag: 'realtime-send-buffer-kb',
    default: '4096',
    doc: 'Realtime: bytes queued to one socket that it has not read yet, in KB; a slower client is disconnected rather than buffered without bound.',
    schema: positive,
  },
} as const;
