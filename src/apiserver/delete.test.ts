/**
 * Deletion: immediate vs graceful (pods bound to a node wait for their kubelet),
 * finalizers holding an object until they are cleared, propagation policies that add
 * the garbage collector's finalizers, preconditions, and deletecollection.
 */
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, configMap, deployment, pod, type TestServer } from './testharness.js';

let ts: TestServer;
const CM = '/api/v1/namespaces/default/configmaps';
const PODS = '/api/v1/namespaces/default/pods';
const DEP = '/apis/apps/v1/namespaces/default/deployments';

before(async () => {
  ts = await startTestServer();
});
after(async () => {
  await ts?.close();
});

describe('pods', () => {
  test('an unbound pod is deleted at once and returned', async () => {
    const c = await ts.post(PODS, pod('unbound'));
    const d = await ts.del(`${PODS}/unbound`);
    assert.equal(d.status, 200, d.text);
    assert.equal(d.json.kind, 'Pod', 'pods come back as the deleted object');
    assert.equal(d.json.metadata.uid, c.json.metadata.uid);
    assert.equal((await ts.get(`${PODS}/unbound`)).status, 404);
  });

  test('a bound pod is deleted gracefully and stays', async () => {
    await ts.post(PODS, pod('bound', {}, { nodeName: 'node-1', terminationGracePeriodSeconds: 45 }));
    const before = Date.now();
    const d = await ts.del(`${PODS}/bound`);
    assert.equal(d.status, 200, d.text);
    assert.equal(d.json.metadata.deletionGracePeriodSeconds, 45);
    const ts1 = Date.parse(d.json.metadata.deletionTimestamp as string);
    assert.ok(ts1 >= Math.floor(before / 1000) * 1000 + 44_000 && ts1 <= Date.now() + 46_000, `deletionTimestamp ${d.json.metadata.deletionTimestamp}`);
    const g = await ts.get(`${PODS}/bound`);
    assert.equal(g.status, 200, 'the object remains until its kubelet confirms');
    assert.ok(g.json.metadata.deletionTimestamp);

    // A shorter grace period shortens it; a longer one does not lengthen it.
    const longer = await ts.del(`${PODS}/bound?gracePeriodSeconds=100`);
    assert.equal(longer.json.metadata.deletionGracePeriodSeconds, 45);
    const shorter = await ts.del(`${PODS}/bound?gracePeriodSeconds=5`);
    assert.equal(shorter.json.metadata.deletionGracePeriodSeconds, 5);

    // gracePeriodSeconds=0 (the kubelet's confirmation) removes it.
    const now = await ts.del(`${PODS}/bound`, { kind: 'DeleteOptions', apiVersion: 'v1', gracePeriodSeconds: 0 });
    assert.equal(now.status, 200, now.text);
    assert.equal((await ts.get(`${PODS}/bound`)).status, 404);
  });

  test('gracePeriodSeconds=0 deletes a bound pod at once', async () => {
    await ts.post(PODS, pod('force', {}, { nodeName: 'node-1' }));
    const d = await ts.del(`${PODS}/force?gracePeriodSeconds=0`);
    assert.equal(d.status, 200);
    assert.equal((await ts.get(`${PODS}/force`)).status, 404);
  });
});

