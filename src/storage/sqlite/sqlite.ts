/**
 * The default durable driver: a kine-style revision log in one SQLite file
 * (better-sqlite3, synchronous, in this process).
 *
 * Every write appends one row to `log`, whose id IS the revision: a create, an update
 * or a tombstone (deleted=1, holding the deleted value). A key's state at revision R is
 * its newest row with id <= R. Reads at past revisions and watch catch-up are plain
 * range scans of that log; live watches are fed from the write path after commit, so
 * the database is never polled.
 *
 * Durability. journal_mode=WAL, and synchronous=FULL by default: each commit fsyncs the
 * WAL before the write is acknowledged, so an acknowledged write survives power loss as
 * well as kill -9. synchronous=NORMAL (an option) fsyncs only at checkpoints: a commit
 * is then a write() into the OS page cache, which survives the process being killed at
 * any moment (the kernel still has the pages) but can lose the last transactions on
 * power loss or a kernel crash. The requirement is process kill, which both meet; FULL
 * is the default because on the disks measured (see bench/store.ts) it costs little
 * next to the per-write overhead of the API server above it.
 *
 * Concurrency. One process owns the file (locking_mode=EXCLUSIVE, so a second opener
 * fails instead of forking the revision counter) and one connection does all work.
 * better-sqlite3 is synchronous, so writes are serialized by construction.
 *
 * Group commit. A write is queued, and the queue is committed at the end of the current
 * turn of the event loop (setImmediate) as one transaction with one fsync. The commit
 * blocks the loop, so the requests that arrive meanwhile pile up in the sockets, are all
 * read in the next turn, and their writes make the next batch: under load, one fsync
 * per turn instead of one per write. A lone write pays one more turn of the loop, which
 * measured as nothing next to its fsync (BENCHMARKS.md). Inside the batch each write is
 * applied in call order with its own checks (create if absent, modRevision match)
 * against the state the earlier writes of the batch left, and takes the next revision
 * only if it succeeds, so revisions stay gap-free and a refused write costs nothing.
 * Promises settle only after COMMIT returned (the fsync with synchronous=FULL): nothing
 * is acknowledged before it is durable. If SQLite itself fails anywhere in the batch, the
 * whole transaction rolls back and every write of the batch fails with Unavailable; none
 * was acknowledged, so none is lost.
 *
 * Compaction deletes every row below the compacted revision C that a later row below C
 * supersedes, and tombstones below C. It keeps, for each key, the newest row below C
 * even when a row at exactly C replaced it, because the event at C needs it as prevKv.
 * Deleting in id-ordered batches keeps reads consistent between batches (an older row
 * always goes before the row that superseded it). Afterwards `PRAGMA incremental_vacuum`
 * returns free pages (auto_vacuum=INCREMENTAL is set when the file is created) and a
 * TRUNCATE checkpoint empties the WAL, so the files stay bounded under churn.
 */
import { mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type {
  DeleteResult,
  GetResult,
  KeyValue,
  ListOptions,
  ListResult,
  Store,
  WatchCallbacks,
  WatchEvent,
  WatchOptions,
  Watcher,
  WriteResult,
} from '../interface.js';
import { isStorageError, type StorageError } from '../interface.js';
import { storageErrors } from '../errors.js';
import { prefixEnd } from '../keys.js';
import { checkExpected, checkKey, checkListOptions, checkPrefix, checkRevision, checkValue } from '../request.js';
import { WatchHub, type Subscription } from '../watchhub.js';
import { realClock, type Clock, type TimerHandle } from '../../util/clock.js';

export interface SqliteStoreOptions {
  /** The database file; its directory is created if missing. */
  path: string;
  /** Drives the periodic WAL checkpoint. */
  clock?: Clock;
  /** FULL (default): fsync per commit. NORMAL: survives process kill, not power loss. */
  synchronous?: 'FULL' | 'NORMAL';
  /** Hold an exclusive lock on the file for the store's lifetime (default true). */
  exclusive?: boolean;
  /** How long open waits for another process's lock before failing (default 5000). */
  busyTimeoutMs?: number;
  /** How often the WAL is checkpointed and truncated if there were writes (default 60 s). */
  checkpointIntervalMs?: number;
  /** WAL size at which SQLite checkpoints by itself, in pages (default 1000, ~4 MiB). */
  walAutocheckpointPages?: number;
  /** The WAL is truncated to at most this after a checkpoint (default 4 MiB). */
  journalSizeLimitBytes?: number;
  /** Rows examined per compaction transaction (default 10000). */
  compactBatchRows?: number;
  /** Revisions read per step of a watch catch-up (default 1000). */
  watchPageRevisions?: number;
}

type ResolvedOptions = Required<SqliteStoreOptions>;

function positiveInt(name: string, v: unknown, dflt: number): number {
  if (v === undefined) return dflt;
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v <= 0) {
    throw storageErrors.invalid(`sqlite option ${name} must be a positive integer, got ${String(v)}`);
  }
  return v;
}

