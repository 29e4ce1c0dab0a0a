/**
 * NodePorts rejects nodes where a hostPort the pod asks for is already taken for the
 * same protocol and an overlapping hostIP (upstream plugins/nodeports).
 */
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { CycleState, StateData } from '../../framework/cyclestate.js';
import { ActionType, type ClusterEvent } from '../../framework/events.js';
import type { EnqueueExtensions, FilterPlugin, PreFilterPlugin, PreFilterResult } from '../../framework/interface.js';
import { podHostPorts, type HostPort, type NodeInfo } from '../../framework/nodeinfo.js';
import { skip, Status, SUCCESS } from '../../framework/status.js';
import { Names } from '../names.js';

export const ERR_REASON_PORTS = "node(s) didn't have free ports for the requested pod ports";

const PRE_FILTER_KEY = 'PreFilter' + Names.NodePorts;

class PreFilterState implements StateData {
  constructor(readonly ports: HostPort[]) {}
  clone(): StateData {
    return this;
  }
}

/** True when none of the wanted ports conflicts with the node's used ports. */
export function fitsPorts(wanted: readonly HostPort[], nodeInfo: NodeInfo): boolean {
  for (const p of wanted) if (nodeInfo.usedPorts.checkConflict(p.hostIP, p.protocol, p.port)) return false;
  return true;
}

export class NodePorts implements PreFilterPlugin, FilterPlugin, EnqueueExtensions {
  readonly name = Names.NodePorts;

  preFilter(state: CycleState, pod: Pod): { result?: PreFilterResult; status: Status } {
    const ports = podHostPorts(pod);
    if (ports.length === 0) return { status: skip() };
    state.write(PRE_FILTER_KEY, new PreFilterState(ports));
    return { status: SUCCESS };
  }

  filter(state: CycleState, pod: Pod, nodeInfo: NodeInfo): Status {
    const ports = state.read<PreFilterState>(PRE_FILTER_KEY)?.ports ?? podHostPorts(pod);
    if (fitsPorts(ports, nodeInfo)) return SUCCESS;
    return new Status('Unschedulable', [ERR_REASON_PORTS]);
  }

  eventsToRegister(): ClusterEvent[] {
    return [
      { resource: 'AssignedPod', actionType: ActionType.Delete },
      { resource: 'Node', actionType: ActionType.Add },
    ];
  }
}

export function newNodePorts(): NodePorts {
  return new NodePorts();
}
