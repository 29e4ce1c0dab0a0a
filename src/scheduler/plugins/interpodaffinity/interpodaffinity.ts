/**
 * InterPodAffinity (upstream plugins/interpodaffinity).
 *
 * Filter, per node:
 *   - required affinity: every term's topology key is on the node and some pod matching
 *     all terms runs in that topology domain (or no pod in the cluster matches and the
 *     pod matches its own terms: the first of a group may go anywhere);
 *     UnschedulableAndUnresolvable otherwise;
 *   - required anti-affinity: no matching pod in the node's domain of each term;
 *   - existing pods' required anti-affinity: no pod in any of the node's domains has an
 *     anti-affinity term that matches this pod.
 * Score: preferred (anti-)affinity of the pod towards existing pods, and of existing
 * pods (preferred terms and, at hardPodAffinityWeight 1, required affinity terms)
 * towards the pod, summed per topology domain, normalised to 0..100.
 */
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { isEverything, nothing, type Labels } from '../../../apimachinery/labels.js';
import type { CycleState, StateData } from '../../framework/cyclestate.js';
import { ActionType, type ClusterEvent } from '../../framework/events.js';
import { MAX_NODE_SCORE } from '../../framework/helpers.js';
import type { EnqueueExtensions, FilterPlugin, Handle, NodeScore, PreFilterExtensions, PreFilterPlugin, PreFilterResult, PreScorePlugin, ScorePlugin } from '../../framework/interface.js';
import type { NodeInfo } from '../../framework/nodeinfo.js';
import { PodInfo, termMatches, type AffinityTerm, type WeightedAffinityTerm } from '../../framework/podinfo.js';
import { skip, Status, SUCCESS } from '../../framework/status.js';
import { matches } from '../../../apimachinery/labels.js';
import { Names } from '../names.js';

export const ERR_REASON_EXISTING_ANTI_AFFINITY_RULES_NOT_MATCH = "node(s) didn't satisfy existing pods anti-affinity rules";
export const ERR_REASON_AFFINITY_RULES_NOT_MATCH = "node(s) didn't match pod affinity rules";
export const ERR_REASON_ANTI_AFFINITY_RULES_NOT_MATCH = "node(s) didn't match pod anti-affinity rules";

const PRE_FILTER_KEY = 'PreFilter' + Names.InterPodAffinity;
const PRE_SCORE_KEY = 'PreScore' + Names.InterPodAffinity;

export interface InterPodAffinityArgs {
  /** Weight of existing pods' required affinity terms in scoring (default 1; 0 disables). */
  hardPodAffinityWeight?: number;
  /** Score only by the incoming pod's preferred terms. */
  ignorePreferredTermsOfExistingPods?: boolean;
}

const pairKey = (key: string, value: string): string => `${key}\x00${value}`;

type Counts = Map<string, number>;

function bump(m: Counts, k: string, v: number): void {
  const n = (m.get(k) ?? 0) + v;
  if (n === 0) m.delete(k);
  else m.set(k, n);
}

function podMatchesAllTerms(terms: readonly AffinityTerm[], pod: Pod): boolean {
  if (terms.length === 0) return false;
  for (const t of terms) if (!termMatches(t, pod, undefined)) return false;
  return true;
}

/** For each affinity term with the topology key on the node: +value when pod matches ALL terms. */
function updateWithAffinityTerms(m: Counts, terms: readonly AffinityTerm[], pod: Pod, node: Node, value: number): void {
  if (!podMatchesAllTerms(terms, pod)) return;
  const labels = node.metadata?.labels ?? {};
  for (const t of terms) {
    const v = labels[t.topologyKey];
    if (v !== undefined) bump(m, pairKey(t.topologyKey, v), value);
  }
}

/** For each anti-affinity term the pod matches, with the topology key on the node: +value. */
function updateWithAntiAffinityTerms(m: Counts, terms: readonly AffinityTerm[], pod: Pod, nsLabels: Labels | undefined, node: Node, value: number): void {
  const labels = node.metadata?.labels ?? {};
  for (const t of terms) {
    if (!termMatches(t, pod, nsLabels)) continue;
    const v = labels[t.topologyKey];
    if (v !== undefined) bump(m, pairKey(t.topologyKey, v), value);
  }
}

