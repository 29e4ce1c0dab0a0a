/**
 * One sync of one Deployment (upstream's syncDeployment with sync.go, rolling.go,
 * recreate.go and progress.go): claim replica sets, then either only report status
 * (being deleted), scale proportionally (paused, or spec.replicas changed), or roll
 * out (RollingUpdate or Recreate), and finally write status.
 *
 * A DeploymentSync is made per sync and holds the working copy `d` (defaults applied,
 * see util.withDefaults), as upstream passes its deep copy around. Writes to the
 * deployment keep d.metadata.resourceVersion current, so one sync can write several
 * times without conflicting with itself.
 *
 * Difference from upstream: upstream moves the deployment's revision annotation in the
 * same status update (its Deployment status strategy keeps request annotations);
 * kubelite's status subresource keeps metadata from the stored object, so the
 * annotation is written first with a merge patch on the deployment (a metadata-only
 * change: generation does not move).
 */
import type { Pod as CorePod } from 'kubernetes-types/core/v1.js';
import { deepCopy, getControllerOf } from '../../apimachinery/meta.js';
import { isEverything, matches, selectorFromLabelSelector, type Selector } from '../../apimachinery/labels.js';
import { hasStatusCause, isAlreadyExists, isNotFound, NAMESPACE_TERMINATING_CAUSE } from '../../client/errors.js';
import type { EventRecorder, ObjectReference } from '../../client/events.js';
import type { Lister } from '../../client/lister.js';
import type { RestClient } from '../../client/rest.js';
import type { GroupVersionResource } from '../../client/types.js';
import type { Clock } from '../../util/clock.js';
import { claimObjects, newControllerRef, recheckDeletionTimestamp } from '../common/controllerref.js';
import { errorMessage } from '../common/queue.js';
import { specReplicas } from '../common/replicaset.js';
import { GVR, type Obj } from '../common/types.js';
import type { WrittenVersions } from '../common/writtenversions.js';
import { computeHash, prune } from './hash.js';
import {
  actualReplicaCount,
  availableReplicaCount,
  byCreationTimestamp,
  byRevision,
  bySizeNewer,
  bySizeOlder,
  calculateStatus,
  DEFAULT_UNIQUE_LABEL_KEY,
  deploymentComplete,
  deploymentProgressing,
  deploymentTimedOut,
  desiredReplicasAnnotation,
  equalIgnoreHash,
  FAILED_RS_CREATE_REASON,
  filterActiveReplicaSets,
  findActiveOrLatest,
  findNewReplicaSet,
  findOldReplicaSets,
  FOUND_NEW_RS_REASON,
  getCondition,
  getProportion,
  hasProgressDeadline,
  hasRevisionHistoryLimit,
  isRollingUpdate,
  isSaturated,
  maxRevision,
  maxSurge,
  maxUnavailable,
  NEW_REPLICASET_REASON,
  NEW_RS_AVAILABLE_REASON,
  newCondition,
  newRSNewReplicas,
  normalizeStatus,
  PAUSED_DEPLOY_REASON,
  PROGRESSING,
  removeCondition,
  REPLICA_FAILURE,
  replicaCount,
  REPLICASET_UPDATED_REASON,
  replicaSetToDeploymentCondition,
  replicasAnnotationsNeedUpdate,
  RESUMED_DEPLOY_REASON,
  REVISION_ANNOTATION,
  setCondition,
  setNewReplicaSetAnnotations,
  setReplicasAnnotations,
  statusEqual,
  TIMED_OUT_REASON,
  withDefaults,
  type DefaultedDeployment,
  type Deployment,
  type DeploymentCondition,
  type ReplicaSet,
} from './util.js';

export const DEPLOYMENTS: GroupVersionResource = GVR.deployments;
export const REPLICASETS: GroupVersionResource = GVR.replicaSets;

type Pod = Obj<CorePod>;

