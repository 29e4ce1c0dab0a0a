import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../util/clock.js';
import { listObjects, setPodStatus, startControllerTestEnv, waitFor, type ControllerTestEnv } from '../common/testutil.js';
import { GVR } from '../common/types.js';
import { newJobController } from './controller.js';
import type { JobObj, PodObj } from './utils.js';

let t: ControllerTestEnv;

before(async () => {
  t = await startControllerTestEnv();
  await t.start(newJobController(t.ctx));
});

after(async () => {
  if (process.env['CONTROLLER_TEST_LOGS']) console.error(t.logs.join('\n'));
  await t.close();
});

const jobPods = async (job: string): Promise<PodObj[]> => listObjects<PodObj>(t.client, GVR.pods, 'default', `batch.kubernetes.io/job-name=${job}`);
const getJob = (name: string): Promise<JobObj> => t.client.get<JobObj>({ ...GVR.jobs, namespace: 'default', name });
const cond = (j: JobObj, type: string): { status?: string; reason?: string } | undefined => j.status?.conditions?.find((c) => c.type === type);

function newJob(name: string, spec: Record<string, unknown>): JobObj {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, namespace: 'default' },
    spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } }, ...spec },
  } as JobObj;
}

test('a Job runs its pods one after the other and completes when they succeed', async () => {
  await t.client.create(GVR.jobs, newJob('pi', { completions: 2, parallelism: 1 }));
  const first = await waitFor(async () => {
    const p = await jobPods('pi');
    return p.length === 1 ? p[0] : undefined;
  }, 'first pod');
  assert.ok(first?.metadata?.name?.startsWith('pi-'));
  assert.deepEqual(first?.metadata?.finalizers, ['batch.kubernetes.io/job-tracking']);
  const labels = first?.metadata?.labels ?? {};
  assert.equal(labels['job-name'], 'pi');
  assert.equal(labels['controller-uid'], labels['batch.kubernetes.io/controller-uid']);
  const running = await waitFor(async () => {
    const j = await getJob('pi');
    return j.status?.active === 1 && j.status.startTime !== undefined ? j : undefined;
  }, 'active 1');
  assert.equal(running.status?.ready, 0);

  await setPodStatus(t.client, 'default', first?.metadata?.name ?? '', { phase: 'Succeeded' });
  const second = await waitFor(async () => {
    const p = (await jobPods('pi')).filter((x) => x.metadata?.name !== first?.metadata?.name);
    return p.length === 1 ? p[0] : undefined;
  }, 'second pod');
  await waitFor(async () => (await getJob('pi')).status?.succeeded === 1, 'succeeded 1');
  await setPodStatus(t.client, 'default', second?.metadata?.name ?? '', { phase: 'Succeeded' });

  const done = await waitFor(async () => {
    const j = await getJob('pi');
    return cond(j, 'Complete')?.status === 'True' ? j : undefined;
  }, 'Complete');
  assert.equal(done.status?.succeeded, 2);
  assert.equal(done.status?.active, 0);
  assert.ok(done.status?.completionTime);
  assert.equal(cond(done, 'Complete')?.reason, 'CompletionsReached');
  assert.equal(cond(done, 'SuccessCriteriaMet')?.status, 'True');
  assert.deepEqual(done.status?.uncountedTerminatedPods, {});
  for (const p of await jobPods('pi')) assert.deepEqual(p.metadata?.finalizers ?? [], [], `finalizer left on ${p.metadata?.name}`);
});

