/**
 * The ReplicaSet controller (upstream pkg/controller/replicaset): keeps as many active
 * pods as spec.replicas asks for. Informer handlers only enqueue "namespace/name" keys;
 * one idempotent sync(key) per replica set claims pods (adopting matching orphans,
 * releasing pods that stopped matching), creates or deletes the difference, and writes
 * status through the status subresource.
 *
 *   - Creations go in slow-start batches (1, 2, 4, ...), at most burstReplicas (500)
 *     per sync, so a failing template costs one request, not hundreds.
 *   - Expectations: after acting, a replica set is not acted on again until the pod
 *     informer has seen the pods it created or deleted (or 5 minutes pass), so a stale
 *     cache never causes double creation or deletion.
 *   - Deletion order: upstream's ActivePodsWithRanks (see common/activepods.ts).
 *   - A ReplicationController is the same thing with a map selector; the same code
 *     serves both (newReplicationControllerController).
 */
import type { Pod as CorePod, PodSpec } from 'kubernetes-types/core/v1.js';
import { deepCopy, getControllerOf } from '../../apimachinery/meta.js';
import { isEverything, selectorFromLabelSelector, selectorFromSet, matches, type Selector } from '../../apimachinery/labels.js';
import { hasStatusCause, isNotFound, NAMESPACE_TERMINATING_CAUSE } from '../../client/errors.js';
import type { EventRecorder, ObjectReference } from '../../client/events.js';
import { OWNER_UID_INDEX, ownerUIDIndexFunc, splitMetaNamespaceKey, unwrapTombstone, type DeletedFinalStateUnknown } from '../../client/indexer.js';
import type { SharedInformer } from '../../client/informer.js';
import type { Lister } from '../../client/lister.js';
import type { GroupVersionResource, KubeObject, OwnerReference } from '../../client/types.js';
import { RateLimitingQueue } from '../../client/workqueue.js';
import type { Controller, ControllerContext } from '../types.js';
import { podsToDelete } from '../common/activepods.js';
import { claimObjects, newControllerRef, recheckDeletionTimestamp } from '../common/controllerref.js';
import { UIDTrackingControllerExpectations } from '../common/expectations.js';
import { SLOW_START_INITIAL_BATCH_SIZE, slowStartBatch } from '../common/podcontrol.js';
import { filterActivePods, isPodReady, podKey } from '../common/pods.js';
import { errorMessage, QueueWorkers } from '../common/queue.js';
import { specReplicas, type ReplicaSetLike, type ReplicaSetStatus } from '../common/replicaset.js';
import { GVR, type Obj } from '../common/types.js';
import { WrittenVersions } from '../common/writtenversions.js';
import { calculateStatus, statusUpToDate } from './status.js';

type Pod = Obj<CorePod>;

export const REPLICASETS: GroupVersionResource = GVR.replicaSets;
export const REPLICATIONCONTROLLERS: GroupVersionResource = GVR.replicationControllers;

/** Upstream's BurstReplicas: the most pods created or deleted in one sync. */
export const BURST_REPLICAS = 500;

/** What differs between a ReplicaSet and a ReplicationController. */
export interface WorkloadKind {
  /** Upstream's controller name. */
  controllerName: string;
  gvr: GroupVersionResource;
  apiVersion: string;
  kind: string;
  /** Event source component. */
  component: string;
  /** The label selector; throws on an invalid one. */
  selector(obj: ReplicaSetLike): Selector;
}

export const REPLICASET_KIND: WorkloadKind = {
  controllerName: 'replicaset',
  gvr: REPLICASETS,
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  component: 'replicaset-controller',
  selector: (rs) => selectorFromLabelSelector(rs.spec?.selector),
};

