/**
 * Creating and deleting pods on behalf of a controller, with the events upstream's
 * RealPodControl records on the owner (SuccessfulCreate "Created pod: x",
 * FailedCreate "Error creating: ...", SuccessfulDelete "Deleted pod: x", FailedDelete),
 * and slow-start batching (1, 2, 4, ... creations; the first failing batch stops it).
 */
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { EventRecorder } from '../../client/events.js';
import { isNotFound } from '../../client/errors.js';
import type { DeleteOptions, RestClient } from '../../client/rest.js';
import type { KubeObject } from '../../client/types.js';
import { errorMessage } from './queue.js';
import { GVR, type Obj } from './types.js';

export const SLOW_START_INITIAL_BATCH_SIZE = 1;

export class PodControl {
  constructor(
    private readonly client: RestClient,
    private readonly recorder: EventRecorder,
  ) {}

  async createPod(owner: KubeObject, pod: Obj<Pod>): Promise<Obj<Pod>> {
    const ns = pod.metadata?.namespace ?? owner.metadata?.namespace ?? '';
    if (Object.keys(pod.metadata?.labels ?? {}).length === 0) throw new Error('unable to create pods, no labels');
    try {
      const created = await this.client.create<Obj<Pod>>({ ...GVR.pods, namespace: ns }, pod);
      this.recorder.event(owner, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata?.name ?? ''}`);
      return created;
    } catch (e) {
      this.recorder.event(owner, 'Warning', 'FailedCreate', `Error creating: ${errorMessage(e)}`);
      throw e;
    }
  }

  /** Deletes a pod; NotFound is thrown to the caller (who usually treats it as done) but not reported. */
  async deletePod(owner: KubeObject, namespace: string, name: string, opts?: DeleteOptions): Promise<void> {
    try {
      await this.client.delete({ ...GVR.pods, namespace, name }, opts);
      this.recorder.event(owner, 'Normal', 'SuccessfulDelete', `Deleted pod: ${name}`);
    } catch (e) {
      if (!isNotFound(e)) this.recorder.event(owner, 'Warning', 'FailedDelete', `Error deleting: ${errorMessage(e)}`);
      throw e;
    }
  }
}

/**
 * Runs fn for count items in slow-start batches (1, 2, 4, ...). Stops after the first
 * batch with a failure; returns how many succeeded, how many were never attempted, and
 * the first error.
 */
export async function slowStartBatch(count: number, initial: number, fn: (i: number) => Promise<void>): Promise<{ successes: number; skipped: number; error: unknown }> {
  let successes = 0;
  let pos = 0;
  let batch = Math.min(count, initial);
  while (batch > 0) {
    const results = await Promise.allSettled(Array.from({ length: batch }, (_, k) => fn(pos + k)));
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    successes += batch - failed.length;
    pos += batch;
    if (failed.length > 0) return { successes, skipped: count - pos, error: failed[0]?.reason };
    batch = Math.min(2 * batch, count - pos);
  }
  return { successes, skipped: 0, error: undefined };
}

/** Per-key exponential backoff on a clock (upstream flowcontrol.Backoff). */
export class Backoff {
  private readonly entries = new Map<string, { delay: number; last: number }>();
  constructor(
    private readonly initialMs: number,
    private readonly maxMs: number,
  ) {}

  /** Records an event for key at now and grows its delay. */
  next(key: string, now: number): void {
    const e = this.entries.get(key);
    if (e === undefined || now - e.last > 2 * this.maxMs) this.entries.set(key, { delay: this.initialMs, last: now });
    else this.entries.set(key, { delay: Math.min(e.delay * 2, this.maxMs), last: now });
  }

  /** Current delay of key (0 when none). */
  get(key: string): number {
    return this.entries.get(key)?.delay ?? 0;
  }

  /** Whether less than the current delay passed since the last event. */
  isInBackOffSinceUpdate(key: string, now: number): boolean {
    const e = this.entries.get(key);
    if (e === undefined || now - e.last > 2 * this.maxMs) return false;
    return now - e.last < e.delay;
  }

  /** Drops entries idle for longer than twice the maximum. */
  gc(now: number): void {
    for (const [k, e] of this.entries) if (now - e.last > 2 * this.maxMs) this.entries.delete(k);
  }
}
