/**
 * Container restart backoff (CrashLoopBackOff), with the semantics of upstream's
 * flowcontrol.Backoff as the kubelet uses it: 10 s doubling to 5 min per container.
 *
 *   - isInBackOffSince(key, finishedAt): the container exited at finishedAt and its
 *     current backoff has not yet passed since then; a restart must wait.
 *   - next(key, finishedAt): called when a restart goes ahead: the first time (or when
 *     the entry went stale) the backoff is the initial one, else it doubles up to max.
 *   - An entry not updated for 2 x max counts as expired: a container that ran
 *     stably for 10 minutes starts over at 10 s.
 */
import type { Clock } from '../util/clock.js';

export interface RestartBackoffOptions {
  initialMs: number;
  maxMs: number;
}

export const DEFAULT_RESTART_BACKOFF: Readonly<RestartBackoffOptions> = { initialMs: 10_000, maxMs: 300_000 };

interface Entry {
  backoff: number;
  lastUpdate: number;
}

export class RestartBackoff {
  private readonly entries = new Map<string, Entry>();
  readonly initialMs: number;
  readonly maxMs: number;

  constructor(
    private readonly clock: Clock,
    opts: Partial<RestartBackoffOptions> = {},
  ) {
    this.initialMs = opts.initialMs ?? DEFAULT_RESTART_BACKOFF.initialMs;
    this.maxMs = opts.maxMs ?? DEFAULT_RESTART_BACKOFF.maxMs;
    if (!(this.initialMs > 0) || !(this.maxMs >= this.initialMs)) throw new Error(`invalid restart backoff ${JSON.stringify(opts)}`);
  }

  /** The current backoff of key in ms (0 when none). */
  get(key: string): number {
    return this.entries.get(key)?.backoff ?? 0;
  }

  isInBackOffSince(key: string, eventTime: number): boolean {
    const e = this.entries.get(key);
    if (e === undefined) return false;
    if (this.expired(eventTime, e.lastUpdate)) return false;
    return this.clock.now() - eventTime < e.backoff;
  }

  next(key: string, eventTime: number): void {
    const e = this.entries.get(key);
    if (e === undefined || this.expired(eventTime, e.lastUpdate)) {
      this.entries.set(key, { backoff: this.initialMs, lastUpdate: this.clock.now() });
      return;
    }
    e.backoff = Math.min(e.backoff * 2, this.maxMs);
    e.lastUpdate = this.clock.now();
  }

  /** Forgets every key starting with prefix (a pod's containers: "<uid>/"). */
  forgetPrefix(prefix: string): void {
    for (const k of [...this.entries.keys()]) if (k.startsWith(prefix)) this.entries.delete(k);
  }

  /** Drops expired entries. */
  gc(): void {
    const now = this.clock.now();
    for (const [k, e] of this.entries) if (this.expired(now, e.lastUpdate)) this.entries.delete(k);
  }

  get size(): number {
    return this.entries.size;
  }

  private expired(eventTime: number, lastUpdate: number): boolean {
    return eventTime - lastUpdate > 2 * this.maxMs;
  }
}
