// Bootstrap v13: queues, with pgmq's SQL API written in PL/pgSQL (no extension to install,
// so it runs on PostgreSQL 15 and on PGlite alike), and Supabase's pgmq_public wrappers.
// - Same names, argument names, defaults and return types as pgmq: supabase-js and
//   PostgREST call these by argument name. A queue is `pgmq.q_<name>` (its messages) and
//   `pgmq.a_<name>` (archived ones), registered in `pgmq.meta`.
// - Security as on Supabase Queues: every function is SECURITY INVOKER, so the caller needs
//   privileges on the queue's tables and their RLS policies apply. `create()` gives
//   service_role everything on the new tables and anon/authenticated nothing until the
//   project grants it (and writes policies). Only service_role and postgres may create,
//   drop or purge queues or set retry limits (they hold CREATE on the schema and write
//   `pgmq.meta`); anon and authenticated may only read `pgmq.meta`.
// - Errors: a malformed queue name raises 22023; an unknown queue raises 42P01
//   (`queue "x" does not exist`), which PostgREST answers with 404.
// - Beyond pgmq, retry limits: after `pgmq.set_retry_limit(q, n)` read, read_with_poll and
//   pop never hand out a message already read n times; in the same claim they move it to
//   the dead-letter queue (`<q>_dlq` by default) with an `x-dead-letter` header saying where
//   it came from. Details in pgmq-public.ts, which holds that part and the wrappers.
// - read_with_poll does not sleep on the embedded database: see its comment.
import { pgmqPublic, pgmqRetryLimit } from './pgmq-public.ts';
import { queueConsumers } from './queue-consumers.ts';

