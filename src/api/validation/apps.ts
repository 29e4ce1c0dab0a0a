/** Validation of apps/v1 workloads (upstream pkg/apis/apps/validation/validation.go). */
import { field, type FieldError } from '../../apimachinery/errors.js';
import { validatePodTemplateSpec } from './core.js';
import { immutable, isObj, nonNegative, selectorIsEmpty, selectorMatches, strMap, validateLabelSelector, deepEqual, type Obj } from './util.js';

/** Selector present and valid, template present and matching it (ValidatePodTemplateSpecForReplicaSet). */
export function validateSelectorAndTemplate(spec: Obj, kindWord: string, requireAlways: boolean): FieldError[] {
  const errs: FieldError[] = [];
  let selectorOK = isObj(spec.selector);
  if (!isObj(spec.selector)) errs.push(field.required('spec.selector'));
  else {
    const selErrs = validateLabelSelector(spec.selector, 'spec.selector');
    selectorOK = selErrs.length === 0;
    errs.push(...selErrs);
    if (selectorIsEmpty(spec.selector)) errs.push(field.invalid('spec.selector', spec.selector, `empty selector is invalid for ${kindWord}`));
  }
  if (!isObj(spec.template)) {
    errs.push(field.required('spec.template'));
    return errs;
  }
  const labels = strMap(isObj(spec.template.metadata) ? spec.template.metadata.labels : undefined);
  if (selectorOK && !selectorIsEmpty(spec.selector) && !selectorMatches(spec.selector, labels)) {
    errs.push(field.invalid('spec.template.metadata.labels', labels, '`selector` does not match template `labels`'));
  }
  errs.push(...validatePodTemplateSpec(spec.template, 'spec.template'));
  const tspec = isObj(spec.template.spec) ? spec.template.spec : {};
  if (requireAlways && tspec.restartPolicy !== undefined && tspec.restartPolicy !== 'Always') {
    errs.push(field.notSupported('spec.template.spec.restartPolicy', tspec.restartPolicy, ['Always']));
  }
  if (tspec.activeDeadlineSeconds !== undefined && tspec.activeDeadlineSeconds !== null) {
    errs.push(field.invalid('spec.template.spec.activeDeadlineSeconds', tspec.activeDeadlineSeconds, `activeDeadlineSeconds in ${kindWord === 'deployment' ? 'ReplicaSet' : kindWord} is not Supported`));
  }
  return errs;
}

const percentRe = /^[0-9]+%$/;

/** An int-or-percent field: non-negative, a percent at most 100% when isPercentCapped. */
function intOrPercent(v: unknown, path: string, capped: boolean): FieldError[] {
  if (v === undefined || v === null) return [];
  if (typeof v === 'number') return nonNegative(v, path);
  if (typeof v === 'string') {
    if (!percentRe.test(v)) return [field.invalid(path, v, "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')")];
    if (capped && parseInt(v, 10) > 100) return [field.invalid(path, v, 'must not be greater than 100%')];
  }
  return [];
}

function isZero(v: unknown): boolean {
  return v === 0 || v === '0%' || v === undefined || v === null;
}

export function validateDeployment(d: Obj): FieldError[] {
  const spec: Obj = isObj(d.spec) ? d.spec : {};
  const errs: FieldError[] = [...nonNegative(spec.replicas, 'spec.replicas')];
  errs.push(...validateSelectorAndTemplate(spec, 'deployment', true));
  const st: Obj = isObj(spec.strategy) ? spec.strategy : {};
  if (st.type !== undefined && st.type !== 'Recreate' && st.type !== 'RollingUpdate') errs.push(field.notSupported('spec.strategy.type', st.type, ['Recreate', 'RollingUpdate']));
  if (st.type === 'Recreate' && isObj(st.rollingUpdate)) errs.push(field.forbidden('spec.strategy.rollingUpdate', "may not be specified when strategy `type` is 'Recreate'"));
  if (st.type === 'RollingUpdate' && isObj(st.rollingUpdate)) {
    const ru = st.rollingUpdate;
    errs.push(...intOrPercent(ru.maxUnavailable, 'spec.strategy.rollingUpdate.maxUnavailable', true));
    errs.push(...intOrPercent(ru.maxSurge, 'spec.strategy.rollingUpdate.maxSurge', false));
    if (isZero(ru.maxUnavailable) && isZero(ru.maxSurge)) {
      errs.push(field.invalid('spec.strategy.rollingUpdate.maxUnavailable', ru.maxUnavailable ?? 0, 'may not be 0 when `maxSurge` is 0'));
    }
  }
  errs.push(...nonNegative(spec.revisionHistoryLimit, 'spec.revisionHistoryLimit'));
  errs.push(...nonNegative(spec.minReadySeconds, 'spec.minReadySeconds'));
  if (typeof spec.progressDeadlineSeconds === 'number') {
    errs.push(...nonNegative(spec.progressDeadlineSeconds, 'spec.progressDeadlineSeconds'));
    if (spec.progressDeadlineSeconds <= (typeof spec.minReadySeconds === 'number' ? spec.minReadySeconds : 0)) {
      errs.push(field.invalid('spec.progressDeadlineSeconds', spec.progressDeadlineSeconds, 'must be greater than minReadySeconds'));
    }
  }
  return errs;
}

