/**
 * The scheduling queue (upstream internal/queue/scheduling_queue.go PriorityQueue).
 *
 * Three places a pending pod can be:
 *   - activeQ: ready to be tried, ordered by the QueueSort plugin (priority, then the
 *     time the pod entered the queue);
 *   - backoffQ: failed recently and waits out its backoff, 1 s doubled per failed
 *     attempt up to 10 s (upstream podInitialBackoffDuration/podMaxBackoffDuration),
 *     ordered by backoff expiry; moved to activeQ by a flush every second;
 *   - unschedulablePods: rejected by plugins and waiting for a cluster event one of
 *     those plugins registered (EventsToRegister). Pods that sat there longer than 5
 *     minutes (upstream podMaxInUnschedulablePodsDuration) are moved back by a flush
 *     every 30 s. Pods gated by a PreEnqueue plugin (scheduling gates) wait here too.
 * A popped pod is "in flight" until the cycle reports back (done or
 * addUnschedulableIfNotPresent); cluster events seen meanwhile are remembered so a pod
 * rejected by a now-stale snapshot is retried instead of parked.
 *
 * Simplification of upstream's QueueingHints: an event whose kind a rejecting plugin
 * registered always requeues the pod (no per-object hint functions).
 *
 * The queue is also the Nominator: it tracks pods nominated to nodes by preemption.
 */
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { Clock, TimerHandle } from '../util/clock.js';
import { eventMatches, UNSCHEDULABLE_TIMEOUT, WILDCARD_EVENT, type ClusterEvent } from './framework/events.js';
import { podUID } from './framework/helpers.js';
import type { Nominator, QueuedPodInfo } from './framework/interface.js';
import { PodInfo } from './framework/podinfo.js';
import { SUCCESS, type Status } from './framework/status.js';
import { Heap } from './internal/heap.js';

export const DEFAULT_POD_INITIAL_BACKOFF_MS = 1000;
export const DEFAULT_POD_MAX_BACKOFF_MS = 10_000;
export const DEFAULT_POD_MAX_IN_UNSCHEDULABLE_PODS_MS = 5 * 60 * 1000;
const FLUSH_BACKOFF_INTERVAL_MS = 1000;
const FLUSH_UNSCHEDULABLE_INTERVAL_MS = 30_000;

export interface SchedulingQueueOptions {
  clock: Clock;
  /** Queue order; default: priority, then timestamp. */
  less?: (a: QueuedPodInfo, b: QueuedPodInfo) => boolean;
  /** PreEnqueue check (the framework's runPreEnqueuePlugins); default: always Success. */
  preEnqueue?: (pod: Pod) => Status;
  /** Plugin -> events that may resolve its rejections (the framework's eventsToRegister). */
  eventsToRegister?: Map<string, ClusterEvent[]>;
  podInitialBackoffMs?: number;
  podMaxBackoffMs?: number;
  podMaxInUnschedulablePodsMs?: number;
}

export interface FailureInfo {
  /** Plugins that rejected the pod (empty for errors). */
  unschedulablePlugins?: ReadonlySet<string>;
  /** The attempt ended in an Error rather than a rejection. */
  error?: boolean;
}

interface InFlight {
  qpi: QueuedPodInfo;
  events: ClusterEvent[];
  /** The latest version of the pod seen while in flight. */
  latest: Pod | undefined;
  deleted: boolean;
}

export interface PendingPods {
  active: Pod[];
  backoff: Pod[];
  unschedulable: Pod[];
}

/** Did anything the scheduler looks at change besides status and bookkeeping (upstream isPodUpdated)? */
export function isPodUpdated(oldPod: Pod, newPod: Pod): boolean {
  const strip = (p: Pod): unknown => {
    const { resourceVersion: _rv, generation: _g, managedFields: _m, finalizers: _f, ...meta } = p.metadata ?? {};
    return { meta, spec: p.spec };
  };
  return JSON.stringify(strip(oldPod)) !== JSON.stringify(strip(newPod));
}

export class SchedulingQueue implements Nominator {
  private readonly clock: Clock;
  private readonly lessFn: (a: QueuedPodInfo, b: QueuedPodInfo) => boolean;
  private readonly preEnqueue: (pod: Pod) => Status;
  private eventsByPlugin: Map<string, ClusterEvent[]>;
  private readonly initialBackoff: number;
  private readonly maxBackoff: number;
  private readonly maxInUnschedulable: number;

