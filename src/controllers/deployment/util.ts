/**
 * Deployment arithmetic and bookkeeping, as upstream's deployment/util/deployment_util.go:
 * defaults, maxSurge/maxUnavailable with upstream's rounding, the replica counts a
 * rollout may use, proportional scaling, revision annotations, conditions and status.
 * Everything here is pure: objects in, objects out, time passed in.
 */
import { isDeepStrictEqual } from 'node:util';
import { deepCopy } from '../../apimachinery/meta.js';
import type { KubeObject } from '../../client/types.js';
import { rfc3339 } from '../../util/clock.js';
import { specReplicas, type PodTemplate, type ReplicaSetLike } from '../common/replicaset.js';
import { prune } from './hash.js';

export type ReplicaSet = ReplicaSetLike;

export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';
export const REVISION_HISTORY_ANNOTATION = 'deployment.kubernetes.io/revision-history';
export const DESIRED_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/desired-replicas';
export const MAX_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/max-replicas';
export const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';
export const DEPRECATED_ROLLBACK_TO = 'deprecated.deployment.rollback.to';
export const DEFAULT_UNIQUE_LABEL_KEY = 'pod-template-hash';
/** Upstream's maxRevHistoryLengthInChars. */
export const MAX_REV_HISTORY_LENGTH = 2000;
/** progressDeadlineSeconds / revisionHistoryLimit of MaxInt32 mean "none". */
export const MAX_INT32 = 2147483647;

// Condition types, reasons and messages (upstream's wording).
export const AVAILABLE = 'Available';
export const PROGRESSING = 'Progressing';
export const REPLICA_FAILURE = 'ReplicaFailure';
export const REPLICASET_UPDATED_REASON = 'ReplicaSetUpdated';
export const FAILED_RS_CREATE_REASON = 'ReplicaSetCreateError';
export const NEW_REPLICASET_REASON = 'NewReplicaSetCreated';
export const FOUND_NEW_RS_REASON = 'FoundNewReplicaSet';
export const NEW_RS_AVAILABLE_REASON = 'NewReplicaSetAvailable';
export const TIMED_OUT_REASON = 'ProgressDeadlineExceeded';
export const PAUSED_DEPLOY_REASON = 'DeploymentPaused';
export const RESUMED_DEPLOY_REASON = 'DeploymentResumed';
export const MINIMUM_REPLICAS_AVAILABLE = 'MinimumReplicasAvailable';
export const MINIMUM_REPLICAS_UNAVAILABLE = 'MinimumReplicasUnavailable';

export type IntOrString = number | string;

export interface DeploymentStrategy {
  type?: string;
  rollingUpdate?: { maxSurge?: IntOrString; maxUnavailable?: IntOrString };
}

export interface DeploymentSpec {
  replicas?: number;
  selector?: unknown;
  template?: PodTemplate;
  strategy?: DeploymentStrategy;
  minReadySeconds?: number;
  revisionHistoryLimit?: number;
  paused?: boolean;
  progressDeadlineSeconds?: number;
  [k: string]: unknown;
}

