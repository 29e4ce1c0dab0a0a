/**
 * Runs a profile's plugins at each extension point (upstream framework/runtime).
 * The Framework is also the Handle plugins receive.
 */
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { Clock, TimerHandle } from '../../util/clock.js';
import { CycleState } from './cyclestate.js';
import { ActionType, type ClusterEvent } from './events.js';
import type { NodeToStatus } from './fiterror.js';
import { MAX_NODE_SCORE, MIN_NODE_SCORE, podPriority, podUID } from './helpers.js';
import type {
  BindPlugin,
  EnqueueExtensions,
  FilterPlugin,
  Handle,
  NodeScore,
  Nominator,
  PermitPlugin,
  Plugin,
  PluginFactory,
  PostBindPlugin,
  PostFilterPlugin,
  PostFilterResult,
  PreBindPlugin,
  PreEnqueuePlugin,
  PreFilterPlugin,
  PreFilterResult,
  PreScorePlugin,
  QueuedPodInfo,
  QueueSortPlugin,
  ReservePlugin,
  SchedulerAPI,
  SchedulerListers,
  ScorePlugin,
} from './interface.js';
import type { NodeInfo } from './nodeinfo.js';
import type { PodInfo } from './podinfo.js';
import type { Snapshot } from './snapshot.js';
import { asStatus, Status, SUCCESS } from './status.js';

/** One enabled plugin: its registry name, score weight (default 1) and arguments. */
export interface PluginSpec {
  name: string;
  weight?: number;
  args?: Record<string, unknown>;
}

export interface FrameworkOptions {
  /** Plugin name -> factory. */
  registry: Readonly<Record<string, PluginFactory>>;
  /** Enabled plugins in order; each is used at every extension point it implements (upstream multiPoint). */
  plugins: readonly PluginSpec[];
  clock: Clock;
  api: SchedulerAPI;
  listers: SchedulerListers;
  nominator: Nominator;
  /** The snapshot of the cycle being run. */
  snapshot: () => Snapshot;
  random?: () => number;
}

export interface NodePluginScores {
  name: string;
  /** Weighted per-plugin scores, for tests and debugging. */
  scores: { plugin: string; score: number }[];
  totalScore: number;
}

function has<K extends string>(p: Plugin, method: K): p is Plugin & Record<K, (...args: any[]) => any> {
  return typeof (p as unknown as Record<string, unknown>)[method] === 'function';
}

/** Runs f, turning a throw into an Error status (plugins must not throw; this keeps a bug from killing the loop). */
function guard(plugin: string, f: () => Status): Status {
  try {
    const s = f();
    return s.isSuccess() ? s : s.withPlugin(plugin);
  } catch (e) {
    return asStatus(e).withPlugin(plugin);
  }
}

async function guardAsync(plugin: string, f: () => Promise<Status>): Promise<Status> {
  try {
    const s = await f();
    return s.isSuccess() ? s : s.withPlugin(plugin);
  } catch (e) {
    return asStatus(e).withPlugin(plugin);
  }
}

/** A pod held at Permit until every waiting plugin allows it (upstream waitingPod). */
export class WaitingPod {
  private readonly pending: Map<string, TimerHandle>;
  private settled = false;
  readonly done: Promise<Status>;
  private resolve!: (s: Status) => void;

  constructor(
    readonly pod: Pod,
    waits: Map<string, number>,
    private readonly clock: Clock,
  ) {
    this.done = new Promise((r) => (this.resolve = r));
    this.pending = new Map();
    for (const [plugin, timeoutMs] of waits) {
      this.pending.set(
        plugin,
        clock.setTimeout(() => this.reject(plugin, `rejected due to timeout after waiting ${timeoutMs / 1000}s at plugin ${plugin}`), timeoutMs),
      );
    }
  }

  pendingPlugins(): string[] {
    return [...this.pending.keys()];
  }

  allow(plugin: string): void {
    const t = this.pending.get(plugin);
    if (t === undefined || this.settled) return;
    this.clock.clearTimeout(t);
    this.pending.delete(plugin);
    if (this.pending.size === 0) this.finish(SUCCESS);
  }

  reject(plugin: string, message: string): void {
    if (this.settled) return;
    this.finish(new Status('Unschedulable', [message], plugin));
  }

  private finish(s: Status): void {
    this.settled = true;
    for (const t of this.pending.values()) this.clock.clearTimeout(t);
    this.pending.clear();
    this.resolve(s);
  }
}

