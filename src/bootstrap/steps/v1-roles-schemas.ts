// Bootstrap v1, part 1: Supabase's roles, schemas, extensions and default privileges.
// Roles are cluster-wide, so another database (or a concurrent start) may have made them
// already: each creation tolerates that.
export const rolesAndSchemas = /* sql */ `
do $$
declare
  r record;
begin
  for r in select * from (values
      ('anon', 'nologin noinherit'),
      ('authenticated', 'nologin noinherit'),
      ('service_role', 'nologin noinherit bypassrls'),
      ('authenticator', 'login noinherit')) as t(name, options)
  loop
    if not exists (select from pg_roles where rolname = r.name) then
      begin
        execute format('create role %I %s', r.name, r.options);
      exception when duplicate_object or unique_violation then
        null; -- created concurrently by another database's bootstrap
      end;
    end if;
  end loop;
end
$$;

do $$
begin
  grant anon, authenticated, service_role to authenticator;
exception when unique_violation then
  null; -- granted concurrently
end
$$;

create schema if not exists auth;
create schema if not exists extensions;
create schema if not exists graphql_public;

create extension if not exists pgcrypto with schema extensions;
create extension if not exists "uuid-ossp" with schema extensions;

grant usage on schema public, extensions, graphql_public, auth to anon, authenticated, service_role;
grant execute on all functions in schema extensions to anon, authenticated, service_role;

-- Supabase's defaults: the API roles hold every privilege on what the project creates in
-- public, so that row-level security, not GRANTs, decides who sees what.
alter default privileges in schema public grant all on tables to anon, authenticated, service_role;
alter default privileges in schema public grant all on functions to anon, authenticated, service_role;
alter default privileges in schema public grant all on sequences to anon, authenticated, service_role;
alter default privileges in schema graphql_public grant all on tables to anon, authenticated, service_role;
alter default privileges in schema graphql_public grant all on functions to anon, authenticated, service_role;
alter default privileges in schema graphql_public grant all on sequences to anon, authenticated, service_role;

do $$
begin
  if not exists (select from pg_publication where pubname = 'supabase_realtime') then
    create publication supabase_realtime;
  end if;
end
$$;
`;