export interface DeploymentCondition {
  type: string;
  status: string;
  lastUpdateTime?: string;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

export interface DeploymentStatus {
  observedGeneration?: number;
  replicas?: number;
  updatedReplicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  unavailableReplicas?: number;
  conditions?: DeploymentCondition[];
  collisionCount?: number;
  [k: string]: unknown;
}

export interface Deployment extends KubeObject {
  spec?: DeploymentSpec;
  status?: DeploymentStatus;
}

/** A deployment whose spec carries every default the defaulted fields need. */
export interface DefaultedDeployment extends Deployment {
  spec: DeploymentSpec & { replicas: number; strategy: DeploymentStrategy & { type: string }; minReadySeconds: number };
}

/**
 * Applies apps/v1 SetDefaults_Deployment to a copy (kubelite's API server stores what
 * it is given): replicas 1, RollingUpdate with 25%/25%, revisionHistoryLimit 10,
 * progressDeadlineSeconds 600. Only read by the controller; never written back.
 */
export function withDefaults(d: Deployment): DefaultedDeployment {
  const c = deepCopy(d) as Deployment;
  const spec = (c.spec ??= {});
  if (typeof spec.replicas !== 'number') spec.replicas = 1;
  const strategy = (spec.strategy ??= {});
  if (strategy.type === undefined || strategy.type === '') strategy.type = 'RollingUpdate';
  if (strategy.type === 'RollingUpdate') {
    const ru = (strategy.rollingUpdate ??= {});
    if (ru.maxUnavailable === undefined || ru.maxUnavailable === null) ru.maxUnavailable = '25%';
    if (ru.maxSurge === undefined || ru.maxSurge === null) ru.maxSurge = '25%';
  }
  if (typeof spec.revisionHistoryLimit !== 'number') spec.revisionHistoryLimit = 10;
  if (typeof spec.progressDeadlineSeconds !== 'number') spec.progressDeadlineSeconds = 600;
  if (typeof spec.minReadySeconds !== 'number') spec.minReadySeconds = 0;
  return c as DefaultedDeployment;
}

export function isRollingUpdate(d: DefaultedDeployment): boolean {
  return d.spec.strategy.type === 'RollingUpdate';
}

export function hasProgressDeadline(d: Deployment): boolean {
  const p = d.spec?.progressDeadlineSeconds;
  return typeof p === 'number' && p !== MAX_INT32;
}

export function hasRevisionHistoryLimit(d: Deployment): boolean {
  const r = d.spec?.revisionHistoryLimit;
  return typeof r === 'number' && r !== MAX_INT32;
}

/**
 * intstr.GetScaledValueFromIntOrPercent: an int is itself; "N%" is N% of total, rounded
 * up or down. Throws on anything else.
 */
export function scaledValue(v: IntOrString | undefined, total: number, roundUp: boolean): number {
  if (v === undefined) return 0;
  if (typeof v === 'number') return v;
  const m = /^(-?\d+)%$/.exec(v);
  if (m === null) throw new Error(`invalid value for IntOrString: invalid type: string is not a percentage`);
  const value = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(value) : Math.floor(value);
}

/** Upstream's ResolveFenceposts: surge rounds up, unavailable down; both 0 means unavailable 1. */
export function resolveFenceposts(maxSurge: IntOrString | undefined, maxUnavailable: IntOrString | undefined, desired: number): { surge: number; unavailable: number } {
  const surge = scaledValue(maxSurge ?? 0, desired, true);
  let unavailable = scaledValue(maxUnavailable ?? 0, desired, false);
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return { surge, unavailable };
}

export function maxSurge(d: DefaultedDeployment): number {
  if (!isRollingUpdate(d)) return 0;
  const ru = d.spec.strategy.rollingUpdate ?? {};
  return resolveFenceposts(ru.maxSurge, ru.maxUnavailable, d.spec.replicas).surge;
}

export function maxUnavailable(d: DefaultedDeployment): number {
  if (!isRollingUpdate(d) || d.spec.replicas === 0) return 0;
  const ru = d.spec.strategy.rollingUpdate ?? {};
  const u = resolveFenceposts(ru.maxSurge, ru.maxUnavailable, d.spec.replicas).unavailable;
  return Math.min(u, d.spec.replicas);
}

// --- replica counts -----------------------------------------------------------------

const sum = (rss: readonly (ReplicaSet | undefined)[], f: (rs: ReplicaSet) => number): number => rss.reduce((n, rs) => (rs === undefined ? n : n + f(rs)), 0);
/** Sum of spec.replicas. */
export const replicaCount = (rss: readonly (ReplicaSet | undefined)[]): number => sum(rss, specReplicas);
/** Sum of status.replicas. */
export const actualReplicaCount = (rss: readonly (ReplicaSet | undefined)[]): number => sum(rss, (rs) => rs.status?.replicas ?? 0);
export const readyReplicaCount = (rss: readonly (ReplicaSet | undefined)[]): number => sum(rss, (rs) => rs.status?.readyReplicas ?? 0);
export const availableReplicaCount = (rss: readonly (ReplicaSet | undefined)[]): number => sum(rss, (rs) => rs.status?.availableReplicas ?? 0);

/** Replica sets with spec.replicas > 0. */
export function filterActiveReplicaSets(rss: readonly (ReplicaSet | undefined)[]): ReplicaSet[] {
  return rss.filter((rs): rs is ReplicaSet => rs !== undefined && specReplicas(rs) > 0);
}

// --- ordering -------------------------------------------------------------------------

const created = (o: KubeObject): number => {
  const t = Date.parse(o.metadata?.creationTimestamp ?? '');
  return Number.isNaN(t) ? 0 : t;
};

/** Older first; the same second: by name. */
export function byCreationTimestamp(a: KubeObject, b: KubeObject): number {
  const d = created(a) - created(b);
  if (d !== 0) return d;
  const an = a.metadata?.name ?? '';
  const bn = b.metadata?.name ?? '';
  return an < bn ? -1 : an > bn ? 1 : 0;
}

/** Larger first; equal sizes: older first. */
export function bySizeOlder(a: ReplicaSet, b: ReplicaSet): number {
  const d = specReplicas(b) - specReplicas(a);
  return d !== 0 ? d : byCreationTimestamp(a, b);
}

/** Larger first; equal sizes: newer first. */
export function bySizeNewer(a: ReplicaSet, b: ReplicaSet): number {
  const d = specReplicas(b) - specReplicas(a);
  return d !== 0 ? d : byCreationTimestamp(b, a);
}

/** Lower revision first; equal: by creation. */
export function byRevision(a: ReplicaSet, b: ReplicaSet): number {
  const d = revisionOf(a) - revisionOf(b);
  return d !== 0 ? d : byCreationTimestamp(a, b);
}

// --- templates and revisions ------------------------------------------------------------

/** Templates equal but for the pod-template-hash label (null/empty fields ignored, as Go's semantic equality). */
export function equalIgnoreHash(a: PodTemplate | undefined, b: PodTemplate | undefined): boolean {
  const strip = (t: PodTemplate | undefined): unknown => {
    const c = deepCopy(t ?? {});
    if (c.metadata?.labels !== undefined) delete c.metadata.labels[DEFAULT_UNIQUE_LABEL_KEY];
    return prune(c);
  };
  return isDeepStrictEqual(strip(a), strip(b));
}

/** The oldest replica set whose template is the deployment's (upstream's FindNewReplicaSet). */
export function findNewReplicaSet(d: Deployment, rsList: readonly ReplicaSet[]): ReplicaSet | undefined {
  return [...rsList].sort(byCreationTimestamp).find((rs) => equalIgnoreHash(rs.spec?.template, d.spec?.template));
}

/** Every replica set but the new one (sorted by creation). */
export function findOldReplicaSets(d: Deployment, rsList: readonly ReplicaSet[]): ReplicaSet[] {
  const n = findNewReplicaSet(d, rsList);
  return [...rsList].sort(byCreationTimestamp).filter((rs) => n === undefined || rs.metadata?.uid !== n.metadata?.uid);
}

/** The revision annotation as a number; 0 when absent or not a number. */
export function revisionOf(o: KubeObject | undefined): number {
  const v = o?.metadata?.annotations?.[REVISION_ANNOTATION];
  if (v === undefined || !/^\d+$/.test(v)) return 0;
  return Number(v);
}

export function maxRevision(rss: readonly (ReplicaSet | undefined)[]): number {
  return rss.reduce((m, rs) => Math.max(m, revisionOf(rs)), 0);
}

function skipCopyAnnotation(k: string): boolean {
  return [LAST_APPLIED_ANNOTATION, REVISION_ANNOTATION, REVISION_HISTORY_ANNOTATION, DESIRED_REPLICAS_ANNOTATION, MAX_REPLICAS_ANNOTATION, DEPRECATED_ROLLBACK_TO].includes(k);
}

/** Copies the deployment's annotations (but the bookkeeping ones) to the replica set; true when any changed. */
export function copyDeploymentAnnotationsToReplicaSet(d: Deployment, rs: ReplicaSet): boolean {
  let changed = false;
  const meta = (rs.metadata ??= {});
  for (const [k, v] of Object.entries(d.metadata?.annotations ?? {})) {
    if (skipCopyAnnotation(k) || meta.annotations?.[k] === v) continue;
    (meta.annotations ??= {})[k] = v;
    changed = true;
  }
  return changed;
}

export function replicasAnnotationsNeedUpdate(rs: ReplicaSet, desired: number, max: number): boolean {
  const a = rs.metadata?.annotations ?? {};
  return a[DESIRED_REPLICAS_ANNOTATION] !== String(desired) || a[MAX_REPLICAS_ANNOTATION] !== String(max);
}

export function setReplicasAnnotations(rs: ReplicaSet, desired: number, max: number): boolean {
  if (!replicasAnnotationsNeedUpdate(rs, desired, max)) return false;
  const a = ((rs.metadata ??= {}).annotations ??= {});
  a[DESIRED_REPLICAS_ANNOTATION] = String(desired);
  a[MAX_REPLICAS_ANNOTATION] = String(max);
  return true;
}

function intAnnotation(rs: ReplicaSet, key: string): number | undefined {
  const v = rs.metadata?.annotations?.[key];
  if (v === undefined || !/^-?\d+$/.test(v)) return undefined;
  return Number(v);
}

export const desiredReplicasAnnotation = (rs: ReplicaSet): number | undefined => intAnnotation(rs, DESIRED_REPLICAS_ANNOTATION);
export const maxReplicasAnnotation = (rs: ReplicaSet): number | undefined => intAnnotation(rs, MAX_REPLICAS_ANNOTATION);

/**
 * Upstream's SetNewReplicaSetAnnotations: copies the deployment's annotations, raises
 * the revision to newRevision when it is higher (keeping the replaced one in
 * revision-history, bounded to limitChars), and for a replica set about to be created
 * sets desired/max replicas. Mutates rs; true when anything changed.
 */
export function setNewReplicaSetAnnotations(d: DefaultedDeployment, rs: ReplicaSet, newRevision: number, exists: boolean, limitChars = MAX_REV_HISTORY_LENGTH): boolean {
  let changed = copyDeploymentAnnotationsToReplicaSet(d, rs);
  const a = ((rs.metadata ??= {}).annotations ??= {});
  const had = Object.prototype.hasOwnProperty.call(a, REVISION_ANNOTATION);
  const oldRevision = a[REVISION_ANNOTATION] ?? '';
  let oldRevisionInt = 0;
  if (oldRevision !== '') {
    if (!/^-?\d+$/.test(oldRevision)) return changed;
    oldRevisionInt = Number(oldRevision);
  }
  if (oldRevisionInt < newRevision) {
    a[REVISION_ANNOTATION] = String(newRevision);
    changed = true;
    if (had) {
      const history = a[REVISION_HISTORY_ANNOTATION] ?? '';
      let olds = history.split(',');
      if ((olds[0] ?? '').length === 0) {
        a[REVISION_HISTORY_ANNOTATION] = oldRevision;
      } else {
        let total = history.length + oldRevision.length + 1;
        let start = 0;
        while (total > limitChars && start < olds.length) {
          total -= (olds[start] ?? '').length + 1;
          start++;
        }
        if (total <= limitChars) {
          olds = [...olds.slice(start), oldRevision];
          a[REVISION_HISTORY_ANNOTATION] = olds.join(',');
        }
      }
    }
  }
  if (!exists && setReplicasAnnotations(rs, d.spec.replicas, d.spec.replicas + maxSurge(d))) changed = true;
  return changed;
}

// --- rollout arithmetic --------------------------------------------------------------------

/** The size the new replica set may have now (upstream's NewRSNewReplicas). */
export function newRSNewReplicas(d: DefaultedDeployment, allRSs: readonly (ReplicaSet | undefined)[], newRS: ReplicaSet): number {
  if (!isRollingUpdate(d)) return d.spec.replicas;
  const surge = maxSurge(d);
  const current = replicaCount(allRSs);
  const maxTotal = d.spec.replicas + surge;
  if (current >= maxTotal) return specReplicas(newRS);
  const up = Math.min(maxTotal - current, d.spec.replicas - specReplicas(newRS));
  return specReplicas(newRS) + up;
}

/** The new replica set is at full size and fully available for the current spec. */
export function isSaturated(d: DefaultedDeployment, rs: ReplicaSet | undefined): boolean {
  if (rs === undefined) return false;
  const desired = desiredReplicasAnnotation(rs);
  if (desired === undefined) return false;
  return specReplicas(rs) === d.spec.replicas && desired === d.spec.replicas && (rs.status?.availableReplicas ?? 0) === d.spec.replicas;
}

/** The one active replica set, or the newest when none is active; undefined when several are. */
export function findActiveOrLatest(newRS: ReplicaSet | undefined, oldRSs: readonly ReplicaSet[]): ReplicaSet | undefined {
  if (newRS === undefined && oldRSs.length === 0) return undefined;
  const olds = [...oldRSs].sort((a, b) => byCreationTimestamp(b, a));
  const active = filterActiveReplicaSets([...olds, newRS]);
  if (active.length === 0) return newRS ?? olds[0];
  if (active.length === 1) return active[0];
  return undefined;
}

/** Go's math.Round for the proportion arithmetic (half away from zero). */
function roundHalfAway(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x);
}

