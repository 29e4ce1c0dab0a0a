/**
 * Fan-out of committed changes to watchers, shared by every driver and by the watch
 * cache. A driver publishes each committed event once, in revision order; the hub gives
 * every subscriber the events under its prefix from its start revision on, each
 * exactly once, in order, in batches delivered on a later turn of the event loop (so a
 * slow callback never runs inside a writer's transaction).
 *
 * A subscriber whose start revision lies in the past is first "catching up": the
 * driver feeds it history with backlog() and then calls caughtUp(); live events
 * published meanwhile are held and appended afterwards. Each subscriber remembers the
 * next revision it expects, so an event present both in the backlog and among the held
 * live events is delivered once.
 */
import type { StorageError, WatchCallbacks, WatchEvent, Watcher } from './interface.js';

export class WatchHub {
  private readonly subs = new Set<Subscription>();

  /** Number of active subscribers (for tests and metrics). */
  get size(): number {
    return this.subs.size;
  }

  /**
   * Adds a subscriber for events under prefix with revision >= startRevision. With
   * catchingUp, live events are held until caughtUp() is called.
   */
  subscribe(prefix: string, startRevision: number, cb: WatchCallbacks, catchingUp = false): Subscription {
    const s = new Subscription(this, prefix, startRevision, cb, catchingUp);
    this.subs.add(s);
    return s;
  }

  /** Hands committed events (in revision order) to every subscriber. */
  publish(events: readonly WatchEvent[]): void {
    if (events.length === 0) return;
    for (const s of this.subs) s.live(events);
  }

  /** Ends every subscription with err (after delivering what is already queued). */
  failAll(err: StorageError): void {
    for (const s of [...this.subs]) s.fail(err);
  }

  /** @internal */
  drop(s: Subscription): void {
    this.subs.delete(s);
  }
}

export class Subscription implements Watcher {
  private next: number;
  private queue: WatchEvent[] = [];
  private held: WatchEvent[] | undefined;
  private error: StorageError | undefined;
  private stopped = false;
  private scheduled = false;

  constructor(
    private readonly hub: WatchHub,
    readonly prefix: string,
    startRevision: number,
    private readonly cb: WatchCallbacks,
    catchingUp: boolean,
  ) {
    this.next = startRevision;
    if (catchingUp) this.held = [];
  }

  /** False once stopped or failed: a driver feeding history can give up. */
  get active(): boolean {
    return !this.stopped && this.error === undefined;
  }

  /** The lowest revision not yet queued for delivery. */
  get nextRevision(): number {
    return this.next;
  }

  /** History events, in revision order, while catching up. */
  backlog(events: readonly WatchEvent[]): void {
    if (!this.active) return;
    for (const ev of events) this.enqueue(ev);
  }

  /** History is complete: release the live events held meanwhile. */
  caughtUp(): void {
    const held = this.held;
    this.held = undefined;
    if (held !== undefined && this.active) for (const ev of held) this.enqueue(ev);
  }

  /** @internal Called by the hub with newly committed events. */
  live(events: readonly WatchEvent[]): void {
    if (!this.active) return;
    if (this.held !== undefined) {
      for (const ev of events) if (ev.kv.key.startsWith(this.prefix)) this.held.push(ev);
      return;
    }
    for (const ev of events) this.enqueue(ev);
  }

  /** Ends the watch: queued events are delivered, then onError once, then nothing. */
  fail(err: StorageError): void {
    if (!this.active) return;
    this.error = err;
    this.held = undefined;
    this.hub.drop(this);
    this.schedule();
  }

  stop(): void {
    this.stopped = true;
    this.queue = [];
    this.held = undefined;
    this.hub.drop(this);
  }

  private enqueue(ev: WatchEvent): void {
    if (ev.revision < this.next || !ev.kv.key.startsWith(this.prefix)) return;
    this.next = ev.revision + 1;
    this.queue.push(ev);
    this.schedule();
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    // setImmediate rather than a microtask: a burst of writes becomes one batch, and
    // the callback never runs inside the writer's own call chain.
    setImmediate(() => this.flush());
  }

  private flush(): void {
    this.scheduled = false;
    if (this.stopped) return;
    if (this.queue.length > 0) {
      const batch = this.queue;
      this.queue = [];
      this.cb.onEvents(batch);
      if (this.stopped) return;
    }
    const err = this.error;
    if (err !== undefined) {
      this.stopped = true;
      this.cb.onError(err);
    }
  }
}
