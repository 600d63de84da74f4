// Bootstrap v12: outbound HTTP from SQL. pg_net's API (`net.http_get/post/delete`,
// `net._http_response`) and Supabase's webhook trigger function
// (`supabase_functions.http_request`) work unchanged, but a request is a row of a logged
// outbox written in the caller's transaction: it goes out only after commit (a rollback
// drops it), survives a crash, and is retried by Groundwork's dispatcher
// (src/jobs/delivery/) with backoff until it succeeds or is dead-lettered. pg_net keeps its
// queue unlogged and never retries; here the queue row stays as the delivery's record, and
// each attempt is logged. Webhooks declared through `groundwork.create_webhook` are the
// same triggers, with an optional secret and attempt limit of their own.
import { webhookSql } from './webhooks.ts';

export const net = /* sql */ `
create schema if not exists net;
create schema if not exists supabase_functions;

create table net.http_request_queue (
  id bigserial primary key,
  method text not null check (method in ('GET', 'POST', 'DELETE')),
  url text not null,
  params jsonb not null default '{}',
  headers jsonb not null default '{}',
  body bytea,
  timeout_milliseconds integer not null,
  -- Groundwork's delivery state: pg_net deletes a request once sent, this row stays as its record.
  -- A claimed request's next_attempt_at is its lease: past it, another dispatcher may take it.
  -- claimed_at says an attempt is under way (null once it is recorded).
  webhook text,
  webhook_table oid,
  message_id text not null default 'msg_' || replace(gen_random_uuid()::text, '-', ''),
  state text not null default 'pending' check (state in ('pending', 'succeeded', 'failed', 'dead')),
  attempts integer not null default 0,
  -- A redelivery starts counting tries again from here (attempts keep counting, for the log).
  retry_from integer not null default 0,
  claimed_at timestamptz,
  next_attempt_at timestamptz not null default now(),
  created timestamptz not null default now(),
  finished_at timestamptz,
  last_status integer,
  last_error text
);
create index http_request_queue_due_idx on net.http_request_queue (next_attempt_at) where state = 'pending';
create index http_request_queue_finished_idx on net.http_request_queue (finished_at) where state <> 'pending';

-- pg_net's response table: the last attempt of each request (pg_net's is unlogged; this one is not).
create table net._http_response (
  id bigint primary key,
  status_code integer,
  content_type text,
  headers jsonb,
  content text,
  timed_out boolean,
  error_msg text,
  created timestamptz not null default now()
);

-- Every attempt: the delivery log.
create table _groundwork.http_attempts (
  request_id bigint not null references net.http_request_queue (id) on delete cascade,
  attempt integer not null,
  at timestamptz not null default now(),
  status integer,
  latency_ms integer not null,
  error text,
  response_excerpt text,
  primary key (request_id, attempt)
);

-- The checks every way of queueing a request shares (net.http_*, webhooks, queue consumers).
create function _groundwork.check_url(url text) returns void language plpgsql immutable as $$
begin
  if url is null or url !~* '^https?://[^/?#\\s]+' then
    raise exception using errcode = '22023', message = format('invalid url: %s', coalesce(url, 'null')), hint = 'An absolute http:// or https:// URL.';
  end if;
end $$;

create function _groundwork.check_timeout(name text, value integer) returns void language plpgsql immutable as $$
begin
  if value is null or value < 1 or value > 300000 then
    raise exception using errcode = '22023', message = format('invalid %s: %s', name, coalesce(value::text, 'null')), hint = 'Between 1 and 300000.';
  end if;
end $$;

create function _groundwork.http_enqueue(method text, url text, params jsonb, headers jsonb, body bytea, timeout_milliseconds integer, webhook text, webhook_table oid)
returns bigint language plpgsql security definer set search_path = '' as $$
declare
  request_id bigint;
begin
  perform _groundwork.check_url(url);
  perform _groundwork.check_timeout('timeout_milliseconds', timeout_milliseconds);
  if jsonb_typeof(coalesce(params, '{}')) <> 'object' or jsonb_typeof(coalesce(headers, '{}')) <> 'object' then
    raise exception using errcode = '22023', message = 'params and headers must be JSON objects';
  end if;
  insert into net.http_request_queue (method, url, params, headers, body, timeout_milliseconds, webhook, webhook_table)
  values (method, url, coalesce(params, '{}'), coalesce(headers, '{}'), body, timeout_milliseconds, webhook, webhook_table)
  returning id into request_id;
  -- Delivered to the dispatchers at commit (and not at all on rollback).
  perform pg_notify('groundwork_http', '');
  return request_id;
end $$;

create function net.http_get(url text, params jsonb default '{}', headers jsonb default '{}', timeout_milliseconds integer default 2000)
returns bigint language sql security definer set search_path = '' as $$
  select _groundwork.http_enqueue('GET', url, params, headers, null, timeout_milliseconds, null, null)
$$;

create function net.http_post(url text, body jsonb default '{}', params jsonb default '{}', headers jsonb default '{"Content-Type": "application/json"}', timeout_milliseconds integer default 2000)
returns bigint language sql security definer set search_path = '' as $$
  select _groundwork.http_enqueue('POST', url, params, headers, convert_to(body::text, 'UTF8'), timeout_milliseconds, null, null)
$$;

create function net.http_delete(url text, params jsonb default '{}', headers jsonb default '{}', timeout_milliseconds integer default 2000)
returns bigint language sql security definer set search_path = '' as $$
  select _groundwork.http_enqueue('DELETE', url, params, headers, null, timeout_milliseconds, null, null)
$$;

-- Supabase's audit of webhook calls.
create table supabase_functions.hooks (
  id bigserial primary key,
  hook_table_id integer not null,
  hook_name text not null,
  created_at timestamptz not null default now(),
  request_id bigint
);
create index supabase_hooks_request_id_idx on supabase_functions.hooks (request_id);

-- Supabase's webhook trigger: http_request(url, method, headers, params, timeout_ms).
create function supabase_functions.http_request() returns trigger language plpgsql security definer set search_path = '' as $$
declare
  url text := TG_ARGV[0];
  method text := TG_ARGV[1];
  headers jsonb := coalesce(nullif(TG_ARGV[2], 'null')::jsonb, '{"Content-Type": "application/json"}');
  params jsonb := coalesce(nullif(TG_ARGV[3], 'null')::jsonb, '{}');
  timeout_ms integer := coalesce(nullif(TG_ARGV[4], 'null')::integer, 1000);
  payload jsonb;
  request_id bigint;
begin
  if url is null or url = 'null' then raise exception 'url argument is missing'; end if;
  if method is null or method = 'null' then raise exception 'method argument is missing'; end if;
  if method = 'GET' then
    request_id := _groundwork.http_enqueue('GET', url, params, headers, null, timeout_ms, TG_NAME, TG_RELID);
  elsif method = 'POST' then
    payload := jsonb_build_object(
      'old_record', case when TG_OP in ('UPDATE', 'DELETE') then to_jsonb(OLD) end,
      'record', case when TG_OP in ('INSERT', 'UPDATE') then to_jsonb(NEW) end,
      'type', TG_OP, 'table', TG_TABLE_NAME, 'schema', TG_TABLE_SCHEMA);
    request_id := _groundwork.http_enqueue('POST', url, params, headers, convert_to(payload::text, 'UTF8'), timeout_ms, TG_NAME, TG_RELID);
  else
    raise exception 'method argument % is invalid', method;
  end if;
  insert into supabase_functions.hooks (hook_table_id, hook_name, request_id) values (TG_RELID, TG_NAME, request_id);
  return coalesce(NEW, OLD);
end $$;

${webhookSql}

revoke all on schema net, supabase_functions from public;
revoke all on all functions in schema net, supabase_functions from public;
revoke all on function _groundwork.http_enqueue(text, text, jsonb, jsonb, bytea, integer, text, oid) from public;
revoke all on function _groundwork.check_url(text), _groundwork.check_timeout(text, integer) from public;
grant usage on schema net, supabase_functions to service_role;
grant execute on all functions in schema net to service_role;
grant select on net.http_request_queue, net._http_response, supabase_functions.hooks to service_role;
-- postgres is the superuser on PGlite and most servers, but not on every one.
do $$
begin
  if exists (select from pg_roles where rolname = 'postgres') then
    grant usage on schema net, supabase_functions, groundwork to postgres;
    grant execute on all functions in schema net, groundwork to postgres;
    grant select on net.http_request_queue, net._http_response, supabase_functions.hooks, groundwork.webhooks to postgres;
  end if;
end
$$;
`;
