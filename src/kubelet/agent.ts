/**
 * NodeAgent: the kubelet core. It registers its Node, heartbeats (a Lease every 10 s,
 * the Node status when it changed and at least every 5 min), and drives the pods bound
 * to its node through a ContainerRuntime, posting their status as upstream's kubelet
 * does. It reaches the cluster only through the client layer.
 *
 * Pod lifecycle, per pod (one sync at a time per pod, from a work queue fed by pod
 * events, runtime events and backoff wake-ups):
 *   1. admission (admission.ts): a pod that does not fit is rejected: phase Failed,
 *      reason OutOfcpu/..., message "Pod was rejected: ...", a Warning event.
 *   2. running: computePodActions says which containers to start (init containers
 *      first, restarts by restartPolicy with CrashLoopBackOff); the runtime starts them;
 *      the status (podstatus.ts) goes to the status manager.
 *   3. done (every container finished for good, e.g. a Job's pod): remaining sidecars
 *      and the sandbox are killed; the final status is posted (Succeeded/Failed).
 *   4. deletion (deletionTimestamp set): containers get the pod's grace period on the
 *      injected clock, the final status is posted, then the pod is DELETEd with
 *      gracePeriodSeconds 0 and a uid precondition (status manager).
 *   5. gone from the API: whatever still runs is killed and forgotten.
 * Pods bound to nodes without an agent are not this agent's business (podgc's).
 * Static pods: not yet (the seam is podsFromFiles() returning none).
 *
 * stop() is a machine switched off as far as the cluster can tell: heartbeats,
 * status writes and the pod watch stop; the Node and Lease stay (the node lifecycle
 * controller will find the lease expiring). The runtime's containers are left as they
 * are, like containers surviving a kubelet restart. start() registers again (updating
 * the existing Node), resumes heartbeats and reconciles every pod of the node.
 */
import type { Pod, PodStatus } from 'kubernetes-types/core/v1.js';
import { EventRecorder, type ObjectReference } from '../client/events.js';
import { isAlreadyExists, isConflict, isNotFound } from '../client/errors.js';
import { SharedInformer } from '../client/informer.js';
import { NODE_NAME_INDEX, nodeNameIndexFunc } from '../client/indexer.js';
import { listWatcherFor } from '../client/reflector.js';
import { Sleeper } from '../client/backoff.js';
import type { OwnerReference } from '../client/types.js';
import { WorkQueue } from '../client/workqueue.js';
import { rfc3339, type TimerHandle } from '../util/clock.js';
import { admitPod } from './admission.js';
import { NodeLeaseController } from './nodelease.js';
import { desiredNodeStatus, HEALTHY, initialNode, nodeStatusChanged, reconcileExistingNode, type NodeHealth, type NodeStatusEvent } from './nodestatus.js';
import { validateNodeAgentOptions, type NodeAgentOptions, type ResolvedNodeAgentOptions } from './options.js';
import { computePodActions, type BackoffWait } from './podactions.js';
import { PodIPAllocator } from './podips.js';
import { PodsByNode } from './podsource.js';
import { generatePodStatus, isTerminalPhase, rejectedPodStatus } from './podstatus.js';
import { RestartBackoff } from './restartbackoff.js';
import { findContainer } from './runtime/simulated.js';
import { PodStatusManager } from './statusmanager.js';
import { TimerQueue } from './timerqueue.js';
import { KUBELET_COMPONENT, newest, NODES, PODS, podKey, type LeaseObject, type NodeObject, type PodObject } from './types.js';

export type { NodeAgentOptions } from './options.js';

interface PodRecord {
  uid: string;
  key: string;
  pod: PodObject;
  /** Gone from the API (or never there: a runtime orphan). */
  removed: boolean;
  admitted: boolean;
  rejected: boolean;
  /** Terminal before this agent ever ran it: nothing to do but let it be. */
  finishedBefore: boolean;
  /** Nothing more will run: terminal phase reached. */
  done: boolean;
  startTime?: string;
  podIP?: string;
  kill?: { grace: number; finished: boolean };
}

/** What an agent is doing, for pools, benchmarks and tests. */
export interface NodeAgentStats {
  pods: number;
  leaseRenewals: number;
  nodeStatusWrites: number;
  podStatusWrites: number;
  podDeletes: number;
}

const JITTER = 0.04;
const SYNC_RETRY_MS = 1000;

