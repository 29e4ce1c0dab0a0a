/**
 * NodeResourcesBalancedAllocation (upstream noderesources/balanced_allocation.go): prefers
 * nodes whose cpu and memory would be used in similar proportions after placing the pod.
 * It counts actual requests (no non-zero defaults) and skips best-effort pods, which
 * would otherwise all pile onto the same node (as upstream since 1.33).
 */
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { CycleState, StateData } from '../../framework/cyclestate.js';
import type { PreScorePlugin, ScorePlugin } from '../../framework/interface.js';
import type { NodeInfo } from '../../framework/nodeinfo.js';
import { skip, Status, SUCCESS } from '../../framework/status.js';
import { Names } from '../names.js';
import { balancedResourceScorer, DEFAULT_RESOURCES, podRequestList, scoreNode, type ResourceSpec } from './resourceallocation.js';

const PRE_SCORE_KEY = 'PreScore' + Names.NodeResourcesBalancedAllocation;

class PreScoreState implements StateData {
  constructor(readonly podRequests: number[]) {}
  clone(): StateData {
    return this;
  }
}

export interface BalancedAllocationArgs {
  resources?: ResourceSpec[];
}

export class BalancedAllocation implements PreScorePlugin, ScorePlugin {
  readonly name = Names.NodeResourcesBalancedAllocation;
  private readonly resources: readonly ResourceSpec[];

  constructor(args: BalancedAllocationArgs = {}) {
    this.resources = args.resources ?? DEFAULT_RESOURCES;
  }

  preScore(state: CycleState, pod: Pod): Status {
    const reqs = podRequestList(pod, this.resources, true);
    if (reqs.every((r) => r === 0)) return skip();
    state.write(PRE_SCORE_KEY, new PreScoreState(reqs));
    return SUCCESS;
  }

  score(state: CycleState, pod: Pod, nodeInfo: NodeInfo): number {
    const reqs = state.read<PreScoreState>(PRE_SCORE_KEY)?.podRequests ?? podRequestList(pod, this.resources, true);
    return scoreNode(nodeInfo, reqs, this.resources, true, balancedResourceScorer);
  }
}

export function newBalancedAllocation(args?: Record<string, unknown>): BalancedAllocation {
  return new BalancedAllocation(args as BalancedAllocationArgs | undefined);
}
