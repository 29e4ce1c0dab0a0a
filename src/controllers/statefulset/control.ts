/**
 * One reconciliation of a StatefulSet's pods (upstream stateful_set_control.go
 * updateStatefulSet), over an injectable StatefulPodControl so tests can run it
 * against in-memory pods:
 *
 *   - pods with ordinals in [start, start+replicas) are replicas; other valid
 *     ordinals are condemned. Missing replicas are created at the revision their
 *     ordinal belongs to (below the partition: current, else update).
 *   - OrderedReady ("monotonic"): one step at a time, in ordinal order; a replica that
 *     is not yet Running and Ready (and available for minReadySeconds) blocks
 *     everything after it. Scale down deletes the highest ordinal first and waits for
 *     it to go. Parallel: all at once.
 *   - Failed or Succeeded replicas are deleted so they are recreated.
 *   - RollingUpdate: after the set is healthy, the highest ordinal >= partition not at
 *     the update revision is deleted (to be recreated at it), one at a time, waiting
 *     for each to come back available. OnDelete: pods are only replaced when deleted.
 */
import type { StatefulSetStatus } from 'kubernetes-types/apps/v1.js';
import type { OwnerReference } from '../../client/types.js';
import { isNotFound } from '../../client/errors.js';
import { deepCopy } from '../../apimachinery/meta.js';
import { isTerminating } from '../common/pods.js';
import {
  applyRevision,
  byDescendingOrdinal,
  computeReplicaStatus,
  endOrdinal,
  getOrdinal,
  identityMatches,
  isCreated,
  isFailed,
  isPending,
  isRunningAndAvailable,
  isRunningAndReady,
  isSucceeded,
  isUnavailable,
  newVersionedStatefulSetPod,
  podInOrdinalRange,
  podRevision,
  startOrdinal,
  storageMatches,
  type CR,
  type PodObj,
  type SS,
} from './stateful.js';

export interface StatefulPodControl {
  /** Creates the pod's missing claims, then the pod. */
  createStatefulPod(set: SS, pod: PodObj): Promise<void>;
  /** Creates claims a (pending) pod needs that do not exist. */
  createMissingPersistentVolumeClaims(set: SS, pod: PodObj): Promise<void>;
  /** Restores identity and storage on an existing pod (and the claims' owner refs). */
  updateStatefulPod(set: SS, pod: PodObj): Promise<void>;
  deleteStatefulPod(set: SS, pod: PodObj): Promise<void>;
  /** The pod's claims carry the owner references the retention policy asks for. */
  claimsMatchRetentionPolicy(set: SS, pod: PodObj): boolean;
  updatePodClaimForRetentionPolicy(set: SS, pod: PodObj): Promise<void>;
}

export interface UpdateResult {
  status: StatefulSetStatus;
  error?: unknown;
}

function setStatusCounts(status: StatefulSetStatus, minReady: number, cur: string, upd: string, now: number, ...lists: PodObj[][]): void {
  status.replicas = 0;
  status.readyReplicas = 0;
  status.availableReplicas = 0;
  status.currentReplicas = 0;
  status.updatedReplicas = 0;
  for (const list of lists) {
    const c = computeReplicaStatus(list, minReady, cur, upd, now);
    status.replicas += c.replicas;
    status.readyReplicas += c.readyReplicas;
    status.availableReplicas += c.availableReplicas;
    status.currentReplicas += c.currentReplicas;
    status.updatedReplicas += c.updatedReplicas;
  }
}

/** Runs fn over items: sequentially stopping at the first exit/error (monotonic), else in slow-start batches. */
async function runForAll(n: number, fn: (i: number) => Promise<boolean>, monotonic: boolean): Promise<{ exit: boolean; error?: unknown }> {
  if (monotonic) {
    for (let i = 0; i < n; i++) {
      try {
        if (await fn(i)) return { exit: true };
      } catch (e) {
        return { exit: true, error: e };
      }
    }
    return { exit: false };
  }
  let pos = 0;
  let batch = Math.min(n, 1);
  while (batch > 0) {
    const results = await Promise.allSettled(Array.from({ length: batch }, (_, k) => fn(pos + k)));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed !== undefined) return { exit: true, error: failed.reason };
    pos += batch;
    batch = Math.min(2 * batch, n - pos, 500);
  }
  return { exit: false };
}

