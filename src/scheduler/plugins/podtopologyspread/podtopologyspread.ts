/**
 * PodTopologySpread (upstream plugins/podtopologyspread): spreads matching pods across
 * topology domains.
 *
 * Filter (whenUnsatisfiable: DoNotSchedule): placing the pod in a domain must keep
 *   matching(domain) + self - min(matching over eligible domains) <= maxSkew,
 * where min is 0 while fewer than minDomains domains exist. Nodes count as eligible
 * domains when they carry every constraint's topology key and pass the inclusion
 * policies (nodeAffinityPolicy: Honor and nodeTaintsPolicy: Ignore by default).
 *
 * Score (whenUnsatisfiable: ScheduleAnyway): fewer matching pods in the node's domains
 * scores higher. A pod without constraints gets the cluster defaults (upstream system
 * defaults: hostname maxSkew 3, zone maxSkew 5, both ScheduleAnyway) with the selector
 * of its Services and controller.
 *
 * The matching pods per domain come from indexes kept on the snapshot (spreadindex.ts),
 * so PreFilter and PreScore cost O(domains) rather than O(nodes + pods). A constraint
 * whose node inclusion depends on the pod (nodeAffinityPolicy Honor with a nodeSelector
 * or required node affinity, or nodeTaintsPolicy Honor) still walks the nodes, reading
 * each node's count from the index.
 */
import type { Node, Pod, TopologySpreadConstraint } from 'kubernetes-types/core/v1.js';
import { matches, selectorFromLabelSelector, type Selector } from '../../../apimachinery/labels.js';
import type { CycleState, StateData } from '../../framework/cyclestate.js';
import { ActionType, type ClusterEvent } from '../../framework/events.js';
import { findUntoleratedTaint, LABEL_HOSTNAME, LABEL_TOPOLOGY_ZONE, MAX_NODE_SCORE, noScheduleOrNoExecute, podMatchesNodeSelectorAndAffinityTerms } from '../../framework/helpers.js';
import type { EnqueueExtensions, FilterPlugin, Handle, NodeScore, PreFilterExtensions, PreFilterPlugin, PreFilterResult, PreScorePlugin, ScorePlugin } from '../../framework/interface.js';
import type { NodeInfo } from '../../framework/nodeinfo.js';
import type { PodInfo } from '../../framework/podinfo.js';
import { asStatus, skip, Status, SUCCESS } from '../../framework/status.js';
import { Names } from '../names.js';
import { defaultSelector, selectorIsEmpty } from './defaultselector.js';
import { countMatching, spreadIndexes } from './spreadindex.js';

export const ERR_REASON_CONSTRAINTS_NOT_MATCH = "node(s) didn't match pod topology spread constraints";
export const ERR_REASON_NODE_LABEL_NOT_MATCH = ERR_REASON_CONSTRAINTS_NOT_MATCH + ' (missing required label)';

/** Upstream's system default constraints. */
export const SYSTEM_DEFAULT_CONSTRAINTS: readonly TopologySpreadConstraint[] = [
  { topologyKey: LABEL_HOSTNAME, whenUnsatisfiable: 'ScheduleAnyway', maxSkew: 3 },
  { topologyKey: LABEL_TOPOLOGY_ZONE, whenUnsatisfiable: 'ScheduleAnyway', maxSkew: 5 },
];

const PRE_FILTER_KEY = 'PreFilter' + Names.PodTopologySpread;
const PRE_SCORE_KEY = 'PreScore' + Names.PodTopologySpread;
const MAX_INT32 = 2147483647;

export interface Constraint {
  maxSkew: number;
  topologyKey: string;
  selector: Selector;
  minDomains: number;
  nodeAffinityPolicy: 'Honor' | 'Ignore';
  nodeTaintsPolicy: 'Honor' | 'Ignore';
}

export interface PodTopologySpreadArgs {
  /** Constraints for pods that have none; used when defaultingType is List. */
  defaultConstraints?: TopologySpreadConstraint[];
  /** System (default): upstream's built-in defaults; List: defaultConstraints. */
  defaultingType?: 'System' | 'List';
}

function nodeLabelsMatchConstraints(labels: Readonly<Record<string, string>>, constraints: readonly Constraint[]): boolean {
  for (const c of constraints) if (!(c.topologyKey in labels)) return false;
  return true;
}

