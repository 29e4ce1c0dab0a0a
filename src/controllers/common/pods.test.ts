import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { filterActivePods, isPodActive, isPodAvailable } from './pods.js';
import type { Obj } from './types.js';

const NOW = Date.UTC(2024, 0, 1, 12, 0, 0);
const iso = (msAgo: number): string => new Date(NOW - msAgo).toISOString().replace('.000Z', 'Z');

function pod(name: string, o: { phase?: string; ready?: boolean; readyAgo?: number; deleting?: boolean } = {}): Obj<Pod> {
  return {
    metadata: { name, namespace: 'ns', ...(o.deleting ? { deletionTimestamp: iso(0) } : {}) },
    spec: { containers: [] },
    status: {
      phase: o.phase ?? 'Running',
      conditions: o.ready ? [{ type: 'Ready', status: 'True', lastTransitionTime: iso(o.readyAgo ?? 0) }] : [],
    },
  };
}

describe('pod facts', () => {
  test('availability honours minReadySeconds', () => {
    const p = pod('a', { ready: true, readyAgo: 5_000 });
    assert.equal(isPodAvailable(p, 0, NOW), true);
    assert.equal(isPodAvailable(p, 4, NOW), true);
    assert.equal(isPodAvailable(p, 5, NOW), false);
    assert.equal(isPodAvailable(pod('b'), 0, NOW), false);
  });
  const activity: { name: string; pod: Obj<Pod>; want: boolean }[] = [
    { name: 'running', pod: pod('a'), want: true },
    { name: 'pending', pod: pod('a', { phase: 'Pending' }), want: true },
    { name: 'succeeded', pod: pod('a', { phase: 'Succeeded' }), want: false },
    { name: 'failed', pod: pod('a', { phase: 'Failed' }), want: false },
    { name: 'being deleted', pod: pod('a', { deleting: true }), want: false },
  ];
  for (const c of activity) {
    test(`active: ${c.name}`, () => {
      assert.equal(isPodActive(c.pod), c.want);
      assert.equal(filterActivePods([c.pod]).length, c.want ? 1 : 0);
    });
  }
});
