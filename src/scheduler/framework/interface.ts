/**
 * The plugin contract (upstream pkg/scheduler/framework/interface.go).
 *
 * A plugin is an object with a name and one or more extension-point methods; the
 * framework finds the extension points a plugin implements by the methods it has.
 * Every method returns a Status (or a number for Score) and never throws: a thrown
 * exception is a bug the runtime turns into an Error status.
 *
 * Order of a cycle: PreEnqueue (when the pod enters the queue) -> QueueSort ->
 * PreFilter -> Filter (per node) -> PostFilter (only when no node fits) -> PreScore ->
 * Score (per node) -> NormalizeScore -> Reserve -> Permit; then, asynchronously, the
 * binding cycle: PreBind -> Bind -> PostBind (Unreserve on any failure after Reserve).
 */
import type { Namespace, Pod, ReplicationController, Service } from 'kubernetes-types/core/v1.js';
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1.js';
import type { ReplicaSet, StatefulSet } from 'kubernetes-types/apps/v1.js';
import type { Clock } from '../../util/clock.js';
import type { CycleState } from './cyclestate.js';
import type { ClusterEvent } from './events.js';
import type { NodeInfo } from './nodeinfo.js';
import type { PodInfo } from './podinfo.js';
import type { Snapshot } from './snapshot.js';
import type { Status } from './status.js';
import type { NodeToStatus } from './fiterror.js';

export type { Namespace, PodDisruptionBudget, Service };

export interface Plugin {
  readonly name: string;
}

/** A pod in the scheduling queue with its queueing history (upstream QueuedPodInfo). */
export interface QueuedPodInfo {
  podInfo: PodInfo;
  /** When the pod was (re-)added to the queue; ties in priority are broken by it. */
  timestamp: number;
  /** Scheduling attempts so far. */
  attempts: number;
  /** Attempts that ended Unschedulable; drives the backoff. */
  unschedulableCount: number;
  /** Consecutive attempts that ended in an Error; drives the error backoff. */
  consecutiveErrorsCount: number;
  /** First time the pod was added; for latency metrics. */
  initialAttemptTimestamp: number | undefined;
  /** Plugins that rejected the pod in its last attempt. */
  unschedulablePlugins: Set<string>;
  /** The PreEnqueue plugin keeping the pod out of activeQ, '' when none. */
  gatingPlugin: string;
  /** The PreEnqueue status message while gated. */
  gatingMessage: string;
}

export interface PreEnqueuePlugin extends Plugin {
  /** Success lets the pod into activeQ; anything else keeps it waiting in the unschedulable pool. */
  preEnqueue(pod: Pod): Status;
}

export interface QueueSortPlugin extends Plugin {
  less(a: QueuedPodInfo, b: QueuedPodInfo): boolean;
}

/** Nodes a PreFilter narrowed the search to; undefined means all nodes. */
export interface PreFilterResult {
  nodeNames?: ReadonlySet<string>;
}

export interface PreFilterExtensions {
  /** Updates the plugin's PreFilter state as if podToAdd were on nodeInfo (nominated pods, preemption reprieve). */
  addPod(state: CycleState, podToSchedule: Pod, podInfoToAdd: PodInfo, nodeInfo: NodeInfo): Status;
  /** Updates the plugin's PreFilter state as if podToRemove were gone from nodeInfo (preemption victims). */
  removePod(state: CycleState, podToSchedule: Pod, podInfoToRemove: PodInfo, nodeInfo: NodeInfo): Status;
}

export interface PreFilterPlugin extends Plugin {
  preFilter(state: CycleState, pod: Pod, nodes: readonly NodeInfo[]): { result?: PreFilterResult; status: Status };
  preFilterExtensions?(): PreFilterExtensions | undefined;
}

export interface FilterPlugin extends Plugin {
  filter(state: CycleState, pod: Pod, nodeInfo: NodeInfo): Status;
}

export interface PostFilterResult {
  /** The node the pod is nominated to (after preemption); '' clears a nomination. */
  nominatedNodeName?: string;
}

export interface PostFilterPlugin extends Plugin {
  /** Runs when no node passed Filter; may make room (preemption). Success means "nominated". */
  postFilter(state: CycleState, pod: Pod, filteredNodeStatus: NodeToStatus): Promise<{ result?: PostFilterResult; status: Status }>;
}

export interface PreScorePlugin extends Plugin {
  preScore(state: CycleState, pod: Pod, nodes: readonly NodeInfo[]): Status;
}

export interface NodeScore {
  name: string;
  score: number;
}