export class Framework implements Handle {
  readonly clock: Clock;
  readonly api: SchedulerAPI;
  readonly listers: SchedulerListers;
  readonly nominator: Nominator;
  private readonly snapshotFn: () => Snapshot;
  private readonly rand: () => number;

  readonly plugins: Plugin[] = [];
  readonly weights = new Map<string, number>();
  readonly preEnqueuePlugins: PreEnqueuePlugin[] = [];
  readonly queueSortPlugin: QueueSortPlugin | undefined;
  readonly preFilterPlugins: PreFilterPlugin[] = [];
  readonly filterPlugins: FilterPlugin[] = [];
  readonly postFilterPlugins: PostFilterPlugin[] = [];
  readonly preScorePlugins: PreScorePlugin[] = [];
  readonly scorePlugins: ScorePlugin[] = [];
  readonly reservePlugins: ReservePlugin[] = [];
  readonly permitPlugins: PermitPlugin[] = [];
  readonly preBindPlugins: PreBindPlugin[] = [];
  readonly bindPlugins: BindPlugin[] = [];
  readonly postBindPlugins: PostBindPlugin[] = [];
  private readonly waitingPods = new Map<string, WaitingPod>();

  constructor(o: FrameworkOptions) {
    this.clock = o.clock;
    this.api = o.api;
    this.listers = o.listers;
    this.nominator = o.nominator;
    this.snapshotFn = o.snapshot;
    this.rand = o.random ?? Math.random;
    let queueSort: QueueSortPlugin | undefined;
    const seen = new Set<string>();
    for (const spec of o.plugins) {
      if (seen.has(spec.name)) throw new Error(`plugin ${spec.name} enabled twice`);
      seen.add(spec.name);
      const factory = o.registry[spec.name];
      if (factory === undefined) throw new Error(`plugin ${spec.name} is not in the registry`);
      const p = factory(spec.args, this);
      this.plugins.push(p);
      if (has(p, 'preEnqueue')) this.preEnqueuePlugins.push(p as unknown as PreEnqueuePlugin);
      if (has(p, 'less')) {
        if (queueSort !== undefined) throw new Error(`only one queue sort plugin may be enabled: ${queueSort.name}, ${p.name}`);
        queueSort = p as unknown as QueueSortPlugin;
      }
      if (has(p, 'preFilter')) this.preFilterPlugins.push(p as unknown as PreFilterPlugin);
      if (has(p, 'filter')) this.filterPlugins.push(p as unknown as FilterPlugin);
      if (has(p, 'postFilter')) this.postFilterPlugins.push(p as unknown as PostFilterPlugin);
      if (has(p, 'preScore')) this.preScorePlugins.push(p as unknown as PreScorePlugin);
      if (has(p, 'score')) {
        const w = spec.weight ?? 1;
        if (!Number.isInteger(w) || w <= 0) throw new Error(`plugin ${spec.name}: score weight must be a positive integer`);
        this.weights.set(p.name, w);
        this.scorePlugins.push(p as unknown as ScorePlugin);
      }
      if (has(p, 'reserve')) this.reservePlugins.push(p as unknown as ReservePlugin);
      if (has(p, 'permit')) this.permitPlugins.push(p as unknown as PermitPlugin);
      if (has(p, 'preBind')) this.preBindPlugins.push(p as unknown as PreBindPlugin);
      if (has(p, 'bind')) this.bindPlugins.push(p as unknown as BindPlugin);
      if (has(p, 'postBind')) this.postBindPlugins.push(p as unknown as PostBindPlugin);
    }
    this.queueSortPlugin = queueSort;
  }

  snapshot(): Snapshot {
    return this.snapshotFn();
  }

  random(): number {
    return this.rand();
  }

  plugin<T extends Plugin>(name: string): T | undefined {
    return this.plugins.find((p) => p.name === name) as T | undefined;
  }

  /** The queue order: the QueueSort plugin, or priority then timestamp when none is enabled. */
  less(a: QueuedPodInfo, b: QueuedPodInfo): boolean {
    if (this.queueSortPlugin !== undefined) return this.queueSortPlugin.less(a, b);
    const pa = podPriority(a.podInfo.pod);
    const pb = podPriority(b.podInfo.pod);
    return pa > pb || (pa === pb && a.timestamp < b.timestamp);
  }

  hasFilterPlugins(): boolean {
    return this.filterPlugins.length > 0;
  }

  hasScorePlugins(): boolean {
    return this.scorePlugins.length > 0;
  }

