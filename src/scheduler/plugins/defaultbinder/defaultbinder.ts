/**
 * DefaultBinder binds the pod with POST pods/<name>/binding (upstream
 * plugins/defaultbinder), through the SchedulerAPI the scheduler gives the framework.
 */
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { CycleState } from '../../framework/cyclestate.js';
import type { BindPlugin, Handle } from '../../framework/interface.js';
import { asStatus, type Status, SUCCESS } from '../../framework/status.js';
import { Names } from '../names.js';

export class DefaultBinder implements BindPlugin {
  readonly name = Names.DefaultBinder;

  constructor(private readonly handle: Handle) {}

  async bind(_state: CycleState, pod: Pod, nodeName: string): Promise<Status> {
    try {
      await this.handle.api.bind(pod, nodeName);
      return SUCCESS;
    } catch (e) {
      return asStatus(e);
    }
  }
}

export function newDefaultBinder(_args: Record<string, unknown> | undefined, handle: Handle): DefaultBinder {
  return new DefaultBinder(handle);
}
