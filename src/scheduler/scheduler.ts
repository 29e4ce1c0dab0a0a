/**
 * kube-scheduler for kubelite: shared informers on pods and nodes (and on what plugins
 * read: PodDisruptionBudgets, namespaces, Services, ReplicaSets, StatefulSets,
 * ReplicationControllers, PriorityClasses) feed a SchedulerCore; a loop pops pending
 * pods whose spec.schedulerName is ours (pods for other schedulers are left alone) and
 * schedules them one at a time. Failures set PodScheduled=False (reason Unschedulable)
 * with the "0/N nodes are available: ..." message through pods/status and emit a
 * FailedScheduling Warning event; bindings emit "Scheduled" (Normal).
 *
 * With leaderElection, the loop runs only while this instance holds the Lease
 * kube-system/kube-scheduler; the informers keep the caches warm meanwhile.
 *
 * Pod priority: kubelite's API server has no Priority admission plugin yet, so a pod
 * without spec.priority gets its PriorityClass's value (or the globalDefault class's)
 * here, as the admission plugin would have set it.
 */
import { hostname } from 'node:os';
import type { Namespace, Node, Pod, ReplicationController, Service } from 'kubernetes-types/core/v1.js';
import type { ReplicaSet, StatefulSet } from 'kubernetes-types/apps/v1.js';
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1.js';
import type { PriorityClass } from 'kubernetes-types/scheduling/v1.js';
import { realClock, type Clock } from '../util/clock.js';
import { EventRecorder } from '../client/events.js';
import { unwrapTombstone } from '../client/indexer.js';
import { dropManagedFields, SharedInformerFactory, type HandlerRegistration, type SharedInformer } from '../client/informer.js';
import { leaseElector, type LeaderElector } from '../client/leaderelection.js';
import type { RestClient } from '../client/rest.js';
import { addUserAgent, defaultKubernetesUserAgent, KUBE_SCHEDULER } from '../client/useragent.js';
import type { KubeObject } from '../client/types.js';
import { clientSchedulerAPI } from './clientapi.js';
import { DEFAULT_SCHEDULER_NAME, SchedulerCore } from './core.js';
import type { PluginFactory, SchedulerAPI, SchedulerListers } from './framework/interface.js';
import type { PluginSpec } from './framework/runtime.js';

export interface LeaderElectionConfig {
  /** Unique per instance (default: hostname + random suffix). */
  identity?: string;
  /** Default kube-system / kube-scheduler, as upstream. */
  namespace?: string;
  name?: string;
  leaseDurationMs?: number;
  renewDeadlineMs?: number;
  retryPeriodMs?: number;
  releaseOnCancel?: boolean;
}

export interface SchedulerOptions {
  client: RestClient;
  clock?: Clock;
  /** Pods with this spec.schedulerName are ours (default "default-scheduler"; an empty name means the default). */
  schedulerName?: string;
  /** 0/undefined: adaptive; else 1..100. */
  percentageOfNodesToScore?: number;
  /** Share informers with other components; by default the scheduler makes its own. */
  informerFactory?: SharedInformerFactory;
  plugins?: PluginSpec[];
  registry?: Readonly<Record<string, PluginFactory>>;
  podInitialBackoffMs?: number;
  podMaxBackoffMs?: number;
  podMaxInUnschedulablePodsMs?: number;
  /** Enables leader election (off by default). */
  leaderElection?: boolean | LeaderElectionConfig;
  /** Event recorder (default: one writing core/v1 Events as "default-scheduler"). */
  recorder?: EventRecorder;
  /** Replaces the API writes (tests). */
  api?: SchedulerAPI;
  random?: () => number;
  /** How long start() waits for the informers' first lists (default 30 s). */
  cacheSyncTimeoutMs?: number;
  log?: (message: string, err?: unknown) => void;
}

const GVR = {
  pods: { group: '', version: 'v1', resource: 'pods' },
  nodes: { group: '', version: 'v1', resource: 'nodes' },
  namespaces: { group: '', version: 'v1', resource: 'namespaces' },
  services: { group: '', version: 'v1', resource: 'services' },
  replicationcontrollers: { group: '', version: 'v1', resource: 'replicationcontrollers' },
  replicasets: { group: 'apps', version: 'v1', resource: 'replicasets' },
  statefulsets: { group: 'apps', version: 'v1', resource: 'statefulsets' },
  pdbs: { group: 'policy', version: 'v1', resource: 'poddisruptionbudgets' },
  priorityclasses: { group: 'scheduling.k8s.io', version: 'v1', resource: 'priorityclasses' },
} as const;

type Obj<T> = T & KubeObject;

