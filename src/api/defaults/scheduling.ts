/** scheduling.k8s.io/v1 defaults (upstream pkg/apis/scheduling/v1/defaults.go). */
import { setDefault, type Obj } from './util.js';

export function defaultPriorityClass(pc: Obj): void {
  setDefault(pc, 'preemptionPolicy', 'PreemptLowerPriority');
}
