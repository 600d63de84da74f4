// A short, fixed-seed run of the fuzzer (`npm run fuzz`, test/fuzz) against this phase's
// database: malformed REST grammar, headers, bodies, Auth payloads and raw bytes must never
// get a 5xx, a dropped connection or an unreadable answer, /health must stay green and no
// row of the fixture may change. A failure prints the report with a replay command per case.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { dbKind } from '../support/db.ts';
import { startTestServer, type TestServer } from '../support/server.ts';
import { formatReport } from '../fuzz/report.ts';
import { passed, runFuzz } from '../fuzz/runner.ts';
import { FIXTURE_DIR, FUZZ_ENV, targetOf, type FuzzTarget } from '../fuzz/target.ts';

const SEED = 20250101;
const REQUESTS = 400;

describe(`fuzz, seed ${SEED} (${dbKind})`, () => {
  let s: TestServer;
  let target: FuzzTarget;
  before(async () => {
    s = await startTestServer({ projectDir: FIXTURE_DIR, env: { ...FUZZ_ENV } });
    target = await targetOf(dbKind, s.gw, s.events, () => s.stop());
  });
  after(() => target.stop());

  it(`answers ${REQUESTS} generated requests without a 5xx, a connection error or a changed row`, async () => {
    const result = await runFuzz(target, { seed: SEED, requests: REQUESTS, concurrency: 2, seconds: 40 });
    assert.ok(result.requests > 0);
    assert.ok(passed(result), formatReport(result, (i) => `npm run fuzz -- --seed ${SEED} --db ${dbKind} --index ${i}`, 40));
  });
});
