/**
 * The scheduler without its I/O (upstream pkg/scheduler schedule_one.go and
 * eventhandlers.go): cache, queue, framework and the scheduling cycle. It learns about
 * the cluster through the on*() methods (the Scheduler wires informers to them) and
 * acts through a SchedulerAPI, so it runs the same against a real API server or a
 * fake in unit tests.
 *
 * One pod at a time: pop -> snapshot -> PreFilter/Filter -> (PostFilter) ->
 * PreScore/Score -> pick a host -> assume -> Reserve -> Permit; then the binding
 * cycle (PreBind/Bind) runs asynchronously while the next pod is scheduled against a
 * cache that already counts the assumed pod.
 */
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import type { Clock } from '../util/clock.js';
import { SchedulerCache } from './cache.js';
import { CycleState } from './framework/cyclestate.js';
import { ActionType, nodeUpdateActions, podUpdateActions, type ClusterEvent } from './framework/events.js';
import { numFeasibleNodesToFind as feasibleNodesFor } from './framework/feasible.js';
import { ERR_NO_NODES_AVAILABLE, FitError, newDiagnosis, type Diagnosis } from './framework/fiterror.js';
import { isTerminal, isTerminating, podKey, podUID } from './framework/helpers.js';
import type { PodConditionUpdate, QueuedPodInfo, SchedulerAPI, SchedulerListers } from './framework/interface.js';
import type { NodeInfo } from './framework/nodeinfo.js';
import { PodInfo } from './framework/podinfo.js';
import { Framework, type NodePluginScores, type PluginSpec } from './framework/runtime.js';
import { Snapshot } from './framework/snapshot.js';
import { asStatus, Status, type Code } from './framework/status.js';
import { defaultPlugins, inTreeRegistry } from './plugins/registry.js';
import { SchedulingQueue } from './queue.js';
import type { PluginFactory } from './framework/interface.js';

export const DEFAULT_SCHEDULER_NAME = 'default-scheduler';
/** Events are cut to this many bytes (upstream truncateMessage, the events API limit). */
const EVENT_MESSAGE_LIMIT = 1024;

export interface SchedulerCoreOptions {
  api: SchedulerAPI;
  listers: SchedulerListers;
  clock: Clock;
  schedulerName?: string;
  /** 0/undefined: adaptive (50 - nodes/125, at least 5%); else a percentage (1..100). */
  percentageOfNodesToScore?: number;
  /** Enabled plugins (default: the default profile). */
  plugins?: PluginSpec[];
  /** Plugin factories by name (default: the in-tree registry); merged over the in-tree one. */
  registry?: Readonly<Record<string, PluginFactory>>;
  podInitialBackoffMs?: number;
  podMaxBackoffMs?: number;
  podMaxInUnschedulablePodsMs?: number;
  /** [0,1) source for tie-breaks and preemption offsets. */
  random?: () => number;
  /** Where problems are reported (default: stderr). */
  log?: (message: string, err?: unknown) => void;
}

export interface ScheduleResult {
  suggestedHost: string;
  evaluatedNodes: number;
  feasibleNodes: number;
}

function truncate(msg: string): string {
  if (Buffer.byteLength(msg) <= EVENT_MESSAGE_LIMIT) return msg;
  const suffix = ' ...';
  let b = Buffer.from(msg).subarray(0, EVENT_MESSAGE_LIMIT - suffix.length).toString('utf8');
  if (b.endsWith('\uFFFD')) b = b.slice(0, -1);
  return b + suffix;
}

/** A scheduling attempt that failed: what to tell the user and the queue. */
class CycleFailure {
  constructor(
    readonly status: Status,
    readonly diagnosis: Diagnosis | undefined,
    /** undefined: leave the nomination alone; '' clears it; a name sets it. */
    readonly nominatedNodeName: string | undefined,
  ) {}
}

export class SchedulerCore {
  readonly schedulerName: string;
  readonly clock: Clock;
  readonly api: SchedulerAPI;
  readonly listers: SchedulerListers;
  readonly cache = new SchedulerCache();
  readonly snapshot = new Snapshot();
  readonly framework: Framework;
  readonly queue: SchedulingQueue;
  private readonly percentageOfNodesToScore: number | undefined;
  private readonly random: () => number;
  private readonly log: (message: string, err?: unknown) => void;
  private nextStartNodeIndex = 0;
  private readonly bindings = new Set<Promise<void>>();

