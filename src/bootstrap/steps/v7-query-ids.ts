// Bootstrap v7: `authenticator` may turn on query identifiers for one transaction, which a
// verbose plan (`Accept: application/vnd.pgrst.plan; options=verbose`) shows, as on
// Supabase, whose databases compute them for pg_stat_statements. `compute_query_id` is a
// superuser's setting; PostgreSQL 15 lets one grant it. A bootstrapping role that may not
// grant it leaves verbose plans refused (42501) and says so.
//
// The grant lives in pg_parameter_acl, a cluster-wide catalog, so two databases
// bootstrapping at once (or several projects on one server) race on its one row: the loser
// gets "tuple concurrently updated" (XX000) or a unique violation. An existing grant is
// left alone, and a lost race is tried again after the winner commits.
export const queryIds = /* sql */ `
do $$
begin
  for attempt in 1..20 loop
    exit when has_parameter_privilege('authenticator', 'compute_query_id', 'SET');
    begin
      grant set on parameter compute_query_id to authenticator;
      exit;
    exception when internal_error or unique_violation then
      if attempt = 20 then raise; end if;
      perform pg_sleep(0.05);
    end;
  end loop;
exception when insufficient_privilege then
  raise warning 'authenticator may not set compute_query_id: verbose query plans will be refused';
end
$$;
`;
