/**
 * The DaemonSet controller (upstream pkg/controller/daemon): one daemon pod on every
 * eligible node. A sync of a DaemonSet key:
 *   1. records the template as a ControllerRevision "<ds>-<hash>" (numbered revisions,
 *      so `kubectl rollout history|undo daemonset` work) and finds the current hash;
 *   2. unless creations/deletions it asked for are still unobserved (expectations):
 *      creates a pod (pinned with node affinity on metadata.name, for the scheduler to
 *      bind) on each node that should run one and has none, deletes pods on nodes that
 *      must not run one, failed pods (with backoff) and surplus pods; then takes one
 *      rolling-update step (RollingUpdate) or leaves old pods alone (OnDelete), and
 *      prunes revisions beyond revisionHistoryLimit;
 *   3. writes the status counts and observedGeneration.
 */
import type { ControllerRevision } from 'kubernetes-types/apps/v1.js';
import type { Node } from 'kubernetes-types/core/v1.js';
import { isEverything, matches, type Selector } from '../../apimachinery/labels.js';
import { getControllerOf } from '../../apimachinery/meta.js';
import { isAlreadyExists, isNotFound } from '../../client/errors.js';
import type { EventRecorder } from '../../client/events.js';
import { OWNER_UID_INDEX, ownerUIDIndexFunc, splitMetaNamespaceKey, unwrapTombstone, type DeletedFinalStateUnknown } from '../../client/indexer.js';
import type { SharedInformer } from '../../client/informer.js';
import { claimObjects, newControllerRef, specSelector } from '../common/controllerref.js';
import { ControllerExpectations } from '../common/expectations.js';
import { Backoff, PodControl, SLOW_START_INITIAL_BATCH_SIZE, slowStartBatch } from '../common/podcontrol.js';
import { isPodReady, isPodTerminal, isTerminating, podFromTemplate, podsPrefix } from '../common/pods.js';
import { KeyWorkers } from '../common/queue.js';
import { computeHash, revisionData, revisionMatchesTemplate, revisionName } from '../common/revision.js';
import { setStatus, updateStatusWithRetry } from '../common/status.js';
import { CONTROLLER_REVISION_HASH_LABEL, GVR, type Obj } from '../common/types.js';
import type { Controller, ControllerContext } from '../types.js';
import {
  computeDaemonSetCounts,
  daemonPodTemplate,
  nodeShouldRunDaemonPod,
  podsShouldBeOnNode,
  replaceNodeNameAffinity,
  rollingUpdatePlan,
  targetNodeName,
  unscheduledPodsWithoutNode,
  withDaemonSetDefaults,
  type DS,
  type PodObj,
} from './daemon.js';

export const CONTROLLER_NAME = 'daemonset';
const COMPONENT = 'daemonset-controller';
const API_VERSION = 'apps/v1';
const KIND = 'DaemonSet';
/** Creations or deletions per sync at most (upstream BurstReplicas). */
export const BURST_REPLICAS = 250;
const FAILED_POD_BACKOFF_INITIAL_MS = 1_000;
const FAILED_POD_BACKOFF_MAX_MS = 15 * 60_000;

type CR = Obj<ControllerRevision>;
type NodeObj = Obj<Node>;

function keyOf(obj: { metadata?: { namespace?: string; name?: string } }): string {
  return `${obj.metadata?.namespace ?? ''}/${obj.metadata?.name ?? ''}`;
}

export class DaemonSetsController implements Controller {
  readonly name = CONTROLLER_NAME;
  private readonly workers: KeyWorkers;
  private readonly dsInformer: SharedInformer<DS>;
  private readonly podInformer: SharedInformer<PodObj>;
  private readonly nodeInformer: SharedInformer<NodeObj>;
  private readonly historyInformer: SharedInformer<CR>;
  private readonly expectations: ControllerExpectations;
  private readonly recorder: EventRecorder;
  private readonly podControl: PodControl;
  private readonly failedPodsBackoff = new Backoff(FAILED_POD_BACKOFF_INITIAL_MS, FAILED_POD_BACKOFF_MAX_MS);
  private initialized = false;

