/**
 * ReplicaSet status as upstream's replica_set_utils.go computes it: counts over the
 * active pods the controller claimed, the ReplicaFailure condition from the last
 * create/delete error, and the comparison that decides whether a write is needed.
 */
import { isDeepStrictEqual } from 'node:util';
import { matches, selectorFromSet } from '../../apimachinery/labels.js';
import { rfc3339 } from '../../util/clock.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { isPodAvailable, isPodReady } from '../common/pods.js';
import { specReplicas, type ReplicaSetCondition, type ReplicaSetLike, type ReplicaSetStatus } from '../common/replicaset.js';

export const REPLICA_FAILURE = 'ReplicaFailure';

export function getCondition(status: ReplicaSetStatus | undefined, type: string): ReplicaSetCondition | undefined {
  return status?.conditions?.find((c) => c.type === type);
}

/**
 * Upstream's ReplicaSet SetCondition: a condition with the same status and reason is
 * kept as it is; otherwise it replaces the one of its type.
 */
export function setCondition(status: ReplicaSetStatus, cond: ReplicaSetCondition): void {
  const cur = getCondition(status, cond.type);
  if (cur !== undefined && cur.status === cond.status && cur.reason === cond.reason) return;
  status.conditions = [...(status.conditions ?? []).filter((c) => c.type !== cond.type), cond];
}

export function removeCondition(status: ReplicaSetStatus, type: string): void {
  const rest = (status.conditions ?? []).filter((c) => c.type !== type);
  if (rest.length > 0) status.conditions = rest;
  else delete status.conditions;
}

/**
 * The status the claimed active pods imply. manageError is the error of this sync's
 * creates/deletes: it sets ReplicaFailure (FailedCreate when short of pods, FailedDelete
 * when over); a sync without error removes it.
 */
export function calculateStatus(rs: ReplicaSetLike, pods: readonly Pod[], manageError: unknown, now: number): ReplicaSetStatus {
  const next: ReplicaSetStatus = structuredClone(rs.status ?? {});
  const templateSel = selectorFromSet(rs.spec?.template?.metadata?.labels ?? {});
  const minReady = rs.spec?.minReadySeconds ?? 0;
  let fully = 0;
  let ready = 0;
  let available = 0;
  for (const pod of pods) {
    if (matches(templateSel, pod.metadata?.labels)) fully++;
    if (isPodReady(pod)) {
      ready++;
      if (isPodAvailable(pod, minReady, now)) available++;
    }
  }
  const failure = getCondition(rs.status, REPLICA_FAILURE);
  if (manageError !== undefined && failure === undefined) {
    const diff = pods.length - specReplicas(rs);
    const reason = diff < 0 ? 'FailedCreate' : diff > 0 ? 'FailedDelete' : '';
    const message = manageError instanceof Error ? manageError.message : String(manageError);
    setCondition(next, { type: REPLICA_FAILURE, status: 'True', lastTransitionTime: rfc3339(now), reason, message });
  } else if (manageError === undefined && failure !== undefined) {
    removeCondition(next, REPLICA_FAILURE);
  }
  next.replicas = pods.length;
  next.fullyLabeledReplicas = fully;
  next.readyReplicas = ready;
  next.availableReplicas = available;
  return normalizeStatus(next);
}

/** Drops zero counts and empty conditions, as Go's omitempty does (replicas always stays). */
export function normalizeStatus(s: ReplicaSetStatus): ReplicaSetStatus {
  const out: ReplicaSetStatus = { ...s, replicas: s.replicas ?? 0 };
  for (const k of ['fullyLabeledReplicas', 'readyReplicas', 'availableReplicas', 'observedGeneration'] as const) {
    if (out[k] === undefined || out[k] === 0) delete out[k];
  }
  if (out.conditions !== undefined && out.conditions.length === 0) delete out.conditions;
  return out;
}

/** Upstream's updateReplicaSetStatus short-cut: nothing to write when counts, conditions and generation agree. */
export function statusUpToDate(rs: ReplicaSetLike, next: ReplicaSetStatus): boolean {
  const cur = rs.status ?? {};
  const n = (v: unknown): number => (typeof v === 'number' ? v : 0);
  return (
    n(cur.replicas) === n(next.replicas) &&
    n(cur.fullyLabeledReplicas) === n(next.fullyLabeledReplicas) &&
    n(cur.readyReplicas) === n(next.readyReplicas) &&
    n(cur.availableReplicas) === n(next.availableReplicas) &&
    n(rs.metadata?.generation) === n(cur.observedGeneration) &&
    isDeepStrictEqual(cur.conditions ?? [], next.conditions ?? [])
  );
}
