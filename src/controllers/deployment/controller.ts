/**
 * The Deployment controller (upstream pkg/controller/deployment): rolls a
 * Deployment's pod template out through ReplicaSets named <deployment>-<pod-template-hash>,
 * RollingUpdate (maxSurge / maxUnavailable) or Recreate, keeps revision annotations for
 * `kubectl rollout history|undo`, scales proportionally, honours paused deployments and
 * progressDeadlineSeconds, and reports status and conditions exactly enough for
 * `kubectl rollout status`. The sync itself lives in sync.ts; this file wires informers
 * (deployments, replica sets, pods) to a queue of "namespace/name" keys.
 */
import type { Pod as CorePod } from 'kubernetes-types/core/v1.js';
import { isEverything, matches, selectorFromLabelSelector } from '../../apimachinery/labels.js';
import { getControllerOf } from '../../apimachinery/meta.js';
import type { EventRecorder } from '../../client/events.js';
import { splitMetaNamespaceKey, unwrapTombstone, type DeletedFinalStateUnknown } from '../../client/indexer.js';
import type { SharedInformer } from '../../client/informer.js';
import type { KubeObject, OwnerReference } from '../../client/types.js';
import { RateLimitingQueue } from '../../client/workqueue.js';
import type { Controller, ControllerContext } from '../types.js';
import { QueueWorkers } from '../common/queue.js';
import { GVR, type Obj } from '../common/types.js';
import { WrittenVersions } from '../common/writtenversions.js';
import { DEPLOYMENTS, deploymentKey, DeploymentSync, REPLICASETS, replicaSetKey } from './sync.js';
import type { Deployment, ReplicaSet } from './util.js';

type Pod = Obj<CorePod>;

/** Upstream's maxRetries: a deployment failing this often is dropped until its next event. */
export const MAX_RETRIES = 15;
/** How soon a sync skipped for a cache behind our own writes is retried, should no event come. */
const STALE_RETRY_MS = 1000;

export class DeploymentController implements Controller {
  readonly name = 'deployment';
  private readonly queue: RateLimitingQueue<string>;
  private readonly workers: QueueWorkers;
  private readonly recorder: EventRecorder;
  private readonly written = new WrittenVersions();
  private dInformer: SharedInformer<Deployment> | undefined;
  private rsInformer: SharedInformer<ReplicaSet> | undefined;
  private podInformer: SharedInformer<Pod> | undefined;

  constructor(private readonly ctx: ControllerContext) {
    this.queue = new RateLimitingQueue<string>({ clock: ctx.clock, name: 'deployment' });
    this.recorder = ctx.recorder('deployment-controller');
    this.workers = new QueueWorkers({ queue: this.queue, sync: (k) => this.sync(k), log: (m) => ctx.log(this.name, m), maxRetries: MAX_RETRIES });
  }

  init(): void {
    if (this.dInformer !== undefined) return;
    this.dInformer = this.ctx.informers.forResource<Deployment>(DEPLOYMENTS);
    this.rsInformer = this.ctx.informers.forResource<ReplicaSet>(REPLICASETS);
    this.podInformer = this.ctx.informers.forResource<Pod>(GVR.pods);
    this.dInformer.addEventHandler({
      onAdd: (d) => this.enqueue(d),
      onUpdate: (_old, cur) => this.enqueue(cur),
      onDelete: (obj) => {
        const d = unwrapTombstone(obj);
        this.written.forget(deploymentKey(d.metadata?.namespace ?? '', d.metadata?.name ?? ''));
        this.enqueue(d);
      },
    });
    this.rsInformer.addEventHandler({
      onAdd: (rs) => this.addReplicaSet(rs),
      onUpdate: (old, cur) => this.updateReplicaSet(old, cur),
      onDelete: (obj) => this.deleteReplicaSet(obj),
    });
    this.podInformer.addEventHandler({ onDelete: (obj) => this.deletePod(obj) });
  }

  run(workers: number): void {
    this.init();
    this.workers.run(workers);
  }

  async stop(): Promise<void> {
    await this.workers.stop();
  }

  private enqueue(d: KubeObject): void {
    this.queue.add(`${d.metadata?.namespace ?? ''}/${d.metadata?.name ?? ''}`);
  }

  private resolveControllerRef(namespace: string, ref: OwnerReference): Deployment | undefined {
    if (ref.kind !== 'Deployment') return undefined;
    const d = this.dInformer?.lister().get(namespace, ref.name);
    return d !== undefined && d.metadata?.uid === ref.uid ? d : undefined;
  }

