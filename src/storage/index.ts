/**
 * The storage entry point: openStore builds the configured driver, puts the watch
 * cache in front of it and runs the periodic compactor, returning one Store whose
 * close() tears all of that down in order.
 */
import { join } from 'node:path';
import type { Store } from './interface.js';
import { storageErrors } from './errors.js';
import { MemoryStore } from './memory/memory.js';
import { SqliteStore, type SqliteStoreOptions } from './sqlite/sqlite.js';
import { Cacher, type CacherOptions } from './cacher/cacher.js';
import { Compactor, DEFAULT_COMPACTION_INTERVAL_MS } from './compactor.js';
import type { Clock } from '../util/clock.js';

export type { Store } from './interface.js';
export { StorageError, isStorageError } from './interface.js';

export interface OpenStoreOptions {
  driver: 'memory' | 'sqlite';
  /** Directory holding the sqlite file (required for sqlite; created if missing). */
  dataDir?: string;
  /** File name inside dataDir (default 'state.db'). */
  fileName?: string;
  clock?: Clock;
  /** Tuning for the sqlite driver (synchronous mode, checkpoints, ...). */
  sqlite?: Omit<SqliteStoreOptions, 'path' | 'clock'>;
  /** Watch cache in front of the driver: true (default), false, or its options. */
  watchCache?: boolean | CacherOptions;
  /** Compaction interval in ms (default 5 minutes, upstream's); 0 disables. */
  compactionIntervalMs?: number;
  /** Told about failed compactions (default: ignored; the next tick retries). */
  onCompactionError?: (err: unknown) => void;
}

export async function openStore(opts: OpenStoreOptions): Promise<Store> {
  const clock = opts.clock;
  let base: Store;
  switch (opts?.driver) {
    case 'memory':
      base = new MemoryStore();
      break;
    case 'sqlite': {
      if (typeof opts.dataDir !== 'string' || opts.dataDir === '') throw storageErrors.invalid('the sqlite driver needs dataDir');
      base = new SqliteStore({ ...opts.sqlite, path: join(opts.dataDir, opts.fileName ?? 'state.db'), clock });
      break;
    }
    default:
      throw storageErrors.invalid(`unknown storage driver ${JSON.stringify(opts?.driver)} (want memory or sqlite)`);
  }
  const interval = opts.compactionIntervalMs ?? DEFAULT_COMPACTION_INTERVAL_MS;
  if (!Number.isSafeInteger(interval) || interval < 0) {
    await base.close();
    throw storageErrors.invalid(`compactionIntervalMs must be a non-negative integer, got ${String(interval)}`);
  }
  let store = base;
  const cache = opts.watchCache ?? true;
  if (cache !== false) {
    const cacher = new Cacher(base, { clock, ...(cache === true ? {} : cache) });
    try {
      await cacher.start();
    } catch (e) {
      await cacher.close();
      throw e;
    }
    store = cacher;
  }
  if (interval === 0) return store;
  // Compact through the top of the stack, so the watch cache drops compacted events too.
  const compactor = new Compactor({ store, clock, intervalMs: interval, onError: opts.onCompactionError });
  compactor.start();
  return new WithCompactor(store, compactor);
}

/** The store, plus a compactor that stops before the store closes. */
class WithCompactor implements Store {
  constructor(
    private readonly inner: Store,
    private readonly compactor: Compactor,
  ) {}
  currentRevision(): ReturnType<Store['currentRevision']> {
    return this.inner.currentRevision();
  }
  compactedRevision(): ReturnType<Store['compactedRevision']> {
    return this.inner.compactedRevision();
  }
  get(...a: Parameters<Store['get']>): ReturnType<Store['get']> {
    return this.inner.get(...a);
  }
  list(...a: Parameters<Store['list']>): ReturnType<Store['list']> {
    return this.inner.list(...a);
  }
  count(...a: Parameters<Store['count']>): ReturnType<Store['count']> {
    return this.inner.count(...a);
  }
  create(...a: Parameters<Store['create']>): ReturnType<Store['create']> {
    return this.inner.create(...a);
  }
  update(...a: Parameters<Store['update']>): ReturnType<Store['update']> {
    return this.inner.update(...a);
  }
  delete(...a: Parameters<Store['delete']>): ReturnType<Store['delete']> {
    return this.inner.delete(...a);
  }
  watch(...a: Parameters<Store['watch']>): ReturnType<Store['watch']> {
    return this.inner.watch(...a);
  }
  compact(...a: Parameters<Store['compact']>): ReturnType<Store['compact']> {
    return this.inner.compact(...a);
  }
  async close(): Promise<void> {
    await this.compactor.stop();
    await this.inner.close();
  }
}
