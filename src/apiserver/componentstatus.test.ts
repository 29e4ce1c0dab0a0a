/**
 * `kubectl get componentstatuses`: scheduler, controller-manager and the store, with
 * upstream's deprecation warning header.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from './testharness.js';

let ts: TestServer;
before(async () => {
  ts = await startTestServer({ server: { components: [{ name: 'scheduler', check: () => ({ healthy: true, message: 'ok' }) }] } });
});
after(async () => {
  await ts?.close();
});

test('componentstatuses lists scheduler, controller-manager and etcd-0', async () => {
  const r = await ts.get('/api/v1/componentstatuses');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.headers.warning, '299 - "v1 ComponentStatus is deprecated in v1.19+"');
  const byName = Object.fromEntries(r.json.items.map((i: any) => [i.metadata.name, i.conditions[0]]));
  assert.deepEqual(Object.keys(byName), ['scheduler', 'controller-manager', 'etcd-0']);
  assert.equal(byName.scheduler.status, 'True');
  assert.equal(byName['controller-manager'].status, 'False');
  assert.equal(byName['etcd-0'].status, 'True');
  const one = await ts.get('/api/v1/componentstatuses/etcd-0');
  assert.equal(one.json.conditions[0].message, '{"health":"true","reason":""}');
  assert.equal((await ts.get('/api/v1/componentstatuses/nope')).status, 404);
});
