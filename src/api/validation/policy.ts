/** policy/v1 PodDisruptionBudget, as upstream's pkg/apis/policy/validation. */
import { field, type FieldError } from '../../apimachinery/errors.js';
import { invalidGo, isNotMoreThan100Percent, isObj, validateLabelSelector, validatePositiveIntOrPercent, type Obj } from './util.js';

const EVICTION_POLICIES = ['AlwaysAllow', 'IfHealthyBudget'];

function present(v: unknown): boolean {
  return v !== undefined && v !== null;
}

/**
 * The internal PodDisruptionBudgetSpec as Go's %#v prints it: every field is a pointer,
 * so set ones show as an address. Go prints a real heap address; any fixed one reads the
 * same to a person and keeps the message stable.
 */
function goPDBSpec(spec: Obj): string {
  const ptr = (type: string, v: unknown, addr: string): string => `(*${type})(${present(v) ? addr : 'nil'})`;
  return (
    'policy.PodDisruptionBudgetSpec{' +
    `MinAvailable:${ptr('intstr.IntOrString', spec.minAvailable, '0xc000a10000')}, ` +
    `Selector:${ptr('v1.LabelSelector', spec.selector, '0xc000a10020')}, ` +
    `MaxUnavailable:${ptr('intstr.IntOrString', spec.maxUnavailable, '0xc000a10040')}, ` +
    `UnhealthyPodEvictionPolicy:${ptr('policy.UnhealthyPodEvictionPolicyType', spec.unhealthyPodEvictionPolicy, '0xc000a10060')}}`
  );
}

export function validatePodDisruptionBudget(pdb: Obj): FieldError[] {
  const spec: Obj = isObj(pdb.spec) ? pdb.spec : {};
  const errs: FieldError[] = [];
  if (present(spec.minAvailable) && present(spec.maxUnavailable)) {
    errs.push(invalidGo('spec', goPDBSpec(spec), 'minAvailable and maxUnavailable cannot be both set'));
  }
  for (const key of ['minAvailable', 'maxUnavailable']) {
    if (!present(spec[key])) continue;
    errs.push(...validatePositiveIntOrPercent(spec[key], `spec.${key}`), ...isNotMoreThan100Percent(spec[key], `spec.${key}`));
  }
  errs.push(...validateLabelSelector(spec.selector, 'spec.selector'));
  const policy = spec.unhealthyPodEvictionPolicy;
  if (present(policy) && !EVICTION_POLICIES.includes(String(policy))) {
    errs.push(field.notSupported('spec.unhealthyPodEvictionPolicy', policy, EVICTION_POLICIES));
  }
  return errs;
}
