/**
 * The garbage collector (upstream pkg/controller/garbagecollector): deletes objects
 * whose owners are all gone, and carries out the three ways `kubectl delete
 * --cascade=background|foreground|orphan` deletes an owner:
 *
 *   - background: the owner goes at once; its dependents, now with no existing owner,
 *     are deleted afterwards (an owner-less dependent that still has another, existing
 *     owner only loses the reference).
 *   - foreground: the API server keeps the owner (deletionTimestamp + the
 *     "foregroundDeletion" finalizer); the collector deletes its dependents (those with
 *     dependents of their own in foreground too), waits until none with
 *     blockOwnerDeletion: true is left, then removes the finalizer so the owner goes.
 *   - orphan: the owner is kept with the "orphan" finalizer; the collector removes the
 *     owner's reference from every dependent, then the finalizer.
 *
 * The dependency graph is not a separate structure here: every watched informer (see
 * resources.ts) indexes its objects by uid and by owner uid, and those indexes answer
 * "who owns this" and "who depends on this". Two queues carry items
 * ("group|version|resource|namespace|name|uid"): attemptToDelete and attemptToOrphan.
 * Decisions are made on the object's latest state read from the API server; an owner is
 * considered present when the cache holds it, otherwise it is looked up with a GET
 * (404 or another uid: absent).
 *
 * Partial versus upstream: no cycle detection/unblocking between owners that are all in
 * foreground deletion, no absent-owner cache, no metadata-only informers.
 */
import { StatusError } from '../../apimachinery/errors.js';
import { isConflict, isNotFound } from '../../client/errors.js';
import { OWNER_UID_INDEX, ownerUIDIndexFunc, unwrapTombstone } from '../../client/indexer.js';
import type { SharedInformer } from '../../client/informer.js';
import type { PropagationPolicy } from '../../client/rest.js';
import type { GroupVersionResource, KubeObject, OwnerReference } from '../../client/types.js';
import { RateLimitingQueue } from '../../client/workqueue.js';
import type { Controller, ControllerContext } from '../types.js';
import { patchOwnerReferences } from '../common/ownerreferences.js';
import { errorMessage, QueueWorkers } from '../common/queue.js';
import { GC_RESOURCES, KindResolver } from './resources.js';

export const FOREGROUND_FINALIZER = 'foregroundDeletion';
export const ORPHAN_FINALIZER = 'orphan';
/** Index of watched objects by their own uid. */
export const UID_INDEX = 'gc-uid';

const uidIndexFunc = (obj: KubeObject): string[] => {
  const uid = obj.metadata?.uid;
  return typeof uid === 'string' && uid !== '' ? [uid] : [];
};

export function isDeletingDependents(obj: KubeObject | undefined): boolean {
  return obj?.metadata?.deletionTimestamp !== undefined && (obj.metadata.finalizers ?? []).includes(FOREGROUND_FINALIZER);
}

export function isOrphaning(obj: KubeObject | undefined): boolean {
  return obj?.metadata?.deletionTimestamp !== undefined && (obj.metadata.finalizers ?? []).includes(ORPHAN_FINALIZER);
}

interface Monitor {
  gvr: GroupVersionResource;
  informer: SharedInformer<KubeObject>;
}

interface Found {
  gvr: GroupVersionResource;
  obj: KubeObject;
}

/** One object the collector works on. */
export interface Item {
  gvr: GroupVersionResource;
  namespace: string;
  name: string;
  uid: string;
}

export function itemKey(gvr: GroupVersionResource, obj: KubeObject): string {
  const m = obj.metadata ?? {};
  return [gvr.group, gvr.version, gvr.resource, m.namespace ?? '', m.name ?? '', m.uid ?? ''].join('|');
}

export function parseItemKey(key: string): Item {
  const [group = '', version = '', resource = '', namespace = '', name = '', uid = ''] = key.split('|');
  return { gvr: { group, version, resource }, namespace, name, uid };
}

export type OwnerState = 'solid' | 'dangling' | 'waiting';

export interface GarbageCollectorOptions {
  /** Resources to watch (default GC_RESOURCES). */
  resources?: readonly GroupVersionResource[];
}

