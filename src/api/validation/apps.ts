/** Validation of apps/v1 workloads (upstream pkg/apis/apps/validation/validation.go). */
import { field, type FieldError } from '../../apimachinery/errors.js';
import { validatePodTemplateSpec } from './core.js';
import {
  deepEqual,
  goIntOrString,
  immutable,
  invalidGo,
  isNotMoreThan100Percent,
  isObj,
  nonNegative,
  selectorIsEmpty,
  selectorMatches,
  strMap,
  validateLabelSelector,
  validatePositiveIntOrPercent,
  type Obj,
} from './util.js';

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

/** getIntOrPercentValue: the number, or the percent's number; anything unparsable counts as 0. */
function intOrPercentValue(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') {
    const n = parseInt(v, 10);
    return Number.isNaN(n) ? 0 : n;
  }
  return 0;
}

function isZero(v: unknown): boolean {
  return intOrPercentValue(v) === 0;
}

/** ValidateRollingUpdateDeployment: both int-or-percent, not both 0, maxUnavailable <= 100%. */
function validateRollingUpdate(ru: Obj, path: string): FieldError[] {
  const errs = [...validatePositiveIntOrPercent(ru.maxUnavailable, `${path}.maxUnavailable`), ...validatePositiveIntOrPercent(ru.maxSurge, `${path}.maxSurge`)];
  if (isZero(ru.maxUnavailable) && isZero(ru.maxSurge)) {
    errs.push(invalidGo(`${path}.maxUnavailable`, goIntOrString(ru.maxUnavailable ?? 0), 'may not be 0 when `maxSurge` is 0'));
  }
  errs.push(...isNotMoreThan100Percent(ru.maxUnavailable, `${path}.maxUnavailable`));
  return errs;
}

/** ValidateRollingUpdateDaemonSet: exactly one of maxUnavailable and maxSurge is non-zero. */
function validateRollingUpdateDaemonSet(ru: Obj, path: string): FieldError[] {
  const errs = [...validatePositiveIntOrPercent(ru.maxUnavailable, `${path}.maxUnavailable`), ...validatePositiveIntOrPercent(ru.maxSurge, `${path}.maxSurge`)];
  errs.push(...isNotMoreThan100Percent(ru.maxUnavailable, `${path}.maxUnavailable`), ...isNotMoreThan100Percent(ru.maxSurge, `${path}.maxSurge`));
  const hasUnavailable = !isZero(ru.maxUnavailable);
  const hasSurge = !isZero(ru.maxSurge);
  if (hasUnavailable && hasSurge) errs.push(invalidGo(`${path}.maxSurge`, goIntOrString(ru.maxSurge ?? 0), 'may not be set when maxUnavailable is non-zero'));
  else if (!hasUnavailable && !hasSurge) errs.push(field.required(`${path}.maxUnavailable`, 'cannot be 0 when maxSurge is 0'));
  return errs;
}

export function validateDeployment(d: Obj): FieldError[] {
  const spec: Obj = isObj(d.spec) ? d.spec : {};
  const errs: FieldError[] = [...nonNegative(spec.replicas, 'spec.replicas')];
  errs.push(...validateSelectorAndTemplate(spec, 'deployment', true));
  const st: Obj = isObj(spec.strategy) ? spec.strategy : {};
  if (st.type !== undefined && st.type !== 'Recreate' && st.type !== 'RollingUpdate') errs.push(field.notSupported('spec.strategy.type', st.type, ['Recreate', 'RollingUpdate']));
  if (st.type === 'Recreate' && isObj(st.rollingUpdate)) errs.push(field.forbidden('spec.strategy.rollingUpdate', "may not be specified when strategy `type` is 'Recreate'"));
  if (st.type === 'RollingUpdate' && isObj(st.rollingUpdate)) {
    errs.push(...validateRollingUpdate(st.rollingUpdate, 'spec.strategy.rollingUpdate'));
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
    errs.push(...validateRollingUpdateDaemonSet(us.rollingUpdate, 'spec.updateStrategy.rollingUpdate'));
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
