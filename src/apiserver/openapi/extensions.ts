/**
 * Facts the kubernetes-types .d.ts files do not carry and the generator adds by hand:
 * strategic-merge-patch metadata and list/map types per field, a few properties the
 * typings leave out, and the group-version-kinds of meta types without literal
 * apiVersion/kind fields.
 *
 * The patch table matters beyond documentation: kubectl apply (1.27+) computes its
 * strategic merge patch from the `x-kubernetes-patch-strategy` / `-merge-key` it reads
 * in our /openapi/v3 document whenever the PATCH operation accepts
 * application/strategic-merge-patch+json. A list missing here is treated as atomic
 * (replaced whole) by that client, so the server's strategic-merge-patch code should
 * read the same table (or the generated definitions) to stay consistent with it.
 *
 * Coverage: the common merge keys of core/v1, apps/v1, batch/v1, autoscaling/v2,
 * policy/v1, admissionregistration/v1 and meta/v1, taken from upstream's struct tags
 * (`patchStrategy`, `patchMergeKey`, `+listType`, `+listMapKey`, `+mapType`). Upstream
 * marks many more lists `atomic`; an unmarked list already behaves atomically for
 * strategic merge patch, so only the ones that matter are listed. Not covered yet:
 * x-kubernetes-unions, `x-kubernetes-list-type: atomic` on every remaining list, and
 * the rarer groups (flowcontrol, resource, storagemigration, ...).
 */
import type { GVKExtension, Schema } from './schema.js';

export interface FieldExtensions {
  /** `merge`, `retainKeys` or `merge,retainKeys` (x-kubernetes-patch-strategy). */
  patchStrategy?: 'merge' | 'retainKeys' | 'merge,retainKeys';
  /** x-kubernetes-patch-merge-key */
  patchMergeKey?: string;
  /** x-kubernetes-list-type */
  listType?: 'atomic' | 'set' | 'map';
  /** x-kubernetes-list-map-keys */
  listMapKeys?: string[];
  /** x-kubernetes-map-type */
  mapType?: 'atomic' | 'granular';
}

const CORE = 'io.k8s.api.core.v1.';
const META = 'io.k8s.apimachinery.pkg.apis.meta.v1.';

const mergeByName: FieldExtensions = { patchStrategy: 'merge', patchMergeKey: 'name', listType: 'map', listMapKeys: ['name'] };
const mergeByType: FieldExtensions = { patchStrategy: 'merge', patchMergeKey: 'type', listType: 'map', listMapKeys: ['type'] };
const atomic: FieldExtensions = { listType: 'atomic' };
const atomicMap: FieldExtensions = { mapType: 'atomic' };

const containerFields: Record<string, FieldExtensions> = {
  args: atomic,
  command: atomic,
  env: mergeByName,
  envFrom: atomic,
  ports: { patchStrategy: 'merge', patchMergeKey: 'containerPort', listType: 'map', listMapKeys: ['containerPort', 'protocol'] },
  resizePolicy: atomic,
  volumeDevices: { patchStrategy: 'merge', patchMergeKey: 'devicePath', listType: 'map', listMapKeys: ['devicePath'] },
  volumeMounts: { patchStrategy: 'merge', patchMergeKey: 'mountPath', listType: 'map', listMapKeys: ['mountPath'] },
};

