/**
 * TaintToleration (upstream plugins/tainttoleration): Filter rejects a node with a
 * NoSchedule or NoExecute taint the pod does not tolerate; Score prefers nodes with
 * fewer untolerated PreferNoSchedule taints.
 */
import type { Pod, Toleration } from 'kubernetes-types/core/v1.js';
import { findUntoleratedTaint, tolerationsTolerateTaint } from '../../../api/tolerations.js';
import type { CycleState, StateData } from '../../framework/cyclestate.js';
import { ActionType, type ClusterEvent } from '../../framework/events.js';
import { defaultNormalizeScore, MAX_NODE_SCORE, noScheduleOrNoExecute } from '../../framework/helpers.js';
import type { EnqueueExtensions, FilterPlugin, NodeScore, PreScorePlugin, ScorePlugin } from '../../framework/interface.js';
import type { NodeInfo } from '../../framework/nodeinfo.js';
import { Status, SUCCESS } from '../../framework/status.js';
import { Names } from '../names.js';

export const untoleratedTaintReason = (key: string, value: string): string => `node(s) had untolerated taint {${key}: ${value}}`;

const PRE_SCORE_KEY = 'PreScore' + Names.TaintToleration;

class PreScoreState implements StateData {
  constructor(readonly tolerationsPreferNoSchedule: Toleration[]) {}
  clone(): StateData {
    return this;
  }
}

export class TaintToleration implements FilterPlugin, PreScorePlugin, ScorePlugin, EnqueueExtensions {
  readonly name = Names.TaintToleration;

  filter(_state: CycleState, pod: Pod, nodeInfo: NodeInfo): Status {
    const taint = findUntoleratedTaint(nodeInfo.node?.spec?.taints, pod.spec?.tolerations, noScheduleOrNoExecute);
    if (taint === undefined) return SUCCESS;
    return new Status('UnschedulableAndUnresolvable', [untoleratedTaintReason(taint.key, taint.value ?? '')]);
  }

  preScore(state: CycleState, pod: Pod): Status {
    const tols = (pod.spec?.tolerations ?? []).filter((t) => t.effect === undefined || t.effect === '' || t.effect === 'PreferNoSchedule');
    state.write(PRE_SCORE_KEY, new PreScoreState(tols));
    return SUCCESS;
  }

  score(state: CycleState, pod: Pod, nodeInfo: NodeInfo): number {
    const s = state.read<PreScoreState>(PRE_SCORE_KEY);
    const tols = s?.tolerationsPreferNoSchedule ?? (pod.spec?.tolerations ?? []).filter((t) => (t.effect ?? '') === '' || t.effect === 'PreferNoSchedule');
    let n = 0;
    for (const taint of nodeInfo.node?.spec?.taints ?? []) {
      if (taint.effect === 'PreferNoSchedule' && !tolerationsTolerateTaint(tols, taint)) n++;
    }
    return n;
  }

  normalizeScore(_state: CycleState, _pod: Pod, scores: NodeScore[]): Status {
    defaultNormalizeScore(MAX_NODE_SCORE, true, scores);
    return SUCCESS;
  }

  eventsToRegister(): ClusterEvent[] {
    return [
      { resource: 'Node', actionType: ActionType.Add | ActionType.UpdateNodeTaint },
      { resource: 'UnscheduledPod', actionType: ActionType.UpdatePodToleration },
    ];
  }
}

export function newTaintToleration(): TaintToleration {
  return new TaintToleration();
}