  constructor(private readonly ctx: ControllerContext) {
    this.workers = new KeyWorkers({ name: CONTROLLER_NAME, ctx, sync: (k) => this.sync(k) });
    this.dsInformer = ctx.informers.forResource<DS>(GVR.daemonSets);
    this.podInformer = ctx.informers.forResource<PodObj>(GVR.pods, { indexers: { [OWNER_UID_INDEX]: ownerUIDIndexFunc } });
    this.nodeInformer = ctx.informers.forResource<NodeObj>(GVR.nodes);
    this.historyInformer = ctx.informers.forResource<CR>(GVR.controllerRevisions, { indexers: { [OWNER_UID_INDEX]: ownerUIDIndexFunc } });
    this.expectations = new ControllerExpectations(ctx.clock);
    this.recorder = ctx.recorder(COMPONENT);
    this.podControl = new PodControl(ctx.client, this.recorder);
  }

  init(): void {
    if (this.initialized) return;
    this.initialized = true;
    this.dsInformer.addEventHandler({
      onAdd: (ds) => this.enqueue(ds),
      onUpdate: (_old, ds) => this.enqueue(ds),
      onDelete: (obj) => this.enqueue(unwrapTombstone(obj)),
    });
    this.podInformer.addEventHandler({
      onAdd: (pod) => this.addPod(pod),
      onUpdate: (old, cur) => this.updatePod(old, cur),
      onDelete: (obj) => this.deletePod(obj),
    });
    this.nodeInformer.addEventHandler({
      onAdd: (node) => this.addNode(node),
      onUpdate: (old, cur) => this.updateNode(old, cur),
    });
    const historyChanged = (cr: CR): void => {
      const ds = this.resolveControllerRef(cr.metadata?.namespace ?? '', cr);
      if (ds !== undefined) this.enqueue(ds);
    };
    this.historyInformer.addEventHandler({
      onAdd: historyChanged,
      onUpdate: (_o, cr) => historyChanged(cr),
      onDelete: (obj) => historyChanged(unwrapTombstone(obj)),
    });
  }

  run(workers: number): void {
    this.init();
    this.workers.run(workers);
  }

  async stop(): Promise<void> {
    await this.workers.stop();
  }

  // ---- event handlers -------------------------------------------------------

  private enqueue(ds: DS): void {
    this.workers.add(keyOf(ds));
  }

  private resolveControllerRef(namespace: string, obj: { metadata?: { ownerReferences?: { kind: string; name: string; uid: string; controller?: boolean }[] } }): DS | undefined {
    const ref = getControllerOf(obj);
    if (ref === undefined || ref.kind !== KIND) return undefined;
    const ds = this.dsInformer.lister().get(namespace, ref.name);
    return ds !== undefined && ds.metadata?.uid === ref.uid ? ds : undefined;
  }

  private daemonSetsForPod(pod: PodObj): DS[] {
    const labels = pod.metadata?.labels;
    if (labels === undefined || Object.keys(labels).length === 0) return [];
    return this.dsInformer
      .lister()
      .namespace(pod.metadata?.namespace ?? '')
      .list()
      .filter((ds) => {
        try {
          const sel = specSelector(ds.spec?.selector);
          return !isEverything(sel) && matches(sel, labels);
        } catch {
          return false;
        }
      });
  }

  private addPod(pod: PodObj): void {
    if (isTerminating(pod)) {
      this.deletePod(pod);
      return;
    }
    if (getControllerOf(pod) !== undefined) {
      const ds = this.resolveControllerRef(pod.metadata?.namespace ?? '', pod);
      if (ds === undefined) return;
      this.expectations.creationObserved(keyOf(ds));
      this.enqueue(ds);
      return;
    }
    for (const ds of this.daemonSetsForPod(pod)) this.enqueue(ds);
  }

