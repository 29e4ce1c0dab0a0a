/**
 * StatefulSet identity and bookkeeping as pure functions (upstream
 * pkg/controller/statefulset/stateful_set_utils.go): ordinals and pod names, the
 * stable identity (name, hostname, subdomain, labels), storage (one PVC per claim
 * template and ordinal), revisions, and the status counts.
 */
import type { ControllerRevision, StatefulSet, StatefulSetStatus } from 'kubernetes-types/apps/v1.js';
import type { PersistentVolumeClaim, Pod, Volume } from 'kubernetes-types/core/v1.js';
import { deepCopy } from '../../apimachinery/meta.js';
import type { OwnerReference } from '../../client/types.js';
import { isPodAvailable, isPodReady, isTerminating, podFromTemplate } from '../common/pods.js';
import { templateFromRevision } from '../common/revision.js';
import { CONTROLLER_REVISION_HASH_LABEL, POD_INDEX_LABEL, STATEFULSET_POD_NAME_LABEL, type Obj } from '../common/types.js';

export type SS = Obj<StatefulSet>;
export type PodObj = Obj<Pod>;
export type PVC = Obj<PersistentVolumeClaim>;
export type CR = Obj<ControllerRevision>;

/** apps/v1 StatefulSet defaults, applied to a copy. */
export function withStatefulSetDefaults(set: SS): SS {
  const out = deepCopy(set);
  const spec = (out.spec ??= { selector: {}, serviceName: '', template: {} });
  spec.replicas ??= 1;
  spec.podManagementPolicy ??= 'OrderedReady';
  spec.updateStrategy ??= {};
  spec.updateStrategy.type ??= 'RollingUpdate';
  if (spec.updateStrategy.type === 'RollingUpdate') {
    spec.updateStrategy.rollingUpdate ??= {};
    spec.updateStrategy.rollingUpdate.partition ??= 0;
  }
  spec.revisionHistoryLimit ??= 10;
  spec.minReadySeconds ??= 0;
  spec.persistentVolumeClaimRetentionPolicy ??= {};
  spec.persistentVolumeClaimRetentionPolicy.whenDeleted ??= 'Retain';
  spec.persistentVolumeClaimRetentionPolicy.whenScaled ??= 'Retain';
  return out;
}

export function startOrdinal(set: SS): number {
  return set.spec?.ordinals?.start ?? 0;
}

/** The last ordinal in range (start + replicas - 1). */
export function endOrdinal(set: SS): number {
  return startOrdinal(set) + (set.spec?.replicas ?? 1) - 1;
}

const ORDINAL_RE = /^(.*)-([0-9]+)$/;

/** The parent name and ordinal encoded in a pod name; ordinal -1 when it has none. */
export function parentAndOrdinal(pod: { metadata?: { name?: string } }): { parent: string; ordinal: number } {
  const m = ORDINAL_RE.exec(pod.metadata?.name ?? '');
  if (m === null) return { parent: '', ordinal: -1 };
  const n = Number(m[2]);
  return Number.isSafeInteger(n) ? { parent: m[1] ?? '', ordinal: n } : { parent: '', ordinal: -1 };
}

export function getOrdinal(pod: { metadata?: { name?: string } }): number {
  return parentAndOrdinal(pod).ordinal;
}

export function podName(set: SS, ordinal: number): string {
  return `${set.metadata?.name ?? ''}-${ordinal}`;
}

/** The pod's name says it belongs to set. */
export function isMemberOf(set: SS, pod: { metadata?: { name?: string } }): boolean {
  return parentAndOrdinal(pod).parent === set.metadata?.name;
}

export function podInOrdinalRange(pod: PodObj, set: SS): boolean {
  const o = getOrdinal(pod);
  return o >= startOrdinal(set) && o <= endOrdinal(set);
}

export function claimName(set: SS, templateName: string, ordinal: number): string {
  return `${templateName}-${set.metadata?.name ?? ''}-${ordinal}`;
}

