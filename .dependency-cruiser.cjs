// `npm run lint` checks the import graph of src/ with dependency-cruiser: no import circles
// anywhere, and the layers docs/ARCHITECTURE.md draws (Auth's http → flows → store/tokens →
// shared types; nothing below the app importing the app).
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'A file must not import a file that imports it back, directly or through others.',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'app-on-top',
      severity: 'error',
      comment: 'Only the CLI entry and the app itself import src/app/ (the module list and start-up).',
      from: { path: '^src/', pathNot: ['^src/app/', '^src/cli', '\\.test\\.ts$'] },
      to: { path: '^src/app/' },
    },
    {
      name: 'auth-flows-below-http',
      severity: 'error',
      comment: 'Auth flows do not know about HTTP.',
      from: { path: '^src/auth/(flows|messages|store|tokens|codes)/' },
      to: { path: '^src/auth/http/' },
    },
    {
      name: 'auth-store-below-flows',
      severity: 'error',
      comment: 'Auth stores, tokens, messages and codes do not call flows.',
      from: { path: '^src/auth/(messages|store|tokens|codes)/' },
      to: { path: '^src/auth/flows/' },
    },
    {
      name: 'auth-store-below-messages',
      severity: 'error',
      comment: 'Stores and tokens do not send messages.',
      from: { path: '^src/auth/(store|tokens|codes)/' },
      to: { path: '^src/auth/messages/' },
    },
    {
      name: 'auth-codes-pure',
      severity: 'error',
      comment: 'codes/ are pure: no store, tokens or database.',
      from: { path: '^src/auth/codes/' },
      to: { path: ['^src/auth/(store|tokens)/', '^src/db/'] },
    },
    {
      name: 'auth-shared-at-the-bottom',
      severity: 'error',
      comment: "Auth's shared types, errors and input rules import nothing of Auth's layers.",
      from: { path: '^src/auth/(types|errors|validate)\\.ts$' },
      to: { path: '^src/auth/[^/]+/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: ['node_modules', '\\.json$'] },
  },
};