  /** Deployments whose (non-empty) selector matches an orphan replica set. */
  private deploymentsForReplicaSet(rs: ReplicaSet): Deployment[] {
    const out: Deployment[] = [];
    for (const d of this.dInformer?.lister().namespace(rs.metadata?.namespace ?? '').list() ?? []) {
      try {
        const sel = selectorFromLabelSelector(d.spec?.selector);
        if (!sel.nothing && !isEverything(sel) && matches(sel, rs.metadata?.labels)) out.push(d);
      } catch {
        // an invalid selector matches nothing
      }
    }
    return out;
  }

  private addReplicaSet(rs: ReplicaSet): void {
    if (rs.metadata?.deletionTimestamp !== undefined) {
      this.deleteReplicaSet(rs);
      return;
    }
    const ref = getControllerOf(rs);
    if (ref !== undefined) {
      const d = this.resolveControllerRef(rs.metadata?.namespace ?? '', ref);
      if (d !== undefined) this.enqueue(d);
      return;
    }
    for (const d of this.deploymentsForReplicaSet(rs)) this.enqueue(d);
  }

  private updateReplicaSet(old: ReplicaSet, cur: ReplicaSet): void {
    if (old.metadata?.resourceVersion === cur.metadata?.resourceVersion) return;
    const ns = cur.metadata?.namespace ?? '';
    const curRef = getControllerOf(cur);
    const oldRef = getControllerOf(old);
    const refChanged = JSON.stringify(curRef) !== JSON.stringify(oldRef);
    if (refChanged && oldRef !== undefined) {
      const d = this.resolveControllerRef(ns, oldRef);
      if (d !== undefined) this.enqueue(d);
    }
    if (curRef !== undefined) {
      const d = this.resolveControllerRef(ns, curRef);
      if (d !== undefined) this.enqueue(d);
      return;
    }
    const labelsChanged = JSON.stringify(old.metadata?.labels ?? {}) !== JSON.stringify(cur.metadata?.labels ?? {});
    if (labelsChanged || refChanged) for (const d of this.deploymentsForReplicaSet(cur)) this.enqueue(d);
  }

  private deleteReplicaSet(obj: ReplicaSet | DeletedFinalStateUnknown<ReplicaSet>): void {
    const rs = unwrapTombstone(obj);
    this.written.forget(replicaSetKey(rs.metadata?.namespace ?? '', rs.metadata?.name ?? ''));
    const ref = getControllerOf(rs);
    if (ref === undefined) return;
    const d = this.resolveControllerRef(rs.metadata?.namespace ?? '', ref);
    if (d !== undefined) this.enqueue(d);
  }

  /** A Recreate rollout waits for old pods to be gone: their deletion is worth a sync. */
  private deletePod(obj: Pod | DeletedFinalStateUnknown<Pod>): void {
    const pod = unwrapTombstone(obj);
    const ns = pod.metadata?.namespace ?? '';
    const podRef = getControllerOf(pod);
    if (podRef === undefined || podRef.kind !== 'ReplicaSet') return;
    const rs = this.rsInformer?.lister().get(ns, podRef.name);
    if (rs === undefined || rs.metadata?.uid !== podRef.uid) return;
    const rsRef = getControllerOf(rs);
    if (rsRef === undefined) return;
    const d = this.resolveControllerRef(ns, rsRef);
    if (d !== undefined && d.spec?.strategy?.type === 'Recreate') this.enqueue(d);
  }

  /** Reconciles one deployment; throwing requeues it with backoff (at most MAX_RETRIES times). */
  async sync(key: string): Promise<void> {
    const { namespace, name } = splitMetaNamespaceKey(key);
    const cached = this.dInformer?.lister().get(namespace, name);
    if (cached === undefined) return;
    // Our own last writes (to it or its replica sets) are not in the cache yet: their
    // watch events will bring us back, with state worth acting on.
    const behind =
      this.written.stale(key, cached.metadata?.resourceVersion) ||
      this.rsInformer!.lister()
        .namespace(namespace)
        .list()
        .some((rs) => getControllerOf(rs)?.uid === cached.metadata?.uid && this.written.stale(replicaSetKey(namespace, rs.metadata?.name ?? ''), rs.metadata?.resourceVersion));
    if (behind) {
      this.queue.addAfter(key, STALE_RETRY_MS);
      return;
    }
    const s = new DeploymentSync(
      {
        client: this.ctx.client,
        recorder: this.recorder,
        clock: this.ctx.clock,
        rsLister: this.rsInformer!.lister(),
        podLister: this.podInformer!.lister(),
        enqueueAfter: (k, ms) => this.queue.addAfter(k, ms),
        enqueueRateLimited: (k) => this.queue.addRateLimited(k),
        written: this.written,
      },
      cached,
    );
    await s.run();
  }
}

export function newDeploymentController(ctx: ControllerContext): Controller {
  return new DeploymentController(ctx);
}