/** Per definition, per property. */
export const FIELD_EXTENSIONS: Readonly<Record<string, Readonly<Record<string, FieldExtensions>>>> = {
  // meta/v1
  [META + 'ObjectMeta']: {
    finalizers: { patchStrategy: 'merge', listType: 'set' },
    managedFields: atomic,
    ownerReferences: { patchStrategy: 'merge', patchMergeKey: 'uid', listType: 'map', listMapKeys: ['uid'] },
  },
  [META + 'LabelSelector']: { matchExpressions: atomic },
  [META + 'LabelSelectorRequirement']: { values: atomic },

  // core/v1
  [CORE + 'Container']: containerFields,
  [CORE + 'EphemeralContainer']: containerFields,
  [CORE + 'PodSpec']: {
    containers: mergeByName,
    ephemeralContainers: mergeByName,
    hostAliases: { patchStrategy: 'merge', patchMergeKey: 'ip', listType: 'map', listMapKeys: ['ip'] },
    imagePullSecrets: mergeByName,
    initContainers: mergeByName,
    nodeSelector: atomicMap,
    readinessGates: atomic,
    resourceClaims: { patchStrategy: 'merge,retainKeys', patchMergeKey: 'name', listType: 'map', listMapKeys: ['name'] },
    schedulingGates: mergeByName,
    tolerations: atomic,
    topologySpreadConstraints: {
      patchStrategy: 'merge',
      patchMergeKey: 'topologyKey',
      listType: 'map',
      listMapKeys: ['topologyKey', 'whenUnsatisfiable'],
    },
    volumes: { patchStrategy: 'merge,retainKeys', patchMergeKey: 'name', listType: 'map', listMapKeys: ['name'] },
  },
  [CORE + 'PodStatus']: {
    conditions: mergeByType,
    containerStatuses: atomic,
    ephemeralContainerStatuses: atomic,
    hostIPs: { patchStrategy: 'merge', patchMergeKey: 'ip', listType: 'atomic' },
    initContainerStatuses: atomic,
    podIPs: { patchStrategy: 'merge', patchMergeKey: 'ip', listType: 'map', listMapKeys: ['ip'] },
    resourceClaimStatuses: { patchStrategy: 'merge,retainKeys', patchMergeKey: 'name', listType: 'map', listMapKeys: ['name'] },
  },
  [CORE + 'PodSecurityContext']: { supplementalGroups: atomic, sysctls: atomic },
  [CORE + 'Capabilities']: { add: atomic, drop: atomic },
  [CORE + 'ResourceRequirements']: { claims: { listType: 'map', listMapKeys: ['name'] } },
  [CORE + 'NodeSelector']: { nodeSelectorTerms: atomic },
  [CORE + 'NodeSelectorTerm']: { matchExpressions: atomic, matchFields: atomic },
  [CORE + 'NodeSelectorRequirement']: { values: atomic },
  [CORE + 'TopologySpreadConstraint']: { matchLabelKeys: atomic },
  [CORE + 'ServiceSpec']: {
    clusterIPs: atomic,
    externalIPs: atomic,
    ipFamilies: atomic,
    loadBalancerSourceRanges: atomic,
    ports: { patchStrategy: 'merge', patchMergeKey: 'port', listType: 'map', listMapKeys: ['port', 'protocol'] },
    selector: atomicMap,
  },
  [CORE + 'ServiceStatus']: { conditions: mergeByType },
  [CORE + 'LoadBalancerStatus']: { ingress: atomic },
  [CORE + 'NodeSpec']: { podCIDRs: { patchStrategy: 'merge', listType: 'set' }, taints: atomic },
  [CORE + 'NodeStatus']: {
    addresses: mergeByType,
    conditions: mergeByType,
    images: atomic,
    volumesAttached: atomic,
    volumesInUse: atomic,
  },
  [CORE + 'NamespaceSpec']: { finalizers: atomic },
  [CORE + 'NamespaceStatus']: { conditions: mergeByType },
  [CORE + 'PersistentVolumeClaimSpec']: { accessModes: atomic },
  [CORE + 'PersistentVolumeClaimStatus']: { accessModes: atomic, conditions: mergeByType },
  [CORE + 'PersistentVolumeSpec']: { accessModes: atomic, mountOptions: atomic },
  [CORE + 'ReplicationControllerStatus']: { conditions: mergeByType },
  [CORE + 'ServiceAccount']: { imagePullSecrets: atomic, secrets: mergeByName },
  [CORE + 'ComponentStatus']: { conditions: mergeByType },
  [CORE + 'Endpoints']: { subsets: atomic },
  [CORE + 'EndpointSubset']: { addresses: atomic, notReadyAddresses: atomic, ports: atomic },
  [CORE + 'ConfigMapVolumeSource']: { items: atomic },
  [CORE + 'SecretVolumeSource']: { items: atomic },
  [CORE + 'ProjectedVolumeSource']: { sources: atomic },
  [CORE + 'DownwardAPIVolumeSource']: { items: atomic },
  [CORE + 'LimitRangeSpec']: { limits: atomic },

  // apps/v1
  'io.k8s.api.apps.v1.DeploymentSpec': { strategy: { patchStrategy: 'retainKeys' } },
  'io.k8s.api.apps.v1.DeploymentStatus': { conditions: mergeByType },
  'io.k8s.api.apps.v1.DaemonSetStatus': { conditions: mergeByType },
  'io.k8s.api.apps.v1.ReplicaSetStatus': { conditions: mergeByType },
  'io.k8s.api.apps.v1.StatefulSetSpec': { volumeClaimTemplates: atomic },
  'io.k8s.api.apps.v1.StatefulSetStatus': { conditions: mergeByType },

  // batch/v1
  'io.k8s.api.batch.v1.JobStatus': { conditions: { patchStrategy: 'merge', patchMergeKey: 'type', listType: 'atomic' } },
  'io.k8s.api.batch.v1.CronJobStatus': { active: atomic },
  'io.k8s.api.batch.v1.PodFailurePolicy': { rules: atomic },

  // autoscaling/v2
  'io.k8s.api.autoscaling.v2.HorizontalPodAutoscalerSpec': { metrics: atomic },
  'io.k8s.api.autoscaling.v2.HorizontalPodAutoscalerStatus': { conditions: mergeByType, currentMetrics: atomic },

  // policy/v1
  'io.k8s.api.policy.v1.PodDisruptionBudgetStatus': { conditions: mergeByType },

  // admissionregistration/v1
  'io.k8s.api.admissionregistration.v1.MutatingWebhookConfiguration': { webhooks: mergeByName },
  'io.k8s.api.admissionregistration.v1.ValidatingWebhookConfiguration': { webhooks: mergeByName },

  // networking/v1, discovery/v1, rbac/v1, apiextensions/v1, certificates/v1
  'io.k8s.api.networking.v1.IngressSpec': { rules: atomic, tls: atomic },
  'io.k8s.api.networking.v1.NetworkPolicySpec': { egress: atomic, ingress: atomic, policyTypes: atomic },
  'io.k8s.api.discovery.v1.EndpointSlice': { endpoints: atomic, ports: atomic },
  'io.k8s.api.discovery.v1.Endpoint': { addresses: { listType: 'set' } },
  'io.k8s.api.rbac.v1.Role': { rules: atomic },
  'io.k8s.api.rbac.v1.ClusterRole': { rules: atomic },
  'io.k8s.api.rbac.v1.RoleBinding': { subjects: atomic },
  'io.k8s.api.rbac.v1.ClusterRoleBinding': { subjects: atomic },
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinitionSpec': { versions: atomic },
  'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinitionStatus': {
    conditions: { listType: 'map', listMapKeys: ['type'] },
    storedVersions: atomic,
  },
  'io.k8s.api.certificates.v1.CertificateSigningRequestSpec': { usages: atomic },
  'io.k8s.api.certificates.v1.CertificateSigningRequestStatus': { conditions: { listType: 'map', listMapKeys: ['type'] } },
};

