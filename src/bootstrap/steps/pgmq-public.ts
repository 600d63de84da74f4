// Parts of bootstrap v13 (v13-pgmq.ts), kept apart to keep that file readable.

// Retry limits and dead-letter queues, which pgmq lacks: with `pgmq.set_retry_limit(q, n)`
// a message is handed out at most n times. When a read, read_with_poll or pop finds a
// visible message whose read_ct already reached n, it does not return it: in that same
// claim the message is sent to the dead-letter queue (`<q>_dlq` unless named, created if
// missing) with `x-dead-letter` added to its headers (source queue, msg_id, read_ct,
// enqueued_at) and deleted from q. Like everything in pgmq it runs with the reader's
// rights: a reader of q needs DELETE on q's table and INSERT on the dead-letter queue's
// (service_role has both). Headers that are not a JSON object are replaced by one.
export const pgmqRetryLimit = /* sql */ `
-- ---------------------------------------------------------------------------------------
-- Retry limits (see pgmq-public.ts). A null max_reads clears the limit.
create or replace function pgmq.set_retry_limit(queue_name text, max_reads integer, dead_letter_queue text default null) returns void
language plpgsql set search_path = '' as $$
declare
  q text := (pgmq._queue(queue_name)).queue_name;
  dlq text;
begin
  if set_retry_limit.max_reads is null then
    update pgmq.meta m set max_reads = null, dead_letter_queue = null where m.queue_name = q;
    return;
  end if;
  if set_retry_limit.max_reads < 1 then
    raise exception using errcode = '22023', message = format('max_reads must be at least 1, not %s', set_retry_limit.max_reads);
  end if;
  dlq := pgmq._name(coalesce(set_retry_limit.dead_letter_queue, q || '_dlq'));
  if dlq = q then
    raise exception using errcode = '22023', message = format('queue "%s" cannot be its own dead-letter queue', q);
  end if;
  perform pgmq.create(dlq);
  update pgmq.meta m set max_reads = set_retry_limit.max_reads, dead_letter_queue = dlq where m.queue_name = q;
end
$$;

-- Called by the claim (pgmq._claim) before it picks messages: moves the visible messages
-- matching its condition that used up their reads. Rows another reader holds are skipped.
create or replace function pgmq._dead_letter(queue_name text, max_reads integer, dead_letter_queue text, conditional jsonb) returns void
language plpgsql set search_path = '' as $$
declare
  target text := (pgmq._queue(dead_letter_queue)).queue_name;
begin
  execute format('with picked as (
        select c.msg_id from pgmq.%1$I c
        where c.vt <= clock_timestamp() and c.read_ct >= $1 and ($2 = ''{}''::jsonb or c.message @> $2)
        order by c.msg_id
        for update skip locked),
      gone as (delete from pgmq.%1$I s using picked where s.msg_id = picked.msg_id
               returning s.msg_id, s.read_ct, s.enqueued_at, s.message, s.headers)
      insert into pgmq.%2$I (message, headers)
      select g.message,
             case when jsonb_typeof(g.headers) = ''object'' then g.headers else ''{}''::jsonb end
               || jsonb_build_object(''x-dead-letter'', jsonb_build_object(''queue'', $3::text, ''msg_id'', g.msg_id,
                                                                           ''read_ct'', g.read_ct, ''enqueued_at'', g.enqueued_at))
      from gone g order by g.msg_id', 'q_' || queue_name, 'q_' || target)
    using max_reads, coalesce(conditional, '{}'::jsonb), queue_name;
end
$$;
`;

// Supabase's pgmq_public: the functions supabase-js calls through PostgREST
// (`supabase.schema('pgmq_public').rpc('send', …)`), with its argument names. They run as
// the caller, so the queue tables' grants and RLS policies decide.
export const pgmqPublic = /* sql */ `
create schema if not exists pgmq_public;

create or replace function pgmq_public.pop(queue_name text) returns setof pgmq.message_record
language sql set search_path = '' as $$ select * from pgmq.pop(queue_name) $$;

create or replace function pgmq_public.send(queue_name text, message jsonb, sleep_seconds integer default 0) returns setof bigint
language sql set search_path = '' as $$ select * from pgmq.send(queue_name, message, sleep_seconds) $$;

create or replace function pgmq_public.send_batch(queue_name text, messages jsonb[], sleep_seconds integer default 0) returns setof bigint
language sql set search_path = '' as $$ select * from pgmq.send_batch(queue_name, messages, sleep_seconds) $$;

create or replace function pgmq_public.archive(queue_name text, message_id bigint) returns boolean
language sql set search_path = '' as $$ select pgmq.archive(queue_name, message_id) $$;

create or replace function pgmq_public.delete(queue_name text, message_id bigint) returns boolean
language sql set search_path = '' as $$ select pgmq.delete(queue_name, message_id) $$;

create or replace function pgmq_public.read(queue_name text, sleep_seconds integer, n integer) returns setof pgmq.message_record
language sql set search_path = '' as $$ select * from pgmq.read(queue_name, sleep_seconds, n) $$;

grant usage on schema pgmq_public to anon, authenticated, service_role;
revoke all on all functions in schema pgmq_public from public;
grant execute on all functions in schema pgmq_public to anon, authenticated, service_role;
do $$
begin
  if exists (select from pg_roles where rolname = 'postgres') then
    grant usage on schema pgmq_public to postgres;
    grant execute on all functions in schema pgmq_public to postgres;
  end if;
end
$$;
`;
