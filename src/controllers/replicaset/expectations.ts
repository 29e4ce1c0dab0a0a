/**
 * Controller expectations (upstream's UIDTrackingControllerExpectations): after a
 * controller asks for N creations or for the deletion of a set of pods, it must not act
 * on that controller's key again until its informer has observed those changes, or its
 * cache would make it act twice. Creations are counted; deletions are tracked by pod key
 * so that a deletion seen twice (update with deletionTimestamp, then delete) counts once.
 *
 * Expectations older than EXPECTATIONS_TIMEOUT_MS (5 min) count as satisfied, so a lost
 * watch event delays a controller but never wedges it.
 */
import type { Clock } from '../../util/clock.js';

export const EXPECTATIONS_TIMEOUT_MS = 5 * 60_000;

interface Expectee {
  add: number;
  del: number;
  timestamp: number;
  deleteKeys: Set<string>;
}

export class ControllerExpectations {
  private readonly m = new Map<string, Expectee>();

  constructor(private readonly clock: Clock) {}

  /** True when the controller may sync key: nothing expected, all observed, or expired. */
  satisfied(key: string): boolean {
    const e = this.m.get(key);
    if (e === undefined) return true;
    if (e.add <= 0 && e.del <= 0) return true;
    return this.clock.now() - e.timestamp > EXPECTATIONS_TIMEOUT_MS;
  }

  /** Expect n pod creations for key (replaces what was expected). */
  expectCreations(key: string, n: number): void {
    this.m.set(key, { add: n, del: 0, timestamp: this.clock.now(), deleteKeys: new Set() });
  }

  /** Expect the deletion of these pods ("namespace/name") for key (replaces what was expected). */
  expectDeletions(key: string, podKeys: readonly string[]): void {
    this.m.set(key, { add: 0, del: podKeys.length, timestamp: this.clock.now(), deleteKeys: new Set(podKeys) });
  }

  /** One expected creation happened (or will never happen). */
  creationObserved(key: string): void {
    const e = this.m.get(key);
    if (e !== undefined) e.add--;
  }

  /** The deletion of podKey was observed (or will never happen); counts once per pod. */
  deletionObserved(key: string, podKey: string): void {
    const e = this.m.get(key);
    if (e !== undefined && e.deleteKeys.delete(podKey)) e.del--;
  }

  delete(key: string): void {
    this.m.delete(key);
  }

  /** The pending counts for key (for tests and logs). */
  pending(key: string): { add: number; del: number } | undefined {
    const e = this.m.get(key);
    return e === undefined ? undefined : { add: e.add, del: e.del };
  }
}