class PreFilterState implements StateData {
  constructor(
    readonly podInfo: PodInfo,
    /** The incoming pod's required terms with namespaceSelector unrolled into namespaces. */
    readonly affinityTerms: AffinityTerm[],
    readonly antiAffinityTerms: AffinityTerm[],
    readonly namespaceLabels: Labels | undefined,
    readonly existingAntiAffinityCounts: Counts,
    readonly affinityCounts: Counts,
    readonly antiAffinityCounts: Counts,
  ) {}

  clone(): PreFilterState {
    return new PreFilterState(
      this.podInfo,
      this.affinityTerms,
      this.antiAffinityTerms,
      this.namespaceLabels,
      new Map(this.existingAntiAffinityCounts),
      new Map(this.affinityCounts),
      new Map(this.antiAffinityCounts),
    );
  }

  updateWithPod(pi: PodInfo, node: Node | undefined, multiplier: number): void {
    if (node === undefined) return;
    updateWithAntiAffinityTerms(this.existingAntiAffinityCounts, pi.requiredAntiAffinityTerms, this.podInfo.pod, this.namespaceLabels, node, multiplier);
    updateWithAffinityTerms(this.affinityCounts, this.affinityTerms, pi.pod, node, multiplier);
    updateWithAntiAffinityTerms(this.antiAffinityCounts, this.antiAffinityTerms, pi.pod, undefined, node, multiplier);
  }
}

class PreScoreState implements StateData {
  /** topologyKey -> value -> score. */
  topologyScore = new Map<string, Map<string, number>>();
  clone(): StateData {
    return this;
  }
}

export class InterPodAffinity implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin, EnqueueExtensions, PreFilterExtensions {
  readonly name = Names.InterPodAffinity;
  private readonly hardPodAffinityWeight: number;
  private readonly ignorePreferredTermsOfExistingPods: boolean;

  constructor(
    private readonly handle: Handle,
    args: InterPodAffinityArgs = {},
  ) {
    this.hardPodAffinityWeight = args.hardPodAffinityWeight ?? 1;
    this.ignorePreferredTermsOfExistingPods = args.ignorePreferredTermsOfExistingPods ?? false;
  }

  private namespaceLabels(ns: string): Labels | undefined {
    const n = this.handle.listers.namespace(ns);
    return n === undefined ? undefined : { ...(n.metadata?.labels ?? {}) };
  }

  /** Unrolls a non-empty namespaceSelector into the namespaces it selects now (upstream mergeAffinityTermNamespacesIfNotEmpty). */
  private mergeNamespaces<T extends AffinityTerm>(t: T): T {
    if (isEverything(t.namespaceSelector) || t.namespaceSelector.nothing) return t;
    const namespaces = new Set(t.namespaces);
    for (const ns of this.handle.listers.namespaces()) {
      if (matches(t.namespaceSelector, ns.metadata?.labels ?? {})) namespaces.add(ns.metadata?.name ?? '');
    }
    return { ...t, namespaces, namespaceSelector: nothing() };
  }

  preFilter(state: CycleState, pod: Pod, allNodes: readonly NodeInfo[]): { result?: PreFilterResult; status: Status } {
    const pi = new PodInfo(pod);
    if (pi.parseError !== undefined) return { status: new Status('UnschedulableAndUnresolvable', [`parsing pod: ${pi.parseError}`]) };
    const affinityTerms = pi.requiredAffinityTerms.map((t) => this.mergeNamespaces(t));
    const antiAffinityTerms = pi.requiredAntiAffinityTerms.map((t) => this.mergeNamespaces(t));
    const nsLabels = this.namespaceLabels(pod.metadata?.namespace ?? '');

    const existing: Counts = new Map();
    for (const ni of this.handle.snapshot().havePodsWithRequiredAntiAffinityList) {
      if (ni.node === undefined) continue;
      for (const ep of ni.podsWithRequiredAntiAffinity) updateWithAntiAffinityTerms(existing, ep.requiredAntiAffinityTerms, pod, nsLabels, ni.node, 1);
    }
    const affinity: Counts = new Map();
    const anti: Counts = new Map();
    if (affinityTerms.length > 0 || antiAffinityTerms.length > 0) {
      for (const ni of allNodes) {
        if (ni.node === undefined) continue;
        for (const ep of ni.pods) {
          updateWithAffinityTerms(affinity, affinityTerms, ep.pod, ni.node, 1);
          updateWithAntiAffinityTerms(anti, antiAffinityTerms, ep.pod, undefined, ni.node, 1);
        }
      }
    }
    if (existing.size === 0 && affinityTerms.length === 0 && antiAffinityTerms.length === 0) return { status: skip() };
    state.write(PRE_FILTER_KEY, new PreFilterState(pi, affinityTerms, antiAffinityTerms, nsLabels, existing, affinity, anti));
    return { status: SUCCESS };
  }