function matchNodeInclusionPolicies(c: Constraint, pod: Pod, node: Node): boolean {
  if (c.nodeAffinityPolicy === 'Honor' && !podMatchesNodeSelectorAndAffinityTerms(pod, node)) return false;
  if (c.nodeTaintsPolicy === 'Honor' && findUntoleratedTaint(node.spec?.taints, pod.spec?.tolerations, noScheduleOrNoExecute) !== undefined) return false;
  return true;
}

/** Whether the node inclusion policies give the same answer for every pod, so domain totals can be used. */
function inclusionIndependentOfPod(c: Constraint, pod: Pod): boolean {
  if (c.nodeTaintsPolicy === 'Honor') return false;
  if (c.nodeAffinityPolicy === 'Ignore') return true;
  const req = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  return Object.keys(pod.spec?.nodeSelector ?? {}).length === 0 && (req === undefined || req === null);
}

/** The two domains with the fewest matching pods (upstream criticalPaths; approximate when counts grow). */
class CriticalPaths {
  p: [{ value: string; num: number }, { value: string; num: number }] = [
    { value: '', num: MAX_INT32 },
    { value: '', num: MAX_INT32 },
  ];

  update(value: string, num: number): void {
    const [a, b] = this.p;
    let i = -1;
    if (value === a.value) i = 0;
    else if (value === b.value) i = 1;
    if (i >= 0) {
      this.p[i]!.num = num;
      if (this.p[0].num > this.p[1].num) this.p = [this.p[1], this.p[0]];
    } else if (num < a.num) {
      this.p = [{ value, num }, { ...a }];
    } else if (num < b.num) {
      this.p[1] = { value, num };
    }
  }

  clone(): CriticalPaths {
    const c = new CriticalPaths();
    c.p = [{ ...this.p[0] }, { ...this.p[1] }];
    return c;
  }
}

class PreFilterState implements StateData {
  constructor(
    readonly constraints: Constraint[],
    readonly tpValueToMatchNum: Map<string, number>[],
    readonly criticalPaths: CriticalPaths[],
    /** 1 where the pod being scheduled matches the constraint's selector itself, else 0 (Filter runs per node, the answer does not change). */
    readonly selfMatch: readonly number[],
  ) {}

  clone(): PreFilterState {
    return new PreFilterState(
      this.constraints,
      this.tpValueToMatchNum.map((m) => new Map(m)),
      this.criticalPaths.map((c) => c.clone()),
      this.selfMatch,
    );
  }

  minMatchNum(i: number): number {
    const c = this.constraints[i] as Constraint;
    const domains = (this.tpValueToMatchNum[i] as Map<string, number>).size;
    if (domains < c.minDomains) return 0;
    return (this.criticalPaths[i] as CriticalPaths).p[0].num;
  }

  updateWithPod(updated: Pod, preemptor: Pod, node: Node | undefined, delta: number): void {
    if (node === undefined || (updated.metadata?.namespace ?? '') !== (preemptor.metadata?.namespace ?? '')) return;
    const labels = node.metadata?.labels ?? {};
    if (!nodeLabelsMatchConstraints(labels, this.constraints)) return;
    const podLabels = updated.metadata?.labels ?? {};
    this.constraints.forEach((c, i) => {
      if (!matches(c.selector, podLabels)) return;
      if (!matchNodeInclusionPolicies(c, preemptor, node)) return;
      const v = labels[c.topologyKey] as string;
      const m = this.tpValueToMatchNum[i] as Map<string, number>;
      const n = (m.get(v) ?? 0) + delta;
      m.set(v, n);
      (this.criticalPaths[i] as CriticalPaths).update(v, n);
    });
  }
}

class PreScoreState implements StateData {
  constraints: Constraint[] = [];
  ignoredNodes = new Set<string>();
  /** topologyKey\0value -> matching pods, for non-hostname constraints. */
  topologyPairToPodCounts = new Map<string, number>();
  topologyNormalizingWeight: number[] = [];
  clone(): StateData {
    return this;
  }
}

const pairKey = (key: string, value: string): string => `${key}\x00${value}`;

