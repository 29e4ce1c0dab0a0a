/**
 * Subresources: scale (an autoscaling/v1 Scale view of replicas), pods/binding and the
 * legacy bindings resource, and namespaces/finalize.
 */
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, deployment, pod, type TestServer } from './testharness.js';

let ts: TestServer;
const DEP = '/apis/apps/v1/namespaces/default/deployments';
const PODS = '/api/v1/namespaces/default/pods';

before(async () => {
  ts = await startTestServer();
});
after(async () => {
  await ts?.close();
});

describe('scale', () => {
  test('GET, PUT and PATCH', async () => {
    const c = await ts.post(DEP, deployment('scaled', 2));
    assert.equal(c.status, 201, c.text);

    const g = await ts.get(`${DEP}/scaled/scale`);
    assert.equal(g.status, 200, g.text);
    assert.equal(g.json.kind, 'Scale');
    assert.equal(g.json.apiVersion, 'autoscaling/v1');
    assert.equal(g.json.metadata.name, 'scaled');
    assert.equal(g.json.metadata.uid, c.json.metadata.uid);
    assert.equal(g.json.spec.replicas, 2);
    assert.equal(g.json.status.selector, 'app=scaled');

    const put = await ts.put(`${DEP}/scaled/scale`, { ...g.json, spec: { replicas: 5 } });
    assert.equal(put.status, 200, put.text);
    assert.equal(put.json.spec.replicas, 5);
    const dep = (await ts.get(`${DEP}/scaled`)).json;
    assert.equal(dep.spec.replicas, 5);
    assert.equal(dep.metadata.generation, 2, 'scaling is a spec change');

    const stale = await ts.put(`${DEP}/scaled/scale`, { ...g.json, spec: { replicas: 6 } });
    assert.equal(stale.status, 409, 'a Scale carrying an old resourceVersion conflicts');
    assert.equal(stale.json.reason, 'Conflict');

    const mp = await ts.patch(`${DEP}/scaled/scale`, { spec: { replicas: 1 } }, 'application/merge-patch+json');
    assert.equal(mp.status, 200, mp.text);
    assert.equal(mp.json.spec.replicas, 1);

    const jp = await ts.patch(`${DEP}/scaled/scale`, [{ op: 'replace', path: '/spec/replicas', value: 0 }], 'application/json-patch+json');
    assert.equal(jp.status, 200, jp.text);
    assert.equal(jp.json.spec.replicas, 0);

    const neg = await ts.patch(`${DEP}/scaled/scale`, { spec: { replicas: -1 } }, 'application/merge-patch+json');
    assert.equal(neg.status, 422);
    assert.match(neg.json.message, /^Scale\.autoscaling "scaled" is invalid: spec\.replicas: Invalid value: -1: must be greater than or equal to 0$/);

    const rv = await ts.revision();
    const dry = await ts.patch(`${DEP}/scaled/scale?dryRun=All`, { spec: { replicas: 9 } }, 'application/merge-patch+json');
    assert.equal(dry.status, 200);
    assert.equal(dry.json.spec.replicas, 9);
    assert.equal(await ts.revision(), rv);
    assert.equal((await ts.get(`${DEP}/scaled`)).json.spec.replicas, 0);
  });

  test('scale of a missing object is 404', async () => {
    const r = await ts.get(`${DEP}/ghost/scale`);
    assert.equal(r.status, 404);
    assert.match(r.json.message, /deployments\.apps "ghost" not found/);
  });
});

describe('binding', () => {
  test('pods/binding assigns a node once', async () => {
    await ts.post(PODS, pod('bind-me'));
    const b = await ts.post(`${PODS}/bind-me/binding`, { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'bind-me' }, target: { kind: 'Node', name: 'node-1' } });
    assert.equal(b.status, 201, b.text);
    assert.equal(b.json.kind, 'Status');
    assert.equal(b.json.status, 'Success');
    const p = (await ts.get(`${PODS}/bind-me`)).json;
    assert.equal(p.spec.nodeName, 'node-1');
    assert.ok(p.status.conditions.some((c: { type: string; status: string }) => c.type === 'PodScheduled' && c.status === 'True'));

    const again = await ts.post(`${PODS}/bind-me/binding`, { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'bind-me' }, target: { kind: 'Node', name: 'node-2' } });
    assert.equal(again.status, 409);
    assert.match(again.json.message, /is already assigned to node "node-1"/);
  });

  test('the legacy bindings resource', async () => {
    await ts.post(PODS, pod('legacy'));
    const b = await ts.post('/api/v1/namespaces/default/bindings', { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'legacy' }, target: { kind: 'Node', name: 'node-3' } });
    assert.equal(b.status, 201, b.text);
    assert.equal((await ts.get(`${PODS}/legacy`)).json.spec.nodeName, 'node-3');
  });

  test('a binding without a target is invalid', async () => {
    await ts.post(PODS, pod('no-target'));
    const b = await ts.post(`${PODS}/no-target/binding`, { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'no-target' } });
    assert.equal(b.status, 422);
    assert.match(b.json.message, /target\.name: Required value/);
  });

  test('binding a missing pod is 404', async () => {
    const b = await ts.post(`${PODS}/ghost/binding`, { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'ghost' }, target: { name: 'n' } });
    assert.equal(b.status, 404);
  });
});

describe('namespaces/finalize', () => {
  test('clearing spec.finalizers of a terminating namespace removes it', async () => {
    await ts.post('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'fin' } });
    const d = await ts.del('/api/v1/namespaces/fin');
    assert.equal(d.status, 200);
    assert.equal(d.json.status.phase, 'Terminating');
    assert.ok(d.json.metadata.deletionTimestamp);

    // The main resource cannot move spec.finalizers.
    const cur = (await ts.get('/api/v1/namespaces/fin')).json;
    const put = await ts.put('/api/v1/namespaces/fin', { ...cur, spec: { finalizers: [] } });
    assert.equal(put.status, 200, put.text);
    assert.deepEqual(put.json.spec.finalizers, ['kubernetes']);

    const fin = await ts.put('/api/v1/namespaces/fin/finalize', { ...put.json, spec: { finalizers: [] } });
    assert.equal(fin.status, 200, fin.text);
    assert.equal((await ts.get('/api/v1/namespaces/fin')).status, 404);
  });
});
