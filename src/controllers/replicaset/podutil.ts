/**
 * Pod facts the workload controllers share (upstream's podutil and controller_utils):
 * readiness, availability, activity, and the order in which a controller prefers to
 * delete pods when it scales down.
 */
import type { KubeObject } from '../../client/types.js';

export interface PodCondition {
  type?: string;
  status?: string;
  lastTransitionTime?: string;
  [k: string]: unknown;
}

export interface Pod extends KubeObject {
  spec?: { nodeName?: string; [k: string]: unknown };
  status?: {
    phase?: string;
    conditions?: PodCondition[];
    containerStatuses?: { restartCount?: number; [k: string]: unknown }[];
    [k: string]: unknown;
  };
}

/** Upstream's PodDeletionCost annotation: lower cost pods are deleted first. */
export const POD_DELETION_COST_ANNOTATION = 'controller.kubernetes.io/pod-deletion-cost';

export function podKey(pod: KubeObject): string {
  return `${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''}`;
}

export function podReadyCondition(pod: Pod): PodCondition | undefined {
  return pod.status?.conditions?.find((c) => c.type === 'Ready');
}

export function isPodReady(pod: Pod): boolean {
  return podReadyCondition(pod)?.status === 'True';
}

/** Parses an RFC 3339 time; 0 for absent or unparsable ("zero time"). */
export function timeOf(t: unknown): number {
  if (typeof t !== 'string' || t === '') return 0;
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? 0 : ms;
}

/**
 * Ready, and ready for at least minReadySeconds (upstream: the ready condition's
 * lastTransitionTime + minReadySeconds is before now).
 */
export function isPodAvailable(pod: Pod, minReadySeconds: number, now: number): boolean {
  if (!isPodReady(pod)) return false;
  if (minReadySeconds <= 0) return true;
  const t = timeOf(podReadyCondition(pod)?.lastTransitionTime);
  return t !== 0 && t + minReadySeconds * 1000 < now;
}

/** Not Succeeded, not Failed, not being deleted. */
export function isPodActive(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed' && pod.metadata?.deletionTimestamp === undefined;
}

export function filterActivePods<T extends Pod>(pods: readonly T[]): T[] {
  return pods.filter(isPodActive);
}

const PHASE_ORDINAL: Readonly<Record<string, number>> = { Pending: 0, Unknown: 1, Running: 2 };

function phaseOrdinal(pod: Pod): number {
  return PHASE_ORDINAL[pod.status?.phase ?? ''] ?? 0;
}

/** The pod-deletion-cost annotation as an int32; 0 when absent or invalid. */
export function deletionCost(pod: Pod): number {
  const v = pod.metadata?.annotations?.[POD_DELETION_COST_ANNOTATION];
  if (v === undefined || !/^[+-]?\d+$/.test(v.trim())) return 0;
  const n = Number(v.trim());
  return n >= -2147483648 && n <= 2147483647 ? n : 0;
}

function podReadyTime(pod: Pod): number {
  return isPodReady(pod) ? timeOf(podReadyCondition(pod)?.lastTransitionTime) : 0;
}

function maxContainerRestarts(pod: Pod): number {
  let max = 0;
  for (const c of pod.status?.containerStatuses ?? []) max = Math.max(max, c.restartCount ?? 0);
  return max;
}

/** t1 is zero (and t2 not), or later than t2 (upstream's afterOrZero). */
function afterOrZero(t1: number, t2: number): boolean {
  if (t1 === 0 || t2 === 0) return t1 === 0;
  return t1 > t2;
}

/** Upstream's logarithmicRankDiff: compares floor(log2(age in ns)). */
function logRankDiff(t1: number, t2: number, now: number): number {
  const rank = (t: number): number => {
    const d = (now - t) * 1e6; // ns, as Go's time.Duration
    return d > 0 ? Math.floor(Math.log2(d)) : -1;
  };
  return rank(t1) - rank(t2);
}

function compareTimes(a: Pod, b: Pod, ta: number, tb: number, now: number): number {
  if (now === 0 || ta === 0 || tb === 0) return afterOrZero(ta, tb) ? -1 : afterOrZero(tb, ta) ? 1 : 0;
  const diff = logRankDiff(ta, tb, now);
  if (diff === 0) {
    const ua = a.metadata?.uid ?? '';
    const ub = b.metadata?.uid ?? '';
    return ua < ub ? -1 : ua > ub ? 1 : 0;
  }
  return diff < 0 ? -1 : 1;
}

/**
 * Upstream's ActivePodsWithRanks ordering (LogarithmicScaleDown and PodDeletionCost on,
 * as in 1.32): negative when a should be deleted before b.
 *   1. unassigned < assigned
 *   2. Pending < Unknown < Running
 *   3. not ready < ready
 *   4. lower pod-deletion-cost < higher
 *   5. higher rank (more colocated pods of the same owner) < lower rank
 *   6. both ready: more recently ready < ready longer (log2 buckets of age, then uid)
 *   7. more container restarts < fewer
 *   8. newer < older (log2 buckets of age, then uid); no creation time first
 */
export function comparePodsForDeletion(a: Pod, b: Pod, rankA: number, rankB: number, now: number): number {
  const na = a.spec?.nodeName ?? '';
  const nb = b.spec?.nodeName ?? '';
  if (na !== nb && (na === '' || nb === '')) return na === '' ? -1 : 1;
  const pa = phaseOrdinal(a);
  const pb = phaseOrdinal(b);
  if (pa !== pb) return pa - pb;
  const ra = isPodReady(a);
  const rb = isPodReady(b);
  if (ra !== rb) return ra ? 1 : -1;
  const ca = deletionCost(a);
  const cb = deletionCost(b);
  if (ca !== cb) return ca < cb ? -1 : 1;
  if (rankA !== rankB) return rankA > rankB ? -1 : 1;
  if (ra && rb) {
    const ta = podReadyTime(a);
    const tb = podReadyTime(b);
    if (ta !== tb) {
      const c = compareTimes(a, b, ta, tb, now);
      if (c !== 0) return c;
    }
  }
  const xa = maxContainerRestarts(a);
  const xb = maxContainerRestarts(b);
  if (xa !== xb) return xa > xb ? -1 : 1;
  const ta = timeOf(a.metadata?.creationTimestamp);
  const tb = timeOf(b.metadata?.creationTimestamp);
  if (ta !== tb) return compareTimes(a, b, ta, tb, now);
  return 0;
}

/**
 * The diff pods to delete first (upstream's getPodsToDelete): ranked by how many active
 * related pods (pods of replica sets with the same owner) share their node.
 */
export function podsToDelete<T extends Pod>(filtered: readonly T[], related: readonly Pod[], diff: number, now: number): T[] {
  if (diff >= filtered.length) return [...filtered];
  const onNode = new Map<string, number>();
  for (const p of related) {
    if (!isPodActive(p)) continue;
    const n = p.spec?.nodeName ?? '';
    onNode.set(n, (onNode.get(n) ?? 0) + 1);
  }
  const ranked = filtered.map((pod) => ({ pod, rank: onNode.get(pod.spec?.nodeName ?? '') ?? 0 }));
  ranked.sort((x, y) => comparePodsForDeletion(x.pod, y.pod, x.rank, y.rank, now));
  return ranked.slice(0, diff).map((r) => r.pod);
}
