// Creates a post for the signed-in caller. The input is checked with Zod; the insert runs
// through the caller's own client, so row-level security applies as it would to the caller.
import { createClient } from 'npm:@supabase/supabase-js@2';
import { z } from 'npm:zod@4';
import { corsHeaders } from '../_shared/cors.ts';

const NewPost = z.object({
  title: z.string().trim().min(1).max(200),
  content: z.string().max(20_000).default(''),
  published: z.boolean().default(false),
});

const json = (body: unknown, status: number) => Response.json(body, { status, headers: corsHeaders });

Deno.serve(async (req) => {
  if (req.method === 'OPTIONS') return new Response('ok', { headers: corsHeaders });
  if (req.method !== 'POST') return json({ error: 'method not allowed' }, 405);

  let input: unknown;
  try {
    input = await req.json();
  } catch {
    return json({ error: 'the body must be JSON' }, 400);
  }
  const parsed = NewPost.safeParse(input);
  if (!parsed.success) return json({ error: 'invalid post', issues: parsed.error.issues }, 400);

  const supabase = createClient(Deno.env.get('SUPABASE_URL')!, Deno.env.get('SUPABASE_ANON_KEY')!, {
    global: { headers: { Authorization: req.headers.get('Authorization')! } },
  });
  // The anon key is a valid JWT too (the gateway lets it through), but it names no user.
  const { data: { user } } = await supabase.auth.getUser();
  if (!user) return json({ error: 'sign in to create a post' }, 401);

  const { data, error } = await supabase
    .from('posts')
    .insert({ ...parsed.data, author_id: user.id })
    .select()
    .single();
  // 42501: a policy refused it; 23xxx: a constraint (23503: the caller has no profile yet).
  if (error) return json({ error: error.message, code: error.code }, error.code === '42501' ? 403 : error.code?.startsWith('23') ? 400 : 500);
  return json(data, 201);
});