export const pgmq = /* sql */ `
create schema if not exists pgmq;

do $$
begin
  if to_regtype('pgmq.message_record') is null then
    create type pgmq.message_record as (msg_id bigint, read_ct integer, enqueued_at timestamptz, last_read_at timestamptz,
                                        vt timestamptz, message jsonb, headers jsonb);
  end if;
  if to_regtype('pgmq.queue_record') is null then
    create type pgmq.queue_record as (queue_name varchar, is_partitioned boolean, is_unlogged boolean, created_at timestamptz);
  end if;
  if to_regtype('pgmq.metrics_result') is null then
    create type pgmq.metrics_result as (queue_name text, queue_length bigint, newest_msg_age_sec integer, oldest_msg_age_sec integer,
                                        total_messages bigint, scrape_time timestamptz, queue_visible_length bigint);
  end if;
end
$$;

-- max_reads and dead_letter_queue are ours (retry limits); null means no limit.
create table if not exists pgmq.meta (
  queue_name varchar unique not null,
  is_partitioned boolean not null default false,
  is_unlogged boolean not null default false,
  created_at timestamptz not null default now(),
  max_reads integer check (max_reads > 0),
  dead_letter_queue text
);

-- ---------------------------------------------------------------------------------------
-- Names. Lower-cased like pgmq; 47 characters keep every derived table and index name
-- within PostgreSQL's 63.
create or replace function pgmq._name(queue_name text) returns text
language plpgsql immutable set search_path = '' as $$
begin
  if queue_name is null or queue_name !~ '^[A-Za-z0-9_]{1,47}$' then
    raise exception using errcode = '22023', message = format('invalid queue name: %s', queue_name);
  end if;
  return lower(queue_name);
end
$$;

-- The queue's registration, or 42P01: every function but create() starts here.
create or replace function pgmq._queue(queue_name text) returns pgmq.meta
language plpgsql stable set search_path = '' as $$
declare
  q text := pgmq._name(queue_name);
  found_meta pgmq.meta;
begin
  select * into found_meta from pgmq.meta m where m.queue_name = q;
  if not found then
    raise exception using errcode = '42P01', message = format('queue "%s" does not exist', q);
  end if;
  return found_meta;
end
$$;

-- ---------------------------------------------------------------------------------------
-- Creating and dropping queues. The tables belong to whoever creates the queue.
create or replace function pgmq._create(queue_name text, is_unlogged boolean) returns void
language plpgsql set search_path = '' as $$
declare
  q text := pgmq._name(queue_name);
  seq text;
begin
  -- Two concurrent creates of one queue: the second waits, then finds it made.
  perform pg_advisory_xact_lock(hashtext('pgmq.create'), hashtext(q));
  if exists (select from pgmq.meta m where m.queue_name = q) then
    return;
  end if;
  execute format('create %s table if not exists pgmq.%I (
      msg_id bigint generated always as identity primary key,
      read_ct integer not null default 0,
      enqueued_at timestamptz not null default now(),
      last_read_at timestamptz,
      vt timestamptz not null default now(),
      message jsonb,
      headers jsonb)', case when is_unlogged then 'unlogged' else '' end, 'q_' || q);
  execute format('create index if not exists %I on pgmq.%I (vt)', 'q_' || q || '_vt_idx', 'q_' || q);
  execute format('create table if not exists pgmq.%I (
      msg_id bigint primary key,
      read_ct integer not null default 0,
      enqueued_at timestamptz not null default now(),
      last_read_at timestamptz,
      vt timestamptz not null,
      message jsonb,
      headers jsonb,
      archived_at timestamptz not null default now())', 'a_' || q);
  execute format('create index if not exists %I on pgmq.%I (archived_at)', 'archived_at_idx_' || q, 'a_' || q);
  execute format('grant all on pgmq.%I, pgmq.%I to service_role', 'q_' || q, 'a_' || q);
  seq := pg_get_serial_sequence(format('pgmq.%I', 'q_' || q), 'msg_id');
  if seq is not null then
    execute format('grant all on sequence %s to service_role', seq);
  end if;
  insert into pgmq.meta (queue_name, is_partitioned, is_unlogged) values (q, false, _create.is_unlogged)
  on conflict do nothing;
end
$$;

create or replace function pgmq.create(queue_name text) returns void
language sql set search_path = '' as $$ select pgmq._create(queue_name, false) $$;

create or replace function pgmq.create_unlogged(queue_name text) returns void
language sql set search_path = '' as $$ select pgmq._create(queue_name, true) $$;

-- false for a queue that does not exist (as pgmq answers), rather than an error.
create or replace function pgmq.drop_queue(queue_name text) returns boolean
language plpgsql set search_path = '' as $$
declare
  q text := pgmq._name(queue_name);
begin
  if not exists (select from pgmq.meta m where m.queue_name = q) then
    return false;
  end if;
  execute format('drop table if exists pgmq.%I, pgmq.%I', 'q_' || q, 'a_' || q);
  delete from pgmq.meta m where m.queue_name = q;
  return true;
end
$$;

create or replace function pgmq.purge_queue(queue_name text) returns bigint
language plpgsql set search_path = '' as $$
declare
  q text := (pgmq._queue(queue_name)).queue_name;
  n bigint;
begin
  execute format('delete from pgmq.%I', 'q_' || q);
  get diagnostics n = row_count;
  return n;
end
$$;

-- ---------------------------------------------------------------------------------------
-- Sending. Every variant ends in the one with headers and a timestamptz delay.
create or replace function pgmq.send(queue_name text, msg jsonb, headers jsonb, delay timestamptz) returns setof bigint
language plpgsql set search_path = '' as $$
declare
  q text := (pgmq._queue(queue_name)).queue_name;
begin
  return query execute format('insert into pgmq.%I (vt, message, headers) values (coalesce($1, clock_timestamp()), $2, $3) returning msg_id', 'q_' || q)
    using delay, msg, headers;
end
$$;

create or replace function pgmq.send(queue_name text, msg jsonb, headers jsonb, delay integer default 0) returns setof bigint
language sql set search_path = '' as $$
  select pgmq.send(queue_name, msg, headers, clock_timestamp() + make_interval(secs => coalesce(delay, 0)))
$$;

create or replace function pgmq.send(queue_name text, msg jsonb, delay integer default 0) returns setof bigint
language sql set search_path = '' as $$
  select pgmq.send(queue_name, msg, null::jsonb, clock_timestamp() + make_interval(secs => coalesce(delay, 0)))
$$;

create or replace function pgmq.send(queue_name text, msg jsonb, delay timestamptz) returns setof bigint
language sql set search_path = '' as $$ select pgmq.send(queue_name, msg, null::jsonb, delay) $$;

-- One row per message, in the order given; headers, when given, pair with msgs by position.
create or replace function pgmq.send_batch(queue_name text, msgs jsonb[], headers jsonb[], delay timestamptz) returns setof bigint
language plpgsql set search_path = '' as $$
declare
  q text := (pgmq._queue(queue_name)).queue_name;
begin
  if headers is not null and cardinality(headers) <> cardinality(msgs) then
    raise exception using errcode = '22023', message = 'headers must have one entry per message';
  end if;
  return query execute format('insert into pgmq.%I (vt, message, headers)
      select coalesce($1, clock_timestamp()), m.msg, m.hdr from unnest($2, $3) with ordinality as m(msg, hdr, ord)
      order by m.ord
      returning msg_id', 'q_' || q)
    using delay, msgs, headers;
end
$$;

create or replace function pgmq.send_batch(queue_name text, msgs jsonb[], headers jsonb[], delay integer default 0) returns setof bigint
language sql set search_path = '' as $$
  select pgmq.send_batch(queue_name, msgs, headers, clock_timestamp() + make_interval(secs => coalesce(delay, 0)))
$$;

create or replace function pgmq.send_batch(queue_name text, msgs jsonb[], delay integer default 0) returns setof bigint
language sql set search_path = '' as $$
  select pgmq.send_batch(queue_name, msgs, null::jsonb[], clock_timestamp() + make_interval(secs => coalesce(delay, 0)))
$$;

create or replace function pgmq.send_batch(queue_name text, msgs jsonb[], delay timestamptz) returns setof bigint
language sql set search_path = '' as $$ select pgmq.send_batch(queue_name, msgs, null::jsonb[], delay) $$;

-- ---------------------------------------------------------------------------------------
-- Reading. One claim for read, read_with_poll and pop: visible messages oldest first, rows
-- another reader holds skipped (so no message goes to two readers), after moving the
-- messages that used up their retries to the dead-letter queue. Then either hidden for vt
-- seconds and counted, or deleted (pop). A '{}' condition matches every message, even null.
create or replace function pgmq._claim(queue_name text, vt integer, qty integer, conditional jsonb, remove boolean)
returns setof pgmq.message_record
language plpgsql set search_path = '' as $$
declare
  m pgmq.meta := pgmq._queue(queue_name);
  cond jsonb := coalesce(conditional, '{}'::jsonb);
  picked text;
begin
  if m.max_reads is not null then
    perform pgmq._dead_letter(m.queue_name, m.max_reads, m.dead_letter_queue, cond);
  end if;
  picked := format('select c.msg_id from pgmq.%I c
      where c.vt <= clock_timestamp() and ($2 = ''{}''::jsonb or c.message @> $2) and ($3::integer is null or c.read_ct < $3)
      order by c.msg_id limit $1
      for update skip locked', 'q_' || m.queue_name);
  if remove then
    return query execute format('with picked as (%s),
        gone as (delete from pgmq.%I s using picked where s.msg_id = picked.msg_id
                 returning s.msg_id, s.read_ct, s.enqueued_at, s.last_read_at, s.vt, s.message, s.headers)
        select * from gone order by msg_id', picked, 'q_' || m.queue_name)
      using qty, cond, m.max_reads;
  else
    return query execute format('with picked as (%s),
        claimed as (update pgmq.%I s
                    set vt = clock_timestamp() + make_interval(secs => $4), read_ct = s.read_ct + 1, last_read_at = clock_timestamp()
                    from picked where s.msg_id = picked.msg_id
                    returning s.msg_id, s.read_ct, s.enqueued_at, s.last_read_at, s.vt, s.message, s.headers)
        select * from claimed order by msg_id', picked, 'q_' || m.queue_name)
      using qty, cond, m.max_reads, coalesce(vt, 0);
  end if;
end
$$;

create or replace function pgmq.read(queue_name text, vt integer, qty integer, conditional jsonb default '{}')
returns setof pgmq.message_record
language sql set search_path = '' as $$ select * from pgmq._claim(queue_name, vt, qty, conditional, false) $$;

create or replace function pgmq.pop(queue_name text, qty integer default 1) returns setof pgmq.message_record
language sql set search_path = '' as $$ select * from pgmq._claim(queue_name, null, qty, '{}'::jsonb, true) $$;

-- Reads until something is there or max_poll_seconds have passed. Not on the embedded
-- database (PGlite): it has one session, so nothing can be sent while this one waits, and
-- sleeping would hold up every other request; there it returns after the first read.
create or replace function pgmq.read_with_poll(queue_name text, vt integer, qty integer, max_poll_seconds integer default 5,
                                               poll_interval_ms integer default 100, conditional jsonb default '{}')
returns setof pgmq.message_record
language plpgsql set search_path = '' as $$
declare
  deadline timestamptz := clock_timestamp() + make_interval(secs => coalesce(max_poll_seconds, 0));
  embedded boolean := pg_catalog.version() like '%PGlite%';
  got bigint;
begin
  loop
    return query select * from pgmq._claim(queue_name, vt, qty, conditional, false);
    get diagnostics got = row_count;
    if got > 0 or embedded or clock_timestamp() >= deadline then
      return;
    end if;
    perform pg_sleep(least(greatest(coalesce(poll_interval_ms, 100), 1) / 1000.0,
                           extract(epoch from deadline - clock_timestamp())::float8));
  end loop;
end
$$;

-- ---------------------------------------------------------------------------------------
-- Settling messages: archive (moved to a_<name>), delete, or a new visibility timeout.
create or replace function pgmq.archive(queue_name text, msg_ids bigint[]) returns setof bigint
language plpgsql set search_path = '' as $$
declare
  q text := (pgmq._queue(queue_name)).queue_name;
begin
  return query execute format('with gone as (delete from pgmq.%I where msg_id = any($1)
                                    returning msg_id, read_ct, enqueued_at, last_read_at, vt, message, headers)
      insert into pgmq.%I (msg_id, read_ct, enqueued_at, last_read_at, vt, message, headers)
      select msg_id, read_ct, enqueued_at, last_read_at, vt, message, headers from gone
      returning msg_id', 'q_' || q, 'a_' || q)
    using msg_ids;
end
$$;

create or replace function pgmq.archive(queue_name text, msg_id bigint) returns boolean
language sql set search_path = '' as $$ select exists (select from pgmq.archive(queue_name, array[msg_id])) $$;

create or replace function pgmq.delete(queue_name text, msg_ids bigint[]) returns setof bigint
language plpgsql set search_path = '' as $$
declare
  q text := (pgmq._queue(queue_name)).queue_name;
begin
  return query execute format('delete from pgmq.%I where msg_id = any($1) returning msg_id', 'q_' || q) using msg_ids;
end
$$;

create or replace function pgmq.delete(queue_name text, msg_id bigint) returns boolean
language sql set search_path = '' as $$ select exists (select from pgmq.delete(queue_name, array[msg_id])) $$;

create or replace function pgmq.set_vt(queue_name text, msg_id bigint, vt integer) returns setof pgmq.message_record
language plpgsql set search_path = '' as $$
declare
  q text := (pgmq._queue(queue_name)).queue_name;
begin
  return query execute format('update pgmq.%I set vt = clock_timestamp() + make_interval(secs => $2) where msg_id = $1
      returning msg_id, read_ct, enqueued_at, last_read_at, vt, message, headers', 'q_' || q)
    using msg_id, coalesce(vt, 0);
end
$$;

-- ---------------------------------------------------------------------------------------
-- Listing and metrics. total_messages counts every message ever sent (the identity's last
-- value, as pgmq does); null when the caller may not read that sequence.
create or replace function pgmq.list_queues() returns setof pgmq.queue_record
language sql stable set search_path = '' as $$
  select m.queue_name, m.is_partitioned, m.is_unlogged, m.created_at from pgmq.meta m order by m.created_at, m.queue_name
$$;

create or replace function pgmq.metrics(queue_name text) returns pgmq.metrics_result
language plpgsql set search_path = '' as $$
declare
  q text := (pgmq._queue(queue_name)).queue_name;
  seq text := pg_get_serial_sequence(format('pgmq.%I', 'q_' || q), 'msg_id');
  total bigint;
  result pgmq.metrics_result;
begin
  if seq is not null and has_sequence_privilege(seq, 'SELECT, USAGE') then
    total := coalesce(pg_sequence_last_value(seq::regclass), 0);
  end if;
  execute format('select $1::text, count(*)::bigint,
        extract(epoch from clock_timestamp() - max(enqueued_at))::integer,
        extract(epoch from clock_timestamp() - min(enqueued_at))::integer,
        $2::bigint, clock_timestamp(), (count(*) filter (where vt <= clock_timestamp()))::bigint
      from pgmq.%I', 'q_' || q)
    into result using q, total;
  return result;
end
$$;

create or replace function pgmq.metrics_all() returns setof pgmq.metrics_result
language plpgsql set search_path = '' as $$
declare
  q text;
begin
  for q in select m.queue_name from pgmq.meta m order by m.queue_name loop
    return next pgmq.metrics(q);
  end loop;
end
$$;
${pgmqRetryLimit}
-- ---------------------------------------------------------------------------------------
-- Privileges. Everything callable by the API roles except what makes, drops or empties
-- queues; the tables' own grants (and RLS) decide the rest.
grant usage on schema pgmq to anon, authenticated, service_role;
grant create on schema pgmq to service_role;
grant select on pgmq.meta to anon, authenticated, service_role;
grant insert, update, delete on pgmq.meta to service_role;
revoke all on all functions in schema pgmq from public;
grant execute on all functions in schema pgmq to anon, authenticated, service_role;
revoke execute on function pgmq._create(text, boolean), pgmq.create(text), pgmq.create_unlogged(text), pgmq.drop_queue(text),
  pgmq.purge_queue(text), pgmq.set_retry_limit(text, integer, text) from anon, authenticated;

-- postgres is the superuser on PGlite and most servers, but not on every one (Supabase).
do $$
begin
  if exists (select from pg_roles where rolname = 'postgres') then
    grant usage, create on schema pgmq to postgres;
    grant select, insert, update, delete on pgmq.meta to postgres;
    grant execute on all functions in schema pgmq to postgres;
  end if;
end
$$;
${pgmqPublic}
${queueConsumers}`;
