-- Roles carried in the access token: user (everyone), moderator, admin. The custom access
-- token hook below puts the caller's role into the `user_role` claim; policies read it.
create type public.app_role as enum ('user', 'moderator', 'admin');

create table public.user_roles (
  user_id uuid primary key references auth.users (id) on delete cascade,
  role public.app_role not null default 'user'
);
alter table public.user_roles enable row level security;
create policy "users read their own role" on public.user_roles
  for select using (auth.uid() = user_id);
-- No write policies: roles are assigned with the service_role key or in SQL.

-- Configured in .env: GROUNDWORK_AUTH_HOOK_CUSTOM_ACCESS_TOKEN=public.custom_access_token_hook
create function public.custom_access_token_hook(event jsonb) returns jsonb
language plpgsql stable as $$
declare
  claims jsonb := event -> 'claims';
  assigned public.app_role;
begin
  select role into assigned from public.user_roles where user_id = (event ->> 'user_id')::uuid;
  claims := jsonb_set(claims, '{user_role}', to_jsonb(coalesce(assigned, 'user')::text));
  return jsonb_build_object('claims', claims);
end
$$;
-- The hook runs as Groundwork's own database role; the API roles have no business calling it.
revoke execute on function public.custom_access_token_hook(jsonb) from anon, authenticated;

create function public.jwt_role() returns text language sql stable as
  $$ select coalesce(auth.jwt() ->> 'user_role', 'user') $$;

-- Moderators and admins may remove any comment; admins may edit any post.
create policy "moderators delete any comment" on public.comments
  for delete using (public.jwt_role() in ('moderator', 'admin'));
create policy "admins update any post" on public.posts
  for update using (public.jwt_role() = 'admin');
