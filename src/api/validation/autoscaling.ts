/**
 * autoscaling HorizontalPodAutoscaler, as upstream's pkg/apis/autoscaling/validation.
 * Upstream validates the internal (v2-shaped) object whichever version was written, so an
 * autoscaling/v1 object is converted first and its errors carry the v2 paths (a bad
 * targetCPUUtilizationPercentage reads as spec.metrics[0].resource.target.averageUtilization).
 */
import { field, type FieldError } from '../../apimachinery/errors.js';
import { compareQuantity, parseQuantity } from '../../apimachinery/quantity.js';
import { isDNS1123Label, isValidPathSegmentName } from '../../apimachinery/validation.js';
import { convertTo } from '../conversion.js';
import { goQuantity } from './gofmt.js';
import { invalidGo, isObj, objs, str, type Obj } from './util.js';
import { validateContainerResourceName } from './resourcenames.js';

const MAX_PERIOD_SECONDS = 1800;
const MAX_STABILIZATION_WINDOW_SECONDS = 3600;
// HPAScaleToZero is alpha and off in 1.32: minReplicas starts at 1 unless the stored object already had 0.
const MIN_REPLICAS_LOWER_BOUND = 1;
const METRIC_SOURCE_TYPES = ['ContainerResource', 'External', 'Object', 'Pods', 'Resource'];
const SELECT_POLICIES = ['Disabled', 'Max', 'Min'];
const POLICY_TYPES = ['Percent', 'Pods'];
const TARGET_TYPES = ['Utilization', 'Value', 'AverageValue'];

function present(v: unknown): boolean {
  return v !== undefined && v !== null;
}

function int(v: unknown): number {
  return typeof v === 'number' ? v : 0;
}

/** Quantity.Sign() != 1: absent, unparsable (a decode error upstream) or not above zero. */
function notPositive(q: unknown): boolean {
  try {
    return compareQuantity(parseQuantity(typeof q === 'number' ? String(q) : str(q)), '0') <= 0;
  } catch {
    return false;
  }
}

/** ValidateCrossVersionObjectReference: kind and name required, each a valid path segment. */
export function validateCrossVersionObjectReference(ref: unknown, path: string): FieldError[] {
  const r: Obj = isObj(ref) ? ref : {};
  const errs: FieldError[] = [];
  for (const key of ['kind', 'name']) {
    const v = str(r[key]);
    if (v === '') errs.push(field.required(`${path}.${key}`));
    else for (const m of isValidPathSegmentName(v)) errs.push(field.invalid(`${path}.${key}`, v, m));
  }
  return errs;
}

function validateMetricTarget(t: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const type = str(t.type);
  if (type === '') errs.push(field.required(`${path}.type`, 'must specify a metric target type'));
  if (!TARGET_TYPES.includes(type)) errs.push(field.invalid(`${path}.type`, type, 'must be either Utilization, Value, or AverageValue'));
  if (present(t.value) && notPositive(t.value)) errs.push(invalidGo(`${path}.value`, goQuantity(t.value), 'must be positive'));
  if (present(t.averageValue) && notPositive(t.averageValue)) errs.push(invalidGo(`${path}.averageValue`, goQuantity(t.averageValue), 'must be positive'));
  if (typeof t.averageUtilization === 'number' && t.averageUtilization < 1) {
    errs.push(field.invalid(`${path}.averageUtilization`, t.averageUtilization, 'must be greater than 0'));
  }
  return errs;
}

function validateMetricIdentifier(id: unknown, path: string): FieldError[] {
  const name = str(isObj(id) ? id.name : undefined);
  if (name === '') return [field.required(`${path}.name`, 'must specify a metric name')];
  return isValidPathSegmentName(name).map((m) => field.invalid(`${path}.name`, name, m));
}

function target(src: Obj): Obj {
  return isObj(src.target) ? src.target : {};
}

function validateObjectSource(src: Obj, path: string): FieldError[] {
  const t = target(src);
  const errs = [
    ...validateCrossVersionObjectReference(src.describedObject, `${path}.describedObject`),
    ...validateMetricIdentifier(src.metric, `${path}.metric`),
    ...validateMetricTarget(t, `${path}.target`),
  ];
  if (!present(t.value) && !present(t.averageValue)) errs.push(field.required(`${path}.target.averageValue`, 'must set either a target value or averageValue'));
  return errs;
}