  private updatePod(old: PodObj, cur: PodObj): void {
    if (cur.metadata?.resourceVersion === old.metadata?.resourceVersion) return;
    if (isTerminating(cur)) {
      if (!isTerminating(old)) this.deletePod(cur);
      else {
        const ds = this.resolveControllerRef(cur.metadata?.namespace ?? '', cur);
        if (ds !== undefined) this.enqueue(ds);
      }
      return;
    }
    const curRef = getControllerOf(cur);
    const oldRef = getControllerOf(old);
    if (oldRef !== undefined && (curRef === undefined || curRef.uid !== oldRef.uid)) {
      const ds = this.resolveControllerRef(old.metadata?.namespace ?? '', old);
      if (ds !== undefined) this.enqueue(ds);
    }
    if (curRef !== undefined) {
      const ds = this.resolveControllerRef(cur.metadata?.namespace ?? '', cur);
      if (ds === undefined) return;
      this.enqueue(ds);
      const minReady = ds.spec?.minReadySeconds ?? 0;
      if (!isPodReady(old) && isPodReady(cur) && minReady > 0) this.workers.addAfter(keyOf(ds), minReady * 1000 + 1000);
      return;
    }
    for (const ds of this.daemonSetsForPod(cur)) this.enqueue(ds);
  }

  private deletePod(obj: PodObj | DeletedFinalStateUnknown<PodObj>): void {
    const pod = unwrapTombstone(obj);
    const ds = this.resolveControllerRef(pod.metadata?.namespace ?? '', pod);
    if (ds === undefined) return;
    this.expectations.deletionObserved(keyOf(ds));
    this.enqueue(ds);
  }

  private addNode(node: NodeObj): void {
    for (const ds of this.dsInformer.lister().list()) {
      if (nodeShouldRunDaemonPod(node, withDaemonSetDefaults(ds)).shouldRun) this.enqueue(ds);
    }
  }

  private updateNode(old: NodeObj, cur: NodeObj): void {
    if (old.metadata?.resourceVersion === cur.metadata?.resourceVersion) return;
    for (const ds of this.dsInformer.lister().list()) {
      const d = withDaemonSetDefaults(ds);
      const a = nodeShouldRunDaemonPod(old, d);
      const b = nodeShouldRunDaemonPod(cur, d);
      if (a.shouldRun !== b.shouldRun || a.shouldContinueRunning !== b.shouldContinueRunning) this.enqueue(ds);
    }
  }

  // ---- sync ------------------------------------------------------------------

  async sync(key: string): Promise<void> {
    const { namespace, name } = splitMetaNamespaceKey(key);
    const cached = this.dsInformer.lister().get(namespace, name);
    if (cached === undefined) {
      this.expectations.delete(key);
      return;
    }
    let selector: Selector;
    try {
      selector = specSelector(cached.spec?.selector);
    } catch (e) {
      this.recorder.event(cached, 'Warning', 'SelectorParsingFailed', String(e instanceof Error ? e.message : e));
      return;
    }
    if (isEverything(selector)) {
      this.recorder.event(cached, 'Warning', 'SelectingAll', 'This daemon set is selecting all pods. A non-empty selector is required.');
      return;
    }
    if (isTerminating(cached)) return;
    const ds = withDaemonSetDefaults(cached);
    const nodes = this.nodeInformer.lister().list();
    const { cur, old } = await this.constructHistory(ds, selector);
    const hash = cur.metadata?.labels?.[CONTROLLER_REVISION_HASH_LABEL] ?? '';

    if (!this.expectations.satisfied(key)) {
      await this.updateStatus(ds, selector, nodes, hash, false);
      return;
    }
    let err: unknown;
    try {
      await this.manage(ds, selector, nodes, hash);
      if (this.expectations.satisfied(key) && ds.spec?.updateStrategy?.type === 'RollingUpdate') {
        await this.rollingUpdate(ds, selector, nodes, hash);
      }
      await this.cleanupHistory(ds, selector, old);
    } catch (e) {
      err = e;
    }
    try {
      await this.updateStatus(ds, selector, nodes, hash, true);
    } catch (e) {
      err ??= e;
    }
    if (err !== undefined) throw err;
  }

  private async daemonPods(ds: DS, selector: Selector): Promise<PodObj[]> {
    const pods = this.podInformer.lister().namespace(ds.metadata?.namespace ?? '').list();
    return claimObjects(pods, { client: this.ctx.client, gvr: GVR.pods, owner: ds, ownerApiVersion: API_VERSION, ownerKind: KIND, selector });
  }

