// Functions at /functions/v1: where they live, the Deno runtime that runs them, and each
// worker's limits (Supabase's self-hosted defaults: 150 MB, 60 s). Part of the one settings
// table in settings.ts.
import { z } from 'zod';
import { bool, positive, whole } from './schemas.ts';

export const functionsSettings = {
  functionsDir: {
    env: 'GROUNDWORK_FUNCTIONS_DIR',
    flag: 'functions-dir',
    default: '<project>/supabase/functions',
    doc: 'The folder of functions: `<name>/index.ts` each, `_shared/` for shared code, `.env` for their secrets.',
    schema: z.string().min(1, 'must not be empty'),
  },
  functionsVerifyJwt: {
    env: 'GROUNDWORK_FUNCTIONS_VERIFY_JWT',
    flag: 'functions-verify-jwt',
    default: 'true',
    doc: 'Whether functions require a valid JWT by default (a function may say otherwise with `verify_jwt` in `supabase/config.toml`).',
    schema: bool,
  },
  functionsMemoryMb: {
    env: 'GROUNDWORK_FUNCTIONS_MEMORY_MB',
    flag: 'functions-memory-mb',
    default: '150',
    doc: "A function worker's JavaScript heap limit in MB; its whole process may use twice that. Past either, the worker is stopped and its requests answered 546.",
    schema: positive,
  },
  functionsTimeoutMs: {
    env: 'GROUNDWORK_FUNCTIONS_TIMEOUT_MS',
    flag: 'functions-timeout-ms',
    default: '60000',
    doc: 'How long a function invocation may take (wall clock) before it is answered 504 and its worker stopped.',
    schema: positive,
  },
  functionsCpuMs: {
    env: 'GROUNDWORK_FUNCTIONS_CPU_MS',
    flag: 'functions-cpu-ms',
    default: '10000',
    doc: 'CPU time a worker may spend while serving one invocation before it is stopped and answered 546 (`0`: no limit). Measured on Linux only.',
    schema: whole(),
  },
  functionsMaxWorkers: {
    env: 'GROUNDWORK_FUNCTIONS_MAX_WORKERS',
    flag: 'functions-max-workers',
    default: '8',
    doc: 'Function workers (Deno processes, one per function) alive at once on this node; past it the longest idle one is stopped, or the request waits.',
    schema: positive,
  },
  functionsIdleMs: {
    env: 'GROUNDWORK_FUNCTIONS_IDLE_MS',
    flag: 'functions-idle-ms',
    default: '300000',
    doc: 'An idle function worker is stopped after this long (the next invocation starts a new one).',
    schema: positive,
  },
  denoPath: {
    env: 'GROUNDWORK_DENO_PATH',
    flag: 'deno-path',
    default: '(the `deno` npm package)',
    doc: 'The Deno executable that runs functions.',
    schema: z.string().min(1, 'must not be empty'),
  },
};
