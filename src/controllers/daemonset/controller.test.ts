import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ControllerRevision } from 'kubernetes-types/apps/v1.js';
import { listObjects, startControllerTestEnv, waitFor, type ControllerTestEnv } from '../common/testutil.js';
import { GVR, type Obj } from '../common/types.js';
import { newDaemonSetController } from './controller.js';
import { targetNodeName, type DS, type PodObj } from './daemon.js';

let t: ControllerTestEnv;

before(async () => {
  t = await startControllerTestEnv();
  for (const n of ['node-a', 'node-b', 'node-c']) {
    await t.client.create(GVR.nodes, { apiVersion: 'v1', kind: 'Node', metadata: { name: n, labels: { 'kubernetes.io/hostname': n } } });
  }
  await t.start(newDaemonSetController(t.ctx));
});

after(async () => {
  if (process.env["CONTROLLER_TEST_LOGS"]) console.error(t.logs.join("\n"));
  await t.close();
});

const dsPods = async (): Promise<PodObj[]> => (await listObjects<PodObj>(t.client, GVR.pods, 'default', 'app=agent')).filter((p) => p.metadata?.deletionTimestamp === undefined);

test('a DaemonSet runs one pod per node, pinned by node affinity, and replaces a deleted one', async () => {
  await t.client.create(GVR.daemonSets, {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'agent', namespace: 'default' },
    spec: {
      selector: { matchLabels: { app: 'agent' } },
      template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'a', image: 'agent:1' }] } },
    },
  });
  const pods = await waitFor(async () => {
    const p = await dsPods();
    return p.length === 3 ? p : undefined;
  }, 'three daemon pods');
  assert.deepEqual(pods.map((p) => targetNodeName(p)).sort(), ['node-a', 'node-b', 'node-c']);
  for (const p of pods) {
    assert.ok(p.metadata?.name?.startsWith('agent-'));
    assert.equal(p.metadata?.ownerReferences?.[0]?.kind, 'DaemonSet');
    assert.ok(p.metadata?.labels?.['controller-revision-hash']);
    assert.ok(p.spec?.tolerations?.some((x) => x.key === 'node.kubernetes.io/unschedulable'));
  }
  const revs = await listObjects<Obj<ControllerRevision>>(t.client, GVR.controllerRevisions, 'default');
  assert.equal(revs.length, 1);
  assert.equal(revs[0]?.revision, 1);
  assert.equal(revs[0]?.metadata?.name, `agent-${pods[0]?.metadata?.labels?.['controller-revision-hash']}`);

  const victim = pods.find((p) => targetNodeName(p) === 'node-b');
  await t.client.delete({ ...GVR.pods, namespace: 'default', name: victim?.metadata?.name ?? '' });
  const after = await waitFor(async () => {
    const p = await dsPods();
    return p.length === 3 && !p.some((x) => x.metadata?.name === victim?.metadata?.name) ? p : undefined;
  }, 'a replacement pod');
  assert.deepEqual(after.map((p) => targetNodeName(p)).sort(), ['node-a', 'node-b', 'node-c']);

  const ds = await waitFor(async () => {
    const d = await t.client.get<DS>({ ...GVR.daemonSets, namespace: 'default', name: 'agent' });
    return d.status?.desiredNumberScheduled === 3 && d.status.currentNumberScheduled === 3 && d.status.observedGeneration === 1 ? d : undefined;
  }, 'status');
  assert.equal(ds.status?.updatedNumberScheduled, 3);
  assert.equal(ds.status?.numberReady, 0);
});

test('a new node gets a daemon pod; a template change makes revision 2 and rolls the pods', async () => {
  await t.client.create(GVR.nodes, { apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-d' } });
  await waitFor(async () => (await dsPods()).some((p) => targetNodeName(p) === 'node-d'), 'pod on node-d');

  // A merge patch, as the controller writes the status meanwhile.
  await t.client.patch({ ...GVR.daemonSets, namespace: 'default', name: 'agent' }, 'merge', {
    spec: { template: { spec: { containers: [{ name: 'a', image: 'agent:2' }] } } },
  });
  await waitFor(async () => {
    const revs = await listObjects<Obj<ControllerRevision>>(t.client, GVR.controllerRevisions, 'default');
    return revs.length === 2 && revs.some((r) => r.revision === 2);
  }, 'revision 2');
  // The pods are not ready (no kubelet), so every old pod is unavailable and replaced.
  await waitFor(async () => {
    const p = await dsPods();
    return p.length === 4 && p.every((x) => x.spec?.containers[0]?.image === 'agent:2');
  }, 'updated pods', 8_000);
});
