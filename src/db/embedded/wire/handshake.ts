// A port client's way in: requests for TLS or GSS encryption are declined ('N': the port
// listens on loopback by default and has no certificate), a cancel request is handed over,
// and the start-up message is answered with SCRAM-SHA-256 against the data directory's
// password. Nothing reaches the database before the password is proven.
import { authenticationOk, authenticationSasl, authenticationSaslContinue, authenticationSaslFinal, BodyReader, negotiateProtocolVersion, T, type MessageReader, type Problem } from './frames.ts';
import { ScramExchange, type ScramKeys } from './scram.ts';
import { isProblem, parseStartup, startupRequest, type StartupRequest } from './startup.ts';

const MECHANISM = 'SCRAM-SHA-256';
/** PostgreSQL's bound on an authentication message. */
const MAX_AUTH_MESSAGE = 65535;

export interface HandshakeIo {
  write(bytes: Buffer): void;
  /** Ends the connection with this error. */
  refuse(problem: Problem): void;
  /** A cancel request for another connection; this one ends without an answer. */
  cancel(pid: number, secret: number): void;
}

const authFailed = (user: string): Problem => ({ severity: 'FATAL', code: '28P01', message: `password authentication failed for user "${user}"` });

export class Handshake {
  #phase: 'packet' | 'sasl-initial' | 'sasl-final' | 'done' = 'packet';
  #request: StartupRequest | undefined;
  #scram: ScramExchange;

  /** `reader` is the connection's: its limit is an authentication message's until the end. */
  constructor(
    keys: ScramKeys,
    private readonly reader: MessageReader,
    private readonly io: HandshakeIo,
  ) {
    this.#scram = new ScramExchange(keys);
    reader.maxLength = MAX_AUTH_MESSAGE;
  }

  /** Consumes what has arrived; the request once the client is authenticated. */
  step(): StartupRequest | undefined {
    for (;;) {
      if (this.#phase === 'done') return undefined;
      if (this.#phase === 'packet') {
        const body = this.reader.nextStartup();
        if (body === undefined) return undefined;
        this.#packet(body);
        continue;
      }
      const m = this.reader.next();
      if (m === undefined) return undefined;
      if (m.type !== T.password) return this.#refuse({ severity: 'FATAL', code: '08P01', message: `expected SASL response, got message type ${m.type}` });
      const done = this.#sasl(m.body);
      if (done !== undefined) return done;
    }
  }

  #refuse(problem: Problem): undefined {
    this.#phase = 'done';
    this.io.refuse(problem);
    return undefined;
  }

  #packet(body: Buffer): void {
    const packet = parseStartup(body);
    if (packet.kind === 'ssl' || packet.kind === 'gssenc') {
      this.io.write(Buffer.from('N'));
      return;
    }
    if (packet.kind === 'cancel') {
      this.#phase = 'done';
      this.io.cancel(packet.pid, packet.secret);
      return;
    }
    const request = startupRequest(packet);
    if (isProblem(request)) {
      this.#refuse(request);
      return;
    }
    if (packet.minor > 0 || request.unrecognized.length > 0) this.io.write(negotiateProtocolVersion(0, request.unrecognized));
    this.#request = request;
    this.#phase = 'sasl-initial';
    this.io.write(authenticationSasl([MECHANISM]));
  }

  #sasl(body: Buffer): StartupRequest | undefined {
    const user = this.#request?.user ?? '';
    const r = new BodyReader(body);
    if (this.#phase === 'sasl-initial') {
      const mechanism = r.cstring();
      if (mechanism !== MECHANISM) return this.#refuse({ severity: 'FATAL', code: '28000', message: `client selected an invalid SASL authentication mechanism (${mechanism})` });
      const length = r.int32();
      const step = this.#scram.first(r.bytes(Math.max(0, length)).toString('utf8'));
      if (!step.ok) return this.#refuse({ ...authFailed(user), detail: step.reason });
      this.#phase = 'sasl-final';
      this.io.write(authenticationSaslContinue(step.reply));
      return undefined;
    }
    const step = this.#scram.final(body.toString('utf8'));
    if (!step.ok) return this.#refuse(step.reason === 'password does not match' ? authFailed(user) : { ...authFailed(user), detail: step.reason });
    this.#phase = 'done';
    this.io.write(Buffer.concat([authenticationSaslFinal(step.reply), authenticationOk()]));
    return this.#request;
  }
}
