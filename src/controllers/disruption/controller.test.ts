import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { setPodStatus, startControllerTestEnv, waitFor, type ControllerTestEnv } from '../common/testutil.js';
import { GVR } from '../common/types.js';
import type { KubeObject } from '../../client/types.js';
import { newDisruptionController } from './controller.js';
import type { PDB } from './pdb.js';

let t: ControllerTestEnv;

before(async () => {
  t = await startControllerTestEnv();
  await t.start(newDisruptionController(t.ctx));
});

after(async () => {
  if (process.env['CONTROLLER_TEST_LOGS']) console.error(t.logs.join('\n'));
  await t.close();
});

const getPDB = (name: string): Promise<PDB> => t.client.get<PDB>({ ...GVR.podDisruptionBudgets, namespace: 'default', name });

test('a PDB counts pods against the owning StatefulSet scale and follows readiness', async () => {
  const ss = await t.client.create<KubeObject>(GVR.statefulSets, {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'db', namespace: 'default' },
    spec: { replicas: 3, serviceName: 'db', selector: { matchLabels: { app: 'db' } }, template: { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'c', image: 'x' }] } } },
  });
  for (let i = 0; i < 3; i++) {
    await t.client.create(GVR.pods, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: `db-${i}`, namespace: 'default', labels: { app: 'db' }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'db', uid: ss.metadata?.uid ?? '', controller: true }] },
      spec: { containers: [{ name: 'c', image: 'x' }] },
    });
    await setPodStatus(t.client, 'default', `db-${i}`, { phase: 'Running', ready: true });
  }
  await t.client.create(GVR.podDisruptionBudgets, { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'db', namespace: 'default' }, spec: { maxUnavailable: 1, selector: { matchLabels: { app: 'db' } } } });
  const ok = await waitFor(async () => {
    const p = await getPDB('db');
    return p.status?.currentHealthy === 3 ? p : undefined;
  }, 'status');
  assert.deepEqual([ok.status?.expectedPods, ok.status?.desiredHealthy, ok.status?.disruptionsAllowed, ok.status?.observedGeneration], [3, 2, 1, 1]);
  assert.deepEqual(ok.status?.conditions?.map((c) => [c.type, c.status, c.reason]), [['DisruptionAllowed', 'True', 'SufficientPods']]);

  await setPodStatus(t.client, 'default', 'db-1', { ready: false });
  const short = await waitFor(async () => {
    const p = await getPDB('db');
    return p.status?.currentHealthy === 2 ? p : undefined;
  }, 'one unhealthy');
  assert.equal(short.status?.disruptionsAllowed, 0);
  assert.deepEqual(short.status?.conditions?.map((c) => [c.status, c.reason]), [['False', 'InsufficientPods']]);

  // Scaling the StatefulSet changes expectedPods.
  await t.client.patch({ ...GVR.statefulSets, namespace: 'default', name: 'db' }, 'merge', { spec: { replicas: 5 } });
  await waitFor(async () => (await getPDB('db')).status?.expectedPods === 5, 'expectedPods follows the scale');
});

test('minAvailable as a number counts matching pods; a percentage over unknown controllers fails safe', async () => {
  await t.client.create(GVR.pods, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'solo', namespace: 'default', labels: { app: 'solo' } }, spec: { containers: [{ name: 'c', image: 'x' }] } });
  await setPodStatus(t.client, 'default', 'solo', { phase: 'Running', ready: true });
  await t.client.create(GVR.podDisruptionBudgets, { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'solo', namespace: 'default' }, spec: { minAvailable: 1, selector: { matchLabels: { app: 'solo' } } } });
  const p = await waitFor(async () => {
    const x = await getPDB('solo');
    return x.status?.expectedPods === 1 ? x : undefined;
  }, 'solo status');
  assert.deepEqual([p.status?.currentHealthy, p.status?.desiredHealthy, p.status?.disruptionsAllowed], [1, 1, 0]);

  await t.client.create(GVR.pods, {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'orphaned', namespace: 'default', labels: { app: 'lost' }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'nope', uid: 'nope-uid', controller: true }] },
    spec: { containers: [{ name: 'c', image: 'x' }] },
  });
  await t.client.create(GVR.podDisruptionBudgets, { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'lost', namespace: 'default' }, spec: { minAvailable: '50%', selector: { matchLabels: { app: 'lost' } } } });
  const failed = await waitFor(async () => {
    const x = await getPDB('lost');
    return x.status?.conditions?.[0]?.reason === 'SyncFailed' ? x : undefined;
  }, 'SyncFailed');
  assert.equal(failed.status?.disruptionsAllowed, 0);
  assert.match(failed.status?.conditions?.[0]?.message ?? '', /found no controllers for pod "orphaned"/);
});
