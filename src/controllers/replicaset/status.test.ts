import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { ReplicaSetLike } from '../common/replicaset.js';
import { calculateStatus, statusUpToDate } from './status.js';

const NOW = Date.UTC(2024, 0, 1, 12, 0, 0);

function rs(o: { replicas?: number; minReady?: number; status?: ReplicaSetLike['status']; generation?: number } = {}): ReplicaSetLike {
  return {
    metadata: { name: 'web', namespace: 'ns', generation: o.generation ?? 1 },
    spec: { replicas: o.replicas ?? 3, minReadySeconds: o.minReady ?? 0, template: { metadata: { labels: { app: 'web', tier: 'fe' } } } },
    ...(o.status ? { status: o.status } : {}),
  };
}

function p(labels: Record<string, string>, readyAgoMs?: number): Pod {
  return {
    metadata: { name: 'x', labels },
    status: { phase: 'Running', conditions: readyAgoMs === undefined ? [] : [{ type: 'Ready', status: 'True', lastTransitionTime: new Date(NOW - readyAgoMs).toISOString() }] },
  };
}

describe('calculateStatus', () => {
  const full = { app: 'web', tier: 'fe' };
  const cases: { name: string; rs: ReplicaSetLike; pods: Pod[]; err?: Error; want: Record<string, unknown> }[] = [
    { name: 'no pods', rs: rs(), pods: [], want: { replicas: 0 } },
    {
      name: 'counts fully labeled, ready and available',
      rs: rs({ minReady: 10 }),
      pods: [p(full, 60_000), p(full, 1_000), p({ app: 'web' })],
      want: { replicas: 3, fullyLabeledReplicas: 2, readyReplicas: 2, availableReplicas: 1 },
    },
    {
      name: 'a create error sets ReplicaFailure FailedCreate',
      rs: rs(),
      pods: [p(full)],
      err: new Error('quota exceeded'),
      want: {
        replicas: 1,
        fullyLabeledReplicas: 1,
        conditions: [{ type: 'ReplicaFailure', status: 'True', lastTransitionTime: '2024-01-01T12:00:00Z', reason: 'FailedCreate', message: 'quota exceeded' }],
      },
    },
    {
      name: 'a delete error sets FailedDelete',
      rs: rs({ replicas: 0 }),
      pods: [p(full)],
      err: new Error('nope'),
      want: {
        replicas: 1,
        fullyLabeledReplicas: 1,
        conditions: [{ type: 'ReplicaFailure', status: 'True', lastTransitionTime: '2024-01-01T12:00:00Z', reason: 'FailedDelete', message: 'nope' }],
      },
    },
    {
      name: 'success clears ReplicaFailure',
      rs: rs({ replicas: 1, status: { replicas: 1, conditions: [{ type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate' }] } }),
      pods: [p(full)],
      want: { replicas: 1, fullyLabeledReplicas: 1 },
    },
  ];
  for (const c of cases) {
    test(c.name, () => {
      assert.deepEqual(calculateStatus(c.rs, c.pods, c.err, NOW), c.want);
    });
  }

  test('statusUpToDate compares counts, conditions and observedGeneration', () => {
    const cur = rs({ generation: 2, status: { replicas: 3, readyReplicas: 3, observedGeneration: 2 } });
    assert.equal(statusUpToDate(cur, { replicas: 3, readyReplicas: 3 }), true);
    assert.equal(statusUpToDate(cur, { replicas: 3, readyReplicas: 2 }), false);
    assert.equal(statusUpToDate(rs({ generation: 3, status: cur.status }), { replicas: 3, readyReplicas: 3 }), false);
  });
});