export interface DeploymentSyncDeps {
  client: RestClient;
  recorder: EventRecorder;
  clock: Clock;
  rsLister: Lister<ReplicaSet>;
  podLister: Lister<Pod>;
  /** Sync key again after ms (progress deadline checks). */
  enqueueAfter(key: string, ms: number): void;
  enqueueRateLimited(key: string): void;
  /** Versions this controller's writes replaced (see WrittenVersions); keys from deploymentKey / replicaSetKey. */
  written?: WrittenVersions;
}

export const deploymentKey = (namespace: string, name: string): string => `${namespace}/${name}`;
export const replicaSetKey = (namespace: string, name: string): string => `rs:${namespace}/${name}`;

export class DeploymentSync {
  readonly d: DefaultedDeployment;
  private serverRevision: string | undefined;
  private readonly key: string;

  constructor(
    private readonly deps: DeploymentSyncDeps,
    cached: Deployment,
  ) {
    this.d = withDefaults(cached);
    this.serverRevision = cached.metadata?.annotations?.[REVISION_ANNOTATION];
    this.key = deploymentKey(cached.metadata?.namespace ?? '', cached.metadata?.name ?? '');
  }

  private get ns(): string {
    return this.d.metadata?.namespace ?? '';
  }

  private now(): number {
    return this.deps.clock.now();
  }

  private ref(): ObjectReference {
    const m = this.d.metadata ?? {};
    return { kind: 'Deployment', apiVersion: 'apps/v1', namespace: m.namespace, name: m.name, uid: m.uid, resourceVersion: m.resourceVersion };
  }

  private event(type: 'Normal' | 'Warning', reason: string, message: string): void {
    this.deps.recorder.event(this.ref(), type, reason, message);
  }

  /** The whole sync; throwing requeues the deployment. */
  async run(): Promise<void> {
    const d = this.d;
    if (prune(d.spec.selector) === undefined) {
      this.event('Warning', 'SelectingAll', 'This deployment is selecting all pods. A non-empty selector is required.');
      if ((d.status?.observedGeneration ?? 0) < (d.metadata?.generation ?? 0)) {
        d.status = { ...(d.status ?? {}), observedGeneration: d.metadata?.generation };
        await this.writeStatus();
      }
      return;
    }
    const selector = selectorFromLabelSelector(d.spec.selector);
    const rsList = await this.getReplicaSetsForDeployment(selector);
    if (d.metadata?.deletionTimestamp !== undefined) return this.syncStatusOnly(rsList);
    await this.checkPausedConditions();
    if (d.spec.paused === true) return this.sync(rsList);
    if (await this.isScalingEvent(rsList)) return this.sync(rsList);
    if (d.spec.strategy.type === 'Recreate') return this.rolloutRecreate(rsList, this.getPodMap(selector, rsList));
    if (d.spec.strategy.type === 'RollingUpdate') return this.rolloutRolling(rsList);
    throw new Error(`unexpected deployment strategy type: ${d.spec.strategy.type}`);
  }

  // --- claiming -------------------------------------------------------------------------

  private async getReplicaSetsForDeployment(selector: Selector): Promise<ReplicaSet[]> {
    const all = this.deps.rsLister.namespace(this.ns).list();
    const name = this.d.metadata?.name ?? '';
    return claimObjects(all, {
      client: this.deps.client,
      owner: this.d,
      ownerApiVersion: 'apps/v1',
      ownerKind: 'Deployment',
      gvr: REPLICASETS,
      selector,
      canAdopt: recheckDeletionTimestamp({ ...this.d, kind: 'Deployment' }, () => this.deps.client.get({ ...DEPLOYMENTS, namespace: this.ns, name })),
    });
  }

  /** Pods of the deployment by the uid of the replica set controlling them. */
  private getPodMap(selector: Selector, rsList: readonly ReplicaSet[]): Map<string, Pod[]> {
    const m = new Map<string, Pod[]>();
    for (const rs of rsList) m.set(rs.metadata?.uid ?? '', []);
    if (selector.nothing || isEverything(selector)) return m;
    for (const pod of this.deps.podLister.namespace(this.ns).list()) {
      if (!matches(selector, pod.metadata?.labels)) continue;
      const ref = getControllerOf(pod);
      if (ref === undefined) continue;
      m.get(ref.uid)?.push(pod);
    }
    return m;
  }

