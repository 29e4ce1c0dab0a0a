/**
 * Which defaulting function applies to a kind: the one place the registry asks.
 * Every function mutates the object in place and is idempotent (it runs on create and
 * again on every update).
 */
import { defaultDaemonSet, defaultDeployment, defaultReplicaSet, defaultStatefulSet } from './apps.js';
import { defaultCronJob, defaultJob } from './batch.js';
import {
  defaultEndpoints,
  defaultLimitRange,
  defaultNamespace,
  defaultPV,
  defaultPVC,
  defaultPod,
  defaultPodTemplate,
  defaultReplicationController,
  defaultSecret,
  defaultService,
} from './core.js';
import { defaultMutatingWebhookConfiguration, defaultValidatingWebhookConfiguration } from './admissionregistration.js';
import { defaultHPAv1, defaultHPAv2 } from './autoscaling.js';
import { defaultEndpointSlice } from './discovery.js';
import { defaultIngressClass, defaultNetworkPolicy } from './networking.js';
import { defaultClusterRoleBinding, defaultRoleBinding } from './rbac.js';
import { defaultPriorityClass } from './scheduling.js';
import { defaultStorageClass } from './storage.js';
import type { Obj } from './util.js';

export type DefaultFunc = (obj: Obj) => void;

const table: Record<string, DefaultFunc> = {
  '/Pod': defaultPod,
  '/PodTemplate': defaultPodTemplate,
  '/ReplicationController': defaultReplicationController,
  '/Service': defaultService,
  '/Secret': defaultSecret,
  '/PersistentVolumeClaim': defaultPVC,
  '/PersistentVolume': defaultPV,
  '/Namespace': defaultNamespace,
  '/Endpoints': defaultEndpoints,
  '/LimitRange': defaultLimitRange,
  'apps/Deployment': defaultDeployment,
  'apps/ReplicaSet': defaultReplicaSet,
  'apps/StatefulSet': defaultStatefulSet,
  'apps/DaemonSet': defaultDaemonSet,
  'batch/Job': defaultJob,
  'batch/CronJob': defaultCronJob,
  'autoscaling/HorizontalPodAutoscaler': defaultHPAv2,
  'networking.k8s.io/NetworkPolicy': defaultNetworkPolicy,
  'networking.k8s.io/IngressClass': defaultIngressClass,
  'rbac.authorization.k8s.io/RoleBinding': defaultRoleBinding,
  'rbac.authorization.k8s.io/ClusterRoleBinding': defaultClusterRoleBinding,
  'storage.k8s.io/StorageClass': defaultStorageClass,
  'scheduling.k8s.io/PriorityClass': defaultPriorityClass,
  'discovery.k8s.io/EndpointSlice': defaultEndpointSlice,
  'admissionregistration.k8s.io/ValidatingWebhookConfiguration': defaultValidatingWebhookConfiguration,
  'admissionregistration.k8s.io/MutatingWebhookConfiguration': defaultMutatingWebhookConfiguration,
};

/** The defaulting function for group/version/kind, or undefined when the kind has none. */
export function defaultsFor(group: string, version: string, kind: string): DefaultFunc | undefined {
  if (group === 'autoscaling' && kind === 'HorizontalPodAutoscaler' && version === 'v1') return defaultHPAv1;
  return table[`${group}/${kind}`];
}
