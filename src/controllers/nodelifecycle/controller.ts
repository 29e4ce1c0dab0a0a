/**
 * The node lifecycle controller (upstream pkg/controller/nodelifecycle): watches the
 * health signals kubelets post -- the node's Lease in kube-node-lease and the Ready
 * condition's heartbeat -- and acts when they stop.
 *
 * Every nodeMonitorPeriod (a pass, on the injected Clock):
 *   - A node whose signals are older than the grace period (nodeMonitorGracePeriod, or
 *     nodeStartupGracePeriod while it never posted a Ready condition) gets Ready,
 *     MemoryPressure, DiskPressure and PIDPressure set to Unknown (reason
 *     NodeStatusUnknown, "Kubelet stopped posting node status."; NodeStatusNeverUpdated
 *     for conditions never posted) through the status subresource.
 *   - When Ready leaves True, the node gets a NodeNotReady event and the Ready
 *     condition of each of its pods turns False (MarkPodsNotReady), each with a
 *     NodeNotReady event.
 *   - Ready Unknown queues the node for the node.kubernetes.io/unreachable:NoExecute
 *     taint, Ready False for node.kubernetes.io/not-ready:NoExecute (the two swap
 *     at once when one is present); Ready True removes both. Tainting is rate limited
 *     per zone (--node-eviction-rate) and stops when every zone is fully disrupted
 *     (all nodes not Ready: "master disruption mode", so a lone node losing its
 *     kubelet is never NoExecute-tainted) or a small zone is partially disrupted.
 *     The pods themselves are evicted by the taint eviction controller.
 * On every node change (TaintNodesByCondition): NoSchedule taints mirror the
 *   conditions (Ready False -> not-ready, Unknown -> unreachable, MemoryPressure /
 *   DiskPressure / PIDPressure / NetworkUnavailable True -> their taints) and
 *   spec.unschedulable (node.kubernetes.io/unschedulable); the beta os/arch labels
 *   follow the stable ones.
 *
 * Taints the controller adds carry timeAdded. It reaches the cluster only through the
 * client: listers for reads, PUTs (with conflict retries) for writes.
 */
import type { Lease } from 'kubernetes-types/coordination/v1.js';
import type { Node, NodeCondition, NodeStatus, Pod, PodStatus, Taint } from 'kubernetes-types/core/v1.js';
import { isConflict, isNotFound } from '../../client/errors.js';
import type { EventRecorder } from '../../client/events.js';
import { NODE_NAME_INDEX, nodeNameIndexFunc, unwrapTombstone } from '../../client/indexer.js';
import type { SharedInformer } from '../../client/informer.js';
import type { KubeObject } from '../../client/types.js';
import { RateLimitingQueue } from '../../client/workqueue.js';
import { rfc3339, type TimerHandle } from '../../util/clock.js';
import {
  TAINT_NODE_DISK_PRESSURE,
  TAINT_NODE_MEMORY_PRESSURE,
  TAINT_NODE_NETWORK_UNAVAILABLE,
  TAINT_NODE_NOT_READY,
  TAINT_NODE_PID_PRESSURE,
  TAINT_NODE_UNREACHABLE,
  TAINT_NODE_UNSCHEDULABLE,
  addOrUpdateTaint,
  deleteTaint,
  taintExists,
  taintSetDiff,
  taintToString,
} from '../common/taints.js';
import type { Controller, ControllerContext } from '../types.js';
import { getNodeCondition, getPodCondition, updatePodCondition } from './podutil.js';
import { RateLimitedTimedQueue, type TryResult } from './ratelimitedqueue.js';

export const NODES = { group: '', version: 'v1', resource: 'nodes' } as const;
export const PODS = { group: '', version: 'v1', resource: 'pods' } as const;
export const LEASES = { group: 'coordination.k8s.io', version: 'v1', resource: 'leases' } as const;
/** Where kubelets keep their heartbeat Leases (one per node, named after it). */
export const NAMESPACE_NODE_LEASE = 'kube-node-lease';
/** Nodes with this label are left out of the zone disruption computation. */
export const LABEL_NODE_DISRUPTION_EXCLUSION = 'node.kubernetes.io/exclude-disruption';

export const UNREACHABLE_TAINT_TEMPLATE: Readonly<Taint> = { key: TAINT_NODE_UNREACHABLE, effect: 'NoExecute' };
export const NOT_READY_TAINT_TEMPLATE: Readonly<Taint> = { key: TAINT_NODE_NOT_READY, effect: 'NoExecute' };

/** Upstream's defaults and flags (kube-controller-manager, 1.32). */
export interface NodeLifecycleOptions {
  /** --node-monitor-period: how often node health is checked (5 s). */
  nodeMonitorPeriodMs?: number;
  /** --node-monitor-grace-period: signals older than this make a node Unknown (50 s since 1.32). */
  nodeMonitorGracePeriodMs?: number;
  /** --node-startup-grace-period: the same for a node that never posted a Ready condition (60 s). */
  nodeStartupGracePeriodMs?: number;
  /** --node-eviction-rate: nodes per second NoExecute-tainted per healthy zone (0.1). */
  nodeEvictionRate?: number;
  /** --secondary-node-eviction-rate: the same for a partially disrupted large zone (0.01). */
  secondaryNodeEvictionRate?: number;
  /** --large-cluster-size-threshold: zones above this many nodes keep tainting when partially disrupted (50). */
  largeClusterSizeThreshold?: number;
  /** --unhealthy-zone-threshold: share of not-Ready nodes (and more than 2) that makes a zone partially disrupted (0.55). */
  unhealthyZoneThreshold?: number;
}

