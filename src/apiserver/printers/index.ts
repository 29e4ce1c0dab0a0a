/**
 * Server-side printing for `kubectl get`: the columns and cells of a meta.k8s.io/v1
 * Table, per kind, as upstream kube-apiserver prints them (1.32).
 *
 * - Built-in kinds use upstream's printer columns (pkg/printers/internalversion):
 *   same names, order, types, formats and priorities. Cells always include the
 *   priority-1 (wide) columns, since the server prints wide and kubectl filters.
 * - Kinds upstream serves with no printer (Role, ClusterRole, LimitRange,
 *   CustomResourceDefinition, ...) and unknown kinds get the default table
 *   convertor: Name and "Created At" (an RFC 3339 date).
 * - Custom resources get their CRD's additionalPrinterColumns, or Name and Age
 *   when there are none: see printerForCRD / crdDefaultPrinter.
 */
import { rfc3339 } from './duration.js';
import { CREATION_TIMESTAMP_DESCRIPTION, col, nameColumn } from './columns.js';
import { meta, nameOf } from './format.js';
import { podPrinter } from './pod.js';
import {
  componentStatusPrinter,
  configMapPrinter,
  endpointsPrinter,
  eventPrinter,
  eventsV1Printer,
  namespacePrinter,
  nodePrinter,
  persistentVolumeClaimPrinter,
  persistentVolumePrinter,
  podTemplatePrinter,
  replicationControllerPrinter,
  resourceQuotaPrinter,
  secretPrinter,
  serviceAccountPrinter,
  servicePrinter,
} from './core.js';
import {
  controllerRevisionPrinter,
  cronJobPrinter,
  daemonSetPrinter,
  deploymentPrinter,
  horizontalPodAutoscalerPrinter,
  jobPrinter,
  podDisruptionBudgetPrinter,
  replicaSetPrinter,
  statefulSetPrinter,
} from './workloads.js';
import {
  admissionPolicyBindingPrinter,
  admissionPolicyPrinter,
  apiServicePrinter,
  certificateSigningRequestPrinter,
  clusterRoleBindingPrinter,
  clusterTrustBundlePrinter,
  csiDriverPrinter,
  csiNodePrinter,
  csiStorageCapacityPrinter,
  endpointSlicePrinter,
  flowSchemaPrinter,
  ingressClassPrinter,
  ingressPrinter,
  ipAddressPrinter,
  leaseCandidatePrinter,
  leasePrinter,
  nameAgePrinter,
  networkPolicyPrinter,
  priorityClassPrinter,
  priorityLevelConfigurationPrinter,
  resourceClaimPrinter,
  resourceSlicePrinter,
  roleBindingPrinter,
  runtimeClassPrinter,
  scalePrinter,
  serviceCIDRPrinter,
  storageClassPrinter,
  storageVersionMigrationPrinter,
  storageVersionPrinter,
  volumeAttachmentPrinter,
  volumeAttributesClassPrinter,
  webhookConfigurationPrinter,
} from './cluster.js';
import type { Printer } from './types.js';

export type { Printer, TableColumn, TableRowCondition } from './types.js';
export { humanDuration, age } from './duration.js';
export { formatQuantity } from './quantity.js';
export { crdDefaultPrinter, crdPrinter, printerForCRD, type CustomResourceColumn } from './crd.js';

/**
 * Upstream's default table convertor (rest.NewDefaultTableConvertor): Name and
 * "Created At", the creation time in RFC 3339 (UTC, whole seconds).
 */
export const defaultPrinter: Printer = {
  columns: [nameColumn(), col('Created At', 'date', CREATION_TIMESTAMP_DESCRIPTION)],
  cells(o) {
    return [nameOf(o), rfc3339(meta(o).creationTimestamp)];
  },
};

const key = (group: string, kind: string): string => `${group}/${kind}`;

