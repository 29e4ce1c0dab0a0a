/**
 * PodDisruptionBudget arithmetic (upstream pkg/controller/disruption and
 * pkg/apis/policy/helper): expected pods, desired healthy, current healthy,
 * disruptions allowed, and the DisruptionAllowed condition.
 */
import type { Condition } from 'kubernetes-types/meta/v1.js';
import type { PodDisruptionBudget, PodDisruptionBudgetStatus } from 'kubernetes-types/policy/v1.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { getControllerOf } from '../../apimachinery/meta.js';
import { rfc3339 } from '../../util/clock.js';
import { scaledValue } from '../common/intstr.js';
import { isPodReady, isTerminating } from '../common/pods.js';
import { canonicalJSON } from '../common/revision.js';
import type { Obj } from '../common/types.js';

export type PDB = Obj<PodDisruptionBudget>;
export type PodObj = Obj<Pod>;

/** How long an evicted pod counts as disrupted before we stop expecting its deletion. */
export const DELETION_TIMEOUT_MS = 2 * 60_000;
export const DISRUPTION_ALLOWED = 'DisruptionAllowed';
export const SUFFICIENT_PODS = 'SufficientPods';
export const INSUFFICIENT_PODS = 'InsufficientPods';
export const SYNC_FAILED = 'SyncFailed';

/** A pod's controller and its scale, as a finder reports it. */
export interface ControllerScale {
  uid: string;
  scale: number;
}

/** Resolves the controller of a pod to its scale; undefined when no known controller matches. */
export type ScaleFinder = (pod: PodObj) => Promise<ControllerScale | undefined>;

/** expectedCount from the controllers' scales; pods without a controller are "unmanaged" (getExpectedScale). */
export async function expectedScale(pods: readonly PodObj[], find: ScaleFinder): Promise<{ expected: number; unmanaged: string[] }> {
  const scales = new Map<string, number>();
  const unmanaged: string[] = [];
  for (const pod of pods) {
    const ref = getControllerOf(pod);
    if (ref === undefined) {
      unmanaged.push(pod.metadata?.name ?? '');
      continue;
    }
    if (scales.has(ref.uid)) continue;
    const found = await find(pod);
    if (found === undefined) throw new Error(`found no controllers for pod "${pod.metadata?.name ?? ''}"`);
    scales.set(found.uid, found.scale);
  }
  let expected = 0;
  for (const s of scales.values()) expected += s;
  return { expected, unmanaged };
}

/** expectedCount and desiredHealthy (getExpectedPodCount). */
export async function expectedPodCount(pdb: PDB, pods: readonly PodObj[], find: ScaleFinder): Promise<{ expected: number; desiredHealthy: number; unmanaged: string[] }> {
  const maxUnavailable = pdb.spec?.maxUnavailable;
  const minAvailable = pdb.spec?.minAvailable;
  if (maxUnavailable !== undefined && maxUnavailable !== null) {
    const { expected, unmanaged } = await expectedScale(pods, find);
    const mu = scaledValue(maxUnavailable, expected, true);
    return { expected, desiredHealthy: Math.max(0, expected - mu), unmanaged };
  }
  if (minAvailable !== undefined && minAvailable !== null) {
    if (typeof minAvailable === 'number') return { expected: pods.length, desiredHealthy: minAvailable, unmanaged: [] };
    const { expected, unmanaged } = await expectedScale(pods, find);
    return { expected, desiredHealthy: scaledValue(minAvailable, expected, true), unmanaged };
  }
  return { expected: 0, desiredHealthy: 0, unmanaged: [] };
}

