/**
 * Durable write throughput of the sqlite driver beside the raw fdatasync rate of the
 * same disk, measured in the same run, so the number means something on any machine:
 * with synchronous=FULL each acknowledged write costs at least one fdatasync of the WAL,
 * so the ratio shows how close the driver gets to the disk's limit (the WAL is rewritten
 * in place between checkpoints, hence the in-place rate is the one compared).
 *
 *   node dist/bench/store.js [--n 5000] [--dir /path/on/the/disk]
 *
 * Prints one JSON line, then one human line. Not part of the tests.
 */
import { closeSync, fdatasyncSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { SqliteStore } from '../src/storage/sqlite/sqlite.js';

const { values } = parseArgs({ options: { n: { type: 'string', default: '5000' }, dir: { type: 'string' } } });
const n = Number(values.n);
if (!Number.isSafeInteger(n) || n < 2) throw new Error(`--n must be an integer >= 2, got ${values.n}`);
const dir = mkdtempSync(join(values.dir ?? tmpdir(), 'kubelite-bench-store-'));

/** n sequential writes: creates of n/2 keys, then one update of each; each its own transaction. */
async function sqliteRate(sync: 'FULL' | 'NORMAL'): Promise<number> {
  const s = new SqliteStore({ path: join(dir, `bench-${sync}.db`), synchronous: sync });
  const value = JSON.stringify({ kind: 'ConfigMap', data: { payload: 'x'.repeat(1000) } });
  const keys = Math.floor(n / 2);
  const revs: number[] = [];
  const t0 = performance.now();
  for (let i = 0; i < keys; i++) revs.push((await s.create(`/registry/configmaps/bench/cm${i}`, value)).revision);
  for (let i = 0; i < n - keys; i++) await s.update(`/registry/configmaps/bench/cm${i % keys}`, value, revs[i % keys]!);
  const secs = (performance.now() - t0) / 1000;
  await s.close();
  return n / secs;
}

/** 4 KiB write + fdatasync, n times; append (the file grows, like a WAL) or in place. */
function fdatasyncRate(mode: 'append' | 'overwrite'): number {
  const path = join(dir, `fsync-${mode}.bin`);
  const fd = openSync(path, 'w');
  const block = Buffer.alloc(4096, 0x61);
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    writeSync(fd, block, 0, block.length, mode === 'append' ? i * block.length : 0);
    fdatasyncSync(fd);
  }
  const secs = (performance.now() - t0) / 1000;
  closeSync(fd);
  return n / secs;
}

try {
  const fsyncAppend = fdatasyncRate('append');
  const fsyncOverwrite = fdatasyncRate('overwrite');
  const full = await sqliteRate('FULL');
  const normal = await sqliteRate('NORMAL');
  const r = (x: number): number => Math.round(x);
  const result = {
    bench: 'store',
    driver: 'sqlite',
    n,
    dir,
    sqlite_full_writes_per_s: r(full),
    sqlite_normal_writes_per_s: r(normal),
    fdatasync_append_per_s: r(fsyncAppend),
    fdatasync_overwrite_per_s: r(fsyncOverwrite),
    // In steady state SQLite rewrites its WAL in place after each checkpoint, so the
    // in-place rate is the fair ceiling; appending (file growth) is slower on most filesystems.
    full_vs_fdatasync: Number((full / fsyncOverwrite).toFixed(3)),
  };
  console.log(JSON.stringify(result));
  console.log(
    `sqlite durable writes: ${r(full)}/s (synchronous=FULL), ${r(normal)}/s (NORMAL); ` +
      `raw 4 KiB write+fdatasync on the same disk: ${r(fsyncAppend)}/s appending, ${r(fsyncOverwrite)}/s in place; ` +
      `ratio FULL / in-place fdatasync = ${(full / fsyncOverwrite).toFixed(2)} (n=${n})`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
