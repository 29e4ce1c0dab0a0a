import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { runStoreConformance } from '../conformance.js';
import { isStorageError } from '../interface.js';
import { SqliteStore, type SqliteStoreOptions } from './sqlite.js';
import { FakeClock } from '../../util/clock.js';

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
