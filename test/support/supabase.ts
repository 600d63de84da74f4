// supabase-js clients for black-box scenarios (ws as the realtime transport: Node 20 has
// no global WebSocket; sessions are not persisted).
import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import ws from 'ws';

export function supabase(url: string, key: string, accessToken?: string, headers: Record<string, string> = {}, flowType: 'implicit' | 'pkce' = 'implicit'): SupabaseClient {
  return createClient(url, key, {
    auth: { persistSession: false, autoRefreshToken: false, flowType, detectSessionInUrl: false },
    realtime: { transport: ws as unknown as NonNullable<NonNullable<Parameters<typeof createClient>[2]>['realtime']>['transport'] },
    global: { headers: { ...headers, ...(accessToken === undefined ? {} : { Authorization: `Bearer ${accessToken}` }) } },
  });
}
