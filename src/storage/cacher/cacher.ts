/**
 * The watch cache: a Store in front of a Store that lists and watches the underlying
 * one ONCE (for a prefix such as '/registry/'), keeps the current state in memory plus
 * a bounded ring of recent events, and serves from them:
 *
 * - get/list/count at the latest revision, or at a revision equal to the cache's, come
 *   from memory, reporting the cache's revision; older (or newer) revisions go to the
 *   store, which answers from its history or with Compacted / FutureRevision.
 * - watch from a revision the ring still holds is replayed from memory and then fed
 *   live, so N watchers cost one store watch; a start older than the ring goes to the
 *   store (which may answer Compacted).
 * - Writes pass through; a write under the prefix resolves only once the cache has
 *   applied its revision, so a read through the cacher after a write observes it
 *   (read-your-writes). Should the cache not catch up in time, reads go to the store
 *   until it has, so the guarantee never depends on the timeout.
 *
 * Whenever the cache is not serving (starting, re-listing after its store watch broke)
 * every call is passed to the store, so the cacher is never less correct than the
 * store, only faster once warm. Keys outside the prefix always pass through.
 *
 * Like upstream's cacher, "latest" here means the cache's revision: a write by another
 * process becomes visible once its watch event arrives. The store's own revision is
 * what currentRevision() reports.
 */
import type {
  DeleteResult,
  GetResult,
  KeyValue,
  ListOptions,
  ListResult,
  Store,
  StorageError,
  WatchCallbacks,
  WatchEvent,
  WatchOptions,
  Watcher,
  WriteResult,
} from '../interface.js';
import { storageErrors } from '../errors.js';
import { checkKey, checkListOptions, checkPrefix, checkRevision } from '../request.js';
import { SortedKeys } from '../sortedkeys.js';
import { WatchHub } from '../watchhub.js';
import { EventRing } from './ring.js';
import { realClock, type Clock, type TimerHandle } from '../../util/clock.js';

export interface CacherOptions {
  /** Keys cached (default '/registry/'); others pass through. */
  prefix?: string;
  /** Events kept for watch replay (default 10000). */
  capacity?: number;
  clock?: Clock;
  /** Page size of the initial list (default 5000). */
  listPageSize?: number;
  /** Longest a write waits for the cache to apply it (default 10 s); see read-your-writes above. */
  writeWaitMs?: number;
  /** Back-off between attempts to re-list after the store watch failed (default 100 ms doubling to 10 s). */
  retryMinMs?: number;
  retryMaxMs?: number;
}

interface Waiter {
  revision: number;
  resolve: () => void;
  timer: TimerHandle;
}

function posInt(name: string, v: number | undefined, dflt: number): number {
  if (v === undefined) return dflt;
  if (!Number.isSafeInteger(v) || v <= 0) throw storageErrors.invalid(`cacher option ${name} must be a positive integer, got ${String(v)}`);
  return v;
}

export class Cacher implements Store {
  readonly prefix: string;
  private readonly clock: Clock;
  private readonly pageSize: number;
  private readonly writeWaitMs: number;
  private readonly retryMinMs: number;
  private readonly retryMaxMs: number;

  private readonly state = new Map<string, KeyValue>();
  private keys = new SortedKeys();
  private readonly ring: EventRing;
  private readonly hub = new WatchHub();
  /** The revision the cached state reflects. */
  private cacheRev = 0;
  /** State is loaded and the store watch is running. */
  private ready = false;
  /** Reads come from memory only once cacheRev reaches this (a write's revision the cache missed). */
  private minServeRev = 0;
  /** The highest revision compacted through this cacher; explicit reads below it go to the store. */
  private compactRev = 0;
  private upstream: Watcher | undefined;
  /** Bumped at each (re)initialization so callbacks of an abandoned watch are ignored. */
  private generation = 0;
  private waiters: Waiter[] = [];
  private retryTimer: TimerHandle | undefined;
  private retryDelay: number;
  private started = false;
  private closed = false;

  constructor(
    private readonly store: Store,
    opts: CacherOptions = {},
  ) {
    const prefix = opts.prefix ?? '/registry/';
    checkPrefix(prefix);
    this.prefix = prefix;
    this.ring = new EventRing(posInt('capacity', opts.capacity, 10_000));
    this.clock = opts.clock ?? realClock;
    this.pageSize = posInt('listPageSize', opts.listPageSize, 5000);
    this.writeWaitMs = posInt('writeWaitMs', opts.writeWaitMs, 10_000);
    this.retryMinMs = posInt('retryMinMs', opts.retryMinMs, 100);
    this.retryMaxMs = posInt('retryMaxMs', opts.retryMaxMs, 10_000);
    this.retryDelay = this.retryMinMs;
  }