/** Whether the node is a domain of constraint c for this pod (carries every constraint's key, passes c's inclusion policies). */
function eligible(ni: NodeInfo, constraints: readonly Constraint[], c: Constraint, pod: Pod): boolean {
  const node = ni.node;
  if (node === undefined) return false;
  return nodeLabelsMatchConstraints(node.metadata?.labels ?? {}, constraints) && matchNodeInclusionPolicies(c, pod, node);
}

function add(m: Map<string, number>, ni: NodeInfo, c: Constraint, n: number): void {
  const v = ni.node?.metadata?.labels?.[c.topologyKey] as string;
  m.set(v, (m.get(v) ?? 0) + n);
}

export class PodTopologySpread implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin, EnqueueExtensions, PreFilterExtensions {
  readonly name = Names.PodTopologySpread;
  private readonly defaultConstraints: readonly TopologySpreadConstraint[];
  private readonly systemDefaulted: boolean;

  constructor(
    private readonly handle: Handle,
    args: PodTopologySpreadArgs = {},
  ) {
    if ((args.defaultingType ?? 'System') === 'System') {
      this.defaultConstraints = SYSTEM_DEFAULT_CONSTRAINTS;
      this.systemDefaulted = true;
    } else {
      this.defaultConstraints = args.defaultConstraints ?? [];
      this.systemDefaulted = false;
    }
  }

  /** The pod's constraints with the given whenUnsatisfiable, or the defaults when it has none. */
  constraintsFor(pod: Pod, action: 'DoNotSchedule' | 'ScheduleAnyway'): Constraint[] {
    const own = pod.spec?.topologySpreadConstraints ?? [];
    if (own.length > 0) return filterConstraints(own, pod.metadata?.labels ?? {}, action);
    const defaults = this.defaultConstraints.filter((c) => c.whenUnsatisfiable === action);
    if (defaults.length === 0) return [];
    const selector = defaultSelector(pod, this.handle.listers);
    if (selectorIsEmpty(selector)) return [];
    return defaults.map((c) => ({ ...toConstraint(c), selector }));
  }

  preFilter(state: CycleState, pod: Pod, nodes: readonly NodeInfo[]): { result?: PreFilterResult; status: Status } {
    let constraints: Constraint[];
    try {
      constraints = this.constraintsFor(pod, 'DoNotSchedule');
    } catch (e) {
      return { status: asStatus(e) };
    }
    if (constraints.length === 0) return { status: skip() };
    const ns = pod.metadata?.namespace ?? '';
    const snapshot = this.handle.snapshot();
    // The indexes follow the snapshot; any other node list (a caller's subset) is counted directly.
    const indexed = nodes === snapshot.list();
    const requiredKeys = [...new Set(constraints.map((c) => c.topologyKey))].sort();
    const tp = constraints.map((c) => {
      const m = new Map<string, number>();
      if (!indexed) {
        for (const ni of nodes) if (eligible(ni, constraints, c, pod)) add(m, ni, c, countMatching(ni, c.selector, ns));
        return m;
      }
      const idx = spreadIndexes(snapshot).get(ns, c.selector, c.topologyKey, requiredKeys);
      if (inclusionIndependentOfPod(c, pod)) {
        for (const [v, d] of idx.domains) m.set(v, d.pods);
      } else {
        for (const ni of nodes) if (eligible(ni, constraints, c, pod)) add(m, ni, c, idx.podsOn(ni.name));
      }
      return m;
    });
    const paths = constraints.map((_, i) => {
      const cp = new CriticalPaths();
      for (const [v, n] of tp[i] as Map<string, number>) cp.update(v, n);
      return cp;
    });
    const podLabels = pod.metadata?.labels ?? {};
    const selfMatch = constraints.map((c) => (matches(c.selector, podLabels) ? 1 : 0));
    state.write(PRE_FILTER_KEY, new PreFilterState(constraints, tp, paths, selfMatch));
    return { status: SUCCESS };
  }

  preFilterExtensions(): PreFilterExtensions {
    return this;
  }

  addPod(state: CycleState, podToSchedule: Pod, podInfoToAdd: PodInfo, nodeInfo: NodeInfo): Status {
    state.read<PreFilterState>(PRE_FILTER_KEY)?.updateWithPod(podInfoToAdd.pod, podToSchedule, nodeInfo.node, 1);
    return SUCCESS;
  }

