import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ServiceObj } from '../common/endpointutil.js';
import { setPodStatus, startControllerTestEnv, waitFor, type ControllerTestEnv } from '../common/testutil.js';
import { GVR } from '../common/types.js';
import { newEndpointsController } from './controller.js';
import type { EndpointsObj } from './endpoints.js';

let t: ControllerTestEnv;

before(async () => {
  t = await startControllerTestEnv();
  await t.start(newEndpointsController(t.ctx));
});

after(async () => {
  if (process.env['CONTROLLER_TEST_LOGS']) console.error(t.logs.join('\n'));
  await t.close();
});

function service(name: string, spec: Record<string, unknown>): ServiceObj {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'default', labels: { tier: 'front' } }, spec } as ServiceObj;
}

async function pod(name: string, app: string): Promise<void> {
  await t.client.create(GVR.pods, {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', labels: { app } },
    spec: { containers: [{ name: 'c', image: 'nginx', ports: [{ name: 'http', containerPort: 8080 }] }] },
  });
}

const endpoints = async (name: string): Promise<EndpointsObj | undefined> => {
  try {
    return await t.client.get<EndpointsObj>({ ...GVR.endpoints, namespace: 'default', name });
  } catch {
    return undefined;
  }
};
const ips = (ep: EndpointsObj | undefined, field: 'addresses' | 'notReadyAddresses'): string[] =>
  (ep?.subsets ?? []).flatMap((s) => (s[field] ?? []).map((a) => a.ip)).sort();

test('Endpoints follow pod readiness', async () => {
  await t.client.create(GVR.services, service('web', { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] }));
  const empty = await waitFor(() => endpoints('web'), 'endpoints object');
  assert.equal(empty.subsets, undefined);
  assert.equal(empty.metadata?.labels?.['tier'], 'front');
  assert.equal(empty.metadata?.labels?.['endpointslice.kubernetes.io/skip-mirror'], 'true');

  await pod('web-1', 'web');
  await pod('web-2', 'web');
  await setPodStatus(t.client, 'default', 'web-1', { phase: 'Running', ready: false, podIP: '10.1.0.1' });
  await setPodStatus(t.client, 'default', 'web-2', { phase: 'Running', ready: true, podIP: '10.1.0.2' });
  let ep = await waitFor(async () => {
    const e = await endpoints('web');
    return ips(e, 'addresses').join() === '10.1.0.2' && ips(e, 'notReadyAddresses').join() === '10.1.0.1' ? e : undefined;
  }, 'one ready, one not');
  assert.deepEqual(ep.subsets?.[0]?.ports, [{ name: 'http', port: 8080, protocol: 'TCP' }]);
  assert.deepEqual(ep.subsets?.[0]?.addresses?.[0]?.targetRef?.name, 'web-2');

  await setPodStatus(t.client, 'default', 'web-1', { ready: true });
  await waitFor(async () => ips(await endpoints('web'), 'addresses').join() === '10.1.0.1,10.1.0.2', 'both ready');
  await setPodStatus(t.client, 'default', 'web-2', { ready: false });
  ep = await waitFor(async () => {
    const e = await endpoints('web');
    return ips(e, 'addresses').join() === '10.1.0.1' && ips(e, 'notReadyAddresses').join() === '10.1.0.2' ? e : undefined;
  }, 'web-2 not ready');
  await t.client.delete({ ...GVR.pods, namespace: 'default', name: 'web-1' });
  await waitFor(async () => {
    const e = await endpoints('web');
    return ips(e, 'addresses').length === 0 && ips(e, 'notReadyAddresses').join() === '10.1.0.2';
  }, 'web-1 gone');

  await t.client.delete({ ...GVR.services, namespace: 'default', name: 'web' });
  await waitFor(async () => (await endpoints('web')) === undefined, 'endpoints removed with the service');
});

test('headless services with publishNotReadyAddresses list every pod; selector-less and kubernetes services are left alone', async () => {
  await t.client.create(GVR.services, service('db', { clusterIP: 'None', publishNotReadyAddresses: true, selector: { app: 'db' } }));
  await pod('db-0', 'db');
  await setPodStatus(t.client, 'default', 'db-0', { phase: 'Running', ready: false, podIP: '10.2.0.1' });
  const ep = await waitFor(async () => {
    const e = await endpoints('db');
    return ips(e, 'addresses').join() === '10.2.0.1' ? e : undefined;
  }, 'not-ready pod published');
  assert.equal(ep.metadata?.labels?.['service.kubernetes.io/headless'], '');
  assert.equal(ep.subsets?.[0]?.ports, undefined);

  await t.client.create(GVR.services, service('kubernetes', { selector: { app: 'db' }, ports: [{ port: 443 }] }));
  await t.client.create(GVR.services, service('manual', { ports: [{ port: 443 }] }));
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(await endpoints('kubernetes'), undefined);
  assert.equal(await endpoints('manual'), undefined);
});
