import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../util/clock.js';
import { listObjects, startControllerTestEnv, waitFor as waitForReal, type ControllerTestEnv } from '../common/testutil.js';
import { GVR } from '../common/types.js';
import type { JobObj } from '../job/utils.js';
import { newCronJobController } from './controller.js';
import type { CronJobObj } from './utils.js';

let t: ControllerTestEnv;
let clock: FakeClock;

before(async () => {
  // The fake clock starts at the real time, so the CronJobs' creation times (set by the
  // API server) are "now" for the controller too.
  clock = new FakeClock(Date.now());
  t = await startControllerTestEnv({ clock });
  await t.start(newCronJobController(t.ctx));
});

after(async () => {
  if (process.env['CONTROLLER_TEST_LOGS']) console.error(t.logs.join('\n'));
  await t.close();
});

function cronJob(name: string, spec: Record<string, unknown>): CronJobObj {
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name, namespace: 'default' },
    spec: {
      schedule: '*/5 * * * *',
      jobTemplate: { metadata: { labels: { cron: name } }, spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } } },
      ...spec,
    },
  } as CronJobObj;
}

/** waitFor that also nudges the fake clock, so rate-limited retries queued on it run. */
const waitFor = <T>(fn: () => Promise<T | undefined | false>, what: string): Promise<T> =>
  waitForReal(async () => {
    clock.advance(5);
    return fn();
  }, what);

const jobsOf = async (name: string): Promise<JobObj[]> => listObjects<JobObj>(t.client, GVR.jobs, 'default', `cron=${name}`);
const nextFiveMinutes = (ms: number): number => (Math.floor(ms / 300_000) + 1) * 300_000;

/** Moves the fake clock forward to at. */
async function advanceTo(at: number): Promise<void> {
  if (at > clock.now()) clock.advance(at - clock.now());
}

async function completeJob(job: JobObj, when: number): Promise<void> {
  const ts = new Date(Math.floor(when / 1000) * 1000).toISOString().replace('.000Z', 'Z');
  await t.client.updateStatus({ ...GVR.jobs, namespace: 'default' }, {
    ...job,
    status: { startTime: ts, completionTime: ts, succeeded: 1, conditions: [{ type: 'Complete', status: 'True', lastTransitionTime: ts }] },
  });
}

test('a CronJob creates its Job at the scheduled time on the controller clock, then keeps history within limits', async () => {
  await t.client.create(GVR.cronJobs, cronJob('tick', { successfulJobsHistoryLimit: 1 }));
  const created = await t.client.get<CronJobObj>({ ...GVR.cronJobs, namespace: 'default', name: 'tick' });
  const first = nextFiveMinutes(Math.max(Date.parse(created.metadata?.creationTimestamp ?? ''), clock.now()));
  await advanceTo(first - 1_000);
  await new Promise((r) => setTimeout(r, 150));
  assert.equal((await jobsOf('tick')).length, 0, 'nothing before the schedule');

  await advanceTo(first + 200);
  const job = await waitFor(async () => (await jobsOf('tick'))[0], 'the first job');
  assert.equal(job.metadata?.name, `tick-${first / 60_000}`);
  assert.equal(job.metadata?.annotations?.['batch.kubernetes.io/cronjob-scheduled-timestamp'], new Date(first).toISOString().replace('.000Z', 'Z'));
  assert.equal(job.metadata?.ownerReferences?.[0]?.name, 'tick');
  const cj = await waitFor(async () => {
    const x = await t.client.get<CronJobObj>({ ...GVR.cronJobs, namespace: 'default', name: 'tick' });
    return x.status?.active?.length === 1 ? x : undefined;
  }, 'status.active');
  assert.equal(cj.status?.lastScheduleTime, new Date(first).toISOString().replace('.000Z', 'Z'));
  assert.equal(cj.status?.active?.[0]?.name, job.metadata?.name);

  await completeJob(job, first + 30_000);
  await waitFor(async () => {
    const x = await t.client.get<CronJobObj>({ ...GVR.cronJobs, namespace: 'default', name: 'tick' });
    return x.status?.active === undefined && x.status?.lastSuccessfulTime !== undefined;
  }, 'completed job leaves active');

  await advanceTo(first + 300_200);
  const second = await waitFor(async () => (await jobsOf('tick')).find((j) => j.metadata?.name === `tick-${first / 60_000 + 5}`), 'the second job');
  await completeJob(second, first + 330_000);
  // successfulJobsHistoryLimit 1: the first job goes.
  await waitFor(async () => {
    const names = (await jobsOf('tick')).filter((j) => j.metadata?.deletionTimestamp === undefined).map((j) => j.metadata?.name);
    return names.length === 1 && names[0] === second.metadata?.name;
  }, 'history pruned');
});

test('Forbid skips a run while the previous Job is active; suspend stops new runs', async () => {
  await t.client.create(GVR.cronJobs, cronJob('forbid', { concurrencyPolicy: 'Forbid' }));
  const start = nextFiveMinutes(clock.now());
  await advanceTo(start + 200);
  await waitFor(async () => (await jobsOf('forbid')).length === 1, 'first run');
  await waitFor(async () => {
    const x = await t.client.get<CronJobObj>({ ...GVR.cronJobs, namespace: 'default', name: 'forbid' });
    return x.status?.active?.length === 1;
  }, 'active');
  await advanceTo(start + 300_200);
  await new Promise((r) => setTimeout(r, 200));
  assert.equal((await jobsOf('forbid')).length, 1, 'no second run while the first is active');

  await t.client.patch({ ...GVR.cronJobs, namespace: 'default', name: 'forbid' }, 'merge', { spec: { suspend: true, concurrencyPolicy: 'Allow' } });
  await new Promise((r) => setTimeout(r, 100));
  await advanceTo(start + 600_200);
  await new Promise((r) => setTimeout(r, 200));
  assert.equal((await jobsOf('forbid')).length, 1, 'suspended');
});
