/**
 * NodeUnschedulable rejects nodes with spec.unschedulable (cordoned) unless the pod
 * tolerates the node.kubernetes.io/unschedulable:NoSchedule taint (upstream
 * plugins/nodeunschedulable).
 */
import type { Pod } from 'kubernetes-types/core/v1.js';
import { tolerationsTolerateTaint } from '../../../api/tolerations.js';
import type { CycleState } from '../../framework/cyclestate.js';
import { ActionType, type ClusterEvent } from '../../framework/events.js';
import { TAINT_NODE_UNSCHEDULABLE } from '../../framework/helpers.js';
import type { EnqueueExtensions, FilterPlugin } from '../../framework/interface.js';
import type { NodeInfo } from '../../framework/nodeinfo.js';
import { Status, SUCCESS } from '../../framework/status.js';
import { Names } from '../names.js';

export const ERR_REASON_UNSCHEDULABLE = 'node(s) were unschedulable';

export class NodeUnschedulable implements FilterPlugin, EnqueueExtensions {
  readonly name = Names.NodeUnschedulable;

  filter(_state: CycleState, pod: Pod, nodeInfo: NodeInfo): Status {
    if (nodeInfo.node?.spec?.unschedulable !== true) return SUCCESS;
    if (tolerationsTolerateTaint(pod.spec?.tolerations, { key: TAINT_NODE_UNSCHEDULABLE, effect: 'NoSchedule' })) return SUCCESS;
    return new Status('UnschedulableAndUnresolvable', [ERR_REASON_UNSCHEDULABLE]);
  }

  eventsToRegister(): ClusterEvent[] {
    return [
      { resource: 'Node', actionType: ActionType.Add | ActionType.UpdateNodeTaint },
      { resource: 'UnscheduledPod', actionType: ActionType.UpdatePodToleration },
    ];
  }
}

export function newNodeUnschedulable(): NodeUnschedulable {
  return new NodeUnschedulable();
}