  /**
   * Per plugin, the events that may resolve its rejections. A plugin that can reject a
   * pod but registers nothing is moved by every event (as upstream).
   */
  eventsToRegister(): Map<string, ClusterEvent[]> {
    const out = new Map<string, ClusterEvent[]>();
    for (const p of this.plugins) {
      if (has(p, 'eventsToRegister')) {
        out.set(p.name, (p as unknown as EnqueueExtensions).eventsToRegister());
      } else if (has(p, 'preEnqueue') || has(p, 'preFilter') || has(p, 'filter') || has(p, 'reserve') || has(p, 'permit')) {
        out.set(p.name, [{ resource: '*', actionType: ActionType.All }]);
      }
    }
    return out;
  }

  runPreEnqueuePlugins(pod: Pod): Status {
    for (const p of this.preEnqueuePlugins) {
      const s = guard(p.name, () => p.preEnqueue(pod));
      if (!s.isSuccess()) return s;
    }
    return SUCCESS;
  }

  /**
   * Runs every PreFilter. Returns the intersection of the node sets they narrowed to
   * (undefined: all nodes), the first rejection or error, and the plugins that narrowed
   * the node set (upstream RunPreFilterPlugins).
   */
  runPreFilterPlugins(state: CycleState, pod: Pod, nodes: readonly NodeInfo[]): { result: PreFilterResult | undefined; status: Status; narrowedBy: string[] } {
    let names: Set<string> | undefined;
    const narrowedBy: string[] = [];
    const skip = new Set<string>();
    for (const p of this.preFilterPlugins) {
      let r: PreFilterResult | undefined;
      const s = guard(p.name, () => {
        const out = p.preFilter(state, pod, nodes);
        r = out.result;
        return out.status;
      });
      if (s.isSkip()) {
        skip.add(p.name);
        continue;
      }
      if (!s.isSuccess()) {
        state.skipFilterPlugins = skip;
        if (s.isRejected()) return { result: undefined, status: s, narrowedBy };
        return { result: undefined, status: new Status('Error', [`running PreFilter plugin "${p.name}": ${s.message()}`], p.name, s.error), narrowedBy };
      }
      const rn = (r as PreFilterResult | undefined)?.nodeNames;
      if (rn !== undefined) {
        narrowedBy.push(p.name);
        names = names === undefined ? new Set(rn) : new Set([...names].filter((n) => rn.has(n)));
        if (names.size === 0) {
          state.skipFilterPlugins = skip;
          const msg =
            narrowedBy.length === 1 ? `node(s) didn't satisfy plugin ${narrowedBy[0]}` : `node(s) didn't satisfy plugin(s) [${narrowedBy.join(' ')}] simultaneously`;
          return { result: { nodeNames: names }, status: new Status('UnschedulableAndUnresolvable', [msg], p.name), narrowedBy };
        }
      }
    }
    state.skipFilterPlugins = skip;
    return { result: names === undefined ? undefined : { nodeNames: names }, status: SUCCESS, narrowedBy };
  }

  runPreFilterExtensionAddPod(state: CycleState, podToSchedule: Pod, podInfoToAdd: PodInfo, nodeInfo: NodeInfo): Status {
    for (const p of this.preFilterPlugins) {
      if (state.skipFilterPlugins.has(p.name)) continue;
      const ext = p.preFilterExtensions?.();
      if (ext === undefined) continue;
      const s = guard(p.name, () => ext.addPod(state, podToSchedule, podInfoToAdd, nodeInfo));
      if (!s.isSuccess()) return s;
    }
    return SUCCESS;
  }

  runPreFilterExtensionRemovePod(state: CycleState, podToSchedule: Pod, podInfoToRemove: PodInfo, nodeInfo: NodeInfo): Status {
    for (const p of this.preFilterPlugins) {
      if (state.skipFilterPlugins.has(p.name)) continue;
      const ext = p.preFilterExtensions?.();
      if (ext === undefined) continue;
      const s = guard(p.name, () => ext.removePod(state, podToSchedule, podInfoToRemove, nodeInfo));
      if (!s.isSuccess()) return s;
    }
    return SUCCESS;
  }

  /** The first Filter that does not return Success decides (upstream RunFilterPlugins). */
  runFilterPlugins(state: CycleState, pod: Pod, nodeInfo: NodeInfo): Status {
    for (const p of this.filterPlugins) {
      if (state.skipFilterPlugins.has(p.name)) continue;
      const s = guard(p.name, () => p.filter(state, pod, nodeInfo));
      if (!s.isSuccess()) {
        if (!s.isRejected() && s.code !== 'Error') return new Status('Error', [`running Filter plugin "${p.name}": unexpected status ${s.code}`], p.name);
        return s;
      }
    }
    return SUCCESS;
  }