export class Scheduler {
  readonly core: SchedulerCore;
  readonly schedulerName: string;
  private readonly o: SchedulerOptions;
  private readonly clock: Clock;
  private readonly factory: SharedInformerFactory;
  private readonly ownFactory: boolean;
  private readonly recorder: EventRecorder | undefined;
  private readonly ownRecorder: boolean;
  private readonly log: (message: string, err?: unknown) => void;
  private readonly inf: {
    pods: SharedInformer<Obj<Pod>>;
    nodes: SharedInformer<Obj<Node>>;
    namespaces: SharedInformer<Obj<Namespace>>;
    services: SharedInformer<Obj<Service>>;
    rcs: SharedInformer<Obj<ReplicationController>>;
    rss: SharedInformer<Obj<ReplicaSet>>;
    sss: SharedInformer<Obj<StatefulSet>>;
    pdbs: SharedInformer<Obj<PodDisruptionBudget>>;
    pcs: SharedInformer<Obj<PriorityClass>>;
  };
  private regs: { informer: SharedInformer<KubeObject>; reg: HandlerRegistration }[] = [];
  private started = false;
  private stopped = false;
  private loopAbort: AbortController | undefined;
  private loopDone: Promise<void> | undefined;
  private elector: LeaderElector | undefined;
  private electionDone: Promise<void> | undefined;

  constructor(opts: SchedulerOptions) {
    if (opts.client === undefined) throw new Error('SchedulerOptions.client is required');
    // Identify as kube-scheduler (its writes' field manager), as upstream's client does.
    const o: SchedulerOptions = { ...opts, client: opts.client.withUserAgent(addUserAgent(defaultKubernetesUserAgent(KUBE_SCHEDULER), 'scheduler')) };
    this.o = o;
    this.clock = o.clock ?? realClock;
    this.schedulerName = o.schedulerName ?? DEFAULT_SCHEDULER_NAME;
    if (this.schedulerName === '') throw new Error('schedulerName must not be empty');
    this.log = o.log ?? ((m, e) => console.error(`kubelite scheduler: ${m}`, e ?? ''));
    this.ownFactory = o.informerFactory === undefined;
    // As kube-scheduler: the caches drop managedFields, which scheduling never reads.
    this.factory = o.informerFactory ?? new SharedInformerFactory({ client: o.client, clock: this.clock, transform: dropManagedFields });
    this.ownRecorder = o.recorder === undefined && o.api === undefined;
    this.recorder = o.recorder ?? (o.api === undefined ? new EventRecorder({ client: o.client, component: this.schedulerName, clock: this.clock }) : undefined);
    const f = this.factory;
    this.inf = {
      pods: f.forResource<Obj<Pod>>(GVR.pods),
      nodes: f.forResource<Obj<Node>>(GVR.nodes),
      namespaces: f.forResource<Obj<Namespace>>(GVR.namespaces),
      services: f.forResource<Obj<Service>>(GVR.services),
      rcs: f.forResource<Obj<ReplicationController>>(GVR.replicationcontrollers),
      rss: f.forResource<Obj<ReplicaSet>>(GVR.replicasets),
      sss: f.forResource<Obj<StatefulSet>>(GVR.statefulsets),
      pdbs: f.forResource<Obj<PodDisruptionBudget>>(GVR.pdbs),
      pcs: f.forResource<Obj<PriorityClass>>(GVR.priorityclasses),
    };
    const api = o.api ?? clientSchedulerAPI({ client: o.client, clock: this.clock, ...(this.recorder ? { recorder: this.recorder } : {}) });
    this.core = new SchedulerCore({
      api,
      listers: this.listers(),
      clock: this.clock,
      schedulerName: this.schedulerName,
      ...(o.percentageOfNodesToScore !== undefined ? { percentageOfNodesToScore: o.percentageOfNodesToScore } : {}),
      ...(o.plugins !== undefined ? { plugins: o.plugins } : {}),
      ...(o.registry !== undefined ? { registry: o.registry } : {}),
      ...(o.podInitialBackoffMs !== undefined ? { podInitialBackoffMs: o.podInitialBackoffMs } : {}),
      ...(o.podMaxBackoffMs !== undefined ? { podMaxBackoffMs: o.podMaxBackoffMs } : {}),
      ...(o.podMaxInUnschedulablePodsMs !== undefined ? { podMaxInUnschedulablePodsMs: o.podMaxInUnschedulablePodsMs } : {}),
      ...(o.random !== undefined ? { random: o.random } : {}),
      log: this.log,
    });
  }

  private listers(): SchedulerListers {
    const i = (): Scheduler['inf'] => this.inf;
    return {
      pod: (ns, name) => {
        const p = i().pods.lister().get(ns, name);
        return p === undefined ? undefined : this.withPriority(p);
      },
      pdbs: () => i().pdbs.lister().list(),
      namespace: (name) => i().namespaces.lister().get('', name),
      namespaces: () => i().namespaces.lister().list(),
      services: (ns) => i().services.lister().namespace(ns).list(),
      replicaSet: (ns, name) => i().rss.lister().get(ns, name),
      statefulSet: (ns, name) => i().sss.lister().get(ns, name),
      replicationController: (ns, name) => i().rcs.lister().get(ns, name),
    };
  }

  /** spec.priority from the pod's PriorityClass (or the global default) when admission did not set it. */
  withPriority(pod: Pod): Pod {
    if (pod.spec === undefined || pod.spec.priority !== undefined) return pod;
    const name = pod.spec.priorityClassName ?? '';
    let value: number | undefined;
    if (name !== '') {
      value = this.inf.pcs.lister().get('', name)?.value;
    } else {
      for (const pc of this.inf.pcs.lister().list()) {
        if (pc.globalDefault === true && (value === undefined || pc.value > value)) value = pc.value;
      }
    }
    if (value === undefined) return pod;
    return { ...pod, spec: { ...pod.spec, priority: value } };
  }

