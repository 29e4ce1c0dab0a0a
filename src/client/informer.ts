/**
 * Shared informers: one reflector (one list + watch) per resource feeding one cache
 * that many controllers read through listers and hear about through event handlers,
 * as client-go's tools/cache/shared_informer.go.
 *
 * Contract:
 *   - The cache is updated before handlers are told; a handler sees the cache already
 *     holding the new state (or no longer holding a deleted object).
 *   - Each handler hears about every change, in order, exactly as the cache applied it:
 *     onAdd for a new key, onUpdate(old, new) for a known key, onDelete when it goes.
 *     Handlers run synchronously, one after the other; a throw is logged and ignored.
 *     They should be quick (enqueue a key into a workqueue, not reconcile inline).
 *   - A relist (after a 410 or an error) replaces the cache: listed objects already
 *     known become onUpdate(old, new) even when unchanged (compare resourceVersions);
 *     known objects missing from the list are deleted and handlers receive a
 *     DeletedFinalStateUnknown tombstone holding the last known state. A watch DELETED
 *     event gives the object itself. unwrapTombstone() handles both.
 *   - A handler added to a running informer first receives onAdd(obj, true) for every
 *     object already cached, then live events.
 *   - With a resync period, the handler receives onUpdate(obj, obj) for every cached
 *     object each period (minimum 1 s), on the injected clock. No request is made.
 *   - hasSynced() is true once the first list is in the cache.
 */
import { realClock, type Clock, type TimerHandle } from '../util/clock.js';
import { withoutManagedFields } from '../apimachinery/meta.js';
import { DeletedFinalStateUnknown, Indexer, type Indexers } from './indexer.js';
import { Lister } from './lister.js';
import { Reflector, listWatcherFor, type ListerWatcher, type ReflectorOptions, type ReflectorStore } from './reflector.js';
import type { RestClient } from './rest.js';
import type { GroupVersionResource, KubeObject } from './types.js';

export interface EventHandler<T extends KubeObject> {
  /** isInInitialList: the object came with the first list (or the catch-up for a late handler). */
  onAdd?(obj: T, isInInitialList: boolean): void;
  onUpdate?(oldObj: T, newObj: T): void;
  onDelete?(obj: T | DeletedFinalStateUnknown<T>): void;
}

export interface HandlerOptions {
  /** Resync period for this handler in ms (default: the informer's; 0 = never). */
  resyncPeriodMs?: number;
}

export interface HandlerRegistration {
  /** True once the informer has synced and this handler has heard about the initial content. */
  hasSynced(): boolean;
}

export interface SharedInformerOptions<T extends KubeObject> {
  listerWatcher: ListerWatcher<T>;
  /** For messages, e.g. "v1/pods". */
  name?: string;
  clock?: Clock;
  /** Default resync period of handlers in ms; 0 (default) = never. */
  resyncPeriodMs?: number;
  indexers?: Indexers<T>;
  /** Applied to every object before it enters the cache (e.g. drop managedFields). */
  transform?: (obj: T) => T;
  /** Tuning passed to the reflector. */
  reflector?: Partial<Omit<ReflectorOptions<T>, 'listerWatcher' | 'store' | 'clock' | 'name'>>;
  /** Told when a handler throws (default: logged to stderr). */
  onHandlerError?: (err: unknown) => void;
}

const MIN_RESYNC_MS = 1000;

interface Listener<T extends KubeObject> {
  handler: EventHandler<T>;
  resyncMs: number;
  timer: TimerHandle | undefined;
  caughtUp: boolean;
}

export class SharedInformer<T extends KubeObject = KubeObject> {
  readonly name: string;
  private readonly indexer: Indexer<T>;
  private readonly reflector: Reflector<T>;
  private readonly clock: Clock;
  private readonly defaultResyncMs: number;
  private readonly transform: ((obj: T) => T) | undefined;
  private readonly onHandlerError: (err: unknown) => void;
  private readonly listeners = new Set<Listener<T>>();
  private readonly registrations = new WeakMap<HandlerRegistration, Listener<T>>();
  private started = false;
  private stopped = false;