  constructor(o: SchedulerCoreOptions) {
    this.schedulerName = o.schedulerName ?? DEFAULT_SCHEDULER_NAME;
    this.clock = o.clock;
    this.api = o.api;
    this.listers = o.listers;
    this.random = o.random ?? Math.random;
    this.log = o.log ?? ((m, e) => console.error(`kubelite scheduler: ${m}`, e ?? ''));
    const pct = o.percentageOfNodesToScore;
    if (pct !== undefined && (!(pct >= 0) || pct > 100)) throw new Error('percentageOfNodesToScore must be between 0 and 100');
    this.percentageOfNodesToScore = pct;
    const plugins = (o.plugins ?? defaultPlugins()).map((p) =>
      p.name === 'DefaultPreemption' ? { ...p, args: { schedulerName: this.schedulerName, ...p.args } } : p,
    );
    // The queue is created before the framework so plugins see it as their nominator.
    const late: { fw?: Framework } = {};
    this.queue = new SchedulingQueue({
      clock: this.clock,
      less: (a, b) => (late.fw as Framework).less(a, b),
      preEnqueue: (pod) => (late.fw as Framework).runPreEnqueuePlugins(pod),
      ...(o.podInitialBackoffMs !== undefined ? { podInitialBackoffMs: o.podInitialBackoffMs } : {}),
      ...(o.podMaxBackoffMs !== undefined ? { podMaxBackoffMs: o.podMaxBackoffMs } : {}),
      ...(o.podMaxInUnschedulablePodsMs !== undefined ? { podMaxInUnschedulablePodsMs: o.podMaxInUnschedulablePodsMs } : {}),
    });
    const fw = new Framework({
      registry: { ...inTreeRegistry, ...o.registry },
      plugins,
      clock: this.clock,
      api: this.api,
      listers: this.listers,
      nominator: this.queue,
      snapshot: () => this.snapshot,
      random: this.random,
    });
    late.fw = fw;
    this.framework = fw;
    this.queue.setEventsToRegister(fw.eventsToRegister());
  }

  /** Is this scheduler responsible for the pod (spec.schedulerName, defaulting to default-scheduler)? */
  responsibleFor(pod: Pod): boolean {
    const n = pod.spec?.schedulerName;
    return (n === undefined || n === '' ? DEFAULT_SCHEDULER_NAME : n) === this.schedulerName;
  }

  // --- cluster events ------------------------------------------------------------

  private moveAll(resource: ClusterEvent['resource'], actionType: number, label: string): void {
    this.queue.moveAllToActiveOrBackoffQueue({ resource, actionType, label });
  }

  onNodeAdd(node: Node): void {
    this.cache.addNode(node);
    this.moveAll('Node', ActionType.Add, 'NodeAdd');
  }

  onNodeUpdate(oldNode: Node, newNode: Node): void {
    this.cache.updateNode(oldNode, newNode);
    const a = nodeUpdateActions(oldNode, newNode);
    if (a !== 0) this.moveAll('Node', a, 'NodeUpdate');
  }

  onNodeDelete(node: Node): void {
    this.cache.removeNode(node);
    this.moveAll('Node', ActionType.Delete, 'NodeDelete');
  }

  onPodAdd(pod: Pod): void {
    if (isAssigned(pod)) {
      if (isTerminal(pod)) return;
      this.cache.addPod(pod);
      this.moveAll('AssignedPod', ActionType.Add, 'AssignedPodAdd');
      return;
    }
    if (this.responsibleFor(pod) && !isTerminal(pod)) this.queue.add(pod);
  }

  onPodUpdate(oldPod: Pod, newPod: Pod): void {
    if (isAssigned(newPod)) {
      if (!isAssigned(oldPod)) {
        // Bound (by us or by someone else): it leaves the queue and lands in the cache.
        this.queue.delete(newPod);
        if (!isTerminal(newPod)) {
          this.cache.addPod(newPod);
          this.moveAll('AssignedPod', ActionType.Add, 'AssignedPodAdd');
        }
        return;
      }
      if (isTerminal(newPod)) {
        if (this.cache.getPod(newPod) !== undefined) {
          this.cache.removePod(newPod);
          this.moveAll('AssignedPod', ActionType.Delete, 'AssignedPodDelete');
        }
        return;
      }
      this.cache.updatePod(oldPod, newPod);
      const a = podUpdateActions(oldPod, newPod);
      if (a !== 0) this.moveAll('AssignedPod', a, 'AssignedPodUpdate');
      return;
    }
    if (this.responsibleFor(newPod) && !isTerminal(newPod)) this.queue.update(oldPod, newPod);
    else this.queue.delete(newPod);
  }