test('an Indexed Job gives each pod an index and records completedIndexes', async () => {
  await t.client.create(GVR.jobs, newJob('idx', { completions: 3, parallelism: 3, completionMode: 'Indexed' }));
  const pods = await waitFor(async () => {
    const p = await jobPods('idx');
    return p.length === 3 ? p : undefined;
  }, 'three pods');
  const byIndex = new Map(pods.map((p) => [p.metadata?.annotations?.['batch.kubernetes.io/job-completion-index'], p]));
  assert.deepEqual([...byIndex.keys()].sort(), ['0', '1', '2']);
  const p1 = byIndex.get('1');
  assert.equal(p1?.metadata?.labels?.['batch.kubernetes.io/job-completion-index'], '1');
  assert.equal(p1?.spec?.hostname, 'idx-1');
  assert.ok(p1?.metadata?.name?.startsWith('idx-1-'));
  assert.ok(p1?.spec?.containers[0]?.env?.some((e) => e.name === 'JOB_COMPLETION_INDEX'));
  await setPodStatus(t.client, 'default', byIndex.get('2')?.metadata?.name ?? '', { phase: 'Succeeded' });
  await waitFor(async () => (await getJob('idx')).status?.completedIndexes === '2', 'completedIndexes 2');
  for (const ix of ['0', '1']) await setPodStatus(t.client, 'default', byIndex.get(ix)?.metadata?.name ?? '', { phase: 'Succeeded' });
  const done = await waitFor(async () => {
    const j = await getJob('idx');
    return cond(j, 'Complete')?.status === 'True' ? j : undefined;
  }, 'Complete');
  assert.equal(done.status?.completedIndexes, '0-2');
  assert.equal(done.status?.succeeded, 3);
});

test('a failed pod beyond backoffLimit fails the Job with BackoffLimitExceeded', async () => {
  await t.client.create(GVR.jobs, newJob('bad', { backoffLimit: 0 }));
  const p = await waitFor(async () => (await jobPods('bad'))[0], 'pod');
  await setPodStatus(t.client, 'default', p.metadata?.name ?? '', { phase: 'Failed' });
  const failed = await waitFor(async () => {
    const j = await getJob('bad');
    return cond(j, 'Failed')?.status === 'True' ? j : undefined;
  }, 'Failed');
  assert.equal(cond(failed, 'Failed')?.reason, 'BackoffLimitExceeded');
  assert.equal(cond(failed, 'FailureTarget')?.reason, 'BackoffLimitExceeded');
  assert.equal(failed.status?.failed, 1);
  assert.equal(failed.status?.completionTime, undefined);
});

test('a suspended Job runs no pods until resumed', async () => {
  await t.client.create(GVR.jobs, newJob('sus', { suspend: true, parallelism: 2, completions: 2 }));
  const j = await waitFor(async () => {
    const x = await getJob('sus');
    return cond(x, 'Suspended')?.status === 'True' ? x : undefined;
  }, 'Suspended');
  assert.equal(j.status?.startTime, undefined);
  assert.equal((await jobPods('sus')).length, 0);
  await t.client.patch({ ...GVR.jobs, namespace: 'default', name: 'sus' }, 'merge', { spec: { suspend: false } });
  await waitFor(async () => (await jobPods('sus')).length === 2, 'two pods after resume');
  const resumed = await waitFor(async () => {
    const x = await getJob('sus');
    return cond(x, 'Suspended')?.status === 'False' ? x : undefined;
  }, 'resumed');
  assert.equal(cond(resumed, 'Suspended')?.reason, 'JobResumed');
  assert.ok(resumed.status?.startTime);
});

test('activeDeadlineSeconds fails the Job on the controller clock', async () => {
  const clock = new FakeClock(Date.now());
  const env = await startControllerTestEnv({ clock });
  try {
    await env.start(newJobController(env.ctx));
    await env.client.create(GVR.jobs, newJob('slow', { activeDeadlineSeconds: 60 }));
    await waitFor(async () => (await listObjects<PodObj>(env.client, GVR.pods, 'default', 'job-name=slow')).length === 1, 'pod');
    clock.advance(61_000);
    const failed = await waitFor(async () => {
      clock.advance(100);
      const x = await env.client.get<JobObj>({ ...GVR.jobs, namespace: 'default', name: 'slow' });
      return cond(x, 'Failed')?.status === 'True' ? x : undefined;
    }, 'Failed by deadline');
    assert.equal(cond(failed, 'Failed')?.reason, 'DeadlineExceeded');
    assert.equal(failed.status?.failed, 1);
    assert.equal(failed.status?.active, 0);
    await waitFor(async () => (await listObjects<PodObj>(env.client, GVR.pods, 'default', 'job-name=slow')).length === 0, 'pod deleted');
  } finally {
    await env.close();
  }
});
