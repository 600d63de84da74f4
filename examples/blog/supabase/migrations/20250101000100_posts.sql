-- Posts: readable when published or by their author; written only by their author.
create table public.posts (
  id uuid primary key default gen_random_uuid(),
  author_id uuid not null references public.profiles (id) on delete cascade,
  title text not null check (char_length(title) between 1 and 200),
  content text not null default '',
  published boolean not null default false,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index posts_author_idx on public.posts (author_id);
create index posts_published_created_idx on public.posts (published, created_at desc);

alter table public.posts enable row level security;

create policy "read published or own posts" on public.posts
  for select using (published or auth.uid() = author_id);
create policy "insert own posts" on public.posts
  for insert with check (auth.uid() = author_id);
create policy "update own posts" on public.posts
  for update using (auth.uid() = author_id) with check (auth.uid() = author_id);
create policy "delete own posts" on public.posts
  for delete using (auth.uid() = author_id);
