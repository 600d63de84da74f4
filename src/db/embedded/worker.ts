// Hosts PGlite on its own thread. PGlite runs every statement synchronously on the thread
// that owns it, so keeping it here means a slow query never stalls the HTTP event loop.
// The main thread serializes access; this side just executes messages in order.
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite, parse as pgParse, protocol, type PGliteOptions } from '@electric-sql/pglite';
import { pgcrypto } from '@electric-sql/pglite/contrib/pgcrypto';
import { uuid_ossp } from '@electric-sql/pglite/contrib/uuid_ossp';
import { quoteIdent } from '../../lib/sql.ts';
import { dbErrorFrom, isStaleStatement } from '../errors.ts';
import { parsers } from '../types.ts';
import { encodePipeline, readPipeline, StatementCache, type ItemResult, type Serializer } from './prepared-pipeline.ts';
import { JobCells } from './job-cells.ts';
import type { SerializedError, WorkerInit, WorkerMessage, WorkerReply, WorkerRequest } from './protocol.ts';
import { copyTemplate, dropTemplate, keepTemplate } from './template.ts';

// PGlite compiles its WebAssembly asynchronously by default, and V8 then finishes that
// compilation on this thread's first turn after the database opened: the first request
// waited 200-240 ms for it (measured). Compiled synchronously, inside PGlite.create, the
// open takes no longer and nothing is left for later. (V8 flags are per process: any other
// WebAssembly the process compiles is compiled synchronously too.)
setFlagsFromString('--no-wasm-async-compilation');

const port = parentPort;
if (port === null) throw new Error('worker.ts must run as a worker thread');
const init = workerData as WorkerInit;
const send = (m: WorkerMessage, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);
const cells = new JobCells(init.cells);

function serialize(e: unknown): SerializedError {
  const db = dbErrorFrom(e);
  if (db !== undefined) {
    return {
      kind: 'db',
      fields: { sqlstate: db.sqlstate, message: db.message, detail: db.detail, hint: db.hint, position: db.position, where: db.where },
    };
  }
  const message = e instanceof Error ? e.message : String(e);
  // PGlite checks parameter values in JavaScript before PostgreSQL sees them ("Invalid
  // input for bytea type"): that is bad input, as PostgreSQL's own 22P02 would be.
  if (message.startsWith('Invalid input for ')) return { kind: 'db', fields: { sqlstate: '22P02', message } };
  return { kind: 'other', message };
}

const parserOptions = Object.fromEntries(parsers);
/** A port client's answer goes back in pieces of about this size (a COPY TO or a large result is not held whole). */
const WIRE_CHUNK = 256 * 1024;
let pg: PGlite;
const unlisteners = new Map<string, () => Promise<void>>();

/** Prepared statements the API keeps in the session; past this, the least recently used is closed. */
const STATEMENT_CACHE_SIZE = 500;
const statements = new StatementCache(STATEMENT_CACHE_SIZE);
const serializer: Serializer = protocol.serialize;

const rowCountOf = (res: { fields: unknown[]; rows: unknown[]; affectedRows?: number }) => (res.fields.length > 0 ? res.rows.length : (res.affectedRows ?? 0));

async function runPipeline(items: ReadonlyArray<{ readonly text: string; readonly values: Array<string | null> }>): Promise<ItemResult[]> {
  const resultOf = (messages: Parameters<typeof pgParse.parseResults>[0]): ItemResult => {
    const [res] = pgParse.parseResults(messages, pg.parsers, { rowMode: 'object' });
    return { rows: (res?.rows ?? []) as Record<string, unknown>[], rowCount: res === undefined ? 0 : rowCountOf(res) };
  };
  for (let attempt = 0; ; attempt++) {
    const encoded = encodePipeline(items, statements, serializer);
    const messages = await pg.execProtocolStream(encoded.message, { throwOnError: false });
    const { results, failure } = readPipeline(messages, encoded, statements, resultOf);
    if (failure === undefined) return results;
    // The Sync left the transaction failed, not ended: rolled back here. The items begin it
    // and a write pipeline has no COMMIT among them, so trying again runs it all once.
    if (pg.isInTransaction()) await pg.exec('rollback');
    if (attempt > 0 || !isStaleStatement(dbErrorFrom(failure))) throw failure;
    statements.clear();
  }
}

/** Runs one request, unless the main thread cancelled it before it started, and answers it. */
async function handle(req: WorkerRequest): Promise<void> {
  if (!cells.start(req.slot)) return send({ id: req.id, ok: false, error: { kind: 'other', message: 'cancelled before it started' } });
  const reply = await run(req);
  cells.done(req.slot);
  send(reply);
}