export type ResolvedNodeLifecycleOptions = Required<NodeLifecycleOptions>;

export const NODE_LIFECYCLE_DEFAULTS: Readonly<ResolvedNodeLifecycleOptions> = {
  nodeMonitorPeriodMs: 5_000,
  nodeMonitorGracePeriodMs: 50_000,
  nodeStartupGracePeriodMs: 60_000,
  nodeEvictionRate: 0.1,
  secondaryNodeEvictionRate: 0.01,
  largeClusterSizeThreshold: 50,
  unhealthyZoneThreshold: 0.55,
};

/** The upstream flag of each option, for messages and for the CLI. */
export const NODE_LIFECYCLE_FLAGS: Readonly<Record<keyof NodeLifecycleOptions, string>> = {
  nodeMonitorPeriodMs: '--node-monitor-period',
  nodeMonitorGracePeriodMs: '--node-monitor-grace-period',
  nodeStartupGracePeriodMs: '--node-startup-grace-period',
  nodeEvictionRate: '--node-eviction-rate',
  secondaryNodeEvictionRate: '--secondary-node-eviction-rate',
  largeClusterSizeThreshold: '--large-cluster-size-threshold',
  unhealthyZoneThreshold: '--unhealthy-zone-threshold',
};

/** Fills defaults and checks every option; throws naming the flag. */
export function validateNodeLifecycleOptions(o: NodeLifecycleOptions = {}): ResolvedNodeLifecycleOptions {
  const r: ResolvedNodeLifecycleOptions = { ...NODE_LIFECYCLE_DEFAULTS };
  for (const k of Object.keys(o) as (keyof NodeLifecycleOptions)[]) {
    const v = o[k];
    if (v === undefined) continue;
    if (!(k in NODE_LIFECYCLE_FLAGS)) throw new Error(`unknown node lifecycle option ${String(k)}`);
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`${NODE_LIFECYCLE_FLAGS[k]} must be a finite number, got ${String(v)}`);
    r[k] = v;
  }
  for (const k of ['nodeMonitorPeriodMs', 'nodeMonitorGracePeriodMs', 'nodeStartupGracePeriodMs'] as const) {
    if (!(r[k] > 0)) throw new Error(`${NODE_LIFECYCLE_FLAGS[k]} must be greater than 0, got ${r[k]}ms`);
  }
  for (const k of ['nodeEvictionRate', 'secondaryNodeEvictionRate'] as const) {
    if (!(r[k] >= 0)) throw new Error(`${NODE_LIFECYCLE_FLAGS[k]} must not be negative, got ${r[k]}`);
  }
  if (!Number.isInteger(r.largeClusterSizeThreshold) || r.largeClusterSizeThreshold < 0) {
    throw new Error(`${NODE_LIFECYCLE_FLAGS.largeClusterSizeThreshold} must be a non-negative integer, got ${r.largeClusterSizeThreshold}`);
  }
  if (!(r.unhealthyZoneThreshold >= 0 && r.unhealthyZoneThreshold <= 1)) {
    throw new Error(`${NODE_LIFECYCLE_FLAGS.unhealthyZoneThreshold} must be between 0 and 1, got ${r.unhealthyZoneThreshold}`);
  }
  return r;
}

/** How often the NoExecute tainting queues are tried (upstream NodeEvictionPeriod). */
export const NODE_EVICTION_PERIOD_MS = 100;
/** Attempts at updating one node's health per pass (upstream NodeHealthUpdateRetry). */
const NODE_HEALTH_UPDATE_RETRY = 5;
/** Attempts at a read-modify-write of a node before giving up until next time. */
const UPDATE_RETRIES = 5;
/** Nodes processed concurrently in one pass (upstream nodeUpdateWorkerSize). */
const NODE_UPDATE_WORKER_SIZE = 8;

/** Which condition status makes which taint key (upstream nodeConditionToTaintKeyStatusMap). */
const CONDITION_TO_TAINT: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  Ready: { False: TAINT_NODE_NOT_READY, Unknown: TAINT_NODE_UNREACHABLE },
  MemoryPressure: { True: TAINT_NODE_MEMORY_PRESSURE },
  DiskPressure: { True: TAINT_NODE_DISK_PRESSURE },
  NetworkUnavailable: { True: TAINT_NODE_NETWORK_UNAVAILABLE },
  PIDPressure: { True: TAINT_NODE_PID_PRESSURE },
};
const CONDITION_TAINT_KEYS = new Set([TAINT_NODE_NOT_READY, TAINT_NODE_UNREACHABLE, TAINT_NODE_MEMORY_PRESSURE, TAINT_NODE_DISK_PRESSURE, TAINT_NODE_NETWORK_UNAVAILABLE, TAINT_NODE_PID_PRESSURE]);

/** Conditions a silent node gets set to Unknown (NetworkUnavailable is the network plugin's). */
const MONITORED_CONDITIONS = ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure'] as const;

/** Beta labels kept equal to the stable ones (upstream labelReconcileInfo). */
const LABEL_RECONCILE = [
  { primary: 'kubernetes.io/os', secondary: 'beta.kubernetes.io/os' },
  { primary: 'kubernetes.io/arch', secondary: 'beta.kubernetes.io/arch' },
] as const;

export type ZoneState = 'Initial' | 'Normal' | 'FullDisruption' | 'PartialDisruption';

/** The zone a node is in: "region:\0:zone" from the topology labels (beta ones first), '' without them. */
export function zoneKey(node: Node): string {
  const l = node.metadata?.labels ?? {};
  const zone = l['failure-domain.beta.kubernetes.io/zone'] ?? l['topology.kubernetes.io/zone'] ?? '';
  const region = l['failure-domain.beta.kubernetes.io/region'] ?? l['topology.kubernetes.io/region'] ?? '';
  if (region === '' && zone === '') return '';
  return `${region}:\x00:${zone}`;
}