function replicaSetFraction(rs: ReplicaSet, d: DefaultedDeployment): number {
  if (d.spec.replicas === 0) return -specReplicas(rs);
  const deploymentReplicas = d.spec.replicas + maxSurge(d);
  const annotated = maxReplicasAnnotation(rs) ?? d.status?.replicas ?? 0;
  if (annotated === 0) return 0;
  const size = (specReplicas(rs) * deploymentReplicas) / annotated;
  return roundHalfAway(size) - specReplicas(rs);
}

/** How many replicas rs gets (or gives) of toAdd, given added so far (upstream's GetProportion). */
export function getProportion(rs: ReplicaSet | undefined, d: DefaultedDeployment, toAdd: number, added: number): number {
  if (rs === undefined || specReplicas(rs) === 0 || toAdd === 0 || toAdd === added) return 0;
  const fraction = replicaSetFraction(rs, d);
  const allowed = toAdd - added;
  return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
}

// --- conditions and status ---------------------------------------------------------------------

export function newCondition(type: string, status: string, reason: string, message: string, now: number): DeploymentCondition {
  const t = rfc3339(now);
  return { type, status, lastUpdateTime: t, lastTransitionTime: t, reason, message };
}

export function getCondition(status: DeploymentStatus | undefined, type: string): DeploymentCondition | undefined {
  return status?.conditions?.find((c) => c.type === type);
}

