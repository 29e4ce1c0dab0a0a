import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { listObjects, setPodStatus, startControllerTestEnv, waitFor, type ControllerTestEnv } from '../common/testutil.js';
import { GVR } from '../common/types.js';
import { newStatefulSetController } from './controller.js';
import type { CR, PodObj, PVC, SS } from './stateful.js';

let t: ControllerTestEnv;

before(async () => {
  t = await startControllerTestEnv();
  await t.start(newStatefulSetController(t.ctx));
});

after(async () => {
  if (process.env['CONTROLLER_TEST_LOGS']) console.error(t.logs.join('\n'));
  await t.close();
});

const podNames = async (): Promise<string[]> =>
  (await listObjects<PodObj>(t.client, GVR.pods, 'default', 'app=web'))
    .filter((p) => p.metadata?.deletionTimestamp === undefined)
    .map((p) => p.metadata?.name ?? '')
    .sort();

async function makeReady(name: string): Promise<void> {
  await setPodStatus(t.client, 'default', name, { phase: 'Running', ready: true, podIP: '10.0.0.1' });
}

test('web-0, web-1, web-2 are created in order, each once its predecessor is ready; PVCs are made and kept on scale down', async () => {
  await t.client.create(GVR.statefulSets, {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      replicas: 3,
      serviceName: 'nginx',
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1' }] } },
      volumeClaimTemplates: [{ metadata: { name: 'www' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
    },
  });
  await waitFor(async () => (await podNames()).join() === 'web-0', 'web-0');
  // Nothing else happens while web-0 is not ready.
  await new Promise((r) => setTimeout(r, 150));
  assert.deepEqual(await podNames(), ['web-0']);
  await makeReady('web-0');
  await waitFor(async () => (await podNames()).join() === 'web-0,web-1', 'web-1');
  await makeReady('web-1');
  await waitFor(async () => (await podNames()).join() === 'web-0,web-1,web-2', 'web-2');
  await makeReady('web-2');

  const web2 = await t.client.get<PodObj>({ ...GVR.pods, namespace: 'default', name: 'web-2' });
  assert.equal(web2.spec?.hostname, 'web-2');
  assert.equal(web2.spec?.subdomain, 'nginx');
  assert.equal(web2.metadata?.labels?.['statefulset.kubernetes.io/pod-name'], 'web-2');
  assert.equal(web2.metadata?.labels?.['apps.kubernetes.io/pod-index'], '2');
  assert.ok(web2.metadata?.labels?.['controller-revision-hash']?.startsWith('web-'));
  assert.deepEqual(web2.spec?.volumes?.find((v) => v.name === 'www')?.persistentVolumeClaim, { claimName: 'www-web-2' });
  const pvcs = (await listObjects<PVC>(t.client, GVR.persistentVolumeClaims, 'default')).map((p) => p.metadata?.name).sort();
  assert.deepEqual(pvcs, ['www-web-0', 'www-web-1', 'www-web-2']);

  const ready = await waitFor(async () => {
    const s = await t.client.get<SS>({ ...GVR.statefulSets, namespace: 'default', name: 'web' });
    return s.status?.readyReplicas === 3 ? s : undefined;
  }, 'readyReplicas 3');
  assert.equal(ready.status?.replicas, 3);
  assert.equal(ready.status?.currentReplicas, 3);
  assert.equal(ready.status?.updatedReplicas, 3);
  assert.equal(ready.status?.availableReplicas, 3);
  assert.equal(ready.status?.observedGeneration, 1);
  assert.equal(ready.status?.currentRevision, ready.status?.updateRevision);
  const revs = await listObjects<CR>(t.client, GVR.controllerRevisions, 'default');
  assert.deepEqual(revs.map((r) => [r.metadata?.name, r.revision]), [[ready.status?.updateRevision, 1]]);

  await t.client.patch({ ...GVR.statefulSets, namespace: 'default', name: 'web' }, 'merge', { spec: { replicas: 1 } });
  // Scale down goes from the top: web-1 never goes while web-2 is still there.
  const seen: string[] = [];
  await waitFor(async () => {
    const names = (await podNames()).join();
    if (seen[seen.length - 1] !== names) seen.push(names);
    return names === 'web-0';
  }, 'scale down to web-0', 5_000);
  assert.ok(!seen.includes('web-0,web-2'), `observed ${seen.join(' -> ')}`);
  const kept = (await listObjects<PVC>(t.client, GVR.persistentVolumeClaims, 'default')).map((p) => p.metadata?.name).sort();
  assert.deepEqual(kept, ['www-web-0', 'www-web-1', 'www-web-2']);
  await waitFor(async () => {
    const s = await t.client.get<SS>({ ...GVR.statefulSets, namespace: 'default', name: 'web' });
    return s.status?.replicas === 1 && s.status.readyReplicas === 1 && s.status.observedGeneration === 2;
  }, 'status after scale down');
});
