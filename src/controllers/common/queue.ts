/**
 * The spine every controller here shares (upstream's processNextWorkItem): workers take
 * a key from a rate-limited queue, run the controller's one idempotent sync(key), and
 * then either forget the key's failure history (success), put it back with a per-key
 * backoff (error), or put it back after a fixed wait (RequeueAfter).
 *
 * Contract:
 *   - A key is never synced by two workers at once (the queue guarantees it); a key
 *     added while it is being synced is synced once more afterwards.
 *   - With maxRetries, a key that keeps failing is dropped (forgotten) after that many
 *     requeues, as upstream's deployment controller does; without it, it is retried forever.
 *   - stop() shuts the queue down and resolves once every worker has returned; keys still
 *     queued are dropped, a sync in progress is awaited and not requeued.
 */
import { isConflict } from '../../client/errors.js';
import { RateLimitingQueue, type RateLimiter } from '../../client/workqueue.js';
import type { ControllerContext } from '../types.js';

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
    await Promise.all(this.loops.splice(0));
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
        if (!this.stopped) this.handleError(key, e);
      } finally {
        q.done(key);
      }
    }
  }

  private handleError(key: string, e: unknown): void {
    const q = this.o.queue;
    if (e instanceof RequeueAfter) {
      q.addAfter(key, e.ms);
    } else if (this.o.maxRetries !== undefined && q.numRequeues(key) >= this.o.maxRetries) {
      this.o.log(`dropping ${key} out of the queue after ${q.numRequeues(key)} retries: ${errorMessage(e)}`);
      q.forget(key);
    } else {
      // A 409 only means the cache was behind a write: retried quietly.
      if (!isConflict(e)) this.o.log(`error syncing "${key}": ${errorMessage(e)}`);
      q.addRateLimited(key);
    }
  }
}

export interface KeyWorkersOptions {
  /** Controller name, for logs and the queue's name. */
  name: string;
  ctx: ControllerContext;
  /** Reconciles one key; throwing requeues the key with backoff. */
  sync: (key: string) => Promise<void>;
  rateLimiter?: RateLimiter<string>;
}

/** QueueWorkers over a queue of their own, logging through the controller context. */
export class KeyWorkers {
  readonly queue: RateLimitingQueue<string>;
  private readonly workers: QueueWorkers;

  constructor(o: KeyWorkersOptions) {
    this.queue = new RateLimitingQueue<string>({ clock: o.ctx.clock, name: o.name, ...(o.rateLimiter ? { rateLimiter: o.rateLimiter } : {}) });
    this.workers = new QueueWorkers({ queue: this.queue, sync: o.sync, log: (m) => o.ctx.log(o.name, m) });
  }

  add(key: string): void {
    this.queue.add(key);
  }

  /** Adds key after ms on the controller's clock (at once for ms <= 0). */
  addAfter(key: string, ms: number): void {
    this.queue.addAfter(key, ms);
  }

  /** Starts n workers; returns at once. */
  run(n: number): void {
    this.workers.run(n);
  }

  /** Shuts the queue down and waits for the syncs in progress; queued keys are dropped. */
  stop(): Promise<void> {
    return this.workers.stop();
  }
}

export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
