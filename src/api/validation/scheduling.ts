/**
 * scheduling.k8s.io/v1 PriorityClass, as upstream's pkg/apis/scheduling/validation. Only
 * one globalDefault class may exist, but that is upstream's Priority admission plugin
 * (a 403), not validation, so it is not checked here.
 */
import { field, type FieldError } from '../../apimachinery/errors.js';
import { FIELD_IMMUTABLE_ERROR_MSG } from '../../apimachinery/validation.js';
import { isObj, str, type Obj } from './util.js';

export const HIGHEST_USER_DEFINABLE_PRIORITY = 1_000_000_000;
const SYSTEM_PREFIX = 'system-';
const SYSTEM_CLASSES: Record<string, number> = {
  'system-node-critical': 2_000_001_000,
  'system-cluster-critical': 2_000_000_000,
};
const PREEMPTION_POLICIES = ['PreemptLowerPriority', 'Never'];

/** IsKnownSystemPriorityClass's verdict: undefined when fine, else upstream's reason. */
function systemClassError(name: string, value: number, globalDefault: boolean): string | undefined {
  const want = SYSTEM_CLASSES[name];
  if (want === undefined) return `${name} is not a known system priority class`;
  if (value !== want) return `value of ${name} PriorityClass must be ${want}`;
  if (globalDefault) return `globalDefault of ${name} PriorityClass must be false`;
  return undefined;
}

export function validatePriorityClass(pc: Obj): FieldError[] {
  const errs: FieldError[] = [];
  const name = isObj(pc.metadata) ? str(pc.metadata.name) : '';
  const value = typeof pc.value === 'number' ? pc.value : 0;
  if (name.startsWith(SYSTEM_PREFIX)) {
    const why = systemClassError(name, value, pc.globalDefault === true);
    if (why !== undefined) {
      errs.push(field.forbidden('metadata.name', `priority class names with '${SYSTEM_PREFIX}' prefix are reserved for system use only. error: ${why}`));
    }
  } else if (value > HIGHEST_USER_DEFINABLE_PRIORITY) {
    errs.push(field.forbidden('value', `maximum allowed value of a user defined priority is ${HIGHEST_USER_DEFINABLE_PRIORITY}`));
  }
  const policy = pc.preemptionPolicy;
  if (policy !== undefined && policy !== null) {
    if (policy === '') errs.push(field.required('preemptionPolicy'));
    else if (!PREEMPTION_POLICIES.includes(str(policy))) errs.push(field.notSupported('preemptionPolicy', policy, PREEMPTION_POLICIES));
  }
  return errs;
}

/** On update upstream checks only immutability: value and preemptionPolicy stay as created. */
export function validatePriorityClassUpdate(pc: Obj, old: Obj): FieldError[] {
  const errs: FieldError[] = [];
  const value = typeof pc.value === 'number' ? pc.value : 0;
  const oldValue = typeof old.value === 'number' ? old.value : 0;
  if (value !== oldValue) errs.push(field.forbidden('value', 'may not be changed in an update.'));
  const policy = pc.preemptionPolicy ?? null;
  if (policy !== (old.preemptionPolicy ?? null)) errs.push(field.invalid('preemptionPolicy', policy, FIELD_IMMUTABLE_ERROR_MSG));
  return errs;
}