/** Not-Ready count and state of a zone from its nodes' Ready conditions (upstream ComputeZoneState). */
export function computeZoneState(readyConditions: readonly (NodeCondition | undefined)[], unhealthyZoneThreshold: number): { notReady: number; state: ZoneState } {
  let ready = 0;
  let notReady = 0;
  for (const c of readyConditions) {
    if (c !== undefined && c.status === 'True') ready++;
    else notReady++;
  }
  if (ready === 0 && notReady > 0) return { notReady, state: 'FullDisruption' };
  if (notReady > 2 && notReady / (notReady + ready) >= unhealthyZoneThreshold) return { notReady, state: 'PartialDisruption' };
  return { notReady, state: 'Normal' };
}

/** What the controller last saw of a node (upstream nodeHealthData). */
interface NodeHealth {
  /** When the controller last saw a fresh signal (ms on its clock). */
  probeTimestamp: number;
  readyTransitionTimestamp: number;
  /** The node's status as last observed. */
  status: NodeStatus | undefined;
  /** renewTime of the Lease as last observed. */
  leaseRenewTime: string | undefined;
}

interface HealthResult {
  gracePeriodMs: number;
  observed: NodeCondition;
  current: NodeCondition | undefined;
}

const asNode = (o: KubeObject): Node => o as unknown as Node;
const asPod = (o: KubeObject): Pod => o as unknown as Pod;

