/**
 * core/v1 ResourceQuota (upstream's ValidateResourceQuota): resource names a quota may
 * limit, non-negative (and for counts whole) quantities, scopes and the scope selector.
 * Map keys are checked in sorted order so the messages come out stably.
 */
import { field, type FieldError } from '../../apimachinery/errors.js';
import { canonicalQuantity, compareQuantity, parseQuantity, scaledValue, type Quantity } from '../../apimachinery/quantity.js';
import { FIELD_IMMUTABLE_ERROR_MSG, IS_NEGATIVE_ERROR_MSG } from '../../apimachinery/validation.js';
import { goQuantity } from './gofmt.js';
import { isIntegerResourceName, isStandardQuotaResourceName, validateResourceQuotaResourceName } from './resourcenames.js';
import { goQuote, goStringSlice, invalidGo, isObj, objs, str, type Obj } from './util.js';

const SCOPES = ['Terminating', 'NotTerminating', 'BestEffort', 'NotBestEffort', 'PriorityClass', 'CrossNamespacePodAffinity'];
const POD_COUNT = new Set(['pods']);
const POD_COMPUTE = new Set(['cpu', 'limits.cpu', 'limits.memory', 'memory', 'requests.cpu', 'requests.memory']);
const CONFLICTING_SCOPES: [string, string][] = [
  ['BestEffort', 'NotBestEffort'],
  ['Terminating', 'NotTerminating'],
];
const EXISTS_ONLY_SCOPES = ['BestEffort', 'NotBestEffort', 'Terminating', 'NotTerminating', 'CrossNamespacePodAffinity'];

function quantityString(v: unknown): string {
  return typeof v === 'number' ? String(v) : str(v);
}

function isWhole(q: Quantity): boolean {
  try {
    return scaledValue(q, -3) % 1000n === 0n;
  } catch {
    // Beyond the exponent range upstream's MilliValue works with: far past any fraction.
    return true;
  }
}

/** ValidateResourceQuantityValue: not negative, and a whole number for integer resources. */
export function validateResourceQuantityValue(resource: string, value: unknown, path: string): FieldError[] {
  const raw = quantityString(value);
  let q;
  try {
    q = parseQuantity(raw);
  } catch {
    // An unparsable quantity never reaches validation upstream (decoding refuses it).
    return [];
  }
  const errs: FieldError[] = [];
  if (compareQuantity(q, '0') < 0) errs.push(field.invalid(path, canonicalQuantity(raw), IS_NEGATIVE_ERROR_MSG));
  if (isIntegerResourceName(resource) && !isWhole(q)) errs.push(invalidGo(path, goQuantity(raw), 'must be an integer'));
  return errs;
}

/** IsResourceQuotaScopeValidForResource. */
function scopeValidFor(scope: string, resource: string): boolean {
  switch (scope) {
    case 'Terminating':
    case 'NotTerminating':
    case 'NotBestEffort':
    case 'PriorityClass':
    case 'CrossNamespacePodAffinity':
      return POD_COUNT.has(resource) || POD_COMPUTE.has(resource);
    case 'BestEffort':
      return POD_COUNT.has(resource);
    default:
      return true;
  }
}

function validateHardList(list: unknown, path: string): FieldError[] {
  const m: Obj = isObj(list) ? list : {};
  const errs: FieldError[] = [];
  for (const k of Object.keys(m).sort()) {
    const p = `${path}[${k}]`;
    errs.push(...validateResourceQuotaResourceName(k, p), ...validateResourceQuantityValue(k, m[k], p));
  }
  return errs;
}

function goScopeSelector(sel: Obj): string {
  const reqs = objs(sel.matchExpressions).map(
    (r) =>
      `core.ScopedResourceSelectorRequirement{ScopeName:${goQuote(str(r.scopeName))}, Operator:${goQuote(str(r.operator))}, Values:${goStringSlice(r.values)}}`,
  );
  const list = Array.isArray(sel.matchExpressions) ? `[]core.ScopedResourceSelectorRequirement{${reqs.join(', ')}}` : '[]core.ScopedResourceSelectorRequirement(nil)';
  return `core.ScopeSelector{MatchExpressions:${list}}`;
}

