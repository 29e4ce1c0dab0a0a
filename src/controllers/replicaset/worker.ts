/**
 * The worker loop every controller here shares (upstream's processNextWorkItem):
 * workers take a key from the rate-limited queue, run the controller's one idempotent
 * sync(key), and then either forget the key's failure history (success), put it back
 * with a per-key backoff (error), or put it back after a fixed wait (RequeueAfter).
 *
 * Contract:
 *   - A key is never synced by two workers at once (the queue guarantees it); a key
 *     added while it is being synced is synced once more afterwards.
 *   - With maxRetries, a key that keeps failing is dropped (forgotten) after that many
 *     requeues, as upstream's deployment controller does; without it, it is retried forever.
 *   - stop() shuts the queue down and resolves once every worker has returned; keys still
 *     queued are dropped, a sync in progress is awaited.
 */
import { isConflict } from '../../client/errors.js';
import type { RateLimitingQueue } from '../../client/workqueue.js';

/** Thrown by a sync to be run again after ms without counting as a failure. */
export class RequeueAfter extends Error {
  override readonly name = 'RequeueAfter';
  constructor(
    readonly ms: number,
    message = `requeue after ${ms} ms`,
  ) {
    super(message);
  }
}

export interface QueueWorkersOptions {
  queue: RateLimitingQueue<string>;
  sync: (key: string) => Promise<void>;
  /** Where failures are reported. */
  log: (message: string) => void;
  /** Drop a key after this many failed attempts (default: never). */
  maxRetries?: number;
}

export class QueueWorkers {
  private readonly loops: Promise<void>[] = [];
  private stopped = false;

  constructor(private readonly o: QueueWorkersOptions) {}

  /** Starts n workers (at least one); calling it again adds more. */
  run(n: number): void {
    if (this.stopped) return;
    const count = Math.max(1, Math.floor(n));
    for (let i = 0; i < count; i++) this.loops.push(this.loop());
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.o.queue.shutDown();
    await Promise.all(this.loops);
  }

  private async loop(): Promise<void> {
    const q = this.o.queue;
    for (;;) {
      const key = await q.get();
      if (key === undefined) return;
      if (this.stopped) {
        q.done(key);
        return;
      }
      try {
        await this.o.sync(key);
        q.forget(key);
      } catch (e) {
        if (e instanceof RequeueAfter) {
          q.addAfter(key, e.ms);
        } else if (this.o.maxRetries !== undefined && q.numRequeues(key) >= this.o.maxRetries) {
          this.o.log(`dropping ${key} out of the queue after ${q.numRequeues(key)} retries: ${errorMessage(e)}`);
          q.forget(key);
        } else {
          // A 409 only means the cache was behind a write: retried quietly.
          if (!isConflict(e)) this.o.log(`error syncing ${key}: ${errorMessage(e)}`);
          q.addRateLimited(key);
        }
      } finally {
        q.done(key);
      }
    }
  }
}

export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * Remembers, per object, the resourceVersions the controller's own writes replaced, so
 * a sync can tell that its informer has not yet caught up with those writes (the cache
 * still holds a replaced version) and wait for the watch event instead of acting on
 * stale state and failing with a 409. Versions are only compared for equality.
 */
export class WrittenVersions {
  private readonly m = new Map<string, Set<string>>();

  /** The object at key was written over version rv. */
  wrote(key: string, rv: string | undefined): void {
    if (rv === undefined || rv === '') return;
    let s = this.m.get(key);
    if (s === undefined) {
      s = new Set();
      this.m.set(key, s);
    }
    s.add(rv);
  }

  /** True while the cache holds a version one of our writes replaced; otherwise forgets key. */
  stale(key: string, cachedRV: string | undefined): boolean {
    const s = this.m.get(key);
    if (s === undefined) return false;
    if (cachedRV !== undefined && s.has(cachedRV)) return true;
    this.m.delete(key);
    return false;
  }

  forget(key: string): void {
    this.m.delete(key);
  }
}