  onPodDelete(pod: Pod): void {
    if (!isAssigned(pod)) {
      this.queue.delete(pod);
      this.framework.getWaitingPod(podUID(pod))?.reject('', 'removed');
    }
    // A bound pod, or an unbound one we had assumed onto a node: its resources are free.
    if (this.cache.getPod(pod) !== undefined) {
      this.cache.removePod(pod);
      this.moveAll('AssignedPod', ActionType.Delete, 'AssignedPodDelete');
    }
  }

  // --- the scheduling cycle --------------------------------------------------------

  /** Schedules one popped pod; resolves when the scheduling cycle (not the binding) is over. */
  async scheduleOne(q: QueuedPodInfo): Promise<void> {
    const pod = q.podInfo.pod;
    if (this.skipPodSchedule(pod)) {
      this.queue.done(pod);
      return;
    }
    const state = new CycleState();
    let result: ScheduleResult;
    try {
      result = this.schedulePod(state, pod);
    } catch (e) {
      const failure = await this.failureFor(state, pod, e);
      this.handleSchedulingFailure(q, failure);
      return;
    }
    const assumed: Pod = { ...pod, spec: { ...(pod.spec ?? { containers: [] }), nodeName: result.suggestedHost } };
    try {
      this.cache.assumePod(assumed);
    } catch (e) {
      this.handleSchedulingFailure(q, new CycleFailure(asStatus(e), undefined, undefined));
      return;
    }
    const reserve = this.framework.runReservePluginsReserve(state, assumed, result.suggestedHost);
    if (!reserve.isSuccess()) {
      this.framework.runReservePluginsUnreserve(state, assumed, result.suggestedHost);
      this.cache.forgetPod(assumed);
      this.handleSchedulingFailure(q, new CycleFailure(reserve.isRejected() ? reserve : statusWithPrefix('running Reserve plugin', reserve), undefined, undefined));
      return;
    }
    const permit = this.framework.runPermitPlugins(state, assumed, result.suggestedHost);
    if (!permit.isSuccess() && !permit.isWait()) {
      this.framework.runReservePluginsUnreserve(state, assumed, result.suggestedHost);
      this.cache.forgetPod(assumed);
      this.handleSchedulingFailure(q, new CycleFailure(permit, undefined, undefined));
      return;
    }
    // A pod that was nominated and now fits somewhere no longer needs the nomination.
    this.queue.deleteNominatedPodIfExists(pod);
    const b = this.bindingCycle(state, q, assumed, result.suggestedHost).catch((e: unknown) => this.log('binding cycle failed', e));
    this.bindings.add(b);
    void b.finally(() => this.bindings.delete(b));
  }

  /** Resolves when every binding started so far has finished. */
  async waitForBindings(): Promise<void> {
    while (this.bindings.size > 0) await Promise.all([...this.bindings]);
  }

  private skipPodSchedule(pod: Pod): boolean {
    if (isTerminating(pod)) return true;
    return this.cache.isAssumedPod(pod);
  }

  private async failureFor(state: CycleState, pod: Pod, e: unknown): Promise<CycleFailure> {
    if (e instanceof NoNodesError) return new CycleFailure(new Status('UnschedulableAndUnresolvable', [ERR_NO_NODES_AVAILABLE]), undefined, '');
    if (e instanceof StatusThrow) return new CycleFailure(e.status, undefined, undefined);
    if (!(e instanceof FitError)) return new CycleFailure(asStatus(e), undefined, undefined);
    let nominated: string | undefined;
    if (this.framework.postFilterPlugins.length > 0) {
      const { result, status } = await this.framework.runPostFilterPlugins(state, pod, e.diagnosis.nodeToStatus);
      if (status.code === 'Error') this.log(`PostFilter for ${podKey(pod)} failed: ${status.message()}`);
      e.diagnosis.postFilterMsg = status.message();
      nominated = result?.nominatedNodeName;
    }
    return new CycleFailure(new Status('Unschedulable', [e.message()], ''), e.diagnosis, nominated);
  }

  /**
   * Finds the node for the pod in the current snapshot (upstream schedulePod). Throws
   * NoNodesError, a FitError when no node fits, or a StatusThrow for plugin errors.
   */
  schedulePod(state: CycleState, pod: Pod): ScheduleResult {
    this.cache.updateSnapshot(this.snapshot);
    if (this.snapshot.numNodes() === 0) throw new NoNodesError();
    const { feasible, diagnosis } = this.findNodesThatFitPod(state, pod);
    if (feasible.length === 0) throw new FitError(pod, this.snapshot.numNodes(), diagnosis);
    if (feasible.length === 1) return { suggestedHost: (feasible[0] as NodeInfo).name, evaluatedNodes: 1 + diagnosis.nodeToStatus.size, feasibleNodes: 1 };
    const scores = this.prioritizeNodes(state, pod, feasible);
    return { suggestedHost: this.selectHost(scores), evaluatedNodes: feasible.length + diagnosis.nodeToStatus.size, feasibleNodes: feasible.length };
  }