  constructor(opts: SharedInformerOptions<T>) {
    if (opts.listerWatcher === undefined) throw new Error('SharedInformerOptions.listerWatcher is required');
    this.name = opts.name ?? 'informer';
    this.clock = opts.clock ?? realClock;
    this.defaultResyncMs = opts.resyncPeriodMs ?? 0;
    if (!(this.defaultResyncMs >= 0)) throw new Error('resyncPeriodMs must be >= 0');
    this.transform = opts.transform;
    this.onHandlerError = opts.onHandlerError ?? ((e) => console.error(`kubelite informer ${this.name}: handler failed:`, e));
    this.indexer = new Indexer<T>({ ...(opts.indexers ? { indexers: opts.indexers } : {}) });
    this.reflector = new Reflector<T>({
      ...(opts.reflector ?? {}),
      name: this.name,
      listerWatcher: opts.listerWatcher,
      store: this.storeAdapter(),
      clock: this.clock,
    });
  }

  /** Starts the list/watch; idempotent. */
  start(): void {
    if (this.started || this.stopped) return;
    this.started = true;
    this.reflector.start();
    for (const l of this.listeners) this.scheduleResync(l);
  }

  /** Stops the watch and resync timers; the cache keeps its last content. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const l of this.listeners) this.cancelResync(l);
    await this.reflector.stop();
  }

  isStarted(): boolean {
    return this.started;
  }

  isStopped(): boolean {
    return this.stopped;
  }

  hasSynced(): boolean {
    return this.reflector.hasSynced();
  }

  /**
   * Resolves true once synced; false when stopped first or when timeoutMs (on the
   * informer's clock) passes first.
   */
  waitForCacheSync(timeoutMs?: number): Promise<boolean> {
    if (this.hasSynced()) return Promise.resolve(true);
    const synced = this.reflector.waitForSync();
    if (timeoutMs === undefined) return synced;
    return new Promise((resolve) => {
      const h = this.clock.setTimeout(() => resolve(this.hasSynced()), timeoutMs);
      void synced.then((ok) => {
        this.clock.clearTimeout(h);
        resolve(ok);
      });
    });
  }

  /** The resourceVersion the cache is at. */
  lastSyncResourceVersion(): string {
    return this.reflector.lastSyncResourceVersion();
  }

  getIndexer(): Indexer<T> {
    return this.indexer;
  }

  /** Registers more indexes (see Indexer.addIndexers); names already present are an error. */
  addIndexers(indexers: Indexers<T>): void {
    this.indexer.addIndexers(indexers);
  }

  lister(): Lister<T> {
    return new Lister(this.indexer);
  }

  /** Adds a handler; on a running informer it first hears onAdd(obj, true) for what is cached. */
  addEventHandler(handler: EventHandler<T>, opts: HandlerOptions = {}): HandlerRegistration {
    if (this.stopped) throw new Error(`informer ${this.name} has stopped; handler not added`);
    let resyncMs = opts.resyncPeriodMs ?? this.defaultResyncMs;
    if (resyncMs > 0 && resyncMs < MIN_RESYNC_MS) resyncMs = MIN_RESYNC_MS;
    const l: Listener<T> = { handler, resyncMs, timer: undefined, caughtUp: false };
    this.listeners.add(l);
    if (this.hasSynced()) {
      for (const obj of this.indexer.list()) this.call(() => handler.onAdd?.(obj, true));
      l.caughtUp = true;
    }
    if (this.started) this.scheduleResync(l);
    const reg: HandlerRegistration = { hasSynced: () => l.caughtUp && this.hasSynced() };
    this.registrations.set(reg, l);
    return reg;
  }

  /** Removes a handler added with addEventHandler. */
  removeEventHandler(reg: HandlerRegistration): void {
    const l = this.registrations.get(reg);
    if (l === undefined) return;
    this.registrations.delete(reg);
    this.cancelResync(l);
    this.listeners.delete(l);
  }