  // --- writes ------------------------------------------------------------------------------

  private setDeploymentRevision(revision: string): boolean {
    const a = ((this.d.metadata ??= {}).annotations ??= {});
    if (a[REVISION_ANNOTATION] === revision) return false;
    a[REVISION_ANNOTATION] = revision;
    return true;
  }

  /** Writes the revision annotation (when it moved) and d.status. */
  private async writeStatus(): Promise<void> {
    const d = this.d;
    const ref = { ...DEPLOYMENTS, namespace: this.ns, name: d.metadata?.name ?? '' };
    const rev = d.metadata?.annotations?.[REVISION_ANNOTATION];
    if (rev !== this.serverRevision) {
      const replaced = d.metadata?.resourceVersion;
      const patched = await this.deps.client.patch<Deployment>(ref, 'merge', {
        metadata: { annotations: { [REVISION_ANNOTATION]: rev ?? null }, resourceVersion: replaced },
      });
      this.deps.written?.wrote(this.key, replaced);
      this.serverRevision = rev;
      d.metadata!.resourceVersion = patched.metadata?.resourceVersion;
    }
    const body: Deployment = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: d.metadata, spec: d.spec, status: normalizeStatus(d.status ?? {}) };
    const replaced = d.metadata?.resourceVersion;
    const updated = await this.deps.client.updateStatus<Deployment>(ref, body);
    this.deps.written?.wrote(this.key, replaced);
    d.metadata!.resourceVersion = updated.metadata?.resourceVersion;
  }

  private async updateReplicaSet(rs: ReplicaSet): Promise<ReplicaSet> {
    const name = rs.metadata?.name ?? '';
    const updated = await this.deps.client.update<ReplicaSet>({ ...REPLICASETS, namespace: this.ns, name }, { ...rs, apiVersion: 'apps/v1', kind: 'ReplicaSet' });
    this.deps.written?.wrote(replicaSetKey(this.ns, name), rs.metadata?.resourceVersion);
    return updated;
  }

  // --- new and old replica sets -------------------------------------------------------------

  private async getAllReplicaSetsAndSyncRevision(rsList: ReplicaSet[], createIfNotExisted: boolean): Promise<{ newRS: ReplicaSet | undefined; oldRSs: ReplicaSet[] }> {
    const oldRSs = findOldReplicaSets(this.d, rsList);
    const newRS = await this.getNewReplicaSet(rsList, oldRSs, createIfNotExisted);
    return { newRS, oldRSs };
  }

  private async getNewReplicaSet(rsList: ReplicaSet[], oldRSs: ReplicaSet[], create: boolean): Promise<ReplicaSet | undefined> {
    const d = this.d;
    const existing = findNewReplicaSet(d, rsList);
    const newRevision = maxRevision(oldRSs) + 1;
    if (existing !== undefined) {
      const rsCopy = deepCopy(existing);
      const annotationsUpdated = setNewReplicaSetAnnotations(d, rsCopy, newRevision, true);
      const minReadyUpdate = (rsCopy.spec?.minReadySeconds ?? 0) !== d.spec.minReadySeconds;
      if (annotationsUpdated || minReadyUpdate) {
        (rsCopy.spec ??= {}).minReadySeconds = d.spec.minReadySeconds;
        const updated = await this.updateReplicaSet(rsCopy);
        // Later steps of this sync see the written replica set, not the cached one.
        const i = rsList.findIndex((r) => r.metadata?.uid === updated.metadata?.uid);
        if (i >= 0) rsList[i] = updated;
        return updated;
      }
      let needsUpdate = this.setDeploymentRevision(rsCopy.metadata?.annotations?.[REVISION_ANNOTATION] ?? '');
      if (hasProgressDeadline(d) && getCondition(d.status, PROGRESSING) === undefined) {
        setCondition((d.status ??= {}), newCondition(PROGRESSING, 'True', FOUND_NEW_RS_REASON, `Found new replica set ${JSON.stringify(rsCopy.metadata?.name ?? '')}`, this.now()));
        needsUpdate = true;
      }
      if (needsUpdate) await this.writeStatus();
      return rsCopy;
    }
    if (!create) return undefined;

    const template = deepCopy(d.spec.template ?? {});
    const hash = computeHash(template, d.status?.collisionCount);
    const labels = { ...(template.metadata?.labels ?? {}), [DEFAULT_UNIQUE_LABEL_KEY]: hash };
    (template.metadata ??= {}).labels = labels;
    const selector = deepCopy((d.spec.selector ?? {}) as { matchLabels?: Record<string, string> });
    selector.matchLabels = { ...(selector.matchLabels ?? {}), [DEFAULT_UNIQUE_LABEL_KEY]: hash };
    const name = `${d.metadata?.name ?? ''}-${hash}`;
    const newRS: ReplicaSet = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name, namespace: this.ns, ownerReferences: [newControllerRef(d, 'apps/v1', 'Deployment')], labels: { ...labels } },
      spec: { replicas: 0, minReadySeconds: d.spec.minReadySeconds, selector, template },
    };
    const count = newRSNewReplicas(d, [...oldRSs, newRS], newRS);
    newRS.spec!.replicas = count;
    setNewReplicaSetAnnotations(d, newRS, newRevision, false);

    let createdRS: ReplicaSet;
    let alreadyExists = false;
    try {
      createdRS = await this.deps.client.create<ReplicaSet>({ ...REPLICASETS, namespace: this.ns }, newRS);
    } catch (e) {
      if (isAlreadyExists(e)) {
        alreadyExists = true;
        const rs = this.deps.rsLister.get(this.ns, name) ?? (await this.deps.client.get<ReplicaSet>({ ...REPLICASETS, namespace: this.ns, name }));
        if (getControllerOf(rs)?.uid === d.metadata?.uid && equalIgnoreHash(d.spec.template, rs.spec?.template)) {
          createdRS = rs;
        } else {
          // A hash collision: bump collisionCount so the next sync hashes differently.
          d.status = { ...(d.status ?? {}), collisionCount: (d.status?.collisionCount ?? 0) + 1 };
          await this.writeStatus();
          throw e;
        }
      } else if (hasStatusCause(e, NAMESPACE_TERMINATING_CAUSE)) {
        throw e;
      } else {
        const msg = `Failed to create new replica set ${JSON.stringify(name)}: ${errorMessage(e)}`;
        if (hasProgressDeadline(d)) {
          setCondition((d.status ??= {}), newCondition(PROGRESSING, 'False', FAILED_RS_CREATE_REASON, msg, this.now()));
          await this.writeStatus().catch(() => undefined);
        }
        this.event('Warning', FAILED_RS_CREATE_REASON, msg);
        throw e;
      }
    }
    if (!alreadyExists && count > 0) this.event('Normal', 'ScalingReplicaSet', `Scaled up replica set ${createdRS.metadata?.name ?? name} from 0 to ${count}`);
    let needsUpdate = this.setDeploymentRevision(String(newRevision));
    if (!alreadyExists && hasProgressDeadline(d)) {
      setCondition((d.status ??= {}), newCondition(PROGRESSING, 'True', NEW_REPLICASET_REASON, `Created new replica set ${JSON.stringify(createdRS.metadata?.name ?? name)}`, this.now()));
      needsUpdate = true;
    }
    if (needsUpdate) await this.writeStatus();
    return createdRS;
  }

  // --- scaling ---------------------------------------------------------------------------------

  private async scaleReplicaSetAndRecordEvent(rs: ReplicaSet, newScale: number): Promise<{ scaled: boolean; rs: ReplicaSet }> {
    if (specReplicas(rs) === newScale) return { scaled: false, rs };
    return this.scaleReplicaSet(rs, newScale, specReplicas(rs) > newScale ? 'down' : 'up');
  }

  private async scaleReplicaSet(rs: ReplicaSet, newScale: number, op: string): Promise<{ scaled: boolean; rs: ReplicaSet }> {
    const d = this.d;
    const max = d.spec.replicas + maxSurge(d);
    const sizeNeedsUpdate = specReplicas(rs) !== newScale;
    if (!sizeNeedsUpdate && !replicasAnnotationsNeedUpdate(rs, d.spec.replicas, max)) return { scaled: false, rs };
    const oldScale = specReplicas(rs);
    const copy = deepCopy(rs);
    (copy.spec ??= {}).replicas = newScale;
    setReplicasAnnotations(copy, d.spec.replicas, max);
    const updated = await this.updateReplicaSet(copy);
    if (sizeNeedsUpdate) this.event('Normal', 'ScalingReplicaSet', `Scaled ${op} replica set ${updated.metadata?.name ?? ''} from ${oldScale} to ${newScale}`);
    return { scaled: sizeNeedsUpdate, rs: updated };
  }

  private async isScalingEvent(rsList: ReplicaSet[]): Promise<boolean> {
    const { newRS, oldRSs } = await this.getAllReplicaSetsAndSyncRevision(rsList, false);
    for (const rs of filterActiveReplicaSets([...oldRSs, newRS])) {
      const desired = desiredReplicasAnnotation(rs);
      if (desired === undefined) continue;
      if (desired !== this.d.spec.replicas) return true;
    }
    return false;
  }

  /** Scaling without a rollout: paused deployments and spec.replicas changes (upstream's sync). */
  private async sync(rsList: ReplicaSet[]): Promise<void> {
    const { newRS, oldRSs } = await this.getAllReplicaSetsAndSyncRevision(rsList, false);
    await this.scale(newRS, oldRSs);
    if (this.d.spec.paused === true) await this.cleanupDeployment(oldRSs);
    await this.syncDeploymentStatus([...oldRSs, newRS], newRS);
  }

  private async scale(newRS: ReplicaSet | undefined, oldRSs: ReplicaSet[]): Promise<void> {
    const d = this.d;
    const activeOrLatest = findActiveOrLatest(newRS, oldRSs);
    if (activeOrLatest !== undefined) {
      if (specReplicas(activeOrLatest) === d.spec.replicas) return;
      await this.scaleReplicaSetAndRecordEvent(activeOrLatest, d.spec.replicas);
      return;
    }
    if (isSaturated(d, newRS)) {
      for (const old of filterActiveReplicaSets(oldRSs)) await this.scaleReplicaSetAndRecordEvent(old, 0);
      return;
    }
    if (!isRollingUpdate(d)) return;
    // Proportional scaling: spread the change over the active replica sets by size.
    const all = filterActiveReplicaSets([...oldRSs, newRS]);
    const allReplicas = replicaCount(all);
    const allowed = d.spec.replicas > 0 ? d.spec.replicas + maxSurge(d) : 0;
    const toAdd = allowed - allReplicas;
    let op = '';
    if (toAdd > 0) {
      all.sort(bySizeNewer);
      op = 'up';
    } else if (toAdd < 0) {
      all.sort(bySizeOlder);
      op = 'down';
    }
    let added = 0;
    const sizes = new Map<string, number>();
    for (const rs of all) {
      const name = rs.metadata?.name ?? '';
      if (toAdd !== 0) {
        const p = getProportion(rs, d, toAdd, added);
        sizes.set(name, specReplicas(rs) + p);
        added += p;
      } else {
        sizes.set(name, specReplicas(rs));
      }
    }
    for (let i = 0; i < all.length; i++) {
      const rs = all[i]!;
      const name = rs.metadata?.name ?? '';
      if (i === 0 && toAdd !== 0) sizes.set(name, Math.max(0, (sizes.get(name) ?? 0) + toAdd - added));
      await this.scaleReplicaSet(rs, sizes.get(name) ?? 0, op);
    }
  }

  // --- rollouts --------------------------------------------------------------------------------

  private async rolloutRolling(rsList: ReplicaSet[]): Promise<void> {
    const { newRS, oldRSs } = await this.getAllReplicaSetsAndSyncRevision(rsList, true);
    const nrs = newRS!;
    const allRSs = [...oldRSs, nrs];
    if (await this.reconcileNewReplicaSet(allRSs, nrs)) return this.syncRolloutStatus(allRSs, nrs);
    if (await this.reconcileOldReplicaSets(allRSs, filterActiveReplicaSets(oldRSs), nrs)) return this.syncRolloutStatus(allRSs, nrs);
    if (deploymentComplete(this.d, this.d.status ?? {})) await this.cleanupDeployment(oldRSs);
    return this.syncRolloutStatus(allRSs, nrs);
  }

  private async reconcileNewReplicaSet(allRSs: ReplicaSet[], newRS: ReplicaSet): Promise<boolean> {
    const want = this.d.spec.replicas;
    if (specReplicas(newRS) === want) return false;
    if (specReplicas(newRS) > want) return (await this.scaleReplicaSetAndRecordEvent(newRS, want)).scaled;
    return (await this.scaleReplicaSetAndRecordEvent(newRS, newRSNewReplicas(this.d, allRSs, newRS))).scaled;
  }

  private async reconcileOldReplicaSets(allRSs: ReplicaSet[], oldRSs: ReplicaSet[], newRS: ReplicaSet): Promise<boolean> {
    if (replicaCount(oldRSs) === 0) return false;
    const d = this.d;
    const allPods = replicaCount(allRSs);
    const minAvailable = d.spec.replicas - maxUnavailable(d);
    const newUnavailable = specReplicas(newRS) - (newRS.status?.availableReplicas ?? 0);
    const maxScaledDown = allPods - minAvailable - newUnavailable;
    if (maxScaledDown <= 0) return false;
    const { oldRSs: cleaned, count: cleanup } = await this.cleanupUnhealthyReplicas(oldRSs, maxScaledDown);
    const scaledDown = await this.scaleDownOldReplicaSetsForRollingUpdate([...cleaned, newRS], cleaned);
    return cleanup + scaledDown > 0;
  }

  /** Scales down old replica sets' unavailable pods first, oldest first. */
  private async cleanupUnhealthyReplicas(oldRSs: ReplicaSet[], maxCleanup: number): Promise<{ oldRSs: ReplicaSet[]; count: number }> {
    const list = [...oldRSs].sort(byCreationTimestamp);
    let total = 0;
    for (let i = 0; i < list.length; i++) {
      if (total >= maxCleanup) break;
      const rs = list[i]!;
      const replicas = specReplicas(rs);
      const available = rs.status?.availableReplicas ?? 0;
      if (replicas === 0 || replicas === available) continue;
      const down = Math.min(maxCleanup - total, replicas - available);
      const { rs: updated } = await this.scaleReplicaSetAndRecordEvent(rs, replicas - down);
      total += down;
      list[i] = updated;
    }
    return { oldRSs: list, count: total };
  }

  private async scaleDownOldReplicaSetsForRollingUpdate(allRSs: ReplicaSet[], oldRSs: ReplicaSet[]): Promise<number> {
    const d = this.d;
    const minAvailable = d.spec.replicas - maxUnavailable(d);
    const available = availableReplicaCount(allRSs);
    if (available <= minAvailable) return 0;
    const toScaleDown = available - minAvailable;
    let total = 0;
    for (const rs of [...oldRSs].sort(byCreationTimestamp)) {
      if (total >= toScaleDown) break;
      if (specReplicas(rs) === 0) continue;
      const down = Math.min(specReplicas(rs), toScaleDown - total);
      await this.scaleReplicaSetAndRecordEvent(rs, specReplicas(rs) - down);
      total += down;
    }
    return total;
  }

  private async rolloutRecreate(rsList: ReplicaSet[], podMap: Map<string, Pod[]>): Promise<void> {
    let { newRS, oldRSs } = await this.getAllReplicaSetsAndSyncRevision(rsList, false);
    let allRSs = [...oldRSs, newRS];
    let scaledDown = false;
    for (const rs of filterActiveReplicaSets(oldRSs)) {
      if ((await this.scaleReplicaSetAndRecordEvent(rs, 0)).scaled) scaledDown = true;
    }
    if (scaledDown) return this.syncRolloutStatus(allRSs, newRS);
    if (oldPodsRunning(newRS, oldRSs, podMap)) return this.syncRolloutStatus(allRSs, newRS);
    if (newRS === undefined) {
      ({ newRS, oldRSs } = await this.getAllReplicaSetsAndSyncRevision(rsList, true));
      allRSs = [...oldRSs, newRS];
    }
    if (newRS !== undefined) await this.scaleReplicaSetAndRecordEvent(newRS, this.d.spec.replicas);
    if (deploymentComplete(this.d, this.d.status ?? {})) await this.cleanupDeployment(oldRSs);
    return this.syncRolloutStatus(allRSs, newRS);
  }

  /** Deletes the oldest surplus replica sets beyond revisionHistoryLimit that are fully scaled down. */
  private async cleanupDeployment(oldRSs: ReplicaSet[]): Promise<void> {
    const d = this.d;
    if (!hasRevisionHistoryLimit(d)) return;
    const cleanable = oldRSs.filter((rs) => rs.metadata?.deletionTimestamp === undefined);
    const diff = cleanable.length - (d.spec.revisionHistoryLimit ?? 0);
    if (diff <= 0) return;
    cleanable.sort(byRevision);
    for (let i = 0; i < diff; i++) {
      const rs = cleanable[i]!;
      if ((rs.status?.replicas ?? 0) !== 0 || specReplicas(rs) !== 0 || (rs.metadata?.generation ?? 0) > (rs.status?.observedGeneration ?? 0) || rs.metadata?.deletionTimestamp !== undefined) continue;
      try {
        await this.deps.client.delete({ ...REPLICASETS, namespace: this.ns, name: rs.metadata?.name ?? '' });
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
    }
  }

  // --- status -------------------------------------------------------------------------------------

  private async syncStatusOnly(rsList: ReplicaSet[]): Promise<void> {
    const { newRS, oldRSs } = await this.getAllReplicaSetsAndSyncRevision(rsList, false);
    await this.syncDeploymentStatus([...oldRSs, newRS], newRS);
  }

  private async syncDeploymentStatus(allRSs: (ReplicaSet | undefined)[], newRS: ReplicaSet | undefined): Promise<void> {
    const next = calculateStatus(allRSs, newRS, this.d, this.now());
    if (statusEqual(this.d.status, next)) return;
    this.d.status = next;
    await this.writeStatus();
  }

  private async checkPausedConditions(): Promise<void> {
    const d = this.d;
    if (!hasProgressDeadline(d)) return;
    const cond = getCondition(d.status, PROGRESSING);
    if (cond?.reason === TIMED_OUT_REASON) return;
    const pausedCond = cond?.reason === PAUSED_DEPLOY_REASON;
    let c: DeploymentCondition | undefined;
    if (d.spec.paused === true && !pausedCond) c = newCondition(PROGRESSING, 'Unknown', PAUSED_DEPLOY_REASON, 'Deployment is paused', this.now());
    else if (d.spec.paused !== true && pausedCond) c = newCondition(PROGRESSING, 'Unknown', RESUMED_DEPLOY_REASON, 'Deployment is resumed', this.now());
    if (c === undefined) return;
    setCondition((d.status ??= {}), c);
    await this.writeStatus();
  }

  /** Status plus the Progressing condition and the requeue for the progress deadline (upstream's syncRolloutStatus). */
  private async syncRolloutStatus(allRSs: (ReplicaSet | undefined)[], newRS: ReplicaSet | undefined): Promise<void> {
    const d = this.d;
    const next = calculateStatus(allRSs, newRS, d, this.now());
    if (!hasProgressDeadline(d)) removeCondition(next, PROGRESSING);
    const current = getCondition(d.status, PROGRESSING);
    const isComplete = (next.replicas ?? 0) === (next.updatedReplicas ?? 0) && current?.reason === NEW_RS_AVAILABLE_REASON;
    if (hasProgressDeadline(d) && !isComplete) {
      const rsName = newRS?.metadata?.name;
      if (deploymentComplete(d, next)) {
        const msg = rsName !== undefined ? `ReplicaSet ${JSON.stringify(rsName)} has successfully progressed.` : `Deployment ${JSON.stringify(d.metadata?.name ?? '')} has successfully progressed.`;
        setCondition(next, newCondition(PROGRESSING, 'True', NEW_RS_AVAILABLE_REASON, msg, this.now()));
      } else if (deploymentProgressing(d, next)) {
        const msg = rsName !== undefined ? `ReplicaSet ${JSON.stringify(rsName)} is progressing.` : `Deployment ${JSON.stringify(d.metadata?.name ?? '')} is progressing.`;
        const c = newCondition(PROGRESSING, 'True', REPLICASET_UPDATED_REASON, msg, this.now());
        // Progress refreshes lastUpdateTime even with the same reason; the transition time stays while True.
        if (current !== undefined) {
          if (current.status === 'True') c.lastTransitionTime = current.lastTransitionTime;
          removeCondition(next, PROGRESSING);
        }
        setCondition(next, c);
      } else if (deploymentTimedOut(d, next, this.now())) {
        const msg = rsName !== undefined ? `ReplicaSet ${JSON.stringify(rsName)} has timed out progressing.` : `Deployment ${JSON.stringify(d.metadata?.name ?? '')} has timed out progressing.`;
        setCondition(next, newCondition(PROGRESSING, 'False', TIMED_OUT_REASON, msg, this.now()));
      }
    }
    const failures = replicaFailures(allRSs, newRS);
    if (failures.length > 0) setCondition(next, failures[0]!);
    else removeCondition(next, REPLICA_FAILURE);
    const normalized = normalizeStatus(next);
    if (statusEqual(d.status, normalized)) {
      this.requeueStuckDeployment(normalized);
      return;
    }
    d.status = normalized;
    await this.writeStatus();
  }

  /** Checks the progress deadline again when it will have passed (upstream's requeueStuckDeployment). */
  private requeueStuckDeployment(next: ReturnType<typeof normalizeStatus>): void {
    const d = this.d;
    const current = getCondition(d.status, PROGRESSING);
    if (!hasProgressDeadline(d) || current === undefined) return;
    if (deploymentComplete(d, next) || current.reason === TIMED_OUT_REASON) return;
    const last = Date.parse(current.lastUpdateTime ?? '');
    if (Number.isNaN(last)) return;
    const after = last + (d.spec.progressDeadlineSeconds ?? 0) * 1000 - this.now();
    if (after < 1000) this.deps.enqueueRateLimited(this.key);
    else this.deps.enqueueAfter(this.key, after + 1000);
  }
}

/** ReplicaFailure conditions of the new replica set, else of any (upstream's getReplicaFailures). */
function replicaFailures(allRSs: (ReplicaSet | undefined)[], newRS: ReplicaSet | undefined): DeploymentCondition[] {
  const of = (rs: ReplicaSet | undefined): DeploymentCondition[] =>
    (rs?.status?.conditions ?? []).filter((c) => c.type === REPLICA_FAILURE).map(replicaSetToDeploymentCondition);
  const fromNew = of(newRS);
  if (fromNew.length > 0) return fromNew;
  return allRSs.flatMap(of);
}

/** Old replica sets still have pods, or pods of old replica sets are not terminal yet. */
export function oldPodsRunning(newRS: ReplicaSet | undefined, oldRSs: ReplicaSet[], podMap: Map<string, Pod[]>): boolean {
  if (actualReplicaCount(oldRSs) > 0) return true;
  for (const [uid, pods] of podMap) {
    if (newRS !== undefined && newRS.metadata?.uid === uid) continue;
    for (const pod of pods) {
      const phase = pod.status?.phase;
      if (phase === 'Failed' || phase === 'Succeeded') continue;
      return true;
    }
  }
  return false;
}
