/**
 * PrioritySort orders the active queue: higher spec.priority first, then the pod that
 * entered the queue earlier (upstream plugins/queuesort).
 */
import { podPriority } from '../../framework/helpers.js';
import type { QueuedPodInfo, QueueSortPlugin } from '../../framework/interface.js';
import { Names } from '../names.js';

export class PrioritySort implements QueueSortPlugin {
  readonly name = Names.PrioritySort;

  less(a: QueuedPodInfo, b: QueuedPodInfo): boolean {
    const p1 = podPriority(a.podInfo.pod);
    const p2 = podPriority(b.podInfo.pod);
    return p1 > p2 || (p1 === p2 && a.timestamp < b.timestamp);
  }
}

export function newPrioritySort(): PrioritySort {
  return new PrioritySort();
}
