/**
 * The taint eviction controller (upstream pkg/controller/tainteviction, run as
 * "taint-eviction-controller" since SeparateTaintEvictionController): deletes pods
 * from nodes carrying NoExecute taints they do not tolerate.
 *
 *   - A pod on a node with a NoExecute taint it does not tolerate is deleted at once.
 *   - A pod tolerating every NoExecute taint is deleted once the shortest
 *     tolerationSeconds among the tolerations it uses (the first matching one per
 *     taint) has passed since the controller saw it so placed; tolerations without
 *     tolerationSeconds tolerate forever. The countdown runs on the injected Clock.
 *     An eviction already scheduled keeps its moment when the pod or node changes
 *     again (as upstream).
 *   - Scheduled evictions are cancelled when the node loses its NoExecute taints, the
 *     pod comes to tolerate them forever, or the pod goes away; a cancellation is
 *     reported with a TaintManagerEviction event "Cancelling deletion of Pod ns/name".
 *   - Deleting: a TaintManagerEviction event "Marking for deletion Pod ns/name", then
 *     the pod's DisruptionTarget condition (True, reason DeletionByTaintManager) is
 *     written through the status subresource, then the pod is deleted with its default
 *     grace period; up to 5 attempts.
 *
 * Node updates are keyed by node name, pod updates by node + pod; pending node
 * updates are always handled before pending pod updates, so a pod is judged against
 * its node's current taints. Deciding is synchronous; only deletions do I/O.
 */
import type { Node, Pod, Taint, Toleration } from 'kubernetes-types/core/v1.js';
import { getMatchingTolerations } from '../../api/tolerations.js';
import { isNotFound } from '../../client/errors.js';
import type { EventRecorder } from '../../client/events.js';
import { NODE_NAME_INDEX, nodeNameIndexFunc, unwrapTombstone } from '../../client/indexer.js';
import type { SharedInformer } from '../../client/informer.js';
import type { KubeObject } from '../../client/types.js';
import { rfc3339 } from '../../util/clock.js';
import { minTolerationTimeMs, noExecuteTaints } from '../common/taints.js';
import { updatePodCondition } from '../nodelifecycle/podutil.js';
import type { Controller, ControllerContext } from '../types.js';
import { TimedWorkerQueue } from './timedworkers.js';

const NODES = { group: '', version: 'v1', resource: 'nodes' } as const;
const PODS = { group: '', version: 'v1', resource: 'pods' } as const;

/** Upstream's controller name, also the events' source component. */
export const TAINT_EVICTION_CONTROLLER_NAME = 'taint-eviction-controller';
/** Attempts at one pod's condition + deletion (upstream retries). */
const DELETE_RETRIES = 5;

const asNode = (o: KubeObject): Node => o as unknown as Node;
const asPod = (o: KubeObject): Pod => o as unknown as Pod;

function podKeyOf(pod: Pod): string {
  return `${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''}`;
}

function splitKey(key: string): { namespace: string; name: string } {
  const slash = key.indexOf('/');
  return { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}

function sameJSON(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? []) === JSON.stringify(b ?? []);
}

function first<T>(set: Set<T>): T | undefined {
  for (const v of set) return v;
  return undefined;
}

function errMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export class TaintEvictionController implements Controller {
  readonly name = TAINT_EVICTION_CONTROLLER_NAME;

  private readonly nodeInformer: SharedInformer<KubeObject>;
  private readonly podInformer: SharedInformer<KubeObject>;
  private readonly recorder: EventRecorder;
  /** NoExecute taints of every node that has some. */
  private readonly taintedNodes = new Map<string, Taint[]>();
  private readonly evictions: TimedWorkerQueue;
  /** Node names and "nodeName\npodNamespace/podName" items waiting to be handled (a set dedupes, as a work queue). */
  private readonly pendingNodes = new Set<string>();
  private readonly pendingPods = new Set<string>();
  private drainScheduled = false;
  private initialized = false;
  private running = false;
  /** Synced and handling events. */
  private active = false;
  private stopped = false;

  constructor(private readonly ctx: ControllerContext) {
    this.nodeInformer = ctx.informers.forResource(NODES);
    this.podInformer = ctx.informers.forResource(PODS, { indexers: { [NODE_NAME_INDEX]: nodeNameIndexFunc } });
    this.recorder = ctx.recorder(TAINT_EVICTION_CONTROLLER_NAME);
    this.evictions = new TimedWorkerQueue(
      ctx.clock,
      (key) => this.deletePod(key),
      (key, e) => this.log(`failed to evict pod ${key}: ${errMessage(e)}`),
    );
  }

  init(): void {
    if (this.initialized) return;
    this.initialized = true;
    this.podInformer.addEventHandler({
      onAdd: (p) => this.podUpdated(undefined, asPod(p)),
      onUpdate: (o, n) => this.podUpdated(asPod(o), asPod(n)),
      onDelete: (p) => this.podUpdated(asPod(unwrapTombstone(p)), undefined),
    });
    this.nodeInformer.addEventHandler({
      onAdd: (n) => this.nodeUpdated(undefined, asNode(n)),
      onUpdate: (o, n) => this.nodeUpdated(asNode(o), asNode(n)),
      onDelete: (n) => this.nodeUpdated(asNode(unwrapTombstone(n)), undefined),
    });
  }

  async run(_workers: number): Promise<void> {
    if (this.running || this.stopped) return;
    this.init();
    this.running = true;
    const synced = await Promise.all([this.nodeInformer.waitForCacheSync(), this.podInformer.waitForCacheSync()]);
    if (this.stopped) return;
    if (!synced.every(Boolean)) {
      this.log('informers stopped before they synced; not starting');
      return;
    }
    this.active = true;
    this.kick();
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.pendingNodes.clear();
    this.pendingPods.clear();
    await this.evictions.shutdown();
  }

  /** Pods (ns/name) with an eviction scheduled or running. */
  scheduledEvictions(): string[] {
    return this.evictions.pending().sort();
  }

  /** Resolves when no deletion is in flight (for tests). */
  idle(): Promise<void> {
    return this.evictions.idle();
  }

  // ---- informer events ---------------------------------------------------------

  private podUpdated(oldPod: Pod | undefined, newPod: Pod | undefined): void {
    const pod = newPod ?? oldPod;
    if (pod === undefined) return;
    if (oldPod !== undefined && newPod !== undefined && sameJSON(oldPod.spec?.tolerations, newPod.spec?.tolerations) && oldPod.spec?.nodeName === newPod.spec?.nodeName) {
      return;
    }
    this.pendingPods.add(`${pod.spec?.nodeName ?? ''}\n${podKeyOf(pod)}`);
    this.kick();
  }

  private nodeUpdated(oldNode: Node | undefined, newNode: Node | undefined): void {
    const node = newNode ?? oldNode;
    if (node === undefined) return;
    if (oldNode !== undefined && newNode !== undefined && sameJSON(noExecuteTaints(oldNode.spec?.taints), noExecuteTaints(newNode.spec?.taints))) return;
    this.pendingNodes.add(node.metadata?.name ?? '');
    this.kick();
  }

  /**
   * Handles what is pending, nodes before pods (upstream's workers drain node updates
   * before each pod update), so a pod is judged against its node's current taints.
   * Handling is synchronous: evictions are only scheduled here.
   */
  private drain(): void {
    this.drainScheduled = false;
    if (!this.active || this.stopped) return;
    for (;;) {
      const node = first(this.pendingNodes);
      if (node !== undefined) {
        this.pendingNodes.delete(node);
        this.guard(`node ${node}`, () => this.handleNodeUpdate(node));
        continue;
      }
      const pod = first(this.pendingPods);
      if (pod === undefined) return;
      this.pendingPods.delete(pod);
      this.guard(`pod ${pod.replace('\n', ' ')}`, () => this.handlePodUpdate(pod));
    }
  }

  private kick(): void {
    if (this.drainScheduled || !this.active || this.stopped) return;
    this.drainScheduled = true;
    setImmediate(() => this.drain());
  }

  private guard(what: string, fn: () => void): void {
    try {
      fn();
    } catch (e) {
      this.log(`handling ${what} failed: ${errMessage(e)}`);
    }
  }

  // ---- decisions ----------------------------------------------------------------

  private handlePodUpdate(item: string): void {
    const nl = item.indexOf('\n');
    const nodeName = item.slice(0, nl);
    const key = item.slice(nl + 1);
    const { namespace, name } = splitKey(key);
    const cached = this.podInformer.lister().get(namespace, name);
    if (cached === undefined) {
      this.cancelWithEvent(key);
      return;
    }
    const pod = asPod(cached);
    // Only the item keyed by the pod's current node speaks for it.
    if ((pod.spec?.nodeName ?? '') !== nodeName || nodeName === '') return;
    const taints = this.taintedNodes.get(nodeName);
    if (taints === undefined) return;
    this.processPodOnNode(key, pod.spec?.tolerations, taints, this.ctx.clock.now());
  }

  private handleNodeUpdate(name: string): void {
    const cached = this.nodeInformer.lister().get('', name);
    if (cached === undefined) {
      this.taintedNodes.delete(name);
      return;
    }
    const taints = noExecuteTaints(asNode(cached).spec?.taints);
    if (taints.length === 0) this.taintedNodes.delete(name);
    else this.taintedNodes.set(name, taints);
    const pods = this.podInformer.getIndexer().byIndex(NODE_NAME_INDEX, name).map(asPod);
    if (taints.length === 0) {
      for (const p of pods) this.cancelWithEvent(podKeyOf(p));
      return;
    }
    const now = this.ctx.clock.now();
    for (const p of pods) this.processPodOnNode(podKeyOf(p), p.spec?.tolerations, taints, now);
  }

  private processPodOnNode(key: string, tolerations: Toleration[] | undefined, taints: Taint[], now: number): void {
    if (taints.length === 0) {
      this.cancelWithEvent(key);
      return;
    }
    const { allTolerated, used } = getMatchingTolerations(taints, tolerations);
    if (!allTolerated) {
      // Deleted right away: whatever was scheduled is replaced.
      this.cancelWithEvent(key);
      this.evictions.add(key, now, now);
      return;
    }
    const waitMs = minTolerationTimeMs(used);
    if (waitMs < 0) {
      this.cancelWithEvent(key);
      return;
    }
    const scheduled = this.evictions.get(key);
    if (scheduled !== undefined) {
      // An eviction scheduled earlier keeps its moment (upstream compares
      // createdAt + wait with now + wait).
      if (scheduled.state === 'done' || scheduled.createdAt < now) return;
      this.cancelWithEvent(key);
    }
    this.evictions.add(key, scheduled?.createdAt ?? now, now + waitMs);
  }

  private cancelWithEvent(key: string): void {
    if (!this.evictions.cancel(key)) return;
    this.podEvent(key, `Cancelling deletion of Pod ${key}`);
  }

  // ---- deleting -------------------------------------------------------------------

  private async deletePod(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    this.log(`deleting pod ${key}`);
    this.podEvent(key, `Marking for deletion Pod ${key}`);
    let last: unknown;
    for (let i = 0; i < DELETE_RETRIES; i++) {
      if (this.stopped) return;
      try {
        await this.addConditionAndDeletePod(namespace, name);
        return;
      } catch (e) {
        if (isNotFound(e)) return;
        last = e;
      }
    }
    throw last;
  }

  private async addConditionAndDeletePod(namespace: string, name: string): Promise<void> {
    const pod = asPod(await this.ctx.client.get({ ...PODS, namespace, name }));
    const status = structuredClone(pod.status ?? {});
    const changed = updatePodCondition(
      status,
      { type: 'DisruptionTarget', status: 'True', reason: 'DeletionByTaintManager', message: 'Taint manager: deleting due to NoExecute taint' },
      rfc3339(this.ctx.clock.now()),
    );
    if (changed) {
      await this.ctx.client.updateStatus({ ...PODS, namespace }, { ...pod, status } as unknown as KubeObject);
    }
    await this.ctx.client.delete({ ...PODS, namespace, name });
  }

  private podEvent(key: string, message: string): void {
    const { namespace, name } = splitKey(key);
    this.recorder.event({ apiVersion: 'v1', kind: 'Pod', namespace, name }, 'Normal', 'TaintManagerEviction', message);
  }

  private log(message: string): void {
    this.ctx.log(this.name, message);
  }
}

export function newTaintEvictionController(ctx: ControllerContext): TaintEvictionController {
  return new TaintEvictionController(ctx);
}
