import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import {
  calculateStatus,
  deploymentTimedOut,
  equalIgnoreHash,
  findActiveOrLatest,
  getProportion,
  maxSurge,
  maxUnavailable,
  newRSNewReplicas,
  resolveFenceposts,
  setNewReplicaSetAnnotations,
  withDefaults,
  type Deployment,
  type IntOrString,
  type ReplicaSet,
} from './util.js';

const NOW = Date.UTC(2024, 0, 1, 12, 0, 0);

function dep(replicas: number, surge?: IntOrString, unavailable?: IntOrString, extra: Partial<Deployment> = {}): ReturnType<typeof withDefaults> {
  return withDefaults({
    metadata: { name: 'd', namespace: 'ns', generation: 1, annotations: { 'kubernetes.io/change-cause': 'x', 'kubectl.kubernetes.io/last-applied-configuration': '{}' } },
    spec: { replicas, strategy: { type: 'RollingUpdate', rollingUpdate: { ...(surge !== undefined ? { maxSurge: surge } : {}), ...(unavailable !== undefined ? { maxUnavailable: unavailable } : {}) } } },
    ...extra,
  });
}

function rs(name: string, replicas: number, o: { available?: number; statusReplicas?: number; ready?: number; annotations?: Record<string, string>; created?: string } = {}): ReplicaSet {
  return {
    metadata: { name, uid: `uid-${name}`, creationTimestamp: o.created ?? '2024-01-01T00:00:00Z', annotations: o.annotations },
    spec: { replicas },
    status: { replicas: o.statusReplicas ?? replicas, availableReplicas: o.available ?? 0, readyReplicas: o.ready ?? o.available ?? 0 },
  };
}

describe('resolveFenceposts', () => {
  const cases: { name: string; surge: IntOrString; unavailable: IntOrString; desired: number; want: { surge: number; unavailable: number } }[] = [
    { name: 'defaults on 3', surge: '25%', unavailable: '25%', desired: 3, want: { surge: 1, unavailable: 0 } },
    { name: 'defaults on 10', surge: '25%', unavailable: '25%', desired: 10, want: { surge: 3, unavailable: 2 } },
    { name: 'both zero: unavailable 1', surge: 0, unavailable: 0, desired: 5, want: { surge: 0, unavailable: 1 } },
    { name: 'zero percent on 1', surge: '0%', unavailable: '0%', desired: 1, want: { surge: 0, unavailable: 1 } },
    { name: 'ints', surge: 2, unavailable: 1, desired: 4, want: { surge: 2, unavailable: 1 } },
    { name: '100% unavailable', surge: 0, unavailable: '100%', desired: 4, want: { surge: 0, unavailable: 4 } },
  ];
  for (const c of cases) test(c.name, () => assert.deepEqual(resolveFenceposts(c.surge, c.unavailable, c.desired), c.want));

  test('maxUnavailable is capped at replicas and 0 for Recreate or 0 replicas', () => {
    assert.equal(maxUnavailable(dep(2, 0, 5)), 2);
    assert.equal(maxUnavailable(dep(0)), 0);
    const recreate = withDefaults({ spec: { replicas: 3, strategy: { type: 'Recreate' } } });
    assert.equal(maxUnavailable(recreate), 0);
    assert.equal(maxSurge(recreate), 0);
    assert.throws(() => resolveFenceposts('25', 0, 4), /not a percentage/);
  });
});

describe('newRSNewReplicas', () => {
  const cases: { name: string; d: ReturnType<typeof dep>; all: ReplicaSet[]; want: number }[] = [
    { name: 'first step of a rollout: surge 1', d: dep(3), all: [rs('old', 3), rs('new', 0)], want: 1 },
    { name: 'at max total: unchanged', d: dep(3), all: [rs('old', 3), rs('new', 1)], want: 1 },
    { name: 'room to grow, capped at replicas', d: dep(3, 5), all: [rs('old', 0), rs('new', 1)], want: 3 },
  ];
  for (const c of cases) test(c.name, () => assert.equal(newRSNewReplicas(c.d, c.all, c.all[c.all.length - 1]!), c.want));
  test('Recreate goes straight to replicas', () => {
    const d = withDefaults({ spec: { replicas: 4, strategy: { type: 'Recreate' } } });
    assert.equal(newRSNewReplicas(d, [rs('new', 0)], rs('new', 0)), 4);
  });
});