function validateExternalSource(src: Obj, path: string): FieldError[] {
  const t = target(src);
  const errs = [...validateMetricIdentifier(src.metric, `${path}.metric`), ...validateMetricTarget(t, `${path}.target`)];
  if (!present(t.value) && !present(t.averageValue)) {
    errs.push(field.required(`${path}.target.averageValue`, 'must set either a target value for metric or a per-pod target'));
  }
  if (present(t.value) && present(t.averageValue)) {
    errs.push(field.forbidden(`${path}.target.value`, 'may not set both a target value for metric and a per-pod target'));
  }
  return errs;
}

function validatePodsSource(src: Obj, path: string): FieldError[] {
  const t = target(src);
  const errs = [...validateMetricIdentifier(src.metric, `${path}.metric`), ...validateMetricTarget(t, `${path}.target`)];
  if (!present(t.averageValue)) errs.push(field.required(`${path}.target.averageValue`, 'must specify a positive target averageValue'));
  return errs;
}

function utilizationOrValue(t: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!present(t.averageUtilization) && !present(t.averageValue)) {
    errs.push(field.required(`${path}.target.averageUtilization`, 'must set either a target raw value or a target utilization'));
  }
  if (present(t.averageUtilization) && present(t.averageValue)) {
    errs.push(field.forbidden(`${path}.target.averageValue`, 'may not set both a target raw value and a target utilization'));
  }
  return errs;
}

function validateResourceSource(src: Obj, path: string): FieldError[] {
  const t = target(src);
  const errs: FieldError[] = [];
  if (str(src.name) === '') errs.push(field.required(`${path}.name`, 'must specify a resource name'));
  errs.push(...validateMetricTarget(t, `${path}.target`), ...utilizationOrValue(t, path));
  return errs;
}

function validateContainerResourceSource(src: Obj, path: string): FieldError[] {
  const t = target(src);
  const errs: FieldError[] = [];
  const name = str(src.name);
  if (name === '') errs.push(field.required(`${path}.name`, 'must specify a resource name'));
  else errs.push(...validateContainerResourceName(name, `${path}.name`));
  const container = str(src.container);
  if (container === '') errs.push(field.required(`${path}.container`, 'must specify a container'));
  else for (const m of isDNS1123Label(container)) errs.push(field.invalid(`${path}.container`, container, m));
  errs.push(...validateMetricTarget(t, `${path}.target`), ...utilizationOrValue(t, path));
  return errs;
}

/** The metric source fields in upstream's checking order: [field, checks]. */
const SOURCES: [string, (src: Obj, path: string) => FieldError[]][] = [
  ['object', validateObjectSource],
  ['external', validateExternalSource],
  ['pods', validatePodsSource],
  ['resource', validateResourceSource],
  ['containerResource', validateContainerResourceSource],
];

const FIELD_OF_TYPE: Record<string, string> = {
  Object: 'object',
  Pods: 'pods',
  Resource: 'resource',
  External: 'external',
  ContainerResource: 'containerResource',
};

function validateMetricSpec(m: Obj, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const type = str(m.type);
  if (type === '') errs.push(field.required(`${path}.type`, 'must specify a metric source type'));
  if (!METRIC_SOURCE_TYPES.includes(type)) errs.push(field.notSupported(`${path}.type`, type, METRIC_SOURCE_TYPES));
  const presentSources: string[] = [];
  for (const [key, check] of SOURCES) {
    if (!isObj(m[key])) continue;
    presentSources.push(key);
    // Only the first source given is checked in depth; the others are refused below.
    if (presentSources.length === 1) errs.push(...check(m[key], `${path}.${key}`));
  }
  const expected = FIELD_OF_TYPE[type];
  if (expected === undefined) errs.push(field.notSupported(`${path}.type`, type, METRIC_SOURCE_TYPES));
  else if (!isObj(m[expected])) errs.push(field.required(`${path}.${expected}`, 'must populate information for the given metric source'));
  if (presentSources.length !== 1) {
    for (const key of presentSources) if (key !== expected) errs.push(field.forbidden(`${path}.${key}`, 'must populate the given metric source only'));
  }
  return errs;
}

