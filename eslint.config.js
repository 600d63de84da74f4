// Lint rules that guard the architecture, not just style: no `any` leaking out of
// modules, and no environment reads outside the one config loader.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', '**/.groundwork/', 'src/functions/runtime/deno/', '**/supabase/functions/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/explicit-module-boundary-types': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-properties': ['error', { object: 'process', property: 'env', message: 'Read configuration through src/config; only the config loader and the CLI entry see the environment.' }],
    },
  },
  {
    files: ['src/config/load.ts', 'src/cli.ts', 'scripts/**', 'test/**', '**/*.test.ts'],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    // dependency-cruiser reads its configuration as CommonJS.
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { module: 'writable' } },
  },
  {
    files: ['**/*.test.ts', 'test/**', 'scripts/**'],
    rules: { '@typescript-eslint/explicit-module-boundary-types': 'off' },
  },
);