export function resolveSqliteOptions(o: SqliteStoreOptions): ResolvedOptions {
  if (typeof o?.path !== 'string' || o.path === '' || o.path === ':memory:' || o.path.startsWith('file:')) {
    throw storageErrors.invalid('sqlite option path must be a file path (use the memory driver for an in-memory store)');
  }
  const sync = o.synchronous ?? 'FULL';
  if (sync !== 'FULL' && sync !== 'NORMAL') throw storageErrors.invalid(`sqlite option synchronous must be FULL or NORMAL, got ${String(sync)}`);
  if (o.exclusive !== undefined && typeof o.exclusive !== 'boolean') throw storageErrors.invalid('sqlite option exclusive must be a boolean');
  return {
    path: o.path,
    clock: o.clock ?? realClock,
    synchronous: sync,
    exclusive: o.exclusive ?? true,
    busyTimeoutMs: o.busyTimeoutMs === 0 ? 0 : positiveInt('busyTimeoutMs', o.busyTimeoutMs, 5000),
    checkpointIntervalMs: positiveInt('checkpointIntervalMs', o.checkpointIntervalMs, 60_000),
    walAutocheckpointPages: positiveInt('walAutocheckpointPages', o.walAutocheckpointPages, 1000),
    journalSizeLimitBytes: positiveInt('journalSizeLimitBytes', o.journalSizeLimitBytes, 4 * 1024 * 1024),
    compactBatchRows: positiveInt('compactBatchRows', o.compactBatchRows, 10_000),
    watchPageRevisions: positiveInt('watchPageRevisions', o.watchPageRevisions, 1000),
  };
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS log (
  id INTEGER PRIMARY KEY,          -- the revision of this write
  name TEXT NOT NULL,              -- the key
  created INTEGER NOT NULL,        -- 1 for a create
  deleted INTEGER NOT NULL,        -- 1 for a tombstone
  create_revision INTEGER NOT NULL,
  prev_revision INTEGER NOT NULL,  -- the row this one supersedes (0 for a create)
  value TEXT NOT NULL              -- for a tombstone: the deleted value
);
-- (name, id) finds a key's row at a revision; deleted makes it covering for list/count.
CREATE INDEX IF NOT EXISTS log_name_id ON log (name, id, deleted);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
`;
const SCHEMA_VERSION = 1;

interface CurrentRow {
  id: number;
  deleted: number;
  create_revision: number;
  value: string;
}

type WriteOp =
  | { type: 'create'; key: string; value: string }
  | { type: 'update'; key: string; value: string; expected: number }
  | { type: 'delete'; key: string; expected: number | undefined };

interface QueuedWrite {
  op: WriteOp;
  resolve: (ev: WatchEvent) => void;
  reject: (err: StorageError) => void;
}

interface LogRow {
  id: number;
  name: string;
  created: number;
  deleted: number;
  create_revision: number;
  prev_revision: number;
  value: string;
  prev_value: string | null;
  prev_create: number | null;
}

export class SqliteStore implements Store {
  private readonly opts: ResolvedOptions;
  private readonly db: Database.Database;
  private readonly hub = new WatchHub();
  private rev: number;
  private compactRev: number;
  private closed = false;
  private writesSinceCheckpoint = 0;
  private checkpointTimer: TimerHandle | undefined;
  private compaction: Promise<void> = Promise.resolve();
  /** Writes waiting for the group commit at the end of this turn, in call order. */
  private queue: QueuedWrite[] = [];
  private flushScheduled = false;
  private commits = 0;
  private committedWrites = 0;

  private readonly stLatest: Database.Statement<[string], CurrentRow>;
  private readonly stAt: Database.Statement<[string, number], CurrentRow>;
  private readonly stInsert: Database.Statement<[number, string, number, number, number, number, string]>;
  private readonly stValue: Database.Statement<[number], { value: string; create_revision: number }>;
  private readonly stSetMeta: Database.Statement<[string, number]>;
  private readonly stCompactBoundary: Database.Statement<[number, number, number], { id: number }>;
  private readonly stCompactDelete: Database.Statement<[number, number, number]>;
  /** Range statements come in variants (exclusive start for a continue key; no end for the empty prefix). */
  private readonly ranged = new Map<string, Database.Statement>();
  private readonly tx: <T>(fn: () => T) => T;

  constructor(options: SqliteStoreOptions) {
    this.opts = resolveSqliteOptions(options);
    try {
      mkdirSync(dirname(this.opts.path), { recursive: true });
      this.db = new Database(this.opts.path, { timeout: this.opts.busyTimeoutMs });
    } catch (e) {
      throw storageErrors.unavailable(`cannot open ${this.opts.path}: ${(e as Error).message}`);
    }
    try {
      this.configure();
    } catch (e) {
      this.db.close();
      throw isStorageError(e) ? e : storageErrors.unavailable(`cannot open ${this.opts.path}: ${(e as Error).message}`);
    }
    const db = this.db;
    this.stLatest = db.prepare('SELECT id, deleted, create_revision, value FROM log WHERE name = ? ORDER BY id DESC LIMIT 1');
    this.stAt = db.prepare('SELECT id, deleted, create_revision, value FROM log WHERE name = ? AND id <= ? ORDER BY id DESC LIMIT 1');
    this.stInsert = db.prepare(
      'INSERT INTO log (id, name, created, deleted, create_revision, prev_revision, value) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    this.stValue = db.prepare('SELECT value, create_revision FROM log WHERE id = ?');
    this.stSetMeta = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
    this.stCompactBoundary = db.prepare('SELECT id FROM log WHERE id >= ? AND id < ? ORDER BY id LIMIT 1 OFFSET ?');
    // A row below C goes when a newer row of the same key below C supersedes it, or
    // when it is a tombstone (the key is absent as of C either way).
    this.stCompactDelete = db.prepare(
      `DELETE FROM log WHERE id >= ? AND id < ? AND (deleted = 1 OR EXISTS
         (SELECT 1 FROM log n WHERE n.name = log.name AND n.id > log.id AND n.id < ?))`,
    );
    const wrapped = db.transaction((fn: () => unknown) => fn());
    this.tx = <T>(fn: () => T): T => wrapped(fn) as T;

    const meta = db.prepare<[string], { value: number }>('SELECT value FROM meta WHERE key = ?');
    this.compactRev = meta.get('compact_revision')?.value ?? 0;
    const maxId = db.prepare<[], { m: number | null }>('SELECT MAX(id) AS m FROM log').get()?.m ?? 0;
    // Compaction never removes the newest row (it only deletes below the compacted
    // revision, which is at most the current one), so the log's top id is the revision.
    this.rev = Math.max(maxId, this.compactRev);
    this.scheduleCheckpoint();
  }

  /** Pragmas and schema. Order matters: locking mode before WAL, auto_vacuum before any table. */
  private configure(): void {
    const db = this.db;
    if (this.opts.exclusive) db.pragma('locking_mode = EXCLUSIVE');
    const fresh = db.prepare("SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table'").get() as { n: number };
    if (fresh.n === 0) db.pragma('auto_vacuum = INCREMENTAL');
    const mode = db.pragma('journal_mode = WAL', { simple: true });
    if (mode !== 'wal') throw storageErrors.unavailable(`cannot enable WAL on ${this.opts.path} (journal_mode is ${String(mode)})`);
    db.pragma(`synchronous = ${this.opts.synchronous}`);
    db.pragma(`wal_autocheckpoint = ${this.opts.walAutocheckpointPages}`);
    db.pragma(`journal_size_limit = ${this.opts.journalSizeLimitBytes}`);
    db.exec(SCHEMA);
    // A file created elsewhere without incremental auto-vacuum is converted once, so
    // compaction can give pages back.
    if (db.pragma('auto_vacuum', { simple: true }) !== 2) {
      db.pragma('auto_vacuum = INCREMENTAL');
      db.exec('VACUUM');
    }
    const version = db.prepare("SELECT value FROM meta WHERE key = 'schema_version'").get() as { value: number } | undefined;
    if (version === undefined) db.prepare("INSERT INTO meta (key, value) VALUES ('schema_version', ?)").run(SCHEMA_VERSION);
    else if (version.value !== SCHEMA_VERSION) {
      throw storageErrors.unavailable(`${this.opts.path} has schema version ${version.value}, this build reads ${SCHEMA_VERSION}`);
    }
  }

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
    const row = this.sql(() => (at === this.rev ? this.stLatest.get(key) : this.stAt.get(key, at)));
    if (row === undefined || row.deleted !== 0) return { kv: undefined, revision: at };
    return { kv: { key, value: row.value, createRevision: row.create_revision, modRevision: row.id }, revision: at };
  }

  async list(prefix: string, opts?: ListOptions): Promise<ListResult> {
    this.checkOpen();
    const o = checkListOptions(prefix, opts);
    const at = this.readRevision(o.revision);
    const end = prefixEnd(prefix);
    const groups = this.rangeStatement<{ id: number; deleted: number; name: string }>(
      'list',
      o.after !== undefined,
      end !== undefined,
      (lo, hi) => `SELECT name, MAX(id) AS id, deleted FROM log WHERE ${lo}${hi} AND id <= ? GROUP BY name ORDER BY name`,
    );
    const args: (string | number)[] = [o.after ?? prefix];
    if (end !== undefined) args.push(end);
    args.push(at);
    const kvs: KeyValue[] = [];
    let more = false;
    this.sql(() => {
      // Walk the covering index one key at a time and fetch values only for live keys,
      // so a small page of a large range reads a page's worth of rows, not the range.
      for (const g of groups.iterate(...args)) {
        if (g.deleted !== 0) continue;
        if (o.limit > 0 && kvs.length === o.limit) {
          more = true;
          break;
        }
        const v = this.stValue.get(g.id)!;
        kvs.push({ key: g.name, value: v.value, createRevision: v.create_revision, modRevision: g.id });
      }
    });
    return { kvs, more, revision: at };
  }

  async count(prefix: string): Promise<number> {
    this.checkOpen();
    checkPrefix(prefix);
    const end = prefixEnd(prefix);
    const st = this.rangeStatement<{ n: number }>(
      'count',
      false,
      end !== undefined,
      (lo, hi) => `SELECT COUNT(*) AS n FROM (SELECT MAX(id), deleted FROM log WHERE ${lo}${hi} GROUP BY name) WHERE deleted = 0`,
    );
    return this.sql(() => (end === undefined ? st.get(prefix) : st.get(prefix, end))!.n);
  }

  async create(key: string, value: string): Promise<WriteResult> {
    this.checkOpen();
    checkKey(key);
    checkValue(value);
    const ev = await this.enqueue({ type: 'create', key, value });
    return { revision: ev.revision, kv: { ...ev.kv } };
  }

  async update(key: string, value: string, expectedModRevision: number): Promise<WriteResult> {
    this.checkOpen();
    checkKey(key);
    checkValue(value);
    checkExpected(expectedModRevision);
    const ev = await this.enqueue({ type: 'update', key, value, expected: expectedModRevision });
    return { revision: ev.revision, kv: { ...ev.kv } };
  }

  async delete(key: string, expectedModRevision?: number): Promise<DeleteResult> {
    this.checkOpen();
    checkKey(key);
    if (expectedModRevision !== undefined) checkExpected(expectedModRevision);
    const ev = await this.enqueue({ type: 'delete', key, expected: expectedModRevision });
    return { revision: ev.revision, prevKv: { ...ev.prevKv! } };
  }

  /** Counters of the group commit, for tests and metrics: transactions committed, and the writes they carried. */
  writeStats(): { commits: number; writes: number } {
    return { commits: this.commits, writes: this.committedWrites };
  }

  private enqueue(op: WriteOp): Promise<WatchEvent> {
    return new Promise<WatchEvent>((resolve, reject) => {
      this.queue.push({ op, resolve, reject });
      if (this.flushScheduled) return;
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    });
  }

  private flush(): void {
    this.flushScheduled = false;
    const batch = this.queue;
    this.queue = [];
    if (batch.length > 0) this.commit(batch);
  }

  /**
   * Commits the writes in one transaction (see Group commit above), then publishes the
   * events in revision order and settles each caller's promise.
   */
  private commit(batch: readonly QueuedWrite[]): void {
    const outcomes: (WatchEvent | StorageError)[] = [];
    let next = this.rev;
    try {
      this.tx(() => {
        for (const w of batch) {
          let out: WatchEvent | StorageError;
          try {
            out = this.apply(w.op, next + 1);
            next++;
          } catch (e) {
            // A refused write (KeyExists, KeyNotFound, Conflict) wrote nothing; anything
            // else is SQLite failing and aborts the batch.
            if (!isStorageError(e)) throw e;
            out = e;
          }
          outcomes.push(out);
        }
      });
    } catch (e) {
      const err = isStorageError(e) ? e : storageErrors.unavailable(`sqlite: ${(e as Error).message}`);
      for (const w of batch) w.reject(err);
      return;
    }
    const events: WatchEvent[] = [];
    for (const o of outcomes) if (!(o instanceof Error)) events.push(o);
    if (events.length > 0) {
      this.rev = next;
      this.commits++;
      this.committedWrites += events.length;
      this.writesSinceCheckpoint += events.length;
      this.hub.publish(events);
    }
    batch.forEach((w, i) => {
      const o = outcomes[i]!;
      if (o instanceof Error) w.reject(o);
      else w.resolve(o);
    });
  }

  /** One write inside the batch transaction, at revision rev; throws a StorageError when its checks refuse it. */
  private apply(op: WriteOp, rev: number): WatchEvent {
    const key = op.key;
    if (op.type === 'create') {
      const cur = this.stLatest.get(key);
      if (cur !== undefined && cur.deleted === 0) throw storageErrors.keyExists(key, toKv(key, cur));
      this.stInsert.run(rev, key, 1, 0, rev, 0, op.value);
      return Object.freeze({ type: 'create', kv: Object.freeze({ key, value: op.value, createRevision: rev, modRevision: rev }), revision: rev });
    }
    const cur = this.liveRow(key, op.expected);
    const prevKv = Object.freeze(toKv(key, cur));
    if (op.type === 'update') {
      this.stInsert.run(rev, key, 0, 0, cur.create_revision, cur.id, op.value);
      const kv = Object.freeze({ key, value: op.value, createRevision: cur.create_revision, modRevision: rev });
      return Object.freeze({ type: 'update', kv, prevKv, revision: rev });
    }
    this.stInsert.run(rev, key, 0, 1, cur.create_revision, cur.id, cur.value);
    const kv = Object.freeze({ key, value: cur.value, createRevision: cur.create_revision, modRevision: rev });
    return Object.freeze({ type: 'delete', kv, prevKv, revision: rev });
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
    if (start === 0 || start > this.rev) return this.hub.subscribe(prefix, start === 0 ? this.rev + 1 : start, cb);
    const sub = this.hub.subscribe(prefix, start, cb, true);
    this.catchUp(sub, start, this.rev);
    return sub;
  }

  /**
   * Feeds a subscriber the log from `from` to `target` (the revision when it subscribed)
   * a page at a time, yielding between pages so a long replay does not stall writers;
   * live events meanwhile are held by the subscription. If compaction overtakes the
   * replay, the watch ends with Compacted, as etcd's would.
   */
  private catchUp(sub: Subscription, from: number, target: number): void {
    const end = prefixEnd(sub.prefix);
    const st = this.rangeStatement<LogRow>(
      'events',
      false,
      end !== undefined,
      (lo, hi) =>
        `SELECT l.id, l.name, l.created, l.deleted, l.create_revision, l.prev_revision, l.value,
                p.value AS prev_value, p.create_revision AS prev_create
         FROM log l LEFT JOIN log p ON p.id = l.prev_revision AND l.created = 0
         WHERE l.id >= ? AND l.id <= ? AND ${lo}${hi}
         ORDER BY l.id`,
      'l.name',
    );
    const step = (): void => {
      if (this.closed || !sub.active) return;
      if (from < this.compactRev) {
        sub.fail(storageErrors.compacted(from, this.compactRev));
        return;
      }
      const to = Math.min(target, from + this.opts.watchPageRevisions - 1);
      let rows: LogRow[];
      try {
        rows = end === undefined ? st.all(from, to, sub.prefix) : st.all(from, to, sub.prefix, end);
      } catch (e) {
        sub.fail(storageErrors.unavailable(`sqlite: ${(e as Error).message}`));
        return;
      }
      sub.backlog(rows.map(toEvent));
      from = to + 1;
      if (from > target) sub.caughtUp();
      else setImmediate(step);
    };
    step();
  }

  async compact(revision: number): Promise<void> {
    this.checkOpen();
    checkRevision('compact revision', revision);
    // Compactions run one at a time; a caller's promise settles with its own outcome.
    const run = this.compaction.then(() => this.compactNow(revision));
    this.compaction = run.catch(() => undefined);
    return run;
  }

  private async compactNow(c: number): Promise<void> {
    this.checkOpen();
    if (c <= this.compactRev) return;
    if (c > this.rev) throw storageErrors.futureRevision(c, this.rev);
    // Record first: from here on reads and watches below c are refused, so nothing can
    // observe the rows while they are being deleted.
    this.write(() => this.stSetMeta.run('compact_revision', c));
    this.compactRev = c;
    let lo = 0;
    for (;;) {
      this.checkOpen();
      const hi = this.sql(() => this.stCompactBoundary.get(lo, c, this.opts.compactBatchRows)?.id ?? c);
      this.write(() => this.stCompactDelete.run(lo, hi, c));
      if (hi >= c) break;
      lo = hi;
      // Let requests in between batches.
      await new Promise((r) => setImmediate(r));
    }
    this.checkOpen();
    this.sql(() => {
      this.db.pragma('incremental_vacuum');
      this.checkpoint();
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    // Writes called before close() still commit (and settle) first.
    this.flush();
    this.closed = true;
    if (this.checkpointTimer !== undefined) this.opts.clock.clearTimeout(this.checkpointTimer);
    this.hub.failAll(storageErrors.unavailable('store closed'));
    try {
      // Leave a short file behind; if this fails the WAL is simply replayed on open.
      this.checkpoint();
    } catch {
      // ignored, see above
    }
    this.db.close();
  }

  /** Sizes in bytes of the database file and its WAL on disk, for tests and metrics. */
  fileSizes(): { db: number; wal: number } {
    return { db: fileSize(this.opts.path), wal: fileSize(`${this.opts.path}-wal`) };
  }

  private checkpoint(): void {
    this.db.pragma('wal_checkpoint(TRUNCATE)');
    this.writesSinceCheckpoint = 0;
  }

  private scheduleCheckpoint(): void {
    this.checkpointTimer = this.opts.clock.setTimeout(() => {
      if (this.closed) return;
      try {
        if (this.writesSinceCheckpoint > 0) this.checkpoint();
      } catch {
        // A failed checkpoint is retried next interval; writes stay durable in the WAL.
      }
      this.scheduleCheckpoint();
    }, this.opts.checkpointIntervalMs);
  }

  /** Runs fn in one write transaction; SQLite failures become Unavailable, StorageErrors pass. */
  private write<T>(fn: () => T): T {
    return this.sql(() => this.tx(fn));
  }

  private sql<T>(fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      if (isStorageError(e)) throw e;
      throw storageErrors.unavailable(`sqlite: ${(e as Error).message}`);
    }
  }

  private liveRow(key: string, expected: number | undefined): CurrentRow {
    const cur = this.stLatest.get(key);
    if (cur === undefined || cur.deleted !== 0) throw storageErrors.keyNotFound(key);
    if (expected !== undefined && cur.id !== expected) throw storageErrors.conflict(key, expected, toKv(key, cur));
    return cur;
  }

  private rangeStatement<R>(
    kind: string,
    exclusiveStart: boolean,
    bounded: boolean,
    build: (lo: string, hi: string) => string,
    column = 'name',
  ): Database.Statement<unknown[], R> {
    const id = `${kind}:${exclusiveStart ? 'gt' : 'ge'}:${bounded ? 'lt' : 'open'}`;
    let st = this.ranged.get(id);
    if (st === undefined) {
      st = this.db.prepare(build(`${column} ${exclusiveStart ? '>' : '>='} ?`, bounded ? ` AND ${column} < ?` : ''));
      this.ranged.set(id, st);
    }
    return st as Database.Statement<unknown[], R>;
  }

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

function toKv(key: string, row: CurrentRow): KeyValue {
  return { key, value: row.value, createRevision: row.create_revision, modRevision: row.id };
}

function toEvent(r: LogRow): WatchEvent {
  const kv = Object.freeze({ key: r.name, value: r.value, createRevision: r.create_revision, modRevision: r.id });
  if (r.created !== 0) return Object.freeze({ type: 'create', kv, revision: r.id });
  const prevKv =
    r.prev_value === null
      ? undefined
      : Object.freeze({ key: r.name, value: r.prev_value, createRevision: r.prev_create!, modRevision: r.prev_revision });
  const ev: WatchEvent = { type: r.deleted !== 0 ? 'delete' : 'update', kv, revision: r.id };
  if (prevKv !== undefined) ev.prevKv = prevKv;
  return Object.freeze(ev);
}

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}