describe('proportional scaling', () => {
  test('getProportion spreads a scale-up by the max-replicas annotation', () => {
    // 10 -> 15 replicas with surge 3 (25% of 10 rounded up), while two replica sets run 8 + 5 = 13 (max 13).
    const d = dep(15, 3, 2, { status: { replicas: 13 } });
    const ann = { 'deployment.kubernetes.io/max-replicas': '13' };
    const big = rs('big', 8, { annotations: ann });
    const small = rs('small', 5, { annotations: ann });
    const toAdd = 15 + 3 - 13;
    const p1 = getProportion(big, d, toAdd, 0);
    const p2 = getProportion(small, d, toAdd, p1);
    assert.equal(p1, 3); // round(8 * 18 / 13) - 8 = 11 - 8
    assert.equal(p2, 2); // min(round(5 * 18 / 13) - 5 = 2, 5 - 3)
    assert.equal(getProportion(rs('zero', 0), d, toAdd, 0), 0);
  });
  test('scaling to zero takes each replica set whole', () => {
    const d = dep(0, 1, 0);
    assert.equal(getProportion(rs('a', 4), d, -6, 0), -4);
    assert.equal(getProportion(rs('b', 2), d, -6, -4), -2);
  });
  test('findActiveOrLatest', () => {
    assert.equal(findActiveOrLatest(rs('new', 0), [rs('old', 2)])?.metadata?.name, 'old');
    assert.equal(findActiveOrLatest(rs('new', 1), [rs('old', 2)]), undefined);
    assert.equal(findActiveOrLatest(rs('new', 0), [rs('old', 0)])?.metadata?.name, 'new');
    assert.equal(findActiveOrLatest(undefined, [rs('a', 0, { created: '2024-01-01T00:00:00Z' }), rs('b', 0, { created: '2024-01-02T00:00:00Z' })])?.metadata?.name, 'b');
  });
});

describe('revision annotations', () => {
  test('a new replica set gets revision, copied annotations and replica annotations', () => {
    const r = rs('new', 0);
    assert.equal(setNewReplicaSetAnnotations(dep(4), r, 1, false), true);
    assert.deepEqual(r.metadata?.annotations, {
      'kubernetes.io/change-cause': 'x',
      'deployment.kubernetes.io/revision': '1',
      'deployment.kubernetes.io/desired-replicas': '4',
      'deployment.kubernetes.io/max-replicas': '5',
    });
  });
  test('reusing an old replica set records its old revision in revision-history', () => {
    const r = rs('old', 0, { annotations: { 'deployment.kubernetes.io/revision': '2', 'deployment.kubernetes.io/revision-history': '1' } });
    setNewReplicaSetAnnotations(dep(1), r, 5, true);
    assert.equal(r.metadata?.annotations?.['deployment.kubernetes.io/revision'], '5');
    assert.equal(r.metadata?.annotations?.['deployment.kubernetes.io/revision-history'], '1,2');
    // A lower revision never replaces a higher one.
    assert.equal(setNewReplicaSetAnnotations(dep(1), r, 3, true), false);
  });
  test('revision-history is bounded', () => {
    const r = rs('old', 0, { annotations: { 'deployment.kubernetes.io/revision': '9', 'deployment.kubernetes.io/revision-history': '1,2,3' } });
    setNewReplicaSetAnnotations(dep(1), r, 10, true, 4);
    assert.equal(r.metadata?.annotations?.['deployment.kubernetes.io/revision-history'], '3,9');
  });
  test('equalIgnoreHash ignores the hash label and empty fields', () => {
    const a = { metadata: { labels: { app: 'x', 'pod-template-hash': 'abc' } }, spec: { containers: [{ name: 'c', image: 'i', resources: {} }] } };
    const b = { metadata: { labels: { app: 'x' }, creationTimestamp: null }, spec: { containers: [{ name: 'c', image: 'i' }] } };
    assert.equal(equalIgnoreHash(a, b as never), true);
    assert.equal(equalIgnoreHash(a, { ...b, spec: { containers: [{ name: 'c', image: 'j' }] } } as never), false);
  });
});

describe('status', () => {
  test('calculateStatus sums the replica sets and sets Available', () => {
    const d = dep(3);
    const s = calculateStatus([rs('old', 1, { available: 1 }), rs('new', 3, { available: 1, statusReplicas: 3 })], rs('new', 3, { available: 1, statusReplicas: 3 }), d, NOW);
    assert.deepEqual(s, {
      observedGeneration: 1,
      replicas: 4,
      updatedReplicas: 3,
      readyReplicas: 2,
      availableReplicas: 2,
      unavailableReplicas: 2,
      conditions: [
        { type: 'Available', status: 'False', lastUpdateTime: '2024-01-01T12:00:00Z', lastTransitionTime: '2024-01-01T12:00:00Z', reason: 'MinimumReplicasUnavailable', message: 'Deployment does not have minimum availability.' },
      ],
    });
  });
  test('deploymentTimedOut compares the Progressing lastUpdateTime with the deadline', () => {
    const d = dep(1, undefined, undefined, { spec: { replicas: 1, progressDeadlineSeconds: 60 } });
    const cond = (reason: string, ago: number) => ({ conditions: [{ type: 'Progressing', status: 'True', reason, lastUpdateTime: new Date(NOW - ago).toISOString() }] });
    assert.equal(deploymentTimedOut(d, cond('ReplicaSetUpdated', 30_000), NOW), false);
    assert.equal(deploymentTimedOut(d, cond('ReplicaSetUpdated', 61_000), NOW), true);
    assert.equal(deploymentTimedOut(d, cond('NewReplicaSetAvailable', 600_000), NOW), false);
    assert.equal(deploymentTimedOut(d, cond('ProgressDeadlineExceeded', 0), NOW), true);
  });
});
