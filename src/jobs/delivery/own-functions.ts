// Database webhooks and queue consumers may call this server's own functions
// (`http://127.0.0.1:54321/functions/v1/<name>`, as Supabase's dashboard points webhooks at
// Edge Functions) without listing loopback in GROUNDWORK_WEBHOOK_ALLOW: only that origin's
// /functions/v1/ paths pass, so the exception opens no other local service.
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

/** Whether a target URL is one of this server's functions; `externalUrl` is where it listens. */
export function ownFunctions(externalUrl: string): (url: URL) => boolean {
  const self = new URL(externalUrl);
  const port = self.port === '' ? (self.protocol === 'https:' ? '443' : '80') : self.port;
  const loopback = LOOPBACK.has(self.hostname);
  return (url) => {
    if (url.protocol !== self.protocol || !url.pathname.startsWith('/functions/v1/')) return false;
    if ((url.port === '' ? (url.protocol === 'https:' ? '443' : '80') : url.port) !== port) return false;
    return url.hostname === self.hostname || (loopback && LOOPBACK.has(url.hostname));
  };
}