  preFilterExtensions(): PreFilterExtensions {
    return this;
  }

  addPod(state: CycleState, _podToSchedule: Pod, podInfoToAdd: PodInfo, nodeInfo: NodeInfo): Status {
    state.read<PreFilterState>(PRE_FILTER_KEY)?.updateWithPod(podInfoToAdd, nodeInfo.node, 1);
    return SUCCESS;
  }

  removePod(state: CycleState, _podToSchedule: Pod, podInfoToRemove: PodInfo, nodeInfo: NodeInfo): Status {
    state.read<PreFilterState>(PRE_FILTER_KEY)?.updateWithPod(podInfoToRemove, nodeInfo.node, -1);
    return SUCCESS;
  }

  filter(state: CycleState, _pod: Pod, nodeInfo: NodeInfo): Status {
    const s = state.read<PreFilterState>(PRE_FILTER_KEY);
    if (s === undefined) return new Status('Error', [`reading "${PRE_FILTER_KEY}" from cycleState: not found`]);
    const labels = nodeInfo.node?.metadata?.labels ?? {};
    if (!satisfyPodAffinity(s, labels)) return new Status('UnschedulableAndUnresolvable', [ERR_REASON_AFFINITY_RULES_NOT_MATCH]);
    if (!satisfyPodAntiAffinity(s, labels)) return new Status('Unschedulable', [ERR_REASON_ANTI_AFFINITY_RULES_NOT_MATCH]);
    if (!satisfyExistingPodsAntiAffinity(s, labels)) return new Status('Unschedulable', [ERR_REASON_EXISTING_ANTI_AFFINITY_RULES_NOT_MATCH]);
    return SUCCESS;
  }

  preScore(state: CycleState, pod: Pod, nodes: readonly NodeInfo[]): Status {
    if (nodes.length === 0) return skip();
    const pi = new PodInfo(pod);
    if (pi.parseError !== undefined) return new Status('Error', [`parsing pod: ${pi.parseError}`]);
    const hasConstraints = pi.preferredAffinityTerms.length > 0 || pi.preferredAntiAffinityTerms.length > 0;
    if (this.ignorePreferredTermsOfExistingPods && !hasConstraints) return skip();
    const preferredAffinity = pi.preferredAffinityTerms.map((t) => this.mergeNamespaces(t));
    const preferredAnti = pi.preferredAntiAffinityTerms.map((t) => this.mergeNamespaces(t));
    const nsLabels = this.namespaceLabels(pod.metadata?.namespace ?? '');
    const snap = this.handle.snapshot();
    const candidates = hasConstraints ? snap.list() : snap.havePodsWithAffinityList;
    const s = new PreScoreState();
    const add = (key: string, value: string, w: number): void => {
      let m = s.topologyScore.get(key);
      if (m === undefined) s.topologyScore.set(key, (m = new Map()));
      m.set(value, (m.get(value) ?? 0) + w);
    };
    const processTerm = (t: AffinityTerm, weight: number, target: Pod, targetNsLabels: Labels | undefined, node: Node, mult: number): void => {
      if (!termMatches(t, target, targetNsLabels)) return;
      const v = node.metadata?.labels?.[t.topologyKey];
      if (v !== undefined) add(t.topologyKey, v, weight * mult);
    };
    const processTerms = (ts: readonly WeightedAffinityTerm[], target: Pod, targetNsLabels: Labels | undefined, node: Node, mult: number): void => {
      for (const t of ts) processTerm(t, t.weight, target, targetNsLabels, node, mult);
    };
    for (const ni of candidates) {
      const node = ni.node;
      if (node === undefined || Object.keys(node.metadata?.labels ?? {}).length === 0) continue;
      const pods = hasConstraints ? ni.pods : ni.podsWithAffinity;
      for (const ep of pods) {
        processTerms(preferredAffinity, ep.pod, undefined, node, 1);
        processTerms(preferredAnti, ep.pod, undefined, node, -1);
        if (this.ignorePreferredTermsOfExistingPods) continue;
        if (this.hardPodAffinityWeight > 0) {
          for (const t of ep.requiredAffinityTerms) processTerm(t, this.hardPodAffinityWeight, pod, nsLabels, node, 1);
        }
        processTerms(ep.preferredAffinityTerms, pod, nsLabels, node, 1);
        processTerms(ep.preferredAntiAffinityTerms, pod, nsLabels, node, -1);
      }
    }
    if (s.topologyScore.size === 0) return skip();
    state.write(PRE_SCORE_KEY, s);
    return SUCCESS;
  }

