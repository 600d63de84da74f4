// Bootstrap v1, part 3: reload the schema cache after DDL. Event triggers send
// NOTIFY pgrst, 'reload schema' (PostgREST's channel) when DDL runs; the notification is
// delivered when the transaction commits. Creating event triggers needs a superuser, which
// the embedded database always is; on a server without one, reload with NOTIFY by hand.
export const schemaWatch = /* sql */ `
create or replace function _groundwork.notify_schema_change() returns event_trigger
language plpgsql as $$
begin
  notify pgrst, 'reload schema';
end
$$;

do $$
begin
  if (select rolsuper from pg_roles where rolname = current_user) then
    if not exists (select from pg_event_trigger where evtname = 'groundwork_ddl_watch') then
      create event trigger groundwork_ddl_watch on ddl_command_end
        execute function _groundwork.notify_schema_change();
    end if;
    if not exists (select from pg_event_trigger where evtname = 'groundwork_drop_watch') then
      create event trigger groundwork_drop_watch on sql_drop
        execute function _groundwork.notify_schema_change();
    end if;
  end if;
end
$$;
`;
