/**
 * Shared vocabulary of the workload and networking controllers: the resources they
 * read and write, and the well-known labels, annotations and finalizers upstream uses.
 */
import type { GroupVersionResource, KubeObject } from '../../client/types.js';

/** A typed object (kubernetes-types) that is also a KubeObject the client can carry. */
export type Obj<T> = T & KubeObject;

const core = (resource: string): GroupVersionResource => ({ group: '', version: 'v1', resource });
const apps = (resource: string): GroupVersionResource => ({ group: 'apps', version: 'v1', resource });
const batch = (resource: string): GroupVersionResource => ({ group: 'batch', version: 'v1', resource });

export const GVR = {
  pods: core('pods'),
  nodes: core('nodes'),
  services: core('services'),
  endpoints: core('endpoints'),
  persistentVolumeClaims: core('persistentvolumeclaims'),
  replicationControllers: core('replicationcontrollers'),
  daemonSets: apps('daemonsets'),
  statefulSets: apps('statefulsets'),
  replicaSets: apps('replicasets'),
  deployments: apps('deployments'),
  controllerRevisions: apps('controllerrevisions'),
  jobs: batch('jobs'),
  cronJobs: batch('cronjobs'),
  endpointSlices: { group: 'discovery.k8s.io', version: 'v1', resource: 'endpointslices' },
  podDisruptionBudgets: { group: 'policy', version: 'v1', resource: 'poddisruptionbudgets' },
} as const satisfies Record<string, GroupVersionResource>;

/** Label every DaemonSet/StatefulSet pod and ControllerRevision carries (apps.ControllerRevisionHashLabelKey). */
export const CONTROLLER_REVISION_HASH_LABEL = 'controller-revision-hash';
/** Label on ControllerRevisions made by the generic history helper (StatefulSet's). */
export const CONTROLLER_HASH_LABEL = 'controller.kubernetes.io/hash';
/** Deprecated DaemonSet pod label carrying the template generation. */
export const DAEMONSET_TEMPLATE_GENERATION_LABEL = 'pod-template-generation';
/** Deprecated DaemonSet annotation the API server keeps (when it does) with the template generation. */
export const DAEMONSET_TEMPLATE_GENERATION_ANNOTATION = 'deprecated.daemonset.template.generation';

export const STATEFULSET_POD_NAME_LABEL = 'statefulset.kubernetes.io/pod-name';
export const POD_INDEX_LABEL = 'apps.kubernetes.io/pod-index';

export const JOB_TRACKING_FINALIZER = 'batch.kubernetes.io/job-tracking';
export const JOB_COMPLETION_INDEX_ANNOTATION = 'batch.kubernetes.io/job-completion-index';
export const JOB_CONTROLLER_UID_LABEL = 'batch.kubernetes.io/controller-uid';
export const JOB_NAME_LABEL = 'batch.kubernetes.io/job-name';
export const LEGACY_JOB_CONTROLLER_UID_LABEL = 'controller-uid';
export const LEGACY_JOB_NAME_LABEL = 'job-name';
export const CRONJOB_SCHEDULED_TIMESTAMP_ANNOTATION = 'batch.kubernetes.io/cronjob-scheduled-timestamp';

export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
export const MANAGED_BY_LABEL = 'endpointslice.kubernetes.io/managed-by';
export const ENDPOINTSLICE_CONTROLLER_NAME = 'endpointslice-controller.k8s.io';
export const HEADLESS_SERVICE_LABEL = 'service.kubernetes.io/headless';
export const SKIP_MIRROR_LABEL = 'endpointslice.kubernetes.io/skip-mirror';
export const TOPOLOGY_ZONE_LABEL = 'topology.kubernetes.io/zone';
