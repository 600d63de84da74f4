-- The custom access token hook runs as supabase_auth_admin, Auth's own database role, as in
-- Supabase: it may call the hook and read the roles it looks up, and nothing more.
grant execute on function public.custom_access_token_hook(jsonb) to supabase_auth_admin;
grant select on public.user_roles to supabase_auth_admin;
create policy "the token hook reads roles" on public.user_roles
  as permissive for select to supabase_auth_admin using (true);
