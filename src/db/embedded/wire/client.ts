// One connection to the database port. After the handshake its messages queue here and go
// to PGlite in turns: a turn holds the session (the mutex the API's transactions take) from
// the client's first message until PGlite is idle again (ReadyForQuery 'I' with nothing of an
// extended-protocol sequence pending), so a client's transaction is never interleaved with
// anyone else's. A turn applies the client's session settings first and saves and resets
// them last (session-state.ts). A client holding the session while idle is cut off.
import type { Socket } from 'node:net';
import { AbortedWhileWaiting } from '../../../lib/mutex.ts';
import { DbError } from '../../errors.ts';
import type { HeldSession, SessionHolder } from '../session-holder.ts';
import { BackendScanner } from './backend-scan.ts';
import { CopyInTracker, forwardable, type CopyStart } from './copy-in.ts';
import { backendKeyData, copyInResponse, errorResponse, MAX_MESSAGE_LENGTH, MessageReader, parameterStatus, ProtocolError, readyForQuery, T, type Message, type Problem } from './frames.ts';
import { Handshake } from './handshake.ts';
import { prefixNames } from './names.ts';
import type { ScramKeys } from './scram.ts';
import { enter, leave, reported, reportedFrom, type SessionState } from './session-state.ts';
import { cleanupMessages, forwardBatch } from './turn-messages.ts';

export interface ClientOptions {
  readonly holder: SessionHolder;
  readonly keys: ScramKeys;
  /** How long a client may hold the session without sending anything (0: no limit). */
  readonly idleTimeoutMs: number;
  readonly pid: number;
  readonly secret: number;
  readonly cancel: (pid: number, secret: number) => void;
  /** Told when the port ends the connection with an error. */
  readonly ended?: (problem: Problem) => void;
}

/** Messages forwarded to PGlite; any other type would make its backend exit. */
const FORWARDED = new Set<number>([T.query, T.parse, T.bind, T.execute, T.describe, T.close, T.sync, T.flush, T.functionCall, T.copyData, T.copyDone, T.copyFail]);
/** COPY data held back for its CopyDone is bounded like one PostgreSQL message. */
const MAX_HELD = MAX_MESSAGE_LENGTH;
/** PostgreSQL's authentication_timeout: a client must have proven its password by then. */
/** How long a statement whose client left may still run before the worker is restarted to stop it (as the API's). */
const ABANDONED_GRACE_MS = 1000;
const STARTUP_TIMEOUT_MS = 60_000;

class IdleTimeout extends Error {}

interface Pending {
  readonly message: Message;
  /** Set when the message starts a COPY FROM STDIN; `answered` once the port sent CopyInResponse. */
  readonly copy: CopyStart | undefined;
  answered?: boolean;
}

const fatal = (code: string, text: string, detail?: string): Problem => ({ severity: 'FATAL', code, message: text, ...(detail === undefined ? {} : { detail }) });
const CANCELLED: Problem = { severity: 'ERROR', code: '57014', message: 'canceling statement due to user request' };

export class WireClient {
  readonly #reader = new MessageReader();
  #handshake: Handshake | undefined;
  /** The client's session settings while its turn is not running. */
  #state: SessionState = { settings: [], role: 'none', authorization: '' };
  #pending: Pending[] = [];
  #pendingBytes = 0;
  readonly #copy = new CopyInTracker();
  /** Its prepared statements, by their names in the session (closed when it leaves). */
  readonly #statements = new Set<string>();
  readonly #prefix: string;
  #ready = false;
  #closed = false;
  #discardUntilSync = false;
  /** ReadyForQuery answers still to come, the last status, an extended sequence not yet synced. */
  #outstanding = 0;
  #status: 'I' | 'T' | 'E' = 'I';
  #midExtended = false;
  #turn: Promise<void> | undefined;
  #queued: AbortController | undefined;
  #wake: (() => void) | undefined;
  #session: HeldSession | undefined;
  #exchanging = false;
  #cancelled = false;
  #lost = false;
  readonly #scanner: BackendScanner;
  readonly #startupTimer: NodeJS.Timeout;
  readonly #done: Promise<void>;
  #resolveDone: () => void = () => undefined;

