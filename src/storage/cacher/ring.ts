/**
 * A bounded buffer of the most recent watch events, oldest evicted first. It knows the
 * lowest revision from which it holds every event (`first`), so the watch cache can
 * tell whether a watch starting at some revision can be served from memory or must go
 * to the store.
 */
import type { WatchEvent } from '../interface.js';

export class EventRing {
  private readonly buf: (WatchEvent | undefined)[];
  private head = 0;
  private count = 0;
  private firstRev: number;

  constructor(readonly capacity: number, first = 1) {
    if (!Number.isSafeInteger(capacity) || capacity <= 0) throw new RangeError(`ring capacity must be a positive integer, got ${capacity}`);
    this.buf = new Array<WatchEvent | undefined>(capacity);
    this.firstRev = first;
  }

  /** Every event with revision >= first (up to the newest pushed) is held. */
  get first(): number {
    return this.firstRev;
  }

  get size(): number {
    return this.count;
  }

  /** Empties the ring; it then vouches for revisions from `first` on. */
  reset(first: number): void {
    this.buf.fill(undefined);
    this.head = 0;
    this.count = 0;
    this.firstRev = first;
  }

  /** Appends an event (revisions must increase); evicts the oldest when full. */
  push(ev: WatchEvent): void {
    if (this.count === this.capacity) this.evictOldest();
    this.buf[(this.head + this.count) % this.capacity] = ev;
    this.count++;
  }

  /** Drops events below rev (after a compaction) and stops vouching for them. */
  trimBelow(rev: number): void {
    while (this.count > 0 && this.at(0).revision < rev) this.evictOldest();
    if (rev > this.firstRev) this.firstRev = rev;
  }

  /** Events with revision >= rev, oldest first. */
  since(rev: number): WatchEvent[] {
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.at(mid).revision < rev) lo = mid + 1;
      else hi = mid;
    }
    const out: WatchEvent[] = [];
    for (let i = lo; i < this.count; i++) out.push(this.at(i));
    return out;
  }

  private at(i: number): WatchEvent {
    return this.buf[(this.head + i) % this.capacity]!;
  }

  private evictOldest(): void {
    const ev = this.at(0);
    this.buf[this.head] = undefined;
    this.head = (this.head + 1) % this.capacity;
    this.count--;
    this.firstRev = Math.max(this.firstRev, ev.revision + 1);
  }
}
