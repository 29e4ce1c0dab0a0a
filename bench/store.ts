/**
 * Durable write throughput of the sqlite driver beside the raw fdatasync rate of the
 * same disk, measured in the same run, so the number means something on any machine:
 * with synchronous=FULL each acknowledged write costs at least one fdatasync of the WAL,
 * so the ratio shows how close the driver gets to the disk's limit (the WAL is rewritten
 * in place between checkpoints, hence the in-place rate is the one compared).
 *
 * --concurrency runs the same writes from that many concurrent writers (each awaiting
 * its own writes, as API requests do): at 1 every write is its own commit; above 1 the
 * driver may commit writes that wait together in one transaction (group commit).
 *
 *   node dist/bench/store.js [--n 5000] [--concurrency 1,32] [--dir /path/on/the/disk]
 *
 * Prints one JSON line, then one human line per concurrency. Not part of the tests.
 */
import { closeSync, fdatasyncSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { SqliteStore } from '../src/storage/sqlite/sqlite.js';
import { machine } from './common.js';

const { values } = parseArgs({
  options: { n: { type: 'string', default: '5000' }, concurrency: { type: 'string', default: '1,32' }, dir: { type: 'string' } },
});
const n = Number(values.n);
if (!Number.isSafeInteger(n) || n < 2 || n % 2 !== 0) throw new Error(`--n must be an even integer >= 2, got ${values.n}`);
const CONCURRENCY = (values.concurrency ?? '').split(',').map((c) => {
  const x = Number(c);
  if (!Number.isSafeInteger(x) || x < 1 || x > n / 2) throw new Error(`--concurrency: each value must be an integer in 1..n/2, got ${c}`);
  return x;
});
const dir = mkdtempSync(join(values.dir ?? tmpdir(), 'kubelite-bench-store-'));

/**
 * n writes: creates of n/2 keys, then one update of each, split over `conc` writers
 * (writer w owns the keys i with i % conc === w, so writers never conflict).
 */
async function sqliteRate(sync: 'FULL' | 'NORMAL', conc: number): Promise<number> {
  const s = new SqliteStore({ path: join(dir, `bench-${sync}-c${conc}.db`), synchronous: sync });
  const value = JSON.stringify({ kind: 'ConfigMap', data: { payload: 'x'.repeat(1000) } });
  const keys = Math.floor(n / 2);
  const revs: number[] = [];
  const writer = async (w: number): Promise<void> => {
    for (let i = w; i < keys; i += conc) revs[i] = (await s.create(`/registry/configmaps/bench/cm${i}`, value)).revision;
    for (let i = w; i < n - keys; i += conc) await s.update(`/registry/configmaps/bench/cm${i % keys}`, value, revs[i % keys]!);
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: conc }, (_, w) => writer(w)));
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
  const r = (x: number): number => Math.round(x);
  const full: Record<string, number> = {};
  const normal: Record<string, number> = {};
  for (const c of CONCURRENCY) {
    full[`c${c}`] = r(await sqliteRate('FULL', c));
    normal[`c${c}`] = r(await sqliteRate('NORMAL', c));
  }
  const result = {
    bench: 'store',
    driver: 'sqlite',
    n,
    dir,
    // Keyed by concurrency (c1 = one writer, each write its own commit).
    sqlite_full_writes_per_s: full,
    sqlite_normal_writes_per_s: normal,
    fdatasync_append_per_s: r(fsyncAppend),
    fdatasync_overwrite_per_s: r(fsyncOverwrite),
    // In steady state SQLite rewrites its WAL in place after each checkpoint, so the
    // in-place rate is the fair ceiling for one writer; appending (file growth) is slower on most filesystems.
    full_vs_fdatasync: Object.fromEntries(Object.entries(full).map(([k, v]) => [k, Number((v / fsyncOverwrite).toFixed(3))])),
    machine: machine(),
  };
  console.log(JSON.stringify(result));
  console.log(`raw 4 KiB write+fdatasync on the same disk: ${r(fsyncAppend)}/s appending, ${r(fsyncOverwrite)}/s in place (n=${n})`);
  for (const c of CONCURRENCY) {
    const k = `c${c}`;
    console.log(
      `sqlite durable writes, ${c} writer(s): ${full[k]}/s (synchronous=FULL), ${normal[k]}/s (NORMAL); ` +
        `FULL / in-place fdatasync = ${(full[k]! / fsyncOverwrite).toFixed(2)}`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
