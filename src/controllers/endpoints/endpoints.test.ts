import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PodObj, ServiceObj } from '../common/endpointutil.js';
import { computeSubsets, endpointsLabels, repackSubsets, truncateSubsets } from './endpoints.js';

function svc(o: { ports?: { name?: string; port: number; targetPort?: number | string; protocol?: string }[]; headless?: boolean; publish?: boolean; labels?: Record<string, string> } = {}): ServiceObj {
  return {
    metadata: { name: 'web', namespace: 'default', ...(o.labels ? { labels: o.labels } : {}) },
    spec: {
      selector: { app: 'web' },
      clusterIP: o.headless ? 'None' : '10.96.0.10',
      ports: o.ports ?? [{ name: 'http', port: 80, targetPort: 'http' }],
      ...(o.publish ? { publishNotReadyAddresses: true } : {}),
    },
  };
}

function pod(name: string, ip: string | undefined, o: { ready?: boolean; phase?: string; deleting?: boolean; port?: number; node?: string; hostname?: string } = {}): PodObj {
  return {
    metadata: { name, namespace: 'default', uid: `uid-${name}`, labels: { app: 'web' }, ...(o.deleting ? { deletionTimestamp: '2024-01-01T00:00:00Z' } : {}) },
    spec: {
      containers: [{ name: 'c', ports: [{ name: 'http', containerPort: o.port ?? 8080 }] }],
      ...(o.node ? { nodeName: o.node } : {}),
      ...(o.hostname ? { hostname: o.hostname, subdomain: 'web' } : {}),
    },
    status: {
      phase: o.phase ?? 'Running',
      ...(ip ? { podIP: ip, podIPs: [{ ip }] } : {}),
      conditions: [{ type: 'Ready', status: o.ready ? 'True' : 'False' }],
    },
  };
}

const ref = (name: string): { kind: string; namespace: string; name: string; uid: string } => ({ kind: 'Pod', namespace: 'default', name, uid: `uid-${name}` });

test('computeSubsets', () => {
  const httpPort = [{ name: 'http', port: 8080, protocol: 'TCP' }];
  const cases: { name: string; svc: ServiceObj; pods: PodObj[]; want: unknown }[] = [
    { name: 'no pods', svc: svc(), pods: [], want: [] },
    { name: 'pod without IP is left out', svc: svc(), pods: [pod('a', undefined, { ready: true })], want: [] },
    {
      name: 'ready and not ready',
      svc: svc(),
      pods: [pod('a', '10.0.0.2', { ready: true, node: 'n1' }), pod('b', '10.0.0.1')],
      want: [{ addresses: [{ ip: '10.0.0.2', nodeName: 'n1', targetRef: ref('a') }], notReadyAddresses: [{ ip: '10.0.0.1', targetRef: ref('b') }], ports: httpPort }],
    },
    { name: 'terminal and terminating pods are left out', svc: svc(), pods: [pod('a', '10.0.0.1', { phase: 'Succeeded' }), pod('b', '10.0.0.2', { ready: true, deleting: true })], want: [] },
    {
      name: 'publishNotReadyAddresses',
      svc: svc({ publish: true }),
      pods: [pod('b', '10.0.0.1'), pod('c', '10.0.0.3', { deleting: true })],
      want: [{ addresses: [{ ip: '10.0.0.1', targetRef: ref('b') }, { ip: '10.0.0.3', targetRef: ref('c') }], ports: httpPort }],
    },
    {
      name: 'named targetPort resolves per pod',
      svc: svc(),
      pods: [pod('a', '10.0.0.1', { ready: true }), pod('b', '10.0.0.2', { ready: true, port: 9090 })],
      want: [
        { addresses: [{ ip: '10.0.0.1', targetRef: ref('a') }], ports: httpPort },
        { addresses: [{ ip: '10.0.0.2', targetRef: ref('b') }], ports: [{ name: 'http', port: 9090, protocol: 'TCP' }] },
      ],
    },
    {
      name: 'numeric targetPort, two ports',
      svc: svc({ ports: [{ name: 'a', port: 80, targetPort: 8080 }, { name: 'b', port: 81 }] }),
      pods: [pod('a', '10.0.0.1', { ready: true })],
      want: [{ addresses: [{ ip: '10.0.0.1', targetRef: ref('a') }], ports: [{ name: 'a', port: 8080, protocol: 'TCP' }, { name: 'b', port: 81, protocol: 'TCP' }] }],
    },
    {
      name: 'headless without ports, hostname published',
      svc: svc({ headless: true, ports: [] }),
      pods: [pod('a', '10.0.0.1', { ready: true, hostname: 'a' })],
      want: [{ addresses: [{ ip: '10.0.0.1', hostname: 'a', targetRef: ref('a') }] }],
    },
  ];
  for (const c of cases) assert.deepEqual(computeSubsets(c.svc, c.pods), c.want, c.name);
});

test('repack keeps a ready address over a not-ready one and truncation keeps ready ones first', () => {
  const a = { ip: '10.0.0.1', targetRef: ref('a') };
  const p = { name: 'x', port: 1, protocol: 'TCP' };
  assert.deepEqual(repackSubsets([{ notReadyAddresses: [a], ports: [p] }, { addresses: [a], ports: [p] }]), [{ addresses: [a], ports: [p] }]);
  const subsets = [{ addresses: [a, { ip: '10.0.0.2' }], notReadyAddresses: [{ ip: '10.0.0.3' }] }];
  assert.equal(truncateSubsets(subsets, 2), true);
  assert.deepEqual(subsets, [{ addresses: [a, { ip: '10.0.0.2' }], notReadyAddresses: [] }]);
  assert.equal(truncateSubsets([{ addresses: [a] }], 2), false);
});

test('endpointsLabels', () => {
  assert.deepEqual(endpointsLabels(svc({ labels: { team: 'x' } })), { team: 'x', 'endpointslice.kubernetes.io/skip-mirror': 'true' });
  assert.deepEqual(endpointsLabels(svc({ headless: true })), { 'service.kubernetes.io/headless': '', 'endpointslice.kubernetes.io/skip-mirror': 'true' });
});
