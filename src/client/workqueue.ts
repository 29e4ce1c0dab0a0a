/**
 * Work queues with client-go's semantics (util/workqueue), the spine of every
 * controller: informer handlers add keys, workers get() a key, sync it, and done() it.
 *
 * Contract (WorkQueue):
 *   - An item is in the queue at most once: adding an item that is waiting is a no-op.
 *   - An item is never handed to two workers at once: get() moves it from "dirty" to
 *     "processing"; an add() while it is processing only marks it dirty, and done()
 *     puts it back in the queue so it is processed again, once, afterwards.
 *   - get() resolves with the next item in FIFO order, waiting when the queue is
 *     empty; after shutDown() it still drains what is queued, then resolves undefined.
 *     add() after shutDown() is ignored.
 *   - Items are compared with SameValueZero (Map/Set identity): use string keys.
 *
 * DelayingQueue adds addAfter(item, ms) on an injected Clock; an item waiting with an
 * earlier deadline keeps it. RateLimitingQueue adds addRateLimited(item), waiting as
 * long as its RateLimiter says, plus forget() and numRequeues().
 */
import { realClock, type Clock, type TimerHandle } from '../util/clock.js';

export class WorkQueue<T> {
  private readonly queue: T[] = [];
  private readonly dirty = new Set<T>();
  private readonly processing = new Set<T>();
  private readonly waiters: ((item: T | undefined) => void)[] = [];
  private drainWaiters: (() => void)[] = [];
  private shutting = false;

  /** Marks item as needing processing. */
  add(item: T): void {
    if (this.shutting) return;
    if (this.dirty.has(item)) return;
    this.dirty.add(item);
    if (this.processing.has(item)) return;
    this.queue.push(item);
    this.dispatch();
  }

  /** Items waiting (not counting those being processed). */
  len(): number {
    return this.queue.length;
  }

  /** The next item, waiting if there is none; undefined once shut down and drained. */
  get(): Promise<T | undefined> {
    const item = this.take();
    if (item !== undefined || this.queue.length > 0) return Promise.resolve(item);
    if (this.shutting) return Promise.resolve(undefined);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Tells the queue item's processing has finished; an add() meanwhile re-queues it. */
  done(item: T): void {
    if (!this.processing.delete(item)) return;
    if (this.dirty.has(item)) {
      this.queue.push(item);
      this.dispatch();
    }
    if (this.processing.size === 0) for (const w of this.drainWaiters.splice(0)) w();
  }

  /** Stops accepting items; get() drains what is queued, then resolves undefined. */
  shutDown(): void {
    this.shutting = true;
    this.dispatch();
    for (const w of this.waiters.splice(0)) w(undefined);
    this.onShutDown();
  }

  /** shutDown(), then waits until every item handed out has been done(). */
  async shutDownWithDrain(): Promise<void> {
    this.shutDown();
    if (this.processing.size === 0) return;
    await new Promise<void>((r) => this.drainWaiters.push(r));
  }

  shuttingDown(): boolean {
    return this.shutting;
  }

  /** Hook for subclasses: release timers at shutdown. */
  protected onShutDown(): void {}

  private take(): T | undefined {
    if (this.queue.length === 0) return undefined;
    const item = this.queue.shift() as T;
    this.processing.add(item);
    this.dirty.delete(item);
    return item;
  }

  private dispatch(): void {
    while (this.waiters.length > 0 && this.queue.length > 0) {
      const w = this.waiters.shift() as (item: T | undefined) => void;
      w(this.take());
    }
  }
}

export interface DelayingQueueOptions {
  clock?: Clock;
}

export class DelayingQueue<T> extends WorkQueue<T> {
  protected readonly clock: Clock;
  private readonly waiting = new Map<T, { at: number; timer: TimerHandle }>();

  constructor(opts: DelayingQueueOptions = {}) {
    super();
    this.clock = opts.clock ?? realClock;
  }

  /** Adds item once ms have passed on the clock (at once for ms <= 0). */
  addAfter(item: T, ms: number): void {
    if (this.shuttingDown()) return;
    if (!(ms > 0)) {
      this.add(item);
      return;
    }
    const at = this.clock.now() + ms;
    const prev = this.waiting.get(item);
    if (prev !== undefined) {
      if (prev.at <= at) return;
      this.clock.clearTimeout(prev.timer);
    }
    const timer = this.clock.setTimeout(() => {
      this.waiting.delete(item);
      this.add(item);
    }, ms);
    this.waiting.set(item, { at, timer });
  }

