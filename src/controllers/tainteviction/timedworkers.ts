/**
 * Work scheduled for a moment on the injected Clock, one entry per key (upstream
 * pkg/controller/tainteviction/timed_workers.go).
 *
 * Contract:
 *   - add(key, createdAt, fireAt) schedules fn(key) at fireAt (at once when due); a
 *     key already present (pending, running or done) is left alone.
 *   - After fn succeeds the key stays, marked done, so the same eviction is not
 *     scheduled again until cancel() forgets it; after fn fails the key is forgotten.
 *   - cancel(key) stops pending work and forgets the key; it answers true when there
 *     was work not yet done (the caller then reports a cancellation).
 */
import type { Clock, TimerHandle } from '../../util/clock.js';

export type WorkState = 'pending' | 'running' | 'done';

export interface TimedWork {
  readonly createdAt: number;
  readonly fireAt: number;
  state: WorkState;
  timer: TimerHandle | undefined;
}

export class TimedWorkerQueue {
  private readonly works = new Map<string, TimedWork>();
  private readonly inflight = new Set<Promise<void>>();

  constructor(
    private readonly clock: Clock,
    private readonly fn: (key: string, fireAt: number) => Promise<void>,
    private readonly onError: (key: string, err: unknown) => void = () => undefined,
  ) {}

  add(key: string, createdAt: number, fireAt: number): void {
    if (this.works.has(key)) return;
    const w: TimedWork = { createdAt, fireAt, state: 'pending', timer: undefined };
    this.works.set(key, w);
    const delay = fireAt - this.clock.now();
    if (delay <= 0) this.fire(key, w);
    else w.timer = this.clock.setTimeout(() => this.fire(key, w), delay);
  }

  cancel(key: string): boolean {
    const w = this.works.get(key);
    if (w === undefined) return false;
    this.works.delete(key);
    if (w.timer !== undefined) this.clock.clearTimeout(w.timer);
    w.timer = undefined;
    return w.state !== 'done';
  }

  get(key: string): TimedWork | undefined {
    return this.works.get(key);
  }

  /** Keys with work not yet done. */
  pending(): string[] {
    return [...this.works].filter(([, w]) => w.state !== 'done').map(([k]) => k);
  }

  /** Cancels every timer and waits for work already running. */
  async shutdown(): Promise<void> {
    for (const w of this.works.values()) if (w.timer !== undefined) this.clock.clearTimeout(w.timer);
    this.works.clear();
    await Promise.allSettled([...this.inflight]);
  }

  /** Resolves when no work is running. */
  async idle(): Promise<void> {
    while (this.inflight.size > 0) await Promise.allSettled([...this.inflight]);
  }

  private fire(key: string, w: TimedWork): void {
    w.timer = undefined;
    if (this.works.get(key) !== w) return;
    w.state = 'running';
    const p = this.fn(key, w.fireAt).then(
      () => {
        if (this.works.get(key) === w) w.state = 'done';
      },
      (e) => {
        if (this.works.get(key) === w) this.works.delete(key);
        this.onError(key, e);
      },
    );
    this.inflight.add(p);
    void p.finally(() => this.inflight.delete(p));
  }
}
