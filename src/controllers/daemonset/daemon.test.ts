import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Node } from 'kubernetes-types/core/v1.js';
import { FakeClock } from '../../util/clock.js';
import { Backoff } from '../common/podcontrol.js';
import {
  computeDaemonSetCounts,
  daemonPodTemplate,
  nodeShouldRunDaemonPod,
  podsShouldBeOnNode,
  replaceNodeNameAffinity,
  rollingUpdatePlan,
  targetNodeName,
  withDaemonSetDefaults,
  type DS,
  type PodObj,
} from './daemon.js';

const HASH = 'newhash';

function ds(extra: { nodeSelector?: Record<string, string>; hostNetwork?: boolean; maxUnavailable?: number | string; maxSurge?: number | string; affinityZone?: string } = {}): DS {
  return withDaemonSetDefaults({
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'ds', namespace: 'default', uid: 'ds-uid', generation: 1 },
    spec: {
      selector: { matchLabels: { app: 'd' } },
      template: {
        metadata: { labels: { app: 'd' } },
        spec: {
          containers: [{ name: 'c', image: 'x' }],
          ...(extra.nodeSelector ? { nodeSelector: extra.nodeSelector } : {}),
          ...(extra.hostNetwork ? { hostNetwork: true } : {}),
          ...(extra.affinityZone
            ? { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: [extra.affinityZone] }] }] } } } }
            : {}),
        },
      },
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: extra.maxUnavailable ?? 1, maxSurge: extra.maxSurge ?? 0 } },
    },
  });
}

function node(name: string, o: { labels?: Record<string, string>; taints?: { key: string; effect: string; value?: string }[] } = {}): Node {
  return { metadata: { name, labels: { 'kubernetes.io/hostname': name, ...(o.labels ?? {}) } }, spec: { taints: o.taints ?? [] } };
}

function pod(name: string, nodeName: string, o: { hash?: string; phase?: string; ready?: boolean; created?: string; deleting?: boolean } = {}): PodObj {
  return {
    metadata: {
      name,
      namespace: 'default',
      labels: { app: 'd', 'controller-revision-hash': o.hash ?? HASH },
      creationTimestamp: o.created ?? '2024-01-01T00:00:00Z',
      ...(o.deleting ? { deletionTimestamp: '2024-01-01T00:10:00Z' } : {}),
    },
    spec: { containers: [], affinity: replaceNodeNameAffinity(undefined, nodeName) },
    status: {
      phase: o.phase ?? 'Running',
      ...(o.ready ? { conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: '2024-01-01T00:00:00Z' }] } : {}),
    },
  };
}

