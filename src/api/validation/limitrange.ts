/**
 * core/v1 LimitRange (upstream's ValidateLimitRange): limit types, resource names, and the
 * ordering min <= defaultRequest <= default <= max with upstream's messages. Runs after
 * defaulting, so a Container item's default and defaultRequest may come from max and min.
 */
import { field, type FieldError } from '../../apimachinery/errors.js';
import { canonicalQuantity, compareQuantity, parseQuantity, quantityMilliValue, quantityValue } from '../../apimachinery/quantity.js';
import { isQualifiedName } from '../../apimachinery/validation.js';
import { goQuantity } from './gofmt.js';
import { isOvercommitAllowed, validateContainerResourceName, validateResourceName } from './resourcenames.js';
import { invalidGo, isObj, objs, str, type Obj } from './util.js';

const STANDARD_TYPES = ['Pod', 'Container', 'PersistentVolumeClaim'];
// resource.MaxMilliValue: beyond it upstream compares whole values instead of milli values.
const MAX_MILLI_VALUE = Number((2n ** 63n - 1n) / 1000n);

function validateTypeName(type: string, path: string): FieldError[] {
  const errs = isQualifiedName(type).map((m) => field.invalid(path, type, m));
  if (errs.length > 0) return errs;
  if (!type.includes('/') && !STANDARD_TYPES.includes(type)) return [field.invalid(path, type, 'must be a standard limit type or fully qualified')];
  return [];
}

function validateName(type: string, name: string, path: string): FieldError[] {
  return type === 'Pod' || type === 'Container' ? validateContainerResourceName(name, path) : validateResourceName(name, path);
}

/** The parsable entries of a resource list, by name; unparsable ones never pass decoding upstream. */
function quantities(list: unknown, names: (k: string) => void): Map<string, string> {
  const out = new Map<string, string>();
  if (!isObj(list)) return out;
  for (const k of Object.keys(list).sort()) {
    names(k);
    const raw = typeof list[k] === 'number' ? String(list[k]) : str(list[k]);
    try {
      parseQuantity(raw);
      out.set(k, raw);
    } catch {
      // skipped
    }
  }
  return out;
}

function cmp(a: string, b: string): number {
  return compareQuantity(a, b);
}

function validateItem(item: Obj, path: string, seenTypes: Set<string>): FieldError[] {
  const errs: FieldError[] = [];
  const type = str(item.type);
  errs.push(...validateTypeName(type, `${path}.type`));
  if (seenTypes.has(type)) errs.push(field.duplicate(`${path}.type`, type));
  seenTypes.add(type);
  const keys = new Set<string>();
  const named = (list: string) => (k: string) => {
    errs.push(...validateName(type, k, `${path}.${list}[${k}]`));
    keys.add(k);
  };
  const max = quantities(item.max, named('max'));
  const min = quantities(item.min, named('min'));
  let defaults = new Map<string, string>();
  let defaultRequests = new Map<string, string>();
  if (type === 'Pod') {
    if (isObj(item.default) && Object.keys(item.default).length > 0) errs.push(field.forbidden(`${path}.default`, "may not be specified when `type` is 'Pod'"));
    if (isObj(item.defaultRequest) && Object.keys(item.defaultRequest).length > 0) {
      errs.push(field.forbidden(`${path}.defaultRequest`, "may not be specified when `type` is 'Pod'"));
    }
  } else {
    defaults = quantities(item.default, named('default'));
    defaultRequests = quantities(item.defaultRequest, named('defaultRequest'));
  }
  if (type === 'PersistentVolumeClaim') {
    const has = (l: unknown) => isObj(l) && l.storage !== undefined;
    if (!has(item.min) && !has(item.max)) {
      errs.push(field.required(`${path}.limits`, 'either minimum or maximum storage value is required, but neither was provided'));
    }
  }
  const ratios = quantities(item.maxLimitRequestRatio, named('maxLimitRequestRatio'));
  for (const k of [...keys].sort()) {
    const mn = min.get(k);
    const mx = max.get(k);
    const def = defaults.get(k);
    const req = defaultRequests.get(k);
    const ratio = ratios.get(k);
    const c = canonicalQuantity;
    if (mn !== undefined && mx !== undefined && cmp(mn, mx) > 0) {
      errs.push(invalidGo(`${path}.min[${k}]`, goQuantity(mn), `min value ${c(mn)} is greater than max value ${c(mx)}`));
    }
    if (req !== undefined && mn !== undefined && cmp(mn, req) > 0) {
      errs.push(invalidGo(`${path}.defaultRequest[${k}]`, goQuantity(req), `min value ${c(mn)} is greater than default request value ${c(req)}`));
    }
    if (req !== undefined && mx !== undefined && cmp(req, mx) > 0) {
      errs.push(invalidGo(`${path}.defaultRequest[${k}]`, goQuantity(req), `default request value ${c(req)} is greater than max value ${c(mx)}`));
    }
    if (req !== undefined && def !== undefined && cmp(req, def) > 0) {
      errs.push(invalidGo(`${path}.defaultRequest[${k}]`, goQuantity(req), `default request value ${c(req)} is greater than default limit value ${c(def)}`));
    }
    if (def !== undefined && mn !== undefined && cmp(mn, def) > 0) {
      errs.push(invalidGo(`${path}.default[${k}]`, goQuantity(mn), `min value ${c(mn)} is greater than default value ${c(def)}`));
    }
    if (def !== undefined && mx !== undefined && cmp(def, mx) > 0) {
      errs.push(invalidGo(`${path}.default[${k}]`, goQuantity(mx), `default value ${c(def)} is greater than max value ${c(mx)}`));
    }
    if (ratio !== undefined && cmp(ratio, '1') < 0) {
      errs.push(invalidGo(`${path}.maxLimitRequestRatio[${k}]`, goQuantity(ratio), `ratio ${c(ratio)} is less than 1`));
    }
    if (ratio !== undefined && mn !== undefined && mx !== undefined) {
      let ratioValue = quantityValue(ratio);
      let minValue = quantityValue(mn);
      let maxValue = quantityValue(mx);
      if (ratioValue < MAX_MILLI_VALUE && minValue < MAX_MILLI_VALUE && maxValue < MAX_MILLI_VALUE) {
        ratioValue = quantityMilliValue(ratio) / 1000;
        minValue = quantityMilliValue(mn);
        maxValue = quantityMilliValue(mx);
      }
      const limit = maxValue / minValue;
      if (ratioValue > limit) {
        errs.push(invalidGo(`${path}.maxLimitRequestRatio[${k}]`, goQuantity(ratio), `ratio ${c(ratio)} is greater than max/min = ${goFloat(limit)}`));
      }
    }
    if (!isOvercommitAllowed(k) && def !== undefined && req !== undefined && cmp(def, req) !== 0) {
      errs.push(invalidGo(`${path}.defaultRequest[${k}]`, goQuantity(req), `default value ${c(def)} must equal to defaultRequest value ${c(req)} in ${k}`));
    }
  }
  return errs;
}

/** Go's %f: six decimals, +Inf for a division by zero. */
function goFloat(v: number): string {
  if (v === Infinity) return '+Inf';
  if (Number.isNaN(v)) return 'NaN';
  return v.toFixed(6);
}

export function validateLimitRange(lr: Obj): FieldError[] {
  const spec: Obj = isObj(lr.spec) ? lr.spec : {};
  const seen = new Set<string>();
  return objs(spec.limits).flatMap((item, i) => validateItem(item, `spec.limits[${i}]`, seen));
}
