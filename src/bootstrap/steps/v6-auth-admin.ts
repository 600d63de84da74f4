// Bootstrap v6: Auth's own role, `supabase_auth_admin` (Supabase's name), so Auth's flows
// reach the `auth` schema without a superuser. As in Supabase it owns Auth's tables (the
// owner is exempt from their row-level security) and logs in on its own; it may use
// pgcrypto (password hashes), Groundwork's rate-limit counters and outbox, and the public
// schema's functions (custom access token hooks). It holds nothing else: a hook that reads
// a table needs a grant and a policy `to supabase_auth_admin`, as in Supabase.
export const authAdmin = /* sql */ `
do $$
begin
  if not exists (select from pg_roles where rolname = 'supabase_auth_admin') then
    begin
      create role supabase_auth_admin login noinherit;
    exception when duplicate_object or unique_violation then
      null; -- created concurrently by another database's bootstrap
    end;
  end if;
  -- Giving it tables needs membership when the bootstrapping role is not a superuser.
  if not (select rolsuper from pg_roles where rolname = current_user) then
    execute format('grant supabase_auth_admin to %I', current_user);
  end if;
end
$$;

do $$
declare
  t record;
begin
  for t in select tablename from pg_tables where schemaname = 'auth' loop
    execute format('alter table auth.%I owner to supabase_auth_admin', t.tablename);
  end loop;
end
$$;

grant usage on schema auth, extensions, public to supabase_auth_admin;
grant execute on all functions in schema extensions to supabase_auth_admin;
grant usage on schema _groundwork to supabase_auth_admin;
grant select, insert, update, delete on _groundwork.rate_limits, _groundwork.outbox to supabase_auth_admin;
grant usage, select on sequence _groundwork.outbox_id_seq to supabase_auth_admin;
`;