export interface ScorePlugin extends Plugin {
  /** A score in [0, 100] before normalisation (raw counts when normalizeScore rescales them), or a failure status. */
  score(state: CycleState, pod: Pod, nodeInfo: NodeInfo): number | Status;
  /** Rescales all nodes' scores into [0, 100] in place. */
  normalizeScore?(state: CycleState, pod: Pod, scores: NodeScore[]): Status;
}

export interface ReservePlugin extends Plugin {
  reserve(state: CycleState, pod: Pod, nodeName: string): Status;
  /** Undoes reserve; must be idempotent and may be called even when reserve was not. */
  unreserve(state: CycleState, pod: Pod, nodeName: string): void;
}

export interface PermitPlugin extends Plugin {
  /** Success, a rejection, or Wait with timeoutMs until someone calls allow/reject on the waiting pod. */
  permit(state: CycleState, pod: Pod, nodeName: string): { status: Status; timeoutMs?: number };
}

export interface PreBindPlugin extends Plugin {
  preBind(state: CycleState, pod: Pod, nodeName: string): Promise<Status>;
}

export interface BindPlugin extends Plugin {
  /** Skip hands the pod to the next bind plugin. */
  bind(state: CycleState, pod: Pod, nodeName: string): Promise<Status>;
}

export interface PostBindPlugin extends Plugin {
  postBind(state: CycleState, pod: Pod, nodeName: string): void;
}

export interface EnqueueExtensions {
  /** Cluster events that could make a pod this plugin rejected schedulable. */
  eventsToRegister(): ClusterEvent[];
}

/**
 * What the scheduler does to the cluster: every write goes through the client layer.
 * Implementations resolve when the API server accepted the request.
 */
export interface SchedulerAPI {
  /** POST pods/<name>/binding. */
  bind(pod: Pod, nodeName: string): Promise<void>;
  /**
   * Writes the pod's status through pods/<name>/status: sets (or replaces by type) the
   * condition and, when nominatedNodeName is given, status.nominatedNodeName ('' clears it).
   */
  updatePodStatus(pod: Pod, update: { condition?: PodConditionUpdate; nominatedNodeName?: string }): Promise<void>;
  /** Deletes a pod (preemption victims); resolves also when it is already gone. */
  deletePod(pod: Pod): Promise<void>;
  /** Records an event about regarding (and related); never throws, never blocks. */
  event(regarding: Pod, related: Pod | undefined, type: 'Normal' | 'Warning', reason: string, action: string, message: string): void;
}

export interface PodConditionUpdate {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
}

/** Read access to the informer caches plugins need besides nodes and pods on nodes. */
export interface SchedulerListers {
  /** The current version of a pod from the informer, if known. */
  pod(namespace: string, name: string): Pod | undefined;
  /** PodDisruptionBudgets (preemption prefers victims whose budgets allow a disruption). */
  pdbs(): readonly PodDisruptionBudget[];
  namespace(name: string): Namespace | undefined;
  namespaces(): readonly Namespace[];
  services(namespace: string): readonly Service[];
  replicaSet(namespace: string, name: string): ReplicaSet | undefined;
  statefulSet(namespace: string, name: string): StatefulSet | undefined;
  replicationController(namespace: string, name: string): ReplicationController | undefined;
}

/** Pods nominated to nodes by preemption, waiting for the victims to go (upstream PodNominator). */
export interface Nominator {
  nominatedPodsForNode(nodeName: string): readonly PodInfo[];
}

/** What a plugin can reach (upstream framework.Handle). */
export interface Handle {
  readonly clock: Clock;
  readonly api: SchedulerAPI;
  readonly listers: SchedulerListers;
  readonly nominator: Nominator;
  /** The snapshot of the current cycle. */
  snapshot(): Snapshot;
  /** A number in [0, 1): injected so tests are deterministic. */
  random(): number;
  /** Filter with pods nominated to the node that have priority >= the pod's counted in (upstream RunFilterPluginsWithNominatedPods). */
  runFilterPluginsWithNominatedPods(state: CycleState, pod: Pod, nodeInfo: NodeInfo): Status;
  runPreFilterExtensionAddPod(state: CycleState, podToSchedule: Pod, podInfoToAdd: PodInfo, nodeInfo: NodeInfo): Status;
  runPreFilterExtensionRemovePod(state: CycleState, podToSchedule: Pod, podInfoToRemove: PodInfo, nodeInfo: NodeInfo): Status;
}

/** Builds a plugin from its arguments and the handle. */
export type PluginFactory = (args: Record<string, unknown> | undefined, handle: Handle) => Plugin;