/** Per definition: `x-kubernetes-map-type` on the type itself (structs replaced as a whole). */
export const TYPE_MAP_TYPES: Readonly<Record<string, 'atomic' | 'granular'>> = {
  [META + 'LabelSelector']: 'atomic',
  [CORE + 'NodeSelector']: 'atomic',
  [CORE + 'NodeSelectorTerm']: 'atomic',
  [CORE + 'LocalObjectReference']: 'atomic',
  [CORE + 'ObjectReference']: 'atomic',
  [CORE + 'TypedLocalObjectReference']: 'atomic',
  [CORE + 'SecretKeySelector']: 'atomic',
  [CORE + 'ConfigMapKeySelector']: 'atomic',
  [CORE + 'ObjectFieldSelector']: 'atomic',
  [CORE + 'ResourceFieldSelector']: 'atomic',
};

/** Turns a FieldExtensions entry into the `x-kubernetes-*` keys of a property schema. */
export function fieldExtensionKeys(ext: FieldExtensions): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (ext.patchStrategy !== undefined) out['x-kubernetes-patch-strategy'] = ext.patchStrategy;
  if (ext.patchMergeKey !== undefined) out['x-kubernetes-patch-merge-key'] = ext.patchMergeKey;
  if (ext.listType !== undefined) out['x-kubernetes-list-type'] = ext.listType;
  if (ext.listMapKeys !== undefined) out['x-kubernetes-list-map-keys'] = [...ext.listMapKeys];
  if (ext.mapType !== undefined) out['x-kubernetes-map-type'] = ext.mapType;
  return out;
}

