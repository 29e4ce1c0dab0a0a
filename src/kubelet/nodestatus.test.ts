import { test } from 'node:test';
import assert from 'node:assert/strict';
import { desiredNodeStatus, initialNode, jsonEqual, machineIdentity, nodeStatusChanged, reconcileExistingNode, type NodeConfig } from './nodestatus.js';

const cfg: NodeConfig = {
  nodeName: 'n1',
  capacity: { cpu: '4', memory: '8Gi', pods: '110' },
  allocatable: { cpu: '4', memory: '8Gi', pods: '110' },
  labels: { team: 'a' },
  taints: [],
  podCIDR: '10.244.1.0/24',
  addresses: [
    { type: 'InternalIP', address: '172.18.0.2' },
    { type: 'Hostname', address: 'n1' },
  ],
  controlPlane: true,
  nodeInfo: {
    machineID: 'm',
    systemUUID: 's',
    bootID: 'b',
    kernelVersion: 'k',
    osImage: 'o',
    containerRuntimeVersion: 'simulated://0.1',
    kubeletVersion: 'v1.32.0+kubelite',
    kubeProxyVersion: '',
    operatingSystem: 'linux',
    architecture: 'amd64',
  },
};

const T = Date.UTC(2025, 0, 1);

test('initialNode: labels, spec and conditions in upstream order', () => {
  const n = initialNode(cfg, T);
  assert.deepEqual(n.metadata?.labels, {
    team: 'a',
    'beta.kubernetes.io/arch': 'amd64',
    'beta.kubernetes.io/os': 'linux',
    'kubernetes.io/arch': 'amd64',
    'kubernetes.io/hostname': 'n1',
    'kubernetes.io/os': 'linux',
    'node-role.kubernetes.io/control-plane': '',
  });
  assert.deepEqual(n.spec, { podCIDR: '10.244.1.0/24', podCIDRs: ['10.244.1.0/24'] });
  assert.deepEqual(
    n.status?.conditions?.map((c) => [c.type, c.status, c.reason, c.message, c.lastHeartbeatTime, c.lastTransitionTime]),
    [
      ['MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available', '2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z'],
      ['DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure', '2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z'],
      ['PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available', '2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z'],
      ['Ready', 'True', 'KubeletReady', 'kubelet is posting ready status', '2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z'],
    ],
  );
  assert.deepEqual(n.status?.daemonEndpoints, { kubeletEndpoint: { Port: 10250 } });
});

test('desiredNodeStatus: heartbeat moves, transition time stays; a change records an event', () => {
  const first = desiredNodeStatus(cfg, undefined, T);
  assert.deepEqual(first.events.map((e) => e.reason), ['NodeHasSufficientMemory', 'NodeHasNoDiskPressure', 'NodeHasSufficientPID']);
  const later = desiredNodeStatus(cfg, first.status, T + 60_000);
  assert.equal(later.events.length, 0);
  assert.equal(later.status.conditions?.[3]?.lastHeartbeatTime, '2025-01-01T00:01:00Z');
  assert.equal(later.status.conditions?.[3]?.lastTransitionTime, '2025-01-01T00:00:00Z');
  assert.equal(nodeStatusChanged(first.status, later.status), false, 'only heartbeats moved');

  // the node lifecycle controller set Ready Unknown and added a condition of its own
  const marked = structuredClone(later.status);
  marked.conditions![3] = { ...marked.conditions![3]!, status: 'Unknown', reason: 'NodeStatusUnknown' };
  marked.conditions!.push({ type: 'NetworkUnavailable', status: 'False', reason: 'RouteCreated' });
  const back = desiredNodeStatus(cfg, marked, T + 120_000);
  assert.deepEqual(back.events.map((e) => e.reason), ['NodeReady']);
  assert.deepEqual(back.status.conditions?.map((c) => c.type), ['MemoryPressure', 'DiskPressure', 'PIDPressure', 'NetworkUnavailable', 'Ready']);
  assert.equal(back.status.conditions?.[4]?.lastTransitionTime, '2025-01-01T00:02:00Z');
  assert.equal(nodeStatusChanged(marked, back.status), true);
});

test('reconcileExistingNode restores the kubelet labels and leaves the rest', () => {
  const existing = { metadata: { name: 'n1', labels: { 'kubernetes.io/os': 'linux', mine: 'x' } }, spec: { podCIDR: '10.0.0.0/24', unschedulable: true } };
  const upd = reconcileExistingNode(existing, cfg);
  assert.equal(upd?.metadata?.labels?.['mine'], 'x');
  assert.equal(upd?.metadata?.labels?.['kubernetes.io/hostname'], 'n1');
  assert.equal(upd?.spec?.podCIDR, '10.0.0.0/24', 'podCIDR is immutable once set');
  assert.equal(upd?.spec?.unschedulable, true);
  assert.equal(reconcileExistingNode(upd!, cfg), undefined, 'nothing left to change');
});

test('machineIdentity is stable and shaped like upstream', () => {
  const a = machineIdentity('n1');
  assert.deepEqual(a, machineIdentity('n1'));
  assert.match(a.machineID, /^[0-9a-f]{32}$/);
  assert.match(a.systemUUID, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  assert.notEqual(a.machineID, machineIdentity('n2').machineID);
});

test('jsonEqual ignores key order and undefined members', () => {
  assert.equal(jsonEqual({ a: 1, b: [1, { c: 2 }] }, { b: [1, { c: 2 }], a: 1, d: undefined }), true);
  assert.equal(jsonEqual({ a: 1 }, { a: 2 }), false);
  assert.equal(jsonEqual([1], [1, 2]), false);
});