const podFieldSelector = (node: string): string => `spec.nodeName=${node}`;

/** Drop managedFields before objects enter an informer cache the agent owns. */
function stripManagedFields<T extends PodObject | NodeObject>(obj: T): T {
  if (obj.metadata?.managedFields === undefined) return obj;
  const { managedFields: _m, ...metadata } = obj.metadata;
  return { ...obj, metadata } as T;
}

export class NodeAgent {
  readonly nodeName: string;
  private readonly o: ResolvedNodeAgentOptions;
  private running_ = false;
  private gen = 0;
  private starting: Promise<void> | undefined;
  private registered: NodeObject | undefined;
  private lastStatusReport = 0;
  private readonly pods = new Map<string, PodRecord>();
  private readonly byKey = new Map<string, string>();
  private queue: WorkQueue<string> | undefined;
  private workers: Promise<void>[] = [];
  private readonly lease: NodeLeaseController;
  private readonly statusManager: PodStatusManager;
  private readonly backoff: RestartBackoff;
  private readonly wakeups: TimerQueue;
  private readonly ips: PodIPAllocator;
  private readonly recorder: EventRecorder | undefined;
  private readonly ownRecorder: boolean;
  private readonly sleeper: Sleeper;
  private statusTimer: TimerHandle | undefined;
  private statusInFlight: Promise<void> | undefined;
  private podInformer: SharedInformer<PodObject> | undefined;
  private nodeInformer: SharedInformer<NodeObject> | undefined;
  private ownInformers: SharedInformer<PodObject | NodeObject>[] = [];
  private unsubscribe: (() => void)[] = [];
  private health: NodeHealth = { ...HEALTHY };
  private nodeStatusWrites = 0;

  constructor(opts: NodeAgentOptions) {
    this.o = validateNodeAgentOptions(opts);
    const o = this.o;
    this.nodeName = o.nodeName;
    this.backoff = new RestartBackoff(o.clock, o.restartBackoff);
    this.ips = new PodIPAllocator(o.podIPRange);
    this.sleeper = new Sleeper(o.clock);
    this.wakeups = new TimerQueue(o.clock, (uid) => this.enqueue(uid), (e) => o.log('wake-up failed', e));
    if (o.recorder === false) {
      this.recorder = undefined;
      this.ownRecorder = false;
    } else if (o.recorder !== undefined) {
      this.recorder = o.recorder;
      this.ownRecorder = false;
    } else {
      this.recorder = new EventRecorder({ client: o.client, component: KUBELET_COMPONENT, host: o.nodeName, clock: o.clock, log: o.log });
      this.ownRecorder = true;
    }
    this.statusManager = new PodStatusManager({
      client: o.client,
      clock: o.clock,
      getPod: (uid) => this.pods.get(uid)?.pod,
      log: (m, e) => o.log(m, e),
    });
    this.lease = new NodeLeaseController({
      client: o.client,
      nodeName: o.nodeName,
      clock: o.clock,
      leaseDurationSeconds: o.leaseDurationSeconds,
      renewIntervalMs: o.renewIntervalMs,
      owner: () => this.ownerRef(),
      random: o.random,
      ...(o.spreadHeartbeats ? { firstPeriodMs: () => o.random() * o.renewIntervalMs } : {}),
      log: (m, e) => o.log(m, e),
    });
  }

  /** True between start() and stop(). */
  get running(): boolean {
    return this.running_;
  }

  /** The Node as this agent last wrote or saw it. */
  get node(): NodeObject | undefined {
    return this.currentNode();
  }

  /** The Lease as last renewed. */
  get nodeLease(): LeaseObject | undefined {
    return this.lease.lease;
  }

  stats(): NodeAgentStats {
    return {
      pods: this.pods.size,
      leaseRenewals: this.lease.renewals,
      nodeStatusWrites: this.nodeStatusWrites,
      podStatusWrites: this.statusManager.writes,
      podDeletes: this.statusManager.deletes,
    };
  }

  /**
   * Registers the node (creating or updating it), starts heartbeats and the pod watch.
   * Resolves once the node is registered and its pods are being handled; retries
   * registration with backoff (100 ms doubling to 7 s) until it succeeds or stop().
   */
  start(): Promise<void> {
    if (this.running_ && this.starting !== undefined) return this.starting;
    this.running_ = true;
    const gen = ++this.gen;
    this.starting = this.run(gen);
    return this.starting;
  }

