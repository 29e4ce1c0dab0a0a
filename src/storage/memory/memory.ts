/**
 * The in-memory driver: full etcd semantics with nothing durable. Used by tests and by
 * `kubelite up --store memory`. Every key keeps its versions so reads at a past
 * revision and watches from a past revision work until compaction discards them;
 * a global event log (one entry per revision) serves watch catch-up.
 *
 * All work is synchronous under the async API, so a write is atomic by construction and
 * writes are naturally serialized.
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
import { SortedKeys } from '../sortedkeys.js';
import { WatchHub } from '../watchhub.js';
import { checkExpected, checkKey, checkListOptions, checkPrefix, checkRevision, checkValue } from '../request.js';

/** One version of a key. A tombstone's kv holds the deleted value and the delete's revision. */
interface Version {
  kv: KeyValue;
  deleted: boolean;
}

export class MemoryStore implements Store {
  private rev = 0;
  private compactRev = 0;
  /** Versions per key, oldest first. A key is here while any version is kept. */
  private readonly history = new Map<string, Version[]>();
  private readonly keys = new SortedKeys();
  /** Events with revisions logBase, logBase+1, ...: revisions are dense, so index = rev - logBase. */
  private log: WatchEvent[] = [];
  private logBase = 1;
  /** Keys whose history compaction may shorten (written since they were last trimmed). */
  private readonly untrimmed = new Set<string>();
  private readonly hub = new WatchHub();
  private closed = false;

  async currentRevision(): Promise<number> {
    this.checkOpen();
    return this.rev;
  }

  async compactedRevision(): Promise<number> {
    this.checkOpen();
    return this.compactRev;
  }

  async get(key: string, opts?: { revision?: number }): Promise<GetResult> {
    this.checkOpen();
    checkKey(key);
    const at = this.readRevision(opts?.revision ?? 0);
    const v = this.versionAt(key, at);
    return { kv: v === undefined || v.deleted ? undefined : { ...v.kv }, revision: at };
  }

  async list(prefix: string, opts?: ListOptions): Promise<ListResult> {
    this.checkOpen();
    const o = checkListOptions(prefix, opts);
    const at = this.readRevision(o.revision);
    const kvs: KeyValue[] = [];
    let more = false;
    for (const k of this.keys.scan(prefix, o.after)) {
      const v = this.versionAt(k, at);
      if (v === undefined || v.deleted) continue;
      if (o.limit > 0 && kvs.length === o.limit) {
        more = true;
        break;
      }
      kvs.push({ ...v.kv });
    }
    return { kvs, more, revision: at };
  }

  async count(prefix: string): Promise<number> {
    this.checkOpen();
    checkPrefix(prefix);
    let n = 0;
    for (const k of this.keys.scan(prefix)) {
      const h = this.history.get(k)!;
      if (!h[h.length - 1]!.deleted) n++;
    }
    return n;
  }

  async create(key: string, value: string): Promise<WriteResult> {
    this.checkOpen();
    checkKey(key);
    checkValue(value);
    const cur = this.latest(key);
    if (cur !== undefined && !cur.deleted) throw storageErrors.keyExists(key, { ...cur.kv });
    const rev = this.rev + 1;
    const kv = Object.freeze({ key, value, createRevision: rev, modRevision: rev });
    this.commit(key, { kv, deleted: false }, { type: 'create', kv, revision: rev });
    return { revision: rev, kv: { ...kv } };
  }

  async update(key: string, value: string, expectedModRevision: number): Promise<WriteResult> {
    this.checkOpen();
    checkKey(key);
    checkValue(value);
    checkExpected(expectedModRevision);
    const cur = this.live(key, expectedModRevision);
    const rev = this.rev + 1;
    const kv = Object.freeze({ key, value, createRevision: cur.kv.createRevision, modRevision: rev });
    this.commit(key, { kv, deleted: false }, { type: 'update', kv, prevKv: cur.kv, revision: rev });
    return { revision: rev, kv: { ...kv } };
  }