  private call(fn: () => void): void {
    try {
      fn();
    } catch (e) {
      this.onHandlerError(e);
    }
  }

  private notifyAdd(obj: T, initial: boolean): void {
    for (const l of this.listeners) this.call(() => l.handler.onAdd?.(obj, initial));
  }

  private notifyUpdate(old: T, obj: T): void {
    for (const l of this.listeners) this.call(() => l.handler.onUpdate?.(old, obj));
  }

  private notifyDelete(obj: T | DeletedFinalStateUnknown<T>): void {
    for (const l of this.listeners) this.call(() => l.handler.onDelete?.(obj));
  }

  private scheduleResync(l: Listener<T>): void {
    if (l.resyncMs <= 0 || l.timer !== undefined || this.stopped) return;
    l.timer = this.clock.setTimeout(() => {
      l.timer = undefined;
      if (this.stopped || !this.listeners.has(l)) return;
      if (this.hasSynced()) for (const obj of this.indexer.list()) this.call(() => l.handler.onUpdate?.(obj, obj));
      this.scheduleResync(l);
    }, l.resyncMs);
  }

  private cancelResync(l: Listener<T>): void {
    if (l.timer !== undefined) this.clock.clearTimeout(l.timer);
    l.timer = undefined;
  }

  private storeAdapter(): ReflectorStore<T> {
    const tf = (o: T): T => (this.transform ? this.transform(o) : o);
    const upsert = (raw: T): void => {
      const obj = tf(raw);
      const old = this.indexer.update(obj);
      if (old !== undefined) this.notifyUpdate(old, obj);
      else this.notifyAdd(obj, false);
    };
    return {
      replace: (items: T[]) => {
        const initial = !this.hasSynced();
        const keep = new Set<string>();
        for (const raw of items) {
          const obj = tf(raw);
          const key = this.indexer.keyFunc(obj);
          keep.add(key);
          const old = this.indexer.update(obj);
          if (old !== undefined) this.notifyUpdate(old, obj);
          else this.notifyAdd(obj, initial);
        }
        for (const key of this.indexer.listKeys()) {
          if (keep.has(key)) continue;
          const old = this.indexer.deleteByKey(key);
          if (old !== undefined) this.notifyDelete(new DeletedFinalStateUnknown(key, old));
        }
        if (initial) for (const l of this.listeners) l.caughtUp = true;
      },
      add: upsert,
      update: upsert,
      delete: (raw: T) => {
        const obj = tf(raw);
        this.indexer.delete(obj);
        this.notifyDelete(obj);
      },
    };
  }
}

/** Resolves true when every informer has synced; false if any stops or times out first. */
export async function waitForCacheSync(informers: readonly Pick<SharedInformer<KubeObject>, 'waitForCacheSync'>[], timeoutMs?: number): Promise<boolean> {
  const results = await Promise.all(informers.map((i) => i.waitForCacheSync(timeoutMs)));
  return results.every(Boolean);
}

export interface InformerFactoryOptions {
  client: RestClient;
  clock?: Clock;
  /** Default handler resync period for every informer, ms (0 = never). */
  defaultResyncMs?: number;
  /** Restrict every informer to this namespace (default: all). */
  namespace?: string;
  /** Reflector tuning for every informer. */
  reflector?: SharedInformerOptions<KubeObject>['reflector'];
  onHandlerError?: (err: unknown) => void;
  /** Applied to every object of every informer before a request's own transform. */
  transform?: (obj: KubeObject) => KubeObject;
}

/**
 * Drops metadata.managedFields: what upstream's components (kube-controller-manager,
 * kube-scheduler) do to their informer caches, since nothing they do reads them and they
 * can be most of an object. Writes of cached objects then carry none, and the server keeps
 * the stored ones.
 */
export function dropManagedFields<T extends KubeObject>(obj: T): T {
  return withoutManagedFields(obj);
}

