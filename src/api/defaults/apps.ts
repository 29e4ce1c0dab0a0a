/** Defaults for apps/v1 (upstream pkg/apis/apps/v1/defaults.go). */
import { defaultPVC, defaultPodTemplateSpec } from './core.js';
import { child, isObj, objs, setDefault, setDefaultStr, type Obj } from './util.js';

export function defaultDeployment(d: Obj): void {
  const spec = child(d, 'spec');
  setDefault(spec, 'replicas', 1);
  const strategy = child(spec, 'strategy');
  setDefaultStr(strategy, 'type', 'RollingUpdate');
  if (strategy.type === 'RollingUpdate') {
    const ru = child(strategy, 'rollingUpdate');
    setDefault(ru, 'maxUnavailable', '25%');
    setDefault(ru, 'maxSurge', '25%');
  }
  setDefault(spec, 'revisionHistoryLimit', 10);
  setDefault(spec, 'progressDeadlineSeconds', 600);
  defaultPodTemplateSpec(spec.template);
}

export function defaultReplicaSet(rs: Obj): void {
  const spec = child(rs, 'spec');
  setDefault(spec, 'replicas', 1);
  defaultPodTemplateSpec(spec.template);
}

export function defaultStatefulSet(ss: Obj): void {
  const spec = child(ss, 'spec');
  setDefault(spec, 'replicas', 1);
  setDefaultStr(spec, 'podManagementPolicy', 'OrderedReady');
  const us = child(spec, 'updateStrategy');
  setDefaultStr(us, 'type', 'RollingUpdate');
  if (us.type === 'RollingUpdate') {
    const ru = child(us, 'rollingUpdate');
    setDefault(ru, 'partition', 0);
  }
  setDefault(spec, 'revisionHistoryLimit', 10);
  const ret = child(spec, 'persistentVolumeClaimRetentionPolicy');
  setDefaultStr(ret, 'whenDeleted', 'Retain');
  setDefaultStr(ret, 'whenScaled', 'Retain');
  for (const pvc of objs(spec.volumeClaimTemplates)) {
    defaultPVC(pvc);
    // The templates carry no status of their own beyond the phase upstream fills.
  }
  defaultPodTemplateSpec(spec.template);
}

export function defaultDaemonSet(ds: Obj): void {
  const spec = child(ds, 'spec');
  const us = child(spec, 'updateStrategy');
  setDefaultStr(us, 'type', 'RollingUpdate');
  if (us.type === 'RollingUpdate') {
    const ru = child(us, 'rollingUpdate');
    setDefault(ru, 'maxUnavailable', 1);
    setDefault(ru, 'maxSurge', 0);
  }
  setDefault(spec, 'revisionHistoryLimit', 10);
  defaultPodTemplateSpec(spec.template);
}

/** ControllerRevision and friends need nothing; exported for symmetry in the table. */
export function isAppsTemplateOwner(obj: unknown): boolean {
  return isObj(obj) && isObj(obj.spec) && isObj(obj.spec.template);
}