export const REPLICATIONCONTROLLER_KIND: WorkloadKind = {
  controllerName: 'replicationcontroller',
  gvr: REPLICATIONCONTROLLERS,
  apiVersion: 'v1',
  kind: 'ReplicationController',
  component: 'replication-controller',
  // The API server defaults an empty RC selector to the template's labels; kubelite's
  // does not, so the controller does it here.
  selector: (rc) => {
    const sel = rc.spec?.selector as Record<string, string> | undefined;
    const set = sel !== undefined && sel !== null && Object.keys(sel).length > 0 ? sel : rc.spec?.template?.metadata?.labels;
    return set === undefined || Object.keys(set).length === 0 ? { requirements: [], nothing: true } : selectorFromSet(set);
  },
};

export interface ReplicaSetControllerOptions {
  /** Most pods created or deleted per sync (500). */
  burstReplicas?: number;
}

export class ReplicaSetController implements Controller {
  readonly name: string;
  private readonly queue: RateLimitingQueue<string>;
  private readonly workers: QueueWorkers;
  private readonly expectations: UIDTrackingControllerExpectations;
  private readonly recorder: EventRecorder;
  private readonly burst: number;
  private readonly written = new WrittenVersions();
  private rsInformer: SharedInformer<ReplicaSetLike> | undefined;
  private podInformer: SharedInformer<Pod> | undefined;

  constructor(
    private readonly ctx: ControllerContext,
    private readonly kind: WorkloadKind = REPLICASET_KIND,
    opts: ReplicaSetControllerOptions = {},
  ) {
    this.name = kind.controllerName;
    this.burst = opts.burstReplicas ?? BURST_REPLICAS;
    if (!(this.burst >= 1)) throw new Error('burstReplicas must be at least 1');
    this.queue = new RateLimitingQueue<string>({ clock: ctx.clock, name: kind.controllerName });
    this.expectations = new UIDTrackingControllerExpectations(ctx.clock);
    this.recorder = ctx.recorder(kind.component);
    this.workers = new QueueWorkers({ queue: this.queue, sync: (k) => this.sync(k), log: (m) => ctx.log(this.name, m) });
  }

  init(): void {
    if (this.rsInformer !== undefined) return;
    this.rsInformer = this.ctx.informers.forResource<ReplicaSetLike>(this.kind.gvr);
    this.podInformer = this.ctx.informers.forResource<Pod>(GVR.pods, { indexers: { [OWNER_UID_INDEX]: ownerUIDIndexFunc } });
    this.rsInformer.addEventHandler({
      onAdd: (rs) => this.enqueue(rs),
      onUpdate: (old, cur) => {
        if (old.metadata?.uid !== cur.metadata?.uid) this.expectations.delete(key(cur));
        this.enqueue(cur);
      },
      onDelete: (obj) => {
        const rs = unwrapTombstone(obj);
        this.expectations.delete(key(rs));
        this.written.forget(key(rs));
        this.enqueue(rs);
      },
    });
    this.podInformer.addEventHandler({
      onAdd: (pod) => this.addPod(pod),
      onUpdate: (old, cur) => this.updatePod(old, cur),
      onDelete: (obj) => this.deletePod(obj),
    });
  }

  run(workers: number): void {
    this.init();
    this.workers.run(workers);
  }

  async stop(): Promise<void> {
    await this.workers.stop();
  }

  private get rsLister(): Lister<ReplicaSetLike> {
    if (this.rsInformer === undefined) throw new Error(`${this.name} controller: init() was not called`);
    return this.rsInformer.lister();
  }

  private get podLister(): Lister<Pod> {
    if (this.podInformer === undefined) throw new Error(`${this.name} controller: init() was not called`);
    return this.podInformer.lister();
  }

  private enqueue(rs: KubeObject): void {
    this.queue.add(key(rs));
  }

  /** The replica set a controllerRef names, if it is of our kind and the uid matches. */
  private resolveControllerRef(namespace: string, ref: OwnerReference): ReplicaSetLike | undefined {
    if (ref.kind !== this.kind.kind) return undefined;
    const rs = this.rsLister.get(namespace, ref.name);
    if (rs === undefined || rs.metadata?.uid !== ref.uid) return undefined;
    return rs;
  }