function validateScopes(spec: Obj, hard: string[]): FieldError[] {
  const scopes = Array.isArray(spec.scopes) ? spec.scopes.map((s: unknown) => str(s)) : [];
  if (scopes.length === 0) return [];
  const errs: FieldError[] = [];
  const value = goStringSlice(spec.scopes, 'core.ResourceQuotaScope');
  for (const scope of scopes) {
    if (!SCOPES.includes(scope)) errs.push(invalidGo('spec.scopes', value, 'unsupported scope'));
    for (const k of hard) {
      if (isStandardQuotaResourceName(k) && !scopeValidFor(scope, k)) errs.push(invalidGo('spec.scopes', value, 'unsupported scope applied to resource'));
    }
  }
  for (const [a, b] of CONFLICTING_SCOPES) if (scopes.includes(a) && scopes.includes(b)) errs.push(invalidGo('spec.scopes', value, 'conflicting scopes'));
  return errs;
}

function validateScopeSelector(spec: Obj, hard: string[]): FieldError[] {
  if (!isObj(spec.scopeSelector)) return [];
  const sel = spec.scopeSelector;
  const path = 'spec.scopeSelector.matchExpressions';
  const errs: FieldError[] = [];
  const names: string[] = [];
  for (const req of objs(sel.matchExpressions)) {
    const scope = str(req.scopeName);
    const op = str(req.operator);
    const values = Array.isArray(req.values) ? req.values : [];
    if (!SCOPES.includes(scope)) errs.push(field.invalid(`${path}.scopeName`, scope, 'unsupported scope'));
    for (const k of hard) {
      if (isStandardQuotaResourceName(k) && !scopeValidFor(scope, k)) errs.push(invalidGo(path, goScopeSelector(sel), 'unsupported scope applied to resource'));
    }
    if (EXISTS_ONLY_SCOPES.includes(scope) && op !== 'Exists') {
      errs.push(
        field.invalid(
          `${path}.operator`,
          op,
          "must be 'Exist' when scope is any of ResourceQuotaScopeTerminating, ResourceQuotaScopeNotTerminating, ResourceQuotaScopeBestEffort, ResourceQuotaScopeNotBestEffort or ResourceQuotaScopeCrossNamespacePodAffinity",
        ),
      );
    }
    switch (op) {
      case 'In':
      case 'NotIn':
        if (values.length === 0) errs.push(field.required(`${path}.values`, "must be at least one value when `operator` is 'In' or 'NotIn' for scope selector"));
        break;
      case 'Exists':
      case 'DoesNotExist':
        if (values.length !== 0) {
          errs.push(invalidGo(`${path}.values`, goStringSlice(req.values), "must be no value when `operator` is 'Exist' or 'DoesNotExist' for scope selector"));
        }
        break;
      default:
        errs.push(field.invalid(`${path}.operator`, op, 'not a valid selector operator'));
    }
    names.push(scope);
  }
  for (const [a, b] of CONFLICTING_SCOPES) if (names.includes(a) && names.includes(b)) errs.push(invalidGo(path, goScopeSelector(sel), 'conflicting scopes'));
  return errs;
}

export function validateResourceQuota(rq: Obj): FieldError[] {
  const spec: Obj = isObj(rq.spec) ? rq.spec : {};
  const status: Obj = isObj(rq.status) ? rq.status : {};
  const hard = Object.keys(isObj(spec.hard) ? spec.hard : {}).sort();
  return [
    ...validateHardList(spec.hard, 'spec.hard'),
    ...validateScopes(spec, hard),
    ...validateScopeSelector(spec, hard),
    ...validateHardList(status.hard, 'status.hard'),
    ...validateHardList(status.used, 'status.used'),
  ];
}

/** On update the scopes are fixed (as a set); the rest is checked as on create. */
export function validateResourceQuotaUpdate(rq: Obj, old: Obj): FieldError[] {
  const errs = validateResourceQuota(rq);
  const scopes = (o: Obj): Set<string> => new Set(isObj(o.spec) && Array.isArray(o.spec.scopes) ? o.spec.scopes.map((s: unknown) => str(s)) : []);
  const next = scopes(rq);
  const prev = scopes(old);
  if (next.size !== prev.size || [...next].some((s) => !prev.has(s))) {
    errs.push(invalidGo('spec.scopes', goStringSlice(isObj(rq.spec) ? rq.spec.scopes : undefined, 'core.ResourceQuotaScope'), FIELD_IMMUTABLE_ERROR_MSG));
  }
  return errs;
}
