// Part of bootstrap v12: database webhooks declared in SQL. A webhook is the trigger Supabase's
// dashboard would write (after INSERT/UPDATE/DELETE, for each row, calling
// supabase_functions.http_request with a POST), so both ways of declaring one meet in the
// same place; `groundwork.webhooks` lists them all. What Supabase's trigger cannot say (a
// secret of its own, an attempt limit) is kept beside it, keyed by table and trigger.
export const webhookSql = /* sql */ `
create schema if not exists groundwork;

create table _groundwork.webhook_settings (
  table_oid oid not null,
  name text not null,
  secret text,
  max_attempts integer,
  primary key (table_oid, name)
);

create function _groundwork.check_webhook_secret(secret text) returns void language plpgsql immutable as $$
declare
  key_bytes integer;
begin
  if secret is null then return; end if;
  if secret !~ '^whsec_[A-Za-z0-9+/]+={0,2}$' then
    raise exception using errcode = '22023', message = 'invalid webhook secret', hint = 'whsec_ followed by 24 to 64 random bytes in base64.';
  end if;
  key_bytes := length(decode(substr(secret, 7), 'base64'));
  if key_bytes < 24 or key_bytes > 64 then
    raise exception using errcode = '22023', message = 'invalid webhook secret', hint = format('Its key is %s bytes; 24 to 64 are allowed.', key_bytes);
  end if;
end $$;

create function groundwork.create_webhook(
  name text, table_name regclass, events text[], url text,
  headers jsonb default '{"Content-Type": "application/json"}', timeout_ms integer default 5000,
  secret text default null, max_attempts integer default null
) returns void language plpgsql security definer set search_path = '' as $$
declare
  wanted text[];
begin
  if name is null or name !~ '^[A-Za-z_][A-Za-z0-9_-]{0,62}$' then
    raise exception using errcode = '22023', message = format('invalid webhook name: %s', coalesce(name, 'null')), hint = 'Letters, digits, _ and -, at most 63.';
  end if;
  select array_agg(distinct upper(e) order by upper(e)) into wanted from unnest(events) as e;
  if wanted is null or not wanted <@ array['DELETE', 'INSERT', 'UPDATE'] then
    raise exception using errcode = '22023', message = format('invalid webhook events: %s', coalesce(events::text, 'null')), hint = 'One or more of INSERT, UPDATE, DELETE.';
  end if;
  perform _groundwork.check_url(url);
  if jsonb_typeof(coalesce(headers, '{}')) <> 'object' then
    raise exception using errcode = '22023', message = 'headers must be a JSON object';
  end if;
  perform _groundwork.check_timeout('timeout_ms', timeout_ms);
  if max_attempts is not null and (max_attempts < 1 or max_attempts > 100) then
    raise exception using errcode = '22023', message = format('invalid max_attempts: %s', max_attempts), hint = 'Between 1 and 100, or null for the configured default.';
  end if;
  perform _groundwork.check_webhook_secret(secret);
  execute format('drop trigger if exists %I on %s', name, table_name);
  -- The events come from the checked list above; everything else is quoted.
  execute format('create trigger %I after %s on %s for each row execute function supabase_functions.http_request(%L, %L, %L, %L, %L)',
    name, array_to_string(wanted, ' or '), table_name, url, 'POST', coalesce(headers, '{}')::text, '{}', timeout_ms::text);
  insert into _groundwork.webhook_settings (table_oid, name, secret, max_attempts) values (table_name, name, secret, max_attempts)
  on conflict on constraint webhook_settings_pkey do update set secret = excluded.secret, max_attempts = excluded.max_attempts;
end $$;

create function groundwork.drop_webhook(name text, table_name regclass) returns boolean language plpgsql security definer set search_path = '' as $$
begin
  delete from _groundwork.webhook_settings s where s.table_oid = table_name and s.name = drop_webhook.name;
  if not exists (select 1 from pg_trigger t where t.tgrelid = table_name and t.tgname = drop_webhook.name and t.tgfoid = 'supabase_functions.http_request'::regproc) then
    return false;
  end if;
  execute format('drop trigger %I on %s', name, table_name);
  return true;
end $$;

-- Sends a finished request again from its first attempt (same webhook-id, so receivers can dedupe).
create function groundwork.redeliver(request_id bigint) returns boolean language plpgsql security definer set search_path = '' as $$
begin
  update net.http_request_queue set state = 'pending', retry_from = attempts, next_attempt_at = now(), finished_at = null, last_error = null
  where id = request_id and state <> 'pending';
  if not found then return false; end if;
  perform pg_notify('groundwork_http', '');
  return true;
end $$;

create view groundwork.webhooks as
select n.nspname::text as schema, c.relname::text as "table", t.tgname::text as name,
  array_remove(array[
    case when t.tgtype & 4 <> 0 then 'INSERT' end,
    case when t.tgtype & 16 <> 0 then 'UPDATE' end,
    case when t.tgtype & 8 <> 0 then 'DELETE' end], null) as events,
  a.args[1] as url, a.args[2] as method, a.args[3] as headers, nullif(a.args[5], '')::integer as timeout_ms,
  s.secret is not null as own_secret, s.max_attempts, t.tgenabled <> 'D' as enabled
from pg_trigger t
join pg_class c on c.oid = t.tgrelid
join pg_namespace n on n.oid = c.relnamespace
cross join lateral (select string_to_array(encode(t.tgargs, 'escape'), '\\000') as args) a
left join _groundwork.webhook_settings s on s.table_oid = t.tgrelid and s.name = t.tgname
where t.tgfoid = 'supabase_functions.http_request'::regproc and not t.tgisinternal;

revoke all on schema groundwork from public;
revoke all on all functions in schema groundwork from public;
revoke all on function _groundwork.check_webhook_secret(text) from public;
grant usage on schema groundwork to service_role;
grant execute on all functions in schema groundwork to service_role;
grant select on groundwork.webhooks to service_role;
`;
