/**
 * Which validation applies to a kind: create-time validate and update-time
 * validateUpdate (which includes the create-time checks plus immutability).
 */
import type { FieldError } from '../../apimachinery/errors.js';
import {
  validateDaemonSet,
  validateDaemonSetUpdate,
  validateDeployment,
  validateDeploymentUpdate,
  validateReplicaSet,
  validateReplicaSetUpdate,
  validateStatefulSet,
  validateStatefulSetUpdate,
} from './apps.js';
import { validateCronJob, validateJob, validateJobUpdate } from './batch.js';
import {
  validateConfigMap,
  validateConfigMapUpdate,
  validatePVC,
  validatePod,
  validatePodUpdate,
  validateReplicationController,
  validateSecret,
  validateSecretUpdate,
  validateService,
  validateServiceUpdate,
} from './core.js';
import type { Obj } from './util.js';

export interface KindValidation {
  validate(obj: Obj): FieldError[];
  validateUpdate?(obj: Obj, old: Obj): FieldError[];
}

const table: Record<string, KindValidation> = {
  '/Pod': { validate: validatePod, validateUpdate: validatePodUpdate },
  '/Service': { validate: validateService, validateUpdate: validateServiceUpdate },
  '/ConfigMap': { validate: validateConfigMap, validateUpdate: validateConfigMapUpdate },
  '/Secret': { validate: validateSecret, validateUpdate: validateSecretUpdate },
  '/ReplicationController': { validate: validateReplicationController },
  '/PersistentVolumeClaim': { validate: validatePVC },
  'apps/Deployment': { validate: validateDeployment, validateUpdate: validateDeploymentUpdate },
  'apps/ReplicaSet': { validate: validateReplicaSet, validateUpdate: validateReplicaSetUpdate },
  'apps/DaemonSet': { validate: validateDaemonSet, validateUpdate: validateDaemonSetUpdate },
  'apps/StatefulSet': { validate: validateStatefulSet, validateUpdate: validateStatefulSetUpdate },
  'batch/Job': { validate: validateJob, validateUpdate: validateJobUpdate },
  'batch/CronJob': { validate: validateCronJob },
};

export function validationFor(group: string, kind: string): KindValidation | undefined {
  return table[`${group}/${kind}`];
}
