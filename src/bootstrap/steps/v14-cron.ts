// Bootstrap v14: cron with pg_cron's SQL API (cron.schedule, unschedule, alter_job, the
// cron.job and cron.job_run_details tables), so Supabase projects that schedule jobs in SQL
// run unchanged. The scheduler itself is in Node (src/jobs/cron/); this only stores and
// validates jobs and keeps their history.
// - The functions run with the caller's rights, not a definer's: a definer's current_user is
//   the definer, and a job must belong to the role that scheduled it (the scheduler runs it
//   as that role). Row triggers therefore guard every write, through the functions or not:
//   one (invoker) lets only a superuser or the tables' owner touch another role's job, since
//   service_role bypasses RLS; one (definer) validates and normalizes the values.
// - _groundwork.cron_check_schedule accepts exactly what src/jobs/cron/schedule.ts parses
//   (both are tested against src/jobs/cron/schedule-examples.ts).
// - cron_ticks: a node runs a tick only if its insert claims it, so each runs once across nodes.
// - A statement trigger notifies `groundwork_cron` so schedulers reload when jobs change.
export const cron = /* sql */ `
create schema if not exists cron;

create table if not exists cron.job (
  jobid bigserial primary key,
  schedule text not null,
  command text not null,
  nodename text not null default 'localhost',
  nodeport integer not null default 5432,
  database text not null default current_database(),
  username text not null default current_user,
  active boolean not null default true,
  jobname text
);
create unique index if not exists jobname_username_uniq on cron.job (jobname, username) where jobname is not null;

create table if not exists cron.job_run_details (
  jobid bigint,
  runid bigserial primary key,
  job_pid integer,
  database text,
  username text,
  command text,
  status text,
  return_message text,
  start_time timestamptz,
  end_time timestamptz
);
create index if not exists job_run_details_jobid_start_idx on cron.job_run_details (jobid, start_time);
create index if not exists job_run_details_end_time_idx on cron.job_run_details (end_time);

create table if not exists _groundwork.cron_ticks (
  jobid bigint not null,
  tick_at timestamptz not null,
  claimed_at timestamptz not null default now(),
  primary key (jobid, tick_at)
);
-- Pruning old claims by age.
create index if not exists cron_ticks_tick_at_idx on _groundwork.cron_ticks (tick_at);

-- One field of a five-field schedule: its values (dom's '$' = hi + 1) or what is wrong.
create or replace function _groundwork.cron_field(field text, part text, lo int, hi int, names text[], out vals int[], out problem text)
language plpgsql immutable set search_path = '' as $$
declare
  item text;
  tok text;
  m text[];
  a numeric;
  b numeric;
  step numeric;
begin
  vals := '{}';
  foreach item in array pg_catalog.string_to_array(field, ',') loop
    if item = '$' and part = 'day of month' then
      vals := vals || (hi + 1);
      continue;
    end if;
    m := pg_catalog.regexp_match(pg_catalog.lower(item), '^(?:(\\*)|([0-9]+|[a-z]+)(?:-([0-9]+|[a-z]+))?)(?:/([0-9]+))?$');
    if m is null then
      problem := pg_catalog.format('%s: cannot read "%s"', part, item);
      return;
    end if;
    foreach tok in array pg_catalog.array_remove(array[m[2], m[3]], null) loop
      if tok !~ '^[0-9]+$' and pg_catalog.array_position(names, tok) is null then
        problem := pg_catalog.format('%s: unknown name "%s"', part, tok);
        return;
      end if;
    end loop;
    if m[1] is not null then
      a := lo;
      b := hi;
    else
      a := case when m[2] ~ '^[0-9]+$' then m[2]::numeric else pg_catalog.array_position(names, m[2]) - 1 + lo end;
      b := case when m[3] is null then (case when m[4] is null then a else hi end)
                when m[3] ~ '^[0-9]+$' then m[3]::numeric else pg_catalog.array_position(names, m[3]) - 1 + lo end;
    end if;
    if a < lo or a > hi or b < lo or b > hi then
      problem := pg_catalog.format('%s: %s is out of range %s-%s', part, item, lo, hi);
      return;
    end if;
    if a > b then
      problem := pg_catalog.format('%s: range %s goes backwards', part, item);
      return;
    end if;
    step := coalesce(m[4]::numeric, 1);
    if step < 1 then
      problem := pg_catalog.format('%s: step must be at least 1', part);
      return;
    end if;
    vals := vals || array(select pg_catalog.generate_series(a::int, b::int, least(step, 100)::int));
  end loop;
end
$$;

-- The schedule trimmed, with single spaces; raises 22023 with a hint naming the problem.
create or replace function _groundwork.cron_check_schedule(schedule text) returns text
language plpgsql immutable set search_path = '' as $$
declare
  s text := pg_catalog.regexp_replace(pg_catalog.regexp_replace(coalesce(schedule, ''), '^[ \\t\\n\\r\\f\\v]+|[ \\t\\n\\r\\f\\v]+$', '', 'g'), '[ \\t\\n\\r\\f\\v]+', ' ', 'g');
  f text[];
  problem text;
  dom int[];
  mon int[];
  longest int;
begin
  if s like '@%' then
    if pg_catalog.lower(s) = '@reboot' then
      problem := '@reboot is not supported: jobs here do not run at server start';
    elsif pg_catalog.lower(s) <> all (array['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly']) then
      problem := 'unknown macro; use @yearly, @annually, @monthly, @weekly, @daily, @midnight or @hourly';
    end if;
  elsif pg_catalog.lower(s) ~ '^[0-9]+ seconds?$' then
    if pg_catalog.split_part(s, ' ', 1)::numeric not between 1 and 59 then
      problem := 'an interval must be 1 to 59 seconds';
    end if;
  else
    f := pg_catalog.string_to_array(s, ' ');
    if coalesce(pg_catalog.cardinality(f), 0) <> 5 then
      problem := pg_catalog.format('expected five fields (minute hour day-of-month month day-of-week), "N seconds" or a macro; found %s fields', coalesce(pg_catalog.cardinality(f), 0));
    else
      select p.problem into problem from (
        select (_groundwork.cron_field(f[1], 'minute', 0, 59, '{}')).problem, 1
        union all select (_groundwork.cron_field(f[2], 'hour', 0, 23, '{}')).problem, 2
        union all select (_groundwork.cron_field(f[3], 'day of month', 1, 31, '{}')).problem, 3
        union all select (_groundwork.cron_field(f[4], 'month', 1, 12, '{jan,feb,mar,apr,may,jun,jul,aug,sep,oct,nov,dec}')).problem, 4
        union all select (_groundwork.cron_field(f[5], 'day of week', 0, 7, '{sun,mon,tue,wed,thu,fri,sat}')).problem, 5
      ) p(problem, n) where p.problem is not null order by p.n limit 1;
      -- A day no chosen month has never fires (days of week only OR in when neither field starts with '*').
      if problem is null and f[3] not like '*%' and f[5] like '*%' then
        dom := (_groundwork.cron_field(f[3], 'day of month', 1, 31, '{}')).vals;
        mon := (_groundwork.cron_field(f[4], 'month', 1, 12, '{jan,feb,mar,apr,may,jun,jul,aug,sep,oct,nov,dec}')).vals;
        select max(case when m = 2 then 29 when m in (4, 6, 9, 11) then 30 else 31 end) into longest from pg_catalog.unnest(mon) m;
        if 32 <> all (dom) and (select min(d) from pg_catalog.unnest(dom) d) > longest then
          problem := 'never fires: no chosen month has that day';
        end if;
      end if;
    end if;
  end if;
  if problem is not null then
    raise exception using errcode = '22023', message = pg_catalog.format('invalid schedule: %s', schedule), hint = problem;
  end if;
  return s;
end
$$;

-- Owner's rights: the caller may lack _groundwork. Validates whatever writes the row.
create or replace function _groundwork.cron_job_values() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  new.schedule := _groundwork.cron_check_schedule(new.schedule);
  if coalesce(pg_catalog.btrim(new.command, E' \\t\\n\\r'), '') = '' then
    raise exception using errcode = '22023', message = 'command must not be empty';
  end if;
  if new.database is distinct from pg_catalog.current_database() then
    raise exception using errcode = '22023', message = 'only the current database is supported',
      hint = pg_catalog.format('the job names database %s; this is %s', new.database, pg_catalog.current_database());
  end if;
  return new;
end
$$;

-- Caller's rights, to see who the caller is: a superuser or the tables' owner may touch any
-- job; others only their own (service_role bypasses RLS, so RLS alone would not say so).
create or replace function _groundwork.cron_job_owner() returns trigger
language plpgsql set search_path = '' as $$
begin
  if not pg_catalog.pg_has_role(current_user, (select c.relowner from pg_catalog.pg_class c where c.oid = tg_relid), 'MEMBER') then
    if tg_op <> 'INSERT' and old.username is distinct from current_user then
      raise exception using errcode = '42501', message = pg_catalog.format('job %s belongs to another user', old.jobid);
    end if;
    if tg_op <> 'DELETE' and new.username is distinct from current_user then
      raise exception using errcode = '42501', message = pg_catalog.format('only a superuser may schedule a job as another user (%s)', new.username);
    end if;
  end if;
  if tg_op = 'DELETE' then
    return old;
  end if;
  return new;
end
$$;

create or replace function _groundwork.cron_job_changed() returns trigger
language plpgsql set search_path = '' as $$
begin
  perform pg_catalog.pg_notify('groundwork_cron', '');
  return null;
end
$$;

-- BEFORE row triggers fire by name: the owner check first.
create or replace trigger job_check_owner before insert or update or delete on cron.job
  for each row execute function _groundwork.cron_job_owner();
create or replace trigger job_check_values before insert or update on cron.job
  for each row execute function _groundwork.cron_job_values();
create or replace trigger job_changed after insert or update or delete or truncate on cron.job
  for each statement execute function _groundwork.cron_job_changed();

alter table cron.job enable row level security;
alter table cron.job_run_details enable row level security;
drop policy if exists cron_job_policy on cron.job;
create policy cron_job_policy on cron.job using (username = current_user) with check (username = current_user);
drop policy if exists cron_job_run_details_policy on cron.job_run_details;
create policy cron_job_run_details_policy on cron.job_run_details using (username = current_user);

-- pg_cron's API. Caller's rights (see above); the triggers check and normalize.
create or replace function cron.schedule(schedule text, command text) returns bigint
language sql set search_path = '' as $$
  insert into cron.job (schedule, command) values ($1, $2) returning jobid
$$;

create or replace function cron.schedule_in_database(job_name text, schedule text, command text, database text, username text default null, active boolean default true) returns bigint
language plpgsql set search_path = '' as $$
#variable_conflict use_column
declare
  id bigint;
begin
  if $1 is null then
    raise exception using errcode = '22023', message = 'job_name must not be null';
  end if;
  insert into cron.job (jobname, schedule, command, database, username, active)
  values ($1, $2, $3, $4, coalesce($5, current_user), coalesce($6, true))
  on conflict (jobname, username) where jobname is not null
  do update set schedule = excluded.schedule, command = excluded.command, database = excluded.database, active = excluded.active
  returning jobid into id;
  return id;
end
$$;

create or replace function cron.schedule(job_name text, schedule text, command text) returns bigint
language plpgsql set search_path = '' as $$
declare
  id bigint;
begin
  if job_name is null then
    raise exception using errcode = '22023', message = 'job_name must not be null';
  end if;
  insert into cron.job (jobname, schedule, command) values ($1, $2, $3)
  on conflict (jobname, username) where jobname is not null
  do update set schedule = excluded.schedule, command = excluded.command
  returning jobid into id;
  return id;
end
$$;

-- Another user's job is not found, for all but a superuser or the tables' owner.
create or replace function cron.unschedule(job_id bigint) returns boolean
language plpgsql set search_path = '' as $$
begin
  delete from cron.job j where j.jobid = $1
    and (j.username = current_user or pg_catalog.pg_has_role(current_user, (select c.relowner from pg_catalog.pg_class c where c.oid = 'cron.job'::pg_catalog.regclass), 'MEMBER'));
  if not found then
    raise exception using errcode = 'P0002', message = pg_catalog.format('could not find valid entry for job %s', $1);
  end if;
  return true;
end
$$;

create or replace function cron.unschedule(job_name text) returns boolean
language plpgsql set search_path = '' as $$
begin
  delete from cron.job j where j.jobname = $1 and j.username = current_user;
  if not found then
    raise exception using errcode = 'P0002', message = pg_catalog.format('could not find valid entry for job ''%s''', $1);
  end if;
  return true;
end
$$;

create or replace function cron.alter_job(job_id bigint, schedule text default null, command text default null, database text default null, username text default null, active boolean default null) returns void
language plpgsql set search_path = '' as $$
begin
  update cron.job j set
    schedule = coalesce($2, j.schedule), command = coalesce($3, j.command), database = coalesce($4, j.database),
    username = coalesce($5, j.username), active = coalesce($6, j.active)
  where j.jobid = $1
    and (j.username = current_user or pg_catalog.pg_has_role(current_user, (select c.relowner from pg_catalog.pg_class c where c.oid = 'cron.job'::pg_catalog.regclass), 'MEMBER'));
  if not found then
    raise exception using errcode = 'P0002', message = pg_catalog.format('could not find valid entry for job %s', $1);
  end if;
end
$$;

-- Who may use cron: postgres and service_role, as on Supabase; anon and authenticated not.
revoke all on schema cron from public;
revoke all on all functions in schema cron from public;
revoke all on all tables in schema cron from public;
do $$
declare
  r text;
begin
  foreach r in array array['postgres', 'service_role'] loop
    if exists (select from pg_roles where rolname = r) then
      execute format('grant usage on schema cron to %I', r);
      execute format('grant execute on all functions in schema cron to %I', r);
      execute format('grant select, insert, update, delete on cron.job to %I', r);
      execute format('grant select, delete on cron.job_run_details to %I', r);
      execute format('grant usage on sequence cron.job_jobid_seq to %I', r);
    end if;
  end loop;
end
$$;
`;