  removePod(state: CycleState, podToSchedule: Pod, podInfoToRemove: PodInfo, nodeInfo: NodeInfo): Status {
    state.read<PreFilterState>(PRE_FILTER_KEY)?.updateWithPod(podInfoToRemove.pod, podToSchedule, nodeInfo.node, -1);
    return SUCCESS;
  }

  filter(state: CycleState, _pod: Pod, nodeInfo: NodeInfo): Status {
    const s = state.read<PreFilterState>(PRE_FILTER_KEY);
    if (s === undefined) return new Status('Error', [`reading "${PRE_FILTER_KEY}" from cycleState: not found`]);
    if (s.constraints.length === 0) return SUCCESS;
    const labels = nodeInfo.node?.metadata?.labels ?? {};
    for (let i = 0; i < s.constraints.length; i++) {
      const c = s.constraints[i] as Constraint;
      const v = labels[c.topologyKey];
      if (v === undefined) return new Status('UnschedulableAndUnresolvable', [ERR_REASON_NODE_LABEL_NOT_MATCH]);
      const min = s.minMatchNum(i);
      const self = s.selfMatch[i] as number;
      const matchNum = (s.tpValueToMatchNum[i] as Map<string, number>).get(v) ?? 0;
      if (matchNum + self - min > c.maxSkew) return new Status('Unschedulable', [ERR_REASON_CONSTRAINTS_NOT_MATCH]);
    }
    return SUCCESS;
  }

  preScore(state: CycleState, pod: Pod, filteredNodes: readonly NodeInfo[]): Status {
    const all = this.handle.snapshot().list();
    if (filteredNodes.length === 0 || all.length === 0) return skip();
    const s = new PreScoreState();
    const requireAll = (pod.spec?.topologySpreadConstraints ?? []).length > 0 || !this.systemDefaulted;
    try {
      s.constraints = this.constraintsFor(pod, 'ScheduleAnyway');
    } catch (e) {
      return asStatus(e);
    }
    if (s.constraints.length === 0) return skip();
    const topoSize = s.constraints.map(() => 0);
    for (const ni of filteredNodes) {
      const labels = ni.node?.metadata?.labels ?? {};
      if (requireAll && !nodeLabelsMatchConstraints(labels, s.constraints)) {
        s.ignoredNodes.add(ni.name);
        continue;
      }
      s.constraints.forEach((c, i) => {
        if (c.topologyKey === LABEL_HOSTNAME) return;
        const k = pairKey(c.topologyKey, labels[c.topologyKey] ?? '');
        if (!s.topologyPairToPodCounts.has(k)) {
          s.topologyPairToPodCounts.set(k, 0);
          topoSize[i] = (topoSize[i] as number) + 1;
        }
      });
    }
    s.topologyNormalizingWeight = s.constraints.map((c, i) => {
      const sz = c.topologyKey === LABEL_HOSTNAME ? filteredNodes.length - s.ignoredNodes.size : (topoSize[i] as number);
      return Math.log(sz + 2);
    });
    const ns = pod.metadata?.namespace ?? '';
    const snapshot = this.handle.snapshot();
    const requiredKeys = requireAll ? [...new Set(s.constraints.map((c) => c.topologyKey))].sort() : [];
    for (const c of s.constraints) {
      // Hostname counts are read per node in Score; PreScore sums the other domains.
      if (c.topologyKey === LABEL_HOSTNAME) continue;
      const idx = spreadIndexes(snapshot).get(ns, c.selector, c.topologyKey, requiredKeys);
      if (inclusionIndependentOfPod(c, pod)) {
        for (const [v, d] of idx.domains) {
          const k = pairKey(c.topologyKey, v);
          const cur = s.topologyPairToPodCounts.get(k);
          if (cur !== undefined) s.topologyPairToPodCounts.set(k, cur + d.pods);
        }
        continue;
      }
      for (const ni of all) {
        const node = ni.node;
        if (node === undefined) continue;
        const labels = node.metadata?.labels ?? {};
        if (requireAll && !nodeLabelsMatchConstraints(labels, s.constraints)) continue;
        if (!matchNodeInclusionPolicies(c, pod, node)) continue;
        const k = pairKey(c.topologyKey, labels[c.topologyKey] ?? '');
        const cur = s.topologyPairToPodCounts.get(k);
        if (cur !== undefined) s.topologyPairToPodCounts.set(k, cur + idx.podsOn(ni.name));
      }
    }
    state.write(PRE_SCORE_KEY, s);
    return SUCCESS;
  }