  /**
   * Filters twice when higher-or-equal priority pods are nominated to the node: once with
   * them counted as if running there, once without (their own placement may still fail),
   * and the node fits only when both pass (upstream RunFilterPluginsWithNominatedPods).
   */
  runFilterPluginsWithNominatedPods(state: CycleState, pod: Pod, nodeInfo: NodeInfo): Status {
    const nominated = this.nominator.nominatedPodsForNode(nodeInfo.name);
    const uid = podUID(pod);
    const prio = podPriority(pod);
    const toAdd = nominated.filter((pi) => podPriority(pi.pod) >= prio && podUID(pi.pod) !== uid);
    if (toAdd.length === 0) return this.runFilterPlugins(state, pod, nodeInfo);
    const ni = nodeInfo.clone();
    const st = state.clone();
    for (const pi of toAdd) {
      ni.addPod(pi);
      const s = this.runPreFilterExtensionAddPod(st, pod, pi, ni);
      if (!s.isSuccess()) return s;
    }
    const first = this.runFilterPlugins(st, pod, ni);
    if (!first.isSuccess()) return first;
    return this.runFilterPlugins(state, pod, nodeInfo);
  }

  async runPostFilterPlugins(state: CycleState, pod: Pod, m: NodeToStatus): Promise<{ result: PostFilterResult | undefined; status: Status }> {
    let result: PostFilterResult | undefined;
    const reasons: string[] = [];
    let rejector = '';
    for (const p of this.postFilterPlugins) {
      let r: PostFilterResult | undefined;
      const s = await guardAsync(p.name, async () => {
        const out = await p.postFilter(state, pod, m);
        r = out.result;
        return out.status;
      });
      if (s.isSuccess()) return { result: r, status: s };
      if (s.code === 'UnschedulableAndUnresolvable') return { result: r, status: s };
      if (!s.isRejected()) return { result: undefined, status: s };
      if (r !== undefined) result = r;
      reasons.push(...s.reasons);
      if (rejector === '') rejector = p.name;
    }
    return { result, status: new Status('Unschedulable', reasons, rejector) };
  }

  runPreScorePlugins(state: CycleState, pod: Pod, nodes: readonly NodeInfo[]): Status {
    const skip = new Set<string>();
    for (const p of this.preScorePlugins) {
      const s = guard(p.name, () => p.preScore(state, pod, nodes));
      if (s.isSkip()) {
        skip.add(p.name);
        continue;
      }
      if (!s.isSuccess()) {
        state.skipScorePlugins = skip;
        return new Status('Error', [`running PreScore plugin "${p.name}": ${s.message()}`], p.name, s.error);
      }
    }
    state.skipScorePlugins = skip;
    return SUCCESS;
  }

  /** Scores, normalises and weights every node (upstream RunScorePlugins). */
  runScorePlugins(state: CycleState, pod: Pod, nodes: readonly NodeInfo[]): { scores: NodePluginScores[]; status: Status } {
    const out: NodePluginScores[] = nodes.map((n) => ({ name: n.name, scores: [], totalScore: 0 }));
    for (const p of this.scorePlugins) {
      if (state.skipScorePlugins.has(p.name)) continue;
      const list: NodeScore[] = new Array<NodeScore>(nodes.length);
      for (let i = 0; i < nodes.length; i++) {
        const ni = nodes[i] as NodeInfo;
        let v: number | Status;
        try {
          v = p.score(state, pod, ni);
        } catch (e) {
          v = asStatus(e);
        }
        if (typeof v !== 'number') {
          return { scores: [], status: new Status('Error', [`running Score plugin "${p.name}": ${v.message()}`], p.name, v.error) };
        }
        list[i] = { name: ni.name, score: v };
      }
      if (p.normalizeScore !== undefined) {
        const s = guard(p.name, () => (p.normalizeScore as NonNullable<ScorePlugin['normalizeScore']>)(state, pod, list));
        if (!s.isSuccess()) return { scores: [], status: new Status('Error', [`running Normalize on Score plugins: ${s.message()}`], p.name, s.error) };
      }
      const w = this.weights.get(p.name) ?? 1;
      for (let i = 0; i < list.length; i++) {
        const ns = list[i] as NodeScore;
        if (ns.score > MAX_NODE_SCORE || ns.score < MIN_NODE_SCORE) {
          return {
            scores: [],
            status: new Status('Error', [`plugin "${p.name}" returns an invalid score ${ns.score}, it should in the range of [${MIN_NODE_SCORE}, ${MAX_NODE_SCORE}] after normalizing`], p.name),
          };
        }
        const o = out[i] as NodePluginScores;
        const weighted = ns.score * w;
        o.scores.push({ plugin: p.name, score: weighted });
        o.totalScore += weighted;
      }
    }
    return { scores: out, status: SUCCESS };
  }

