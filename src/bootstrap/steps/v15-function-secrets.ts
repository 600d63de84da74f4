// Bootstrap v15: the secrets functions read with Deno.env.get, set with `groundwork secrets
// set`. They live in the database so every node over it sees the same ones, and a statement
// trigger notifies `groundwork_functions` so running workers are replaced with the new
// environment, as Supabase applies secrets without a redeploy. Only Groundwork's admin
// connection reads them: no API role has any right on the table.
export const functionSecrets = /* sql */ `
create table if not exists _groundwork.function_secrets (
  name text primary key check (name ~ '^[A-Za-z_][A-Za-z0-9_]*$' and upper(name) !~ '^SUPABASE_'),
  value text not null,
  updated_at timestamptz not null default now()
);
revoke all on _groundwork.function_secrets from public;

create or replace function _groundwork.function_secrets_changed() returns trigger
language plpgsql as $$
begin
  perform pg_notify('groundwork_functions', 'secrets');
  return null;
end $$;

drop trigger if exists function_secrets_changed on _groundwork.function_secrets;
create trigger function_secrets_changed after insert or update or delete or truncate on _groundwork.function_secrets
  for each statement execute function _groundwork.function_secrets_changed();
`;