  /** Stops heartbeats, status writes and the pod watch; the Node is not deleted. */
  async stop(): Promise<void> {
    if (!this.running_) return;
    this.running_ = false;
    this.gen++;
    this.sleeper.interrupt();
    this.lease.stop();
    if (this.statusTimer !== undefined) this.o.clock.clearTimeout(this.statusTimer);
    this.statusTimer = undefined;
    for (const u of this.unsubscribe.splice(0)) u();
    this.statusManager.stop();
    for (const uid of this.pods.keys()) this.wakeups.cancel(uid);
    const q = this.queue;
    this.queue = undefined;
    q?.shutDown();
    await Promise.all(this.workers.splice(0));
    await Promise.all(this.ownInformers.splice(0).map((i) => i.stop()));
    this.podInformer = undefined;
    this.nodeInformer = undefined;
    await this.starting?.catch(() => undefined);
    this.starting = undefined;
    await this.lease.idle();
    await this.statusInFlight;
    await this.statusManager.idle();
  }

  /** stop(), then releases what the agent owns (its event recorder, timers). The runtime is the caller's. */
  async close(): Promise<void> {
    await this.stop();
    this.statusManager.close();
    this.wakeups.close();
    if (this.ownRecorder) await this.recorder?.shutdown();
  }

  /** Waits until queued pod syncs and status writes are done (tests). */
  async idle(): Promise<void> {
    for (let i = 0; i < 3; i++) {
      while (this.queue !== undefined && this.queue.len() > 0) await new Promise((r) => setImmediate(r));
      await this.statusManager.idle();
      await new Promise((r) => setImmediate(r));
    }
  }

  // ---- lifecycle ---------------------------------------------------------------------

  private async run(gen: number): Promise<void> {
    const o = this.o;
    this.podInformer = o.podInformer ?? this.ownPodInformer();
    this.nodeInformer = o.nodeInformer ?? this.ownNodeInformer();
    this.podInformer.start();
    this.nodeInformer.start();
    const q = new WorkQueue<string>();
    this.queue = q;
    for (let i = 0; i < o.workers; i++) this.workers.push(this.worker(q, gen));
    this.statusManager.start();
    this.unsubscribe.push(
      o.runtime.onContainerEvent((e) => {
        const rec = this.pods.get(e.podUID);
        if (rec === undefined) return;
        if (e.type === 'started') {
          const c = findContainer(rec.pod, e.container);
          if (c !== undefined) this.podEvent(rec.pod, 'Normal', 'Started', `Started container ${e.container}`, e.container, c.kind !== 'regular');
        }
        this.enqueue(e.podUID);
      }),
    );
    if (!(await this.register(gen))) return;
    this.nodeEvent('Normal', 'Starting', 'Starting kubelet.');
    this.nodeEvent('Normal', 'NodeAllocatableEnforced', 'Updated Node Allocatable limit across pods');
    this.lease.start();
    if (o.spreadHeartbeats) {
      // As if the node had booted at a random time: the 10 s tick and the 5 min report at random phases.
      this.lastStatusReport -= o.random() * o.nodeStatusReportFrequencyMs;
      this.scheduleStatus(gen, o.random() * o.nodeStatusUpdateFrequencyMs);
    } else this.scheduleStatus(gen, this.jittered(o.nodeStatusUpdateFrequencyMs));
    const pods = this.podInformer;
    if (!(await pods.waitForCacheSync()) || gen !== this.gen) return;
    const source = PodsByNode.for(pods);
    this.unsubscribe.push(
      source.subscribe(this.nodeName, {
        onPod: (pod) => this.onPod(pod),
        onPodDeleted: (pod) => this.onPodDeleted(pod),
      }),
    );
    this.reconcileAll(source.list(this.nodeName));
  }

  /** Registration with retries (upstream registerWithAPIServer: 100 ms doubling to 7 s). */
  private async register(gen: number): Promise<boolean> {
    let step = 100;
    for (;;) {
      if (gen !== this.gen) return false;
      try {
        await this.tryRegister();
        return gen === this.gen;
      } catch (e) {
        this.o.log(`registering node ${this.nodeName} failed; retrying in ${step} ms`, e instanceof Error ? e.message : e);
        await this.sleeper.sleep(step);
        step = Math.min(step * 2, 7000);
      }
    }
  }

