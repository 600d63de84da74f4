import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Worker } from '../http/module.ts';
import type { Observation } from '../observe/events.ts';
import { startWorkers } from './workers.ts';

function fakes(log: string[], failing: { start?: string; stop?: string } = {}): Worker[] {
  return ['mail', 'sms', 'cron'].map((name) => ({
    name,
    start: async () => {
      if (failing.start === name) throw new Error(`${name} cannot start`);
      log.push(`start ${name}`);
    },
    stop: async () => {
      if (failing.stop === name) throw new Error(`${name} cannot stop`);
      log.push(`stop ${name}`);
    },
  }));
}

describe('module workers', () => {
  it('start in order and stop newest first, once', async () => {
    const log: string[] = [];
    const running = await startWorkers(fakes(log), () => undefined);
    await running.stop();
    await running.stop();
    assert.deepEqual(log, ['start mail', 'start sms', 'start cron', 'stop cron', 'stop sms', 'stop mail']);
  });

  it('stop the ones already started when one fails to start', async () => {
    const log: string[] = [];
    await assert.rejects(startWorkers(fakes(log, { start: 'cron' }), () => undefined), /cron cannot start/);
    assert.deepEqual(log, ['start mail', 'start sms', 'stop sms', 'stop mail']);
  });

  it('report a worker that fails to stop and stop the others', async () => {
    const log: string[] = [];
    const events: Observation[] = [];
    const running = await startWorkers(fakes(log, { stop: 'sms' }), (e) => events.push(e));
    await running.stop();
    assert.deepEqual(log, ['start mail', 'start sms', 'start cron', 'stop cron', 'stop mail']);
    assert.deepEqual(events, [{ type: 'worker-stop-failed', worker: 'sms', error: 'sms cannot stop' }]);
  });
});
