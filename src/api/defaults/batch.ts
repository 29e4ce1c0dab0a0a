/** Defaults for batch/v1 (upstream pkg/apis/batch/v1/defaults.go) and the Job strategy's selector generation. */
import { defaultPodTemplateSpec } from './core.js';
import { child, isObj, objs, setDefault, setDefaultStr, type Obj } from './util.js';

export const JOB_CONTROLLER_UID_LABEL = 'batch.kubernetes.io/controller-uid';
export const JOB_LEGACY_CONTROLLER_UID_LABEL = 'controller-uid';
export const JOB_NAME_LABEL = 'batch.kubernetes.io/job-name';
export const JOB_LEGACY_NAME_LABEL = 'job-name';

export function defaultJob(job: Obj): void {
  const spec = child(job, 'spec');
  if ((spec.completions === undefined || spec.completions === null) && (spec.parallelism === undefined || spec.parallelism === null)) {
    spec.completions = 1;
    spec.parallelism = 1;
  }
  setDefault(spec, 'parallelism', 1);
  if (spec.backoffLimit === undefined || spec.backoffLimit === null) {
    spec.backoffLimit = typeof spec.backoffLimitPerIndex === 'number' ? 2147483647 : 6;
  }
  setDefaultStr(spec, 'completionMode', 'NonIndexed');
  setDefault(spec, 'suspend', false);
  if (isObj(spec.podFailurePolicy)) {
    for (const rule of objs(spec.podFailurePolicy.rules)) {
      for (const c of objs(rule.onPodConditions)) setDefaultStr(c, 'status', 'True');
    }
  }
  setDefaultStr(spec, 'podReplacementPolicy', isObj(spec.podFailurePolicy) ? 'Failed' : 'TerminatingOrFailed');
  defaultPodTemplateSpec(spec.template);
}

/**
 * What upstream's Job strategy does on create unless spec.manualSelector is true:
 * a selector on the job's uid and the matching labels on the pod template.
 */
export function generateJobSelector(job: Obj): void {
  const spec = child(job, 'spec');
  if (spec.manualSelector === true) return;
  const meta = isObj(job.metadata) ? job.metadata : {};
  const uid = typeof meta.uid === 'string' ? meta.uid : '';
  const name = typeof meta.name === 'string' ? meta.name : '';
  const template = child(spec, 'template');
  const tmeta = child(template, 'metadata');
  const labels = child(tmeta, 'labels');
  labels[JOB_CONTROLLER_UID_LABEL] ??= uid;
  labels[JOB_LEGACY_CONTROLLER_UID_LABEL] ??= uid;
  labels[JOB_NAME_LABEL] ??= name;
  labels[JOB_LEGACY_NAME_LABEL] ??= name;
  const sel = child(spec, 'selector');
  const ml = child(sel, 'matchLabels');
  // A user-supplied controller-uid that is not ours is left for validation to refuse.
  ml[JOB_CONTROLLER_UID_LABEL] ??= uid;
}

export function defaultCronJob(cj: Obj): void {
  const spec = child(cj, 'spec');
  setDefaultStr(spec, 'concurrencyPolicy', 'Allow');
  setDefault(spec, 'suspend', false);
  setDefault(spec, 'successfulJobsHistoryLimit', 3);
  setDefault(spec, 'failedJobsHistoryLimit', 1);
  const jt = isObj(spec.jobTemplate) ? spec.jobTemplate : undefined;
  if (jt !== undefined && isObj(jt.spec)) defaultPodTemplateSpec(jt.spec.template);
}