/** Upstream's SetDeploymentCondition: same status and reason: unchanged; same status: keep the transition time. */
export function setCondition(status: DeploymentStatus, cond: DeploymentCondition): void {
  const cur = getCondition(status, cond.type);
  if (cur !== undefined && cur.status === cond.status && cur.reason === cond.reason) return;
  const next = { ...cond };
  if (cur !== undefined && cur.status === cond.status) next.lastTransitionTime = cur.lastTransitionTime;
  status.conditions = [...(status.conditions ?? []).filter((c) => c.type !== cond.type), next];
}

export function removeCondition(status: DeploymentStatus, type: string): void {
  if (status.conditions === undefined) return;
  status.conditions = status.conditions.filter((c) => c.type !== type);
}

/** A ReplicaSet condition as a deployment condition (upstream's ReplicaSetToDeploymentCondition). */
export function replicaSetToDeploymentCondition(c: { type: string; status: string; lastTransitionTime?: string; reason?: string; message?: string }): DeploymentCondition {
  return { type: c.type, status: c.status, lastTransitionTime: c.lastTransitionTime, lastUpdateTime: c.lastTransitionTime, reason: c.reason, message: c.message };
}

/** Drops zero numbers and empty lists, as Go's omitempty does on DeploymentStatus. */
export function normalizeStatus(s: DeploymentStatus): DeploymentStatus {
  const out: DeploymentStatus = { ...s };
  for (const k of ['observedGeneration', 'replicas', 'updatedReplicas', 'readyReplicas', 'availableReplicas', 'unavailableReplicas'] as const) {
    if (out[k] === undefined || out[k] === 0) delete out[k];
  }
  if (out.collisionCount === undefined || out.collisionCount === null) delete out.collisionCount;
  if (out.conditions === undefined || out.conditions.length === 0) delete out.conditions;
  return out;
}