  async delete(key: string, expectedModRevision?: number): Promise<DeleteResult> {
    this.checkOpen();
    checkKey(key);
    if (expectedModRevision !== undefined) checkExpected(expectedModRevision);
    const cur = this.live(key, expectedModRevision);
    const rev = this.rev + 1;
    const kv = Object.freeze({ key, value: cur.kv.value, createRevision: cur.kv.createRevision, modRevision: rev });
    this.commit(key, { kv, deleted: true }, { type: 'delete', kv, prevKv: cur.kv, revision: rev });
    return { revision: rev, prevKv: { ...cur.kv } };
  }

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
    if (start === 0) return this.hub.subscribe(prefix, this.rev + 1, cb);
    const sub = this.hub.subscribe(prefix, start, cb, true);
    if (start < this.compactRev) {
      sub.fail(storageErrors.compacted(start, this.compactRev));
      return sub;
    }
    // History is all in memory: hand it over now, in the same turn as the subscription,
    // so no write can slip between the backlog and the live stream.
    const from = Math.max(0, start - this.logBase);
    if (from < this.log.length) {
      const backlog: WatchEvent[] = [];
      for (let i = from; i < this.log.length; i++) {
        const ev = this.log[i]!;
        if (ev.kv.key.startsWith(prefix)) backlog.push(ev);
      }
      sub.backlog(backlog);
    }
    sub.caughtUp();
    return sub;
  }

  async compact(revision: number): Promise<void> {
    this.checkOpen();
    checkRevision('compact revision', revision);
    if (revision <= this.compactRev) return;
    if (revision > this.rev) throw storageErrors.futureRevision(revision, this.rev);
    this.compactRev = revision;
    // Watch history: revisions from `revision` on stay, so a watch at exactly the
    // compacted revision still sees that revision's event.
    this.log = this.log.slice(revision - this.logBase);
    this.logBase = revision;
    // Key history: keep versions at or above `revision`, plus the newest older version
    // when it is live (it is the key's value as of `revision`). Older tombstones go.
    for (const key of this.untrimmed) {
      const h = this.history.get(key)!;
      let firstKept = h.length;
      while (firstKept > 0 && h[firstKept - 1]!.kv.modRevision >= revision) firstKept--;
      if (firstKept > 0 && !h[firstKept - 1]!.deleted) firstKept--;
      const kept = firstKept === 0 ? h : h.slice(firstKept);
      if (kept.length === 0) {
        this.history.delete(key);
        this.keys.remove(key);
        this.untrimmed.delete(key);
        continue;
      }
      if (kept !== h) this.history.set(key, kept);
      if (kept.length === 1 && !kept[0]!.deleted) this.untrimmed.delete(key);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.hub.failAll(storageErrors.unavailable('store closed'));
  }

  private commit(key: string, v: Version, ev: WatchEvent): void {
    let h = this.history.get(key);
    if (h === undefined) {
      h = [];
      this.history.set(key, h);
      this.keys.insert(key);
    }
    h.push(v);
    this.untrimmed.add(key);
    const frozen = Object.freeze(ev);
    this.log.push(frozen);
    this.rev = ev.revision;
    this.hub.publish([frozen]);
  }

  /** The key's live version, checked against the expected modRevision. */
  private live(key: string, expected: number | undefined): Version {
    const cur = this.latest(key);
    if (cur === undefined || cur.deleted) throw storageErrors.keyNotFound(key);
    if (expected !== undefined && cur.kv.modRevision !== expected) {
      throw storageErrors.conflict(key, expected, { ...cur.kv });
    }
    return cur;
  }

  private latest(key: string): Version | undefined {
    const h = this.history.get(key);
    return h === undefined ? undefined : h[h.length - 1];
  }

  /** The newest version of key with modRevision <= at (binary search). */
  private versionAt(key: string, at: number): Version | undefined {
    const h = this.history.get(key);
    if (h === undefined) return undefined;
    if (h[h.length - 1]!.kv.modRevision <= at) return h[h.length - 1];
    let lo = 0;
    let hi = h.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (h[mid]!.kv.modRevision <= at) lo = mid + 1;
      else hi = mid;
    }
    return lo === 0 ? undefined : h[lo - 1];
  }

  /** Resolves a requested read revision (0 = latest), refusing compacted and future ones. */
  private readRevision(requested: number): number {
    checkRevision('revision', requested);
    if (requested === 0) return this.rev;
    if (requested > this.rev) throw storageErrors.futureRevision(requested, this.rev);
    if (requested < this.compactRev) throw storageErrors.compacted(requested, this.compactRev);
    return requested;
  }

  private checkOpen(): void {
    if (this.closed) throw storageErrors.unavailable('store closed');
  }
}
