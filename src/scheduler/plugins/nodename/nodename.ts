/**
 * NodeName: a pod that names a node (spec.nodeName) fits only that node (upstream
 * plugins/nodename). The scheduler itself only sees pods without spec.nodeName, so this
 * matters to callers that run the filters for already-placed pods (preemption checks,
 * simulations).
 */
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { CycleState } from '../../framework/cyclestate.js';
import { ActionType, type ClusterEvent } from '../../framework/events.js';
import type { EnqueueExtensions, FilterPlugin } from '../../framework/interface.js';
import type { NodeInfo } from '../../framework/nodeinfo.js';
import { Status, SUCCESS } from '../../framework/status.js';
import { Names } from '../names.js';

export const ERR_REASON_NODE_NAME = "node(s) didn't match the requested node name";

export class NodeName implements FilterPlugin, EnqueueExtensions {
  readonly name = Names.NodeName;

  filter(_state: CycleState, pod: Pod, nodeInfo: NodeInfo): Status {
    const want = pod.spec?.nodeName ?? '';
    if (want === '' || want === nodeInfo.name) return SUCCESS;
    return new Status('UnschedulableAndUnresolvable', [ERR_REASON_NODE_NAME]);
  }

  eventsToRegister(): ClusterEvent[] {
    return [{ resource: 'Node', actionType: ActionType.Add | ActionType.Update }];
  }
}

export function newNodeName(): NodeName {
  return new NodeName();
}