export function statusEqual(a: DeploymentStatus | undefined, b: DeploymentStatus | undefined): boolean {
  return isDeepStrictEqual(prune(normalizeStatus(a ?? {})), prune(normalizeStatus(b ?? {})));
}

/** The status the replica sets imply (upstream's calculateStatus). */
export function calculateStatus(allRSs: readonly (ReplicaSet | undefined)[], newRS: ReplicaSet | undefined, d: DefaultedDeployment, now: number): DeploymentStatus {
  const available = availableReplicaCount(allRSs);
  const total = replicaCount(allRSs);
  const unavailable = Math.max(0, total - available);
  const status: DeploymentStatus = {
    observedGeneration: d.metadata?.generation ?? 0,
    replicas: actualReplicaCount(allRSs),
    updatedReplicas: actualReplicaCount([newRS]),
    readyReplicas: readyReplicaCount(allRSs),
    availableReplicas: available,
    unavailableReplicas: unavailable,
    ...(d.status?.collisionCount !== undefined ? { collisionCount: d.status.collisionCount } : {}),
    conditions: (d.status?.conditions ?? []).map((c) => ({ ...c })),
  };
  if (available >= d.spec.replicas - maxUnavailable(d)) {
    setCondition(status, newCondition(AVAILABLE, 'True', MINIMUM_REPLICAS_AVAILABLE, 'Deployment has minimum availability.', now));
  } else {
    setCondition(status, newCondition(AVAILABLE, 'False', MINIMUM_REPLICAS_UNAVAILABLE, 'Deployment does not have minimum availability.', now));
  }
  return normalizeStatus(status);
}