  private async tryRegister(): Promise<void> {
    const o = this.o;
    const now = o.clock.now();
    const node = initialNode(o.node, now, this.health);
    try {
      const created = await o.client.create<NodeObject>(NODES, node);
      this.registered = created;
      if ((created.status?.conditions ?? []).length === 0) await this.syncNodeStatus(true);
      else {
        this.lastStatusReport = now;
        this.nodeStatusWrites++;
        this.recordNodeStatusEvents(desiredNodeStatus(o.node, undefined, now, this.health).events);
      }
      return;
    } catch (e) {
      if (!isAlreadyExists(e)) throw e;
    }
    // The node exists (a restart, or someone created it): reconcile what the kubelet owns.
    let existing = await o.client.get<NodeObject>({ ...NODES, name: this.nodeName });
    for (let attempt = 0; ; attempt++) {
      const upd = reconcileExistingNode(existing, o.node);
      if (upd === undefined) break;
      try {
        existing = await o.client.update<NodeObject>(NODES, upd);
        break;
      } catch (e) {
        if (!isConflict(e) || attempt >= 5) throw e;
        existing = await o.client.get<NodeObject>({ ...NODES, name: this.nodeName });
      }
    }
    this.registered = existing;
    await this.syncNodeStatus(true);
  }

  private ownerRef(): OwnerReference | undefined {
    const uid = this.currentNode()?.metadata?.uid;
    return uid === undefined ? undefined : { apiVersion: 'v1', kind: 'Node', name: this.nodeName, uid };
  }

  private currentNode(): NodeObject | undefined {
    return newest(this.nodeInformer?.lister().get('', this.nodeName), this.registered);
  }

  // ---- node status -------------------------------------------------------------------

  private jittered(ms: number): number {
    return ms * (1 + this.o.random() * JITTER);
  }

  private scheduleStatus(gen: number, delay: number): void {
    if (gen !== this.gen) return;
    this.statusTimer = this.o.clock.setTimeout(() => {
      this.statusTimer = undefined;
      if (gen !== this.gen) return;
      this.statusInFlight = this.syncNodeStatus(false)
        .catch((e: unknown) => this.o.log('updating node status failed', e instanceof Error ? e.message : e))
        .finally(() => {
          this.statusInFlight = undefined;
          this.scheduleStatus(gen, this.jittered(this.o.nodeStatusUpdateFrequencyMs));
        });
    }, delay);
  }

  /**
   * Computes the node status; writes it when it changed, when the report period has
   * passed, or when forced. Retries conflicts with a fresh read (upstream: 5 tries).
   */
  private async syncNodeStatus(force: boolean): Promise<void> {
    const o = this.o;
    let base = this.currentNode();
    for (let attempt = 0; attempt < 5; attempt++) {
      const now = o.clock.now();
      if (base === undefined) {
        try {
          base = await o.client.get<NodeObject>({ ...NODES, name: this.nodeName });
        } catch (e) {
          if (isNotFound(e)) {
            o.log(`node ${this.nodeName} not found; its status is not updated until the agent restarts`);
            return;
          }
          throw e;
        }
      }
      const { status, events } = desiredNodeStatus(o.node, base.status, now, this.health);
      if (!force && !nodeStatusChanged(status, base.status) && now - this.lastStatusReport < o.nodeStatusReportFrequencyMs) return;
      try {
        this.registered = await o.client.updateStatus<NodeObject>({ ...NODES, name: this.nodeName }, { ...base, status });
        this.lastStatusReport = now;
        this.nodeStatusWrites++;
        this.recordNodeStatusEvents(events);
        return;
      } catch (e) {
        if (!isConflict(e)) throw e;
        base = undefined;
      }
    }
    throw new Error(`updating the status of node ${this.nodeName}: too many conflicts`);
  }

  private recordNodeStatusEvents(events: NodeStatusEvent[]): void {
    for (const ev of events) this.nodeEvent(ev.type, ev.reason, `Node ${this.nodeName} status is now: ${ev.reason}`);
  }

  // ---- events ------------------------------------------------------------------------

  private nodeEvent(type: 'Normal' | 'Warning', reason: string, message: string): void {
    // upstream's nodeRef uses the node name as UID.
    this.recorder?.event({ kind: 'Node', apiVersion: 'v1', name: this.nodeName, uid: this.nodeName }, type, reason, message);
  }

