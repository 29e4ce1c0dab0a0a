/**
 * The reflector keeps a store in step with the server: list, then watch from the
 * list's resourceVersion, applying every event to the store, as client-go's
 * tools/cache/reflector.go.
 *
 * Contract:
 *   - The first list replaces the store's content (store.replace) and makes hasSynced()
 *     true. Every event after that is applied in server order; BOOKMARK events only
 *     move the resume point forward.
 *   - A watch that ends normally (its timeoutSeconds ran out; each watch asks for a
 *     random timeout between minWatchTimeoutSeconds and twice that) is renewed at once
 *     from the last resourceVersion seen: no relist, no event lost.
 *   - 410 Gone/Expired (at watch start or as an ERROR event) means the resume point
 *     was compacted away: after a backoff wait the reflector relists with a consistent
 *     read (resourceVersion "") and replaces the store. A 410 while listing (a stale
 *     version or continue token) falls back to a consistent list at once.
 *   - Other failures wait an exponential backoff with jitter on the injected clock
 *     (800 ms doubling to 30 s, reset after 2 quiet minutes) before retrying: a broken
 *     connection, a refused watch, 429 or a watch that ended at once re-watch from the
 *     last resourceVersion; a failed list or an ERROR event relists.
 */
import { isResourceExpired, isConnectionError, isTooManyRequests, statusToError } from './errors.js';
import type { ListOptions, RestClient, WatchOptions } from './rest.js';
import type { KubeObject, ObjectList, ResourceRef, WatchEvent } from './types.js';
import { realClock, type Clock } from '../util/clock.js';
import { Backoff, Sleeper, type BackoffOptions } from './backoff.js';

/** A watch the reflector can consume: events in order, stop(), and why it broke. */
export interface WatchLike<T extends KubeObject> extends AsyncIterable<WatchEvent<T>> {
  stop(): void;
  readonly error?: unknown;
}

/** Where a reflector lists and watches: usually listWatcherFor(client, ref). */
export interface ListerWatcher<T extends KubeObject> {
  list(opts: ListOptions): Promise<ObjectList<T>>;
  watch(opts: WatchOptions): Promise<WatchLike<T>>;
}

export interface ListWatchSelectors {
  labelSelector?: string;
  fieldSelector?: string;
}

/** A ListerWatcher over the REST client for one resource (namespace in ref, or all). */
export function listWatcherFor<T extends KubeObject = KubeObject>(client: RestClient, ref: ResourceRef, sel: ListWatchSelectors = {}): ListerWatcher<T> {
  const base = { ...ref, name: '' };
  const extra = {
    ...(sel.labelSelector ? { labelSelector: sel.labelSelector } : {}),
    ...(sel.fieldSelector ? { fieldSelector: sel.fieldSelector } : {}),
  };
  return {
    list: (o) => client.list<T>(base, { ...o, ...extra }),
    watch: (o) => client.watch<T>(base, { ...o, ...extra }),
  };
}

/** What a reflector feeds. */
export interface ReflectorStore<T extends KubeObject> {
  /** A full list: the content becomes exactly items (as of resourceVersion). */
  replace(items: T[], resourceVersion: string): void;
  add(obj: T): void;
  update(obj: T): void;
  delete(obj: T): void;
}

export interface ReflectorOptions<T extends KubeObject> {
  /** For messages, e.g. "pods". */
  name?: string;
  listerWatcher: ListerWatcher<T>;
  store: ReflectorStore<T>;
  clock?: Clock;
  /** Items per list page (default 500, client-go's); 0 lists in one piece. */
  pageSize?: number;
  /** Lower bound of each watch's timeoutSeconds (default 300: watches last 5 to 10 minutes). */
  minWatchTimeoutSeconds?: number;
  allowWatchBookmarks?: boolean;
  backoff?: Partial<BackoffOptions>;
  /** Randomness for jitter and watch timeouts (tests pin it). */
  random?: () => number;
  /** Told about every failure (default: logged to stderr). */
  onError?: (err: unknown) => void;
  /** Timeout of each list request (default: the client's). */
  listTimeoutMs?: number;
}

