// Stripe's webhook: verifies the Stripe-Signature header against the raw body, then keeps
// the event in public.stripe_events (once per event id, since Stripe retries deliveries).
// verify_jwt is off for this function in config.toml: Stripe signs, it sends no JWT.
import Stripe from 'npm:stripe@23';
import { createClient } from 'npm:@supabase/supabase-js@2';

const stripe = new Stripe(Deno.env.get('STRIPE_SECRET_KEY')!, { httpClient: Stripe.createFetchHttpClient() });
// Deno has Web Crypto, not Node's crypto: the verifier must be the async one.
const cryptoProvider = Stripe.createSubtleCryptoProvider();
const supabase = createClient(Deno.env.get('SUPABASE_URL')!, Deno.env.get('SUPABASE_SERVICE_ROLE_KEY')!);

const json = (body: unknown, status: number) => Response.json(body, { status });

Deno.serve(async (req) => {
  if (req.method !== 'POST') return json({ error: 'method not allowed' }, 405);
  const signature = req.headers.get('Stripe-Signature');
  if (signature === null) return json({ error: 'missing Stripe-Signature header' }, 400);
  // The signature covers the exact bytes Stripe sent: read the text, never re-serialise JSON.
  const body = await req.text();
  let event: Stripe.Event;
  try {
    event = await stripe.webhooks.constructEventAsync(body, signature, Deno.env.get('STRIPE_WEBHOOK_SIGNING_SECRET')!, undefined, cryptoProvider);
  } catch (e) {
    return json({ error: `webhook signature verification failed: ${(e as Error).message}` }, 400);
  }

  console.log(`stripe event ${event.id} (${event.type})`);
  const { error } = await supabase
    .from('stripe_events')
    .upsert({ id: event.id, type: event.type, livemode: event.livemode, payload: event }, { onConflict: 'id', ignoreDuplicates: true });
  // A 500 makes Stripe deliver the event again later.
  if (error) return json({ error: error.message }, 500);
  return json({ received: true }, 200);
});