  private podEvent(pod: Pod, type: 'Normal' | 'Warning', reason: string, message: string, container?: string, init?: boolean): void {
    if (this.recorder === undefined) return;
    const ref: ObjectReference = {
      kind: 'Pod',
      apiVersion: 'v1',
      namespace: pod.metadata?.namespace,
      name: pod.metadata?.name,
      uid: pod.metadata?.uid,
      resourceVersion: pod.metadata?.resourceVersion,
      ...(container !== undefined ? { fieldPath: `spec.${init === true ? 'initContainers' : 'containers'}{${container}}` } : {}),
    };
    this.recorder.event(ref, type, reason, message);
  }

  // ---- pods: events in ---------------------------------------------------------------

  private ownPodInformer(): SharedInformer<PodObject> {
    const inf = new SharedInformer<PodObject>({
      name: `v1/pods on ${this.nodeName}`,
      listerWatcher: listWatcherFor<PodObject>(this.o.client, PODS, { fieldSelector: podFieldSelector(this.nodeName) }),
      clock: this.o.clock,
      indexers: { [NODE_NAME_INDEX]: nodeNameIndexFunc },
      transform: stripManagedFields,
      onHandlerError: (e) => this.o.log('pod handler failed', e),
    });
    this.ownInformers.push(inf as SharedInformer<PodObject | NodeObject>);
    return inf;
  }

  private ownNodeInformer(): SharedInformer<NodeObject> {
    const inf = new SharedInformer<NodeObject>({
      name: `v1/nodes ${this.nodeName}`,
      listerWatcher: listWatcherFor<NodeObject>(this.o.client, NODES, { fieldSelector: `metadata.name=${this.nodeName}` }),
      clock: this.o.clock,
      transform: stripManagedFields,
      onHandlerError: (e) => this.o.log('node handler failed', e),
    });
    this.ownInformers.push(inf as SharedInformer<PodObject | NodeObject>);
    return inf;
  }

  /** Static pods (manifests on disk) are a later issue; this is where they will come in. */
  protected podsFromFiles(): PodObject[] {
    return [];
  }

  private onPod(pod: PodObject): void {
    const uid = pod.metadata?.uid;
    if (uid === undefined || uid === '') return;
    const key = podKey(pod);
    const prevUID = this.byKey.get(key);
    if (prevUID !== undefined && prevUID !== uid) {
      // Same name, new pod: the old one is gone.
      const old = this.pods.get(prevUID);
      if (old !== undefined && !old.removed) {
        old.removed = true;
        this.enqueue(prevUID);
      }
    }
    this.byKey.set(key, uid);
    let rec = this.pods.get(uid);
    if (rec === undefined) {
      rec = { uid, key, pod, removed: false, admitted: false, rejected: false, finishedBefore: false, done: false };
      this.pods.set(uid, rec);
    } else rec.pod = pod;
    this.enqueue(uid);
  }

  private onPodDeleted(pod: PodObject): void {
    const uid = pod.metadata?.uid;
    if (uid === undefined) return;
    const rec = this.pods.get(uid);
    if (rec === undefined) return;
    rec.pod = pod;
    rec.removed = true;
    this.enqueue(uid);
  }

  /** After (re)start: every pod of the node from the cache, pods gone meanwhile, runtime orphans. */
  private reconcileAll(current: PodObject[]): void {
    const sorted = [...current, ...this.podsFromFiles()].sort((a, b) => (a.metadata?.creationTimestamp ?? '').localeCompare(b.metadata?.creationTimestamp ?? ''));
    const seen = new Set<string>();
    for (const pod of sorted) {
      seen.add(pod.metadata?.uid ?? '');
      this.onPod(pod);
    }
    for (const [uid, rec] of this.pods) {
      if (seen.has(uid) || rec.removed) continue;
      rec.removed = true;
      this.enqueue(uid);
    }
    for (const uid of this.o.runtime.listPods()) {
      if (this.pods.has(uid)) continue;
      const orphan: PodObject = { metadata: { uid, name: '', namespace: '' } };
      this.pods.set(uid, { uid, key: '', pod: orphan, removed: true, admitted: true, rejected: false, finishedBefore: false, done: true });
      this.enqueue(uid);
    }
  }

  private enqueue(uid: string): void {
    this.queue?.add(uid);
  }

