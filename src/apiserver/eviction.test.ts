/**
 * The eviction subresource as `kubectl drain` uses it: 429 with a DisruptionBudget
 * cause when the budget is spent, otherwise the budget is charged and the pod deleted.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, pod, type TestServer } from './testharness.js';

let ts: TestServer;
const PODS = '/api/v1/namespaces/default/pods';
const PDBS = '/apis/policy/v1/namespaces/default/poddisruptionbudgets';

before(async () => {
  ts = await startTestServer();
});
after(async () => {
  await ts?.close();
});

async function runningPod(name: string, labels: Record<string, string>): Promise<void> {
  const c = await ts.post(PODS, pod(name, { metadata: { labels } }, { nodeName: 'n1' }));
  assert.equal(c.status, 201, c.text);
  const cur = c.json;
  cur.status = { phase: 'Running' };
  const s = await ts.put(`${PODS}/${name}/status`, cur);
  assert.equal(s.status, 200, s.text);
}

async function budget(name: string, app: string, allowed: number): Promise<void> {
  const c = await ts.post(PDBS, { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name }, spec: { minAvailable: 1, selector: { matchLabels: { app } } } });
  assert.equal(c.status, 201, c.text);
  const cur = c.json;
  cur.status = { observedGeneration: cur.metadata.generation, disruptionsAllowed: allowed, currentHealthy: 1, desiredHealthy: 1, expectedPods: 1 };
  const s = await ts.put(`${PDBS}/${name}/status`, cur);
  assert.equal(s.status, 200, s.text);
}

const eviction = (name: string) => ({ apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name, namespace: 'default' } });

test('a spent budget refuses the eviction with 429 and a DisruptionBudget cause', async () => {
  await runningPod('guarded', { app: 'guarded' });
  await budget('guarded-pdb', 'guarded', 0);
  const r = await ts.post(`${PODS}/guarded/eviction`, eviction('guarded'));
  assert.equal(r.status, 429, r.text);
  assert.equal(r.json.reason, 'TooManyRequests');
  assert.equal(r.json.message, "Cannot evict pod as it would violate the pod's disruption budget.");
  assert.equal(r.json.details.causes[0].reason, 'DisruptionBudget');
  assert.match(r.json.details.causes[0].message, /The disruption budget guarded-pdb needs 1 healthy pods and has 1 currently/);
  const still = await ts.get(`${PODS}/guarded`);
  assert.equal(still.json.metadata.deletionTimestamp, undefined);
});

test('an allowed eviction charges the budget and deletes the pod gracefully', async () => {
  await runningPod('free', { app: 'free' });
  await budget('free-pdb', 'free', 1);
  const r = await ts.post(`${PODS}/free/eviction`, eviction('free'));
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.status, 'Success');
  const p = await ts.get(`${PODS}/free`);
  assert.ok(p.json.metadata.deletionTimestamp, 'bound pod is terminating');
  const b = await ts.get(`${PDBS}/free-pdb`);
  assert.equal(b.json.status.disruptionsAllowed, 0);
  assert.ok(b.json.status.disruptedPods.free);
});

test('a pod without a budget is simply deleted; a missing pod is 404', async () => {
  await runningPod('lonely', { app: 'lonely' });
  assert.equal((await ts.post(`${PODS}/lonely/eviction`, eviction('lonely'))).status, 201);
  const missing = await ts.post(`${PODS}/nope/eviction`, eviction('nope'));
  assert.equal(missing.status, 404);
  assert.equal(missing.json.reason, 'NotFound');
});
