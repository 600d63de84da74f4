-- What the example Edge Functions (supabase/functions) work with: a queue of posts that
-- were just published, the notifications process-notifications makes of them, and the
-- Stripe events stripe-webhook has verified.

-- Supabase needs the extension created; Groundwork provides pgmq and skips this statement.
create extension if not exists pgmq;
select pgmq.create('post_published');

-- A post that becomes published (inserted so, or a draft published) queues one message.
-- Security definer: the author's role may not write to the queue itself.
create function public.enqueue_published_post() returns trigger
language plpgsql security definer set search_path = '' as $$
begin
  if tg_op = 'UPDATE' and old.published then
    return new;
  end if;
  perform pgmq.send('post_published', jsonb_build_object('post_id', new.id, 'author_id', new.author_id, 'title', new.title));
  return new;
end
$$;

create trigger posts_enqueue_published
  after insert or update of published on public.posts
  for each row when (new.published) execute function public.enqueue_published_post();

-- One notification per reader and post (the unique key makes a redelivered message harmless).
-- Written by the function with the service role; readers see and mark their own.
create table public.notifications (
  id bigint generated always as identity primary key,
  recipient_id uuid not null references public.profiles (id) on delete cascade,
  post_id uuid not null references public.posts (id) on delete cascade,
  message text not null,
  read boolean not null default false,
  created_at timestamptz not null default now(),
  unique (recipient_id, post_id)
);

alter table public.notifications enable row level security;

create policy "recipients read their notifications" on public.notifications
  for select using (auth.uid() = recipient_id);
create policy "recipients mark their notifications read" on public.notifications
  for update using (auth.uid() = recipient_id) with check (auth.uid() = recipient_id);

-- Verified Stripe events, keyed by Stripe's id: a retried delivery is kept once.
-- No policies: only the service role (the webhook) reads and writes them.
create table public.stripe_events (
  id text primary key,
  type text not null,
  livemode boolean not null,
  payload jsonb not null,
  received_at timestamptz not null default now()
);

alter table public.stripe_events enable row level security;
