/**
 * The pod status manager (upstream pkg/kubelet/status): the agent hands it the status
 * each pod should have; it writes changes through pods/status, one pod at a time per
 * agent, and performs the final DELETE of pods the agent has finished terminating.
 *
 * Contract:
 *   - set(pod, status) records the wanted status. A kubelet-owned condition keeps its
 *     lastTransitionTime while its status stays the same (compared with the last
 *     wanted status, else the pod's current one) and gets "now" when it changes.
 *     Nothing is written when the wanted status equals what the server has.
 *   - Writes are PUTs of the status subresource carrying the resourceVersion of the
 *     newest copy known (the informer's or the last write's answer); a 409 re-reads the
 *     pod and tries again; a 404 or a different uid under the name drops the pod.
 *     Conditions owned by other components are taken from the server's copy at write
 *     time, never overwritten.
 *   - requestDeletion(pod): once the wanted status has been written, DELETE the pod
 *     with gracePeriodSeconds 0 and a uid precondition, as upstream's status manager
 *     does when the pod worker has finished terminating a deleted pod.
 *   - Failed writes are retried after a backoff on the injected clock (500 ms doubling
 *     to 10 s). stop() drops what is pending; start() resumes.
 */
import type { PodCondition, PodStatus } from 'kubernetes-types/core/v1.js';
import { isConflict, isInvalid, isNotFound } from '../client/errors.js';
import type { RestClient } from '../client/rest.js';
import { rfc3339, type Clock } from '../util/clock.js';
import { jsonEqual } from './nodestatus.js';
import { KUBELET_POD_CONDITIONS } from './podstatus.js';
import { TimerQueue } from './timerqueue.js';
import { newest, PODS, type PodObject } from './types.js';

export interface PodStatusManagerOptions {
  client: RestClient;
  clock: Clock;
  /** The informer's copy of a pod, by uid. */
  getPod: (uid: string) => PodObject | undefined;
  log?: (message: string, err?: unknown) => void;
  /** Told when the final DELETE of a pod succeeded (or found it gone). */
  onDeleted?: (uid: string) => void;
}

interface Entry {
  uid: string;
  namespace: string;
  name: string;
  desired: PodStatus | undefined;
  /** The server's answer to our last write. */
  server: PodObject | undefined;
  deleteWanted: boolean;
  deleted: boolean;
  failures: number;
}

const RETRY_INITIAL_MS = 500;
const RETRY_MAX_MS = 10_000;
const MAX_CONFLICT_RETRIES = 3;

function mergeConditions(serverConds: readonly PodCondition[] | undefined, desired: readonly PodCondition[] | undefined): PodCondition[] {
  return [...(serverConds ?? []).filter((c) => !KUBELET_POD_CONDITIONS.has(c.type)), ...(desired ?? []).filter((c) => KUBELET_POD_CONDITIONS.has(c.type))];
}

/** The status to write over base: the wanted one, with other components' conditions from base. */
function statusFor(base: PodObject, desired: PodStatus): PodStatus {
  return { ...desired, conditions: mergeConditions(base.status?.conditions, desired.conditions) };
}

export class PodStatusManager {
  private readonly entries = new Map<string, Entry>();
  private readonly dirty = new Set<string>();
  private readonly retries: TimerQueue;
  private readonly log: (message: string, err?: unknown) => void;
  private pumping: Promise<void> | undefined;
  private stopped = false;
  /** Status writes and deletes sent (metrics, tests). */
  writes = 0;
  deletes = 0;

  constructor(private readonly o: PodStatusManagerOptions) {
    this.log = o.log ?? ((m, e) => console.error(`kubelite status manager: ${m}`, e ?? ''));
    this.retries = new TimerQueue(o.clock, (uid) => this.markDirty(uid), (e) => this.log('retry failed', e));
  }

  set(pod: PodObject, status: PodStatus): void {
    const uid = pod.metadata?.uid ?? '';
    if (uid === '') return;
    const e = this.entry(pod);
    const now = rfc3339(this.o.clock.now());
    const prev = e.desired?.conditions ?? newest(pod, e.server)?.status?.conditions ?? [];
    const conditions = (status.conditions ?? []).map((c) => {
      if (!KUBELET_POD_CONDITIONS.has(c.type)) return c;
      const p = prev.find((x) => x.type === c.type);
      return { ...c, lastTransitionTime: p !== undefined && p.status === c.status && p.lastTransitionTime !== undefined ? p.lastTransitionTime : now };
    });
    e.desired = { ...status, conditions };
    if (this.needsWrite(e, pod)) this.markDirty(uid);
  }