  runReservePluginsReserve(state: CycleState, pod: Pod, nodeName: string): Status {
    for (const p of this.reservePlugins) {
      const s = guard(p.name, () => p.reserve(state, pod, nodeName));
      if (!s.isSuccess()) return s;
    }
    return SUCCESS;
  }

  /** Calls every Reserve plugin's unreserve, in reverse order. */
  runReservePluginsUnreserve(state: CycleState, pod: Pod, nodeName: string): void {
    for (let i = this.reservePlugins.length - 1; i >= 0; i--) {
      const p = this.reservePlugins[i] as ReservePlugin;
      try {
        p.unreserve(state, pod, nodeName);
      } catch {
        // unreserve must not fail the cycle
      }
    }
  }

  /** Success, a rejection, or Wait (the pod is then held until waitOnPermit settles). */
  runPermitPlugins(state: CycleState, pod: Pod, nodeName: string): Status {
    const waits = new Map<string, number>();
    for (const p of this.permitPlugins) {
      let timeout = 0;
      const s = guard(p.name, () => {
        const out = p.permit(state, pod, nodeName);
        timeout = out.timeoutMs ?? 0;
        return out.status;
      });
      if (s.isSuccess()) continue;
      if (s.isWait()) {
        waits.set(p.name, Math.min(Math.max(timeout, 0), 15 * 60 * 1000));
        continue;
      }
      if (s.isRejected()) return s;
      return new Status('Error', [`running Permit plugin "${p.name}": ${s.message()}`], p.name, s.error);
    }
    if (waits.size > 0) {
      this.waitingPods.set(podUID(pod), new WaitingPod(pod, waits, this.clock));
      return new Status('Wait', [`one or more plugins asked to wait and no plugin rejected pod "${pod.metadata?.name ?? ''}"`]);
    }
    return SUCCESS;
  }

  /** Resolves when a waiting pod is allowed (Success) or rejected/timed out; Success at once when it is not waiting. */
  async waitOnPermit(pod: Pod): Promise<Status> {
    const uid = podUID(pod);
    const wp = this.waitingPods.get(uid);
    if (wp === undefined) return SUCCESS;
    try {
      return await wp.done;
    } finally {
      this.waitingPods.delete(uid);
    }
  }

  getWaitingPod(uid: string): WaitingPod | undefined {
    return this.waitingPods.get(uid);
  }

  /** Rejects every waiting pod (shutdown). */
  rejectWaitingPods(message: string): void {
    for (const wp of this.waitingPods.values()) wp.reject('', message);
  }

  async runPreBindPlugins(state: CycleState, pod: Pod, nodeName: string): Promise<Status> {
    for (const p of this.preBindPlugins) {
      const s = await guardAsync(p.name, () => p.preBind(state, pod, nodeName));
      if (!s.isSuccess()) {
        if (s.isRejected()) return s;
        return new Status('Error', [`running PreBind plugin "${p.name}": ${s.message()}`], p.name, s.error);
      }
    }
    return SUCCESS;
  }

  /** The first bind plugin that does not Skip binds (upstream RunBindPlugins). */
  async runBindPlugins(state: CycleState, pod: Pod, nodeName: string): Promise<Status> {
    if (this.bindPlugins.length === 0) return new Status('Skip');
    let last: Status = new Status('Skip');
    for (const p of this.bindPlugins) {
      last = await guardAsync(p.name, () => p.bind(state, pod, nodeName));
      if (last.isSkip()) continue;
      if (!last.isSuccess()) {
        if (last.isRejected()) return last;
        return new Status('Error', [`running Bind plugin "${p.name}": ${last.message()}`], p.name, last.error);
      }
      return last;
    }
    return last;
  }

  runPostBindPlugins(state: CycleState, pod: Pod, nodeName: string): void {
    for (const p of this.postBindPlugins) {
      try {
        p.postBind(state, pod, nodeName);
      } catch {
        // informational only
      }
    }
  }
}

export { CycleState };
