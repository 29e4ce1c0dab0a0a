/**
 * DefaultPreemption (upstream plugins/defaultpreemption and framework/preemption): when
 * no node fits, find a node where evicting lower-priority pods makes the pod fit, evict
 * them, and nominate the node (status.nominatedNodeName) so the next attempt lands there.
 *
 * Per candidate node (those whose rejection was Unschedulable, not Unresolvable): remove
 * every lower-priority pod, check the pod fits, then add victims back from the most
 * important down (PDB-violating ones first) while it still fits; what cannot come back
 * is the victim set. Among candidate nodes the winner has, in order: fewest PDB
 * violations, lowest highest-victim priority, smallest priority sum, fewest victims,
 * latest start of its highest-priority victims; then the first.
 *
 * Simplifications: synchronous eviction (upstream's default until async preemption);
 * extenders are not supported.
 */
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1.js';
import { matches, selectorFromLabelSelector } from '../../../apimachinery/labels.js';
import type { CycleState } from '../../framework/cyclestate.js';
import { FitError, newDiagnosis, NodeToStatus } from '../../framework/fiterror.js';
import { isTerminating, podPriority } from '../../framework/helpers.js';
import type { Handle, PostFilterPlugin, PostFilterResult } from '../../framework/interface.js';
import type { NodeInfo } from '../../framework/nodeinfo.js';
import type { PodInfo } from '../../framework/podinfo.js';
import { asStatus, Status, SUCCESS } from '../../framework/status.js';
import { Names } from '../names.js';

export const MSG_NOT_HELPFUL = 'Preemption is not helpful for scheduling';
export const MSG_NO_VICTIMS = 'No preemption victims found for incoming pod';

export interface DefaultPreemptionArgs {
  /** Candidates to dry-run, as a percentage of the nodes (default 10). */
  minCandidateNodesPercentage?: number;
  /** Candidates to dry-run at least (default 100). */
  minCandidateNodesAbsolute?: number;
  /** Scheduler name, for the DisruptionTarget condition message. */
  schedulerName?: string;
}

export interface Candidate {
  nodeName: string;
  /** Victims, most important first. */
  victims: Pod[];
  numPDBViolations: number;
}

function startTime(pod: Pod, now: number): number {
  const t = pod.status?.startTime;
  if (t === undefined) return now;
  const ms = Date.parse(t);
  return Number.isNaN(ms) ? now : ms;
}

/** Higher priority first; equal priority: the pod that started earlier (upstream MoreImportantPod). */
export function moreImportantPod(a: Pod, b: Pod, now: number): boolean {
  const pa = podPriority(a);
  const pb = podPriority(b);
  if (pa !== pb) return pa > pb;
  return startTime(a, now) < startTime(b, now);
}

/** Splits pods (order kept) into those whose eviction would exceed a PDB's allowed disruptions and the rest. */
export function filterPodsWithPDBViolation(pods: readonly PodInfo[], pdbs: readonly PodDisruptionBudget[]): { violating: PodInfo[]; nonViolating: PodInfo[] } {
  const allowed = pdbs.map((p) => p.status?.disruptionsAllowed ?? 0);
  const selectors = pdbs.map((p) => {
    try {
      return selectorFromLabelSelector(p.spec?.selector ?? null);
    } catch {
      return undefined;
    }
  });
  const violating: PodInfo[] = [];
  const nonViolating: PodInfo[] = [];
  for (const pi of pods) {
    const labels = pi.pod.metadata?.labels ?? {};
    let violated = false;
    if (Object.keys(labels).length > 0) {
      pdbs.forEach((pdb, i) => {
        if ((pdb.metadata?.namespace ?? '') !== (pi.pod.metadata?.namespace ?? '')) return;
        const sel = selectors[i];
        if (sel === undefined || sel.nothing || sel.requirements.length === 0 || !matches(sel, labels)) return;
        if (pdb.status?.disruptedPods?.[pi.pod.metadata?.name ?? ''] !== undefined) return;
        allowed[i] = (allowed[i] as number) - 1;
        if ((allowed[i] as number) < 0) violated = true;
      });
    }
    (violated ? violating : nonViolating).push(pi);
  }
  return { violating, nonViolating };
}

/** Picks the best candidate by upstream's ordered criteria (pickOneNodeForPreemption). */
export function pickOneNodeForPreemption(candidates: readonly Candidate[], now: number): Candidate | undefined {
  if (candidates.length === 0) return undefined;
  const MAX_INT32_PLUS_1 = 2147483648;
  const earliestStartOfHighest = (c: Candidate): number => {
    const top = c.victims[0];
    if (top === undefined) return -Infinity;
    const maxPrio = podPriority(top);
    let earliest = Infinity;
    for (const v of c.victims) if (podPriority(v) === maxPrio) earliest = Math.min(earliest, startTime(v, now));
    return earliest;
  };
  const scoreFuncs: ((c: Candidate) => number)[] = [
    (c) => -c.numPDBViolations,
    (c) => -podPriority(c.victims[0] as Pod),
    (c) => -c.victims.reduce((s, v) => s + podPriority(v) + MAX_INT32_PLUS_1, 0),
    (c) => -c.victims.length,
    (c) => earliestStartOfHighest(c),
  ];
  let all = [...candidates];
  for (const f of scoreFuncs) {
    let best = -Infinity;
    let selected: Candidate[] = [];
    for (const c of all) {
      const s = f(c);
      if (s > best) {
        best = s;
        selected = [c];
      } else if (s === best) {
        selected.push(c);
      }
    }
    if (selected.length === 1) return selected[0];
    all = selected;
  }
  return all[0];
}