export function deploymentComplete(d: DefaultedDeployment, s: DeploymentStatus): boolean {
  const r = d.spec.replicas;
  return (s.updatedReplicas ?? 0) === r && (s.replicas ?? 0) === r && (s.availableReplicas ?? 0) === r && (s.observedGeneration ?? 0) >= (d.metadata?.generation ?? 0);
}

export function deploymentProgressing(d: Deployment, s: DeploymentStatus): boolean {
  const o = d.status ?? {};
  const oldOld = (o.replicas ?? 0) - (o.updatedReplicas ?? 0);
  const newOld = (s.replicas ?? 0) - (s.updatedReplicas ?? 0);
  return (
    (s.updatedReplicas ?? 0) > (o.updatedReplicas ?? 0) ||
    newOld < oldOld ||
    (s.readyReplicas ?? 0) > (o.readyReplicas ?? 0) ||
    (s.availableReplicas ?? 0) > (o.availableReplicas ?? 0)
  );
}

export function deploymentTimedOut(d: Deployment, s: DeploymentStatus, now: number): boolean {
  if (!hasProgressDeadline(d)) return false;
  const c = getCondition(s, PROGRESSING);
  if (c === undefined) return false;
  if (c.reason === NEW_RS_AVAILABLE_REASON) return false;
  if (c.reason === TIMED_OUT_REASON) return true;
  const from = Date.parse(c.lastUpdateTime ?? '');
  if (Number.isNaN(from)) return false;
  return from + (d.spec?.progressDeadlineSeconds ?? 0) * 1000 < now;
}
