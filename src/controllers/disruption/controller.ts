/**
 * The disruption controller (upstream pkg/controller/disruption): keeps each
 * PodDisruptionBudget's status: how many of its pods are expected (the owning
 * controllers' scale for maxUnavailable and percentage minAvailable, the number of
 * matching pods for an integer minAvailable), how many must stay healthy, how many
 * are healthy (Ready, not being deleted, not just evicted), how many disruptions are
 * allowed, and the DisruptionAllowed condition (SufficientPods / InsufficientPods,
 * SyncFailed when the count cannot be computed).
 *
 * Owning controllers are found through listers: ReplicationController, Deployment
 * (through its ReplicaSet), ReplicaSet, StatefulSet; any other built-in kind through
 * its scale subresource.
 */
import type { Deployment, ReplicaSet, StatefulSet } from 'kubernetes-types/apps/v1.js';
import type { ReplicationController } from 'kubernetes-types/core/v1.js';
import type { PodDisruptionBudgetStatus } from 'kubernetes-types/policy/v1.js';
import { matches, selectorFromLabelSelector } from '../../apimachinery/labels.js';
import { getControllerOf } from '../../apimachinery/meta.js';
import { isConflict, isNotFound } from '../../client/errors.js';
import type { EventRecorder } from '../../client/events.js';
import { splitMetaNamespaceKey, unwrapTombstone } from '../../client/indexer.js';
import type { SharedInformer } from '../../client/informer.js';
import type { KubeObject } from '../../client/types.js';
import { KeyWorkers, errorMessage } from '../common/queue.js';
import { setStatus } from '../common/status.js';
import { GVR, type Obj } from '../common/types.js';
import type { Controller, ControllerContext } from '../types.js';
import { countHealthyPods, disruptedPodMap, expectedPodCount, failSafeStatus, nextStatus, type ControllerScale, type PDB, type PodObj } from './pdb.js';

export const CONTROLLER_NAME = 'disruption';
const COMPONENT = 'controllermanager';

type RS = Obj<ReplicaSet>;
type Deploy = Obj<Deployment>;
type SS = Obj<StatefulSet>;
type RC = Obj<ReplicationController>;

function keyOf(obj: { metadata?: { namespace?: string; name?: string } }): string {
  return `${obj.metadata?.namespace ?? ''}/${obj.metadata?.name ?? ''}`;
}

export class DisruptionController implements Controller {
  readonly name = CONTROLLER_NAME;
  private readonly workers: KeyWorkers;
  private readonly pdbInformer: SharedInformer<PDB>;
  private readonly podInformer: SharedInformer<PodObj>;
  private readonly rsInformer: SharedInformer<RS>;
  private readonly deployInformer: SharedInformer<Deploy>;
  private readonly ssInformer: SharedInformer<SS>;
  private readonly rcInformer: SharedInformer<RC>;
  private readonly recorder: EventRecorder;
  private initialized = false;

  constructor(private readonly ctx: ControllerContext) {
    this.workers = new KeyWorkers({ name: CONTROLLER_NAME, ctx, sync: (k) => this.sync(k) });
    this.pdbInformer = ctx.informers.forResource<PDB>(GVR.podDisruptionBudgets);
    this.podInformer = ctx.informers.forResource<PodObj>(GVR.pods);
    this.rsInformer = ctx.informers.forResource<RS>(GVR.replicaSets);
    this.deployInformer = ctx.informers.forResource<Deploy>(GVR.deployments);
    this.ssInformer = ctx.informers.forResource<SS>(GVR.statefulSets);
    this.rcInformer = ctx.informers.forResource<RC>(GVR.replicationControllers);
    this.recorder = ctx.recorder(COMPONENT);
  }

  init(): void {
    if (this.initialized) return;
    this.initialized = true;
    this.pdbInformer.addEventHandler({
      onAdd: (p) => this.workers.add(keyOf(p)),
      onUpdate: (_o, p) => this.workers.add(keyOf(p)),
      onDelete: (o) => this.workers.add(keyOf(unwrapTombstone(o))),
    });
    this.podInformer.addEventHandler({
      onAdd: (p) => this.enqueueForPod(p),
      onUpdate: (old, cur) => {
        if (old.metadata?.resourceVersion === cur.metadata?.resourceVersion) return;
        this.enqueueForPod(cur);
        if (JSON.stringify(old.metadata?.labels ?? {}) !== JSON.stringify(cur.metadata?.labels ?? {})) this.enqueueForPod(old);
      },
      onDelete: (o) => this.enqueueForPod(unwrapTombstone(o)),
    });
    // A controller's scale feeds expectedPods: recount its namespace's budgets when it changes.
    const scaleChanged = (old: KubeObject, cur: KubeObject): void => {
      const a = (old['spec'] as { replicas?: number } | undefined)?.replicas;
      const b = (cur['spec'] as { replicas?: number } | undefined)?.replicas;
      if (a === b) return;
      for (const p of this.pdbInformer.lister().namespace(cur.metadata?.namespace ?? '').list()) this.workers.add(keyOf(p));
    };
    for (const inf of [this.rsInformer, this.deployInformer, this.ssInformer, this.rcInformer] as SharedInformer<KubeObject>[]) {
      inf.addEventHandler({ onUpdate: scaleChanged });
    }
  }

  run(workers: number): void {
    this.init();
    this.workers.run(workers);
  }

  async stop(): Promise<void> {
    await this.workers.stop();
  }

