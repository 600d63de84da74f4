// A log line written while a span is active carries its trace id (createLogger's mixin);
// one written outside any span does not.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { context, trace } from '@opentelemetry/api';
import { createLogger } from '../logger.ts';
import { useContextManager } from './context.ts';

it('writes the active trace id on log lines', async () => {
  const lines: Array<Record<string, unknown>> = [];
  const log = createLogger('info', { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
  const release = useContextManager();
  try {
    const span = trace.wrapSpanContext({ traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: 1 });
    await context.with(trace.setSpan(context.active(), span), async () => {
      await new Promise((r) => setTimeout(r, 1));
      log.info({ a: 1 }, 'inside');
    });
    log.info('outside');
  } finally {
    release();
  }
  assert.equal(lines[0]?.['traceId'], '0af7651916cd43dd8448eb211c80319c');
  assert.equal(lines[0]?.['a'], 1);
  assert.equal(lines[1]?.['msg'], 'outside');
  assert.equal('traceId' in (lines[1] ?? {}), false);
});
