/**
 * Which pods a controller deletes first when it has too many (upstream controller_utils'
 * ActivePods and ActivePodsWithRanks): the least useful pods, those not yet running or
 * ready, go before those serving.
 */
import type { Pod } from 'kubernetes-types/core/v1.js';
import { isPodActive, isPodReady, podPhase, podReadyCondition } from './pods.js';

/** Upstream's PodDeletionCost annotation: lower cost pods are deleted first. */
export const POD_DELETION_COST_ANNOTATION = 'controller.kubernetes.io/pod-deletion-cost';

/** Parses an RFC 3339 time; 0 for absent or unparsable ("zero time"). */
function timeOf(t: string | undefined): number {
  if (t === undefined || t === '') return 0;
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? 0 : ms;
}

const PHASE_ORDINAL: Readonly<Record<string, number>> = { Pending: 0, Unknown: 1, Running: 2 };

const maxRestarts = (p: Pod): number => Math.max(0, ...(p.status?.containerStatuses ?? []).map((c) => c.restartCount ?? 0));

/**
 * Orders pods from the most to the least disposable (upstream controller.ActivePods):
 * unassigned < assigned; Pending < Unknown < Running; not ready < ready; ready for
 * less time < longer; more restarts < fewer; newer < older.
 */
export function compareActivePods(a: Pod, b: Pod): number {
  const an = a.spec?.nodeName ?? '';
  const bn = b.spec?.nodeName ?? '';
  if ((an === '') !== (bn === '')) return an === '' ? -1 : 1;
  const ap = PHASE_ORDINAL[podPhase(a)] ?? 1;
  const bp = PHASE_ORDINAL[podPhase(b)] ?? 1;
  if (ap !== bp) return ap - bp;
  const ar = isPodReady(a);
  const br = isPodReady(b);
  if (ar !== br) return ar ? 1 : -1;
  if (ar && br) {
    const at = timeOf(podReadyCondition(a)?.lastTransitionTime);
    const bt = timeOf(podReadyCondition(b)?.lastTransitionTime);
    if (at !== bt) return bt - at;
  }
  if (maxRestarts(a) !== maxRestarts(b)) return maxRestarts(b) - maxRestarts(a);
  const ac = timeOf(a.metadata?.creationTimestamp);
  const bc = timeOf(b.metadata?.creationTimestamp);
  if (ac !== bc) return bc - ac;
  return 0;
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
  // An unknown phase ranks with Pending here (Go's zero value for a missing map key).
  const pa = PHASE_ORDINAL[podPhase(a)] ?? 0;
  const pb = PHASE_ORDINAL[podPhase(b)] ?? 0;
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
  const xa = maxRestarts(a);
  const xb = maxRestarts(b);
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