  /**
   * The daemon pods by target node. Deleted pods that already finished are left out
   * unless includeDeletedTerminal (a finalizer or the pod GC holds them; nothing to do).
   */
  private async nodesToDaemonPods(ds: DS, selector: Selector, includeDeletedTerminal = false): Promise<Map<string, PodObj[]>> {
    const out = new Map<string, PodObj[]>();
    for (const pod of await this.daemonPods(ds, selector)) {
      if (!includeDeletedTerminal && isTerminating(pod) && isPodTerminal(pod)) continue;
      const node = targetNodeName(pod);
      if (node === undefined) continue;
      const list = out.get(node);
      if (list === undefined) out.set(node, [pod]);
      else list.push(pod);
    }
    return out;
  }

  private async manage(ds: DS, selector: Selector, nodes: NodeObj[], hash: string): Promise<void> {
    const nodeToPods = await this.nodesToDaemonPods(ds, selector);
    const now = this.ctx.clock.now();
    const create: string[] = [];
    const del: string[] = [];
    const backoff = {
      isInBackOff: (k: string, t: number) => this.failedPodsBackoff.isInBackOffSinceUpdate(k, t),
      delay: (k: string) => this.failedPodsBackoff.get(k),
      next: (k: string, t: number) => this.failedPodsBackoff.next(k, t),
    };
    for (const node of nodes) {
      const plan = podsShouldBeOnNode(node, nodeToPods.get(node.metadata?.name ?? ''), ds, hash, now, backoff);
      if (plan.create) create.push(node.metadata?.name ?? '');
      del.push(...plan.delete);
      for (const [type, reason, message] of plan.events) this.recorder.event(ds, type, reason, message);
      if (plan.backoffDelayMs !== undefined) this.workers.addAfter(keyOf(ds), plan.backoffDelayMs);
    }
    del.push(...unscheduledPodsWithoutNode(nodes, nodeToPods));
    this.failedPodsBackoff.gc(now);
    await this.syncNodes(ds, del, create, hash);
  }

  private async syncNodes(ds: DS, podsToDelete: string[], nodesNeedingPods: string[], hash: string): Promise<void> {
    const key = keyOf(ds);
    const createDiff = Math.min(nodesNeedingPods.length, BURST_REPLICAS);
    const deleteDiff = Math.min(podsToDelete.length, BURST_REPLICAS);
    this.expectations.expect(key, createDiff, deleteDiff);
    const errors: unknown[] = [];
    const template = daemonPodTemplate(ds, hash);
    const ref = newControllerRef(ds, API_VERSION, KIND);
    const ns = ds.metadata?.namespace ?? '';
    const { skipped, error } = await slowStartBatch(createDiff, SLOW_START_INITIAL_BATCH_SIZE, async (i) => {
      const pod = podFromTemplate(template, ns, podsPrefix(ds.metadata?.name ?? ''), ref);
      const spec = pod.spec ?? { containers: [] };
      spec.affinity = replaceNodeNameAffinity(spec.affinity, nodesNeedingPods[i] ?? '');
      pod.spec = spec;
      try {
        await this.podControl.createPod(ds, pod);
      } catch (e) {
        this.expectations.creationObserved(key);
        throw e;
      }
    });
    if (error !== undefined) errors.push(error);
    if (skipped > 0) this.expectations.lower(key, skipped, 0);
    await Promise.all(
      podsToDelete.slice(0, deleteDiff).map(async (name) => {
        try {
          await this.podControl.deletePod(ds, ns, name);
        } catch (e) {
          this.expectations.deletionObserved(key);
          if (!isNotFound(e)) errors.push(e);
        }
      }),
    );
    if (errors.length > 0) throw errors[0];
  }

  private async rollingUpdate(ds: DS, selector: Selector, nodes: NodeObj[], hash: string): Promise<void> {
    const nodeToPods = await this.nodesToDaemonPods(ds, selector);
    const plan = rollingUpdatePlan(ds, nodes, nodeToPods, hash, this.ctx.clock.now());
    if (plan.deletePods.length === 0 && plan.createOnNodes.length === 0) return;
    await this.syncNodes(ds, plan.deletePods, plan.createOnNodes, hash);
  }

