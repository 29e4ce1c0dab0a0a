import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { comparePodsForDeletion, deletionCost, podsToDelete } from './activepods.js';
import type { Obj } from './types.js';

const NOW = Date.UTC(2024, 0, 1, 12, 0, 0);
const iso = (msAgo: number): string => new Date(NOW - msAgo).toISOString().replace('.000Z', 'Z');

function pod(name: string, o: { node?: string; phase?: string; ready?: boolean; readyAgo?: number; createdAgo?: number; restarts?: number; cost?: string; deleting?: boolean } = {}): Obj<Pod> {
  return {
    metadata: {
      name,
      namespace: 'ns',
      uid: `uid-${name}`,
      creationTimestamp: o.createdAgo !== undefined ? iso(o.createdAgo) : undefined,
      ...(o.cost !== undefined ? { annotations: { 'controller.kubernetes.io/pod-deletion-cost': o.cost } } : {}),
      ...(o.deleting ? { deletionTimestamp: iso(0) } : {}),
    },
    spec: { containers: [], ...(o.node !== undefined ? { nodeName: o.node } : {}) },
    status: {
      phase: o.phase ?? 'Running',
      conditions: o.ready ? [{ type: 'Ready', status: 'True', lastTransitionTime: iso(o.readyAgo ?? 0) }] : [],
      containerStatuses: [{ name: 'c', image: 'i', imageID: '', ready: o.ready ?? false, restartCount: o.restarts ?? 0 }],
    },
  };
}

describe('comparePodsForDeletion', () => {
  const cases: { name: string; a: Obj<Pod>; b: Obj<Pod>; rankA?: number; rankB?: number; want: 'a' | 'b' }[] = [
    { name: 'unassigned before assigned', a: pod('a', { node: 'n1' }), b: pod('b'), want: 'b' },
    { name: 'pending before running', a: pod('a', { node: 'n', phase: 'Running' }), b: pod('b', { node: 'n', phase: 'Pending' }), want: 'b' },
    { name: 'unknown before running', a: pod('a', { node: 'n', phase: 'Unknown' }), b: pod('b', { node: 'n', phase: 'Running' }), want: 'a' },
    { name: 'not ready before ready', a: pod('a', { node: 'n', ready: true }), b: pod('b', { node: 'n' }), want: 'b' },
    { name: 'lower deletion cost first', a: pod('a', { node: 'n', cost: '10' }), b: pod('b', { node: 'n', cost: '-5' }), want: 'b' },
    { name: 'doubled up (higher rank) first', a: pod('a', { node: 'n' }), b: pod('b', { node: 'm' }), rankA: 3, rankB: 1, want: 'a' },
    {
      name: 'more recently ready first (different log2 buckets)',
      a: pod('a', { node: 'n', ready: true, readyAgo: 3_600_000 }),
      b: pod('b', { node: 'n', ready: true, readyAgo: 10_000 }),
      want: 'b',
    },
    { name: 'more restarts first', a: pod('a', { node: 'n', restarts: 1 }), b: pod('b', { node: 'n', restarts: 5 }), want: 'b' },
    { name: 'newer first', a: pod('a', { node: 'n', createdAgo: 10_000 }), b: pod('b', { node: 'n', createdAgo: 86_400_000 }), want: 'a' },
    { name: 'no creation time first', a: pod('a', { node: 'n', createdAgo: 10_000 }), b: pod('b', { node: 'n' }), want: 'b' },
    { name: 'same log2 bucket: by uid', a: pod('b', { node: 'n', createdAgo: 70_000 }), b: pod('a', { node: 'n', createdAgo: 69_000 }), want: 'b' },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const r = comparePodsForDeletion(c.a, c.b, c.rankA ?? 0, c.rankB ?? 0, NOW);
      assert.equal(r < 0 ? 'a' : 'b', c.want);
      assert.equal(Math.sign(comparePodsForDeletion(c.b, c.a, c.rankB ?? 0, c.rankA ?? 0, NOW)), -Math.sign(r));
    });
  }
});

describe('podsToDelete', () => {
  test('picks the unscheduled, pending, not-ready pods first, then ranks by colocation', () => {
    const pods = [
      pod('ready-old', { node: 'n1', ready: true, readyAgo: 3_600_000, createdAgo: 7_200_000 }),
      pod('pending', { node: 'n3', phase: 'Pending' }),
      pod('unscheduled', { phase: 'Pending' }),
      pod('ready-doubled', { node: 'n2', ready: true, readyAgo: 3_600_000, createdAgo: 7_200_000 }),
      pod('ready-doubled-2', { node: 'n2', ready: true, readyAgo: 3_600_000, createdAgo: 7_200_000 }),
    ];
    assert.deepEqual(podsToDelete(pods, pods, 3, NOW).map((p) => p.metadata?.name), ['unscheduled', 'pending', 'ready-doubled']);
    assert.equal(podsToDelete(pods, pods, 9, NOW).length, 5);
  });
});

describe('deletionCost', () => {
  const cases: { name: string; cost?: string; want: number }[] = [
    { name: 'absent', want: 0 },
    { name: 'an int32', cost: '12', want: 12 },
    { name: 'negative', cost: '-5', want: -5 },
    { name: 'not a number', cost: 'x', want: 0 },
    { name: 'out of int32 range', cost: '99999999999', want: 0 },
  ];
  for (const c of cases) {
    test(c.name, () => {
      assert.equal(deletionCost(pod('a', c.cost !== undefined ? { cost: c.cost } : {})), c.want);
    });
  }
});