export class GarbageCollector implements Controller {
  readonly name = 'garbage-collector';
  private readonly monitors: Monitor[] = [];
  private readonly deleteQueue: RateLimitingQueue<string>;
  private readonly orphanQueue: RateLimitingQueue<string>;
  private readonly deleteWorkers: QueueWorkers;
  private readonly orphanWorkers: QueueWorkers;
  private readonly resolver: KindResolver;
  private readonly resources: readonly GroupVersionResource[];

  constructor(
    private readonly ctx: ControllerContext,
    opts: GarbageCollectorOptions = {},
  ) {
    this.resources = opts.resources ?? GC_RESOURCES;
    this.deleteQueue = new RateLimitingQueue<string>({ clock: ctx.clock, name: 'garbage_collector_attempt_to_delete' });
    this.orphanQueue = new RateLimitingQueue<string>({ clock: ctx.clock, name: 'garbage_collector_attempt_to_orphan' });
    const log = (m: string): void => ctx.log(this.name, m);
    this.deleteWorkers = new QueueWorkers({ queue: this.deleteQueue, sync: (k) => this.attemptToDelete(k), log });
    this.orphanWorkers = new QueueWorkers({ queue: this.orphanQueue, sync: (k) => this.attemptToOrphan(k), log });
    this.resolver = new KindResolver(ctx.client);
  }

  init(): void {
    if (this.monitors.length > 0) return;
    for (const gvr of this.resources) {
      const informer = this.ctx.informers.forResource<KubeObject>(gvr, { indexers: { [OWNER_UID_INDEX]: ownerUIDIndexFunc, [UID_INDEX]: uidIndexFunc } });
      const m: Monitor = { gvr, informer };
      informer.addEventHandler({
        onAdd: (obj) => this.observe(m, undefined, obj),
        onUpdate: (old, cur) => this.observe(m, old, cur),
        onDelete: (obj) => this.observeDeletion(unwrapTombstone(obj)),
      });
      this.monitors.push(m);
    }
  }

  run(workers: number): void {
    this.init();
    this.deleteWorkers.run(workers);
    this.orphanWorkers.run(workers);
  }

  async stop(): Promise<void> {
    await Promise.all([this.deleteWorkers.stop(), this.orphanWorkers.stop()]);
  }

  // --- the graph, read from the informers' indexes --------------------------------------------

  /** The watched object with this uid, if cached. */
  private findByUID(uid: string): Found | undefined {
    for (const m of this.monitors) {
      const obj = m.informer.getIndexer().byIndex(UID_INDEX, uid)[0];
      if (obj !== undefined) return { gvr: m.gvr, obj };
    }
    return undefined;
  }

  /** Every watched object with an ownerReference to uid. */
  private dependentsOf(uid: string): Found[] {
    const out: Found[] = [];
    for (const m of this.monitors) for (const obj of m.informer.getIndexer().byIndex(OWNER_UID_INDEX, uid)) out.push({ gvr: m.gvr, obj });
    return out;
  }

  private enqueueDelete(f: Found): void {
    this.deleteQueue.add(itemKey(f.gvr, f.obj));
  }

  private observe(m: Monitor, old: KubeObject | undefined, cur: KubeObject): void {
    if (isDeletingDependents(cur) && !isDeletingDependents(old)) {
      // The owner entered foreground deletion: process it and every dependent.
      this.enqueueDelete({ gvr: m.gvr, obj: cur });
      for (const dep of this.dependentsOf(cur.metadata?.uid ?? '')) this.enqueueDelete(dep);
    }
    if (isOrphaning(cur) && !isOrphaning(old)) this.orphanQueue.add(itemKey(m.gvr, cur));
    const curRefs = cur.metadata?.ownerReferences ?? [];
    const oldRefs = old?.metadata?.ownerReferences ?? [];
    // New references to owners that are absent (or deleting in foreground) need a look.
    for (const ref of curRefs) {
      if (oldRefs.some((r) => r.uid === ref.uid)) continue;
      const owner = this.findByUID(ref.uid);
      if (owner === undefined || isDeletingDependents(owner.obj)) {
        this.enqueueDelete({ gvr: m.gvr, obj: cur });
        break;
      }
    }
    // A dependent that dropped (or stopped blocking on) an owner in foreground deletion may unblock it.
    for (const ref of oldRefs) {
      const now = curRefs.find((r) => r.uid === ref.uid);
      if (now !== undefined && !(ref.blockOwnerDeletion === true && now.blockOwnerDeletion !== true)) continue;
      const owner = this.findByUID(ref.uid);
      if (owner !== undefined && isDeletingDependents(owner.obj)) this.enqueueDelete(owner);
    }
  }