/** Built-in printers by "group/Kind" ('' is the core group). */
const printers = new Map<string, Printer>([
  // core/v1
  [key('', 'Pod'), podPrinter],
  [key('', 'PodTemplate'), podTemplatePrinter],
  [key('', 'ReplicationController'), replicationControllerPrinter],
  [key('', 'Service'), servicePrinter],
  [key('', 'Endpoints'), endpointsPrinter],
  [key('', 'Node'), nodePrinter],
  [key('', 'Event'), eventPrinter],
  [key('', 'Namespace'), namespacePrinter],
  [key('', 'Secret'), secretPrinter],
  [key('', 'ConfigMap'), configMapPrinter],
  [key('', 'ServiceAccount'), serviceAccountPrinter],
  [key('', 'PersistentVolume'), persistentVolumePrinter],
  [key('', 'PersistentVolumeClaim'), persistentVolumeClaimPrinter],
  [key('', 'ResourceQuota'), resourceQuotaPrinter],
  [key('', 'ComponentStatus'), componentStatusPrinter],
  [key('', 'LimitRange'), defaultPrinter],
  // apps, batch, autoscaling, policy
  [key('apps', 'ReplicaSet'), replicaSetPrinter],
  [key('apps', 'Deployment'), deploymentPrinter],
  [key('apps', 'DaemonSet'), daemonSetPrinter],
  [key('apps', 'StatefulSet'), statefulSetPrinter],
  [key('apps', 'ControllerRevision'), controllerRevisionPrinter],
  [key('batch', 'Job'), jobPrinter],
  [key('batch', 'CronJob'), cronJobPrinter],
  [key('autoscaling', 'HorizontalPodAutoscaler'), horizontalPodAutoscalerPrinter],
  [key('autoscaling', 'Scale'), scalePrinter],
  [key('policy', 'PodDisruptionBudget'), podDisruptionBudgetPrinter],
  // networking, discovery, events
  [key('networking.k8s.io', 'Ingress'), ingressPrinter],
  [key('networking.k8s.io', 'IngressClass'), ingressClassPrinter],
  [key('networking.k8s.io', 'NetworkPolicy'), networkPolicyPrinter],
  [key('networking.k8s.io', 'ServiceCIDR'), serviceCIDRPrinter],
  [key('networking.k8s.io', 'IPAddress'), ipAddressPrinter],
  [key('discovery.k8s.io', 'EndpointSlice'), endpointSlicePrinter],
  [key('events.k8s.io', 'Event'), eventsV1Printer],
  // storage
  [key('storage.k8s.io', 'StorageClass'), storageClassPrinter],
  [key('storage.k8s.io', 'CSIDriver'), csiDriverPrinter],
  [key('storage.k8s.io', 'CSINode'), csiNodePrinter],
  [key('storage.k8s.io', 'CSIStorageCapacity'), csiStorageCapacityPrinter],
  [key('storage.k8s.io', 'VolumeAttachment'), volumeAttachmentPrinter],
  [key('storage.k8s.io', 'VolumeAttributesClass'), volumeAttributesClassPrinter],
  // rbac: Role and ClusterRole have no printer upstream
  [key('rbac.authorization.k8s.io', 'Role'), defaultPrinter],
  [key('rbac.authorization.k8s.io', 'ClusterRole'), defaultPrinter],
  [key('rbac.authorization.k8s.io', 'RoleBinding'), roleBindingPrinter],
  [key('rbac.authorization.k8s.io', 'ClusterRoleBinding'), clusterRoleBindingPrinter],
  // certificates, coordination, scheduling, node
  [key('certificates.k8s.io', 'CertificateSigningRequest'), certificateSigningRequestPrinter],
  [key('certificates.k8s.io', 'ClusterTrustBundle'), clusterTrustBundlePrinter],
  [key('coordination.k8s.io', 'Lease'), leasePrinter],
  [key('coordination.k8s.io', 'LeaseCandidate'), leaseCandidatePrinter],
  [key('scheduling.k8s.io', 'PriorityClass'), priorityClassPrinter],
  [key('node.k8s.io', 'RuntimeClass'), runtimeClassPrinter],
  // admission, flow control, aggregation, extensions
  [key('admissionregistration.k8s.io', 'MutatingWebhookConfiguration'), webhookConfigurationPrinter()],
  [key('admissionregistration.k8s.io', 'ValidatingWebhookConfiguration'), webhookConfigurationPrinter()],
  [key('admissionregistration.k8s.io', 'ValidatingAdmissionPolicy'), admissionPolicyPrinter('validations')],
  [key('admissionregistration.k8s.io', 'ValidatingAdmissionPolicyBinding'), admissionPolicyBindingPrinter],
  [key('admissionregistration.k8s.io', 'MutatingAdmissionPolicy'), admissionPolicyPrinter('mutations')],
  [key('admissionregistration.k8s.io', 'MutatingAdmissionPolicyBinding'), admissionPolicyBindingPrinter],
  [key('flowcontrol.apiserver.k8s.io', 'FlowSchema'), flowSchemaPrinter],
  [key('flowcontrol.apiserver.k8s.io', 'PriorityLevelConfiguration'), priorityLevelConfigurationPrinter],
  [key('apiregistration.k8s.io', 'APIService'), apiServicePrinter],
  [key('apiextensions.k8s.io', 'CustomResourceDefinition'), defaultPrinter],
  // resource.k8s.io (DRA), internal
  [key('resource.k8s.io', 'DeviceClass'), nameAgePrinter],
  [key('resource.k8s.io', 'ResourceClaim'), resourceClaimPrinter],
  [key('resource.k8s.io', 'ResourceClaimTemplate'), nameAgePrinter],
  [key('resource.k8s.io', 'ResourceSlice'), resourceSlicePrinter],
  [key('internal.apiserver.k8s.io', 'StorageVersion'), storageVersionPrinter],
  [key('storagemigration.k8s.io', 'StorageVersionMigration'), storageVersionMigrationPrinter],
]);

/** The printer for a kind: upstream's columns for built-ins, else the default (Name, Created At). */
export function printerFor(group: string, kind: string): Printer {
  return printers.get(key(group, kind)) ?? defaultPrinter;
}

/** Whether `group`/`kind` has a printer of its own (not the default convertor). */
export function hasBuiltinPrinter(group: string, kind: string): boolean {
  const p = printers.get(key(group, kind));
  return p !== undefined && p !== defaultPrinter;
}

/** Every "group/Kind" with a registered printer (including those mapped to the default). */
export function registeredKinds(): string[] {
  return [...printers.keys()];
}