  private readonly activeQ: Heap<QueuedPodInfo>;
  private readonly backoffQ: Heap<QueuedPodInfo>;
  private readonly unschedulable = new Map<string, QueuedPodInfo>();
  private readonly inFlight = new Map<string, InFlight>();
  private readonly nominatedByNode = new Map<string, PodInfo[]>();
  private readonly nominatedNodeOf = new Map<string, string>();
  private waiters: ((q: QueuedPodInfo | undefined) => void)[] = [];
  private timers: TimerHandle[] = [];
  private closed = false;
  /** Incremented by every pop. */
  schedulingCycle = 0;

  constructor(o: SchedulingQueueOptions) {
    this.clock = o.clock;
    this.lessFn =
      o.less ??
      ((a, b) => {
        const pa = a.podInfo.pod.spec?.priority ?? 0;
        const pb = b.podInfo.pod.spec?.priority ?? 0;
        return pa > pb || (pa === pb && a.timestamp < b.timestamp);
      });
    this.preEnqueue = o.preEnqueue ?? (() => SUCCESS);
    this.eventsByPlugin = o.eventsToRegister ?? new Map();
    this.initialBackoff = o.podInitialBackoffMs ?? DEFAULT_POD_INITIAL_BACKOFF_MS;
    this.maxBackoff = o.podMaxBackoffMs ?? DEFAULT_POD_MAX_BACKOFF_MS;
    this.maxInUnschedulable = o.podMaxInUnschedulablePodsMs ?? DEFAULT_POD_MAX_IN_UNSCHEDULABLE_PODS_MS;
    const key = (q: QueuedPodInfo): string => podUID(q.podInfo.pod);
    this.activeQ = new Heap(key, (a, b) => this.lessFn(a, b));
    this.backoffQ = new Heap(key, (a, b) => this.backoffExpiry(a) < this.backoffExpiry(b));
  }

  setEventsToRegister(m: Map<string, ClusterEvent[]>): void {
    this.eventsByPlugin = m;
  }

  /** Starts the periodic flushes (backoffQ every second, long-unschedulable pods every 30 s). */
  run(): void {
    if (this.timers.length > 0 || this.closed) return;
    const every = (ms: number, f: () => void): void => {
      const tick = (): void => {
        if (this.closed) return;
        f();
        this.timers.push(this.clock.setTimeout(tick, ms));
      };
      this.timers.push(this.clock.setTimeout(tick, ms));
    };
    every(FLUSH_BACKOFF_INTERVAL_MS, () => this.flushBackoffQCompleted());
    every(FLUSH_UNSCHEDULABLE_INTERVAL_MS, () => this.flushUnschedulablePodsLeftover());
  }

  /** Stops the flushes and wakes pop() callers with undefined. */
  close(): void {
    this.closed = true;
    for (const t of this.timers) this.clock.clearTimeout(t);
    this.timers = [];
    const ws = this.waiters;
    this.waiters = [];
    for (const w of ws) w(undefined);
  }

  private newQueuedPodInfo(pod: Pod): QueuedPodInfo {
    const now = this.clock.now();
    return {
      podInfo: new PodInfo(pod),
      timestamp: now,
      attempts: 0,
      unschedulableCount: 0,
      consecutiveErrorsCount: 0,
      initialAttemptTimestamp: undefined,
      unschedulablePlugins: new Set(),
      gatingPlugin: '',
      gatingMessage: '',
    };
  }

  private key(pod: Pod): string {
    return podUID(pod);
  }

  /** Hands the pod to a waiting pop() or puts it in activeQ. */
  private pushActive(q: QueuedPodInfo): void {
    const w = this.waiters.shift();
    if (w !== undefined) {
      this.markInFlight(q);
      w(q);
      return;
    }
    this.activeQ.addOrUpdate(q);
  }