/** A watch with no events that ended sooner than this counts as a failure (client-go: "very short watch"). */
const SHORT_WATCH_MS = 1000;

class RelistNeeded extends Error {}

export class Reflector<T extends KubeObject = KubeObject> {
  readonly name: string;
  private readonly lw: ListerWatcher<T>;
  private readonly store: ReflectorStore<T>;
  private readonly clock: Clock;
  private readonly pageSize: number;
  private readonly minWatchTimeout: number;
  private readonly bookmarks: boolean;
  private readonly random: () => number;
  private readonly onError: (err: unknown) => void;
  private readonly listTimeoutMs: number | undefined;
  private readonly backoff: Backoff;
  private readonly sleeper: Sleeper;

  private lastRV = '';
  private lastRVUnavailable = false;
  private synced = false;
  private stopped = false;
  private loop: Promise<void> | undefined;
  private currentWatch: WatchLike<T> | undefined;
  private abort: AbortController | undefined;
  private syncWaiters: (() => void)[] = [];

  constructor(opts: ReflectorOptions<T>) {
    if (opts.listerWatcher === undefined || opts.store === undefined) throw new Error('ReflectorOptions needs listerWatcher and store');
    this.name = opts.name ?? 'reflector';
    this.lw = opts.listerWatcher;
    this.store = opts.store;
    this.clock = opts.clock ?? realClock;
    this.pageSize = opts.pageSize ?? 500;
    this.minWatchTimeout = opts.minWatchTimeoutSeconds ?? 300;
    if (!(this.pageSize >= 0) || !(this.minWatchTimeout > 0)) throw new Error('pageSize must be >= 0 and minWatchTimeoutSeconds > 0');
    this.bookmarks = opts.allowWatchBookmarks ?? true;
    this.random = opts.random ?? Math.random;
    this.onError = opts.onError ?? ((e) => console.error(`kubelite reflector ${this.name}:`, e instanceof Error ? e.message : e));
    this.listTimeoutMs = opts.listTimeoutMs;
    this.backoff = new Backoff(opts.backoff ?? {}, this.clock, this.random);
    this.sleeper = new Sleeper(this.clock);
  }

  /** Starts the list/watch loop; idempotent. */
  start(): void {
    if (this.loop !== undefined || this.stopped) return;
    this.loop = this.run();
  }

  /** Stops the loop and the current watch; resolves when the loop has ended. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.sleeper.interrupt();
    this.abort?.abort();
    this.currentWatch?.stop();
    for (const w of this.syncWaiters.splice(0)) w();
    await this.loop;
  }

  /** True once the first list has been applied. */
  hasSynced(): boolean {
    return this.synced;
  }

  /** Resolves true once synced, false if stopped first. */
  waitForSync(): Promise<boolean> {
    if (this.synced) return Promise.resolve(true);
    if (this.stopped) return Promise.resolve(false);
    return new Promise((r) => this.syncWaiters.push(() => r(this.synced)));
  }

  /** The resourceVersion the next watch resumes from. */
  lastSyncResourceVersion(): string {
    return this.lastRV;
  }

  private async run(): Promise<void> {
    let needList = true;
    while (!this.stopped) {
      let wait = false;
      try {
        if (needList) {
          await this.list();
          needList = false;
        }
        const outcome = await this.watchOnce();
        if (outcome !== 'renew') wait = true;
        if (outcome === 'relist') needList = true;
      } catch (e) {
        if (this.stopped) break;
        needList = true;
        // A compacted list version falls back to a consistent list at once; anything else waits.
        if (!(e instanceof RelistNeeded)) {
          this.onError(e);
          wait = true;
        }
      }
      if (wait && !this.stopped) await this.sleeper.sleep(this.backoff.next());
    }
  }

  /** client-go's relistResourceVersion: after a 410 a consistent read, first time "any", else where we were. */
  private relistRV(): string {
    if (this.lastRVUnavailable) return '';
    if (this.lastRV === '') return '0';
    return this.lastRV;
  }

