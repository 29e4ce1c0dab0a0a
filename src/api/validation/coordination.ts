/** coordination.k8s.io/v1 Lease, as upstream's pkg/apis/coordination/validation. */
import { field, type FieldError } from '../../apimachinery/errors.js';
import { isObj, type Obj } from './util.js';

export function validateLease(lease: Obj): FieldError[] {
  const spec: Obj = isObj(lease.spec) ? lease.spec : {};
  const errs: FieldError[] = [];
  if (typeof spec.leaseDurationSeconds === 'number' && spec.leaseDurationSeconds <= 0) {
    errs.push(field.invalid('spec.leaseDurationSeconds', spec.leaseDurationSeconds, 'must be greater than 0'));
  }
  if (typeof spec.leaseTransitions === 'number' && spec.leaseTransitions < 0) {
    errs.push(field.invalid('spec.leaseTransitions', spec.leaseTransitions, 'must be greater than or equal to 0'));
  }
  return errs;
}
