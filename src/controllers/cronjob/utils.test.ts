import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../util/clock.js';
import { parseSchedule } from './cron.js';
import { compareJobStartTime, jobFromTemplate, jobName, mostRecentScheduleTime, nextScheduleTimeDuration, withCronJobDefaults, type CronJobObj } from './utils.js';
import type { JobObj } from '../job/utils.js';

const T = (s: string): number => Date.parse(s);

function cj(o: { created?: string; last?: string; deadline?: number; schedule?: string } = {}): CronJobObj {
  return withCronJobDefaults({
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name: 'hello', namespace: 'default', uid: 'cj-uid', creationTimestamp: o.created ?? '2024-01-01T10:00:00Z' },
    spec: {
      schedule: o.schedule ?? '*/5 * * * *',
      jobTemplate: { metadata: { labels: { a: 'b' } }, spec: { template: { spec: { containers: [] } } } },
      ...(o.deadline !== undefined ? { startingDeadlineSeconds: o.deadline } : {}),
    },
    status: o.last ? { lastScheduleTime: o.last } : {},
  } as CronJobObj);
}

test('mostRecentScheduleTime', () => {
  const sched = parseSchedule('*/5 * * * *');
  const cases: { name: string; cj: CronJobObj; now: string; deadline?: boolean; want: { mostRecent?: string; missed: string } }[] = [
    { name: 'nothing due yet', cj: cj(), now: '2024-01-01T10:04:59Z', want: { missed: 'none' } },
    { name: 'first time due', cj: cj(), now: '2024-01-01T10:05:00Z', want: { mostRecent: '2024-01-01T10:05:00Z', missed: 'none' } },
    { name: 'already ran', cj: cj({ last: '2024-01-01T10:05:00Z' }), now: '2024-01-01T10:07:00Z', want: { missed: 'none' } },
    { name: 'a few missed', cj: cj(), now: '2024-01-01T10:17:00Z', want: { mostRecent: '2024-01-01T10:15:00Z', missed: 'few' } },
    { name: 'many missed', cj: cj(), now: '2024-01-03T10:17:00Z', want: { mostRecent: '2024-01-03T10:15:00Z', missed: 'many' } },
    { name: 'startingDeadlineSeconds bounds the search', cj: cj({ deadline: 60 }), now: '2024-01-03T10:15:30Z', deadline: true, want: { mostRecent: '2024-01-03T10:15:00Z', missed: 'none' } },
  ];
  for (const c of cases) {
    const r = mostRecentScheduleTime(c.cj, T(c.now), sched, c.deadline ?? false);
    const got = { ...(r.mostRecent !== undefined ? { mostRecent: new Date(r.mostRecent).toISOString().replace('.000Z', 'Z') } : {}), missed: r.missed };
    assert.deepEqual(got, c.want, c.name);
  }
  assert.throws(() => mostRecentScheduleTime(cj({ schedule: '59 23 31 2 *' }), T('2030-01-01T00:00:00Z'), parseSchedule('59 23 31 2 *'), false));
});

test('the controller wakes up 100 ms after the next schedule time, on a fake clock', () => {
  const clock = new FakeClock(T('2024-01-01T10:01:00Z'));
  const sched = parseSchedule('*/5 * * * *');
  assert.equal(nextScheduleTimeDuration(cj(), clock.now(), sched), 4 * 60_000 + 100);
  clock.advance(4 * 60_000 + 100);
  const r = mostRecentScheduleTime(cj(), clock.now(), sched, true);
  assert.equal(r.mostRecent, T('2024-01-01T10:05:00Z'));
  assert.equal(nextScheduleTimeDuration(cj({ last: '2024-01-01T10:05:00Z' }), clock.now(), sched), 5 * 60_000);
});

test('jobs are named after the scheduled minute and carry the scheduled timestamp', () => {
  const t = T('2024-01-01T10:05:00Z');
  assert.equal(jobName(cj(), t), `hello-${t / 60_000}`);
  const j = jobFromTemplate(cj(), t, 'Europe/Berlin');
  assert.equal(j.metadata?.name, 'hello-28401725');
  assert.equal(j.metadata?.annotations?.['batch.kubernetes.io/cronjob-scheduled-timestamp'], '2024-01-01T11:05:00+01:00');
  assert.deepEqual(j.metadata?.labels, { a: 'b' });
  assert.equal(j.metadata?.ownerReferences?.[0]?.kind, 'CronJob');
  assert.equal(j.metadata?.ownerReferences?.[0]?.controller, true);
});

test('defaults and job ordering', () => {
  const d = cj().spec;
  assert.deepEqual([d?.concurrencyPolicy, d?.suspend, d?.successfulJobsHistoryLimit, d?.failedJobsHistoryLimit], ['Allow', false, 3, 1]);
  const mk = (name: string, start?: string): JobObj => ({ metadata: { name }, spec: { template: {} }, status: start ? { startTime: start } : {} }) as JobObj;
  const sorted = [mk('c'), mk('b', '2024-01-02T00:00:00Z'), mk('a', '2024-01-01T00:00:00Z')].sort(compareJobStartTime).map((j) => j.metadata?.name);
  assert.deepEqual(sorted, ['a', 'b', 'c']);
});
