// The realtime visibility check (src/realtime/changes/visibility.ts builds its queries),
// created by bootstrap v10 and again by v11 (a generic plan), for databases made at v10.
export const realtimeVisible = /* sql */ `
-- The visibility check for one table: query (built by the server from catalog names: it
-- answers which of the keys in $1 the current role and claims can SELECT now) is prepared
-- once, then run for each entry of checks ({k, role, claims}) as that role with those
-- claims. One entry's error is its own. A prepared plan serves every entry of one role:
-- PostgreSQL plans again when the role changes under a plan that RLS shaped. The plan is
-- the generic one: a custom plan for each entry (PostgreSQL's choice for an array
-- parameter) cost more than the check itself when a batch held a few rows.
create or replace function _groundwork.realtime_visible(query text, keys text[], checks jsonb)
returns table (k int, visible jsonb, error text)
language plpgsql set search_path = '' set plan_cache_mode = force_generic_plan as $$
declare
  c jsonb;
  run text;
begin
  -- PREPARE outlives a rolled-back transaction: one left by a failed call goes first.
  if exists (select from pg_prepared_statements where name = 'groundwork_realtime_visible') then
    deallocate groundwork_realtime_visible;
  end if;
  execute 'prepare groundwork_realtime_visible(text[]) as ' || query;
  -- EXECUTE takes no parameters: the keys go in once as a literal.
  run := format('execute groundwork_realtime_visible(%L)', keys);
  for c in select value from jsonb_array_elements(checks) loop
    k := (c->>'k')::int;
    begin
      perform set_config('role', c->>'role', true), set_config('request.jwt.claims', c->>'claims', true);
      execute run into visible;
      error := null;
    exception when others then
      visible := null;
      error := sqlstate || ' ' || sqlerrm;
    end;
    return next;
  end loop;
  deallocate groundwork_realtime_visible;
end
$$;
revoke execute on function _groundwork.realtime_visible(text, text[], jsonb) from public;
grant execute on function _groundwork.realtime_visible(text, text[], jsonb) to authenticator;
`;