async function run(req: WorkerRequest): Promise<WorkerReply> {
  try {
    switch (req.op) {
      case 'query': {
        const res = await pg.query<Record<string, unknown>>(req.text, [...req.params], { rowMode: 'object' });
        return { id: req.id, ok: true, rows: res.rows, rowCount: rowCountOf(res) };
      }
      case 'script':
        await pg.exec(req.text);
        break;
      case 'batch': {
        const batch = [];
        for (const item of req.items) {
          const res = await pg.query<Record<string, unknown>>(item.text, [...item.params], { rowMode: 'object' });
          batch.push({ rows: res.rows, rowCount: rowCountOf(res) });
        }
        return { id: req.id, ok: true, rows: [], rowCount: 0, batch };
      }
      case 'pipeline': {
        const batch = await runPipeline(req.items);
        if (req.end !== undefined) {
          // Cancelled: the main thread has answered the caller and is restarting this thread.
          if (!cells.commit(req.slot)) {
            await pg.exec('rollback');
            throw new Error('transaction stopped before its commit');
          }
          await pg.exec(req.end);
        }
        return { id: req.id, ok: true, rows: [], rowCount: 0, batch };
      }
      case 'listen':
        if (!unlisteners.has(req.channel)) {
          const channel = req.channel;
          unlisteners.set(channel, await pg.listen(channel, (payload) => send({ event: 'notify', channel, payload })));
        }
        break;
      case 'unlisten':
        await unlisteners.get(req.channel)?.();
        unlisteners.delete(req.channel);
        break;
      case 'wire': {
        let parts: Uint8Array[] = [];
        let size = 0;
        const flush = () => {
          if (size === 0) return;
          // Its own buffer, so it can be transferred (PGlite hands out views of its heap).
          const data = new Uint8Array(size);
          let at = 0;
          for (const p of parts) {
            data.set(p, at);
            at += p.length;
          }
          parts = [];
          size = 0;
          send({ event: 'wire-data', id: req.id, data }, [data.buffer]);
        };
        await pg.execProtocolRawStream(req.bytes, {
          onRawData: (chunk) => {
            parts.push(chunk.slice());
            size += chunk.length;
            if (size >= WIRE_CHUNK) flush();
          },
        });
        flush();
        break;
      }
      case 'close':
        await pg.close();
        break;
    }
    return { id: req.id, ok: true, rows: [], rowCount: 0 };
  } catch (e) {
    return { id: req.id, ok: false, error: serialize(e) };
  }
}

/**
 * Opens the data directory. A new one is copied from the kept template when there is one
 * (a copy that fails to open is dropped with the template, and initdb runs instead);
 * otherwise PGlite runs initdb, and the result, closed cleanly, is kept as the template.
 */
async function open(): Promise<PGlite> {
  const options: PGliteOptions = {
    extensions: { pgcrypto, uuid_ossp },
    parsers: parserOptions,
    startParams: [...PGlite.defaultStartParams, ...Object.entries(init.settings).flatMap(([name, value]) => ['-c', `${name}=${value}`])],
  };
  const { pgdata, template } = init;
  if (template === undefined || existsSync(join(pgdata, 'PG_VERSION'))) return PGlite.create(pgdata, options);
  if (copyTemplate(template, pgdata)) {
    try {
      return await PGlite.create(pgdata, options);
    } catch {
      dropTemplate(template);
      rmSync(pgdata, { recursive: true, force: true });
    }
  }
  const initialised = await PGlite.create(pgdata, options);
  await initialised.close();
  keepTemplate(pgdata, template);
  return PGlite.create(pgdata, options);
}

try {
  pg = await open();
  // A standalone backend starts without a recorded session user, so a transaction-local
  // SET SESSION AUTHORIZATION (login views, src/db/login-view.ts) would outlive its
  // transaction. Recording the login user once gives the revert something to return to.
  const { rows } = await pg.query<{ user: string }>('select session_user as "user"');
  await pg.exec(`set session authorization ${quoteIdent(rows[0]?.user ?? 'postgres')}`);
  // PGlite queues calls itself, but handling one message at a time keeps replies in order.
  let chain = Promise.resolve();
  port.on('message', (req: WorkerRequest) => {
    chain = chain.then(() => handle(req));
  });
  send({ event: 'ready' });
} catch (e) {
  send({ event: 'init-failed', message: e instanceof Error ? e.message : String(e) });
}
