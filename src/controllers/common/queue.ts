/**
 * The spine every controller here shares: a rate-limited queue of string keys and N
 * workers, each taking a key, running the controller's one idempotent sync(key), and
 * either forgetting the key (success) or re-adding it rate-limited (error), as
 * upstream's processNextWorkItem does. A key is never synced by two workers at once.
 */
import { RateLimitingQueue, type RateLimiter } from '../../client/workqueue.js';
import type { ControllerContext } from '../types.js';

export interface KeyWorkersOptions {
  /** Controller name, for logs and the queue's name. */
  name: string;
  ctx: ControllerContext;
  /** Reconciles one key; throwing requeues the key with backoff. */
  sync: (key: string) => Promise<void>;
  rateLimiter?: RateLimiter<string>;
}

export class KeyWorkers {
  readonly queue: RateLimitingQueue<string>;
  private readonly workers: Promise<void>[] = [];
  private stopping = false;

  constructor(private readonly o: KeyWorkersOptions) {
    this.queue = new RateLimitingQueue<string>({ clock: o.ctx.clock, name: o.name, ...(o.rateLimiter ? { rateLimiter: o.rateLimiter } : {}) });
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
    const count = Math.max(1, Math.floor(n));
    for (let i = 0; i < count; i++) this.workers.push(this.loop());
  }

  /** Shuts the queue down and waits for the syncs in progress; queued keys are dropped. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.queue.shutDown();
    await Promise.all(this.workers.splice(0));
  }

  private async loop(): Promise<void> {
    for (;;) {
      const key = await this.queue.get();
      if (key === undefined) return;
      if (this.stopping) {
        this.queue.done(key);
        continue;
      }
      try {
        await this.o.sync(key);
        this.queue.forget(key);
      } catch (e) {
        if (!this.stopping) {
          this.o.ctx.log(this.o.name, `error syncing "${key}": ${errorMessage(e)}`);
          this.queue.addRateLimited(key);
        }
      } finally {
        this.queue.done(key);
      }
    }
  }
}

export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
