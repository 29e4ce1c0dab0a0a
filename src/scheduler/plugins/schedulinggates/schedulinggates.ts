/**
 * SchedulingGates keeps pods with spec.schedulingGates out of the active queue until
 * every gate is removed (upstream plugins/schedulinggates, PreEnqueue).
 */
import type { Pod } from 'kubernetes-types/core/v1.js';
import { ActionType, type ClusterEvent } from '../../framework/events.js';
import type { EnqueueExtensions, PreEnqueuePlugin } from '../../framework/interface.js';
import { Status, SUCCESS } from '../../framework/status.js';
import { Names } from '../names.js';

export class SchedulingGates implements PreEnqueuePlugin, EnqueueExtensions {
  readonly name = Names.SchedulingGates;

  preEnqueue(pod: Pod): Status {
    const gates = pod.spec?.schedulingGates ?? [];
    if (gates.length === 0) return SUCCESS;
    return new Status('UnschedulableAndUnresolvable', [`waiting for scheduling gates: [${gates.map((g) => g.name).join(' ')}]`]);
  }

  eventsToRegister(): ClusterEvent[] {
    return [{ resource: 'UnscheduledPod', actionType: ActionType.UpdatePodSchedulingGatesEliminated }];
  }
}

export function newSchedulingGates(): SchedulingGates {
  return new SchedulingGates();
}