export class DefaultPreemption implements PostFilterPlugin {
  readonly name = Names.DefaultPreemption;
  private readonly minPct: number;
  private readonly minAbs: number;
  private readonly schedulerName: string;

  constructor(
    private readonly handle: Handle,
    args: DefaultPreemptionArgs = {},
  ) {
    this.minPct = args.minCandidateNodesPercentage ?? 10;
    this.minAbs = args.minCandidateNodesAbsolute ?? 100;
    this.schedulerName = args.schedulerName ?? 'default-scheduler';
  }

  async postFilter(state: CycleState, pod: Pod, m: NodeToStatus): Promise<{ result?: PostFilterResult; status: Status }> {
    const { result, status } = await this.preempt(state, pod, m);
    const msg = status.message();
    if (msg !== '') return { result, status: new Status(status.code, [`preemption: ${msg}`], status.plugin, status.error) };
    return { result, status };
  }

  private async preempt(state: CycleState, podIn: Pod, m: NodeToStatus): Promise<{ result?: PostFilterResult; status: Status }> {
    const pod = this.handle.listers.pod(podIn.metadata?.namespace ?? '', podIn.metadata?.name ?? '') ?? podIn;
    const nominated = pod.status?.nominatedNodeName ?? '';
    const eligible = this.podEligibleToPreemptOthers(pod, nominated === '' ? undefined : m.get(nominated));
    if (eligible !== '') return { status: new Status('Unschedulable', [eligible]) };

    const allNodes = this.handle.snapshot().list();
    if (allNodes.length === 0) return { status: asStatus(new Error('no nodes available')) };
    const { candidates, statuses } = this.findCandidates(state, pod, allNodes, m);
    if (candidates.length === 0) {
      const d = newDiagnosis();
      statuses.absentNodesStatus = new Status('UnschedulableAndUnresolvable', [MSG_NOT_HELPFUL]);
      d.nodeToStatus = statuses;
      const fe = new FitError(pod, allNodes.length, d);
      return { result: { nominatedNodeName: '' }, status: new Status('Unschedulable', [fe.message()]) };
    }
    const best = pickOneNodeForPreemption(candidates, this.handle.clock.now());
    if (best === undefined) return { status: new Status('Unschedulable', ['no candidate node for preemption']) };
    const s = await this.prepareCandidate(best, pod);
    if (!s.isSuccess()) return { status: s };
    return { result: { nominatedNodeName: best.nodeName }, status: SUCCESS };
  }

  /** '' when eligible, else the reason (upstream PodEligibleToPreemptOthers). */
  podEligibleToPreemptOthers(pod: Pod, nominatedNodeStatus: Status | undefined): string {
    if (pod.spec?.preemptionPolicy === 'Never') return 'not eligible due to preemptionPolicy=Never.';
    const nom = pod.status?.nominatedNodeName ?? '';
    if (nom !== '') {
      if (nominatedNodeStatus?.code === 'UnschedulableAndUnresolvable') return '';
      const ni = this.handle.snapshot().get(nom);
      if (ni !== undefined) {
        const prio = podPriority(pod);
        for (const p of ni.pods) {
          if (podPriority(p.pod) < prio && terminatingByPreemption(p.pod)) return 'not eligible due to a terminating pod on the nominated node.';
        }
      }
    }
    return '';
  }

  private numCandidates(n: number): number {
    let c = Math.trunc((n * this.minPct) / 100);
    if (c < this.minAbs) c = this.minAbs;
    if (c > n) c = n;
    return c;
  }

  /** Dry-runs preemption on the nodes that failed with Unschedulable (upstream findCandidates + DryRunPreemption). */
  findCandidates(state: CycleState, pod: Pod, allNodes: readonly NodeInfo[], m: NodeToStatus): { candidates: Candidate[]; statuses: NodeToStatus } {
    const statuses = new NodeToStatus();
    const potential = m.nodesForStatusCode(allNodes, 'Unschedulable');
    if (potential.length === 0) return { candidates: [], statuses };
    const pdbs = this.handle.listers.pdbs();
    const offset = Math.floor(this.handle.random() * potential.length) % potential.length;
    const want = this.numCandidates(potential.length);
    const nonViolating: Candidate[] = [];
    const violating: Candidate[] = [];
    for (let i = 0; i < potential.length; i++) {
      const ni = (potential[(offset + i) % potential.length] as NodeInfo).clone();
      const { victims, numPDBViolations, status } = this.selectVictimsOnNode(state.clone(), pod, ni, pdbs);
      if (status.isSuccess() && victims.length > 0) {
        const c = { nodeName: ni.name, victims, numPDBViolations };
        (numPDBViolations === 0 ? nonViolating : violating).push(c);
        if (nonViolating.length > 0 && nonViolating.length + violating.length >= want) break;
        continue;
      }
      statuses.set(ni.name, status.isSuccess() ? asStatus(new Error(`expected at least one victim pod on node "${ni.name}"`)) : status);
    }
    return { candidates: [...nonViolating, ...violating], statuses };
  }