  constructor(
    private readonly socket: Socket,
    private readonly options: ClientOptions,
  ) {
    this.#prefix = `gw${options.pid}_`;
    this.#done = new Promise((resolve) => (this.#resolveDone = resolve));
    this.#scanner = new BackendScanner({
      ready: (status) => {
        this.#status = status;
        this.#outstanding = Math.max(0, this.#outstanding - 1);
      },
      notification: (channel, payload) => options.holder.deliver(channel, payload),
    });
    this.#handshake = new Handshake(options.keys, this.#reader, {
      write: (bytes) => this.#write(bytes),
      refuse: (problem) => this.terminate(problem),
      cancel: (pid, secret) => {
        options.cancel(pid, secret);
        this.#close();
      },
    });
    this.#startupTimer = setTimeout(() => this.#close(), STARTUP_TIMEOUT_MS);
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.#onData(chunk));
    socket.on('error', () => undefined); // 'close' follows
    socket.on('close', () => this.#close());
  }

  get pid(): number {
    return this.options.pid;
  }

  /** Settles once the socket is closed and the session is no longer held for this client. */
  get done(): Promise<void> {
    return this.#done;
  }

  /** Ends the connection with a FATAL error; a turn under way rolls back and cleans up. */
  terminate(problem: Problem): void {
    if (this.#closed) return;
    this.options.ended?.(problem);
    this.#write(errorResponse(problem));
    this.#close();
  }

  /**
   * The session is gone (the worker restarted): nothing of this client's is left in it. A
   * cancelled statement is answered first, as PostgreSQL answers a cancel (ERROR, then ready),
   * so drivers report 57014 for it before the connection ends.
   */
  sessionLost(): void {
    this.#lost = true;
    this.#statements.clear();
    if (this.#cancelled && !this.#closed) this.#write(Buffer.concat([errorResponse(CANCELLED), readyForQuery('I')]));
    this.terminate(fatal('57P01', 'terminating connection because the embedded database restarted', 'A running statement is stopped by restarting the embedded database, which ends every session of its port.'));
  }

  /** A CancelRequest for this connection: stops its running statement, or its wait for a turn. */
  cancel(): void {
    if (this.#exchanging && this.#session !== undefined) {
      this.#cancelled = true;
      this.#session.restart(new DbError({ sqlstate: '57014', message: 'canceling statement due to user request' }));
    } else if (this.#queued !== undefined && !this.#closed) {
      this.#queued.abort();
    }
  }

  #write(bytes: Buffer): void {
    if (bytes.length > 0 && !this.socket.destroyed && this.socket.writable) this.socket.write(bytes);
  }

  #close(): void {
    clearTimeout(this.#startupTimer);
    if (!this.#closed) {
      this.#closed = true;
      this.#pending = [];
      this.socket.end();
      setTimeout(() => this.socket.destroy(), 1000).unref();
    }
    // With nothing of this client's in the session, a turn it waits for is not needed.
    if (this.#statements.size === 0) this.#queued?.abort();
    // A statement still running for nobody holds everyone up: most end soon, the rest are stopped.
    if (this.#exchanging) {
      const session = this.#session;
      setTimeout(() => {
        if (this.#exchanging && this.#session === session) session?.restart(new DbError({ sqlstate: '57014', message: 'canceling statement due to user request' }), 'abort');
      }, ABANDONED_GRACE_MS).unref();
    }
    this.#wake?.();
    this.#schedule();
  }

  #onData(chunk: Buffer): void {
    if (this.#closed) return;
    this.#reader.push(chunk);
    try {
      if (this.#handshake !== undefined) {
        const request = this.#handshake.step();
        if (request === undefined) return;
        // Authenticated: the start-up turn may wait for the session as long as anyone's.
        clearTimeout(this.#startupTimer);
        this.#handshake = undefined;
        this.#reader.maxLength = MAX_MESSAGE_LENGTH;
        this.#state = { settings: request.settings, role: 'none', authorization: '' };
        this.#startTurn();
        return;
      }
    } catch (e) {
      if (!(e instanceof ProtocolError)) throw e;
      this.terminate(fatal('08P01', e.message));
      return;
    }
    this.#pump();
  }

  /** Reads the messages that arrived (once the start-up turn is over), then asks for a turn. */
  #pump(): void {
    if (this.#ready && !this.#closed) {
      try {
        this.#readMessages();
      } catch (e) {
        if (!(e instanceof ProtocolError)) throw e;
        this.terminate(fatal('08P01', e.message));
      }
    }
    this.#wake?.();
    this.#schedule();
  }

  #readMessages(): void {
    for (let m = this.#reader.next(); m !== undefined && !this.#closed; m = this.#reader.next()) {
      if (m.type === T.terminate) return this.#close();
      if (!FORWARDED.has(m.type)) return this.terminate(fatal('08P01', `invalid frontend message type ${m.type}`));
      if (this.#discardUntilSync) {
        // A cancelled sequence: PostgreSQL skips to its Sync and answers that.
        if (m.type === T.sync) {
          this.#discardUntilSync = false;
          this.#write(readyForQuery('I'));
        }
        continue;
      }
      // Renamed and read as it arrives, so a malformed message ends the connection here.
      const renamed = prefixNames(m, this.#prefix);
      this.#pending.push({ message: renamed, copy: this.#copy.starts(renamed) });
      this.#pendingBytes += m.body.length + 5;
      if (this.#pendingBytes > MAX_HELD) return this.terminate(fatal('54000', 'COPY data too large for the embedded database port'));
    }
  }

  /** Asks for the session when there is work for it: messages, or statements to close. */
  #schedule(): void {
    if (this.#turn !== undefined) return;
    if (this.#closed && (this.#statements.size === 0 || !this.#ready)) return this.#resolveDone();
    if (!this.#ready) return;
    if (!this.#closed && forwardable(this.#pending) === 0) {
      this.#answerCopyIn();
      return;
    }
    this.#hold((s) => (this.#closed ? this.#cleanup(s) : this.#runTurn(s)));
  }

  /**
   * Everything before a COPY FROM STDIN has run and been answered: the port answers its
   * CopyInResponse so the client sends the data, which then goes to PGlite with it.
   */
  #answerCopyIn(): void {
    const head = this.#pending[0];
    if (head?.copy === undefined || head.answered === true) return;
    head.answered = true;
    this.#write(copyInResponse(head.copy.binary));
  }

  #hold(work: (s: HeldSession) => Promise<void>): void {
    const waiting = new AbortController();
    this.#queued = waiting;
    this.#turn = this.options.holder
      .hold((s) => {
        this.#queued = undefined;
        this.#session = s;
        return work(s);
      }, waiting.signal)
      .catch((e: unknown) => this.#turnFailed(e))
      .finally(() => {
        this.#turn = undefined;
        this.#queued = undefined;
        this.#session = undefined;
        this.#pump();
      });
  }

  #turnFailed(e: unknown): void {
    if (e instanceof AbortedWhileWaiting) {
      if (!this.#closed) this.#cancelQueued();
      return;
    }
    if (this.#closed) return;
    const db = e instanceof DbError ? e : undefined;
    this.terminate(fatal(db?.sqlstate ?? '08006', db?.message ?? `the embedded database failed: ${e instanceof Error ? e.message : String(e)}`));
  }

  /** Cancelled while waiting for its turn: nothing ran; answer like PostgreSQL's cancel. */
  #cancelQueued(): void {
    const end = this.#pending.findIndex((p) => p.message.type === T.query || p.message.type === T.sync);
    this.#write(errorResponse(CANCELLED));
    if (end < 0) {
      this.#pending = [];
      this.#discardUntilSync = true;
    } else {
      this.#pending.splice(0, end + 1);
      this.#write(readyForQuery('I'));
    }
    this.#pendingBytes = this.#pending.reduce((n, p) => n + p.message.body.length + 5, 0);
  }

  /** The first turn: the start-up settings are applied, the reported ones read back. */
  #startTurn(): void {
    this.#hold(async (s) => {
      const api = await this.#enter(s);
      const [row] = (await s.batch([reported]))[0]?.rows ?? [];
      await this.#leave(s, api);
      if (this.#closed) return;
      const statuses = reportedFrom(row).map(([name, value]) => parameterStatus(name, value));
      this.#write(Buffer.concat([...statuses, backendKeyData(this.options.pid, this.options.secret), readyForQuery('I')]));
      this.#ready = true;
    });
  }

  #enter(s: HeldSession): Promise<SessionState> {
    return enter(s, this.#state);
  }

  /** Saves the client's settings (unless it is gone) and puts the API's back. */
  async #leave(s: HeldSession, api: SessionState): Promise<void> {
    const mine = await leave(s, api, this.options.holder.channels());
    if (!this.#closed) this.#state = { settings: mine.settings, role: mine.role, authorization: mine.authorization };
  }

  #idle(): boolean {
    return this.#outstanding === 0 && this.#status === 'I' && !this.#midExtended;
  }

  async #runTurn(s: HeldSession): Promise<void> {
    const api = await this.#enter(s);
    let forwarded = false;
    try {
      for (;;) {
        if (this.#closed) break;
        // Between two of this client's transactions, others waiting go first.
        if (this.#idle() && forwarded && this.options.holder.waiting > 0) break;
        const n = forwardable(this.#pending);
        if (n > 0) {
          await this.#forward(s, this.#pending.splice(0, n));
          forwarded = true;
          continue;
        }
        if (this.#idle()) break;
        this.#answerCopyIn();
        await this.#waitForClient();
      }
    } catch (e) {
      if (this.#lost) throw e; // the session is gone: nothing to put back
      if (!(e instanceof IdleTimeout)) {
        // The worker failed under it: put back what can be, then report.
        await this.#cleanup(s).catch(() => undefined);
        await this.#leave(s, api).catch(() => undefined);
        throw e;
      }
      this.terminate(fatal('25P03', 'terminating connection due to idle-in-transaction timeout', `It held the embedded database's one session for ${this.options.idleTimeoutMs} ms without sending anything.`));
    }
    if (this.#closed) await this.#cleanup(s);
    await this.#leave(s, api);
  }

  /** A client gone (holding the session or not): a transaction rolls back, its statements go. */
  async #cleanup(s: HeldSession): Promise<void> {
    await s.exchange(cleanupMessages(this.#statements), () => undefined);
    this.#statements.clear();
  }

  async #forward(s: HeldSession, batch: readonly Pending[]): Promise<void> {
    this.#pendingBytes = this.#pending.reduce((n, p) => n + p.message.body.length + 5, 0);
    const { bytes, created, dropped, completes, extended } = forwardBatch(batch.map((p) => p.message));
    for (const name of created) this.#statements.add(name);
    for (const name of dropped) this.#statements.delete(name);
    this.#outstanding += completes;
    if (extended !== undefined) this.#midExtended = extended;
    this.#scanner.copyInsAnswered = batch.filter((p) => p.answered === true).length;
    this.#exchanging = true;
    try {
      await s.exchange(bytes, (data) => this.#write(this.#scanner.push(data)));
    } finally {
      this.#exchanging = false;
      this.#scanner.copyInsAnswered = 0;
    }
  }

  #waitForClient(): Promise<void> {
    return new Promise((resolve, reject) => {
      const limit = this.options.idleTimeoutMs;
      const timer = limit > 0 ? setTimeout(() => ((this.#wake = undefined), reject(new IdleTimeout())), limit) : undefined;
      this.#wake = () => {
        clearTimeout(timer);
        this.#wake = undefined;
        resolve();
      };
    });
  }
}
