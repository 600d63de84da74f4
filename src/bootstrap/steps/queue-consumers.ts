// Part of bootstrap v13: consumers Groundwork runs for a queue. `groundwork.create_consumer`
// names an HTTP endpoint that each message of the queue is POSTed to (src/jobs/queues/):
// a 2xx answer deletes the message, anything else leaves it to reappear after a backoff,
// and the queue's retry limit (set here, `max_attempts` reads) moves it to the dead-letter
// queue after the last attempt. Consumers are read by every node; pgmq's visibility
// timeout keeps two nodes from handling one message at once.
export const queueConsumers = /* sql */ `
create table _groundwork.queue_consumers (
  queue_name text primary key,
  url text not null,
  headers jsonb not null default '{}',
  concurrency integer not null,
  visibility_timeout integer not null,
  timeout_ms integer not null,
  created_at timestamptz not null default now()
);

create or replace function _groundwork.consumers_changed() returns trigger language plpgsql as $$
begin
  perform pg_notify('groundwork_consumers', '');
  return null;
end $$;
create trigger consumers_changed after insert or update or delete on _groundwork.queue_consumers
  for each statement execute function _groundwork.consumers_changed();

create function groundwork.create_consumer(
  queue_name text, url text, concurrency integer default 1, visibility_timeout integer default 30,
  max_attempts integer default 5, headers jsonb default '{}', timeout_ms integer default 10000
) returns void language plpgsql security definer set search_path = '' as $$
declare
  q text := (pgmq._queue(queue_name)).queue_name;
begin
  perform _groundwork.check_url(url);
  if concurrency is null or concurrency < 1 or concurrency > 100 then
    raise exception using errcode = '22023', message = format('invalid concurrency: %s', coalesce(concurrency::text, 'null')), hint = 'Between 1 and 100.';
  end if;
  perform _groundwork.check_timeout('timeout_ms', timeout_ms);
  -- The lease must outlast the request, or a slow answer would let another node take the message.
  if visibility_timeout is null or visibility_timeout * 1000 <= timeout_ms then
    raise exception using errcode = '22023', message = format('invalid visibility_timeout: %s', coalesce(visibility_timeout::text, 'null')), hint = 'In seconds, longer than timeout_ms.';
  end if;
  if jsonb_typeof(coalesce(headers, '{}')) <> 'object' then
    raise exception using errcode = '22023', message = 'headers must be a JSON object';
  end if;
  perform pgmq.set_retry_limit(q, max_attempts);
  insert into _groundwork.queue_consumers as c (queue_name, url, headers, concurrency, visibility_timeout, timeout_ms)
  values (q, url, coalesce(headers, '{}'), concurrency, visibility_timeout, timeout_ms)
  on conflict on constraint queue_consumers_pkey do update
  set url = excluded.url, headers = excluded.headers, concurrency = excluded.concurrency,
    visibility_timeout = excluded.visibility_timeout, timeout_ms = excluded.timeout_ms;
end $$;

create function groundwork.drop_consumer(queue_name text) returns boolean language plpgsql security definer set search_path = '' as $$
begin
  delete from _groundwork.queue_consumers c where c.queue_name = drop_consumer.queue_name;
  return found;
end $$;

create view groundwork.consumers as
select c.queue_name, c.url, c.concurrency, c.visibility_timeout, c.timeout_ms, m.max_reads as max_attempts, m.dead_letter_queue
from _groundwork.queue_consumers c left join pgmq.meta m on m.queue_name = c.queue_name;

revoke all on function groundwork.create_consumer(text, text, integer, integer, integer, jsonb, integer), groundwork.drop_consumer(text) from public;
grant execute on function groundwork.create_consumer(text, text, integer, integer, integer, jsonb, integer), groundwork.drop_consumer(text) to service_role;
grant select on groundwork.consumers to service_role;
do $$
begin
  if exists (select from pg_roles where rolname = 'postgres') then
    grant execute on function groundwork.create_consumer(text, text, integer, integer, integer, jsonb, integer), groundwork.drop_consumer(text) to postgres;
    grant select on groundwork.consumers to postgres;
  end if;
end
$$;
`;
