// Bootstrap v7: `authenticator` may turn on query identifiers for one transaction, which a
// verbose plan (`Accept: application/vnd.pgrst.plan; options=verbose`) shows, as on
// Supabase, whose databases compute them for pg_stat_statements. `compute_query_id` is a
// superuser's setting; PostgreSQL 15 lets one grant it. A bootstrapping role that may not
// grant it leaves verbose plans refused (42501) and says so.
export const queryIds = /* sql */ `
do $$
begin
  grant set on parameter compute_query_id to authenticator;
exception when insufficient_privilege then
  raise warning 'authenticator may not set compute_query_id: verbose query plans will be refused';
end
$$;
`;