  private async updateStatus(ds: DS, selector: Selector, nodes: NodeObj[], hash: string, updateObservedGen: boolean): Promise<void> {
    const nodeToPods = await this.nodesToDaemonPods(ds, selector);
    const now = this.ctx.clock.now();
    const c = computeDaemonSetCounts(ds, nodes, nodeToPods, hash, now);
    const st = ds.status ?? { currentNumberScheduled: 0, desiredNumberScheduled: 0, numberMisscheduled: 0, numberReady: 0 };
    const gen = ds.metadata?.generation ?? 0;
    const unchanged =
      st.desiredNumberScheduled === c.desiredNumberScheduled &&
      st.currentNumberScheduled === c.currentNumberScheduled &&
      st.numberMisscheduled === c.numberMisscheduled &&
      st.numberReady === c.numberReady &&
      (st.updatedNumberScheduled ?? 0) === c.updatedNumberScheduled &&
      (st.numberAvailable ?? 0) === c.numberAvailable &&
      (st.numberUnavailable ?? 0) === c.numberUnavailable &&
      (st.observedGeneration ?? 0) >= gen;
    if (!unchanged) {
      const cached = this.dsInformer.lister().get(ds.metadata?.namespace ?? '', ds.metadata?.name ?? '') ?? ds;
      await updateStatusWithRetry(this.ctx.client, GVR.daemonSets, cached, (o) => {
        const s = { ...(o.status ?? {}), ...c } as NonNullable<DS['status']>;
        if (s.updatedNumberScheduled === 0) delete s.updatedNumberScheduled;
        if (s.numberAvailable === 0) delete s.numberAvailable;
        if (s.numberUnavailable === 0) delete s.numberUnavailable;
        if (updateObservedGen) s.observedGeneration = o.metadata?.generation ?? gen;
        setStatus(o, s);
      });
    }
    const minReady = ds.spec?.minReadySeconds ?? 0;
    if (minReady > 0 && c.numberReady !== c.numberAvailable) this.workers.addAfter(keyOf(ds), minReady * 1000);
  }

  // ---- history ---------------------------------------------------------------

  private async controlledHistories(ds: DS, selector: Selector): Promise<CR[]> {
    const all = this.historyInformer.lister().namespace(ds.metadata?.namespace ?? '').list();
    return claimObjects(all, { client: this.ctx.client, gvr: GVR.controllerRevisions, owner: ds, ownerApiVersion: API_VERSION, ownerKind: KIND, selector });
  }

  /** The current revision (created or renumbered as needed) and the old ones. */
  private async constructHistory(ds: DS, selector: Selector): Promise<{ cur: CR; old: CR[] }> {
    const histories = await this.controlledHistories(ds, selector);
    const current: CR[] = [];
    const old: CR[] = [];
    const ns = ds.metadata?.namespace ?? '';
    for (let h of histories) {
      if (h.metadata?.labels?.[CONTROLLER_REVISION_HASH_LABEL] === undefined) {
        const upd = structuredClone(h);
        upd.metadata = { ...upd.metadata, labels: { ...(upd.metadata?.labels ?? {}), [CONTROLLER_REVISION_HASH_LABEL]: upd.metadata?.name ?? '' } };
        h = await this.ctx.client.update<CR>({ ...GVR.controllerRevisions, namespace: ns }, upd);
      }
      if (revisionMatchesTemplate(h, ds.spec?.template)) current.push(h);
      else old.push(h);
    }
    const maxOld = old.reduce((m, h) => Math.max(m, h.revision ?? 0), 0);
    const currRevision = maxOld + 1;
    let cur: CR;
    if (current.length === 0) {
      cur = await this.snapshot(ds, currRevision);
    } else {
      cur = await this.dedupCurHistories(ds, selector, current);
      if ((cur.revision ?? 0) < currRevision) {
        const upd = structuredClone(cur);
        upd.revision = currRevision;
        cur = await this.ctx.client.update<CR>({ ...GVR.controllerRevisions, namespace: ns }, upd);
      }
    }
    return { cur, old };
  }

