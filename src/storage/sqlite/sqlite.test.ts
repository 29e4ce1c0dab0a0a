import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { runStoreConformance } from '../conformance.js';
import { isStorageError } from '../interface.js';
import { SqliteStore, type SqliteStoreOptions } from './sqlite.js';
import { FakeClock } from '../../util/clock.js';
import type Database from 'better-sqlite3';
import type { Store, WatchEvent, Watcher } from '../interface.js';

function nextTurn(): Promise<void> {
  return new Promise((r) => setImmediate(r));
}

/** Collects a watch's events; until(rev) waits (bounded) for the event at rev. */
class Recorder {
  readonly events: WatchEvent[] = [];
  private readonly watcher: Watcher;
  private wake: (() => void) | undefined;
  constructor(s: Store, prefix: string) {
    this.watcher = s.watch(prefix, {}, {
      onEvents: (evs) => {
        this.events.push(...evs);
        this.wake?.();
      },
      onError: (e) => assert.fail(e),
    });
  }
  async until(rev: number): Promise<WatchEvent[]> {
    const deadline = Date.now() + 5000;
    while (!this.events.some((e) => e.revision >= rev)) {
      if (Date.now() > deadline) assert.fail(`no event at revision ${rev}; got ${this.events.map((e) => e.revision).join(',')}`);
      await new Promise<void>((r) => {
        const t = setTimeout(r, 50);
        this.wake = () => {
          clearTimeout(t);
          r();
        };
      });
    }
    return this.events;
  }
  stop(): void {
    this.watcher.stop();
  }
}

const dirs: string[] = [];
function tempPath(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kubelite-sqlite-'));
  dirs.push(dir);
  return join(dir, 'state.db');
}
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

runStoreConformance('sqlite', async () => {
  const path = tempPath();
  let store = new SqliteStore({ path });
  return {
    store,
    cleanup: async () => {
      await store.close();
      rmSync(join(path, '..'), { recursive: true, force: true });
    },
    reopen: async () => {
      await store.close();
      store = new SqliteStore({ path });
      return store;
    },
  };
}, { persistent: true });