  /** The smallest set of lower-priority pods whose removal lets the pod fit (upstream SelectVictimsOnNode). */
  selectVictimsOnNode(state: CycleState, pod: Pod, nodeInfo: NodeInfo, pdbs: readonly PodDisruptionBudget[]): { victims: Pod[]; numPDBViolations: number; status: Status } {
    const h = this.handle;
    const prio = podPriority(pod);
    const now = h.clock.now();
    const potential = nodeInfo.pods.filter((pi) => podPriority(pi.pod) < prio);
    for (const pi of potential) {
      nodeInfo.removePod(pi.pod);
      const s = h.runPreFilterExtensionRemovePod(state, pod, pi, nodeInfo);
      if (!s.isSuccess()) return { victims: [], numPDBViolations: 0, status: s };
    }
    if (potential.length === 0) return { victims: [], numPDBViolations: 0, status: new Status('UnschedulableAndUnresolvable', [MSG_NO_VICTIMS]) };
    const fit = h.runFilterPluginsWithNominatedPods(state, pod, nodeInfo);
    if (!fit.isSuccess()) return { victims: [], numPDBViolations: 0, status: fit };
    potential.sort((a, b) => (moreImportantPod(a.pod, b.pod, now) ? -1 : moreImportantPod(b.pod, a.pod, now) ? 1 : 0));
    const { violating, nonViolating } = filterPodsWithPDBViolation(potential, pdbs);
    const victims: PodInfo[] = [];
    let numViolating = 0;
    const reprieve = (pi: PodInfo): boolean | Status => {
      nodeInfo.addPod(pi);
      const s = h.runPreFilterExtensionAddPod(state, pod, pi, nodeInfo);
      if (!s.isSuccess()) return s;
      const fits = h.runFilterPluginsWithNominatedPods(state, pod, nodeInfo).isSuccess();
      if (!fits) {
        nodeInfo.removePod(pi.pod);
        const r = h.runPreFilterExtensionRemovePod(state, pod, pi, nodeInfo);
        if (!r.isSuccess()) return r;
        victims.push(pi);
      }
      return fits;
    };
    for (const pi of violating) {
      const r = reprieve(pi);
      if (r instanceof Status) return { victims: [], numPDBViolations: 0, status: r };
      if (!r) numViolating++;
    }
    for (const pi of nonViolating) {
      const r = reprieve(pi);
      if (r instanceof Status) return { victims: [], numPDBViolations: 0, status: r };
    }
    if (violating.length > 0 && nonViolating.length > 0) {
      victims.sort((a, b) => (moreImportantPod(a.pod, b.pod, now) ? -1 : moreImportantPod(b.pod, a.pod, now) ? 1 : 0));
    }
    return { victims: victims.map((v) => v.pod), numPDBViolations: numViolating, status: SUCCESS };
  }

  /** Evicts the victims and clears lower-priority nominations on the node (upstream prepareCandidate). */
  private async prepareCandidate(c: Candidate, pod: Pod): Promise<Status> {
    const api = this.handle.api;
    try {
      await Promise.all(
        c.victims.map(async (victim) => {
          if (isTerminating(victim)) return;
          await api.updatePodStatus(victim, {
            condition: { type: 'DisruptionTarget', status: 'True', reason: 'PreemptionByScheduler', message: `${this.schedulerName}: preempting to accommodate a higher priority pod` },
          });
          await api.deletePod(victim);
          api.event(victim, pod, 'Normal', 'Preempted', 'Preempting', `Preempted by pod ${pod.metadata?.uid ?? ''} on node ${c.nodeName}`);
        }),
      );
    } catch (e) {
      return asStatus(e);
    }
    const prio = podPriority(pod);
    for (const pi of this.handle.nominator.nominatedPodsForNode(c.nodeName)) {
      if (podPriority(pi.pod) >= prio) continue;
      try {
        await api.updatePodStatus(pi.pod, { nominatedNodeName: '' });
      } catch {
        // not critical: the pod is retried anyway
      }
    }
    return SUCCESS;
  }
}

function terminatingByPreemption(p: Pod): boolean {
  if (!isTerminating(p)) return false;
  for (const c of p.status?.conditions ?? []) {
    if (c.type === 'DisruptionTarget') return c.status === 'True' && c.reason === 'PreemptionByScheduler';
  }
  return false;
}

export function newDefaultPreemption(args: Record<string, unknown> | undefined, handle: Handle): DefaultPreemption {
  return new DefaultPreemption(handle, args as DefaultPreemptionArgs | undefined);
}