  private async worker(q: WorkQueue<string>, gen: number): Promise<void> {
    for (;;) {
      const uid = await q.get();
      if (uid === undefined) return;
      try {
        if (gen === this.gen) await this.syncPod(uid);
      } catch (e) {
        this.o.log(`syncing pod ${this.pods.get(uid)?.key ?? uid} failed; retrying`, e);
        if (gen === this.gen) this.wakeups.schedule(uid, this.o.clock.now() + SYNC_RETRY_MS);
      } finally {
        q.done(uid);
      }
    }
  }

  // ---- pods: the sync ----------------------------------------------------------------

  private async syncPod(uid: string): Promise<void> {
    const rec = this.pods.get(uid);
    if (rec === undefined) return;
    const o = this.o;
    const now = o.clock.now();

    if (rec.removed) {
      if (o.runtime.podStatus(uid) !== undefined && !killed(rec)) {
        this.startKill(rec, Math.max(0, rec.pod.metadata?.deletionGracePeriodSeconds ?? 0));
        if (!killed(rec)) return;
      }
      this.cleanup(rec);
      return;
    }

    const pod = rec.pod;
    const deleting = pod.metadata?.deletionTimestamp !== undefined && pod.metadata.deletionTimestamp !== null;
    if (!rec.admitted && !rec.rejected) this.admit(rec, now);
    if (rec.rejected || rec.finishedBefore) {
      if (deleting) this.statusManager.requestDeletion(pod);
      return;
    }
    rec.startTime ??= pod.status?.startTime ?? rfc3339(now);

    if (deleting || rec.done) {
      this.startKill(rec, deleting ? deletionGrace(pod) : specGrace(pod));
      const finished = this.killComplete(rec);
      const status = this.statusOf(rec, undefined, finished);
      this.statusManager.set(pod, status);
      if (finished && deleting) this.statusManager.requestDeletion(pod);
      return;
    }

    let rt = o.runtime.podStatus(uid);
    const hostNetwork = pod.spec?.hostNetwork === true;
    if (rec.podIP === undefined) {
      if (hostNetwork) rec.podIP = o.hostIP;
      else {
        const had = pod.status?.podIP;
        if (had !== undefined && had !== '' && this.ips.claim(uid, had)) rec.podIP = had;
        else rec.podIP = this.ips.allocate(uid);
      }
      if (rec.podIP === undefined) {
        this.podEvent(pod, 'Warning', 'FailedCreatePodSandBox', `Failed to create pod sandbox: no IP addresses available in range set: ${o.podIPRange}`);
        this.wakeups.schedule(uid, now + SYNC_RETRY_MS * 10);
        this.statusManager.set(pod, this.statusOf(rec, undefined, false));
        return;
      }
    }
    const actions = computePodActions(pod, rt, this.backoff, now);
    if (rt === undefined || actions.start.length > 0) {
      for (const name of actions.start) {
        const c = findContainer(pod, name);
        const init = c !== undefined && c.kind !== 'regular';
        this.podEvent(pod, 'Normal', 'Pulled', `Container image "${c?.container.image ?? ''}" already present on machine`, name, init);
        this.podEvent(pod, 'Normal', 'Created', `Created container ${name}`, name, init);
      }
      await o.runtime.syncPod(pod, { start: actions.start, podIP: rec.podIP });
      rt = o.runtime.podStatus(uid);
    }
    if (actions.waits.length > 0) {
      this.wakeups.schedule(uid, Math.min(...actions.waits.map((w) => w.until)));
      for (const w of actions.waits) {
        const c = findContainer(pod, w.container);
        this.podEvent(pod, 'Warning', 'BackOff', `Back-off restarting failed container ${w.container} in pod ${pod.metadata?.name ?? ''}_${pod.metadata?.namespace ?? ''}(${uid})`, w.container, c?.kind !== 'regular');
      }
    }
    const status = this.statusOf(rec, actions.waits, false, rt);
    if (actions.done || isTerminalPhase(status.phase)) {
      rec.done = true;
      this.enqueue(uid);
    }
    this.statusManager.set(pod, status);
  }

  private statusOf(rec: PodRecord, waits: readonly BackoffWait[] | undefined, terminal: boolean, rt = this.o.runtime.podStatus(rec.uid)): PodStatus {
    return generatePodStatus(rec.pod, rt, {
      hostIP: this.o.hostIP,
      ...(rec.podIP !== undefined && (rt?.sandboxReady === true || rec.kill !== undefined || rec.pod.status?.podIP !== undefined) ? { podIP: rec.podIP } : {}),
      startTime: rec.startTime ?? rfc3339(this.o.clock.now()),
      ...(waits !== undefined ? { waits } : {}),
      terminal,
    });
  }