function validateMetrics(metrics: unknown, path: string, minReplicas: unknown): FieldError[] {
  const errs: FieldError[] = [];
  let objectOrExternal = false;
  objs(metrics).forEach((m, i) => {
    errs.push(...validateMetricSpec(m, `${path}[${i}]`));
    if (m.type === 'Object' || m.type === 'External') objectOrExternal = true;
  });
  if (minReplicas === 0 && !objectOrExternal) {
    errs.push(field.forbidden(path, 'must specify at least one Object or External metric to support scaling to zero replicas'));
  }
  return errs;
}

function validateScalingRules(rules: unknown, path: string): FieldError[] {
  if (!isObj(rules)) return [];
  const errs: FieldError[] = [];
  const window = rules.stabilizationWindowSeconds;
  if (typeof window === 'number' && window < 0) errs.push(field.invalid(`${path}.stabilizationWindowSeconds`, window, 'must be greater than or equal to zero'));
  if (typeof window === 'number' && window > MAX_STABILIZATION_WINDOW_SECONDS) {
    errs.push(field.invalid(`${path}.stabilizationWindowSeconds`, window, `must be less than or equal to ${MAX_STABILIZATION_WINDOW_SECONDS}`));
  }
  if (present(rules.selectPolicy) && !SELECT_POLICIES.includes(str(rules.selectPolicy))) {
    errs.push(field.notSupported(`${path}.selectPolicy`, rules.selectPolicy, SELECT_POLICIES));
  }
  const policies = objs(rules.policies);
  if (policies.length === 0) errs.push(field.required(`${path}.policies`, 'must specify at least one Policy'));
  policies.forEach((p, i) => {
    const pp = `${path}.policies[${i}]`;
    if (!POLICY_TYPES.includes(str(p.type))) errs.push(field.notSupported(`${pp}.type`, str(p.type), POLICY_TYPES));
    if (int(p.value) <= 0) errs.push(field.invalid(`${pp}.value`, int(p.value), 'must be greater than zero'));
    const period = int(p.periodSeconds);
    if (period <= 0) errs.push(field.invalid(`${pp}.periodSeconds`, period, 'must be greater than zero'));
    if (period > MAX_PERIOD_SECONDS) errs.push(field.invalid(`${pp}.periodSeconds`, period, `must be less than or equal to ${MAX_PERIOD_SECONDS}`));
  });
  return errs;
}

function validateSpec(spec: Obj, lowerBound: number): FieldError[] {
  const errs: FieldError[] = [];
  const min = spec.minReplicas;
  const max = int(spec.maxReplicas);
  if (typeof min === 'number' && min < lowerBound) errs.push(field.invalid('spec.minReplicas', min, `must be greater than or equal to ${lowerBound}`));
  if (max < 1) errs.push(field.invalid('spec.maxReplicas', max, 'must be greater than 0'));
  if (typeof min === 'number' && max < min) errs.push(field.invalid('spec.maxReplicas', max, 'must be greater than or equal to `minReplicas`'));
  errs.push(...validateCrossVersionObjectReference(spec.scaleTargetRef, 'spec.scaleTargetRef'));
  errs.push(...validateMetrics(spec.metrics, 'spec.metrics', min));
  if (isObj(spec.behavior)) {
    errs.push(...validateScalingRules(spec.behavior.scaleUp, 'spec.behavior.scaleUp'));
    errs.push(...validateScalingRules(spec.behavior.scaleDown, 'spec.behavior.scaleDown'));
  }
  return errs;
}

function specOf(hpa: Obj, version: string): Obj {
  const form = version === 'v1' ? convertTo({ ...hpa, apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler' }, 'autoscaling/v2') : hpa;
  return isObj(form.spec) ? form.spec : {};
}

export function validateHPA(hpa: Obj, version = 'v2'): FieldError[] {
  return validateSpec(specOf(hpa, version), MIN_REPLICAS_LOWER_BOUND);
}

/** An object already stored with minReplicas 0 (feature on earlier) may keep it. */
export function validateHPAUpdate(hpa: Obj, old: Obj, version = 'v2'): FieldError[] {
  const lowerBound = specOf(old, version).minReplicas === 0 ? 0 : MIN_REPLICAS_LOWER_BOUND;
  return validateSpec(specOf(hpa, version), lowerBound);
}