  private handle<T extends KubeObject>(informer: SharedInformer<T>, h: { add(o: T): void; update(a: T, b: T): void; del(o: T): void }): void {
    const reg = informer.addEventHandler({
      onAdd: (o) => h.add(o),
      onUpdate: (a, b) => h.update(a, b),
      onDelete: (o) => h.del(unwrapTombstone(o)),
    });
    this.regs.push({ informer: informer as unknown as SharedInformer<KubeObject>, reg });
  }

  /** Starts the informers, waits for their first lists, then schedules (or campaigns for the lease first). */
  async start(): Promise<void> {
    if (this.started) throw new Error('scheduler already started');
    this.started = true;
    const core = this.core;
    this.handle(this.inf.nodes, {
      add: (n) => core.onNodeAdd(n),
      update: (a, b) => core.onNodeUpdate(a, b),
      del: (n) => core.onNodeDelete(n),
    });
    this.handle(this.inf.pods, {
      add: (p) => core.onPodAdd(this.withPriority(p)),
      update: (a, b) => core.onPodUpdate(this.withPriority(a), this.withPriority(b)),
      del: (p) => core.onPodDelete(this.withPriority(p)),
    });
    this.factory.start();
    const synced = await this.factory.waitForCacheSync(this.o.cacheSyncTimeoutMs ?? 30_000);
    if (!synced) this.log('informer caches did not sync in time; scheduling anyway');
    if (this.stopped) return;
    core.queue.run();
    const le = this.o.leaderElection;
    if (le === undefined || le === false) {
      this.startLoop();
      return;
    }
    this.campaign(le === true ? {} : le);
  }

  private campaign(le: LeaderElectionConfig): void {
    if (this.stopped) return;
    const identity = le.identity ?? `${hostname()}_${Math.random().toString(36).slice(2, 10)}`;
    this.elector = leaseElector({
      client: this.o.client,
      namespace: le.namespace ?? 'kube-system',
      name: le.name ?? 'kube-scheduler',
      identity,
      clock: this.clock,
      ...(le.leaseDurationMs !== undefined ? { leaseDurationMs: le.leaseDurationMs } : {}),
      ...(le.renewDeadlineMs !== undefined ? { renewDeadlineMs: le.renewDeadlineMs } : {}),
      ...(le.retryPeriodMs !== undefined ? { retryPeriodMs: le.retryPeriodMs } : {}),
      ...(le.releaseOnCancel !== undefined ? { releaseOnCancel: le.releaseOnCancel } : {}),
      log: this.log,
      callbacks: {
        onStartedLeading: (signal) => {
          this.startLoop(signal);
        },
        onStoppedLeading: () => {
          this.loopAbort?.abort();
        },
      },
    });
    const elector = this.elector;
    this.electionDone = elector.run().then(async () => {
      this.loopAbort?.abort();
      await this.loopDone;
      // Lost the lease: campaign again (upstream exits and is restarted instead).
      if (!this.stopped) this.campaign({ ...le, identity });
    });
  }

  /** The informer factory the scheduler reads through (shared with whoever passed it in). */
  get informerFactory(): SharedInformerFactory {
    return this.factory;
  }

  isLeader(): boolean {
    return this.elector === undefined ? this.loopDone !== undefined : this.elector.isLeader();
  }

  private startLoop(signal?: AbortSignal): void {
    const ac = new AbortController();
    signal?.addEventListener('abort', () => ac.abort(), { once: true });
    this.loopAbort = ac;
    this.loopDone = this.loop(ac.signal);
  }

  private async loop(signal: AbortSignal): Promise<void> {
    const queue = this.core.queue;
    while (!this.stopped && !signal.aborted) {
      const q = await queue.pop(signal);
      if (q === undefined) break;
      if (signal.aborted || this.stopped) {
        // Not ours to schedule any more: put it back as it was.
        queue.done(q.podInfo.pod);
        queue.add(q.podInfo.pod);
        break;
      }
      try {
        await this.core.scheduleOne(q);
      } catch (e) {
        this.log('scheduling cycle failed', e);
      }
      // Let informer events and binding answers in between cycles.
      await new Promise<void>((r) => setImmediate(r));
    }
  }

  /** Stops scheduling, the election, the informers it owns and its event recorder. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.loopAbort?.abort();
    this.core.queue.close();
    this.core.framework.rejectWaitingPods('scheduler stopped');
    await this.loopDone;
    await this.core.waitForBindings();
    await this.elector?.stop();
    await this.electionDone;
    for (const { informer, reg } of this.regs) informer.removeEventHandler(reg);
    this.regs = [];
    if (this.ownFactory) await this.factory.shutdown();
    if (this.ownRecorder) await this.recorder?.shutdown();
  }

  /** Waits until every event recorded so far is written (tests). */
  async flushEvents(): Promise<void> {
    await this.recorder?.flush();
  }
}
