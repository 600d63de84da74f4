// Bootstrap v8: Supabase's per-role statement timeouts, anon 3 s and authenticated (and
// the authenticator login) 8 s, unless the role already has one. They are ordinary role
// settings, so a migration changes them the Supabase way
// (`alter role authenticated set statement_timeout = '15s'`) and the schema cache reads
// them back (src/schema-cache/introspect.ts) for each request.
export const statementTimeouts = /* sql */ `
do $$
declare
  r record;
begin
  for r in select * from (values ('anon', '3s'), ('authenticated', '8s'), ('authenticator', '8s')) as d(role, timeout)
  loop
    if not exists (
      select from pg_db_role_setting s join pg_roles g on g.oid = s.setrole
      where g.rolname = r.role and s.setdatabase = 0 and exists (select from unnest(s.setconfig) c where c like 'statement\\_timeout=%')
    ) then
      execute format('alter role %I set statement_timeout = %L', r.role, r.timeout);
    end if;
  end loop;
exception when insufficient_privilege then
  raise warning 'could not set the roles'' statement timeouts: requests run without one';
end
$$;
`;