/** Disrupted pods still expected to go, and when the next one's deadline passes (buildDisruptedPodMap). */
export function disruptedPodMap(pods: readonly PodObj[], pdb: PDB, now: number): { disrupted: Record<string, string>; recheckAt?: number; overdue: string[] } {
  const prior = pdb.status?.disruptedPods ?? {};
  const disrupted: Record<string, string> = {};
  const overdue: string[] = [];
  let recheckAt: number | undefined;
  for (const pod of pods) {
    if (isTerminating(pod)) continue;
    const name = pod.metadata?.name ?? '';
    const at = prior[name];
    if (at === undefined) continue;
    const expectedDeletion = Date.parse(at) + DELETION_TIMEOUT_MS;
    if (expectedDeletion < now) {
      overdue.push(name);
    } else {
      disrupted[name] = at;
      if (recheckAt === undefined || expectedDeletion < recheckAt) recheckAt = expectedDeletion;
    }
  }
  return recheckAt === undefined ? { disrupted, overdue } : { disrupted, recheckAt, overdue };
}

/** Ready pods not being deleted and not recently disrupted (countHealthyPods). */
export function countHealthyPods(pods: readonly PodObj[], disrupted: Record<string, string>, now: number): number {
  let n = 0;
  for (const pod of pods) {
    if (isTerminating(pod)) continue;
    const at = disrupted[pod.metadata?.name ?? ''];
    if (at !== undefined && Date.parse(at) + DELETION_TIMEOUT_MS > now) continue;
    if (isPodReady(pod)) n++;
  }
  return n;
}

/** apimeta.SetStatusCondition: the transition time moves only when the status changes. */
export function setCondition(conds: Condition[], c: Omit<Condition, 'lastTransitionTime'>, now: number): Condition[] {
  const out = conds.map((x) => ({ ...x }));
  const i = out.findIndex((x) => x.type === c.type);
  if (i < 0) {
    out.push({ ...c, lastTransitionTime: rfc3339(now) });
    return out;
  }
  const old = out[i] as Condition;
  out[i] = { ...old, ...c, lastTransitionTime: old.status !== c.status ? rfc3339(now) : old.lastTransitionTime };
  return out;
}

/** The status for the counts, or undefined when the PDB already shows it (updatePdbStatus). */
export function nextStatus(pdb: PDB, currentHealthy: number, desiredHealthy: number, expected: number, disrupted: Record<string, string>, now: number): PodDisruptionBudgetStatus | undefined {
  let allowed = currentHealthy - desiredHealthy;
  if (expected <= 0 || allowed <= 0) allowed = 0;
  const s = pdb.status;
  const gen = pdb.metadata?.generation ?? 0;
  const want = allowed > 0 ? { status: 'True', reason: SUFFICIENT_PODS } : { status: 'False', reason: INSUFFICIENT_PODS };
  const cond = s?.conditions?.find((c) => c.type === DISRUPTION_ALLOWED);
  const condOK = cond !== undefined && (cond.observedGeneration ?? 0) === gen && cond.status === want.status && cond.reason === want.reason;
  if (
    s !== undefined &&
    s.currentHealthy === currentHealthy &&
    s.desiredHealthy === desiredHealthy &&
    s.expectedPods === expected &&
    s.disruptionsAllowed === allowed &&
    canonicalJSON(s.disruptedPods ?? {}) === canonicalJSON(disrupted) &&
    (s.observedGeneration ?? 0) === gen &&
    condOK
  ) {
    return undefined;
  }
  const status: PodDisruptionBudgetStatus = {
    currentHealthy,
    desiredHealthy,
    expectedPods: expected,
    disruptionsAllowed: allowed,
    observedGeneration: gen,
    conditions: setCondition(s?.conditions ?? [], { type: DISRUPTION_ALLOWED, status: want.status, reason: want.reason, message: '', observedGeneration: gen }, now),
  };
  if (Object.keys(disrupted).length > 0) status.disruptedPods = disrupted;
  return status;
}

/** The status after a failed sync: no disruptions allowed, condition SyncFailed with the error (failSafe). */
export function failSafeStatus(pdb: PDB, err: string, now: number): PodDisruptionBudgetStatus {
  const s = pdb.status ?? { currentHealthy: 0, desiredHealthy: 0, expectedPods: 0, disruptionsAllowed: 0 };
  return {
    ...s,
    disruptionsAllowed: 0,
    conditions: setCondition(s.conditions ?? [], { type: DISRUPTION_ALLOWED, status: 'False', reason: SYNC_FAILED, message: err, observedGeneration: s.observedGeneration ?? 0 }, now),
  };
}
