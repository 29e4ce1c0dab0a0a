/** Validation of batch/v1 (upstream pkg/apis/batch/validation/validation.go). */
import { field, type FieldError } from '../../apimachinery/errors.js';
import { validatePodTemplateSpec } from './core.js';
import { immutable, isObj, nonNegative, selectorIsEmpty, selectorMatches, strMap, validateLabelSelector, type Obj } from './util.js';

const JOB_RESTART = ['OnFailure', 'Never'];

export function validateJobSpec(spec: unknown, path: string, requireSelector: boolean): FieldError[] {
  const s: Obj = isObj(spec) ? spec : {};
  const errs: FieldError[] = [];
  for (const k of ['parallelism', 'completions', 'backoffLimit', 'ttlSecondsAfterFinished']) errs.push(...nonNegative(s[k], `${path}.${k}`));
  if (typeof s.activeDeadlineSeconds === 'number' && s.activeDeadlineSeconds <= 0) {
    errs.push(field.invalid(`${path}.activeDeadlineSeconds`, s.activeDeadlineSeconds, 'must be greater than 0'));
  }
  if (s.completionMode !== undefined && s.completionMode !== 'NonIndexed' && s.completionMode !== 'Indexed') {
    errs.push(field.notSupported(`${path}.completionMode`, s.completionMode, ['NonIndexed', 'Indexed']));
  }
  if (s.completionMode === 'Indexed' && (s.completions === undefined || s.completions === null)) {
    errs.push(field.required(`${path}.completions`, "when completion mode is Indexed"));
  }
  let selectorOK = isObj(s.selector);
  if (requireSelector && !isObj(s.selector)) errs.push(field.required(`${path}.selector`));
  if (isObj(s.selector)) {
    const selErrs = validateLabelSelector(s.selector, `${path}.selector`);
    selectorOK = selErrs.length === 0;
    errs.push(...selErrs);
  }
  if (!isObj(s.template)) {
    errs.push(field.required(`${path}.template`));
    return errs;
  }
  const labels = strMap(isObj(s.template.metadata) ? s.template.metadata.labels : undefined);
  if (selectorOK && !selectorIsEmpty(s.selector) && !selectorMatches(s.selector, labels)) {
    errs.push(field.invalid(`${path}.template.metadata.labels`, labels, '`selector` does not match template `labels`'));
  }
  errs.push(...validatePodTemplateSpec(s.template, `${path}.template`));
  const rp = isObj(s.template.spec) ? s.template.spec.restartPolicy : undefined;
  if (rp !== 'OnFailure' && rp !== 'Never') errs.push(field.notSupported(`${path}.template.spec.restartPolicy`, rp ?? '', JOB_RESTART));
  return errs;
}

export function validateJob(job: Obj): FieldError[] {
  return validateJobSpec(job.spec, 'spec', true);
}

export function validateJobUpdate(job: Obj, old: Obj): FieldError[] {
  const spec: Obj = isObj(job.spec) ? job.spec : {};
  const oldSpec: Obj = isObj(old.spec) ? old.spec : {};
  const errs = validateJob(job);
  errs.push(...immutable(spec.selector, oldSpec.selector, 'spec.selector'));
  // A suspended job that never started may change its scheduling directives; the rest of the template is fixed.
  errs.push(...immutable(spec.template, oldSpec.template, 'spec.template'));
  errs.push(...immutable(spec.completionMode, oldSpec.completionMode, 'spec.completionMode'));
  if (spec.completionMode !== 'Indexed') errs.push(...immutable(spec.completions, oldSpec.completions, 'spec.completions'));
  return errs;
}

const CONCURRENCY = ['Allow', 'Forbid', 'Replace'];
const CRON_NAME_MAX = 52;

/** A coarse five-field cron check (or an @-macro), as robfig/cron's standard parser accepts. */
export function cronScheduleError(schedule: string): string | undefined {
  const s = schedule.trim();
  if (s.startsWith('@')) {
    return ['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly'].includes(s) || s.startsWith('@every ') ? undefined : `unrecognized descriptor: ${s}`;
  }
  const fields = s.replace(/^(CRON_)?TZ=\S+\s+/, '').split(/\s+/);
  if (fields.length !== 5) return `expected exactly 5 fields, found ${fields.length}: ${s}`;
  const ok = /^(\*|\?|[0-9A-Za-z]+(-[0-9A-Za-z]+)?)(\/[0-9]+)?(,(\*|[0-9A-Za-z]+(-[0-9A-Za-z]+)?)(\/[0-9]+)?)*$/;
  for (const f of fields) if (!ok.test(f)) return `failed to parse int from ${f}`;
  return undefined;
}

export function validateCronJob(cj: Obj): FieldError[] {
  const spec: Obj = isObj(cj.spec) ? cj.spec : {};
  const errs: FieldError[] = [];
  const name = isObj(cj.metadata) && typeof cj.metadata.name === 'string' ? cj.metadata.name : '';
  if (name.length > CRON_NAME_MAX) errs.push(field.invalid('metadata.name', name, `must be no more than ${CRON_NAME_MAX} characters`));
  if (typeof spec.schedule !== 'string' || spec.schedule === '') errs.push(field.required('spec.schedule'));
  else {
    const e = cronScheduleError(spec.schedule);
    if (e !== undefined) errs.push(field.invalid('spec.schedule', spec.schedule, e));
  }
  if (spec.concurrencyPolicy !== undefined && !CONCURRENCY.includes(spec.concurrencyPolicy)) errs.push(field.notSupported('spec.concurrencyPolicy', spec.concurrencyPolicy, CONCURRENCY));
  for (const k of ['startingDeadlineSeconds', 'successfulJobsHistoryLimit', 'failedJobsHistoryLimit']) errs.push(...nonNegative(spec[k], `spec.${k}`));
  const jt = isObj(spec.jobTemplate) ? spec.jobTemplate : undefined;
  if (jt === undefined) errs.push(field.required('spec.jobTemplate'));
  else errs.push(...validateJobSpec(jt.spec, 'spec.jobTemplate.spec', false));
  return errs;
}