/** The claims a pod of set uses, by template name (getPersistentVolumeClaims). */
export function persistentVolumeClaims(set: SS, ordinal: number): Map<string, PVC> {
  const out = new Map<string, PVC>();
  for (const t of set.spec?.volumeClaimTemplates ?? []) {
    const c = deepCopy(t) as PVC;
    const templateName = t.metadata?.name ?? '';
    const labels = { ...(c.metadata?.labels ?? {}), ...(set.spec?.selector?.matchLabels ?? {}) };
    c.apiVersion = 'v1';
    c.kind = 'PersistentVolumeClaim';
    c.metadata = { ...(c.metadata ?? {}), name: claimName(set, templateName, ordinal), namespace: set.metadata?.namespace ?? '', labels };
    delete (c as { status?: unknown }).status;
    out.set(templateName, c);
  }
  return out;
}

export function identityMatches(set: SS, pod: PodObj): boolean {
  const { parent, ordinal } = parentAndOrdinal(pod);
  const labels = pod.metadata?.labels ?? {};
  return (
    ordinal >= 0 &&
    parent === set.metadata?.name &&
    pod.metadata?.name === podName(set, ordinal) &&
    pod.metadata?.namespace === set.metadata?.namespace &&
    labels[STATEFULSET_POD_NAME_LABEL] === pod.metadata?.name &&
    labels[POD_INDEX_LABEL] === String(ordinal)
  );
}

export function storageMatches(set: SS, pod: PodObj): boolean {
  const ordinal = getOrdinal(pod);
  if (ordinal < 0) return false;
  const volumes = new Map((pod.spec?.volumes ?? []).map((v) => [v.name, v]));
  for (const [name, claim] of persistentVolumeClaims(set, ordinal)) {
    const v = volumes.get(name);
    if (v?.persistentVolumeClaim?.claimName !== claim.metadata?.name) return false;
  }
  return true;
}

/** Sets name, namespace, hostname, subdomain and the identity labels (updateIdentity). */
export function updateIdentity(set: SS, pod: PodObj): void {
  const ordinal = getOrdinal(pod);
  const meta = (pod.metadata ??= {});
  meta.name = podName(set, ordinal);
  meta.namespace = set.metadata?.namespace ?? '';
  meta.labels = { ...(meta.labels ?? {}), [STATEFULSET_POD_NAME_LABEL]: meta.name, [POD_INDEX_LABEL]: String(ordinal) };
  const spec = (pod.spec ??= { containers: [] });
  spec.hostname = meta.name;
  if ((set.spec?.serviceName ?? '') !== '') spec.subdomain = set.spec?.serviceName;
}

/** Points the claim-template volumes at the pod's claims (updateStorage). */
export function updateStorage(set: SS, pod: PodObj): void {
  const ordinal = getOrdinal(pod);
  const claims = persistentVolumeClaims(set, ordinal);
  if (claims.size === 0) return;
  const spec = (pod.spec ??= { containers: [] });
  const kept: Volume[] = (spec.volumes ?? []).filter((v) => !claims.has(v.name));
  for (const [name, claim] of claims) kept.push({ name, persistentVolumeClaim: { claimName: claim.metadata?.name ?? '' } });
  spec.volumes = kept;
}

/** A new pod for ordinal from set's template (newStatefulSetPod). */
export function newStatefulSetPod(set: SS, ordinal: number, controllerRef: OwnerReference): PodObj {
  const pod = podFromTemplate(set.spec?.template, set.metadata?.namespace ?? '', `${set.metadata?.name ?? ''}-`, controllerRef);
  pod.metadata = { ...pod.metadata, name: podName(set, ordinal) };
  updateIdentity(set, pod);
  updateStorage(set, pod);
  return pod;
}

export function podRevision(pod: PodObj): string {
  return pod.metadata?.labels?.[CONTROLLER_REVISION_HASH_LABEL] ?? '';
}

export function setPodRevision(pod: PodObj, revision: string): void {
  const meta = (pod.metadata ??= {});
  meta.labels = { ...(meta.labels ?? {}), [CONTROLLER_REVISION_HASH_LABEL]: revision };
}

/**
 * A new pod at the revision its ordinal belongs to: below the partition the current
 * revision, else the update revision (newVersionedStatefulSetPod).
 */
