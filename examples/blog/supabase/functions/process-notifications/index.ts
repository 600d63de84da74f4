// Drains a batch of the `post_published` queue (filled by a trigger on public.posts): each
// message becomes a notification for every other user, then leaves the queue. Meant to be
// run by a backend or a cron job with the service role key; nobody else may start it.
import { createClient } from 'npm:@supabase/supabase-js@2';

const QUEUE = 'post_published';
// A message read but not deleted (the function failed midway) is handed out again after this.
const VISIBILITY_SECONDS = 30;

interface QueueMessage {
  msg_id: number;
  read_ct: number;
  message: { post_id: string; author_id: string; title: string };
}

const serviceRoleKey = Deno.env.get('SUPABASE_SERVICE_ROLE_KEY')!;
const supabase = createClient(Deno.env.get('SUPABASE_URL')!, serviceRoleKey);
const queue = supabase.schema('pgmq_public');

const json = (body: unknown, status: number) => Response.json(body, { status });

Deno.serve(async (req) => {
  // The gateway only checks that the JWT is valid; the anon key is valid too.
  if (req.headers.get('Authorization') !== `Bearer ${serviceRoleKey}`) return json({ error: 'only the service role may process notifications' }, 403);
  const options = (await req.json().catch(() => ({}))) as { batch?: unknown };
  const batch = typeof options.batch === 'number' ? Math.min(Math.max(Math.trunc(options.batch), 1), 100) : 10;

  const read = await queue.rpc('read', { queue_name: QUEUE, sleep_seconds: VISIBILITY_SECONDS, n: batch });
  if (read.error) return json({ error: read.error.message }, 500);
  const messages = read.data as QueueMessage[];
  if (messages.length === 0) return json({ processed: [], archived: [], failed: [] }, 200);

  // Everyone hears of every post here; a real blog would look up followers.
  const readers = await supabase.from('profiles').select('id');
  if (readers.error) return json({ error: readers.error.message }, 500);

  const processed: Array<{ msg_id: number; post_id: string; notified: number }> = [];
  const archived: Array<{ msg_id: number; reason: string }> = [];
  const failed: Array<{ msg_id: number; error: string }> = [];
  for (const { msg_id, message } of messages) {
    const rows = readers.data
      .filter((r) => r.id !== message.author_id)
      .map((r) => ({ recipient_id: r.id, post_id: message.post_id, message: `New post: ${message.title}` }));
    const insert = await supabase.from('notifications').upsert(rows, { onConflict: 'recipient_id,post_id', ignoreDuplicates: true });
    if (insert.error !== null && insert.error.code !== '23503') {
      failed.push({ msg_id, error: insert.error.message }); // handed out again after the visibility timeout
      continue;
    }
    // 23503: the post was deleted since; nothing to announce, so the message goes to the archive.
    const delivered = insert.error === null;
    const done = await queue.rpc(delivered ? 'delete' : 'archive', { queue_name: QUEUE, message_id: msg_id });
    if (done.error) failed.push({ msg_id, error: done.error.message });
    else if (delivered) processed.push({ msg_id, post_id: message.post_id, notified: rows.length });
    else archived.push({ msg_id, reason: 'the post no longer exists' });
  }
  console.log(`processed ${processed.length}, archived ${archived.length}, failed ${failed.length}`);
  return json({ processed, archived, failed }, 200);
});
