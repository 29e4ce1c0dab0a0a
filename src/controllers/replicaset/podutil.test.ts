import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { comparePodsForDeletion, deletionCost, isPodActive, isPodAvailable, podsToDelete, type Pod } from './podutil.js';
import { ControllerExpectations, EXPECTATIONS_TIMEOUT_MS } from './expectations.js';
import { FakeClock } from '../../util/clock.js';

const NOW = Date.UTC(2024, 0, 1, 12, 0, 0);
const iso = (msAgo: number): string => new Date(NOW - msAgo).toISOString().replace('.000Z', 'Z');

function pod(name: string, o: { node?: string; phase?: string; ready?: boolean; readyAgo?: number; createdAgo?: number; restarts?: number; cost?: string; deleting?: boolean } = {}): Pod {
  return {
    metadata: {
      name,
      namespace: 'ns',
      uid: `uid-${name}`,
      creationTimestamp: o.createdAgo !== undefined ? iso(o.createdAgo) : undefined,
      ...(o.cost !== undefined ? { annotations: { 'controller.kubernetes.io/pod-deletion-cost': o.cost } } : {}),
      ...(o.deleting ? { deletionTimestamp: iso(0) } : {}),
    },
    spec: { ...(o.node !== undefined ? { nodeName: o.node } : {}) },
    status: {
      phase: o.phase ?? 'Running',
      conditions: o.ready ? [{ type: 'Ready', status: 'True', lastTransitionTime: iso(o.readyAgo ?? 0) }] : [],
      containerStatuses: [{ restartCount: o.restarts ?? 0 }],
    },
  };
}

describe('comparePodsForDeletion', () => {
  const cases: { name: string; a: Pod; b: Pod; rankA?: number; rankB?: number; want: 'a' | 'b' }[] = [
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

describe('pod facts', () => {
  test('availability honours minReadySeconds', () => {
    const p = pod('a', { ready: true, readyAgo: 5_000 });
    assert.equal(isPodAvailable(p, 0, NOW), true);
    assert.equal(isPodAvailable(p, 4, NOW), true);
    assert.equal(isPodAvailable(p, 5, NOW), false);
    assert.equal(isPodAvailable(pod('b'), 0, NOW), false);
  });
  test('activity and deletion cost', () => {
    assert.equal(isPodActive(pod('a')), true);
    assert.equal(isPodActive(pod('a', { phase: 'Succeeded' })), false);
    assert.equal(isPodActive(pod('a', { deleting: true })), false);
    assert.equal(deletionCost(pod('a', { cost: '12' })), 12);
    assert.equal(deletionCost(pod('a', { cost: 'x' })), 0);
    assert.equal(deletionCost(pod('a', { cost: '99999999999' })), 0);
  });
});

describe('ControllerExpectations', () => {
  test('creations and deletions are counted until observed, and expire', () => {
    const clock = new FakeClock();
    const e = new ControllerExpectations(clock);
    assert.equal(e.satisfied('ns/rs'), true);
    e.expectCreations('ns/rs', 2);
    assert.equal(e.satisfied('ns/rs'), false);
    e.creationObserved('ns/rs');
    assert.equal(e.satisfied('ns/rs'), false);
    e.creationObserved('ns/rs');
    assert.equal(e.satisfied('ns/rs'), true);
    e.expectDeletions('ns/rs', ['ns/a', 'ns/b']);
    e.deletionObserved('ns/rs', 'ns/a');
    e.deletionObserved('ns/rs', 'ns/a');
    assert.deepEqual(e.pending('ns/rs'), { add: 0, del: 1 });
    assert.equal(e.satisfied('ns/rs'), false);
    clock.advance(EXPECTATIONS_TIMEOUT_MS + 1);
    assert.equal(e.satisfied('ns/rs'), true, 'expired');
    e.delete('ns/rs');
    assert.equal(e.pending('ns/rs'), undefined);
  });
});