  /** Items waiting for their delay to pass. */
  numWaiting(): number {
    return this.waiting.size;
  }

  protected override onShutDown(): void {
    for (const { timer } of this.waiting.values()) this.clock.clearTimeout(timer);
    this.waiting.clear();
  }
}

/** Decides how long an item waits before its next attempt. */
export interface RateLimiter<T> {
  /** The wait for item's next attempt, in ms; counts the attempt. */
  when(item: T): number;
  /** Forgets item's history (after it succeeded). */
  forget(item: T): void;
  /** Failures recorded for item. */
  numRequeues(item: T): number;
}

/** base x 2^failures per item, capped at max (client-go: 5 ms to 1000 s). */
export class ItemExponentialFailureRateLimiter<T> implements RateLimiter<T> {
  private readonly failures = new Map<T, number>();
  constructor(
    private readonly baseMs = 5,
    private readonly maxMs = 1_000_000,
  ) {
    if (!(baseMs > 0) || !(maxMs >= baseMs)) throw new Error(`invalid exponential limiter ${baseMs}..${maxMs}`);
  }
  when(item: T): number {
    const n = this.failures.get(item) ?? 0;
    this.failures.set(item, n + 1);
    // 2^n overflows to Infinity long after passing any sane max; min() keeps it finite.
    return Math.min(this.maxMs, this.baseMs * 2 ** n);
  }
  forget(item: T): void {
    this.failures.delete(item);
  }
  numRequeues(item: T): number {
    return this.failures.get(item) ?? 0;
  }
}

/**
 * A token bucket shared by all items (client-go: 10 qps, burst 100): each when()
 * reserves a token, waiting as long as it takes the bucket to refill one.
 */
export class BucketRateLimiter<T> implements RateLimiter<T> {
  private tokens: number;
  private last: number;
  constructor(
    private readonly qps = 10,
    private readonly burst = 100,
    private readonly clock: Clock = realClock,
  ) {
    if (!(qps > 0) || !(burst >= 1)) throw new Error(`invalid bucket ${qps} qps, burst ${burst}`);
    this.tokens = burst;
    this.last = clock.now();
  }
  when(_item: T): number {
    const now = this.clock.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.qps);
    this.last = now;
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : Math.ceil((-this.tokens / this.qps) * 1000);
  }
  forget(_item: T): void {}
  numRequeues(_item: T): number {
    return 0;
  }
}

/** The longest wait any of the limiters asks for. */
export class MaxOfRateLimiter<T> implements RateLimiter<T> {
  private readonly limiters: RateLimiter<T>[];
  constructor(...limiters: RateLimiter<T>[]) {
    if (limiters.length === 0) throw new Error('MaxOfRateLimiter needs a limiter');
    this.limiters = limiters;
  }
  when(item: T): number {
    let max = 0;
    for (const l of this.limiters) max = Math.max(max, l.when(item));
    return max;
  }
  forget(item: T): void {
    for (const l of this.limiters) l.forget(item);
  }
  numRequeues(item: T): number {
    let max = 0;
    for (const l of this.limiters) max = Math.max(max, l.numRequeues(item));
    return max;
  }
}

/** client-go's DefaultControllerRateLimiter: per-item 5 ms..1000 s, overall 10 qps burst 100. */
export function defaultControllerRateLimiter<T>(clock: Clock = realClock): RateLimiter<T> {
  return new MaxOfRateLimiter<T>(new ItemExponentialFailureRateLimiter<T>(5, 1_000_000), new BucketRateLimiter<T>(10, 100, clock));
}

export interface RateLimitingQueueOptions<T> extends DelayingQueueOptions {
  /** Default: defaultControllerRateLimiter(clock). */
  rateLimiter?: RateLimiter<T>;
  /** For messages and metrics. */
  name?: string;
}

export class RateLimitingQueue<T> extends DelayingQueue<T> {
  readonly name: string;
  private readonly limiter: RateLimiter<T>;

  constructor(opts: RateLimitingQueueOptions<T> = {}) {
    super(opts);
    this.name = opts.name ?? '';
    this.limiter = opts.rateLimiter ?? defaultControllerRateLimiter<T>(this.clock);
  }

  /** Adds item after the wait its rate limiter gives (counts as a requeue). */
  addRateLimited(item: T): void {
    this.addAfter(item, this.limiter.when(item));
  }

  /** Clears item's failure history; call when it was processed successfully. */
  forget(item: T): void {
    this.limiter.forget(item);
  }

  numRequeues(item: T): number {
    return this.limiter.numRequeues(item);
  }
}
