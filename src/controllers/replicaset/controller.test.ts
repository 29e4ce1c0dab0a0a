import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { eventually } from '../../client/testenv.js';
import type { KubeObject } from '../../client/types.js';
import { newReplicaSetController, newReplicationControllerController, REPLICASETS, REPLICATIONCONTROLLERS } from './controller.js';
import { getControllerOf } from '../../apimachinery/meta.js';
import type { ReplicaSetLike } from '../common/replicaset.js';
import { listObjects, startControllerTestEnv, startPodReadier, type ControllerTestEnv } from '../common/testutil.js';
import { GVR } from '../common/types.js';

const NS = 'default';

function replicaSet(name: string, replicas: number, labels: Record<string, string> = { app: name }, extra: Record<string, unknown> = {}): ReplicaSetLike {
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name, namespace: NS },
    spec: { replicas, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'c', image: 'busybox' }] } }, ...extra },
  };
}

describe('ReplicaSet controller (in-process API server)', () => {
  let h: ControllerTestEnv;
  let readier: ReturnType<typeof startPodReadier>;
  before(async () => {
    h = await startControllerTestEnv();
    readier = startPodReadier(h.client, (p) => p.metadata?.labels?.['noready'] === 'true');
    await h.start(newReplicaSetController(h.ctx), newReplicationControllerController(h.ctx));
  });
  after(async () => {
    await readier.stop();
    await h.close();
  });

  const getRS = (name: string): Promise<ReplicaSetLike> => h.client.get<ReplicaSetLike>({ ...REPLICASETS, namespace: NS, name });

  test('scales up with owned pods and reports status, then scales down', async () => {
    const rs = await h.client.create<ReplicaSetLike>({ ...REPLICASETS, namespace: NS }, replicaSet('web', 3));
    await eventually(async () => (await listObjects(h.client, GVR.pods, NS, 'app=web')).length === 3, 5000, '3 pods');
    const pods = await listObjects(h.client, GVR.pods, NS, 'app=web');
    for (const p of pods) {
      assert.match(p.metadata?.name ?? '', /^web-[a-z0-9]{5}$/);
      assert.deepEqual(p.metadata?.ownerReferences, [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: rs.metadata?.uid, controller: true, blockOwnerDeletion: true }]);
    }
    await eventually(async () => (await getRS('web')).status?.availableReplicas === 3, 5000, 'available 3');
    const st = (await getRS('web')).status;
    assert.deepEqual(st, { replicas: 3, fullyLabeledReplicas: 3, readyReplicas: 3, availableReplicas: 3, observedGeneration: 1 });

    await h.client.patch({ ...REPLICASETS, namespace: NS, name: 'web' }, 'merge', { spec: { replicas: 1 } });
    await eventually(async () => (await listObjects(h.client, GVR.pods, NS, 'app=web')).length === 1, 5000, 'down to 1 pod');
    await eventually(async () => {
      const s = (await getRS('web')).status;
      return s?.replicas === 1 && s.observedGeneration === 2;
    }, 5000, 'status after scale down');
    const events = await h.client.list<KubeObject & { reason?: string; message?: string }>({ group: '', version: 'v1', resource: 'events', namespace: NS });
    const reasons = events.items.filter((e) => (e['involvedObject'] as { name?: string }).name === 'web').map((e) => e.reason);
    assert.ok(reasons.includes('SuccessfulCreate'), `events: ${reasons.join(',')}`);
    assert.ok(reasons.includes('SuccessfulDelete'), `events: ${reasons.join(',')}`);
  });

  test('scale down deletes not-ready pods before ready ones', async () => {
    await h.client.create({ ...GVR.pods, namespace: NS }, { metadata: { name: 'slow-unready', labels: { app: 'slow', noready: 'true' } }, spec: { containers: [{ name: 'c', image: 'x' }] } });
    await h.client.create<ReplicaSetLike>({ ...REPLICASETS, namespace: NS }, replicaSet('slow', 3, { app: 'slow' }));
    await eventually(async () => (await getRS('slow')).status?.readyReplicas === 2 && (await getRS('slow')).status?.replicas === 3, 5000, 'adopted + 2 ready');
    await h.client.patch({ ...REPLICASETS, namespace: NS, name: 'slow' }, 'merge', { spec: { replicas: 2 } });
    await eventually(async () => (await listObjects(h.client, GVR.pods, NS, 'app=slow')).length === 2, 5000, 'down to 2');
    const names = (await listObjects(h.client, GVR.pods, NS, 'app=slow')).map((p) => p.metadata?.name);
    assert.ok(!names.includes('slow-unready'), `the not-ready pod goes first: ${names.join(',')}`);
  });

  test('adopts matching orphans and releases pods that stop matching', async () => {
    await h.client.create({ ...GVR.pods, namespace: NS }, { metadata: { name: 'orphan', labels: { app: 'adopt' } }, spec: { containers: [{ name: 'c', image: 'x' }] } });
    const rs = await h.client.create<ReplicaSetLike>({ ...REPLICASETS, namespace: NS }, replicaSet('adopt', 2));
    await eventually(async () => (await listObjects(h.client, GVR.pods, NS, 'app=adopt')).length === 2, 5000, '2 pods');
    const orphan = await h.client.get<KubeObject>({ ...GVR.pods, namespace: NS, name: 'orphan' });
    assert.equal(getControllerOf(orphan)?.uid, rs.metadata?.uid, 'adopted');
    // Relabel the orphan: it is released and replaced.
    await h.client.patch({ ...GVR.pods, namespace: NS, name: 'orphan' }, 'merge', { metadata: { labels: { app: 'other' } } });
    await eventually(async () => getControllerOf(await h.client.get<KubeObject>({ ...GVR.pods, namespace: NS, name: 'orphan' })) === undefined, 5000, 'released');
    await eventually(async () => (await listObjects(h.client, GVR.pods, NS, 'app=adopt')).length === 2, 5000, 'replaced');
  });

  test('creates refused because the namespace is terminating are not a ReplicaFailure', async () => {
    // Upstream ignores NamespaceTerminating create errors (the namespace controller is about
    // to delete the ReplicaSet anyway); ReplicaFailure itself is covered in status.test.ts.
    const ns = 'rf-ns';
    await h.client.create({ group: '', version: 'v1', resource: 'namespaces' }, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    const bad = replicaSet('bad', 0, { app: 'bad' });
    delete bad.metadata?.namespace;
    await h.client.create({ ...REPLICASETS, namespace: ns }, bad);
    await h.client.delete({ group: '', version: 'v1', resource: 'namespaces', name: ns });
    await h.client.patch({ ...REPLICASETS, namespace: ns, name: 'bad' }, 'merge', { spec: { replicas: 1 } });
    const get = () => h.client.get<ReplicaSetLike>({ ...REPLICASETS, namespace: ns, name: 'bad' });
    await eventually(async () => (await get()).status?.observedGeneration === 2, 5000, 'the scale-up was synced');
    const st = (await get()).status;
    assert.equal(st?.replicas ?? 0, 0);
    assert.equal(st?.conditions, undefined);
    assert.equal((await listObjects(h.client, GVR.pods, ns, 'app=bad')).length, 0);
  });

  test('a ReplicationController is served by the same code', async () => {
    await h.client.create({ ...REPLICATIONCONTROLLERS, namespace: NS }, {
      apiVersion: 'v1',
      kind: 'ReplicationController',
      metadata: { name: 'legacy' },
      spec: { replicas: 2, template: { metadata: { labels: { app: 'legacy' } }, spec: { containers: [{ name: 'c', image: 'x' }] } } },
    });
    await eventually(async () => (await listObjects(h.client, GVR.pods, NS, 'app=legacy')).length === 2, 5000, 'rc pods');
    const p = (await listObjects(h.client, GVR.pods, NS, 'app=legacy'))[0];
    assert.equal(getControllerOf(p)?.kind, 'ReplicationController');
    await eventually(async () => {
      const rc = await h.client.get<ReplicaSetLike>({ ...REPLICATIONCONTROLLERS, namespace: NS, name: 'legacy' });
      return rc.status?.readyReplicas === 2;
    }, 5000, 'rc status');
  });
});