  score(state: CycleState, pod: Pod, nodeInfo: NodeInfo): number | Status {
    const s = state.read<PreScoreState>(PRE_SCORE_KEY);
    if (s === undefined) return new Status('Error', [`reading "${PRE_SCORE_KEY}" from cycleState: not found`]);
    if (s.ignoredNodes.has(nodeInfo.name)) return 0;
    const labels = nodeInfo.node?.metadata?.labels ?? {};
    const ns = pod.metadata?.namespace ?? '';
    let score = 0;
    s.constraints.forEach((c, i) => {
      const v = labels[c.topologyKey];
      if (v === undefined) return;
      const cnt = c.topologyKey === LABEL_HOSTNAME ? countMatching(nodeInfo, c.selector, ns) : (s.topologyPairToPodCounts.get(pairKey(c.topologyKey, v)) ?? 0);
      score += cnt * (s.topologyNormalizingWeight[i] as number) + (c.maxSkew - 1);
    });
    return Math.round(score);
  }

  normalizeScore(state: CycleState, _pod: Pod, scores: NodeScore[]): Status {
    const s = state.read<PreScoreState>(PRE_SCORE_KEY);
    if (s === undefined) return SUCCESS;
    let min = Number.MAX_SAFE_INTEGER;
    let max = 0;
    const invalid = new Set<number>();
    scores.forEach((sc, i) => {
      if (s.ignoredNodes.has(sc.name)) {
        invalid.add(i);
        return;
      }
      if (sc.score < min) min = sc.score;
      if (sc.score > max) max = sc.score;
    });
    scores.forEach((sc, i) => {
      if (invalid.has(i)) {
        sc.score = 0;
        return;
      }
      if (max === 0) {
        sc.score = MAX_NODE_SCORE;
        return;
      }
      sc.score = Math.trunc((MAX_NODE_SCORE * (max + min - sc.score)) / max);
    });
    return SUCCESS;
  }

  eventsToRegister(): ClusterEvent[] {
    return [
      { resource: 'AssignedPod', actionType: ActionType.Add | ActionType.Delete | ActionType.UpdatePodLabel },
      { resource: 'Node', actionType: ActionType.Add | ActionType.Delete | ActionType.UpdateNodeLabel | ActionType.UpdateNodeTaint },
    ];
  }
}

function toConstraint(c: TopologySpreadConstraint): Constraint {
  return {
    maxSkew: c.maxSkew,
    topologyKey: c.topologyKey,
    selector: selectorFromLabelSelector(c.labelSelector ?? null),
    minDomains: c.minDomains ?? 1,
    nodeAffinityPolicy: c.nodeAffinityPolicy === 'Ignore' ? 'Ignore' : 'Honor',
    nodeTaintsPolicy: c.nodeTaintsPolicy === 'Honor' ? 'Honor' : 'Ignore',
  };
}

/** The constraints with the given action, matchLabelKeys folded into the selector (upstream filterTopologySpreadConstraints). */
export function filterConstraints(cs: readonly TopologySpreadConstraint[], podLabels: Readonly<Record<string, string>>, action: string): Constraint[] {
  const out: Constraint[] = [];
  for (const c of cs) {
    if (c.whenUnsatisfiable !== action) continue;
    const tc = toConstraint(c);
    const extra = (c.matchLabelKeys ?? []).filter((k) => podLabels[k] !== undefined);
    if (extra.length > 0) {
      tc.selector = {
        nothing: tc.selector.nothing,
        requirements: [...tc.selector.requirements, ...extra.map((k) => ({ key: k, operator: 'in' as const, values: [podLabels[k] as string] }))],
      };
    }
    out.push(tc);
  }
  return out;
}

export function newPodTopologySpread(args: Record<string, unknown> | undefined, handle: Handle): PodTopologySpread {
  return new PodTopologySpread(handle, args as PodTopologySpreadArgs | undefined);
}
