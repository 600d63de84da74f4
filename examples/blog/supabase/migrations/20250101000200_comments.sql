-- Comments on visible posts; each user writes and deletes only their own.
create table public.comments (
  id bigint generated always as identity primary key,
  post_id uuid not null references public.posts (id) on delete cascade,
  author_id uuid not null references public.profiles (id) on delete cascade,
  body text not null check (char_length(body) between 1 and 2000),
  created_at timestamptz not null default now()
);
create index comments_post_idx on public.comments (post_id);

alter table public.comments enable row level security;

-- The subquery runs under the posts policy too, so comments on hidden posts stay hidden.
create policy "read comments of visible posts" on public.comments
  for select using (exists (select 1 from public.posts p where p.id = post_id));
create policy "insert own comments" on public.comments
  for insert with check (auth.uid() = author_id);
create policy "delete own comments" on public.comments
  for delete using (auth.uid() = author_id);
