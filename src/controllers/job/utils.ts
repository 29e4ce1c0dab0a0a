/**
 * Job helpers as pure functions (upstream job_controller.go, backoff_utils.go,
 * util/utils.go): defaults, conditions, failure accounting, and the pod creation
 * back-off after failures.
 */
import type { Job, JobCondition } from 'kubernetes-types/batch/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { deepCopy } from '../../apimachinery/meta.js';
import { rfc3339 } from '../../util/clock.js';
import { compareActivePods } from '../common/activepods.js';
import { JOB_CONTROLLER_UID_LABEL, JOB_TRACKING_FINALIZER, type Obj } from '../common/types.js';
import { completionIndex, UNKNOWN_COMPLETION_INDEX } from './indexes.js';

export type JobObj = Obj<Job>;
export type PodObj = Obj<Pod>;

export const DEFAULT_BACKOFF_LIMIT = 6;
export const DEFAULT_POD_FAILURE_BACKOFF_MS = 10_000;
export const MAX_POD_FAILURE_BACKOFF_MS = 360_000;
/** Creations or deletions per sync at most (MaxPodCreateDeletePerSync). */
export const MAX_POD_CREATE_DELETE_PER_SYNC = 500;
/** Uncounted pods in .status at most (MaxUncountedPods). */
export const MAX_UNCOUNTED_PODS = 500;

export const REASON_BACKOFF_LIMIT_EXCEEDED = 'BackoffLimitExceeded';
export const REASON_DEADLINE_EXCEEDED = 'DeadlineExceeded';
export const REASON_COMPLETIONS_REACHED = 'CompletionsReached';
export const MESSAGE_BACKOFF_LIMIT_EXCEEDED = 'Job has reached the specified backoff limit';
export const MESSAGE_DEADLINE_EXCEEDED = 'Job was active longer than specified deadline';
export const MESSAGE_COMPLETIONS_REACHED = 'Reached expected number of succeeded pods';

/** batch/v1 Job defaults (SetDefaults_Job), applied to a copy; a missing selector becomes the generated one. */
export function withJobDefaults(job: JobObj): JobObj {
  const out = deepCopy(job);
  const spec = (out.spec ??= { template: {} });
  if (spec.completions === undefined && spec.parallelism === undefined) {
    spec.completions = 1;
    spec.parallelism = 1;
  }
  spec.parallelism ??= 1;
  spec.backoffLimit ??= spec.backoffLimitPerIndex !== undefined ? 2147483647 : DEFAULT_BACKOFF_LIMIT;
  spec.completionMode ??= 'NonIndexed';
  spec.suspend ??= false;
  spec.podReplacementPolicy ??= spec.podFailurePolicy !== undefined ? 'Failed' : 'TerminatingOrFailed';
  if (spec.selector === undefined || spec.selector === null) {
    // The API server generates this selector for jobs without manualSelector; kubelite's may not.
    spec.selector = { matchLabels: { [JOB_CONTROLLER_UID_LABEL]: out.metadata?.uid ?? '' } };
  }
  return out;
}

export function isIndexed(job: JobObj): boolean {
  return job.spec?.completionMode === 'Indexed';
}

export function isSuspended(job: JobObj): boolean {
  return job.spec?.suspend === true;
}

export function findCondition(job: JobObj, type: string): JobCondition | undefined {
  return job.status?.conditions?.find((c) => c.type === type);
}

