// Bootstrap v9: a schema version the DDL watch bumps in the DDL's own transaction, so that a
// start can tell whether the schema cache it wrote last time (src/schema-cache/snapshot.ts)
// still describes the database: on PGlite the introspection is a third of a start. Only
// where the event triggers exist (a superuser bootstrapped); elsewhere the version stays
// put and no snapshot is ever trusted. The function runs as whoever ran the DDL, hence
// security definer; `authenticator` reads the version because the schema cache is read
// as that login.
export const schemaVersion = /* sql */ `
-- The token tells this database from another that counted as far (a project reset, then
-- migrated again): the version alone would match a snapshot of the schema before.
create table if not exists _groundwork.schema_version (
  id boolean primary key default true check (id),
  token text not null default gen_random_uuid()::text,
  version bigint not null
);
insert into _groundwork.schema_version (version) values (0) on conflict (id) do nothing;
grant usage on schema _groundwork to authenticator;
grant select on _groundwork.schema_version to authenticator;

-- Temporary objects (a function's scratch table) leave the version alone: every bump locks
-- its one row until the DDL's transaction ends, which would queue such functions behind a
-- running migration.
create or replace function _groundwork.notify_schema_change() returns event_trigger
language plpgsql security definer set search_path = '' as $$
begin
  if (tg_event = 'sql_drop' and exists (select from pg_event_trigger_dropped_objects() d where not d.is_temporary))
     or (tg_event = 'ddl_command_end' and exists (select from pg_event_trigger_ddl_commands() c
                                                  where c.schema_name is null or c.schema_name not like 'pg\\_temp%')) then
    update _groundwork.schema_version set version = version + 1;
  end if;
  notify pgrst, 'reload schema';
end
$$;
`;