function parseTime(s: string | undefined | null): number | undefined {
  if (typeof s !== 'string' || s === '') return undefined;
  const t = Date.parse(s);
  return Number.isNaN(t) ? undefined : t;
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

function errMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Runs fn over items with at most `limit` at a time. */
async function parallelize<T>(limit: number, items: readonly T[], fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++] as T;
      await fn(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

export class NodeLifecycleController implements Controller {
  /** The --controllers name (upstream alias of node-lifecycle-controller). */
  readonly name = 'nodelifecycle';
  readonly options: ResolvedNodeLifecycleOptions;

  private readonly nodeInformer: SharedInformer<KubeObject>;
  private readonly podInformer: SharedInformer<KubeObject>;
  private readonly leaseInformer: SharedInformer<KubeObject>;
  private readonly recorder: EventRecorder;

  private readonly knownNodes = new Map<string, Node>();
  private readonly nodeHealth = new Map<string, NodeHealth>();
  private readonly nodesToRetry = new Set<string>();
  private readonly zoneStates = new Map<string, ZoneState>();
  private readonly zoneTainter = new Map<string, RateLimitedTimedQueue>();

  private readonly nodeQueue: RateLimitingQueue<string>;
  private readonly podQueue: RateLimitingQueue<string>;

  private initialized = false;
  private running = false;
  private stopped = false;
  private monitorTimer: TimerHandle | undefined;
  private taintTimer: TimerHandle | undefined;
  private monitorPass: Promise<void> | undefined;
  private taintPass: Promise<void> | undefined;
  private readonly workerLoops: Promise<void>[] = [];
  private passes = 0;

  constructor(
    private readonly ctx: ControllerContext,
    opts: NodeLifecycleOptions = {},
  ) {
    this.options = validateNodeLifecycleOptions(opts);
    this.nodeInformer = ctx.informers.forResource(NODES);
    this.podInformer = ctx.informers.forResource(PODS, { indexers: { [NODE_NAME_INDEX]: nodeNameIndexFunc } });
    this.leaseInformer = ctx.informers.forResource(LEASES);
    this.recorder = ctx.recorder('node-controller');
    this.nodeQueue = new RateLimitingQueue<string>({ clock: ctx.clock, name: 'node_lifecycle_controller' });
    this.podQueue = new RateLimitingQueue<string>({ clock: ctx.clock, name: 'node_lifecycle_controller_pods' });
  }

  init(): void {
    if (this.initialized) return;
    this.initialized = true;
    this.podInformer.addEventHandler({
      onAdd: (p) => this.podUpdated(undefined, asPod(p)),
      onUpdate: (o, n) => this.podUpdated(asPod(o), asPod(n)),
    });
    this.nodeInformer.addEventHandler({
      onAdd: (n) => this.nodeQueue.add(asNode(n).metadata?.name ?? ''),
      onUpdate: (_o, n) => this.nodeQueue.add(asNode(n).metadata?.name ?? ''),
      onDelete: (n) => this.nodesToRetry.delete(asNode(unwrapTombstone(n)).metadata?.name ?? ''),
    });
  }

  async run(workers: number): Promise<void> {
    if (this.running || this.stopped) return;
    this.init();
    this.running = true;
    const synced = await Promise.all([this.nodeInformer, this.podInformer, this.leaseInformer].map((i) => i.waitForCacheSync()));
    if (this.stopped) return;
    if (!synced.every(Boolean)) {
      this.log('informers stopped before they synced; not starting');
      return;
    }
    const n = Math.max(1, Math.floor(workers) || 1);
    for (let i = 0; i < n; i++) {
      this.workerLoops.push(this.nodeWorker(), this.podWorker());
    }
    this.runTaintingPass();
    this.runMonitorPass();
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.monitorTimer !== undefined) this.ctx.clock.clearTimeout(this.monitorTimer);
    if (this.taintTimer !== undefined) this.ctx.clock.clearTimeout(this.taintTimer);
    this.nodeQueue.shutDown();
    this.podQueue.shutDown();
    await Promise.allSettled([this.monitorPass, this.taintPass, ...this.workerLoops]);
  }

  /** Monitor passes completed so far (for tests and status pages). */
  completedPasses(): number {
    return this.passes;
  }

  /** Resolves once the monitor and tainting passes in flight (if any) have finished. */
  async whenIdle(): Promise<void> {
    while (this.monitorPass !== undefined || this.taintPass !== undefined) {
      await Promise.allSettled([this.monitorPass, this.taintPass]);
    }
  }

  /** The zone states of the last pass. */
  zones(): ReadonlyMap<string, ZoneState> {
    return this.zoneStates;
  }

  // ---- loops ------------------------------------------------------------------

  /** Runs a monitor pass now, then one every period after each completes (upstream wait.Until). */
  private runMonitorPass(): void {
    if (this.stopped) return;
    this.monitorPass = this.monitorNodeHealth()
      .catch((e) => this.log(`error monitoring node health: ${errMessage(e)}`))
      .finally(() => {
        this.monitorPass = undefined;
        this.passes++;
        if (!this.stopped) this.monitorTimer = this.ctx.clock.setTimeout(() => this.runMonitorPass(), this.options.nodeMonitorPeriodMs);
      });
  }

  private runTaintingPass(): void {
    if (this.stopped) return;
    this.taintPass = this.doNoExecuteTaintingPass()
      .catch((e) => this.log(`error in the NoExecute tainting pass: ${errMessage(e)}`))
      .finally(() => {
        this.taintPass = undefined;
        if (!this.stopped) this.taintTimer = this.ctx.clock.setTimeout(() => this.runTaintingPass(), NODE_EVICTION_PERIOD_MS);
      });
  }

  private async nodeWorker(): Promise<void> {
    for (;;) {
      const name = await this.nodeQueue.get();
      if (name === undefined) return;
      try {
        await this.doNoScheduleTaintingPass(name);
        await this.reconcileNodeLabels(name);
        this.nodeQueue.forget(name);
      } catch (e) {
        this.log(`failed to update taints or labels of node ${name}, requeuing: ${errMessage(e)}`);
        this.nodeQueue.addRateLimited(name);
      } finally {
        this.nodeQueue.done(name);
      }
    }
  }

  private async podWorker(): Promise<void> {
    for (;;) {
      const key = await this.podQueue.get();
      if (key === undefined) return;
      try {
        await this.processPod(key);
      } finally {
        this.podQueue.done(key);
      }
    }
  }

  // ---- the monitor pass -------------------------------------------------------

  /**
   * One pass over every node: grace-period checks, Unknown conditions, taint queueing,
   * pods marked not Ready, zone states. Public so tests and tools can run one at will.
   */
  async monitorNodeHealth(): Promise<void> {
    const nodes = this.nodeInformer.lister().list().map(asNode);
    const { added, deleted, newZoneRepresentatives } = this.classifyNodes(nodes);
    for (const n of newZoneRepresentatives) this.addTainterForNewZone(n);
    for (const n of added) {
      const name = n.metadata?.name ?? '';
      this.recordNodeEvent(n, 'RegisteredNode', `Registered Node ${name} in Controller`);
      this.knownNodes.set(name, n);
      this.addTainterForNewZone(n);
      try {
        await this.markNodeAsReachable(n);
      } catch (e) {
        this.log(`failed to remove NoExecute taints from new node ${name}: ${errMessage(e)}`);
      }
    }
    for (const n of deleted) {
      const name = n.metadata?.name ?? '';
      this.recordNodeEvent(n, 'RemovingNode', `Removing Node ${name} from Controller`);
      this.knownNodes.delete(name);
      // Upstream keeps these; dropping them lets a node re-created under the same name start afresh.
      this.nodeHealth.delete(name);
      this.zoneTainter.get(zoneKey(n))?.remove(name);
    }

    const zoneConditions = new Map<string, (NodeCondition | undefined)[]>();
    await parallelize(NODE_UPDATE_WORKER_SIZE, nodes, (n) => this.monitorNode(n, zoneConditions));
    await this.handleDisruption(zoneConditions, nodes);
  }

  private async monitorNode(cached: Node, zoneConditions: Map<string, (NodeCondition | undefined)[]>): Promise<void> {
    const name = cached.metadata?.name ?? '';
    let node = structuredClone(cached);
    let res: HealthResult | undefined;
    for (let attempt = 1; res === undefined; attempt++) {
      try {
        res = await this.tryUpdateNodeHealth(node);
      } catch (e) {
        if (attempt >= NODE_HEALTH_UPDATE_RETRY) {
          this.log(`updating the health of node ${name} failed, skipping it (no pods will be evicted): ${errMessage(e)}`);
          return;
        }
        try {
          node = asNode(await this.ctx.client.get({ ...NODES, name }));
        } catch (e2) {
          this.log(`failed while getting node ${name} to retry updating its health; probably deleted: ${errMessage(e2)}`);
          return;
        }
      }
    }

    if (node.metadata?.labels?.[LABEL_NODE_DISRUPTION_EXCLUSION] === undefined) {
      const z = zoneKey(node);
      const list = zoneConditions.get(z) ?? [];
      list.push(res.current);
      zoneConditions.set(z, list);
    }

    if (res.current !== undefined) {
      const pods = this.podsOnNode(name);
      await this.processTaintBasedEviction(node, res.observed);
      const needsRetry = this.nodesToRetry.has(name);
      let markPods = false;
      if (res.current.status !== 'True' && res.observed.status === 'True') {
        // Reported once, on the transition.
        this.recordNodeStatusChange(node, 'NodeNotReady');
        markPods = true;
      } else if (needsRetry && res.observed.status !== 'True') {
        markPods = true;
      }
      if (markPods) {
        try {
          await this.markPodsNotReady(pods, name);
        } catch (e) {
          this.log(`unable to mark all pods NotReady on node ${name}, will retry: ${errMessage(e)}`);
          this.nodesToRetry.add(name);
          return;
        }
      }
    }
    this.nodesToRetry.delete(name);
  }

  /**
   * Compares the node's signals with what was seen before and, past the grace period,
   * sets its conditions Unknown (node is updated in place). Returns the Ready
   * condition as observed before and as it is now. Throws when the status write fails.
   */
  private async tryUpdateNodeHealth(node: Node): Promise<HealthResult> {
    const name = node.metadata?.name ?? '';
    const now = (): number => this.ctx.clock.now();
    let health = this.nodeHealth.get(name);
    const created = parseTime(node.metadata?.creationTimestamp) ?? now();
    const createdStr = node.metadata?.creationTimestamp ?? rfc3339(created);
    let current = getNodeCondition(node.status, 'Ready');
    let observed: NodeCondition;
    let gracePeriodMs: number;
    if (current === undefined) {
      // Never posted: act as if it were Unknown since creation, with the startup grace.
      observed = { type: 'Ready', status: 'Unknown', lastHeartbeatTime: createdStr, lastTransitionTime: createdStr };
      gracePeriodMs = this.options.nodeStartupGracePeriodMs;
      if (health !== undefined) health = { ...health, status: structuredClone(node.status) };
      else health = { status: structuredClone(node.status), probeTimestamp: created, readyTransitionTimestamp: created, leaseRenewTime: undefined };
    } else {
      observed = structuredClone(current);
      gracePeriodMs = this.options.nodeMonitorGracePeriodMs;
    }

    try {
      const saved = health !== undefined ? getNodeCondition(health.status, 'Ready') : undefined;
      const savedLease = health?.leaseRenewTime;
      const fresh = (): NodeHealth => ({ status: structuredClone(node.status), probeTimestamp: now(), readyTransitionTimestamp: now(), leaseRenewTime: undefined });
      if (health === undefined) {
        health = fresh();
      } else if (saved === undefined && current !== undefined) {
        health = fresh();
      } else if (saved !== undefined && current === undefined) {
        this.log(`the Ready condition was removed from the status of node ${name}`);
        health = fresh();
      } else if (saved !== undefined && current !== undefined && saved.lastHeartbeatTime !== current.lastHeartbeatTime) {
        const transition = saved.lastTransitionTime !== current.lastTransitionTime ? now() : health.readyTransitionTimestamp;
        health = { ...fresh(), readyTransitionTimestamp: transition };
      }

      // A renewed Lease is a heartbeat too: a kubelet that renews its Lease but never
      // posts status is taken as healthy.
      const lease = this.leaseInformer.lister().get(NAMESPACE_NODE_LEASE, name) as Lease | undefined;
      const renew = lease?.spec?.renewTime ?? undefined;
      if (lease !== undefined && (savedLease === undefined || (parseTime(savedLease) ?? 0) < (parseTime(renew) ?? 0))) {
        health = { ...health, leaseRenewTime: renew, probeTimestamp: now() };
      }

      if (now() > health.probeTimestamp + gracePeriodMs) {
        const nowStr = rfc3339(now());
        const status = ((node as { status?: NodeStatus }).status ??= {});
        const conds: NodeCondition[] = (status.conditions ??= []);
        for (const type of MONITORED_CONDITIONS) {
          const c = conds.find((x) => x.type === type);
          if (c === undefined) {
            conds.push({ type, status: 'Unknown', reason: 'NodeStatusNeverUpdated', message: 'Kubelet never posted node status.', lastHeartbeatTime: createdStr, lastTransitionTime: nowStr });
          } else if (c.status !== 'Unknown') {
            c.status = 'Unknown';
            c.reason = 'NodeStatusUnknown';
            c.message = 'Kubelet stopped posting node status.';
            c.lastTransitionTime = nowStr;
          }
        }
        current = getNodeCondition(node.status, 'Ready');
        if (!deepEqual(current, observed)) {
          this.log(`node ${name} hasn't posted status or renewed its lease for ${Math.round((now() - health.probeTimestamp) / 1000)}s; marking its conditions Unknown`);
          const updated = asNode(await this.ctx.client.updateStatus({ ...NODES }, node as unknown as KubeObject));
          const rv = updated.metadata?.resourceVersion;
          if (node.metadata !== undefined && rv !== undefined) (node.metadata as { resourceVersion?: string }).resourceVersion = rv;
          health = { status: structuredClone(node.status), probeTimestamp: health.probeTimestamp, readyTransitionTimestamp: now(), leaseRenewTime: renew };
        }
      }
      return { gracePeriodMs, observed, current };
    } finally {
      if (health !== undefined) this.nodeHealth.set(name, health);
    }
  }

  /** Queues, swaps or removes the NoExecute taints by the Ready condition observed before this pass. */
  private async processTaintBasedEviction(node: Node, observed: NodeCondition): Promise<void> {
    const name = node.metadata?.name ?? '';
    switch (observed.status) {
      case 'False':
        if (taintExists(node.spec?.taints, UNREACHABLE_TAINT_TEMPLATE)) {
          if (!(await this.swapNodeControllerTaint(node, [NOT_READY_TAINT_TEMPLATE], [UNREACHABLE_TAINT_TEMPLATE]))) {
            this.log(`failed to swap the unreachable taint of node ${name} for not-ready; will retry next pass`);
          }
        } else if (this.markNodeForTainting(node, 'False')) {
          this.log(`node ${name} is NotReady; queued for the not-ready NoExecute taint`);
        }
        break;
      case 'Unknown':
        if (taintExists(node.spec?.taints, NOT_READY_TAINT_TEMPLATE)) {
          if (!(await this.swapNodeControllerTaint(node, [UNREACHABLE_TAINT_TEMPLATE], [NOT_READY_TAINT_TEMPLATE]))) {
            this.log(`failed to swap the not-ready taint of node ${name} for unreachable; will retry next pass`);
          }
        } else if (this.markNodeForTainting(node, 'Unknown')) {
          this.log(`node ${name} is unresponsive; queued for the unreachable NoExecute taint`);
        }
        break;
      case 'True':
        try {
          if (await this.markNodeAsReachable(node)) this.log(`node ${name} is healthy again; removed its NoExecute taints`);
        } catch (e) {
          this.log(`failed to remove NoExecute taints from node ${name}; will retry next pass: ${errMessage(e)}`);
        }
        break;
    }
  }

  private tainterFor(node: Node): RateLimitedTimedQueue {
    const z = zoneKey(node);
    let q = this.zoneTainter.get(z);
    if (q === undefined) {
      q = new RateLimitedTimedQueue(this.ctx.clock, this.options.nodeEvictionRate);
      this.zoneTainter.set(z, q);
    }
    return q;
  }

  private markNodeForTainting(node: Node, status: 'False' | 'Unknown'): boolean {
    const name = node.metadata?.name ?? '';
    const q = this.tainterFor(node);
    // Forget an earlier tainting when the taint it added is gone (so it is added again).
    if (status === 'False' && !taintExists(node.spec?.taints, NOT_READY_TAINT_TEMPLATE)) q.remove(name);
    if (status === 'Unknown' && !taintExists(node.spec?.taints, UNREACHABLE_TAINT_TEMPLATE)) q.remove(name);
    return q.add(name, node.metadata?.uid ?? '');
  }

  /** Removes both NoExecute taints and forgets the node's tainting; true when it was queued or done. */
  private async markNodeAsReachable(node: Node): Promise<boolean> {
    const name = node.metadata?.name ?? '';
    const taints = node.spec?.taints;
    if (taintExists(taints, UNREACHABLE_TAINT_TEMPLATE) || taintExists(taints, NOT_READY_TAINT_TEMPLATE)) {
      await this.updateNode(name, node, (n) => {
        const a = deleteTaint(n.spec?.taints, UNREACHABLE_TAINT_TEMPLATE);
        const b = deleteTaint(a.taints, NOT_READY_TAINT_TEMPLATE);
        if (!a.deleted && !b.deleted) return false;
        setTaints(n, b.taints);
        return true;
      });
    }
    return this.tainterFor(node).remove(name);
  }

  private async doNoExecuteTaintingPass(): Promise<void> {
    for (const q of [...this.zoneTainter.values()]) {
      await q.try(async (v): Promise<TryResult> => {
        const cached = this.nodeInformer.lister().get('', v.value);
        if (cached === undefined) return { done: true, waitMs: 0 };
        const node = asNode(cached);
        const ready = getNodeCondition(node.status, 'Ready');
        if (ready === undefined) return { done: false, waitMs: 50 };
        // The unreachable and not-ready taints mirror Ready, so they exclude each other.
        let add: Taint;
        let remove: Taint;
        if (ready.status === 'False') {
          add = NOT_READY_TAINT_TEMPLATE;
          remove = UNREACHABLE_TAINT_TEMPLATE;
        } else if (ready.status === 'Unknown') {
          add = UNREACHABLE_TAINT_TEMPLATE;
          remove = NOT_READY_TAINT_TEMPLATE;
        } else {
          return { done: true, waitMs: 0 };
        }
        const ok = await this.swapNodeControllerTaint(node, [add], [remove]);
        return { done: ok, waitMs: 0 };
      });
    }
  }

  /** TaintNodesByCondition for one node: NoSchedule taints from its conditions and spec.unschedulable. */
  private async doNoScheduleTaintingPass(name: string): Promise<void> {
    const cached = this.nodeInformer.lister().get('', name);
    if (cached === undefined) return;
    const node = asNode(cached);
    const desired: Taint[] = [];
    for (const c of node.status?.conditions ?? []) {
      const key = CONDITION_TO_TAINT[c.type]?.[c.status];
      if (key !== undefined) desired.push({ key, effect: 'NoSchedule' });
    }
    if (node.spec?.unschedulable === true) desired.push({ key: TAINT_NODE_UNSCHEDULABLE, effect: 'NoSchedule' });
    const current = (node.spec?.taints ?? []).filter((t) => t.effect === 'NoSchedule' && (t.key === TAINT_NODE_UNSCHEDULABLE || CONDITION_TAINT_KEYS.has(t.key)));
    const { toAdd, toRemove } = taintSetDiff(desired, current);
    if (toAdd.length === 0 && toRemove.length === 0) return;
    if (!(await this.swapNodeControllerTaint(node, toAdd, toRemove))) throw new Error(`failed to swap the NoSchedule taints of node ${name}`);
  }

  private async reconcileNodeLabels(name: string): Promise<void> {
    const cached = this.nodeInformer.lister().get('', name);
    if (cached === undefined) return;
    const want = (labels: Record<string, string>): Record<string, string> => {
      const out: Record<string, string> = {};
      for (const r of LABEL_RECONCILE) {
        const primary = labels[r.primary];
        if (primary === undefined) continue;
        if (labels[r.secondary] !== primary) out[r.secondary] = primary;
      }
      return out;
    };
    if (Object.keys(want(cached.metadata?.labels ?? {})).length === 0) return;
    await this.updateNode(name, asNode(cached), (n) => {
      const labels = ((n.metadata ??= {}).labels ??= {});
      const set = want(labels);
      if (Object.keys(set).length === 0) return false;
      Object.assign(labels, set);
      return true;
    });
  }

  /**
   * Adds (with timeAdded = now) and removes taints in one write; false when the write
   * failed (logged), as upstream's SwapNodeControllerTaint.
   */
  private async swapNodeControllerTaint(node: Node, add: readonly Taint[], remove: readonly Taint[]): Promise<boolean> {
    const name = node.metadata?.name ?? '';
    const stamp = rfc3339(this.ctx.clock.now());
    const adding = add.map((t) => ({ ...t, timeAdded: stamp }));
    try {
      await this.updateNode(name, node, (n) => {
        let taints = n.spec?.taints ?? [];
        let changed = false;
        for (const t of adding) {
          const r = addOrUpdateTaint(taints, t);
          taints = r.taints;
          changed ||= r.updated;
        }
        for (const t of remove) {
          const r = deleteTaint(taints, t);
          taints = r.taints;
          changed ||= r.deleted;
        }
        if (changed) setTaints(n, taints);
        return changed;
      });
      if (adding.length > 0 || remove.length > 0) {
        this.log(`node ${name}: taints added [${adding.map(taintToString).join(', ')}], removed [${remove.map(taintToString).join(', ')}]`);
      }
      return true;
    } catch (e) {
      this.log(`unable to change the taints of node ${name}: ${errMessage(e)}`);
      return false;
    }
  }

  /**
   * Read-modify-write of a node's main resource: mutate the cached copy first, then
   * fresh copies from the server after a conflict. mutate answers whether it changed
   * anything (nothing is written otherwise). A node that is gone is left alone.
   */
  private async updateNode(name: string, cached: Node | undefined, mutate: (n: Node) => boolean): Promise<void> {
    let node = cached !== undefined ? structuredClone(cached) : undefined;
    for (let attempt = 1; ; attempt++) {
      if (node === undefined) {
        try {
          node = asNode(await this.ctx.client.get({ ...NODES, name }));
        } catch (e) {
          if (isNotFound(e)) return;
          throw e;
        }
      }
      if (!mutate(node)) return;
      try {
        await this.ctx.client.update({ ...NODES }, node as unknown as KubeObject);
        return;
      } catch (e) {
        if (isNotFound(e)) return;
        if (!isConflict(e) || attempt >= UPDATE_RETRIES) throw e;
        node = undefined;
      }
    }
  }

  // ---- zones ------------------------------------------------------------------

  private classifyNodes(all: Node[]): { added: Node[]; deleted: Node[]; newZoneRepresentatives: Node[] } {
    const added: Node[] = [];
    const newZoneRepresentatives: Node[] = [];
    const seen = new Set<string>();
    for (const n of all) {
      const name = n.metadata?.name ?? '';
      seen.add(name);
      if (!this.knownNodes.has(name)) added.push(n);
      else if (!this.zoneStates.has(zoneKey(n))) newZoneRepresentatives.push(n);
    }
    const deleted = [...this.knownNodes.entries()].filter(([name]) => !seen.has(name)).map(([, n]) => n);
    return { added, deleted, newZoneRepresentatives };
  }

  private addTainterForNewZone(node: Node): void {
    const z = zoneKey(node);
    if (this.zoneStates.has(z)) return;
    this.zoneStates.set(z, 'Initial');
    this.zoneTainter.set(z, new RateLimitedTimedQueue(this.ctx.clock, this.options.nodeEvictionRate));
  }

  private zoneQPS(zoneSize: number, state: ZoneState): number | undefined {
    switch (state) {
      case 'Normal':
        return this.options.nodeEvictionRate;
      case 'PartialDisruption':
        return zoneSize > this.options.largeClusterSizeThreshold ? this.options.secondaryNodeEvictionRate : 0;
      case 'FullDisruption':
        return this.options.nodeEvictionRate;
      default:
        return undefined;
    }
  }

  private setLimiterInZone(zone: string, zoneSize: number, state: ZoneState): void {
    const qps = this.zoneQPS(zoneSize, state);
    if (qps !== undefined) this.zoneTainter.get(zone)?.swapLimiter(qps);
  }

  private async handleDisruption(zoneConditions: Map<string, (NodeCondition | undefined)[]>, nodes: Node[]): Promise<void> {
    const newStates = new Map<string, ZoneState>();
    let allAreFullyDisrupted = true;
    for (const [zone, conds] of zoneConditions) {
      const { state } = computeZoneState(conds, this.options.unhealthyZoneThreshold);
      if (state !== 'FullDisruption') allAreFullyDisrupted = false;
      newStates.set(zone, state);
      if (!this.zoneStates.has(zone)) this.zoneStates.set(zone, 'Initial');
    }
    let allWasFullyDisrupted = true;
    for (const [zone, state] of this.zoneStates) {
      if (!zoneConditions.has(zone)) {
        this.zoneStates.delete(zone);
        continue;
      }
      if (state !== 'FullDisruption') {
        allWasFullyDisrupted = false;
        break;
      }
    }
    if (allAreFullyDisrupted && allWasFullyDisrupted) return;

    if (allAreFullyDisrupted) {
      this.log('every node is not Ready: entering master disruption mode (no NoExecute tainting)');
      for (const n of nodes) {
        try {
          await this.markNodeAsReachable(n);
        } catch (e) {
          this.log(`failed to remove taints from node ${n.metadata?.name ?? ''}: ${errMessage(e)}`);
        }
      }
      for (const zone of this.zoneStates.keys()) {
        this.zoneTainter.get(zone)?.swapLimiter(0);
        this.zoneStates.set(zone, 'FullDisruption');
      }
      return;
    }
    if (allWasFullyDisrupted) {
      this.log('some nodes are Ready again: leaving master disruption mode');
      const now = this.ctx.clock.now();
      for (const n of nodes) {
        const name = n.metadata?.name ?? '';
        const h = this.nodeHealth.get(name);
        if (h !== undefined) this.nodeHealth.set(name, { ...h, probeTimestamp: now, readyTransitionTimestamp: now });
      }
      for (const zone of [...this.zoneStates.keys()]) {
        const state = newStates.get(zone) ?? 'Normal';
        this.setLimiterInZone(zone, zoneConditions.get(zone)?.length ?? 0, state);
        this.zoneStates.set(zone, state);
      }
      return;
    }
    for (const [zone, old] of [...this.zoneStates]) {
      const state = newStates.get(zone);
      if (state === undefined || state === old) continue;
      this.log(`zone ${JSON.stringify(zone)} is now in state ${state}`);
      this.setLimiterInZone(zone, zoneConditions.get(zone)?.length ?? 0, state);
      this.zoneStates.set(zone, state);
    }
  }

  // ---- pods -------------------------------------------------------------------

  private podsOnNode(nodeName: string): Pod[] {
    return this.podInformer.getIndexer().byIndex(NODE_NAME_INDEX, nodeName).map(asPod);
  }

  private podUpdated(oldPod: Pod | undefined, newPod: Pod): void {
    const node = newPod.spec?.nodeName ?? '';
    if (node === '' || (oldPod !== undefined && (oldPod.spec?.nodeName ?? '') === node)) return;
    this.podQueue.add(`${newPod.metadata?.namespace ?? ''}/${newPod.metadata?.name ?? ''}`);
  }

  /** A pod newly bound to a node that is not Ready is marked not Ready at once. */
  private async processPod(key: string): Promise<void> {
    const slash = key.indexOf('/');
    const cached = this.podInformer.lister().get(key.slice(0, slash), key.slice(slash + 1));
    if (cached === undefined) return;
    const pod = asPod(cached);
    const nodeName = pod.spec?.nodeName ?? '';
    const health = this.nodeHealth.get(nodeName);
    if (health === undefined) return;
    if (this.nodeInformer.lister().get('', nodeName) === undefined) {
      this.podQueue.addRateLimited(key);
      return;
    }
    const ready = getNodeCondition(health.status, 'Ready');
    if (ready === undefined || ready.status === 'True') {
      this.podQueue.forget(key);
      return;
    }
    try {
      await this.markPodsNotReady([pod], nodeName);
      this.podQueue.forget(key);
    } catch (e) {
      this.log(`unable to mark pod ${key} NotReady on node ${nodeName}: ${errMessage(e)}`);
      this.podQueue.addRateLimited(key);
    }
  }

  /** Sets the Ready condition of the node's pods to False (upstream MarkPodsNotReady); throws when any write failed. */
  private async markPodsNotReady(pods: Pod[], nodeName: string): Promise<void> {
    const errs: string[] = [];
    const now = rfc3339(this.ctx.clock.now());
    for (const p of pods) {
      if (p.spec?.nodeName !== nodeName) continue;
      const pod = structuredClone(p);
      const status = ((pod as { status?: PodStatus }).status ??= {});
      const ready = getPodCondition(status, 'Ready');
      if (ready === undefined) continue;
      if (!updatePodCondition(status, { ...ready, status: 'False' }, now)) continue;
      try {
        await this.ctx.client.updateStatus({ ...PODS }, pod as unknown as KubeObject);
      } catch (e) {
        if (isNotFound(e)) continue;
        errs.push(`${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''}: ${errMessage(e)}`);
      }
      this.recorder.event(pod as unknown as KubeObject, 'Warning', 'NodeNotReady', 'Node is not ready');
    }
    if (errs.length > 0) throw new Error(`failed to update the Ready condition of pods: ${errs.join('; ')}`);
  }

  // ---- events and logs ----------------------------------------------------------

  private nodeRef(node: Node): { apiVersion: string; kind: string; name: string; uid?: string } {
    return { apiVersion: 'v1', kind: 'Node', name: node.metadata?.name ?? '', ...(node.metadata?.uid ? { uid: node.metadata.uid } : {}) };
  }

  private recordNodeEvent(node: Node, reason: string, event: string): void {
    this.recorder.event(this.nodeRef(node), 'Normal', reason, `Node ${node.metadata?.name ?? ''} event: ${event}`);
  }

  private recordNodeStatusChange(node: Node, newStatus: string): void {
    this.recorder.event(this.nodeRef(node), 'Normal', newStatus, `Node ${node.metadata?.name ?? ''} status is now: ${newStatus}`);
  }

  private log(message: string): void {
    this.ctx.log(this.name, message);
  }
}

function setTaints(node: Node, taints: Taint[]): void {
  const spec = (node.spec ??= {});
  if (taints.length > 0) spec.taints = taints;
  else delete spec.taints;
}

/** The node lifecycle controller with its options validated and defaulted (see NodeLifecycleOptions). */
export function newNodeLifecycleController(ctx: ControllerContext, opts: NodeLifecycleOptions = {}): NodeLifecycleController {
  return new NodeLifecycleController(ctx, opts);
}
