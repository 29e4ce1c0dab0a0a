/**
 * Many deadlines on one clock timer: a min-heap of (time, key) entries with a single
 * Clock timer armed for the earliest. Thousands of simulated containers or backoff
 * wake-ups then cost one pending timer, not one each.
 *
 * Contract:
 *   - schedule(key, at) sets the key's deadline (replacing an earlier schedule of the
 *     same key); cancel(key) drops it. Deadlines at or before now fire on the next
 *     clock turn (a 0 ms timer), never synchronously inside schedule().
 *   - When deadlines fall due, fire(key, at) is called for each, earliest first (ties
 *     in scheduling order), with at = the deadline. A throw is reported and ignored.
 *   - Keys are strings; re-scheduling is O(log n) (stale heap entries are skipped).
 */
import type { Clock, TimerHandle } from '../util/clock.js';

interface Entry {
  at: number;
  seq: number;
  key: string;
}

export class TimerQueue {
  private readonly heap: Entry[] = [];
  /** key -> seq of its live entry */
  private readonly live = new Map<string, number>();
  private seq = 0;
  private timer: TimerHandle | undefined;
  private timerAt = Infinity;
  private closed = false;

  constructor(
    private readonly clock: Clock,
    private readonly fire: (key: string, at: number) => void,
    private readonly onError: (err: unknown) => void = (e) => console.error('kubelite timer queue:', e),
  ) {}

  /** Number of live deadlines. */
  get size(): number {
    return this.live.size;
  }

  has(key: string): boolean {
    return this.live.has(key);
  }

  schedule(key: string, at: number): void {
    if (this.closed) return;
    const seq = ++this.seq;
    this.live.set(key, seq);
    this.push({ at, seq, key });
    this.arm();
  }

  cancel(key: string): void {
    this.live.delete(key);
  }

  /** Cancels every key starting with prefix. */
  cancelPrefix(prefix: string): void {
    for (const k of [...this.live.keys()]) if (k.startsWith(prefix)) this.live.delete(k);
  }

  close(): void {
    this.closed = true;
    this.live.clear();
    this.heap.length = 0;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private arm(): void {
    this.dropStale();
    const top = this.heap[0];
    if (top === undefined) {
      if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
      this.timer = undefined;
      this.timerAt = Infinity;
      return;
    }
    if (this.timer !== undefined && this.timerAt <= top.at) return;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timerAt = top.at;
    this.timer = this.clock.setTimeout(() => this.run(), Math.max(0, top.at - this.clock.now()));
  }

  private run(): void {
    this.timer = undefined;
    this.timerAt = Infinity;
    if (this.closed) return;
    const now = this.clock.now();
    for (;;) {
      this.dropStale();
      const top = this.heap[0];
      if (top === undefined || top.at > now) break;
      this.pop();
      this.live.delete(top.key);
      try {
        this.fire(top.key, top.at);
      } catch (e) {
        this.onError(e);
      }
    }
    this.arm();
  }

  private dropStale(): void {
    for (;;) {
      const top = this.heap[0];
      if (top === undefined || this.live.get(top.key) === top.seq) return;
      this.pop();
    }
  }

  private push(e: Entry): void {
    const h = this.heap;
    h.push(e);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!less(h[i]!, h[p]!)) break;
      [h[i], h[p]] = [h[p]!, h[i]!];
      i = p;
    }
  }

  private pop(): void {
    const h = this.heap;
    const last = h.pop();
    if (last === undefined || h.length === 0) return;
    h[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && less(h[l]!, h[m]!)) m = l;
      if (r < h.length && less(h[r]!, h[m]!)) m = r;
      if (m === i) break;
      [h[i], h[m]] = [h[m]!, h[i]!];
      i = m;
    }
  }
}

function less(a: Entry, b: Entry): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}
