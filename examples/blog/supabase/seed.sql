-- Two users with profiles, a published and a draft post each, and a few comments.
insert into auth.users (instance_id, id, aud, role, email, email_confirmed_at, raw_app_meta_data, raw_user_meta_data, created_at, updated_at)
values
  ('00000000-0000-0000-0000-000000000000', '11111111-1111-4111-8111-111111111111', 'authenticated', 'authenticated',
   'alice@example.com', now(), '{"provider":"email","providers":["email"]}', '{}', now(), now()),
  ('00000000-0000-0000-0000-000000000000', '22222222-2222-4222-8222-222222222222', 'authenticated', 'authenticated',
   'bob@example.com', now(), '{"provider":"email","providers":["email"]}', '{}', now(), now());

insert into public.profiles (id, username) values
  ('11111111-1111-4111-8111-111111111111', 'alice'),
  ('22222222-2222-4222-8222-222222222222', 'bob');

insert into public.posts (id, author_id, title, content, published, created_at) values
  ('aaaaaaaa-0000-4000-8000-000000000001', '11111111-1111-4111-8111-111111111111', 'Hello from Alice', 'My first post.', true, now() - interval '2 days'),
  ('aaaaaaaa-0000-4000-8000-000000000002', '11111111-1111-4111-8111-111111111111', 'Alice''s draft', 'Not ready yet.', false, now() - interval '1 day'),
  ('bbbbbbbb-0000-4000-8000-000000000001', '22222222-2222-4222-8222-222222222222', 'Bob writes', 'Hi, I am Bob.', true, now() - interval '3 hours'),
  ('bbbbbbbb-0000-4000-8000-000000000002', '22222222-2222-4222-8222-222222222222', 'Bob''s secret draft', 'Shh.', false, now());

insert into public.comments (post_id, author_id, body) values
  ('aaaaaaaa-0000-4000-8000-000000000001', '22222222-2222-4222-8222-222222222222', 'Welcome, Alice!'),
  ('bbbbbbbb-0000-4000-8000-000000000001', '11111111-1111-4111-8111-111111111111', 'Nice to meet you, Bob.');

-- Alice moderates.
insert into public.user_roles (user_id, role) values ('11111111-1111-4111-8111-111111111111', 'moderator');