  /** Replica sets whose selector matches an orphan pod (an empty selector matches nothing). */
  private replicaSetsForPod(pod: Pod): ReplicaSetLike[] {
    const out: ReplicaSetLike[] = [];
    for (const rs of this.rsLister.namespace(pod.metadata?.namespace ?? '').list()) {
      let sel: Selector;
      try {
        sel = this.kind.selector(rs);
      } catch {
        continue;
      }
      if (sel.nothing || isEverything(sel) || !matches(sel, pod.metadata?.labels)) continue;
      out.push(rs);
    }
    return out;
  }

  private addPod(pod: Pod): void {
    if (pod.metadata?.deletionTimestamp !== undefined) {
      // A restarted controller may see a pod already being deleted: count it as deleted.
      this.deletePod(pod);
      return;
    }
    const ref = getControllerOf(pod);
    if (ref !== undefined) {
      const rs = this.resolveControllerRef(pod.metadata?.namespace ?? '', ref);
      if (rs === undefined) return;
      this.expectations.creationObserved(key(rs));
      this.enqueue(rs);
      return;
    }
    for (const rs of this.replicaSetsForPod(pod)) this.enqueue(rs);
  }

  private updatePod(old: Pod, cur: Pod): void {
    if (old.metadata?.resourceVersion === cur.metadata?.resourceVersion) return; // resync
    const labelsChanged = JSON.stringify(old.metadata?.labels ?? {}) !== JSON.stringify(cur.metadata?.labels ?? {});
    if (cur.metadata?.deletionTimestamp !== undefined) {
      // Graceful deletion has begun: the replica set should act on it at once.
      this.deletePod(cur);
      if (labelsChanged) this.deletePod(old);
      return;
    }
    const curRef = getControllerOf(cur);
    const oldRef = getControllerOf(old);
    const refChanged = JSON.stringify(curRef) !== JSON.stringify(oldRef);
    const ns = cur.metadata?.namespace ?? '';
    if (refChanged && oldRef !== undefined) {
      const rs = this.resolveControllerRef(ns, oldRef);
      if (rs !== undefined) this.enqueue(rs);
    }
    if (curRef !== undefined) {
      const rs = this.resolveControllerRef(ns, curRef);
      if (rs === undefined) return;
      this.enqueue(rs);
      // Availability needs another look once minReadySeconds have passed.
      const minReady = rs.spec?.minReadySeconds ?? 0;
      if (!isPodReady(old) && isPodReady(cur) && minReady > 0) this.queue.addAfter(key(rs), minReady * 1000 + 1000);
      return;
    }
    if (labelsChanged || refChanged) for (const rs of this.replicaSetsForPod(cur)) this.enqueue(rs);
  }

  private deletePod(obj: Pod | DeletedFinalStateUnknown<Pod>): void {
    const pod = unwrapTombstone(obj);
    const ref = getControllerOf(pod);
    if (ref === undefined) return;
    const rs = this.resolveControllerRef(pod.metadata?.namespace ?? '', ref);
    if (rs === undefined) return;
    this.expectations.deletionObserved(key(rs), podKey(pod));
    this.enqueue(rs);
  }

  /** The ObjectReference events about rs use (informer objects may lack kind). */
  private refOf(rs: ReplicaSetLike): ObjectReference {
    const m = rs.metadata ?? {};
    return { kind: this.kind.kind, apiVersion: this.kind.apiVersion, namespace: m.namespace, name: m.name, uid: m.uid, resourceVersion: m.resourceVersion };
  }