export function newVersionedStatefulSetPod(currentSet: SS, updateSet: SS, currentRevision: string, updateRevision: string, ordinal: number, controllerRef: OwnerReference): PodObj {
  const strategy = currentSet.spec?.updateStrategy;
  const ru = strategy?.rollingUpdate;
  const useCurrent =
    (strategy?.type === 'RollingUpdate' && (ru === undefined || ru === null) && ordinal < startOrdinal(currentSet) + (currentSet.status?.currentReplicas ?? 0)) ||
    (ru !== undefined && ru !== null && ordinal < startOrdinal(currentSet) + (ru.partition ?? 0));
  const pod = newStatefulSetPod(useCurrent ? currentSet : updateSet, ordinal, controllerRef);
  setPodRevision(pod, useCurrent ? currentRevision : updateRevision);
  return pod;
}

/** set with the template the revision restores (ApplyRevision). */
export function applyRevision(set: SS, rev: CR): SS {
  const out = deepCopy(set);
  const t = templateFromRevision(rev);
  if (t !== undefined && out.spec !== undefined) out.spec.template = t;
  return out;
}

export const isCreated = (pod: PodObj): boolean => (pod.status?.phase ?? '') !== '';
export const isPending = (pod: PodObj): boolean => pod.status?.phase === 'Pending';
export const isFailed = (pod: PodObj): boolean => pod.status?.phase === 'Failed';
export const isSucceeded = (pod: PodObj): boolean => pod.status?.phase === 'Succeeded';
export const isRunningAndReady = (pod: PodObj): boolean => pod.status?.phase === 'Running' && isPodReady(pod);
export const isRunningAndAvailable = (pod: PodObj, minReadySeconds: number, now: number): boolean =>
  pod.status?.phase === 'Running' && isPodAvailable(pod, minReadySeconds, now);
/** Not available, or being deleted (isUnavailable). */
export const isUnavailable = (pod: PodObj, minReadySeconds: number, now: number): boolean => !isRunningAndAvailable(pod, minReadySeconds, now) || isTerminating(pod);

export interface ReplicaCounts {
  replicas: number;
  readyReplicas: number;
  availableReplicas: number;
  currentReplicas: number;
  updatedReplicas: number;
}

/** Counts over pods (computeReplicaStatus). */
export function computeReplicaStatus(pods: readonly PodObj[], minReadySeconds: number, currentRevision: string, updateRevision: string, now: number): ReplicaCounts {
  const s: ReplicaCounts = { replicas: 0, readyReplicas: 0, availableReplicas: 0, currentReplicas: 0, updatedReplicas: 0 };
  for (const pod of pods) {
    if (isCreated(pod)) s.replicas++;
    if (isRunningAndReady(pod)) {
      s.readyReplicas++;
      if (isRunningAndAvailable(pod, minReadySeconds, now)) s.availableReplicas++;
    }
    if (isCreated(pod) && !isTerminating(pod)) {
      const rev = podRevision(pod);
      if (rev === currentRevision) s.currentReplicas++;
      if (rev === updateRevision) s.updatedReplicas++;
    }
  }
  return s;
}

/** When every replica is updated and ready, the update revision becomes current (completeRollingUpdate). */
export function completeRollingUpdate(set: SS, status: StatefulSetStatus): void {
  if (
    set.spec?.updateStrategy?.type === 'RollingUpdate' &&
    status.updatedReplicas === status.replicas &&
    status.readyReplicas === status.replicas
  ) {
    status.currentReplicas = status.updatedReplicas;
    status.currentRevision = status.updateRevision;
  }
}

/** Whether status differs from what set records (inconsistentStatus). */
export function inconsistentStatus(set: SS, status: StatefulSetStatus): boolean {
  const s = set.status;
  if (s === undefined) return true;
  return (
    (status.observedGeneration ?? 0) > (s.observedGeneration ?? 0) ||
    status.replicas !== s.replicas ||
    (status.currentReplicas ?? 0) !== (s.currentReplicas ?? 0) ||
    (status.readyReplicas ?? 0) !== (s.readyReplicas ?? 0) ||
    (status.updatedReplicas ?? 0) !== (s.updatedReplicas ?? 0) ||
    (status.currentRevision ?? '') !== (s.currentRevision ?? '') ||
    (status.availableReplicas ?? 0) !== (s.availableReplicas ?? 0) ||
    (status.updateRevision ?? '') !== (s.updateRevision ?? '') ||
    (status.collisionCount ?? 0) !== (s.collisionCount ?? 0)
  );
}

/** Pods sorted by descending ordinal. */
export function byDescendingOrdinal(a: PodObj, b: PodObj): number {
  return getOrdinal(b) - getOrdinal(a);
}
