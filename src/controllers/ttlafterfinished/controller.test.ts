import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../util/clock.js';
import { startControllerTestEnv, waitFor } from '../common/testutil.js';
import { GVR } from '../common/types.js';
import type { JobObj } from '../job/utils.js';
import { needsCleanup, newTTLAfterFinishedController, timeLeft } from './controller.js';

const T0 = Date.parse('2024-01-01T00:00:00Z');

function job(o: { ttl?: number; finishedAt?: string; type?: string; deleting?: boolean } = {}): JobObj {
  return {
    metadata: { name: 'j', namespace: 'default', ...(o.deleting ? { deletionTimestamp: '2024-01-01T00:00:00Z' } : {}) },
    spec: { template: {}, ...(o.ttl !== undefined ? { ttlSecondsAfterFinished: o.ttl } : {}) },
    status: o.finishedAt ? { conditions: [{ type: o.type ?? 'Complete', status: 'True', lastTransitionTime: o.finishedAt }] } : {},
  } as JobObj;
}

test('timeLeft', () => {
  const cases: { name: string; job: JobObj; now: number; want: number | undefined }[] = [
    { name: 'no ttl', job: job({ finishedAt: '2024-01-01T00:00:00Z' }), now: T0, want: undefined },
    { name: 'not finished', job: job({ ttl: 10 }), now: T0, want: undefined },
    { name: 'complete, waiting', job: job({ ttl: 10, finishedAt: '2024-01-01T00:00:00Z' }), now: T0 + 4_000, want: 6_000 },
    { name: 'failed, expired', job: job({ ttl: 10, finishedAt: '2024-01-01T00:00:00Z', type: 'Failed' }), now: T0 + 11_000, want: -1_000 },
    { name: 'ttl 0 expires at once', job: job({ ttl: 0, finishedAt: '2024-01-01T00:00:00Z' }), now: T0, want: 0 },
    { name: 'already deleting', job: job({ ttl: 0, finishedAt: '2024-01-01T00:00:00Z', deleting: true }), now: T0, want: undefined },
  ];
  for (const c of cases) assert.equal(timeLeft(c.job, c.now), c.want, c.name);
  assert.equal(needsCleanup(job({ ttl: 5, finishedAt: '2024-01-01T00:00:00Z', type: 'Suspended' })), false);
});

test('a finished Job is deleted once its TTL passes on the controller clock', async () => {
  const clock = new FakeClock(Date.now());
  const env = await startControllerTestEnv({ clock });
  try {
    await env.start(newTTLAfterFinishedController(env.ctx));
    const created = await env.client.create<JobObj>(GVR.jobs, {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'done', namespace: 'default' },
      spec: { ttlSecondsAfterFinished: 100, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'x' }] } } },
    } as JobObj);
    const finishedAt = new Date(Math.floor(clock.now() / 1000) * 1000).toISOString().replace('.000Z', 'Z');
    await env.client.updateStatus({ ...GVR.jobs, namespace: 'default' }, {
      ...created,
      status: { conditions: [{ type: 'Complete', status: 'True', lastTransitionTime: finishedAt }], succeeded: 1 },
    });
    await new Promise((r) => setTimeout(r, 100));
    clock.advance(50_000);
    await new Promise((r) => setTimeout(r, 100));
    await env.client.get({ ...GVR.jobs, namespace: 'default', name: 'done' });
    clock.advance(51_000);
    await waitFor(async () => {
      try {
        const j = await env.client.get<JobObj>({ ...GVR.jobs, namespace: 'default', name: 'done' });
        return j.metadata?.deletionTimestamp !== undefined;
      } catch {
        return true;
      }
    }, 'job deleted');
  } finally {
    await env.close();
  }
});
