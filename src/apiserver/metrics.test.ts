/**
 * /metrics: request counts by upstream's verb/resource/code labels, and the number of
 * open watches in apiserver_longrunning_requests.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, configMap, type TestServer } from './testharness.js';

let ts: TestServer;
const CM = '/api/v1/namespaces/default/configmaps';

before(async () => {
  ts = await startTestServer();
});
after(async () => {
  await ts?.close();
});

/** The value of one sample whose labels include all of `labels`. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    const m = /^[^{]+\{(.*)\} (\S+)$/.exec(line);
    if (m === null) continue;
    const have = Object.fromEntries([...m[1]!.matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) return Number(m[2]);
  }
  return undefined;
}

test('apiserver_request_total counts by verb, resource and code', async () => {
  await ts.post(CM, configMap('m1'));
  await ts.get(CM);
  await ts.get(CM);
  await ts.get(`${CM}/m1`);
  await ts.get(`${CM}/missing`);
  await ts.patch(`${CM}/m1`, { data: { a: 'b' } }, 'application/merge-patch+json');
  await ts.del(`${CM}/m1`);
  const r = await ts.get('/metrics');
  assert.equal(r.status, 200);
  assert.match(String(r.headers['content-type']), /^text\/plain/);
  const t = r.text;
  assert.match(t, /# TYPE apiserver_request_total counter/);
  assert.equal(sample(t, 'apiserver_request_total', { verb: 'POST', resource: 'configmaps', code: '201', scope: 'namespace' }), 1);
  assert.equal(sample(t, 'apiserver_request_total', { verb: 'LIST', resource: 'configmaps', code: '200' }), 2);
  assert.equal(sample(t, 'apiserver_request_total', { verb: 'GET', resource: 'configmaps', code: '200', scope: 'resource' }), 1);
  assert.equal(sample(t, 'apiserver_request_total', { verb: 'GET', resource: 'configmaps', code: '404' }), 1);
  assert.equal(sample(t, 'apiserver_request_total', { verb: 'PATCH', resource: 'configmaps', code: '200' }), 1);
  assert.equal(sample(t, 'apiserver_request_total', { verb: 'DELETE', resource: 'configmaps', code: '200' }), 1);
  assert.ok((sample(t, 'apiserver_request_duration_seconds_count', { verb: 'LIST', resource: 'configmaps' }) ?? 0) >= 2);
});

test('apiserver_longrunning_requests counts open watches', async () => {
  const gauge = async (): Promise<number> => sample((await ts.get('/metrics')).text, 'apiserver_longrunning_requests', { verb: 'WATCH', resource: 'configmaps' }) ?? 0;
  const base = await gauge();
  const w1 = await ts.watch(`${CM}?watch=true`);
  const w2 = await ts.watch(`${CM}?watch=true&resourceVersion=0`);
  assert.equal(await gauge(), base + 2);
  w1.close();
  w2.close();
  for (let i = 0; i < 50 && (await gauge()) !== base; i++) await new Promise((r) => setTimeout(r, 10));
  assert.equal(await gauge(), base);
});