  findNodesThatFitPod(state: CycleState, pod: Pod): { feasible: NodeInfo[]; diagnosis: Diagnosis } {
    const diagnosis = newDiagnosis();
    const all = this.snapshot.list();
    const pre = this.framework.runPreFilterPlugins(state, pod, all);
    for (const p of pre.narrowedBy) diagnosis.unschedulablePlugins.add(p);
    if (!pre.status.isSuccess()) {
      if (!pre.status.isRejected()) throw new StatusThrow(pre.status);
      diagnosis.nodeToStatus.absentNodesStatus = pre.status;
      diagnosis.preFilterMsg = pre.status.message();
      if (pre.status.plugin !== '') diagnosis.unschedulablePlugins.add(pre.status.plugin);
      return { feasible: [], diagnosis };
    }
    const nominated = pod.status?.nominatedNodeName ?? '';
    if (nominated !== '') {
      const ni = this.snapshot.get(nominated);
      if (ni !== undefined) {
        const f = this.findNodesThatPassFilters(state, pod, diagnosis, [ni]);
        if (f.length > 0) return { feasible: f, diagnosis };
      }
    }
    let nodes = all;
    const names = pre.result?.nodeNames;
    if (names !== undefined) {
      nodes = [];
      for (const n of names) {
        const ni = this.snapshot.get(n);
        if (ni !== undefined) nodes.push(ni);
      }
      diagnosis.nodeToStatus.absentNodesStatus = new Status('UnschedulableAndUnresolvable', [`node(s) didn't satisfy plugin(s) [${[...pre.narrowedBy].sort().join(' ')}]`]);
    }
    return { feasible: this.findNodesThatPassFilters(state, pod, diagnosis, nodes), diagnosis };
  }

  private findNodesThatPassFilters(state: CycleState, pod: Pod, diagnosis: Diagnosis, nodes: readonly NodeInfo[]): NodeInfo[] {
    const n = nodes.length;
    if (n === 0) return [];
    const want = feasibleNodesFor(this.percentageOfNodesToScore, n);
    const start = this.nextStartNodeIndex % n;
    const feasible: NodeInfo[] = [];
    if (!this.framework.hasFilterPlugins()) {
      for (let i = 0; i < want; i++) feasible.push(nodes[(start + i) % n] as NodeInfo);
      return feasible;
    }
    let processed = 0;
    for (let i = 0; i < n && feasible.length < want; i++) {
      const ni = nodes[(start + i) % n] as NodeInfo;
      processed++;
      const s = this.framework.runFilterPluginsWithNominatedPods(state, pod, ni);
      if (s.isSuccess()) {
        feasible.push(ni);
        continue;
      }
      if (s.code === 'Error') throw new StatusThrow(s);
      diagnosis.nodeToStatus.set(ni.name, s);
      if (s.plugin !== '') diagnosis.unschedulablePlugins.add(s.plugin);
    }
    this.nextStartNodeIndex = (start + processed) % n;
    return feasible;
  }

  prioritizeNodes(state: CycleState, pod: Pod, nodes: readonly NodeInfo[]): NodePluginScores[] {
    if (!this.framework.hasScorePlugins()) return nodes.map((n) => ({ name: n.name, scores: [], totalScore: 1 }));
    const pre = this.framework.runPreScorePlugins(state, pod, nodes);
    if (!pre.isSuccess()) throw new StatusThrow(pre);
    const { scores, status } = this.framework.runScorePlugins(state, pod, nodes);
    if (!status.isSuccess()) throw new StatusThrow(status);
    return scores;
  }

  /** The highest total score; ties broken uniformly at random (upstream selectHost). */
  selectHost(scores: readonly NodePluginScores[]): string {
    let best = scores[0];
    if (best === undefined) throw new Error('empty priorityList');
    let ties = 1;
    for (let i = 1; i < scores.length; i++) {
      const s = scores[i] as NodePluginScores;
      if (s.totalScore > best.totalScore) {
        best = s;
        ties = 1;
      } else if (s.totalScore === best.totalScore) {
        ties++;
        if (Math.floor(this.random() * ties) === 0) best = s;
      }
    }
    return best.name;
  }