  private observeDeletion(obj: KubeObject): void {
    // Its dependents may have lost their last owner.
    for (const dep of this.dependentsOf(obj.metadata?.uid ?? '')) this.enqueueDelete(dep);
    // An owner waiting for its dependents may be done.
    for (const ref of obj.metadata?.ownerReferences ?? []) {
      const owner = this.findByUID(ref.uid);
      if (owner !== undefined && isDeletingDependents(owner.obj)) this.enqueueDelete(owner);
    }
  }

  // --- API helpers ------------------------------------------------------------------------------------

  private objectRef(item: Item): GroupVersionResource & { namespace?: string; name: string } {
    return { ...item.gvr, ...(item.namespace !== '' ? { namespace: item.namespace } : {}), name: item.name };
  }

  /** The item's latest state, or undefined when it is gone or was replaced (another uid). */
  private async latest(item: Item): Promise<KubeObject | undefined> {
    try {
      const obj = await this.ctx.client.get(this.objectRef(item));
      return obj.metadata?.uid === item.uid ? obj : undefined;
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }

  private async deleteItem(item: Item, policy: PropagationPolicy): Promise<void> {
    try {
      await this.ctx.client.delete(this.objectRef(item), { propagationPolicy: policy, preconditions: { uid: item.uid } });
    } catch (e) {
      // Gone already, or replaced by an object with another uid: nothing to delete.
      if (isNotFound(e) || isConflict(e)) return;
      throw e;
    }
  }

  private async removeFinalizer(item: Item, finalizer: string): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const cur = await this.latest(item);
      if (cur === undefined) return;
      const fins = cur.metadata?.finalizers ?? [];
      if (!fins.includes(finalizer)) return;
      const rest = fins.filter((f) => f !== finalizer);
      try {
        await this.ctx.client.patch(this.objectRef(item), 'merge', { metadata: { finalizers: rest.length > 0 ? rest : null, resourceVersion: cur.metadata?.resourceVersion } });
        return;
      } catch (e) {
        if (isNotFound(e)) return;
        if (!isConflict(e) || attempt >= 4) throw e;
      }
    }
  }

  /** Whether an owner reference points at an existing owner, a missing one, or one deleting in foreground. */
  async ownerState(ref: OwnerReference, dependent: Item): Promise<OwnerState> {
    const cached = this.findByUID(ref.uid);
    if (cached !== undefined && cached.obj.metadata?.name === ref.name) return isDeletingDependents(cached.obj) ? 'waiting' : 'solid';
    const kind = await this.resolver.resolve(ref.apiVersion, ref.kind);
    if (kind === undefined) {
      this.ctx.log(this.name, `cannot resolve owner kind ${ref.kind} in ${ref.apiVersion} of ${dependent.gvr.resource}/${dependent.name}; leaving it alone`);
      return 'solid';
    }
    // A cluster-scoped dependent cannot have a namespaced owner.
    if (kind.namespaced && dependent.namespace === '') return 'dangling';
    try {
      const owner = await this.ctx.client.get({ ...kind.gvr, ...(kind.namespaced ? { namespace: dependent.namespace } : {}), name: ref.name });
      if (owner.metadata?.uid !== ref.uid) return 'dangling';
      return isDeletingDependents(owner) ? 'waiting' : 'solid';
    } catch (e) {
      if (isNotFound(e)) return 'dangling';
      throw e;
    }
  }

  // --- the two workers -----------------------------------------------------------------------------

  /** Upstream's attemptToDeleteItem. */
  async attemptToDelete(key: string): Promise<void> {
    const item = parseItemKey(key);
    // Fast path without a request: cached, not deleting, and every owner cached and not in
    // foreground deletion. Should the cache be behind, the owner's own event brings us back.
    const cached = this.findByUID(item.uid)?.obj;
    if (
      cached !== undefined &&
      cached.metadata?.deletionTimestamp === undefined &&
      (cached.metadata?.ownerReferences ?? []).every((r) => {
        const o = this.findByUID(r.uid);
        return o !== undefined && o.obj.metadata?.name === r.name && !isDeletingDependents(o.obj);
      })
    ) {
      return;
    }
    const latest = await this.latest(item);
    if (latest === undefined) return;
    if (latest.metadata?.deletionTimestamp !== undefined && !isDeletingDependents(latest)) return; // being deleted already
    if (isDeletingDependents(latest)) return this.processDeletingDependents(item);
    const refs = latest.metadata?.ownerReferences ?? [];
    if (refs.length === 0) return;
    const solid: OwnerReference[] = [];
    const dangling: OwnerReference[] = [];
    const waiting: OwnerReference[] = [];
    for (const ref of refs) {
      const state = await this.ownerState(ref, item);
      (state === 'solid' ? solid : state === 'dangling' ? dangling : waiting).push(ref);
    }
    if (solid.length > 0) {
      // Keep the object; drop the references to owners that are gone or deleting in foreground.
      const drop = new Set([...dangling, ...waiting].map((r) => r.uid));
      if (drop.size === 0) return;
      try {
        await patchOwnerReferences(this.ctx.client, { gvr: item.gvr, namespace: item.namespace, name: item.name, uid: item.uid }, (cur) =>
          cur.some((r) => drop.has(r.uid)) ? cur.filter((r) => !drop.has(r.uid)) : undefined,
        );
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
      return;
    }
    if (waiting.length > 0 && this.dependentsOf(item.uid).length > 0) {
      // Its owner waits for it, and it has dependents of its own: delete it in foreground too.
      return this.deleteItem(item, 'Foreground');
    }
    const fins = latest.metadata?.finalizers ?? [];
    const policy: PropagationPolicy = fins.includes(ORPHAN_FINALIZER) ? 'Orphan' : fins.includes(FOREGROUND_FINALIZER) ? 'Foreground' : 'Background';
    return this.deleteItem(item, policy);
  }

  /** An owner in foreground deletion: done once no dependent blocks it. */
  private async processDeletingDependents(item: Item): Promise<void> {
    const blocking = this.dependentsOf(item.uid).filter((d) => (d.obj.metadata?.ownerReferences ?? []).some((r) => r.uid === item.uid && r.blockOwnerDeletion === true));
    if (blocking.length === 0) return this.removeFinalizer(item, FOREGROUND_FINALIZER);
    for (const dep of blocking) if (!isDeletingDependents(dep.obj)) this.enqueueDelete(dep);
  }

  /** Upstream's attemptToOrphanWorker: strip the owner's references from its dependents, then the finalizer. */
  async attemptToOrphan(key: string): Promise<void> {
    const item = parseItemKey(key);
    const latest = await this.latest(item);
    if (latest === undefined || !isOrphaning(latest)) return;
    const errs: string[] = [];
    for (const dep of this.dependentsOf(item.uid)) {
      const m = dep.obj.metadata ?? {};
      try {
        await patchOwnerReferences(this.ctx.client, { gvr: dep.gvr, namespace: m.namespace ?? '', name: m.name ?? '', uid: m.uid ?? '' }, (refs) =>
          refs.some((r) => r.uid === item.uid) ? refs.filter((r) => r.uid !== item.uid) : undefined,
        );
      } catch (e) {
        if (!isNotFound(e)) errs.push(errorMessage(e));
      }
    }
    if (errs.length > 0) throw new StatusError(500, 'InternalError', `orphaning dependents of ${item.gvr.resource}/${item.name} failed: ${errs.join('; ')}`);
    await this.removeFinalizer(item, ORPHAN_FINALIZER);
  }
}

export function newGarbageCollectorController(ctx: ControllerContext, opts: GarbageCollectorOptions = {}): Controller {
  return new GarbageCollector(ctx, opts);
}