  /** Loads the cache and starts its store watch. Rejects if the first load fails. */
  async start(): Promise<void> {
    if (this.closed) throw storageErrors.unavailable('cacher closed');
    if (this.started) return;
    this.started = true;
    try {
      await this.initialize();
    } catch (e) {
      this.started = false;
      throw e;
    }
  }

  /** True when reads are answered from memory (for tests and metrics). */
  get serving(): boolean {
    return this.ready && this.cacheRev >= this.minServeRev;
  }

  /** The revision the cache reflects. */
  get revision(): number {
    return this.cacheRev;
  }

  // ---- reads ----

  currentRevision(): Promise<number> {
    return this.store.currentRevision();
  }

  compactedRevision(): Promise<number> {
    return this.store.compactedRevision();
  }

  async get(key: string, opts?: { revision?: number }): Promise<GetResult> {
    this.checkOpen();
    checkKey(key);
    const rev = opts?.revision ?? 0;
    checkRevision('revision', rev);
    if (!key.startsWith(this.prefix) || !this.fromMemory(rev)) return this.store.get(key, opts);
    const kv = this.state.get(key);
    return { kv: kv === undefined ? undefined : { ...kv }, revision: this.cacheRev };
  }

  async list(prefix: string, opts?: ListOptions): Promise<ListResult> {
    this.checkOpen();
    const o = checkListOptions(prefix, opts);
    if (!prefix.startsWith(this.prefix) || !this.fromMemory(o.revision)) return this.store.list(prefix, opts);
    const kvs: KeyValue[] = [];
    let more = false;
    for (const k of this.keys.scan(prefix, o.after)) {
      if (o.limit > 0 && kvs.length === o.limit) {
        more = true;
        break;
      }
      kvs.push({ ...this.state.get(k)! });
    }
    return { kvs, more, revision: this.cacheRev };
  }

  async count(prefix: string): Promise<number> {
    this.checkOpen();
    checkPrefix(prefix);
    if (!prefix.startsWith(this.prefix) || !this.serving) return this.store.count(prefix);
    let n = 0;
    for (const _ of this.keys.scan(prefix)) n++;
    return n;
  }

  // ---- writes ----

  async create(key: string, value: string): Promise<WriteResult> {
    this.checkOpen();
    const r = await this.store.create(key, value);
    await this.applied(key, r.revision);
    return r;
  }

  async update(key: string, value: string, expectedModRevision: number): Promise<WriteResult> {
    this.checkOpen();
    const r = await this.store.update(key, value, expectedModRevision);
    await this.applied(key, r.revision);
    return r;
  }

  async delete(key: string, expectedModRevision?: number): Promise<DeleteResult> {
    this.checkOpen();
    const r = await this.store.delete(key, expectedModRevision);
    await this.applied(key, r.revision);
    return r;
  }

  async compact(revision: number): Promise<void> {
    this.checkOpen();
    await this.store.compact(revision);
    // Keep etcd's contract through the cache: nothing below a compacted revision is
    // served, even though the ring might still hold it.
    if (revision > this.compactRev) {
      this.compactRev = revision;
      this.ring.trimBelow(revision);
    }
  }

  // ---- watch ----

  watch(prefix: string, opts: WatchOptions, cb: WatchCallbacks): Watcher {
    const start = opts.startRevision ?? 0;
    try {
      this.checkOpen();
      checkPrefix(prefix);
      checkRevision('startRevision', start);
    } catch (e) {
      const sub = this.hub.subscribe(prefix, 0, cb);
      sub.fail(e as StorageError);
      return sub;
    }
    if (!prefix.startsWith(this.prefix) || !this.serving) return this.store.watch(prefix, opts, cb);
    if (start === 0) return this.hub.subscribe(prefix, this.cacheRev + 1, cb);
    if (start > this.cacheRev) return this.hub.subscribe(prefix, start, cb);
    if (start < this.ring.first || start < this.compactRev) return this.store.watch(prefix, opts, cb);
    const sub = this.hub.subscribe(prefix, start, cb, true);
    sub.backlog(this.ring.since(start));
    sub.caughtUp();
    return sub;
  }

  /** Number of watchers fed from the cache (for tests and metrics). */
  get watcherCount(): number {
    return this.hub.size;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.generation++;
    this.ready = false;
    this.upstream?.stop();
    this.upstream = undefined;
    if (this.retryTimer !== undefined) this.clock.clearTimeout(this.retryTimer);
    this.releaseWaiters();
    this.hub.failAll(storageErrors.unavailable('store closed'));
    await this.store.close();
  }