  private async bindingCycle(state: CycleState, q: QueuedPodInfo, assumed: Pod, node: string): Promise<void> {
    const fw = this.framework;
    let s = await fw.waitOnPermit(assumed);
    if (s.isSuccess()) s = await fw.runPreBindPlugins(state, assumed, node);
    if (s.isSuccess()) {
      s = await fw.runBindPlugins(state, assumed, node);
      if (s.isSkip()) s = new Status('Error', ['no bind plugin bound the pod']);
    }
    if (!s.isSuccess()) {
      fw.runReservePluginsUnreserve(state, assumed, node);
      this.cache.forgetPod(assumed);
      // The pod's resources are free again: others may fit now.
      this.moveAll('AssignedPod', ActionType.Delete, 'AssignedPodDelete');
      const status = s.isRejected() ? s : statusWithPrefix('Binding rejected', s);
      this.handleSchedulingFailure(q, new CycleFailure(status, undefined, undefined));
      return;
    }
    this.cache.finishBinding(assumed);
    this.api.event(assumed, undefined, 'Normal', 'Scheduled', 'Binding', `Successfully assigned ${assumed.metadata?.namespace ?? ''}/${assumed.metadata?.name ?? ''} to ${node}`);
    fw.runPostBindPlugins(state, assumed, node);
    this.queue.done(assumed);
  }

  /**
   * Puts the pod back in the queue, records the FailedScheduling event and writes
   * PodScheduled=False with the message (upstream handleSchedulingFailure).
   */
  private handleSchedulingFailure(q: QueuedPodInfo, f: CycleFailure): void {
    const pod = q.podInfo.pod;
    const rejected = f.status.isRejected();
    const reason = rejected ? 'Unschedulable' : 'SchedulerError';
    const msg = f.status.message();
    if (f.status.code === 'Error') this.log(`error scheduling pod ${podKey(pod)}, retrying: ${msg}`, f.status.error);
    const current = this.listers.pod(pod.metadata?.namespace ?? '', pod.metadata?.name ?? '');
    if (current === undefined || (current.metadata?.uid !== undefined && pod.metadata?.uid !== undefined && current.metadata.uid !== pod.metadata.uid)) {
      // Deleted meanwhile.
      this.queue.done(pod);
      return;
    }
    if (isAssigned(current)) {
      this.queue.done(pod);
      return;
    }
    const latest = this.queue.latestInFlight(pod) ?? current;
    q.podInfo = new PodInfo(latest);
    this.queue.addUnschedulableIfNotPresent(q, {
      unschedulablePlugins: f.diagnosis?.unschedulablePlugins ?? (rejected && f.status.plugin !== '' ? new Set([f.status.plugin]) : new Set()),
      error: f.status.code === 'Error',
    });
    if (f.nominatedNodeName !== undefined) {
      if (f.nominatedNodeName === '') this.queue.deleteNominatedPodIfExists(latest);
      else this.queue.addNominatedPod(q.podInfo, f.nominatedNodeName);
    }
    this.api.event(latest, undefined, 'Warning', 'FailedScheduling', 'Scheduling', truncate(msg));
    const cond: PodConditionUpdate = { type: 'PodScheduled', status: 'False', reason, message: msg };
    const nnnChange = f.nominatedNodeName !== undefined && (latest.status?.nominatedNodeName ?? '') !== f.nominatedNodeName;
    if (!conditionNeedsUpdate(latest, cond) && !nnnChange) return;
    this.api
      .updatePodStatus(latest, { condition: cond, ...(nnnChange ? { nominatedNodeName: f.nominatedNodeName as string } : {}) })
      .catch((e: unknown) => this.log(`error updating pod ${podKey(latest)}`, e));
  }
}

/** Upstream podutil.UpdatePodCondition's "changed" test on what the scheduler sets. */
function conditionNeedsUpdate(pod: Pod, c: PodConditionUpdate): boolean {
  const old = (pod.status?.conditions ?? []).find((x) => x.type === c.type);
  if (old === undefined) return true;
  return old.status !== c.status || (old.reason ?? '') !== (c.reason ?? '') || (old.message ?? '') !== (c.message ?? '');
}

function isAssigned(pod: Pod): boolean {
  return (pod.spec?.nodeName ?? '') !== '';
}

function statusWithPrefix(prefix: string, s: Status): Status {
  return new Status(s.code as Code, [`${prefix}: ${s.message()}`], s.plugin, s.error);
}

class NoNodesError extends Error {
  constructor() {
    super(ERR_NO_NODES_AVAILABLE);
  }
}

/** A plugin Error status unwinding the cycle. */
class StatusThrow extends Error {
  constructor(readonly status: Status) {
    super(status.message());
  }
}