export async function updateStatefulSet(
  set: SS,
  currentRevision: CR,
  updateRevision: CR,
  collisionCount: number,
  pods: readonly PodObj[],
  control: StatefulPodControl,
  controllerRef: OwnerReference,
  now: number,
): Promise<UpdateResult> {
  const currentSet = applyRevision(set, currentRevision);
  const updateSet = applyRevision(set, updateRevision);
  const curName = currentRevision.metadata?.name ?? '';
  const updName = updateRevision.metadata?.name ?? '';
  const minReady = set.spec?.minReadySeconds ?? 0;
  const status: StatefulSetStatus = {
    replicas: 0,
    observedGeneration: set.metadata?.generation ?? 0,
    currentRevision: curName,
    updateRevision: updName,
    collisionCount,
  };
  setStatusCounts(status, minReady, curName, updName, now, [...pods]);

  const start = startOrdinal(set);
  const end = endOrdinal(set);
  const replicaCount = Math.max(0, end - start + 1);
  const replicas: (PodObj | undefined)[] = new Array(replicaCount).fill(undefined);
  const condemned: PodObj[] = [];
  for (const pod of pods) {
    if (podInOrdinalRange(pod, set)) replicas[getOrdinal(pod) - start] = pod;
    else if (getOrdinal(pod) >= 0) condemned.push(pod);
  }
  for (let ord = start; ord <= end; ord++) {
    if (replicas[ord - start] === undefined) replicas[ord - start] = newVersionedStatefulSetPod(currentSet, updateSet, curName, updName, ord, controllerRef);
  }
  const reps = replicas as PodObj[];
  condemned.sort(byDescendingOrdinal);

  let firstUnavailable: PodObj | undefined;
  for (const r of reps) {
    if (isUnavailable(r, minReady, now)) {
      firstUnavailable ??= r;
    }
  }
  for (let i = condemned.length - 1; i >= 0; i--) {
    const c = condemned[i] as PodObj;
    if (isUnavailable(c, minReady, now)) firstUnavailable ??= c;
  }

  if (isTerminating(set)) return { status };

  const monotonic = set.spec?.podManagementPolicy !== 'Parallel';
  const finish = (error?: unknown): UpdateResult => {
    setStatusCounts(status, minReady, curName, updName, now, reps, condemned);
    return error === undefined ? { status } : { status, error };
  };

  const processReplica = async (i: number): Promise<boolean> => {
    const pod = reps[i] as PodObj;
    if (isFailed(pod) || isSucceeded(pod)) {
      if (!isTerminating(pod)) await control.deleteStatefulPod(set, pod);
      return true;
    }
    if (!isCreated(pod)) {
      await control.createStatefulPod(set, pod);
      if (monotonic) return true;
    }
    if (isPending(pod)) await control.createMissingPersistentVolumeClaims(set, pod);
    if (isTerminating(pod) && monotonic) return true;
    if (!isRunningAndReady(pod) && monotonic) return true;
    if (!isRunningAndAvailable(pod, minReady, now) && monotonic) return true;
    if (!isCreated(pod)) return false;
    const retentionMatch = control.claimsMatchRetentionPolicy(updateSet, pod);
    if (identityMatches(set, pod) && storageMatches(set, pod) && retentionMatch) return false;
    await control.updateStatefulPod(updateSet, deepCopy(pod));
    return false;
  };
  let r = await runForAll(reps.length, processReplica, monotonic);
  if (r.exit || r.error !== undefined) return finish(r.error);

  const fixPodClaim = async (i: number): Promise<boolean> => {
    const pod = condemned[i] as PodObj;
    if (!control.claimsMatchRetentionPolicy(updateSet, pod)) await control.updatePodClaimForRetentionPolicy(updateSet, pod);
    return false;
  };
  r = await runForAll(condemned.length, fixPodClaim, monotonic);
  if (r.exit || r.error !== undefined) return finish(r.error);

  const processCondemned = async (i: number): Promise<boolean> => {
    const pod = condemned[i] as PodObj;
    if (isTerminating(pod)) return monotonic;
    if (!isRunningAndReady(pod) && monotonic && pod !== firstUnavailable) return true;
    if (!isRunningAndAvailable(pod, minReady, now) && monotonic && pod !== firstUnavailable) return true;
    await control.deleteStatefulPod(set, pod);
    return true;
  };
  r = await runForAll(condemned.length, processCondemned, monotonic);
  if (r.exit || r.error !== undefined) return finish(r.error);

  setStatusCounts(status, minReady, curName, updName, now, reps, condemned);
  if (set.spec?.updateStrategy?.type === 'OnDelete') return { status };

  const updateMin = set.spec?.updateStrategy?.rollingUpdate?.partition ?? 0;
  for (let target = reps.length - 1; target >= updateMin; target--) {
    const pod = reps[target] as PodObj;
    if (podRevision(pod) !== updName && !isTerminating(pod)) {
      try {
        await control.deleteStatefulPod(set, pod);
      } catch (e) {
        if (!isNotFound(e)) return { status, error: e };
      }
      status.currentReplicas = (status.currentReplicas ?? 0) - 1;
      return { status };
    }
    if (isUnavailable(pod, minReady, now)) return { status };
  }
  return { status };
}