  /** Reconciles one replica set; throwing requeues it with backoff. */
  async sync(rsKey: string): Promise<void> {
    const { namespace, name } = splitMetaNamespaceKey(rsKey);
    const cached = this.rsLister.get(namespace, name);
    if (cached === undefined) {
      this.expectations.delete(rsKey);
      return;
    }
    if (this.written.stale(rsKey, cached.metadata?.resourceVersion)) {
      // The cache has not seen our last status write yet; its watch event brings us back.
      this.queue.addAfter(rsKey, 1000);
      return;
    }
    const needsSync = this.expectations.satisfied(rsKey);
    let selector: Selector;
    try {
      selector = this.kind.selector(cached);
    } catch (e) {
      this.ctx.log(this.name, `${rsKey}: invalid selector: ${errorMessage(e)}`);
      return;
    }
    if (selector.nothing || isEverything(selector)) {
      this.ctx.log(this.name, `${rsKey}: a non-empty selector is required; not managing pods`);
      return;
    }
    const active = filterActivePods(this.podLister.namespace(namespace).list());
    const claimed = await claimObjects(active, {
      client: this.ctx.client,
      owner: cached,
      ownerApiVersion: this.kind.apiVersion,
      ownerKind: this.kind.kind,
      gvr: GVR.pods,
      selector,
      canAdopt: recheckDeletionTimestamp({ ...cached, kind: this.kind.kind }, () => this.ctx.client.get({ ...this.kind.gvr, namespace, name })),
    });
    let manageError: unknown;
    if (needsSync && cached.metadata?.deletionTimestamp === undefined) {
      try {
        await this.manageReplicas(claimed, cached, rsKey);
      } catch (e) {
        manageError = e;
      }
    }
    const rs = deepCopy(cached);
    const next = calculateStatus(rs, claimed, manageError, this.ctx.clock.now());
    const updated = await this.updateStatus(rs, next);
    const minReady = updated.spec?.minReadySeconds ?? 0;
    const st = updated.status ?? {};
    if (manageError === undefined && minReady > 0 && (st.readyReplicas ?? 0) === specReplicas(updated) && (st.availableReplicas ?? 0) !== specReplicas(updated)) {
      this.queue.addAfter(rsKey, minReady * 1000);
    }
    if (manageError !== undefined) throw manageError;
  }

  private async manageReplicas(pods: Pod[], rs: ReplicaSetLike, rsKey: string): Promise<void> {
    let diff = pods.length - specReplicas(rs);
    if (diff < 0) {
      diff = Math.min(-diff, this.burst);
      this.expectations.expectCreations(rsKey, diff);
      const { successes, error } = await slowStartBatch(diff, SLOW_START_INITIAL_BATCH_SIZE, () => this.createPod(rs));
      // Pods never attempted (or refused) will never be observed.
      for (let i = successes; i < diff; i++) this.expectations.creationObserved(rsKey);
      if (error !== undefined) throw error;
      return;
    }
    if (diff > 0) {
      diff = Math.min(diff, this.burst);
      const victims = podsToDelete(pods, this.relatedPods(rs), diff, this.ctx.clock.now());
      this.expectations.expectDeletions(rsKey, victims.map(podKey));
      const results = await Promise.allSettled(victims.map((p) => this.deletePodObject(rs, p)));
      let firstError: unknown;
      results.forEach((r, i) => {
        if (r.status === 'fulfilled') return;
        // The informer will not see a deletion that did not happen.
        const victim = victims[i];
        if (victim !== undefined) this.expectations.deletionObserved(rsKey, podKey(victim));
        if (!isNotFound(r.reason)) firstError ??= r.reason;
      });
      if (firstError !== undefined) throw firstError;
    }
  }

  /** Pods of every replica set sharing rs's controller (upstream's getIndirectlyRelatedPods). */
  private relatedPods(rs: ReplicaSetLike): Pod[] {
    const owner = getControllerOf(rs);
    const sets =
      owner === undefined
        ? [rs]
        : this.rsLister
            .namespace(rs.metadata?.namespace ?? '')
            .list()
            .filter((x) => getControllerOf(x)?.uid === owner.uid);
    const seen = new Set<string>();
    const out: Pod[] = [];
    for (const s of sets) {
      const uid = s.metadata?.uid ?? '';
      for (const p of this.podLister.byIndex(OWNER_UID_INDEX, uid)) {
        if (getControllerOf(p)?.uid !== uid) continue;
        const k = podKey(p);
        if (seen.has(k)) continue;
        seen.add(k);
        out.push(p);
      }
    }
    return out;
  }