  /** DELETE the pod (grace 0, uid precondition) once its wanted status is written. */
  requestDeletion(pod: PodObject): void {
    const e = this.entry(pod);
    if (e.deleteWanted) return;
    e.deleteWanted = true;
    this.markDirty(e.uid);
  }

  /** The status last handed to set(). */
  desired(uid: string): PodStatus | undefined {
    return this.entries.get(uid)?.desired;
  }

  forget(uid: string): void {
    this.entries.delete(uid);
    this.dirty.delete(uid);
    this.retries.cancel(uid);
  }

  start(): void {
    this.stopped = false;
    for (const uid of this.entries.keys()) this.markDirty(uid);
  }

  stop(): void {
    this.stopped = true;
    this.dirty.clear();
    for (const uid of this.entries.keys()) this.retries.cancel(uid);
  }

  close(): void {
    this.stop();
    this.retries.close();
  }

  /** Resolves when nothing is being written and nothing waits to be. */
  async idle(): Promise<void> {
    while (this.pumping !== undefined) await this.pumping;
  }

  get pending(): number {
    return this.dirty.size;
  }

  private entry(pod: PodObject): Entry {
    const uid = pod.metadata?.uid ?? '';
    let e = this.entries.get(uid);
    if (e === undefined) {
      e = { uid, namespace: pod.metadata?.namespace ?? '', name: pod.metadata?.name ?? '', desired: undefined, server: undefined, deleteWanted: false, deleted: false, failures: 0 };
      this.entries.set(uid, e);
    }
    return e;
  }

  private needsWrite(e: Entry, informerCopy: PodObject | undefined): boolean {
    if (e.desired === undefined) return false;
    const base = newest(informerCopy, e.server);
    if (base === undefined) return true;
    return !jsonEqual(statusFor(base, e.desired), base.status);
  }

  private markDirty(uid: string): void {
    if (this.stopped || !this.entries.has(uid)) return;
    this.dirty.add(uid);
    this.pumping ??= this.pump();
  }

  private async pump(): Promise<void> {
    try {
      for (;;) {
        const next = this.dirty.values().next();
        if (next.done === true || this.stopped) break;
        const uid = next.value;
        this.dirty.delete(uid);
        const e = this.entries.get(uid);
        if (e === undefined) continue;
        try {
          await this.syncOne(e);
          e.failures = 0;
        } catch (err) {
          e.failures++;
          const wait = Math.min(RETRY_MAX_MS, RETRY_INITIAL_MS * 2 ** Math.min(e.failures - 1, 10));
          this.log(`writing the status of pod ${e.namespace}/${e.name} failed (attempt ${e.failures}); retrying in ${wait} ms`, err instanceof Error ? err.message : err);
          if (!this.stopped && this.entries.has(uid)) this.retries.schedule(uid, this.o.clock.now() + wait);
        }
      }
    } finally {
      this.pumping = undefined;
    }
  }

  private async syncOne(e: Entry): Promise<void> {
    const ref = { ...PODS, namespace: e.namespace, name: e.name };
    let base = newest(this.o.getPod(e.uid), e.server);
    for (let attempt = 0; e.desired !== undefined; attempt++) {
      if (base === undefined) {
        try {
          base = await this.o.client.get<PodObject>(ref);
        } catch (err) {
          if (isNotFound(err)) return this.gone(e);
          throw err;
        }
      }
      if (base.metadata?.uid !== e.uid) return this.gone(e);
      const status = statusFor(base, e.desired);
      if (jsonEqual(status, base.status)) break;
      try {
        e.server = await this.o.client.updateStatus<PodObject>(ref, { ...base, status });
        this.writes++;
        break;
      } catch (err) {
        if (isNotFound(err)) return this.gone(e);
        if (isInvalid(err) && base.metadata?.uid !== undefined) {
          // A uid that is not the object's: the name now belongs to another pod.
          const fresh = await this.o.client.get<PodObject>(ref).catch(() => undefined);
          if (fresh?.metadata?.uid !== e.uid) return this.gone(e);
          throw err;
        }
        if (!isConflict(err) || attempt >= MAX_CONFLICT_RETRIES) throw err;
        base = undefined;
      }
    }
    if (e.deleteWanted && !e.deleted) {
      try {
        await this.o.client.delete(ref, { gracePeriodSeconds: 0, preconditions: { uid: e.uid } });
        this.deletes++;
      } catch (err) {
        // Gone already, or the name belongs to another pod now (uid precondition failed).
        if (!isNotFound(err) && !isConflict(err)) throw err;
      }
      e.deleted = true;
      this.o.onDeleted?.(e.uid);
    }
  }

  private gone(e: Entry): void {
    const deleting = e.deleteWanted;
    this.forget(e.uid);
    if (deleting) this.o.onDeleted?.(e.uid);
  }
}
