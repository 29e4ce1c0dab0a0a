/**
 * Periodic compaction, as the upstream API server does it (--etcd-compaction-interval,
 * default 5 minutes): at each tick, compact to the revision observed at the PREVIOUS
 * tick, then remember the current one. History is therefore kept for at least one
 * interval, long enough for watchers and paginated lists to finish, and storage stays
 * bounded under churn.
 */
import type { Store } from './interface.js';
import { realClock, type Clock, type TimerHandle } from '../util/clock.js';
import { storageErrors } from './errors.js';

export interface CompactorOptions {
  store: Pick<Store, 'currentRevision' | 'compact'>;
  clock?: Clock;
  /** Milliseconds between ticks (default 5 minutes, upstream's default). */
  intervalMs?: number;
  /** Told about failed ticks; the next tick retries. Default: ignore. */
  onError?: (err: unknown) => void;
  /** Told about each compaction performed. */
  onCompacted?: (revision: number) => void;
}

export const DEFAULT_COMPACTION_INTERVAL_MS = 5 * 60 * 1000;

export class Compactor {
  private readonly store: CompactorOptions['store'];
  private readonly clock: Clock;
  private readonly intervalMs: number;
  private readonly onError: (err: unknown) => void;
  private readonly onCompacted: (revision: number) => void;
  private timer: TimerHandle | undefined;
  private running = false;
  /** The revision seen at the previous tick: the next compaction target. */
  private lastSeen = 0;
  private inFlight: Promise<void> = Promise.resolve();

  constructor(opts: CompactorOptions) {
    if (opts?.store === undefined) throw storageErrors.invalid('compactor needs a store');
    const interval = opts.intervalMs ?? DEFAULT_COMPACTION_INTERVAL_MS;
    if (!Number.isSafeInteger(interval) || interval <= 0) {
      throw storageErrors.invalid(`compaction interval must be a positive integer of milliseconds, got ${String(interval)}`);
    }
    this.store = opts.store;
    this.clock = opts.clock ?? realClock;
    this.intervalMs = interval;
    this.onError = opts.onError ?? (() => undefined);
    this.onCompacted = opts.onCompacted ?? (() => undefined);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule();
  }

  /** Stops ticking and waits for a tick in progress to finish. */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    await this.inFlight;
  }

  /** Resolves when no tick is in progress (for tests driving a fake clock). */
  idle(): Promise<void> {
    return this.inFlight;
  }

  /** One tick: compact to the previous tick's revision, then record the current one. */
  async tick(): Promise<void> {
    const target = this.lastSeen;
    if (target > 0) {
      await this.store.compact(target);
      this.onCompacted(target);
    }
    this.lastSeen = await this.store.currentRevision();
  }

  private schedule(): void {
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      this.inFlight = this.tick()
        .catch((e: unknown) => this.onError(e))
        .finally(() => {
          if (this.running) this.schedule();
        });
    }, this.intervalMs);
  }
}
