import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ServiceObj } from '../common/endpointutil.js';
import { listObjects, setPodStatus, startControllerTestEnv, waitFor, type ControllerTestEnv } from '../common/testutil.js';
import { GVR } from '../common/types.js';
import { EndpointSliceController } from './controller.js';
import type { SliceObj } from './reconcile.js';

let t: ControllerTestEnv;

before(async () => {
  t = await startControllerTestEnv();
  await t.start(new EndpointSliceController(t.ctx, { maxEndpointsPerSlice: 2 }));
});

after(async () => {
  if (process.env['CONTROLLER_TEST_LOGS']) console.error(t.logs.join('\n'));
  await t.close();
});

const slices = (svc: string): Promise<SliceObj[]> => listObjects<SliceObj>(t.client, GVR.endpointSlices, 'default', `kubernetes.io/service-name=${svc}`);
const endpointStates = async (svc: string): Promise<string> =>
  (await slices(svc))
    .flatMap((s) => (s.endpoints ?? []).map((e) => `${e.targetRef?.name}:${e.conditions?.ready}/${e.conditions?.serving}/${e.conditions?.terminating}`))
    .sort()
    .join(' ');

async function pod(name: string): Promise<void> {
  await t.client.create(GVR.pods, {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', labels: { app: 'api' } },
    spec: { containers: [{ name: 'c', image: 'x', ports: [{ name: 'http', containerPort: 8080 }] }] },
  });
}

test('EndpointSlices follow the pods of a service', async () => {
  await t.client.create(GVR.services, {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'api', namespace: 'default' },
    spec: { selector: { app: 'api' }, clusterIP: '10.96.0.20', ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
  } as ServiceObj);
  const placeholder = await waitFor(async () => (await slices('api'))[0], 'placeholder slice');
  assert.ok(placeholder.metadata?.name?.startsWith('api-'));
  assert.equal(placeholder.metadata?.labels?.['endpointslice.kubernetes.io/managed-by'], 'endpointslice-controller.k8s.io');
  assert.equal(placeholder.addressType, 'IPv4');
  assert.equal(placeholder.metadata?.ownerReferences?.[0]?.name, 'api');

  for (const n of ['a', 'b', 'c']) await pod(n);
  await setPodStatus(t.client, 'default', 'a', { phase: 'Running', ready: true, podIP: '10.3.0.1' });
  await setPodStatus(t.client, 'default', 'b', { phase: 'Running', ready: false, podIP: '10.3.0.2' });
  await setPodStatus(t.client, 'default', 'c', { phase: 'Running', ready: true, podIP: '10.3.0.3' });
  await waitFor(async () => (await endpointStates('api')) === 'a:true/true/false b:false/false/false c:true/true/false', 'three endpoints');
  const all = await slices('api');
  assert.deepEqual(all.map((s) => s.endpoints?.length ?? 0).sort(), [1, 2], 'at most two per slice here');
  for (const s of all) assert.deepEqual(s.ports, [{ name: 'http', port: 8080, protocol: 'TCP' }]);

  await setPodStatus(t.client, 'default', 'b', { ready: true });
  await waitFor(async () => (await endpointStates('api')) === 'a:true/true/false b:true/true/false c:true/true/false', 'b ready');
  await t.client.delete({ ...GVR.pods, namespace: 'default', name: 'a' });
  await waitFor(async () => (await endpointStates('api')) === 'b:true/true/false c:true/true/false', 'a gone');
});
