/**
 * CronJob scheduling arithmetic (upstream pkg/controller/cronjob/utils.go): the most
 * recent missed schedule time, when to look again, job names and the Job built from
 * the template.
 */
import type { CronJob } from 'kubernetes-types/batch/v1.js';
import { deepCopy } from '../../apimachinery/meta.js';
import { newControllerRef } from '../common/controllerref.js';
import { CRONJOB_SCHEDULED_TIMESTAMP_ANNOTATION, type Obj } from '../common/types.js';
import type { JobObj } from '../job/utils.js';
import { formatRFC3339, type Schedule } from './cron.js';

export type CronJobObj = Obj<CronJob>;

/** Upstream's limit before it stops listing missed start times. */
export const MANY_MISSED = 100;
/** Added to the wait for the next schedule so the sync lands after it (nextScheduleDelta). */
export const NEXT_SCHEDULE_DELTA_MS = 100;

/** batch/v1 CronJob defaults, applied to a copy. */
export function withCronJobDefaults(cj: CronJobObj): CronJobObj {
  const out = deepCopy(cj);
  const spec = (out.spec ??= { schedule: '', jobTemplate: {} });
  spec.concurrencyPolicy ??= 'Allow';
  spec.suspend ??= false;
  spec.successfulJobsHistoryLimit ??= 3;
  spec.failedJobsHistoryLimit ??= 1;
  return out;
}

export type Missed = 'none' | 'few' | 'many';

export interface MostRecent {
  /** Where the search started: lastScheduleTime, else creation time (raised to now - startingDeadlineSeconds). */
  earliest: number;
  /** The latest schedule time at or before now not yet run, if any. */
  mostRecent?: number;
  missed: Missed;
}

/** mostRecentScheduleTime: throws when two consecutive schedules are less than a second apart (an impossible schedule). */
export function mostRecentScheduleTime(cj: CronJobObj, now: number, sched: Schedule, includeStartingDeadline: boolean): MostRecent {
  let earliest = Date.parse(cj.metadata?.creationTimestamp ?? '');
  if (!Number.isFinite(earliest)) earliest = now;
  const last = cj.status?.lastScheduleTime;
  if (last !== undefined && Number.isFinite(Date.parse(last))) earliest = Date.parse(last);
  const sds = cj.spec?.startingDeadlineSeconds;
  if (includeStartingDeadline && sds !== undefined && sds !== null) {
    const deadline = now - sds * 1000;
    if (deadline > earliest) earliest = deadline;
  }
  const t1 = sched.next(earliest);
  // No activation at all (e.g. "0 0 31 2 *"): upstream's zero times give a zero interval.
  if (t1 === undefined) throw new Error('time difference between two schedules is less than 1 second');
  if (now < t1) return { earliest, missed: 'none' };
  const t2 = sched.next(t1);
  if (t2 === undefined || now < t2) return { earliest, mostRecent: t1, missed: 'none' };
  const between = Math.round((t2 - t1) / 1000);
  if (between < 1) throw new Error('time difference between two schedules is less than 1 second');
  const elapsed = Math.floor((now - t1) / 1000);
  const missedCount = Math.floor(elapsed / between) + 1;
  // Jump close to now, then let the schedule find the exact last time (irregular schedules).
  const potentialEarliest = t1 + (missedCount - 2) * between * 1000;
  let mostRecent: number | undefined;
  for (let t = sched.next(potentialEarliest); t !== undefined && t <= now; t = sched.next(t)) mostRecent = t;
  const missed: Missed = missedCount > MANY_MISSED ? 'many' : missedCount > 1 ? 'few' : 'none';
  return mostRecent === undefined ? { earliest, missed } : { earliest, mostRecent, missed };
}

/** How long until the schedule after the most recent one, plus 100 ms (nextScheduleTimeDuration). */
export function nextScheduleTimeDuration(cj: CronJobObj, now: number, sched: Schedule): number | undefined {
  let r: MostRecent;
  try {
    r = mostRecentScheduleTime(cj, now, sched, false);
  } catch {
    return undefined;
  }
  const from = r.mostRecent ?? r.earliest;
  const next = sched.next(from);
  if (next === undefined) return undefined;
  return next + NEXT_SCHEDULE_DELTA_MS - now;
}

/** "<cronjob>-<scheduled time in minutes since the epoch>" (getJobName). */
export function jobName(cj: CronJobObj, scheduledTime: number): string {
  return `${cj.metadata?.name ?? ''}-${Math.floor(scheduledTime / 60_000)}`;
}

/** The Job for a scheduled time (getJobFromTemplate2). */
export function jobFromTemplate(cj: CronJobObj, scheduledTime: number, tz: string): JobObj {
  const tmpl = deepCopy(cj.spec?.jobTemplate ?? {});
  const annotations = { ...(tmpl.metadata?.annotations ?? {}), [CRONJOB_SCHEDULED_TIMESTAMP_ANNOTATION]: formatRFC3339(scheduledTime, tz) };
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name: jobName(cj, scheduledTime),
      namespace: cj.metadata?.namespace ?? '',
      ...(tmpl.metadata?.labels ? { labels: { ...tmpl.metadata.labels } } : {}),
      annotations,
      ownerReferences: [newControllerRef(cj, 'batch/v1', 'CronJob')],
    },
    spec: tmpl.spec ?? { template: {} },
  } as JobObj;
}

/** Sorts jobs by start time (unstarted last), then name (byJobStartTime). */
export function compareJobStartTime(a: JobObj, b: JobObj): number {
  const as = a.status?.startTime;
  const bs = b.status?.startTime;
  if (as === undefined && bs !== undefined) return 1;
  if (as !== undefined && bs === undefined) return -1;
  if (as === bs || (as !== undefined && bs !== undefined && Date.parse(as) === Date.parse(bs))) return (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? '');
  return Date.parse(as ?? '') - Date.parse(bs ?? '');
}
