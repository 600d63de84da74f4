// The log level of what happens to requests: a client that went away is the client's
// doing (info); a server-side failure is an error.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { createLogger, loggingObserver } from './logger.ts';
import type { Observation } from './events.ts';

function logOf(o: Observation): { level: number; msg: string } & Record<string, unknown> {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  loggingObserver(createLogger('trace', sink))(o);
  assert.equal(lines.length, 1);
  return JSON.parse(lines[0] ?? '') as { level: number; msg: string };
}

const INFO = 30;
const ERROR = 50;

describe('request log levels', () => {
  it('logs a request aborted by its client at info', () => {
    const line = logOf({ type: 'request-aborted', requestId: 'r1', method: 'POST', url: '/rest/v1/films', ms: 12.5 });
    assert.equal(line.level, INFO);
    assert.equal(line.msg, 'POST /rest/v1/films aborted by the client');
    assert.equal(line['requestId'], 'r1');
  });

  it("logs a failure that is the request stream's abort at info, any other failure at error", () => {
    const aborted = Object.assign(new Error('aborted'), { code: 'ECONNRESET' });
    assert.equal(logOf({ type: 'request-failed', requestId: 'r2', error: aborted }).level, INFO);
    assert.equal(logOf({ type: 'request-failed', requestId: 'r3', error: new Error('boom') }).level, ERROR);
    assert.equal(logOf({ type: 'request-failed', requestId: 'r4', error: Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }) }).level, ERROR);
  });

  it('logs a request refused below routing at info, with its reason', () => {
    const line = logOf({ type: 'client-error', requestId: 'r5', status: 431, code: 'GW431', reason: 'HPE_HEADER_OVERFLOW', method: 'GET', url: undefined });
    assert.equal(line.level, INFO);
    assert.equal(line['reason'], 'HPE_HEADER_OVERFLOW');
    assert.equal(line['status'], 431);
  });
});

describe('database port log levels', () => {
  it('logs a connection the port ended at warn, or at info when every connection ended (shutdown, restart)', () => {
    const idle = logOf({ type: 'db-port-connection-ended', pid: 3, code: '25P03', message: 'terminating connection due to idle-in-transaction timeout' });
    assert.equal(idle.level, 40);
    assert.equal(idle.msg, 'database port connection ended: terminating connection due to idle-in-transaction timeout');
    assert.deepEqual([idle['pid'], idle['code']], [3, '25P03']);
    assert.equal(logOf({ type: 'db-port-connection-ended', pid: 4, code: '57P01', message: 'terminating connection due to administrator command' }).level, INFO);
  });
});