  /** Runs PreEnqueue; moves the pod to activeQ, or parks it gated in unschedulablePods. */
  private moveToActiveQ(q: QueuedPodInfo): boolean {
    const s = this.preEnqueue(q.podInfo.pod);
    const k = this.key(q.podInfo.pod);
    if (!s.isSuccess()) {
      q.gatingPlugin = s.plugin !== '' ? s.plugin : 'PreEnqueue';
      q.gatingMessage = s.message();
      this.backoffQ.delete(k);
      this.unschedulable.set(k, q);
      return false;
    }
    q.gatingPlugin = '';
    q.gatingMessage = '';
    this.unschedulable.delete(k);
    this.backoffQ.delete(k);
    q.initialAttemptTimestamp ??= this.clock.now();
    this.pushActive(q);
    return true;
  }

  /** A new pending pod. */
  add(pod: Pod): void {
    const k = this.key(pod);
    if (this.activeQ.has(k) || this.backoffQ.has(k) || this.unschedulable.has(k) || this.inFlight.has(k)) {
      this.update(undefined, pod);
      return;
    }
    const q = this.newQueuedPodInfo(pod);
    this.addNominatedPod(q.podInfo);
    this.moveToActiveQ(q);
  }

  /** A pending pod changed. */
  update(oldPod: Pod | undefined, newPod: Pod): void {
    const k = this.key(newPod);
    const pi = new PodInfo(newPod);
    if (oldPod !== undefined) this.updateNominatedPod(oldPod, pi);
    const inActive = this.activeQ.get(k);
    if (inActive !== undefined) {
      inActive.podInfo = pi;
      this.activeQ.addOrUpdate(inActive);
      return;
    }
    const inBackoff = this.backoffQ.get(k);
    if (inBackoff !== undefined) {
      inBackoff.podInfo = pi;
      this.backoffQ.addOrUpdate(inBackoff);
      return;
    }
    const u = this.unschedulable.get(k);
    if (u !== undefined) {
      const changed = oldPod === undefined || isPodUpdated(oldPod, newPod);
      u.podInfo = pi;
      if (!changed) return;
      if (u.gatingPlugin !== '') {
        this.moveToActiveQ(u);
        return;
      }
      this.unschedulable.delete(k);
      this.requeue(u);
      return;
    }
    const f = this.inFlight.get(k);
    if (f !== undefined) {
      f.latest = newPod;
      if (oldPod === undefined || isPodUpdated(oldPod, newPod)) f.events.push({ resource: '*', actionType: 0, label: 'PodItselfUpdate' });
      return;
    }
    // Not known (e.g. it became pending again): treat as new.
    const q = this.newQueuedPodInfo(newPod);
    this.addNominatedPod(q.podInfo);
    this.moveToActiveQ(q);
  }

  /** The pod is gone or no longer ours (deleted, bound by someone else). */
  delete(pod: Pod): void {
    const k = this.key(pod);
    this.deleteNominatedPodIfExists(pod);
    this.activeQ.delete(k);
    this.backoffQ.delete(k);
    this.unschedulable.delete(k);
    const f = this.inFlight.get(k);
    if (f !== undefined) f.deleted = true;
  }

  private markInFlight(q: QueuedPodInfo): void {
    this.schedulingCycle++;
    q.attempts++;
    this.inFlight.set(this.key(q.podInfo.pod), { qpi: q, events: [], latest: undefined, deleted: false });
  }

  /** The next pod to schedule, or undefined without waiting. */
  tryPop(): QueuedPodInfo | undefined {
    const q = this.activeQ.pop();
    if (q !== undefined) this.markInFlight(q);
    return q;
  }

  /** Waits for the next pod; undefined once the queue is closed or the signal aborts. */
  pop(signal?: AbortSignal): Promise<QueuedPodInfo | undefined> {
    if (this.closed || signal?.aborted === true) return Promise.resolve(undefined);
    const q = this.tryPop();
    if (q !== undefined) return Promise.resolve(q);
    return new Promise((resolve) => {
      const waiter = (x: QueuedPodInfo | undefined): void => {
        signal?.removeEventListener('abort', onAbort);
        resolve(x);
      };
      const onAbort = (): void => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        resolve(undefined);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(waiter);
    });
  }

  /** The latest version of an in-flight pod, when it changed during its cycle. */
  latestInFlight(pod: Pod): Pod | undefined {
    return this.inFlight.get(this.key(pod))?.latest;
  }

  /** The cycle for this pod is over and it needs no requeue (bound or dropped). */
  done(pod: Pod): void {
    this.inFlight.delete(this.key(pod));
  }