const JSON_SCHEMA_PROPS = 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps';

/**
 * Properties upstream has and the typings lack. JSONSchemaProps' `x-kubernetes-*`
 * fields are what CRD authors write every day (preserve-unknown-fields, int-or-string,
 * list types, CEL validations).
 */
export const EXTRA_PROPERTIES: Readonly<Record<string, Readonly<Record<string, Schema>>>> = {
  [JSON_SCHEMA_PROPS]: {
    'x-kubernetes-embedded-resource': {
      type: 'boolean',
      description:
        'x-kubernetes-embedded-resource marks the value as an embedded Kubernetes object (apiVersion, kind and metadata are validated). The type must be object.',
    },
    'x-kubernetes-int-or-string': {
      type: 'boolean',
      description:
        'x-kubernetes-int-or-string says the value is either an integer or a string. When true, type may be empty and anyOf may list integer and string.',
    },
    'x-kubernetes-list-map-keys': {
      type: 'array',
      items: { type: 'string' },
      'x-kubernetes-list-type': 'atomic',
      description:
        'x-kubernetes-list-map-keys names the scalar fields that identify an item of a list whose x-kubernetes-list-type is `map`. Those fields must be required or defaulted.',
    },
    'x-kubernetes-list-type': {
      type: 'string',
      description:
        'x-kubernetes-list-type describes how an array merges: `atomic` (replaced as a whole, the default), `set` (unique scalar items) or `map` (items identified by x-kubernetes-list-map-keys).',
    },
    'x-kubernetes-map-type': {
      type: 'string',
      description:
        'x-kubernetes-map-type describes how an object merges: `granular` (each key on its own, the default) or `atomic` (replaced as a whole).',
    },
    'x-kubernetes-preserve-unknown-fields': {
      type: 'boolean',
      description:
        'x-kubernetes-preserve-unknown-fields keeps fields the schema does not specify instead of pruning them, recursively until nested properties or additionalProperties are specified. Either true or unset.',
    },
    'x-kubernetes-validations': {
      type: 'array',
      items: { $ref: '#/definitions/io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.ValidationRule' },
      'x-kubernetes-list-type': 'map',
      'x-kubernetes-list-map-keys': ['rule'],
      'x-kubernetes-patch-strategy': 'merge',
      'x-kubernetes-patch-merge-key': 'rule',
      description: 'x-kubernetes-validations lists validation rules written in the CEL expression language.',
    },
  },
};

/**
 * Group-version-kinds of meta/v1 types whose typings have no literal apiVersion/kind.
 * DeleteOptions and WatchEvent are registered in every group-version upstream; the
 * server adds one entry per served group-version (see OpenAPIService).
 */
export const EXTRA_GVKS: Readonly<Record<string, readonly GVKExtension[]>> = {
  [META + 'Status']: [{ group: '', kind: 'Status', version: 'v1' }],
  [META + 'DeleteOptions']: [{ group: '', kind: 'DeleteOptions', version: 'v1' }],
  [META + 'WatchEvent']: [{ group: '', kind: 'WatchEvent', version: 'v1' }],
};

/** Definitions whose GVK list the server extends to every served group-version. */
export const EVERY_GROUP_VERSION_KINDS: readonly string[] = [META + 'DeleteOptions', META + 'WatchEvent'];
