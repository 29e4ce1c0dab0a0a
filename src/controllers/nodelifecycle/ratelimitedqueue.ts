/**
 * The per-zone queue of nodes waiting for a NoExecute taint, rate limited so a zone
 * losing many nodes at once is tainted slowly (upstream
 * pkg/controller/nodelifecycle/scheduler/rate_limited_queue.go).
 *
 * Contract:
 *   - A node name is queued at most once. Once processed successfully it leaves the
 *     queue but stays remembered, so add() refuses it until remove() forgets it
 *     (upstream: the node is tainted once per outage, not once per monitor pass).
 *   - try() walks the queue in processAt order; each step first takes a token from
 *     the limiter (no token: stop), then stops at the first entry not yet due. The
 *     action answers done (drop it from the queue) or a wait before the next attempt.
 *   - Time comes from the injected Clock; the token bucket refills on it too.
 */
import type { Clock } from '../../util/clock.js';

/** upstream EvictionRateLimiterBurst. */
export const EVICTION_RATE_LIMITER_BURST = 1;

export interface TimedValue {
  value: string;
  /** The node's UID when queued. */
  uid: string;
  addedAt: number;
  processAt: number;
}

/** A limiter that answers at once whether an action may run now. */
export interface TryAcceptLimiter {
  readonly qps: number;
  tryAccept(): boolean;
}

/** client-go's token bucket: burst tokens, refilled at qps per second on the clock. */
export class TokenBucket implements TryAcceptLimiter {
  private tokens: number;
  private last: number;
  constructor(
    readonly qps: number,
    private readonly burst: number,
    private readonly clock: Clock,
  ) {
    if (!(qps > 0) || !(burst >= 1)) throw new Error(`invalid token bucket: ${qps} qps, burst ${burst}`);
    this.tokens = burst;
    this.last = clock.now();
  }
  tryAccept(): boolean {
    const now = this.clock.now();
    this.tokens = Math.min(this.burst, this.tokens + (Math.max(0, now - this.last) / 1000) * this.qps);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

/** Accepts nothing: evictions stopped (upstream NewFakeNeverRateLimiter). */
export class NeverLimiter implements TryAcceptLimiter {
  readonly qps = 0;
  tryAccept(): boolean {
    return false;
  }
}

export function newLimiter(qps: number, clock: Clock): TryAcceptLimiter {
  return qps > 0 ? new TokenBucket(qps, EVICTION_RATE_LIMITER_BURST, clock) : new NeverLimiter();
}

/** What an action answers: done, or try again after waitMs. */
export interface TryResult {
  done: boolean;
  waitMs: number;
}

export class RateLimitedTimedQueue {
  private queue: TimedValue[] = [];
  private readonly known = new Set<string>();
  private limiter: TryAcceptLimiter;

  constructor(
    private readonly clock: Clock,
    qps: number,
  ) {
    this.limiter = newLimiter(qps, clock);
  }

  get qps(): number {
    return this.limiter.qps;
  }

  /** Queues value unless it is queued or was processed and not removed since; true when added. */
  add(value: string, uid: string): boolean {
    if (this.known.has(value)) return false;
    const now = this.clock.now();
    this.known.add(value);
    this.insert({ value, uid, addedAt: now, processAt: now });
    return true;
  }

  /** Forgets value (queued or processed); true when it was known. */
  remove(value: string): boolean {
    this.queue = this.queue.filter((v) => v.value !== value);
    return this.known.delete(value);
  }

  /** Values waiting, in processing order. */
  waiting(): TimedValue[] {
    return this.queue.map((v) => ({ ...v }));
  }

  /** Runs fn over the due entries while the limiter allows (see the contract above). */
  async try(fn: (v: TimedValue) => Promise<TryResult>): Promise<void> {
    for (;;) {
      const head = this.queue[0];
      if (head === undefined) return;
      if (!this.limiter.tryAccept()) return;
      const now = this.clock.now();
      if (now < head.processAt) return;
      const r = await fn({ ...head });
      // The entry may have been removed (or re-added) while fn ran.
      const idx = this.queue.findIndex((v) => v.value === head.value && v.addedAt === head.addedAt);
      if (idx < 0) continue;
      const [entry] = this.queue.splice(idx, 1) as [TimedValue];
      if (!r.done) {
        entry.processAt = now + r.waitMs + 1;
        this.insert(entry);
      }
    }
  }

  /**
   * Replaces the limiter with one of newQPS (0: never). As upstream, when the old
   * limiter has no token left the new one starts drained too, so a swap never grants
   * an extra eviction.
   */
  swapLimiter(newQPS: number): void {
    if (this.limiter.qps === newQPS) return;
    const next = newLimiter(newQPS, this.clock);
    if (newQPS > 0 && !this.limiter.tryAccept()) next.tryAccept();
    this.limiter = next;
  }

  private insert(v: TimedValue): void {
    let i = this.queue.length;
    while (i > 0 && (this.queue[i - 1] as TimedValue).processAt > v.processAt) i--;
    this.queue.splice(i, 0, v);
  }
}
