// Stands in for `jsr:@supabase/functions-js/edge-runtime.d.ts` (the Supabase CLI's
// template imports it for types only), so a function that imports it runs offline.
declare namespace EdgeRuntime {
  export function waitUntil<T>(promise: Promise<T>): Promise<T>;
}
