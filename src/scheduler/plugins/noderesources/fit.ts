/**
 * NodeResourcesFit (upstream noderesources/fit.go): Filter checks that the pod's
 * requests (see podRequests: sidecars, init containers, overhead) fit in the node's
 * allocatable minus what the pods already there request, and that the node has room
 * for one more pod; Score ranks nodes by a strategy, LeastAllocated by default.
 *
 * A request larger than the node's whole allocatable is UnschedulableAndUnresolvable
 * (no preemption could help), as upstream since 1.33; otherwise Unschedulable.
 */
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { CycleState, StateData } from '../../framework/cyclestate.js';
import { ActionType, type ClusterEvent } from '../../framework/events.js';
import type { EnqueueExtensions, FilterPlugin, PreFilterPlugin, PreFilterResult, PreScorePlugin, ScorePlugin } from '../../framework/interface.js';
import type { NodeInfo } from '../../framework/nodeinfo.js';
import { isExtendedResourceName, podRequests, type Resource } from '../../framework/resource.js';
import { Status, SUCCESS } from '../../framework/status.js';
import { Names } from '../names.js';
import { DEFAULT_RESOURCES, leastAllocatedScorer, mostAllocatedScorer, podRequestList, scoreNode, type ResourceSpec, type Scorer } from './resourceallocation.js';

const PRE_FILTER_KEY = 'PreFilter' + Names.NodeResourcesFit;
const PRE_SCORE_KEY = 'PreScore' + Names.NodeResourcesFit;

export interface InsufficientResource {
  resourceName: string;
  reason: string;
  requested: number;
  used: number;
  capacity: number;
  /** The request exceeds the node's total allocatable: evicting pods cannot help. */
  unresolvable: boolean;
}

export interface FitArgs {
  /** Extended resources Filter ignores. */
  ignoredResources?: string[];
  /** Extended resource groups (the part before '/') Filter ignores. */
  ignoredResourceGroups?: string[];
  scoringStrategy?: { type?: 'LeastAllocated' | 'MostAllocated'; resources?: ResourceSpec[] };
}

class PreFilterState implements StateData {
  constructor(readonly request: Resource) {}
  clone(): StateData {
    return this;
  }
}

class PreScoreState implements StateData {
  constructor(readonly podRequests: number[]) {}
  clone(): StateData {
    return this;
  }
}

/** What the node lacks for the pod (upstream fitsRequest); empty when it fits. */
export function fitsRequest(podRequest: Resource, nodeInfo: NodeInfo, ignored: ReadonlySet<string> = new Set(), ignoredGroups: ReadonlySet<string> = new Set()): InsufficientResource[] {
  const out: InsufficientResource[] = [];
  const allowed = nodeInfo.allocatable.allowedPodNumber;
  if (nodeInfo.pods.length + 1 > allowed) {
    out.push({ resourceName: 'pods', reason: 'Too many pods', requested: 1, used: nodeInfo.pods.length, capacity: allowed, unresolvable: false });
  }
  const scalarNames = Object.keys(podRequest.scalar);
  if (podRequest.milliCPU === 0 && podRequest.memory === 0 && podRequest.ephemeralStorage === 0 && scalarNames.length === 0) return out;
  const alloc = nodeInfo.allocatable;
  const used = nodeInfo.requested;
  const check = (name: string, req: number, u: number, cap: number): void => {
    if (req > 0 && req > cap - u) out.push({ resourceName: name, reason: `Insufficient ${name}`, requested: req, used: u, capacity: cap, unresolvable: req > cap });
  };
  check('cpu', podRequest.milliCPU, used.milliCPU, alloc.milliCPU);
  check('memory', podRequest.memory, used.memory, alloc.memory);
  check('ephemeral-storage', podRequest.ephemeralStorage, used.ephemeralStorage, alloc.ephemeralStorage);
  for (const name of scalarNames) {
    const q = podRequest.scalar[name] ?? 0;
    if (q === 0) continue;
    if (isExtendedResourceName(name) && (ignored.has(name) || ignoredGroups.has(name.slice(0, name.indexOf('/'))))) continue;
    check(name, q, used.scalar[name] ?? 0, alloc.scalar[name] ?? 0);
  }
  return out;
}

/** Whether the pod fits the node by resources alone (upstream noderesources.Fits). */
export function fits(pod: Pod, nodeInfo: NodeInfo): InsufficientResource[] {
  return fitsRequest(podRequests(pod), nodeInfo);
}

export class Fit implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin, EnqueueExtensions {
  readonly name = Names.NodeResourcesFit;
  private readonly ignored: Set<string>;
  private readonly ignoredGroups: Set<string>;
  private readonly resources: readonly ResourceSpec[];
  private readonly scorer: Scorer;

  constructor(args: FitArgs = {}) {
    this.ignored = new Set(args.ignoredResources ?? []);
    this.ignoredGroups = new Set(args.ignoredResourceGroups ?? []);
    this.resources = args.scoringStrategy?.resources ?? DEFAULT_RESOURCES;
    const type = args.scoringStrategy?.type ?? 'LeastAllocated';
    if (type === 'LeastAllocated') this.scorer = leastAllocatedScorer(this.resources);
    else if (type === 'MostAllocated') this.scorer = mostAllocatedScorer(this.resources);
    else throw new Error(`scoring strategy ${String(type)} is not supported`);
  }

  preFilter(state: CycleState, pod: Pod): { result?: PreFilterResult; status: Status } {
    state.write(PRE_FILTER_KEY, new PreFilterState(podRequests(pod)));
    return { status: SUCCESS };
  }

  filter(state: CycleState, pod: Pod, nodeInfo: NodeInfo): Status {
    const req = state.read<PreFilterState>(PRE_FILTER_KEY)?.request ?? podRequests(pod);
    const insufficient = fitsRequest(req, nodeInfo, this.ignored, this.ignoredGroups);
    if (insufficient.length === 0) return SUCCESS;
    const code = insufficient.some((r) => r.unresolvable) ? 'UnschedulableAndUnresolvable' : 'Unschedulable';
    return new Status(code, insufficient.map((r) => r.reason));
  }

  preScore(state: CycleState, pod: Pod): Status {
    state.write(PRE_SCORE_KEY, new PreScoreState(podRequestList(pod, this.resources, false)));
    return SUCCESS;
  }

  score(state: CycleState, pod: Pod, nodeInfo: NodeInfo): number {
    const reqs = state.read<PreScoreState>(PRE_SCORE_KEY)?.podRequests ?? podRequestList(pod, this.resources, false);
    return scoreNode(nodeInfo, reqs, this.resources, false, this.scorer);
  }

  eventsToRegister(): ClusterEvent[] {
    return [
      { resource: 'AssignedPod', actionType: ActionType.Delete | ActionType.UpdatePodScaleDown },
      { resource: 'Node', actionType: ActionType.Add | ActionType.UpdateNodeAllocatable },
    ];
  }
}

export function newFit(args?: Record<string, unknown>): Fit {
  return new Fit(args as FitArgs | undefined);
}