export function validateReplicaSet(rs: Obj): FieldError[] {
  const spec: Obj = isObj(rs.spec) ? rs.spec : {};
  return [...nonNegative(spec.replicas, 'spec.replicas'), ...nonNegative(spec.minReadySeconds, 'spec.minReadySeconds'), ...validateSelectorAndTemplate(spec, 'deployment', true)];
}

export function validateDaemonSet(ds: Obj): FieldError[] {
  const spec: Obj = isObj(ds.spec) ? ds.spec : {};
  const errs = [...validateSelectorAndTemplate(spec, 'daemonset', true)];
  const us: Obj = isObj(spec.updateStrategy) ? spec.updateStrategy : {};
  if (us.type !== undefined && us.type !== 'OnDelete' && us.type !== 'RollingUpdate') errs.push(field.notSupported('spec.updateStrategy.type', us.type, ['OnDelete', 'RollingUpdate']));
  if (us.type === 'RollingUpdate' && isObj(us.rollingUpdate)) {
    errs.push(...intOrPercent(us.rollingUpdate.maxUnavailable, 'spec.updateStrategy.rollingUpdate.maxUnavailable', true));
    errs.push(...intOrPercent(us.rollingUpdate.maxSurge, 'spec.updateStrategy.rollingUpdate.maxSurge', true));
    if (isZero(us.rollingUpdate.maxUnavailable) && isZero(us.rollingUpdate.maxSurge)) {
      errs.push(field.invalid('spec.updateStrategy.rollingUpdate.maxUnavailable', us.rollingUpdate.maxUnavailable ?? 0, 'may not be 0 when `maxSurge` is 0'));
    }
  }
  errs.push(...nonNegative(spec.revisionHistoryLimit, 'spec.revisionHistoryLimit'));
  errs.push(...nonNegative(spec.minReadySeconds, 'spec.minReadySeconds'));
  return errs;
}

export function validateStatefulSet(ss: Obj): FieldError[] {
  const spec: Obj = isObj(ss.spec) ? ss.spec : {};
  const errs = [...nonNegative(spec.replicas, 'spec.replicas'), ...validateSelectorAndTemplate(spec, 'statefulset', true)];
  if (spec.podManagementPolicy !== undefined && spec.podManagementPolicy !== 'OrderedReady' && spec.podManagementPolicy !== 'Parallel') {
    errs.push(field.notSupported('spec.podManagementPolicy', spec.podManagementPolicy, ['OrderedReady', 'Parallel']));
  }
  const us: Obj = isObj(spec.updateStrategy) ? spec.updateStrategy : {};
  if (us.type !== undefined && us.type !== 'OnDelete' && us.type !== 'RollingUpdate') errs.push(field.notSupported('spec.updateStrategy.type', us.type, ['OnDelete', 'RollingUpdate']));
  if (us.type === 'OnDelete' && isObj(us.rollingUpdate)) errs.push(field.invalid('spec.updateStrategy.rollingUpdate', us.rollingUpdate, "only allowed for updateStrategy 'RollingUpdate'"));
  if (isObj(us.rollingUpdate)) errs.push(...nonNegative(us.rollingUpdate.partition, 'spec.updateStrategy.rollingUpdate.partition'));
  errs.push(...nonNegative(spec.revisionHistoryLimit, 'spec.revisionHistoryLimit'));
  return errs;
}

export function validateSelectorImmutable(next: Obj, old: Obj): FieldError[] {
  return immutable(isObj(next.spec) ? next.spec.selector : undefined, isObj(old.spec) ? old.spec.selector : undefined, 'spec.selector');
}

export function validateDeploymentUpdate(d: Obj, old: Obj): FieldError[] {
  return [...validateDeployment(d), ...validateSelectorImmutable(d, old)];
}

export function validateReplicaSetUpdate(rs: Obj, old: Obj): FieldError[] {
  return [...validateReplicaSet(rs), ...validateSelectorImmutable(rs, old)];
}

export function validateDaemonSetUpdate(ds: Obj, old: Obj): FieldError[] {
  return [...validateDaemonSet(ds), ...validateSelectorImmutable(ds, old)];
}

const STS_MUTABLE = ['replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy', 'minReadySeconds'];

export function validateStatefulSetUpdate(ss: Obj, old: Obj): FieldError[] {
  const errs = validateStatefulSet(ss);
  const a: Obj = { ...(isObj(ss.spec) ? ss.spec : {}) };
  const b: Obj = { ...(isObj(old.spec) ? old.spec : {}) };
  for (const k of STS_MUTABLE) {
    delete a[k];
    delete b[k];
  }
  if (!deepEqual(a, b)) {
    errs.push(
      field.forbidden('spec', "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden"),
    );
  }
  return errs;
}
