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
import { validateLease } from './coordination.js';
import { validateNamespace } from './namespace.js';
import { validateIngress, validateIngressClass, validateIngressClassUpdate, validateIngressUpdate, validateNetworkPolicy } from './networking.js';
import { validatePodDisruptionBudget } from './policy.js';
import {
  validateClusterRole,
  validateClusterRoleBinding,
  validateClusterRoleBindingUpdate,
  validateRole,
  validateRoleBinding,
  validateRoleBindingUpdate,
} from './rbac.js';
import { validatePriorityClass, validatePriorityClassUpdate } from './scheduling.js';
import { validateStorageClass, validateStorageClassUpdate } from './storage.js';
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
  '/Namespace': { validate: validateNamespace },
  'coordination.k8s.io/Lease': { validate: validateLease },
  'apps/Deployment': { validate: validateDeployment, validateUpdate: validateDeploymentUpdate },
  'apps/ReplicaSet': { validate: validateReplicaSet, validateUpdate: validateReplicaSetUpdate },
  'apps/DaemonSet': { validate: validateDaemonSet, validateUpdate: validateDaemonSetUpdate },
  'apps/StatefulSet': { validate: validateStatefulSet, validateUpdate: validateStatefulSetUpdate },
  'batch/Job': { validate: validateJob, validateUpdate: validateJobUpdate },
  'batch/CronJob': { validate: validateCronJob },
  'networking.k8s.io/Ingress': { validate: validateIngress, validateUpdate: validateIngressUpdate },
  'networking.k8s.io/IngressClass': { validate: validateIngressClass, validateUpdate: validateIngressClassUpdate },
  'networking.k8s.io/NetworkPolicy': { validate: validateNetworkPolicy },
  'rbac.authorization.k8s.io/Role': { validate: validateRole },
  'rbac.authorization.k8s.io/ClusterRole': { validate: validateClusterRole },
  'rbac.authorization.k8s.io/RoleBinding': { validate: validateRoleBinding, validateUpdate: validateRoleBindingUpdate },
  'rbac.authorization.k8s.io/ClusterRoleBinding': { validate: validateClusterRoleBinding, validateUpdate: validateClusterRoleBindingUpdate },
  'policy/PodDisruptionBudget': { validate: validatePodDisruptionBudget },
  'scheduling.k8s.io/PriorityClass': { validate: validatePriorityClass, validateUpdate: validatePriorityClassUpdate },
  'storage.k8s.io/StorageClass': { validate: validateStorageClass, validateUpdate: validateStorageClassUpdate },
};

export function validationFor(group: string, kind: string): KindValidation | undefined {
  return table[`${group}/${kind}`];
}