  /** In-flight pods (popped, not yet done). */
  inFlightCount(): number {
    return this.inFlight.size;
  }

  private backoffDuration(q: QueuedPodInfo): number {
    if (q.attempts === 0) return 0;
    const count = q.consecutiveErrorsCount > 0 ? q.consecutiveErrorsCount : q.unschedulableCount;
    if (count === 0) return 0;
    let d = this.initialBackoff;
    for (let i = 1; i < count; i++) {
      if (d > this.maxBackoff - d) return this.maxBackoff;
      d += d;
    }
    return Math.min(d, this.maxBackoff);
  }

  /** When the pod's backoff ends (upstream getBackoffTime). */
  backoffExpiry(q: QueuedPodInfo): number {
    return q.timestamp + this.backoffDuration(q);
  }

  private isBackingOff(q: QueuedPodInfo): boolean {
    return this.backoffExpiry(q) > this.clock.now();
  }

  /** To backoffQ while backing off, else (through PreEnqueue) to activeQ. */
  private requeue(q: QueuedPodInfo): void {
    if (this.isBackingOff(q)) {
      this.backoffQ.addOrUpdate(q);
      return;
    }
    this.moveToActiveQ(q);
  }

  /**
   * The attempt for an in-flight pod failed. It goes back to backoffQ/activeQ when it
   * failed with an error, when no plugin is to blame, or when an event one of the
   * rejecting plugins registered arrived during the attempt; otherwise it waits in
   * unschedulablePods.
   */
  addUnschedulableIfNotPresent(q: QueuedPodInfo, info: FailureInfo = {}): void {
    const k = this.key(q.podInfo.pod);
    const f = this.inFlight.get(k);
    this.inFlight.delete(k);
    if (f?.deleted === true) return;
    if (this.activeQ.has(k) || this.backoffQ.has(k) || this.unschedulable.has(k)) return;
    if (f?.latest !== undefined) q.podInfo = new PodInfo(f.latest);
    q.timestamp = this.clock.now();
    q.unschedulablePlugins = new Set(info.unschedulablePlugins ?? []);
    if (info.error === true) {
      q.consecutiveErrorsCount++;
    } else {
      q.consecutiveErrorsCount = 0;
      q.unschedulableCount++;
    }
    const events = f?.events ?? [];
    const requeue =
      info.error === true || q.unschedulablePlugins.size === 0 || events.some((e) => e.label === 'PodItselfUpdate' || this.podMatchesEvent(q, e));
    if (requeue) {
      this.requeue(q);
      return;
    }
    this.unschedulable.set(k, q);
  }

  /** Whether the event may make the pod schedulable: some plugin that rejected (or gates) it registered it. */
  private podMatchesEvent(q: QueuedPodInfo, event: ClusterEvent): boolean {
    if (event === WILDCARD_EVENT || event === UNSCHEDULABLE_TIMEOUT) return true;
    const rejectors = new Set(q.unschedulablePlugins);
    if (q.gatingPlugin !== '') rejectors.add(q.gatingPlugin);
    if (rejectors.size === 0) return true;
    for (const plugin of rejectors) {
      for (const reg of this.eventsByPlugin.get(plugin) ?? []) {
        if (eventMatches(reg, event)) return true;
      }
    }
    return false;
  }

  /**
   * A cluster event: remembered for in-flight pods, and unschedulable pods that a
   * rejecting plugin registered it for move to backoffQ or activeQ (upstream
   * MoveAllToActiveOrBackoffQueue). `filter` narrows the pods considered.
   */
  moveAllToActiveOrBackoffQueue(event: ClusterEvent, filter?: (pod: Pod) => boolean): void {
    for (const f of this.inFlight.values()) f.events.push(event);
    const moved: QueuedPodInfo[] = [];
    for (const q of this.unschedulable.values()) {
      if (filter !== undefined && !filter(q.podInfo.pod)) continue;
      if (this.podMatchesEvent(q, event)) moved.push(q);
    }
    for (const q of moved) {
      const k = this.key(q.podInfo.pod);
      if (q.gatingPlugin !== '') {
        this.moveToActiveQ(q);
        continue;
      }
      this.unschedulable.delete(k);
      this.requeue(q);
    }
  }