export interface InformerRequest<T extends KubeObject> {
  /** Only this namespace (overrides the factory's). */
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** Resync period (only when this call creates the informer). */
  resyncPeriodMs?: number;
  /** Indexes to have on the cache; names already present are kept as they are. */
  indexers?: Indexers<T>;
  transform?: (obj: T) => T;
}

function transformOf<T extends KubeObject>(outer: ((o: T) => T) | undefined, inner: ((o: T) => T) | undefined): { transform?: (o: T) => T } {
  if (outer === undefined) return inner === undefined ? {} : { transform: inner };
  if (inner === undefined) return { transform: outer };
  return { transform: (o) => inner(outer(o)) };
}

/**
 * One SharedInformer per (resource, namespace, label selector, field selector): every
 * controller asking for the same thing shares one watch and one cache.
 */
export class SharedInformerFactory {
  private readonly informers = new Map<string, SharedInformer<KubeObject>>();
  private stopped = false;

  constructor(private readonly opts: InformerFactoryOptions) {
    if (opts.client === undefined) throw new Error('InformerFactoryOptions.client is required');
  }

  /** The shared informer for a resource, created on first request (not started: call start()). */
  forResource<T extends KubeObject = KubeObject>(gvr: GroupVersionResource, req: InformerRequest<T> = {}): SharedInformer<T> {
    if (this.stopped) throw new Error('informer factory has shut down');
    const namespace = req.namespace ?? this.opts.namespace ?? '';
    const key = [gvr.group, gvr.version, gvr.resource, namespace, req.labelSelector ?? '', req.fieldSelector ?? ''].join('|');
    let inf = this.informers.get(key) as SharedInformer<T> | undefined;
    if (inf === undefined) {
      const gv = gvr.group === '' ? gvr.version : `${gvr.group}/${gvr.version}`;
      inf = new SharedInformer<T>({
        name: `${gv}/${gvr.resource}${namespace ? ` in ${namespace}` : ''}`,
        listerWatcher: listWatcherFor<T>(this.opts.client, { ...gvr, ...(namespace ? { namespace } : {}) }, {
          ...(req.labelSelector ? { labelSelector: req.labelSelector } : {}),
          ...(req.fieldSelector ? { fieldSelector: req.fieldSelector } : {}),
        }),
        ...(this.opts.clock ? { clock: this.opts.clock } : {}),
        resyncPeriodMs: req.resyncPeriodMs ?? this.opts.defaultResyncMs ?? 0,
        ...(transformOf(this.opts.transform as ((o: T) => T) | undefined, req.transform)),
        ...(this.opts.reflector ? { reflector: this.opts.reflector as SharedInformerOptions<T>['reflector'] } : {}),
        ...(this.opts.onHandlerError ? { onHandlerError: this.opts.onHandlerError } : {}),
      });
      this.informers.set(key, inf as unknown as SharedInformer<KubeObject>);
    }
    if (req.indexers !== undefined) {
      const have = new Set(inf.getIndexer().indexNames());
      const fresh = Object.fromEntries(Object.entries(req.indexers).filter(([name]) => !have.has(name)));
      if (Object.keys(fresh).length > 0) inf.addIndexers(fresh);
    }
    return inf;
  }

  /** Starts every informer created so far that is not running yet; call again after adding more. */
  start(): void {
    if (this.stopped) return;
    for (const inf of this.informers.values()) inf.start();
  }

  /** Resolves true when every started informer has synced. */
  waitForCacheSync(timeoutMs?: number): Promise<boolean> {
    return waitForCacheSync([...this.informers.values()].filter((i) => i.isStarted()), timeoutMs);
  }

  /** Every informer created, by its sharing key. */
  all(): ReadonlyMap<string, SharedInformer<KubeObject>> {
    return this.informers;
  }

  /** Stops every informer and refuses new ones. */
  async shutdown(): Promise<void> {
    this.stopped = true;
    await Promise.all([...this.informers.values()].map((i) => i.stop()));
  }
}