  private admit(rec: PodRecord, now: number): void {
    const pod = rec.pod;
    const ran = this.o.runtime.podStatus(rec.uid) !== undefined;
    if (ran || pod.metadata?.deletionTimestamp !== undefined) {
      // Already running here (an agent restart), or deleted before it ever ran.
      rec.admitted = true;
      return;
    }
    if (isTerminalPhase(pod.status?.phase)) {
      rec.admitted = true;
      rec.finishedBefore = true;
      return;
    }
    const node = this.currentNode();
    if (node === undefined) {
      this.reject(rec, 'InvalidNodeInfo', 'Kubelet cannot get node info.', now);
      return;
    }
    const others: Pod[] = [];
    for (const r of this.pods.values()) if (r !== rec && r.admitted && !r.rejected && !r.done && !r.removed && !r.finishedBefore) others.push(r.pod);
    const res = admitPod(pod, node, others);
    if (res.admit) rec.admitted = true;
    else this.reject(rec, res.reason, res.message, now);
  }

  private reject(rec: PodRecord, reason: string, message: string, now: number): void {
    rec.rejected = true;
    this.podEvent(rec.pod, 'Warning', reason, message);
    this.statusManager.set(rec.pod, rejectedPodStatus(rec.pod, reason, message, rfc3339(now)));
  }

  private startKill(rec: PodRecord, grace: number): void {
    const o = this.o;
    if (rec.kill !== undefined) {
      if (!rec.kill.finished && grace < rec.kill.grace) {
        rec.kill.grace = grace;
        void o.runtime.killPod(rec.pod, grace).catch((e: unknown) => o.log(`killing pod ${rec.key} failed`, e));
      }
      return;
    }
    const rt = o.runtime.podStatus(rec.uid);
    if (rt === undefined) {
      rec.kill = { grace, finished: true };
      if (rec.pod.spec?.hostNetwork !== true) this.ips.release(rec.uid);
      return;
    }
    for (const c of rt.containers) {
      if (c.state.state === 'running') this.podEvent(rec.pod, 'Normal', 'Killing', `Stopping container ${c.name}`, c.name, c.kind !== 'regular');
    }
    const kill = { grace, finished: false };
    rec.kill = kill;
    const gen = this.gen;
    o.runtime.killPod(rec.pod, grace).then(
      () => {
        kill.finished = true;
        if (rec.pod.spec?.hostNetwork !== true) this.ips.release(rec.uid);
        if (gen === this.gen) this.enqueue(rec.uid);
      },
      (e: unknown) => {
        o.log(`killing pod ${rec.key} failed; retrying`, e);
        rec.kill = undefined;
        if (gen === this.gen) this.wakeups.schedule(rec.uid, o.clock.now() + SYNC_RETRY_MS);
      },
    );
  }

  /** The kill finished, or the runtime already shows it done (its promise settles a moment later). */
  private killComplete(rec: PodRecord): boolean {
    if (rec.kill === undefined) return false;
    if (rec.kill.finished) return true;
    const rt = this.o.runtime.podStatus(rec.uid);
    return rt === undefined || (rt.killing && !rt.sandboxReady && rt.containers.every((c) => c.state.state === 'terminated'));
  }

  private cleanup(rec: PodRecord): void {
    this.o.runtime.removePod(rec.uid);
    this.ips.release(rec.uid);
    this.backoff.forgetPrefix(`${rec.uid}/`);
    this.statusManager.forget(rec.uid);
    this.wakeups.cancel(rec.uid);
    this.pods.delete(rec.uid);
    if (this.byKey.get(rec.key) === rec.uid) this.byKey.delete(rec.key);
  }
}

function killed(rec: PodRecord): boolean {
  return rec.kill?.finished === true;
}

/** The grace period of a deleted pod: deletionGracePeriodSeconds, else the spec's, else 30. */
function deletionGrace(pod: Pod): number {
  const g = pod.metadata?.deletionGracePeriodSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? 30;
  return Math.max(0, g);
}

function specGrace(pod: Pod): number {
  return Math.max(0, pod.spec?.terminationGracePeriodSeconds ?? 30);
}