describe('finalizers', () => {
  test('block removal until cleared; the update that clears them deletes', async () => {
    await ts.post(CM, { ...configMap('held'), metadata: { name: 'held', finalizers: ['example.com/hold'] } });
    const d = await ts.del(`${CM}/held`);
    assert.equal(d.status, 200, d.text);
    assert.equal(d.json.kind, 'ConfigMap', 'a pending deletion answers with the object');
    assert.ok(d.json.metadata.deletionTimestamp);
    assert.equal(d.json.metadata.deletionGracePeriodSeconds, 0);

    const g = await ts.get(`${CM}/held`);
    assert.equal(g.status, 200);

    // Deleting again changes nothing.
    const again = await ts.del(`${CM}/held`);
    assert.equal(again.status, 200);
    assert.equal(again.json.metadata.resourceVersion, g.json.metadata.resourceVersion);

    // No new finalizers while deleting.
    const add = await ts.patch(`${CM}/held`, { metadata: { finalizers: ['example.com/hold', 'example.com/more'] } }, 'application/merge-patch+json');
    assert.equal(add.status, 422, add.text);
    assert.match(add.json.message, /no new finalizers can be added if the object is being deleted/);

    // Other updates are fine while it waits.
    const lab = await ts.patch(`${CM}/held`, { metadata: { labels: { waiting: 'yes' } } }, 'application/merge-patch+json');
    assert.equal(lab.status, 200, lab.text);

    const clear = await ts.patch(`${CM}/held`, { metadata: { finalizers: null } }, 'application/merge-patch+json');
    assert.equal(clear.status, 200, clear.text);
    assert.equal((await ts.get(`${CM}/held`)).status, 404);
  });

  test('propagationPolicy=Orphan adds the orphan finalizer', async () => {
    await ts.post(DEP, deployment('orphaned'));
    const d = await ts.del(`${DEP}/orphaned?propagationPolicy=Orphan`);
    assert.equal(d.status, 200, d.text);
    assert.deepEqual(d.json.metadata.finalizers, ['orphan']);
    assert.ok(d.json.metadata.deletionTimestamp);
    assert.equal((await ts.get(`${DEP}/orphaned`)).status, 200);
  });

  test('propagationPolicy=Foreground adds foregroundDeletion', async () => {
    await ts.post(DEP, deployment('fg'));
    const d = await ts.del(`${DEP}/fg`, { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Foreground' });
    assert.equal(d.status, 200, d.text);
    assert.deepEqual(d.json.metadata.finalizers, ['foregroundDeletion']);
  });

  test('propagationPolicy=Background deletes at once', async () => {
    await ts.post(DEP, deployment('bg'));
    const d = await ts.del(`${DEP}/bg?propagationPolicy=Background`);
    assert.equal(d.status, 200);
    assert.equal(d.json.kind, 'Status');
    assert.equal((await ts.get(`${DEP}/bg`)).status, 404);
  });

  test('orphanDependents=false on a held object answers 202', async () => {
    await ts.post(CM, { ...configMap('held2'), metadata: { name: 'held2', finalizers: ['example.com/hold'] } });
    const d = await ts.del(`${CM}/held2?orphanDependents=false`);
    assert.equal(d.status, 202, d.text);
  });
});

describe('preconditions', () => {
  test('uid and resourceVersion preconditions', async () => {
    const c = await ts.post(CM, configMap('pre'));
    const uid = await ts.del(`${CM}/pre`, { kind: 'DeleteOptions', apiVersion: 'v1', preconditions: { uid: 'nope' } });
    assert.equal(uid.status, 409);
    assert.match(uid.json.message, /Precondition failed: UID in precondition: nope, UID in object meta: /);
    const rv = await ts.del(`${CM}/pre`, { kind: 'DeleteOptions', apiVersion: 'v1', preconditions: { resourceVersion: '1' } });
    assert.equal(rv.status, 409);
    const ok = await ts.del(`${CM}/pre`, { kind: 'DeleteOptions', apiVersion: 'v1', preconditions: { uid: c.json.metadata.uid, resourceVersion: c.json.metadata.resourceVersion } });
    assert.equal(ok.status, 200, ok.text);
  });
});

describe('deletecollection', () => {
  test('with a label selector', async () => {
    await ts.post('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'dc' } });
    const base = '/api/v1/namespaces/dc/configmaps';
    for (const [n, tier] of [
      ['a', 'web'],
      ['b', 'web'],
      ['c', 'db'],
    ] as const) {
      assert.equal((await ts.post(base, configMap(n, {}, { tier }))).status, 201);
    }
    const d = await ts.del(`${base}?labelSelector=tier%3Dweb`);
    assert.equal(d.status, 200, d.text);
    assert.equal(d.json.kind, 'ConfigMapList');
    assert.deepEqual(
      d.json.items.map((i: { metadata: { name: string } }) => i.metadata.name),
      ['a', 'b'],
    );
    const left = (await ts.get(base)).json.items.map((i: { metadata: { name: string } }) => i.metadata.name);
    assert.deepEqual(left, ['c']);
  });

  test('dryRun deletes nothing', async () => {
    const rv = await ts.revision();
    const d = await ts.del('/api/v1/namespaces/dc/configmaps?dryRun=All');
    assert.equal(d.status, 200, d.text);
    assert.equal(d.json.items.length, 1);
    assert.equal(await ts.revision(), rv);
  });
});
