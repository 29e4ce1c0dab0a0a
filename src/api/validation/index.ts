/**
 * Which validation applies to a kind: create-time validate and update-time
 * validateUpdate (which includes the create-time checks plus immutability).
 */
import type { FieldError } from '../../apimachinery/errors.js';
import {
  validateMutatingWebhookConfiguration,
  validateMutatingWebhookConfigurationUpdate,
  validateValidatingWebhookConfiguration,
  validateValidatingWebhookConfigurationUpdate,
} from './admissionregistration.js';
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
import { validateHPA, validateHPAUpdate } from './autoscaling.js';
import { validateCronJob, validateJob, validateJobUpdate } from './batch.js';
import { validateCSR, validateCSRUpdate } from './certificates.js';
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
import { validateEndpointSlice, validateEndpointSliceUpdate } from './discovery.js';
import { validateEndpoints, validateEndpointsUpdate } from './endpoints.js';
import { validateCoreEvent, validateEventsEvent, validateEventsEventUpdate } from './events.js';
import { validateLimitRange } from './limitrange.js';
import { validateNamespace } from './namespace.js';
import { validateIngress, validateIngressClass, validateIngressClassUpdate, validateIngressUpdate, validateNetworkPolicy } from './networking.js';
import { validateNode, validateNodeUpdate } from './node.js';
import { validatePersistentVolume, validatePersistentVolumeUpdate } from './persistentvolume.js';
import { validatePodDisruptionBudget } from './policy.js';
import {
  validateClusterRole,
  validateClusterRoleBinding,
  validateClusterRoleBindingUpdate,
  validateRole,
  validateRoleBinding,
  validateRoleBindingUpdate,
} from './rbac.js';
import { validateResourceQuota, validateResourceQuotaUpdate } from './resourcequota.js';
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
  '/PersistentVolume': { validate: validatePersistentVolume, validateUpdate: validatePersistentVolumeUpdate },
  '/Node': { validate: validateNode, validateUpdate: validateNodeUpdate },
  '/ResourceQuota': { validate: validateResourceQuota, validateUpdate: validateResourceQuotaUpdate },
  '/LimitRange': { validate: validateLimitRange },
  '/Event': { validate: validateCoreEvent },
  '/Endpoints': { validate: validateEndpoints, validateUpdate: validateEndpointsUpdate },
  'events.k8s.io/Event': { validate: validateEventsEvent, validateUpdate: validateEventsEventUpdate },
  'discovery.k8s.io/EndpointSlice': { validate: validateEndpointSlice, validateUpdate: validateEndpointSliceUpdate },
  'certificates.k8s.io/CertificateSigningRequest': { validate: validateCSR, validateUpdate: validateCSRUpdate },
  'admissionregistration.k8s.io/ValidatingWebhookConfiguration': {
    validate: validateValidatingWebhookConfiguration,
    validateUpdate: validateValidatingWebhookConfigurationUpdate,
  },
  'admissionregistration.k8s.io/MutatingWebhookConfiguration': {
    validate: validateMutatingWebhookConfiguration,
    validateUpdate: validateMutatingWebhookConfigurationUpdate,
  },
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

/** Kinds whose checks depend on the served version the object arrives in (it is stored as written). */
const byVersion: Record<string, (version: string) => KindValidation> = {
  'autoscaling/HorizontalPodAutoscaler': (version) => ({
    validate: (obj) => validateHPA(obj, version),
    validateUpdate: (obj, old) => validateHPAUpdate(obj, old, version),
  }),
};

/** The validation of group/kind as served at version (the storage version when not given). */
export function validationFor(group: string, kind: string, version?: string): KindValidation | undefined {
  const versioned = byVersion[`${group}/${kind}`];
  if (versioned !== undefined) return versioned(version ?? 'v2');
  return table[`${group}/${kind}`];
}