  private async createPod(rs: ReplicaSetLike): Promise<void> {
    const tpl = rs.spec?.template ?? {};
    const labels = { ...(tpl.metadata?.labels ?? {}) };
    if (Object.keys(labels).length === 0) throw new Error('unable to create pods, no labels');
    const m = rs.metadata ?? {};
    const pod: Pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        generateName: `${m.name ?? ''}-`,
        namespace: m.namespace,
        labels,
        ...(tpl.metadata?.annotations !== undefined ? { annotations: { ...tpl.metadata.annotations } } : {}),
        ...(tpl.metadata?.finalizers !== undefined ? { finalizers: [...tpl.metadata.finalizers] } : {}),
        ownerReferences: [newControllerRef(rs, this.kind.apiVersion, this.kind.kind)],
      },
      // The template spec is kept as stored; the API server validates the pod made from it.
      spec: deepCopy(tpl.spec ?? {}) as unknown as PodSpec,
    };
    try {
      const created = await this.ctx.client.create<Pod>({ ...GVR.pods, namespace: m.namespace }, pod);
      this.recorder.event(this.refOf(rs), 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata?.name ?? ''}`);
    } catch (e) {
      // Creates in a terminating namespace fail for good: no event, and nothing to retry.
      if (hasStatusCause(e, NAMESPACE_TERMINATING_CAUSE)) return;
      this.recorder.event(this.refOf(rs), 'Warning', 'FailedCreate', `Error creating: ${errorMessage(e)}`);
      throw e;
    }
  }

  private async deletePodObject(rs: ReplicaSetLike, pod: Pod): Promise<void> {
    const name = pod.metadata?.name ?? '';
    try {
      await this.ctx.client.delete({ ...GVR.pods, namespace: pod.metadata?.namespace, name });
    } catch (e) {
      if (isNotFound(e)) throw e;
      this.recorder.event(this.refOf(rs), 'Warning', 'FailedDelete', `Error deleting: ${errorMessage(e)}`);
      throw new Error(`unable to delete pods: ${errorMessage(e)}`);
    }
    this.recorder.event(this.refOf(rs), 'Normal', 'SuccessfulDelete', `Deleted pod: ${name}`);
  }

  /** Writes status unless it is already current; one retry from a fresh read on failure. */
  private async updateStatus(rs: ReplicaSetLike, next: ReplicaSetStatus): Promise<ReplicaSetLike> {
    if (statusUpToDate(rs, next)) return rs;
    // Record the generation acted on, so a retry never claims to have seen a newer spec.
    const generation = rs.metadata?.generation;
    const status = { ...next, ...(typeof generation === 'number' && generation !== 0 ? { observedGeneration: generation } : {}) };
    const ref = { ...this.kind.gvr, namespace: rs.metadata?.namespace, name: rs.metadata?.name ?? '' };
    let cur: ReplicaSetLike = rs;
    for (let attempt = 0; ; attempt++) {
      try {
        const updated = await this.ctx.client.updateStatus<ReplicaSetLike>(ref, { ...cur, apiVersion: this.kind.apiVersion, kind: this.kind.kind, status });
        this.written.wrote(key(cur), cur.metadata?.resourceVersion);
        return updated;
      } catch (e) {
        if (attempt >= 1) throw e;
        cur = await this.ctx.client.get<ReplicaSetLike>(ref);
      }
    }
  }
}

function key(obj: KubeObject): string {
  const ns = obj.metadata?.namespace ?? '';
  return ns === '' ? (obj.metadata?.name ?? '') : `${ns}/${obj.metadata?.name ?? ''}`;
}

export function newReplicaSetController(ctx: ControllerContext, opts: ReplicaSetControllerOptions = {}): Controller {
  return new ReplicaSetController(ctx, REPLICASET_KIND, opts);
}

/** Upstream's replication manager: the ReplicaSet controller over v1 ReplicationControllers. */
export function newReplicationControllerController(ctx: ControllerContext, opts: ReplicaSetControllerOptions = {}): Controller {
  return new ReplicaSetController(ctx, REPLICATIONCONTROLLER_KIND, opts);
}
