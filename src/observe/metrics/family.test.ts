import { it } from 'node:test';
import assert from 'node:assert/strict';
import { routeFamily, type RouteFamily } from './family.ts';

const cases: ReadonlyArray<readonly [string | undefined, RouteFamily]> = [
  ['/rest/v1/posts?select=*', 'rest'],
  ['/rest/v1', 'rest'],
  ['/rest/v1/', 'rest'],
  ['/rest/v1?x=1', 'rest'],
  ['/rest/v10/posts', 'other'],
  ['/restless', 'other'],
  ['/auth/v1/token?grant_type=password', 'auth'],
  ['/realtime/v1/api/broadcast', 'realtime'],
  ['/realtime/v1/websocket?apikey=k&vsn=1.0.0', 'realtime'],
  ['/functions/v1/hello/sub?q=1', 'functions'],
  ['/jobs/v1/deliveries', 'jobs'],
  ['/mcp', 'mcp'],
  ['/mcp/', 'mcp'],
  ['/mcpx', 'other'],
  ['/metrics', 'metrics'],
  ['/metrics?x', 'metrics'],
  ['/health', 'health'],
  ['/healthz', 'other'],
  ['/', 'other'],
  ['', 'other'],
  ['*', 'other'],
  [undefined, 'other'],
  ['/REST/v1/posts', 'other'],
];

for (const [url, family] of cases) {
  it(`${JSON.stringify(url)} is ${family}`, () => assert.equal(routeFamily(url), family));
}