  /** Forces pods (by object) into activeQ regardless of backoff (upstream Activate). */
  activate(pods: readonly Pod[]): void {
    for (const p of pods) {
      const k = this.key(p);
      const q = this.unschedulable.get(k) ?? this.backoffQ.get(k);
      if (q === undefined) continue;
      this.moveToActiveQ(q);
    }
  }

  /** Moves pods whose backoff has expired to activeQ. */
  flushBackoffQCompleted(): void {
    const now = this.clock.now();
    for (;;) {
      const q = this.backoffQ.peek();
      if (q === undefined || this.backoffExpiry(q) > now) return;
      this.backoffQ.pop();
      this.moveToActiveQ(q);
    }
  }

  /** Moves pods that stayed unschedulable longer than the limit (upstream flushUnschedulablePodsLeftover). */
  flushUnschedulablePodsLeftover(): void {
    const now = this.clock.now();
    const old: QueuedPodInfo[] = [];
    for (const q of this.unschedulable.values()) {
      if (q.gatingPlugin !== '') continue;
      if (now - q.timestamp > this.maxInUnschedulable) old.push(q);
    }
    for (const q of old) {
      this.unschedulable.delete(this.key(q.podInfo.pod));
      this.requeue(q);
    }
  }

  pendingPods(): PendingPods {
    return {
      active: this.activeQ.list().map((q) => q.podInfo.pod),
      backoff: this.backoffQ.list().map((q) => q.podInfo.pod),
      unschedulable: [...this.unschedulable.values()].map((q) => q.podInfo.pod),
    };
  }

  /** Where the pod is: 'active', 'backoff', 'unschedulable', 'inFlight' or undefined. */
  whereIs(pod: Pod): 'active' | 'backoff' | 'unschedulable' | 'inFlight' | undefined {
    const k = this.key(pod);
    if (this.activeQ.has(k)) return 'active';
    if (this.backoffQ.has(k)) return 'backoff';
    if (this.unschedulable.has(k)) return 'unschedulable';
    if (this.inFlight.has(k)) return 'inFlight';
    return undefined;
  }

  queuedPodInfo(pod: Pod): QueuedPodInfo | undefined {
    const k = this.key(pod);
    return this.activeQ.get(k) ?? this.backoffQ.get(k) ?? this.unschedulable.get(k) ?? this.inFlight.get(k)?.qpi;
  }

  // --- Nominator ---------------------------------------------------------------

  /** Records the pod as nominated to nodeName (or to status.nominatedNodeName when not given). */
  addNominatedPod(pi: PodInfo, nodeName?: string): void {
    this.deleteNominatedPodIfExists(pi.pod);
    const nn = nodeName ?? pi.pod.status?.nominatedNodeName ?? '';
    if (nn === '') return;
    let list = this.nominatedByNode.get(nn);
    if (list === undefined) this.nominatedByNode.set(nn, (list = []));
    list.push(pi);
    this.nominatedNodeOf.set(this.key(pi.pod), nn);
  }

  deleteNominatedPodIfExists(pod: Pod): void {
    const k = this.key(pod);
    const nn = this.nominatedNodeOf.get(k);
    if (nn === undefined) return;
    this.nominatedNodeOf.delete(k);
    const list = this.nominatedByNode.get(nn);
    if (list === undefined) return;
    const rest = list.filter((pi) => this.key(pi.pod) !== k);
    if (rest.length === 0) this.nominatedByNode.delete(nn);
    else this.nominatedByNode.set(nn, rest);
  }

  /** Keeps an in-memory nomination when an update arrives before the status write carrying it (upstream updateNominatedPod). */
  private updateNominatedPod(oldPod: Pod, pi: PodInfo): void {
    let override: string | undefined;
    if ((oldPod.status?.nominatedNodeName ?? '') === '' && (pi.pod.status?.nominatedNodeName ?? '') === '') {
      override = this.nominatedNodeOf.get(this.key(oldPod));
    }
    this.addNominatedPod(pi, override);
  }

  nominatedPodsForNode(nodeName: string): readonly PodInfo[] {
    return this.nominatedByNode.get(nodeName) ?? [];
  }

  nominatedNodeName(pod: Pod): string | undefined {
    return this.nominatedNodeOf.get(this.key(pod));
  }
}
