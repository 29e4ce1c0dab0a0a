/**
 * core/v1 Node, as upstream's ValidateNode/ValidateNodeUpdate. Taint errors carry
 * upstream's "metadata.taints" path (its validation hangs them off the metadata path).
 */
import { field, type FieldError } from '../../apimachinery/errors.js';
import { isQualifiedName, isValidLabelValue } from '../../apimachinery/validation.js';
import { parseCIDR } from './cidr.js';
import { validateResourceQuantityValue } from './resourcequota.js';
import { deepEqual, goQuote, goStringSlice, isObj, objs, str, type Obj } from './util.js';

const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

/** validateTaintEffect: required unless allowEmpty, then one of the three effects. */
export function validateTaintEffect(effect: string, allowEmpty: boolean, path: string): FieldError[] {
  if (!allowEmpty && effect === '') return [field.required(path)];
  return TAINT_EFFECTS.includes(effect) ? [] : [field.notSupported(path, effect, TAINT_EFFECTS)];
}

/** core.Taint as %#v prints it (TimeAdded is a *metav1.Time). */
function goTaint(t: Obj): string {
  const added = t.timeAdded === undefined || t.timeAdded === null ? '(*v1.Time)(nil)' : '(*v1.Time)(0xc000a100a0)';
  return `core.Taint{Key:${goQuote(str(t.key))}, Value:${goQuote(str(t.value))}, Effect:${goQuote(str(t.effect))}, TimeAdded:${added}}`;
}

/** validateNodeTaints: keys are label names, values label values, effects known, <key, effect> unique. */
export function validateNodeTaints(taints: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  objs(taints).forEach((t, i) => {
    const p = `${path}[${i}]`;
    const key = str(t.key);
    for (const m of isQualifiedName(key)) errs.push(field.invalid(`${p}.key`, key, m));
    const value = str(t.value);
    const valueErrs = isValidLabelValue(value);
    if (valueErrs.length > 0) errs.push(field.invalid(`${p}.value`, value, valueErrs.join(';')));
    const effect = str(t.effect);
    errs.push(...validateTaintEffect(effect, false, `${p}.effect`));
    const id = `${effect}\u0000${key}`;
    if (seen.has(id)) {
      errs.push({ type: 'FieldValueDuplicate', field: p, detail: `${goTaint(t)}: taints must be unique by key and effect pair` });
      return;
    }
    seen.add(id);
  });
  return errs;
}

/** The internal object's podCIDRs: a v1 object with only podCIDR converts to [podCIDR]. */
function podCIDRs(spec: Obj): string[] {
  if (Array.isArray(spec.podCIDRs) && spec.podCIDRs.length > 0) return spec.podCIDRs.map((c) => str(c));
  const single = str(spec.podCIDR);
  return single === '' ? [] : [single];
}

function validatePodCIDRs(cidrs: string[]): FieldError[] {
  const errs: FieldError[] = [];
  const path = 'spec.podCIDRs';
  const parsed = cidrs.map((c) => parseCIDR(c));
  parsed.forEach((c, i) => {
    if (c === undefined) errs.push({ type: 'FieldValueInvalid', field: `${path}[${i}]`, detail: `${goStringSlice(cidrs)}: must be valid CIDR` });
  });
  if (cidrs.length > 1) {
    const valid = parsed.every((c) => c !== undefined);
    const dualStack = valid && parsed.some((c) => c?.v6 === true) && parsed.some((c) => c?.v6 === false);
    if (valid && (!dualStack || cidrs.length > 2)) {
      errs.push({ type: 'FieldValueInvalid', field: path, detail: `${goStringSlice(cidrs)}: may specify no more than one CIDR for each IP family` });
    }
    const seen = new Set<string>();
    cidrs.forEach((c, i) => {
      if (seen.has(c)) errs.push(field.duplicate(`${path}[${i}]`, c));
      seen.add(c);
    });
  }
  return errs;
}

function validateNodeResources(node: Obj): FieldError[] {
  const status: Obj = isObj(node.status) ? node.status : {};
  const errs: FieldError[] = [];
  for (const list of ['capacity', 'allocatable']) {
    const m: Obj = isObj(status[list]) ? status[list] : {};
    for (const k of Object.keys(m).sort()) errs.push(...validateResourceQuantityValue(k, m[k], `status.${list}.${k}`));
  }
  return errs;
}

function spec(node: Obj): Obj {
  return isObj(node.spec) ? node.spec : {};
}

export function validateNode(node: Obj): FieldError[] {
  const s = spec(node);
  const errs: FieldError[] = [];
  if (Array.isArray(s.taints) && s.taints.length > 0) errs.push(...validateNodeTaints(s.taints, 'metadata.taints'));
  errs.push(...validateNodeResources(node));
  const cidrs = podCIDRs(s);
  if (cidrs.length > 0) errs.push(...validatePodCIDRs(cidrs));
  return errs;
}

const FROM_EMPTY_ONLY = 'node updates may not change %s except from "" to valid';

/**
 * The node strategy's update check: ValidateNode, then ValidateNodeUpdate (status, labels,
 * taints and unschedulable may change; podCIDRs and providerID only from unset; the
 * deprecated externalID never). Both check taints and resources, so a bad taint is
 * reported twice on update, as upstream does.
 */
export function validateNodeUpdate(node: Obj, old: Obj): FieldError[] {
  const s = spec(node);
  const o = spec(old);
  const errs = validateNode(node);
  errs.push(...validateNodeResources(node));
  const seen: Obj[] = [];
  objs(isObj(node.status) ? node.status.addresses : undefined).forEach((a, i) => {
    if (seen.some((x) => deepEqual(x, a))) {
      const goAddr = `core.NodeAddress{Type:${goQuote(str(a.type))}, Address:${goQuote(str(a.address))}}`;
      errs.push({ type: 'FieldValueDuplicate', field: `status.addresses[${i}]`, detail: goAddr });
    }
    seen.push(a);
  });
  const oldCIDRs = podCIDRs(o);
  const newCIDRs = podCIDRs(s);
  const cidrsForbidden = field.forbidden('spec.podCIDRs', FROM_EMPTY_ONLY.replace('%s', 'podCIDR'));
  if (oldCIDRs.length > 0) {
    if (oldCIDRs.length !== newCIDRs.length) errs.push(cidrsForbidden);
    else oldCIDRs.forEach((c, i) => c !== newCIDRs[i] && errs.push(cidrsForbidden));
  }
  const oldProvider = str(o.providerID);
  if (oldProvider !== '' && oldProvider !== str(s.providerID)) errs.push(field.forbidden('spec.providerID', FROM_EMPTY_ONLY.replace('%s', 'providerID')));
  if (Array.isArray(s.taints) && s.taints.length > 0) errs.push(...validateNodeTaints(s.taints, 'metadata.taints'));
  if (str(s.externalID) !== str(o.externalID)) errs.push(field.forbidden('spec.externalID', 'may not be updated'));
  return errs;
}