test('nodeShouldRunDaemonPod', () => {
  const cases: { name: string; ds: DS; node: Node; want: [boolean, boolean] }[] = [
    { name: 'plain node', ds: ds(), node: node('n1'), want: [true, true] },
    { name: 'nodeSelector matches', ds: ds({ nodeSelector: { disk: 'ssd' } }), node: node('n1', { labels: { disk: 'ssd' } }), want: [true, true] },
    { name: 'nodeSelector misses', ds: ds({ nodeSelector: { disk: 'ssd' } }), node: node('n1'), want: [false, false] },
    { name: 'affinity matches', ds: ds({ affinityZone: 'a' }), node: node('n1', { labels: { zone: 'a' } }), want: [true, true] },
    { name: 'affinity misses', ds: ds({ affinityZone: 'a' }), node: node('n1', { labels: { zone: 'b' } }), want: [false, false] },
    { name: 'untolerated NoSchedule: keep running', ds: ds(), node: node('n1', { taints: [{ key: 'dedicated', effect: 'NoSchedule' }] }), want: [false, true] },
    { name: 'untolerated NoExecute: evict', ds: ds(), node: node('n1', { taints: [{ key: 'dedicated', effect: 'NoExecute' }] }), want: [false, false] },
    { name: 'PreferNoSchedule ignored', ds: ds(), node: node('n1', { taints: [{ key: 'dedicated', effect: 'PreferNoSchedule' }] }), want: [true, true] },
    { name: 'not-ready tolerated', ds: ds(), node: node('n1', { taints: [{ key: 'node.kubernetes.io/not-ready', effect: 'NoExecute' }] }), want: [true, true] },
    { name: 'unreachable tolerated', ds: ds(), node: node('n1', { taints: [{ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' }] }), want: [true, true] },
    { name: 'unschedulable tolerated', ds: ds(), node: node('n1', { taints: [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }] }), want: [true, true] },
    { name: 'memory-pressure tolerated', ds: ds(), node: node('n1', { taints: [{ key: 'node.kubernetes.io/memory-pressure', effect: 'NoSchedule' }] }), want: [true, true] },
    { name: 'network-unavailable, no hostNetwork', ds: ds(), node: node('n1', { taints: [{ key: 'node.kubernetes.io/network-unavailable', effect: 'NoSchedule' }] }), want: [false, true] },
    { name: 'network-unavailable, hostNetwork', ds: ds({ hostNetwork: true }), node: node('n1', { taints: [{ key: 'node.kubernetes.io/network-unavailable', effect: 'NoSchedule' }] }), want: [true, true] },
  ];
  for (const c of cases) {
    const got = nodeShouldRunDaemonPod(c.node, c.ds);
    assert.deepEqual([got.shouldRun, got.shouldContinueRunning], c.want, c.name);
  }
});

test('daemon pods are pinned with metadata.name node affinity and carry the hash and default tolerations', () => {
  const d = ds({ affinityZone: 'a' });
  const t = daemonPodTemplate(d, HASH);
  assert.equal(t.metadata?.labels?.['controller-revision-hash'], HASH);
  const keys = (t.spec?.tolerations ?? []).map((x) => `${x.key}:${x.effect}`);
  for (const k of ['node.kubernetes.io/not-ready:NoExecute', 'node.kubernetes.io/unreachable:NoExecute', 'node.kubernetes.io/disk-pressure:NoSchedule', 'node.kubernetes.io/memory-pressure:NoSchedule', 'node.kubernetes.io/pid-pressure:NoSchedule', 'node.kubernetes.io/unschedulable:NoSchedule']) {
    assert.ok(keys.includes(k), k);
  }
  assert.ok(!keys.includes('node.kubernetes.io/network-unavailable:NoSchedule'));
  const aff = replaceNodeNameAffinity(t.spec?.affinity, 'n7');
  assert.deepEqual(aff.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution, {
    nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n7'] }] }],
  });
  assert.equal(targetNodeName({ spec: { containers: [], affinity: aff } }), 'n7');
  assert.equal(targetNodeName({ spec: { containers: [], nodeName: 'bound' } }), 'bound');
  assert.equal(targetNodeName({ spec: { containers: [] } }), undefined);
});

test('podsShouldBeOnNode', () => {
  const clock = new FakeClock();
  const now = clock.now();
  const cases: { name: string; node: Node; pods: PodObj[]; want: { create: boolean; delete: string[] } }[] = [
    { name: 'missing pod is created', node: node('n1'), pods: [], want: { create: true, delete: [] } },
    { name: 'one running pod is kept', node: node('n1'), pods: [pod('a', 'n1')], want: { create: false, delete: [] } },
    { name: 'surplus pods: the oldest stays', node: node('n1'), pods: [pod('b', 'n1', { created: '2024-01-01T00:05:00Z' }), pod('a', 'n1')], want: { create: false, delete: ['b'] } },
    { name: 'failed pod is deleted', node: node('n1'), pods: [pod('a', 'n1', { phase: 'Failed' })], want: { create: false, delete: ['a'] } },
    { name: 'succeeded pod is deleted', node: node('n1'), pods: [pod('a', 'n1', { phase: 'Succeeded' })], want: { create: false, delete: ['a'] } },
    { name: 'terminating pod is left alone', node: node('n1'), pods: [pod('a', 'n1', { deleting: true })], want: { create: false, delete: [] } },
    { name: 'evicting taint removes pods', node: node('n1', { taints: [{ key: 'x', effect: 'NoExecute' }] }), pods: [pod('a', 'n1')], want: { create: false, delete: ['a'] } },
    { name: 'NoSchedule taint keeps a running pod', node: node('n1', { taints: [{ key: 'x', effect: 'NoSchedule' }] }), pods: [pod('a', 'n1')], want: { create: false, delete: [] } },
  ];
  for (const c of cases) {
    const got = podsShouldBeOnNode(c.node, c.pods, ds(), HASH, now);
    assert.deepEqual({ create: got.create, delete: got.delete }, c.want, c.name);
  }
});

test('failed daemon pods are deleted with backoff', () => {
  const clock = new FakeClock();
  const b = new Backoff(1000, 60_000);
  const backoff = { isInBackOff: (k: string, t: number) => b.isInBackOffSinceUpdate(k, t), delay: (k: string) => b.get(k), next: (k: string, t: number) => b.next(k, t) };
  const failed = [pod('a', 'n1', { phase: 'Failed' })];
  const first = podsShouldBeOnNode(node('n1'), failed, ds(), HASH, clock.now(), backoff);
  assert.deepEqual(first.delete, ['a']);
  assert.equal(first.events[0]?.[1], 'FailedDaemonPod');
  const second = podsShouldBeOnNode(node('n1'), failed, ds(), HASH, clock.now() + 500, backoff);
  assert.deepEqual(second.delete, []);
  assert.equal(second.backoffDelayMs, 1000);
  clock.advance(1500);
  assert.deepEqual(podsShouldBeOnNode(node('n1'), failed, ds(), HASH, clock.now(), backoff).delete, ['a']);
});

test('rollingUpdatePlan', () => {
  const now = Date.parse('2024-01-02T00:00:00Z');
  const nodes = [node('n1'), node('n2'), node('n3')];
  const oldReady = (n: string): PodObj => pod(`old-${n}`, n, { hash: 'old', ready: true });
  const cases: { name: string; ds: DS; pods: Record<string, PodObj[]>; want: { deletePods: string[]; createOnNodes: string[] } }[] = [
    {
      name: 'maxUnavailable 1 replaces one available old pod',
      ds: ds(),
      pods: { n1: [oldReady('n1')], n2: [oldReady('n2')], n3: [oldReady('n3')] },
      want: { deletePods: ['old-n1'], createOnNodes: [] },
    },
    {
      name: 'maxUnavailable 2',
      ds: ds({ maxUnavailable: 2 }),
      pods: { n1: [oldReady('n1')], n2: [oldReady('n2')], n3: [oldReady('n3')] },
      want: { deletePods: ['old-n1', 'old-n2'], createOnNodes: [] },
    },
    {
      name: 'an unavailable new pod uses the budget',
      ds: ds(),
      pods: { n1: [pod('new-n1', 'n1')], n2: [oldReady('n2')], n3: [oldReady('n3')] },
      want: { deletePods: [], createOnNodes: [] },
    },
    {
      name: 'unavailable old pods are always replaced',
      ds: ds(),
      pods: { n1: [pod('old-n1', 'n1', { hash: 'old' })], n2: [pod('old-n2', 'n2', { hash: 'old' })], n3: [oldReady('n3')] },
      want: { deletePods: ['old-n1', 'old-n2'], createOnNodes: [] },
    },
    {
      name: 'maxUnavailable 34% rounds up to 2',
      ds: ds({ maxUnavailable: '34%' }),
      pods: { n1: [oldReady('n1')], n2: [oldReady('n2')], n3: [oldReady('n3')] },
      want: { deletePods: ['old-n1', 'old-n2'], createOnNodes: [] },
    },
    {
      name: 'surge creates next to available old pods',
      ds: ds({ maxSurge: 1, maxUnavailable: 0 }),
      pods: { n1: [oldReady('n1')], n2: [oldReady('n2')], n3: [oldReady('n3')] },
      want: { deletePods: [], createOnNodes: ['n1'] },
    },
    {
      name: 'surge deletes the old pod once the new one is available',
      ds: ds({ maxSurge: 1, maxUnavailable: 0 }),
      pods: { n1: [oldReady('n1'), pod('new-n1', 'n1', { ready: true })], n2: [oldReady('n2')], n3: [oldReady('n3')] },
      want: { deletePods: ['old-n1'], createOnNodes: ['n2'] },
    },
    {
      name: 'surge waits for an unavailable new pod',
      ds: ds({ maxSurge: 1, maxUnavailable: 0 }),
      pods: { n1: [oldReady('n1'), pod('new-n1', 'n1')], n2: [oldReady('n2')], n3: [oldReady('n3')] },
      want: { deletePods: [], createOnNodes: [] },
    },
  ];
  for (const c of cases) {
    const got = rollingUpdatePlan(c.ds, nodes, new Map(Object.entries(c.pods)), HASH, now);
    assert.deepEqual(got, c.want, c.name);
  }
});

test('computeDaemonSetCounts', () => {
  const now = Date.parse('2024-01-02T00:00:00Z');
  const nodes = [node('n1'), node('n2'), node('n3', { taints: [{ key: 'x', effect: 'NoSchedule' }] })];
  const pods = new Map<string, PodObj[]>([
    ['n1', [pod('a', 'n1', { ready: true })]],
    ['n2', [pod('b', 'n2', { hash: 'old' })]],
    ['n3', [pod('c', 'n3', { ready: true })]],
  ]);
  const got = computeDaemonSetCounts(ds(), nodes, pods, HASH, now);
  assert.deepEqual(got, {
    desiredNumberScheduled: 2,
    currentNumberScheduled: 2,
    numberMisscheduled: 1,
    numberReady: 1,
    updatedNumberScheduled: 1,
    numberAvailable: 1,
    numberUnavailable: 1,
  });
});