  private async dedupCurHistories(ds: DS, selector: Selector, current: CR[]): Promise<CR> {
    if (current.length === 1) return current[0] as CR;
    let keep = current[0] as CR;
    for (const c of current) if ((c.revision ?? 0) >= (keep.revision ?? 0)) keep = c;
    const keepHash = keep.metadata?.labels?.[CONTROLLER_REVISION_HASH_LABEL] ?? '';
    const ns = ds.metadata?.namespace ?? '';
    for (const pod of await this.daemonPods(ds, selector)) {
      if (pod.metadata?.labels?.[CONTROLLER_REVISION_HASH_LABEL] === keepHash) continue;
      await this.ctx.client.patch({ ...GVR.pods, namespace: ns, name: pod.metadata?.name ?? '' }, 'merge', {
        metadata: { labels: { [CONTROLLER_REVISION_HASH_LABEL]: keepHash } },
      });
    }
    for (const c of current) {
      if (c.metadata?.name === keep.metadata?.name) continue;
      try {
        await this.ctx.client.delete({ ...GVR.controllerRevisions, namespace: ns, name: c.metadata?.name ?? '' });
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
    }
    return keep;
  }

  private async snapshot(ds: DS, revision: number): Promise<CR> {
    const ns = ds.metadata?.namespace ?? '';
    const collisionCount = ds.status?.collisionCount;
    const hash = computeHash(ds.spec?.template, collisionCount);
    const name = revisionName(ds.metadata?.name ?? '', hash);
    const cr: CR = {
      apiVersion: 'apps/v1',
      kind: 'ControllerRevision',
      metadata: {
        name,
        namespace: ns,
        labels: { ...(ds.spec?.template?.metadata?.labels ?? {}), [CONTROLLER_REVISION_HASH_LABEL]: hash },
        ...(ds.metadata?.annotations ? { annotations: { ...ds.metadata.annotations } } : {}),
        ownerReferences: [newControllerRef(ds, API_VERSION, KIND)],
      },
      data: revisionData(ds.spec?.template),
      revision,
    };
    try {
      return await this.ctx.client.create<CR>({ ...GVR.controllerRevisions, namespace: ns }, cr);
    } catch (e) {
      if (!isAlreadyExists(e)) throw e;
      const existing = await this.ctx.client.get<CR>({ ...GVR.controllerRevisions, namespace: ns, name });
      if (revisionMatchesTemplate(existing, ds.spec?.template)) return existing;
      // A hash collision with a different template: bump collisionCount and retry.
      const fresh = await this.ctx.client.get<DS>({ ...GVR.daemonSets, namespace: ns, name: ds.metadata?.name ?? '' });
      if ((fresh.status?.collisionCount ?? undefined) !== (collisionCount ?? undefined)) {
        throw new Error(`found a stale collision count of DaemonSet ${name}; will retry until it is updated`, { cause: e });
      }
      setStatus(fresh, { ...(fresh.status ?? {}), collisionCount: (collisionCount ?? 0) + 1 });
      await this.ctx.client.updateStatus({ ...GVR.daemonSets, namespace: ns }, fresh);
      throw e;
    }
  }

  private async cleanupHistory(ds: DS, selector: Selector, old: CR[]): Promise<void> {
    const toKeep = ds.spec?.revisionHistoryLimit ?? 10;
    let toKill = old.length - toKeep;
    if (toKill <= 0) return;
    const liveHashes = new Set<string>();
    for (const pod of await this.daemonPods(ds, selector)) {
      const h = pod.metadata?.labels?.[CONTROLLER_REVISION_HASH_LABEL];
      if (h !== undefined && h !== '') liveHashes.add(h);
    }
    const sorted = [...old].sort((a, b) => (a.revision ?? 0) - (b.revision ?? 0));
    for (const h of sorted) {
      if (toKill <= 0) break;
      if (liveHashes.has(h.metadata?.labels?.[CONTROLLER_REVISION_HASH_LABEL] ?? '')) continue;
      try {
        await this.ctx.client.delete({ ...GVR.controllerRevisions, namespace: ds.metadata?.namespace ?? '', name: h.metadata?.name ?? '' });
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
      toKill--;
    }
  }
}

/** For the registry: name -> constructor. */
export function newDaemonSetController(ctx: ControllerContext): Controller {
  return new DaemonSetsController(ctx);
}
