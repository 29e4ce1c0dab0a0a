/**
 * Exponential backoff with jitter and a reset after a quiet spell, as client-go's
 * exponentialBackoffManager: each next() waits the current step plus up to
 * jitter x step more, then the step grows by factor up to max; once resetAfterMs
 * has passed since the previous next(), the step is back at initial.
 */
import type { Clock } from '../util/clock.js';

export interface BackoffOptions {
  /** First step (client-go's reflector: 800 ms). */
  initialMs: number;
  /** Largest step (30 s). */
  maxMs: number;
  factor: number;
  /** Extra random wait as a fraction of the step (1.0: up to twice the step). */
  jitter: number;
  /** A next() this long after the previous one starts over at initialMs (2 min). */
  resetAfterMs: number;
}

export const REFLECTOR_BACKOFF: Readonly<BackoffOptions> = { initialMs: 800, maxMs: 30_000, factor: 2, jitter: 1.0, resetAfterMs: 120_000 };

export class Backoff {
  private readonly opts: BackoffOptions;
  private step: number;
  private last: number | undefined;

  constructor(
    opts: Partial<BackoffOptions>,
    private readonly clock: Clock,
    private readonly random: () => number = Math.random,
  ) {
    this.opts = { ...REFLECTOR_BACKOFF, ...opts };
    if (!(this.opts.initialMs > 0) || !(this.opts.maxMs >= this.opts.initialMs) || !(this.opts.factor >= 1) || !(this.opts.jitter >= 0)) {
      throw new Error(`invalid backoff ${JSON.stringify(this.opts)}`);
    }
    this.step = this.opts.initialMs;
  }

  /** The next wait in ms. */
  next(): number {
    const now = this.clock.now();
    if (this.last !== undefined && now - this.last > this.opts.resetAfterMs) this.step = this.opts.initialMs;
    this.last = now;
    const wait = this.step + this.random() * this.opts.jitter * this.step;
    this.step = Math.min(this.opts.maxMs, this.step * this.opts.factor);
    return Math.round(wait);
  }

  reset(): void {
    this.step = this.opts.initialMs;
    this.last = undefined;
  }
}

/** A sleep on an injected clock that can be cut short. */
export class Sleeper {
  private wake: (() => void) | undefined;
  constructor(private readonly clock: Clock) {}

  /** Resolves after ms on the clock, or at once when interrupted. */
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const h = this.clock.setTimeout(() => {
        this.wake = undefined;
        resolve();
      }, ms);
      this.wake = () => {
        this.clock.clearTimeout(h);
        this.wake = undefined;
        resolve();
      };
    });
  }

  interrupt(): void {
    this.wake?.();
  }
}