  private async list(): Promise<void> {
    const rv = this.relistRV();
    const items: T[] = [];
    let listRV = '';
    let cont: string | undefined;
    const ac = new AbortController();
    this.abort = ac;
    try {
      // "0" is served from the cache in one piece; paging would only slow it down.
      const paged = this.pageSize > 0 && rv !== '0';
      do {
        const opts: ListOptions = { signal: ac.signal };
        if (this.listTimeoutMs !== undefined) opts.timeoutMs = this.listTimeoutMs;
        if (cont !== undefined) opts.continue = cont;
        else opts.resourceVersion = rv;
        if (paged) opts.limit = this.pageSize;
        let page: ObjectList<T>;
        try {
          page = await this.lw.list(opts);
        } catch (e) {
          if (isResourceExpired(e) && rv !== '') {
            // The list's version (or a continue token) was compacted: read the latest instead.
            this.onError(e);
            this.lastRVUnavailable = true;
            throw new RelistNeeded();
          }
          throw e;
        }
        items.push(...page.items);
        listRV = page.metadata.resourceVersion ?? listRV;
        cont = paged && page.metadata.continue ? page.metadata.continue : undefined;
      } while (cont !== undefined && !this.stopped);
    } finally {
      this.abort = undefined;
    }
    if (this.stopped) return;
    this.store.replace(items, listRV);
    this.lastRV = listRV;
    this.lastRVUnavailable = false;
    if (!this.synced) {
      this.synced = true;
      for (const w of this.syncWaiters.splice(0)) w();
    }
  }

  /** One watch, start to end: 'renew' to re-watch at once, 'backoff' to re-watch after a wait, 'relist' after a wait. */
  private async watchOnce(): Promise<'renew' | 'backoff' | 'relist'> {
    const timeoutSeconds = Math.floor(this.minWatchTimeout * (1 + this.random()));
    let w: WatchLike<T>;
    const ac = new AbortController();
    this.abort = ac;
    try {
      w = await this.lw.watch({ resourceVersion: this.lastRV, allowWatchBookmarks: this.bookmarks, timeoutSeconds, signal: ac.signal });
    } catch (e) {
      if (this.stopped) return 'renew';
      this.onError(e);
      if (isResourceExpired(e)) {
        this.lastRVUnavailable = true;
        return 'relist';
      }
      if (isConnectionError(e) || isTooManyRequests(e)) return 'backoff';
      return 'relist';
    } finally {
      this.abort = undefined;
    }
    this.currentWatch = w;
    if (this.stopped) w.stop();
    const started = this.clock.now();
    let events = 0;
    try {
      for await (const ev of w) {
        if (this.stopped) break;
        events++;
        if (ev.type === 'ERROR') {
          const err = statusToError(ev.object);
          this.onError(err);
          w.stop();
          if (isResourceExpired(err)) this.lastRVUnavailable = true;
          return 'relist';
        }
        const obj = ev.object;
        const rv = obj.metadata?.resourceVersion;
        if (ev.type !== 'BOOKMARK') {
          if (typeof obj.metadata?.name !== 'string') {
            this.onError(new Error(`watch event ${ev.type} without metadata.name`));
            continue;
          }
          if (ev.type === 'ADDED') this.store.add(obj);
          else if (ev.type === 'MODIFIED') this.store.update(obj);
          else this.store.delete(obj);
        }
        if (typeof rv === 'string' && rv !== '') this.lastRV = rv;
      }
    } finally {
      this.currentWatch = undefined;
    }
    if (this.stopped) return 'renew';
    if (w.error !== undefined) {
      this.onError(w.error);
      return 'backoff';
    }
    if (events === 0 && this.clock.now() - started < SHORT_WATCH_MS) {
      this.onError(new Error(`watch of ${this.name} ended at once with no events (very short watch)`));
      return 'backoff';
    }
    return 'renew';
  }
}