  score(state: CycleState, _pod: Pod, nodeInfo: NodeInfo): number | Status {
    const s = state.read<PreScoreState>(PRE_SCORE_KEY);
    if (s === undefined) return new Status('Error', [`reading "${PRE_SCORE_KEY}" from cycleState: not found`]);
    const labels = nodeInfo.node?.metadata?.labels ?? {};
    let score = 0;
    for (const [key, values] of s.topologyScore) {
      const v = labels[key];
      if (v !== undefined) score += values.get(v) ?? 0;
    }
    return score;
  }

  normalizeScore(state: CycleState, _pod: Pod, scores: NodeScore[]): Status {
    const s = state.read<PreScoreState>(PRE_SCORE_KEY);
    if (s === undefined || s.topologyScore.size === 0) return SUCCESS;
    let min = Number.MAX_SAFE_INTEGER;
    let max = Number.MIN_SAFE_INTEGER;
    for (const sc of scores) {
      if (sc.score > max) max = sc.score;
      if (sc.score < min) min = sc.score;
    }
    const diff = max - min;
    for (const sc of scores) sc.score = diff > 0 ? Math.trunc((MAX_NODE_SCORE * (sc.score - min)) / diff) : 0;
    return SUCCESS;
  }

  eventsToRegister(): ClusterEvent[] {
    return [
      { resource: 'AssignedPod', actionType: ActionType.Add | ActionType.Delete | ActionType.UpdatePodLabel },
      { resource: 'Node', actionType: ActionType.Add | ActionType.UpdateNodeLabel },
    ];
  }
}

function satisfyPodAffinity(s: PreFilterState, labels: Readonly<Record<string, string>>): boolean {
  let podsExist = true;
  for (const t of s.affinityTerms) {
    const v = labels[t.topologyKey];
    if (v === undefined) return false;
    if ((s.affinityCounts.get(pairKey(t.topologyKey, v)) ?? 0) <= 0) podsExist = false;
  }
  if (podsExist) return true;
  // The first pod of a group with affinity to itself: allowed when no pod in the
  // cluster matches yet and the pod matches its own terms.
  return s.affinityCounts.size === 0 && podMatchesAllTerms(s.affinityTerms, s.podInfo.pod);
}

function satisfyPodAntiAffinity(s: PreFilterState, labels: Readonly<Record<string, string>>): boolean {
  if (s.antiAffinityCounts.size === 0) return true;
  for (const t of s.antiAffinityTerms) {
    const v = labels[t.topologyKey];
    if (v !== undefined && (s.antiAffinityCounts.get(pairKey(t.topologyKey, v)) ?? 0) > 0) return false;
  }
  return true;
}

function satisfyExistingPodsAntiAffinity(s: PreFilterState, labels: Readonly<Record<string, string>>): boolean {
  if (s.existingAntiAffinityCounts.size === 0) return true;
  for (const [k, v] of Object.entries(labels)) {
    if ((s.existingAntiAffinityCounts.get(pairKey(k, v)) ?? 0) > 0) return false;
  }
  return true;
}

export function newInterPodAffinity(args: Record<string, unknown> | undefined, handle: Handle): InterPodAffinity {
  return new InterPodAffinity(handle, args as InterPodAffinityArgs | undefined);
}
