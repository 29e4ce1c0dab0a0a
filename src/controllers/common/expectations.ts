/**
 * Expectations, as upstream's controller_utils: a controller that just asked for N
 * creations and M deletions must not act on its (lagging) informer cache again until it
 * has seen them, or it would create or delete twice.
 *
 *   - expect(key, adds, dels) before issuing the requests; creationObserved /
 *     deletionObserved from the informer handlers (and for requests that failed).
 *   - satisfied(key) is true once both counts reached zero, when nothing was ever
 *     expected, or when the record is older than the TTL (5 min upstream), so a lost
 *     watch event cannot wedge a controller forever.
 *   - UIDTrackingControllerExpectations counts a deletion by pod key, so a deletion seen
 *     twice (an update with deletionTimestamp, then the delete) counts once.
 */
import type { Clock } from '../../util/clock.js';

export const EXPECTATIONS_TTL_MS = 5 * 60_000;

interface Record_ {
  adds: number;
  dels: number;
  at: number;
}

export class ControllerExpectations {
  private readonly records = new Map<string, Record_>();

  constructor(
    private readonly clock: Clock,
    private readonly ttlMs = EXPECTATIONS_TTL_MS,
  ) {}

  /** Replaces key's expectations. */
  expect(key: string, adds: number, dels: number): void {
    this.records.set(key, { adds: Math.max(0, adds), dels: Math.max(0, dels), at: this.clock.now() });
  }

  expectCreations(key: string, n: number): void {
    this.expect(key, n, 0);
  }

  expectDeletions(key: string, n: number): void {
    this.expect(key, 0, n);
  }

  /** Lowers the expected counts (an observation, or a request that failed or was skipped). */
  lower(key: string, adds: number, dels: number): void {
    const r = this.records.get(key);
    if (r === undefined) return;
    r.adds -= adds;
    r.dels -= dels;
  }

  creationObserved(key: string): void {
    this.lower(key, 1, 0);
  }

  deletionObserved(key: string): void {
    this.lower(key, 0, 1);
  }

  satisfied(key: string): boolean {
    const r = this.records.get(key);
    if (r === undefined) return true;
    if (r.adds <= 0 && r.dels <= 0) return true;
    return this.clock.now() - r.at > this.ttlMs;
  }

  delete(key: string): void {
    this.records.delete(key);
  }

  /** For tests and logs: what is still expected. */
  pending(key: string): { adds: number; dels: number } | undefined {
    const r = this.records.get(key);
    return r === undefined ? undefined : { adds: r.adds, dels: r.dels };
  }
}

/**
 * ControllerExpectations whose deletions are the keys ("namespace/name") of the pods
 * asked to be deleted (upstream's UIDTrackingControllerExpectations).
 */
export class UIDTrackingControllerExpectations {
  private readonly counts: ControllerExpectations;
  private readonly deleteKeys = new Map<string, Set<string>>();

  constructor(clock: Clock, ttlMs = EXPECTATIONS_TTL_MS) {
    this.counts = new ControllerExpectations(clock, ttlMs);
  }

  satisfied(key: string): boolean {
    return this.counts.satisfied(key);
  }

  /** Expect n creations for key (replaces what was expected, deletions included). */
  expectCreations(key: string, n: number): void {
    this.deleteKeys.delete(key);
    this.counts.expectCreations(key, n);
  }

  /** Expect the deletion of these pods for key (replaces what was expected). */
  expectDeletions(key: string, podKeys: readonly string[]): void {
    this.deleteKeys.set(key, new Set(podKeys));
    this.counts.expectDeletions(key, podKeys.length);
  }

  creationObserved(key: string): void {
    this.counts.creationObserved(key);
  }

  /** The deletion of podKey was observed (or will never happen); counts once per pod. */
  deletionObserved(key: string, podKey: string): void {
    if (this.deleteKeys.get(key)?.delete(podKey) === true) this.counts.deletionObserved(key);
  }

  delete(key: string): void {
    this.deleteKeys.delete(key);
    this.counts.delete(key);
  }

  pending(key: string): { adds: number; dels: number } | undefined {
    return this.counts.pending(key);
  }
}

/**
 * A set of UIDs per key the controller expects to see change (a finalizer removed, a
 * pod deleted). Entries leave when observed; expectedUIDs() answers what remains.
 */
export class UIDExpectations {
  private readonly sets = new Map<string, Set<string>>();

  expect(key: string, uids: Iterable<string>): void {
    let s = this.sets.get(key);
    if (s === undefined) {
      s = new Set();
      this.sets.set(key, s);
    }
    for (const u of uids) s.add(u);
  }

  observed(key: string, uid: string): void {
    const s = this.sets.get(key);
    if (s === undefined) return;
    s.delete(uid);
    if (s.size === 0) this.sets.delete(key);
  }

  expectedUIDs(key: string): ReadonlySet<string> {
    return this.sets.get(key) ?? new Set();
  }

  delete(key: string): void {
    this.sets.delete(key);
  }
}