describe('SqliteStore', () => {
  it('validates its options by name', () => {
    const bad: { name: string; opts: SqliteStoreOptions }[] = [
      { name: 'empty path', opts: { path: '' } },
      { name: 'in-memory path', opts: { path: ':memory:' } },
      { name: 'synchronous OFF', opts: { path: tempPath(), synchronous: 'OFF' as 'FULL' } },
      { name: 'negative interval', opts: { path: tempPath(), checkpointIntervalMs: -1 } },
      { name: 'fractional batch', opts: { path: tempPath(), compactBatchRows: 1.5 } },
    ];
    for (const c of bad) {
      assert.throws(() => new SqliteStore(c.opts), (e) => isStorageError(e, 'InvalidRequest'), c.name);
    }
  });

  it('refuses a second open of a file another store holds', async () => {
    const path = tempPath();
    const a = new SqliteStore({ path });
    await a.create('/x', 'v');
    assert.throws(() => new SqliteStore({ path, busyTimeoutMs: 0 }), (e) => isStorageError(e, 'Unavailable'));
    await a.close();
    const b = new SqliteStore({ path });
    assert.equal(await b.currentRevision(), 1);
    await b.close();
  });

  it('truncates the WAL on its checkpoint interval (injected clock)', async () => {
    const clock = new FakeClock();
    const s = new SqliteStore({ path: tempPath(), clock, checkpointIntervalMs: 10_000 });
    for (let i = 0; i < 200; i++) await s.create(`/w/${i}`, 'x'.repeat(500));
    assert.ok(s.fileSizes().wal > 0);
    clock.advance(10_000);
    assert.equal(s.fileSizes().wal, 0);
    assert.equal(clock.pendingTimers(), 1, 'the next checkpoint is scheduled');
    await s.close();
    assert.equal(clock.pendingTimers(), 0);
  });

  it('replays a long history to a watcher in pages, then goes live', async () => {
    const s = new SqliteStore({ path: tempPath(), watchPageRevisions: 64, synchronous: 'NORMAL' });
    for (let i = 0; i < 1000; i++) await s.create(`/h/${i}`, String(i));
    const revs: number[] = [];
    let done!: () => void;
    const finished = new Promise<void>((r) => (done = r));
    const w = s.watch('/h/', { startRevision: 1 }, {
      onEvents: (evs) => {
        for (const e of evs) revs.push(e.revision);
        if (revs[revs.length - 1] === 1010) done();
      },
      onError: (e) => assert.fail(e),
    });
    // Writes while the replay is still paging are held and delivered after it.
    for (let i = 0; i < 10; i++) await s.create(`/h/live${i}`, 'v');
    await finished;
    w.stop();
    assert.deepEqual(revs, Array.from({ length: 1010 }, (_, i) => i + 1));
    await s.close();
  });

  it('ends a replay overtaken by compaction with Compacted', async () => {
    const s = new SqliteStore({ path: tempPath(), watchPageRevisions: 10, synchronous: 'NORMAL' });
    for (let i = 0; i < 200; i++) await s.create(`/h/${i}`, String(i));
    let events = 0;
    let compaction: Promise<void> | undefined;
    const err = await new Promise<unknown>((resolve) => {
      s.watch('/h/', { startRevision: 1 }, { onEvents: (evs) => (events += evs.length), onError: resolve });
      compaction = s.compact(150);
    });
    await compaction;
    assert.ok(isStorageError(err, 'Compacted'));
    assert.ok(events < 150, `delivered ${events} events before failing`);
    await s.close();
  });

  it('commits writes issued in one turn together, each checked against the ones before it', async () => {
    const s = new SqliteStore({ path: tempPath() });
    await s.create('/g/seed', 's'); // 1
    await nextTurn();
    const before = s.writeStats();
    const w = new Recorder(s, '/g/');
    // Issued in one turn of the event loop, so they share one commit. Each later write
    // must see what the earlier ones did: the Conflict, KeyExists and KeyNotFound below
    // exist only because of writes before them in the same batch.
    const calls: { name: string; p: Promise<{ revision: number }> }[] = [
      { name: 'create a', p: s.create('/g/a', 'a1') },
      { name: 'update a from 2', p: s.update('/g/a', 'a2', 2) },
      { name: 'update a from 2 again', p: s.update('/g/a', 'a3', 2) },
      { name: 'create a again', p: s.create('/g/a', 'ax') },
      { name: 'delete a at 3', p: s.delete('/g/a', 3) },
      { name: 'update a after delete', p: s.update('/g/a', 'a4', 3) },
      { name: 'create a anew', p: s.create('/g/a', 'a5') },
      { name: 'delete seed', p: s.delete('/g/seed') },
    ];
    const got = await Promise.allSettled(calls.map((c) => c.p));
    const summary = got.map((r, i) => `${calls[i]!.name}: ${r.status === 'fulfilled' ? r.value.revision : (r.reason as { code: string }).code}`);
    assert.deepEqual(summary, [
      'create a: 2',
      'update a from 2: 3',
      'update a from 2 again: Conflict',
      'create a again: KeyExists',
      'delete a at 3: 4',
      'update a after delete: KeyNotFound',
      'create a anew: 5',
      'delete seed: 6',
    ]);
    assert.deepEqual(s.writeStats(), { commits: before.commits + 1, writes: before.writes + 5 });
    assert.equal(await s.currentRevision(), 6);
    const a = (await s.get('/g/a')).kv;
    assert.deepEqual(a && { value: a.value, createRevision: a.createRevision, modRevision: a.modRevision }, { value: 'a5', createRevision: 5, modRevision: 5 });
    const events = await w.until(6);
    assert.deepEqual(
      events.map((e) => `${e.revision} ${e.type} ${e.kv.key} ${e.kv.value} prev=${e.prevKv?.value ?? '-'}`),
      ['2 create /g/a a1 prev=-', '3 update /g/a a2 prev=a1', '4 delete /g/a a2 prev=a2', '5 create /g/a a5 prev=-', '6 delete /g/seed s prev=s'],
    );
    w.stop();
    await s.close();
  });

  it('fails a whole batch with Unavailable when SQLite fails, without using up revisions', async () => {
    const path = tempPath();
    const s = new SqliteStore({ path });
    await s.create('/f/seed', 'v'); // 1
    // A full disk, as SQLite sees it: no page beyond the ones the file has now.
    const db = (s as unknown as { db: Database.Database }).db;
    const pages = db.pragma('page_count', { simple: true }) as number;
    db.pragma(`max_page_count = ${pages}`);
    const w = new Recorder(s, '/f/');
    // Issued in one turn: one batch.
    const batch = await Promise.allSettled([s.create('/f/small', 'v'), s.create('/f/big', 'x'.repeat(256 * 1024)), s.update('/f/seed', 'w', 1)]);
    assert.deepEqual(
      batch.map((r) => (r.status === 'rejected' && isStorageError(r.reason) ? r.reason.code : r.status)),
      ['Unavailable', 'Unavailable', 'Unavailable'],
    );
    assert.equal(await s.currentRevision(), 1);
    assert.equal((await s.get('/f/small')).kv, undefined);
    db.pragma(`max_page_count = ${pages * 1000}`);
    assert.equal((await s.update('/f/seed', 'w', 1)).revision, 2, 'the next write takes the next revision');
    assert.deepEqual((await w.until(2)).map((e) => e.revision), [2]);
    w.stop();
    await s.close();
    const reopened = new SqliteStore({ path });
    assert.equal(await reopened.currentRevision(), 2);
    assert.equal((await reopened.get('/f/small')).kv, undefined);
    await reopened.close();
  });

  it('commits the writes still queued when close() is called', async () => {
    const path = tempPath();
    const s = new SqliteStore({ path });
    const pending = [s.create('/c/a', 'a'), s.create('/c/b', 'b')];
    await s.close();
    assert.deepEqual((await Promise.all(pending)).map((r) => r.revision), [1, 2]);
    await assert.rejects(s.create('/c/c', 'c'), (e) => isStorageError(e, 'Unavailable'));
    const reopened = new SqliteStore({ path });
    assert.deepEqual((await reopened.list('/c/')).kvs.map((kv) => `${kv.key}@${kv.modRevision}`), ['/c/a@1', '/c/b@2']);
    await reopened.close();
  });

  it('keeps the database and WAL bounded under churn with periodic compaction', async (t) => {
    // 100 keys, 100,000 real updates (one transaction each), compacted every 5,000
    // writes to the revision seen at the previous compaction, as the compactor does.
    // synchronous=NORMAL: this test measures space, not fsync latency.
    const path = tempPath();
    const s = new SqliteStore({ path, synchronous: 'NORMAL' });
    const value = JSON.stringify({ kind: 'Pod', metadata: { labels: { app: 'x' } }, spec: 'x'.repeat(900) });
    const mods = new Map<string, number>();
    for (let k = 0; k < 100; k++) mods.set(`/registry/pods/churn/p${k}`, (await s.create(`/registry/pods/churn/p${k}`, value)).revision);
    const t0 = performance.now();
    let previousTick = 0;
    // Peak db+wal size seen so far, sampled every 1,000 writes (just before and after compactions).
    let peak = 0;
    const peaks = new Map<number, number>();
    const total = 100_000;
    for (let i = 1; i <= total; i++) {
      const key = `/registry/pods/churn/p${i % 100}`;
      mods.set(key, (await s.update(key, value, mods.get(key)!)).revision);
      if (i % 1000 === 0) {
        const f = s.fileSizes();
        peak = Math.max(peak, f.db + f.wal);
      }
      if (i % 5000 === 0) {
        if (previousTick > 0) await s.compact(previousTick);
        previousTick = await s.currentRevision();
      }
      if (i % 20_000 === 0) peaks.set(i, peak);
    }
    const ms = performance.now() - t0;
    const final = s.fileSizes();
    const at20k = peaks.get(20_000)!;
    const at100k = peaks.get(100_000)!;
    t.diagnostic(
      `100k updates in ${(ms / 1000).toFixed(1)} s; peak db+wal bytes by write count: ${JSON.stringify(Object.fromEntries(peaks))}; ` +
        `final db ${final.db} wal ${final.wal}`,
    );
    // Between compactions at most ~10,000 rows of ~1 KiB are kept (two periods), about
    // 11 MiB with index and page slack, plus a WAL truncated to 4 MiB after checkpoints.
    assert.ok(at100k <= at20k * 1.25, `peak size grew from ${at20k} to ${at100k}`);
    assert.ok(at100k < 24 * 1024 * 1024, `peak size ${at100k} above 24 MiB`);
    assert.equal(await s.count('/registry/pods/churn/'), 100);
    await s.close();
  });
});
