// The reference page (GET /docs): Swagger UI over the three documents, every file served by
// this server (users' machines may be offline), under a Content-Security-Policy that allows
// only this origin's scripts and styles. Pure: the page, its start script and its style.

/** The documents the page offers, in the order of its menu. */
export const DOCUMENTS = [
  { name: 'REST (PostgREST)', url: '/openapi/rest.json', about: 'the tables, views and functions of the exposed schema' },
  { name: 'Auth', url: '/auth/v1/openapi.json', about: 'sign-up, sessions, users, MFA and the admin API' },
  { name: 'Platform and admin', url: '/openapi/admin.json', about: 'health, metrics, MCP, jobs, functions, Realtime broadcasts' },
] as const;

export const PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  // The documents, and "Try it out" against this server.
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The page; `v` busts browsers' caches of the assets when Swagger UI is upgraded. */
export function pageHtml(v: string): string {
  const asset = (file: string) => escapeHtml(`/docs/assets/${file}?v=${encodeURIComponent(v)}`);
  const links = DOCUMENTS.map((d) => `<a href="${escapeHtml(d.url)}" title="${escapeHtml(d.about)}">${escapeHtml(d.name)}</a>`).join(' · ');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Groundwork API reference</title>
<link rel="stylesheet" href="${asset('swagger-ui.css')}">
<link rel="stylesheet" href="${asset('index.css')}">
<link rel="stylesheet" href="${asset('page.css')}">
<link rel="icon" type="image/png" sizes="32x32" href="${asset('favicon-32x32.png')}">
<link rel="icon" type="image/png" sizes="16x16" href="${asset('favicon-16x16.png')}">
</head>
<body>
<header class="gw-docs"><strong>Groundwork API reference</strong><nav>Documents (JSON): ${links}</nav></header>
<noscript><p class="gw-docs">The reference needs JavaScript; the documents above are plain JSON.</p></noscript>
<div id="swagger-ui"></div>
<script src="${asset('swagger-ui-bundle.js')}"></script>
<script src="${asset('swagger-ui-standalone-preset.js')}"></script>
<script src="${asset('init.js')}"></script>
</body>
</html>
`;
}

/** Starts Swagger UI with the documents in its menu (a file: the policy allows no inline script). */
export function initScript(): string {
  const urls = DOCUMENTS.map((d) => ({ name: d.name, url: d.url }));
  return `// Groundwork: Swagger UI over this server's documents.
window.addEventListener('load', function () {
  window.ui = SwaggerUIBundle({
    urls: ${JSON.stringify(urls)},
    dom_id: '#swagger-ui',
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    plugins: [SwaggerUIBundle.plugins.DownloadUrl],
    layout: 'StandaloneLayout',
    // The default validator is a public web service: not from an offline page.
    validatorUrl: null,
    // Keys typed into "Authorize" are forgotten with the page.
    persistAuthorization: false,
  });
});
`;
}

export const PAGE_CSS = `.gw-docs { font-family: sans-serif; padding: 8px 20px; background: #1b1b1b; color: #fff; display: flex; gap: 24px; align-items: baseline; flex-wrap: wrap; }
.gw-docs a { color: #89bf04; }
`;