  // ---- internals ----

  /** Whether a read at `rev` (0 = latest) can be answered from memory. */
  private fromMemory(rev: number): boolean {
    if (!this.serving) return false;
    if (rev === 0) return true;
    return rev === this.cacheRev && rev >= this.compactRev;
  }

  /** Lists the prefix (in pages, at one revision), then watches from the next revision. */
  private async initialize(): Promise<void> {
    const gen = ++this.generation;
    const loaded: KeyValue[] = [];
    let rev = 0;
    let after: string | undefined;
    for (;;) {
      const page = await this.store.list(this.prefix, { limit: this.pageSize, after, revision: rev });
      if (gen !== this.generation) return;
      rev = page.revision;
      loaded.push(...page.kvs);
      if (!page.more) break;
      after = page.kvs[page.kvs.length - 1]!.key;
    }
    this.state.clear();
    this.keys = new SortedKeys();
    for (const kv of loaded) {
      this.state.set(kv.key, kv);
      this.keys.insert(kv.key);
    }
    this.cacheRev = rev;
    this.ring.reset(rev + 1);
    this.upstream = this.store.watch(this.prefix, { startRevision: rev + 1 }, {
      onEvents: (evs) => {
        if (gen === this.generation) this.apply(evs);
      },
      onError: (err) => {
        if (gen === this.generation) this.upstreamFailed(err);
      },
    });
    this.ready = true;
    this.retryDelay = this.retryMinMs;
    this.wakeWaiters();
  }

  private apply(evs: WatchEvent[]): void {
    const fresh: WatchEvent[] = [];
    for (const ev of evs) {
      if (ev.revision <= this.cacheRev) continue;
      const key = ev.kv.key;
      if (ev.type === 'delete') {
        this.state.delete(key);
        this.keys.remove(key);
      } else {
        if (!this.state.has(key)) this.keys.insert(key);
        this.state.set(key, ev.kv);
      }
      this.ring.push(ev);
      this.cacheRev = ev.revision;
      fresh.push(ev);
    }
    this.hub.publish(fresh);
    this.wakeWaiters();
  }

  /** The store watch ended: drop our watchers (they re-watch, as from any server) and re-list. */
  private upstreamFailed(err: StorageError): void {
    this.generation++;
    this.ready = false;
    this.upstream = undefined;
    this.releaseWaiters();
    this.hub.failAll(storageErrors.unavailable(`watch cache re-initializing after: ${err.message}`));
    if (!this.closed) this.scheduleRetry();
  }

  private scheduleRetry(): void {
    const delay = this.retryDelay;
    this.retryDelay = Math.min(this.retryMaxMs, this.retryDelay * 2);
    this.retryTimer = this.clock.setTimeout(() => {
      this.retryTimer = undefined;
      if (this.closed) return;
      this.initialize().catch(() => {
        if (!this.closed) this.scheduleRetry();
      });
    }, delay);
  }

  /** Resolves once the cache has applied `revision` (or has handed reads to the store until it does). */
  private applied(key: string, revision: number): Promise<void> {
    if (!key.startsWith(this.prefix) || this.cacheRev >= revision) return Promise.resolve();
    if (!this.ready) {
      this.minServeRev = Math.max(this.minServeRev, revision);
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      const w: Waiter = {
        revision,
        resolve,
        timer: this.clock.setTimeout(() => {
          this.waiters = this.waiters.filter((x) => x !== w);
          this.minServeRev = Math.max(this.minServeRev, revision);
          resolve();
        }, this.writeWaitMs),
      };
      this.waiters.push(w);
    });
  }

  private wakeWaiters(): void {
    if (this.waiters.length === 0) return;
    const keep: Waiter[] = [];
    for (const w of this.waiters) {
      if (this.ready && this.cacheRev >= w.revision) {
        this.clock.clearTimeout(w.timer);
        w.resolve();
      } else keep.push(w);
    }
    this.waiters = keep;
  }

  /** The cache cannot confirm these writes now: serve reads from the store until it can. */
  private releaseWaiters(): void {
    for (const w of this.waiters) {
      this.minServeRev = Math.max(this.minServeRev, w.revision);
      this.clock.clearTimeout(w.timer);
      w.resolve();
    }
    this.waiters = [];
  }

  private checkOpen(): void {
    if (this.closed) throw storageErrors.unavailable('store closed');
  }
}
