// Bootstrap v10: Realtime's database side.
// - Supabase's SQL API: the `realtime` schema with `messages` (RLS decides who may read and
//   send on private channels), `topic()`, `send()` and `broadcast_changes()`.
// - Capture: every table in the `supabase_realtime` publication (and `realtime.messages`)
//   gets a row trigger that writes the change to `_groundwork.realtime_changes` in the
//   change's own transaction, so a committed change is never lost, whatever the server does
//   next. Each node reads that table in (xid, id) order below the oldest running
//   transaction (src/realtime/changes/feed.ts). `alter publication … add table` installs the
//   trigger at once through an event trigger; the feed also syncs at start (no event
//   triggers without a superuser).
// - The batched visibility check the feed runs as each subscriber (src/realtime/changes/).
import { realtimeVisible } from './realtime-visible.ts';

export const realtime = /* sql */ `
create schema if not exists realtime;
grant usage on schema realtime to anon, authenticated, service_role, authenticator;

create table if not exists realtime.messages (
  id uuid not null default gen_random_uuid(),
  topic text not null,
  extension text not null,
  payload jsonb,
  event text,
  private boolean default false,
  binary_payload bytea,
  updated_at timestamp not null default now(),
  inserted_at timestamp not null default now(),
  primary key (id, inserted_at)
);
create index if not exists messages_topic_idx on realtime.messages (topic, inserted_at);
alter table realtime.messages enable row level security;
grant select, insert, update on realtime.messages to anon, authenticated;
grant all on realtime.messages to service_role;

create or replace function realtime.topic() returns text
language sql stable as $$ select nullif(current_setting('realtime.topic', true), '')::text $$;
grant execute on function realtime.topic() to anon, authenticated, service_role;

-- Definer rights: triggers on the project's tables call it on behalf of any user. As on
-- Supabase, a failure is a warning: a broadcast must not undo the write that caused it.
create or replace function realtime.send(payload jsonb, event text, topic text, private boolean default true) returns void
language plpgsql security definer set search_path = '' as $$
declare
  message_id uuid := gen_random_uuid();
begin
  perform set_config('realtime.topic', topic, true);
  insert into realtime.messages (id, payload, event, topic, private, extension)
  values (message_id, case when payload ? 'id' then payload else payload || jsonb_build_object('id', message_id) end, event, topic, private, 'broadcast');
exception when others then
  raise warning 'ErrorSendingBroadcastMessage: %', sqlerrm;
end
$$;
grant execute on function realtime.send(jsonb, text, text, boolean) to anon, authenticated, service_role;

create or replace function realtime.broadcast_changes(topic_name text, event_name text, operation text, table_name text, table_schema text, new record, old record, level text default 'ROW') returns void
language plpgsql security definer set search_path = '' as $$
begin
  perform realtime.send(
    jsonb_build_object(
      'old_record', case when level = 'ROW' and operation in ('UPDATE', 'DELETE') then to_jsonb(old) end,
      'record', case when level = 'ROW' and operation in ('INSERT', 'UPDATE') then to_jsonb(new) end,
      'operation', operation, 'table', table_name, 'schema', table_schema),
    event_name, topic_name, true);
end
$$;
grant execute on function realtime.broadcast_changes(text, text, text, text, text, record, record, text) to anon, authenticated, service_role;

create table if not exists _groundwork.realtime_changes (
  id bigint generated always as identity,
  xid xid8 not null default pg_current_xact_id(),
  relid oid not null,
  op text not null,
  record jsonb,
  old_record jsonb,
  at timestamptz not null default clock_timestamp(),
  primary key (xid, id)
);
create index if not exists realtime_changes_at_idx on _groundwork.realtime_changes (at);
grant select on _groundwork.realtime_changes to authenticator;

-- UTC, so timestamptz values read the same whoever wrote them.
create or replace function _groundwork.realtime_capture() returns trigger
language plpgsql security definer set search_path = '' set timezone = 'UTC' as $$
begin
  insert into _groundwork.realtime_changes (relid, op, record, old_record)
  values (tg_relid, tg_op,
          case when tg_op <> 'DELETE' then to_jsonb(new) end,
          case when tg_op <> 'INSERT' then to_jsonb(old) end);
  perform pg_notify('groundwork_realtime', '');
  return null;
end
$$;

drop trigger if exists groundwork_realtime_capture on realtime.messages;
create trigger groundwork_realtime_capture after insert on realtime.messages
  for each row execute function _groundwork.realtime_capture();

-- One capture trigger on each published table, for the actions the publication publishes
-- (its publish option), none elsewhere. tgtype's bits: 4 insert, 8 delete, 16 update.
create or replace function _groundwork.realtime_sync() returns void
language plpgsql security definer set search_path = '' as $$
declare
  r record;
begin
  for r in
    with wanted as (
      select format('%I.%I', p.schemaname, p.tablename)::regclass as rel,
             (case when pub.pubinsert then 4 else 0 end) | (case when pub.pubdelete then 8 else 0 end) | (case when pub.pubupdate then 16 else 0 end) as events
      from pg_publication_tables p join pg_publication pub on pub.pubname = p.pubname
      where p.pubname = 'supabase_realtime'
    ), have as (
      select t.tgrelid::regclass as rel, t.tgtype::int & 28 as events from pg_trigger t
      where t.tgname = 'groundwork_realtime_capture' and t.tgrelid <> 'realtime.messages'::regclass
    )
    select coalesce(w.rel, h.rel) as rel, coalesce(w.events, 0) as want, h.events as have
    from wanted w full join have h on h.rel = w.rel
    where coalesce(h.events, 0) <> coalesce(w.events, 0)
  loop
    if r.have is not null then
      execute format('drop trigger groundwork_realtime_capture on %s', r.rel);
    end if;
    if r.want <> 0 then
      execute format('create trigger groundwork_realtime_capture after %s on %s for each row execute function _groundwork.realtime_capture()',
        array_to_string(array_remove(array[case when r.want & 4 <> 0 then 'insert' end, case when r.want & 16 <> 0 then 'update' end,
                                           case when r.want & 8 <> 0 then 'delete' end], null), ' or '), r.rel);
    end if;
  end loop;
end
$$;
revoke execute on function _groundwork.realtime_sync() from public;
grant execute on function _groundwork.realtime_sync() to authenticator;

create or replace function _groundwork.realtime_watch() returns event_trigger
language plpgsql security definer set search_path = '' as $$
begin
  perform _groundwork.realtime_sync();
end
$$;

do $$
begin
  if (select rolsuper from pg_roles where rolname = current_user)
     and not exists (select from pg_event_trigger where evtname = 'groundwork_realtime_watch') then
    create event trigger groundwork_realtime_watch on ddl_command_end
      when tag in ('CREATE PUBLICATION', 'ALTER PUBLICATION', 'DROP PUBLICATION', 'CREATE TABLE', 'CREATE TABLE AS', 'SELECT INTO')
      execute function _groundwork.realtime_watch();
  end if;
end
$$;
select _groundwork.realtime_sync();

-- Messages between nodes too large for NOTIFY (src/realtime/hub/pg-bus.ts) go through the
-- change table, as relid 0, which every node's feed reads.
create or replace function _groundwork.realtime_bus_put(messages text[]) returns void
language sql security definer set search_path = '' as $$
  insert into _groundwork.realtime_changes (relid, op, record)
  select 0, 'BUS', jsonb_build_object('bus', m) from unnest(messages) as m;
  select pg_notify('groundwork_realtime', '');
$$;
revoke execute on function _groundwork.realtime_bus_put(text[]) from public;
grant execute on function _groundwork.realtime_bus_put(text[]) to authenticator;

-- Old changes and messages go: each node reads changes within seconds; Supabase keeps
-- messages 72 hours for replay.
create or replace function _groundwork.realtime_prune(changes_kept interval, messages_kept interval) returns void
language sql security definer set search_path = '' as $$
  delete from _groundwork.realtime_changes where at < now() - changes_kept;
  delete from realtime.messages where inserted_at < now() - messages_kept;
$$;
revoke execute on function _groundwork.realtime_prune(interval, interval) from public;
grant execute on function _groundwork.realtime_prune(interval, interval) to authenticator;

-- Private channels: rows to test realtime.messages' policies against, inserted with the
-- owner's rights inside a transaction the caller rolls back.
create or replace function _groundwork.realtime_probe(topic text, extensions text[]) returns uuid[]
language sql security definer set search_path = '' as $$
  with made as (
    insert into realtime.messages (topic, extension, private, event, payload)
    select topic, e, true, 'probe', '{}'::jsonb from unnest(extensions) as e
    returning id
  )
  select array_agg(id) from made;
$$;
revoke execute on function _groundwork.realtime_probe(text, text[]) from public;
grant execute on function _groundwork.realtime_probe(text, text[]) to authenticator;

${realtimeVisible}`;