/** A Complete or Failed condition is True (util.IsJobFinished). */
export function isJobFinished(job: JobObj): boolean {
  return (job.status?.conditions ?? []).some((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
}

/** The finished condition (Complete/Failed, True), if any. */
export function finishedCondition(job: JobObj): JobCondition | undefined {
  return (job.status?.conditions ?? []).find((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
}

export function newCondition(type: string, status: string, reason: string, message: string, now: number): JobCondition {
  const t = rfc3339(now);
  return { type, status, lastProbeTime: t, lastTransitionTime: t, reason, message };
}

/**
 * Sets a condition of type to status, replacing one whose status, reason or message
 * differ; a new False condition is not added (ensureJobConditionStatus). Returns
 * whether the list changed.
 */
export function ensureCondition(list: JobCondition[], type: string, status: string, reason: string, message: string, now: number): boolean {
  const i = list.findIndex((c) => c.type === type);
  if (i >= 0) {
    const c = list[i] as JobCondition;
    if (c.status !== status || (c.reason ?? '') !== reason || (c.message ?? '') !== message) {
      list[i] = newCondition(type, status, reason, message, now);
      return true;
    }
    return false;
  }
  if (status !== 'False') {
    list.push(newCondition(type, status, reason, message, now));
    return true;
  }
  return false;
}

export function hasTrackingFinalizer(pod: Pod): boolean {
  return (pod.metadata?.finalizers ?? []).includes(JOB_TRACKING_FINALIZER);
}

export function onlyReplaceFailedPods(job: JobObj): boolean {
  return job.spec?.podReplacementPolicy === 'Failed';
}

/** Failed, or (unless only failed pods are replaced) deleted before succeeding (isPodFailed). */
export function isPodFailed(pod: Pod, job: JobObj): boolean {
  if (pod.status?.phase === 'Failed') return true;
  if (onlyReplaceFailedPods(job)) return false;
  return (pod.metadata?.deletionTimestamp ?? '') !== '' && pod.status?.phase !== 'Succeeded';
}

/** restartPolicy OnFailure: container restarts of live pods reach backoffLimit (pastBackoffLimitOnFailure). */
export function pastBackoffLimitOnFailure(job: JobObj, pods: readonly Pod[]): boolean {
  if (job.spec?.template?.spec?.restartPolicy !== 'OnFailure') return false;
  let restarts = 0;
  for (const p of pods) {
    const phase = p.status?.phase;
    if (phase !== 'Running' && phase !== 'Pending') continue;
    for (const s of p.status?.initContainerStatuses ?? []) restarts += s.restartCount ?? 0;
    for (const s of p.status?.containerStatuses ?? []) restarts += s.restartCount ?? 0;
  }
  const limit = job.spec.backoffLimit ?? DEFAULT_BACKOFF_LIMIT;
  return limit === 0 ? restarts > 0 : restarts >= limit;
}

/** activeDeadlineSeconds passed since startTime (never while suspended). */
export function pastActiveDeadline(job: JobObj, now: number): boolean {
  const ads = job.spec?.activeDeadlineSeconds;
  const start = job.status?.startTime;
  if (ads === undefined || ads === null || start === undefined || isSuspended(job)) return false;
  return now - Date.parse(start) >= ads * 1000;
}

/** Time until activeDeadlineSeconds passes, or undefined when there is none. */
export function activeDeadlineRemaining(job: JobObj, now: number): number | undefined {
  const ads = job.spec?.activeDeadlineSeconds;
  const start = job.status?.startTime;
  if (ads === undefined || ads === null || start === undefined || isSuspended(job)) return undefined;
  return Date.parse(start) + ads * 1000 - now;
}

/** How many pods should be active (manageJob's wantActive). */
export function wantActive(job: JobObj, succeeded: number, active: number): number {
  const parallelism = job.spec?.parallelism ?? 1;
  const completions = job.spec?.completions;
  if (completions === undefined || completions === null) return succeeded > 0 ? active : parallelism;
  return Math.max(0, Math.min(completions - succeeded, parallelism));
}

/**
 * Pods to remove: for Indexed Jobs, duplicates of an index and pods with an invalid
 * index first; then the most disposable until rmAtLeast (activePodsForRemoval).
 */
export function activePodsForRemoval(job: JobObj, pods: readonly PodObj[], rmAtLeast: number): PodObj[] {
  const rm: PodObj[] = [];
  let left: PodObj[] = [...pods];
  if (isIndexed(job)) {
    const completions = job.spec?.completions ?? 0;
    const byIndex = new Map<number, PodObj[]>();
    left = [];
    for (const p of pods) {
      const ix = completionIndex(p);
      if (ix === UNKNOWN_COMPLETION_INDEX || ix >= completions) {
        rm.push(p);
        continue;
      }
      const l = byIndex.get(ix);
      if (l === undefined) byIndex.set(ix, [p]);
      else l.push(p);
    }
    for (const group of byIndex.values()) {
      group.sort(compareActivePods);
      rm.push(...group.slice(0, -1));
      left.push(group[group.length - 1] as PodObj);
    }
  }
  if (rm.length < rmAtLeast) {
    left.sort(compareActivePods);
    rm.push(...left.slice(0, rmAtLeast - rm.length));
  }
  return rm;
}

/** When a pod finished: its containers' latest finishedAt, else Ready=False time, else deletion time, else now. */
export function finishedTime(pod: Pod, now: number): number {
  let latest: number | undefined;
  for (const s of [...(pod.status?.containerStatuses ?? []), ...(pod.status?.initContainerStatuses ?? [])]) {
    const f = s.state?.terminated?.finishedAt;
    if (f !== undefined) {
      const t = Date.parse(f);
      if (Number.isFinite(t) && (latest === undefined || t > latest)) latest = t;
    }
  }
  if (latest !== undefined) return latest;
  const ready = pod.status?.conditions?.find((c) => c.type === 'Ready' && c.status === 'False')?.lastTransitionTime;
  if (ready !== undefined && Number.isFinite(Date.parse(ready))) return Date.parse(ready);
  const del = pod.metadata?.deletionTimestamp;
  if (del !== undefined && Number.isFinite(Date.parse(del))) return Date.parse(del);
  return now;
}

export interface BackoffRecord {
  failuresAfterLastSuccess: number;
  lastFailureTime?: number;
}

/** The back-off record after the newly finished pods (backoffStore.newBackoffRecord). */
export function nextBackoffRecord(prev: BackoffRecord | undefined, newSucceeded: readonly Pod[], newFailed: readonly Pod[], now: number): BackoffRecord {
  const rec: BackoffRecord = { failuresAfterLastSuccess: prev?.failuresAfterLastSuccess ?? 0, ...(prev?.lastFailureTime !== undefined ? { lastFailureTime: prev.lastFailureTime } : {}) };
  const failedTimes = newFailed.map((p) => finishedTime(p, now)).sort((a, b) => a - b);
  if (newSucceeded.length === 0) {
    if (failedTimes.length === 0) return rec;
    return { failuresAfterLastSuccess: rec.failuresAfterLastSuccess + failedTimes.length, lastFailureTime: failedTimes[failedTimes.length - 1] as number };
  }
  const lastSuccess = Math.max(...newSucceeded.map((p) => finishedTime(p, now)));
  const out: BackoffRecord = { failuresAfterLastSuccess: 0 };
  for (let i = failedTimes.length - 1; i >= 0; i--) {
    const t = failedTimes[i] as number;
    if (t <= lastSuccess) break;
    out.lastFailureTime ??= t;
    out.failuresAfterLastSuccess++;
  }
  return out;
}

/** Time to wait before creating pods again: 10 s doubling per failure up to 6 min, less the time since the last failure. */
export function backoffRemaining(rec: BackoffRecord | undefined, now: number, baseMs = DEFAULT_POD_FAILURE_BACKOFF_MS, maxMs = MAX_POD_FAILURE_BACKOFF_MS): number {
  if (rec === undefined || rec.failuresAfterLastSuccess === 0 || rec.lastFailureTime === undefined) return 0;
  let d = baseMs;
  for (let i = 1; i < rec.failuresAfterLastSuccess; i++) {
    d *= 2;
    if (d >= maxMs) {
      d = maxMs;
      break;
    }
  }
  const elapsed = now - rec.lastFailureTime;
  return d < elapsed ? 0 : d - elapsed;
}
