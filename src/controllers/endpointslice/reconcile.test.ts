import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PodObj, ServiceObj } from '../common/endpointutil.js';
import { desiredEndpoints, planSlices, podToEndpoint, type SliceObj } from './reconcile.js';

function svc(publish = false): ServiceObj {
  return {
    metadata: { name: 'web', namespace: 'default', uid: 'svc-uid', labels: { team: 'x' } },
    spec: { selector: { app: 'web' }, clusterIP: '10.96.0.10', ports: [{ name: 'http', port: 80, targetPort: 8080 }], ...(publish ? { publishNotReadyAddresses: true } : {}) },
  };
}

function pod(name: string, ip: string, o: { ready?: boolean; deleting?: boolean } = {}): PodObj {
  return {
    metadata: { name, namespace: 'default', uid: `uid-${name}`, labels: { app: 'web' }, ...(o.deleting ? { deletionTimestamp: '2024-01-01T00:00:00Z' } : {}) },
    spec: { containers: [], nodeName: 'n1' },
    status: { phase: 'Running', podIP: ip, conditions: [{ type: 'Ready', status: o.ready ? 'True' : 'False' }] },
  };
}

test('endpoint conditions', () => {
  const node = { metadata: { name: 'n1', labels: { 'topology.kubernetes.io/zone': 'z1' } } };
  const cases: { name: string; pod: PodObj; publish?: boolean; want: { ready: boolean; serving: boolean; terminating: boolean } }[] = [
    { name: 'ready', pod: pod('a', '10.0.0.1', { ready: true }), want: { ready: true, serving: true, terminating: false } },
    { name: 'not ready', pod: pod('a', '10.0.0.1'), want: { ready: false, serving: false, terminating: false } },
    { name: 'terminating but serving', pod: pod('a', '10.0.0.1', { ready: true, deleting: true }), want: { ready: false, serving: true, terminating: true } },
    { name: 'publishNotReadyAddresses', pod: pod('a', '10.0.0.1'), publish: true, want: { ready: true, serving: false, terminating: false } },
  ];
  for (const c of cases) {
    const ep = podToEndpoint(c.pod, node, svc(c.publish));
    assert.deepEqual(ep?.conditions, c.want, c.name);
    assert.equal(ep?.zone, 'z1');
    assert.equal(ep?.nodeName, 'n1');
  }
});

function slice(name: string, endpoints: string[], ports = [{ name: 'http', port: 8080, protocol: 'TCP' }]): SliceObj {
  const s = planSlices(svc(), desiredEndpoints(svc(), endpoints.map((e, i) => pod(e, `10.0.0.${i + 1}`, { ready: true })), () => undefined), []).create[0] as SliceObj;
  return { ...s, metadata: { ...s.metadata, name, resourceVersion: '1' }, ports };
}

test('planSlices', () => {
  const s = svc();
  const names = (l: SliceObj[]): string[][] => l.map((x) => (x.endpoints ?? []).map((e) => e.targetRef?.name ?? ''));
  const pods = (n: number, ready = true): PodObj[] => Array.from({ length: n }, (_, i) => pod(`p${String(i).padStart(3, '0')}`, `10.0.${Math.floor(i / 250)}.${(i % 250) + 1}`, { ready }));

  let plan = planSlices(s, desiredEndpoints(s, [], () => undefined), []);
  assert.equal(plan.create.length, 1, 'a placeholder for a service without endpoints');
  assert.deepEqual([plan.create[0]?.endpoints, plan.create[0]?.ports], [[], []]);
  assert.equal(plan.create[0]?.metadata?.generateName, 'web-');
  assert.deepEqual(plan.create[0]?.metadata?.labels, { team: 'x', 'kubernetes.io/service-name': 'web', 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' });
  assert.equal(plan.create[0]?.addressType, 'IPv4');
  assert.equal(plan.create[0]?.metadata?.ownerReferences?.[0]?.kind, 'Service');

  plan = planSlices(s, desiredEndpoints(s, pods(250), () => undefined), []);
  assert.deepEqual(plan.create.map((x) => x.endpoints?.length), [100, 100, 50], 'at most 100 per slice');

  const placeholder = { ...slice('web-ph', []), ports: [], endpoints: [] } as SliceObj;
  plan = planSlices(s, desiredEndpoints(s, pods(2), () => undefined), [placeholder]);
  assert.deepEqual(names(plan.create), [['p000', 'p001']]);
  assert.deepEqual(plan.delete.map((x) => x.metadata?.name), ['web-ph'], 'the placeholder goes once there are endpoints');

  const existing = slice('web-a', ['p000', 'p001']);
  plan = planSlices(s, desiredEndpoints(s, pods(2), () => undefined), [existing]);
  assert.deepEqual([plan.create.length, plan.update.length, plan.delete.length], [0, 0, 0], 'no change, no write');

  plan = planSlices(s, desiredEndpoints(s, pods(3), () => undefined), [existing]);
  assert.deepEqual([plan.create.length, names(plan.update)], [0, [['p000', 'p001', 'p002']]], 'a new endpoint fills the slice with room');

  plan = planSlices(s, desiredEndpoints(s, pods(1), () => undefined), [existing]);
  assert.deepEqual(names(plan.update), [['p000']], 'a gone pod leaves its slice');

  plan = planSlices(s, desiredEndpoints(s, pods(2, false), () => undefined), [existing]);
  assert.deepEqual(plan.update[0]?.endpoints?.map((e) => e.conditions?.ready), [false, false], 'readiness changes update in place');

  plan = planSlices(s, desiredEndpoints(s, [], () => undefined), [existing]);
  assert.deepEqual([plan.delete.map((x) => x.metadata?.name), plan.create.length], [['web-a'], 1], 'last endpoint gone: slice deleted, placeholder made');

  const oldPorts = slice('web-old', ['p000'], [{ name: 'http', port: 9999, protocol: 'TCP' }]);
  plan = planSlices(s, desiredEndpoints(s, pods(1), () => undefined), [oldPorts]);
  assert.deepEqual([plan.delete.map((x) => x.metadata?.name), plan.create.length], [['web-old'], 1], 'slices for old ports are replaced');
});