  private enqueueForPod(pod: PodObj): void {
    for (const pdb of this.pdbInformer.lister().namespace(pod.metadata?.namespace ?? '').list()) {
      try {
        if (matches(selectorFromLabelSelector(pdb.spec?.selector), pod.metadata?.labels)) this.workers.add(keyOf(pdb));
      } catch {
        // An invalid selector matches nothing.
      }
    }
  }

  /** The owning controller's scale (upstream's finders, in order). */
  private async findScale(pod: PodObj): Promise<ControllerScale | undefined> {
    const ref = getControllerOf(pod);
    if (ref === undefined) return undefined;
    const ns = pod.metadata?.namespace ?? '';
    switch (ref.kind) {
      case 'ReplicationController': {
        const rc = this.rcInformer.lister().get(ns, ref.name);
        return rc?.metadata?.uid === ref.uid ? { uid: ref.uid, scale: rc.spec?.replicas ?? 1 } : undefined;
      }
      case 'ReplicaSet': {
        const rs = this.rsInformer.lister().get(ns, ref.name);
        if (rs === undefined || rs.metadata?.uid !== ref.uid) return undefined;
        const owner = getControllerOf(rs);
        if (owner !== undefined && owner.kind === 'Deployment') {
          const d = this.deployInformer.lister().get(ns, owner.name);
          return d?.metadata?.uid === owner.uid ? { uid: owner.uid, scale: d.spec?.replicas ?? 1 } : undefined;
        }
        return { uid: ref.uid, scale: rs.spec?.replicas ?? 1 };
      }
      case 'StatefulSet': {
        const ss = this.ssInformer.lister().get(ns, ref.name);
        return ss?.metadata?.uid === ref.uid ? { uid: ref.uid, scale: ss.spec?.replicas ?? 1 } : undefined;
      }
      default:
        return this.scaleSubresource(ref.apiVersion, ref.kind, ref.name, ref.uid, ns);
    }
  }

  /** Any other kind with a scale subresource (getScaleController). */
  private async scaleSubresource(apiVersion: string, kind: string, name: string, uid: string, ns: string): Promise<ControllerScale | undefined> {
    let rc;
    try {
      rc = this.ctx.client.forKind(apiVersion, kind, ns);
    } catch {
      return undefined;
    }
    try {
      const owner = await rc.get(name);
      if (owner.metadata?.uid !== uid) return undefined;
      const scale = await this.ctx.client.get({ ...rc.gvr, namespace: ns, name, subresource: 'scale' });
      const replicas = (scale['spec'] as { replicas?: number } | undefined)?.replicas ?? 0;
      return { uid, scale: replicas };
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }

  async sync(key: string): Promise<void> {
    const { namespace, name } = splitMetaNamespaceKey(key);
    const pdb = this.pdbInformer.lister().get(namespace, name);
    if (pdb === undefined) return;
    try {
      await this.trySync(pdb, key);
    } catch (e) {
      if (isConflict(e)) throw e;
      await this.writeStatus(pdb, failSafeStatus(pdb, errorMessage(e), this.ctx.clock.now()));
      throw e;
    }
  }

  private async trySync(pdb: PDB, key: string): Promise<void> {
    const selector = selectorFromLabelSelector(pdb.spec?.selector);
    const pods = this.podInformer
      .lister()
      .namespace(pdb.metadata?.namespace ?? '')
      .list()
      .filter((p) => matches(selector, p.metadata?.labels));
    if (pods.length === 0) this.recorder.event(pdb, 'Normal', 'NoPods', 'No matching pods found');
    let counts: { expected: number; desiredHealthy: number; unmanaged: string[] };
    try {
      counts = await expectedPodCount(pdb, pods, (p) => this.findScale(p));
    } catch (e) {
      this.recorder.event(pdb, 'Warning', 'CalculateExpectedPodCountFailed', `Failed to calculate the number of expected pods: ${errorMessage(e)}`);
      throw e;
    }
    if (counts.unmanaged.length > 0) {
      this.recorder.event(
        pdb,
        'Warning',
        'UnmanagedPods',
        'Pods selected by this PodDisruptionBudget (selector: ' +
          JSON.stringify(pdb.spec?.selector ?? null) +
          ') were found to be unmanaged. As a result, the status of the PDB cannot be calculated correctly, which may result in undefined behavior. To account for these pods please set ".spec.minAvailable" field of the PDB to an integer value.',
      );
    }
    const now = this.ctx.clock.now();
    const { disrupted, recheckAt, overdue } = disruptedPodMap(pods, pdb, now);
    for (const podName of overdue) {
      const pod = pods.find((p) => p.metadata?.name === podName);
      if (pod !== undefined) this.recorder.event(pod, 'Warning', 'NotDeleted', `Pod was expected by PDB ${pdb.metadata?.namespace}/${pdb.metadata?.name} to be deleted but it wasn't`);
    }
    const healthy = countHealthyPods(pods, disrupted, now);
    const status = nextStatus(pdb, healthy, counts.desiredHealthy, counts.expected, disrupted, now);
    if (status !== undefined) await this.writeStatus(pdb, status);
    if (recheckAt !== undefined) this.workers.addAfter(key, Math.max(0, recheckAt - now));
  }

  private async writeStatus(pdb: PDB, status: PodDisruptionBudgetStatus): Promise<void> {
    const body = structuredClone(pdb);
    setStatus(body, status);
    await this.ctx.client.updateStatus({ ...GVR.podDisruptionBudgets, namespace: pdb.metadata?.namespace ?? '' }, body);
  }
}

export function newDisruptionController(ctx: ControllerContext): Controller {
  return new DisruptionController(ctx);
}
