/**
 * Facts the kubernetes-types .d.ts files do not carry and the generator
 * (scripts/gen-openapi.ts) adds by hand, recorded from upstream's Go types (markers and
 * struct tags) for Kubernetes 1.32:
 *
 * - per field: strategic-merge-patch metadata (`patchStrategy`, `patchMergeKey` struct
 *   tags), list and map types (`+listType`, `+listMapKey`, `+mapType`, a field's
 *   `+structType`), the `+enum` type of the field (of its items for a list, of its
 *   values for a map) and `+default` values;
 * - per definition: `+structType=atomic` (published as `x-kubernetes-map-type: atomic`);
 * - the values of every `+enum` type used by a served field;
 * - a few properties, required fields and group-version-kinds the typings leave out;
 * - for what the protobuf schema adds: the kinds to publish (NEW_KINDS), the typings'
 *   fields upstream has since removed (REMOVED_PROPERTIES) and descriptions written for
 *   kubelite (ADDED_DESCRIPTIONS), since the descriptors carry none.
 *
 * Who reads them: kubectl apply (1.27+) computes its strategic merge patch from the
 * `x-kubernetes-patch-*` keys of our /openapi/v3 whenever the PATCH operation accepts
 * application/strategic-merge-patch+json, `kubectl explain` prints the ENUM section from
 * `enum`, and the server's strategic merge patch and server-side apply read the same
 * facts from generated/openapi/definitions.json. Server-side apply merges lists the way
 * structured-merge-diff does: `x-kubernetes-list-type` atomic/set/map with
 * `x-kubernetes-list-map-keys`, a map key missing from an item taking the key field's
 * `default`; so every list-map key field is published with a default, as upstream's
 * generator gives one to every non-pointer field serialized without omitempty (the
 * generator derives those zero values; LIST_MAP_KEYS_WITHOUT_DEFAULT names the keys whose
 * Go field is omitempty).
 *
 * Coverage: every field of the served built-in groups (src/api/resources.ts: core,
 * admissionregistration, apiextensions, apiregistration, apps, autoscaling/v2, batch,
 * certificates, discovery, flowcontrol, meta, networking, node, policy, rbac, scheduling,
 * storage) that upstream 1.32 marks with a list type, list-map keys, a patch strategy or
 * merge key, a map or struct type, `+enum` or `+default`, including the fields 1.31 and
 * 1.32 added, which the generator takes from the protobuf schema (fromprotobuf.ts); and
 * the map/set lists and merged lists of the kinds newer than the typings (NEW_KINDS), with
 * their atomic lists. The patch strategies and merge keys were checked against the struct
 * tags compiled into kubectl 1.32. Groups without any such marker (authentication,
 * authorization, coordination, events, autoscaling/v1) have no entries. Not covered:
 * `x-kubernetes-unions`, the zero-value `default` upstream gives every other non-omitempty
 * field (and `{}` for struct fields), and the prose upstream appends for each enum value
 * (only the values are listed under "Possible enum values").
 */
import type { NewKind } from './fromprotobuf.js';
import type { GVKExtension, Schema } from './schema.js';

export interface FieldExtensions {
  /** `merge`, `retainKeys`, `merge,retainKeys` or `replace` (x-kubernetes-patch-strategy). */
  patchStrategy?: 'merge' | 'retainKeys' | 'merge,retainKeys' | 'replace';
  /** x-kubernetes-patch-merge-key */
  patchMergeKey?: string;
  /** x-kubernetes-list-type */
  listType?: 'atomic' | 'set' | 'map';
  /** x-kubernetes-list-map-keys */
  listMapKeys?: readonly string[];
  /** x-kubernetes-map-type of a map field, or of a struct field overriding its type's. */
  mapType?: 'atomic' | 'granular';
  /** The field's `+enum` type, a key of ENUMS. */
  enum?: string;
  /** `default` (from a `+default` marker). */
  default?: string | number | boolean;
}

/**
 * The values of the `+enum` types the served fields use, keyed "<group>.<version>.<Type>",
 * sorted as upstream's generator sorts them.
 */
export const ENUMS: Readonly<Record<string, readonly string[]>> = {
  'admissionregistration.v1.FailurePolicyType': ['Fail', 'Ignore'],
  'admissionregistration.v1.MatchPolicyType': ['Equivalent', 'Exact'],
  'admissionregistration.v1.OperationType': ['*', 'CONNECT', 'CREATE', 'DELETE', 'UPDATE'],
  'admissionregistration.v1.ParameterNotFoundActionType': ['Allow', 'Deny'],
  'admissionregistration.v1.ReinvocationPolicyType': ['IfNeeded', 'Never'],
  'admissionregistration.v1.ScopeType': ['*', 'Cluster', 'Namespaced'],
  'admissionregistration.v1.SideEffectClass': ['None', 'NoneOnDryRun', 'Some', 'Unknown'],
  'admissionregistration.v1.ValidationAction': ['Audit', 'Deny', 'Warn'],
  'apps.v1.DaemonSetUpdateStrategyType': ['OnDelete', 'RollingUpdate'],
  'apps.v1.DeploymentStrategyType': ['Recreate', 'RollingUpdate'],
  'apps.v1.PodManagementPolicyType': ['OrderedReady', 'Parallel'],
  'apps.v1.StatefulSetUpdateStrategyType': ['OnDelete', 'RollingUpdate'],
  'batch.v1.CompletionMode': ['Indexed', 'NonIndexed'],
  'batch.v1.ConcurrencyPolicy': ['Allow', 'Forbid', 'Replace'],
  'batch.v1.PodFailurePolicyAction': ['Count', 'FailIndex', 'FailJob', 'Ignore'],
  'batch.v1.PodFailurePolicyOnExitCodesOperator': ['In', 'NotIn'],
  'batch.v1.PodReplacementPolicy': ['Failed', 'TerminatingOrFailed'],
  'certificates.v1.KeyUsage': [
    'any', 'cert sign', 'client auth', 'code signing', 'content commitment', 'crl sign', 'data encipherment', 'decipher only', 'digital signature',
    'email protection', 'encipher only', 'ipsec end system', 'ipsec tunnel', 'ipsec user', 'key agreement', 'key encipherment', 'microsoft sgc',
    'netscape sgc', 'ocsp signing', 's/mime', 'server auth', 'signing', 'timestamping',
  ],
  'core.v1.AppArmorProfileType': ['Localhost', 'RuntimeDefault', 'Unconfined'],
  'core.v1.AzureDataDiskCachingMode': ['None', 'ReadOnly', 'ReadWrite'],
  'core.v1.AzureDataDiskKind': ['Dedicated', 'Managed', 'Shared'],
  'core.v1.ClaimResourceStatus': ['ControllerResizeFailed', 'ControllerResizeInProgress', 'NodeResizeFailed', 'NodeResizeInProgress', 'NodeResizePending'],
  'core.v1.DNSPolicy': ['ClusterFirst', 'ClusterFirstWithHostNet', 'Default', 'None'],
  'core.v1.HostPathType': ['', 'BlockDevice', 'CharDevice', 'Directory', 'DirectoryOrCreate', 'File', 'FileOrCreate', 'Socket'],
  'core.v1.IPFamily': ['', 'IPv4', 'IPv6'],
  'core.v1.IPFamilyPolicy': ['PreferDualStack', 'RequireDualStack', 'SingleStack'],
  'core.v1.MountPropagationMode': ['Bidirectional', 'HostToContainer', 'None'],
  'core.v1.NamespacePhase': ['Active', 'Terminating'],
  'core.v1.NodeInclusionPolicy': ['Honor', 'Ignore'],
  'core.v1.NodePhase': ['Pending', 'Running', 'Terminated'],
  'core.v1.NodeSelectorOperator': ['DoesNotExist', 'Exists', 'Gt', 'In', 'Lt', 'NotIn'],
  'core.v1.PersistentVolumeAccessMode': ['ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOncePod'],
  'core.v1.PersistentVolumeClaimModifyVolumeStatus': ['InProgress', 'Infeasible', 'Pending'],
  'core.v1.PersistentVolumeClaimPhase': ['Bound', 'Lost', 'Pending'],
  'core.v1.PersistentVolumeMode': ['Block', 'Filesystem'],
  'core.v1.PersistentVolumePhase': ['Available', 'Bound', 'Failed', 'Pending', 'Released'],
  'core.v1.PersistentVolumeReclaimPolicy': ['Delete', 'Recycle', 'Retain'],
  'core.v1.PodFSGroupChangePolicy': ['Always', 'OnRootMismatch'],
  'core.v1.PodPhase': ['Failed', 'Pending', 'Running', 'Succeeded', 'Unknown'],
  'core.v1.PodQOSClass': ['BestEffort', 'Burstable', 'Guaranteed'],
  'core.v1.PreemptionPolicy': ['Never', 'PreemptLowerPriority'],
  'core.v1.ProcMountType': ['Default', 'Unmasked'],
  'core.v1.Protocol': ['SCTP', 'TCP', 'UDP'],
  'core.v1.PullPolicy': ['Always', 'IfNotPresent', 'Never'],
  'core.v1.ResourceQuotaScope': ['BestEffort', 'CrossNamespacePodAffinity', 'NotBestEffort', 'NotTerminating', 'PriorityClass', 'Terminating'],
  'core.v1.RestartPolicy': ['Always', 'Never', 'OnFailure'],
  'core.v1.ScopeSelectorOperator': ['DoesNotExist', 'Exists', 'In', 'NotIn'],
  'core.v1.SeccompProfileType': ['Localhost', 'RuntimeDefault', 'Unconfined'],
  'core.v1.SupplementalGroupsPolicy': ['Merge', 'Strict'],
  'core.v1.ServiceAffinity': ['ClientIP', 'None'],
  'core.v1.ServiceExternalTrafficPolicy': ['Cluster', 'Local'],
  'core.v1.ServiceInternalTrafficPolicy': ['Cluster', 'Local'],
  'core.v1.ServiceType': ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'],
  'core.v1.TaintEffect': ['NoExecute', 'NoSchedule', 'PreferNoSchedule'],
  'core.v1.TerminationMessagePolicy': ['FallbackToLogsOnError', 'File'],
  'core.v1.TolerationOperator': ['Equal', 'Exists'],
  'core.v1.URIScheme': ['HTTP', 'HTTPS'],
  'core.v1.UnsatisfiableConstraintAction': ['DoNotSchedule', 'ScheduleAnyway'],
  'discovery.v1.AddressType': ['FQDN', 'IPv4', 'IPv6'],
  'networking.v1.PathType': ['Exact', 'ImplementationSpecific', 'Prefix'],
  'networking.v1.PolicyType': ['Egress', 'Ingress'],
  'policy.v1.UnhealthyPodEvictionPolicyType': ['AlwaysAllow', 'IfHealthyBudget'],
  'storage.v1.VolumeBindingMode': ['Immediate', 'WaitForFirstConsumer'],
};

const CORE = 'io.k8s.api.core.v1.';
const META = 'io.k8s.apimachinery.pkg.apis.meta.v1.';
const ADMISSION = 'io.k8s.api.admissionregistration.v1.';
const APIEXTENSIONS = 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.';
const APIREGISTRATION = 'io.k8s.kube-aggregator.pkg.apis.apiregistration.v1.';
const APPS = 'io.k8s.api.apps.v1.';
const AUTHORIZATION = 'io.k8s.api.authorization.v1.';
const AUTOSCALING_V2 = 'io.k8s.api.autoscaling.v2.';
const COORDINATION = 'io.k8s.api.coordination.v1.';
const ADMISSION_V1ALPHA1 = 'io.k8s.api.admissionregistration.v1alpha1.';
const ADMISSION_V1BETA1 = 'io.k8s.api.admissionregistration.v1beta1.';
const BATCH = 'io.k8s.api.batch.v1.';
const CERTIFICATES = 'io.k8s.api.certificates.v1.';
const DISCOVERY = 'io.k8s.api.discovery.v1.';
const FLOWCONTROL = 'io.k8s.api.flowcontrol.v1.';
const NETWORKING = 'io.k8s.api.networking.v1.';
const NETWORKING_V1BETA1 = 'io.k8s.api.networking.v1beta1.';
const NODE = 'io.k8s.api.node.v1.';
const POLICY = 'io.k8s.api.policy.v1.';
const RBAC = 'io.k8s.api.rbac.v1.';
const SCHEDULING = 'io.k8s.api.scheduling.v1.';
const STORAGE = 'io.k8s.api.storage.v1.';

const atomic: FieldExtensions = { listType: 'atomic' };
const set: FieldExtensions = { listType: 'set' };
/** A list map without a strategic-merge-patch strategy (replaced whole by SMP). */
const mapBy = (...keys: string[]): FieldExtensions => ({ listType: 'map', listMapKeys: keys });
/** A list map that strategic merge patch also merges, by the first key. */
const mergeBy = (key: string, ...more: string[]): FieldExtensions => ({ patchStrategy: 'merge', patchMergeKey: key, listType: 'map', listMapKeys: [key, ...more] });

/** Container and EphemeralContainer share their list facts and enums. */
const containerFields: Record<string, FieldExtensions> = {
  args: atomic,
  command: atomic,
  env: mergeBy('name'),
  envFrom: atomic,
  imagePullPolicy: { enum: 'core.v1.PullPolicy' },
  ports: mergeBy('containerPort', 'protocol'),
  resizePolicy: atomic,
  terminationMessagePolicy: { enum: 'core.v1.TerminationMessagePolicy' },
  volumeDevices: mergeBy('devicePath'),
  volumeMounts: mergeBy('mountPath'),
};

/** resource.k8s.io v1alpha3 and v1beta1 (Kubernetes 1.32) mark their lists alike. */
function resourceFields(pkg: string): Record<string, Record<string, FieldExtensions>> {
  return {
    [pkg + 'AllocatedDeviceStatus']: { conditions: mapBy('type') },
    [pkg + 'DeviceAllocationConfiguration']: { requests: atomic },
    [pkg + 'DeviceAllocationResult']: { config: atomic, results: atomic },
    [pkg + 'DeviceClaim']: { config: atomic, constraints: atomic, requests: atomic },
    [pkg + 'DeviceClaimConfiguration']: { requests: atomic },
    [pkg + 'DeviceClassSpec']: { config: atomic, selectors: atomic },
    [pkg + 'DeviceConstraint']: { requests: atomic },
    [pkg + 'DeviceRequest']: { selectors: atomic },
    [pkg + 'NetworkDeviceData']: { ips: atomic },
    [pkg + 'ResourceClaimStatus']: { devices: mapBy('driver', 'device', 'pool'), reservedFor: mergeBy('uid') },
    [pkg + 'ResourceSliceSpec']: { devices: atomic },
  };
}

/** Per definition, per property. */
export const FIELD_EXTENSIONS: Readonly<Record<string, Readonly<Record<string, FieldExtensions>>>> = {
  // core.v1
  [CORE + 'AppArmorProfile']: { type: { enum: 'core.v1.AppArmorProfileType' } },
  [CORE + 'AzureDiskVolumeSource']: {
    cachingMode: { enum: 'core.v1.AzureDataDiskCachingMode', default: 'ReadWrite' },
    fsType: { default: 'ext4' },
    kind: { enum: 'core.v1.AzureDataDiskKind', default: 'Shared' },
    readOnly: { default: false },
  },
  [CORE + 'Capabilities']: { add: atomic, drop: atomic },
  [CORE + 'CephFSPersistentVolumeSource']: { monitors: atomic },
  [CORE + 'CephFSVolumeSource']: { monitors: atomic },
  [CORE + 'ComponentStatus']: { conditions: mergeBy('type') },
  [CORE + 'ConfigMapProjection']: { items: atomic },
  [CORE + 'ConfigMapVolumeSource']: { items: atomic },
  [CORE + 'Container']: containerFields,
  [CORE + 'ContainerImage']: { names: atomic },
  [CORE + 'ContainerPort']: { protocol: { enum: 'core.v1.Protocol', default: 'TCP' } },
  [CORE + 'ContainerStatus']: { allocatedResourcesStatus: mergeBy('name'), volumeMounts: mergeBy('mountPath') },
  [CORE + 'DownwardAPIProjection']: { items: atomic },
  [CORE + 'DownwardAPIVolumeSource']: { items: atomic },
  [CORE + 'EndpointPort']: { protocol: { enum: 'core.v1.Protocol' } },
  [CORE + 'EndpointSubset']: { addresses: atomic, notReadyAddresses: atomic, ports: atomic },
  [CORE + 'Endpoints']: { subsets: atomic },
  [CORE + 'EphemeralContainer']: containerFields,
  [CORE + 'ExecAction']: { command: atomic },
  [CORE + 'FCVolumeSource']: { targetWWNs: atomic, wwids: atomic },
  [CORE + 'GRPCAction']: { service: { default: '' } },
  [CORE + 'ImageVolumeSource']: { pullPolicy: { enum: 'core.v1.PullPolicy' } },
  [CORE + 'HTTPGetAction']: { httpHeaders: atomic, scheme: { enum: 'core.v1.URIScheme' } },
  [CORE + 'HostAlias']: { hostnames: atomic },
  [CORE + 'HostPathVolumeSource']: { type: { enum: 'core.v1.HostPathType' } },
  [CORE + 'ISCSIPersistentVolumeSource']: { iscsiInterface: { default: 'default' }, portals: atomic },
  [CORE + 'ISCSIVolumeSource']: { iscsiInterface: { default: 'default' }, portals: atomic },
  [CORE + 'LimitRangeSpec']: { limits: atomic },
  [CORE + 'LinuxContainerUser']: { supplementalGroups: atomic },
  [CORE + 'LoadBalancerIngress']: { ports: atomic },
  [CORE + 'LoadBalancerStatus']: { ingress: atomic },
  [CORE + 'LocalObjectReference']: { name: { default: '' } },
  [CORE + 'ModifyVolumeStatus']: { status: { enum: 'core.v1.PersistentVolumeClaimModifyVolumeStatus' } },
  [CORE + 'NamespaceSpec']: { finalizers: atomic },
  [CORE + 'NamespaceStatus']: { conditions: mergeBy('type'), phase: { enum: 'core.v1.NamespacePhase' } },
  [CORE + 'NodeAffinity']: { preferredDuringSchedulingIgnoredDuringExecution: atomic },
  [CORE + 'NodeSelector']: { nodeSelectorTerms: atomic },
  [CORE + 'NodeSelectorRequirement']: { operator: { enum: 'core.v1.NodeSelectorOperator' }, values: atomic },
  [CORE + 'NodeSelectorTerm']: { matchExpressions: atomic, matchFields: atomic },
  [CORE + 'NodeSpec']: { podCIDRs: { patchStrategy: 'merge', listType: 'set' }, taints: atomic },
  [CORE + 'NodeStatus']: {
    addresses: mergeBy('type'),
    conditions: mergeBy('type'),
    images: atomic,
    phase: { enum: 'core.v1.NodePhase' },
    runtimeHandlers: atomic,
    volumesAttached: atomic,
    volumesInUse: atomic,
  },
  [CORE + 'PersistentVolumeClaimSpec']: {
    accessModes: { ...atomic, enum: 'core.v1.PersistentVolumeAccessMode' },
    volumeMode: { enum: 'core.v1.PersistentVolumeMode' },
  },
  [CORE + 'PersistentVolumeClaimStatus']: {
    accessModes: { ...atomic, enum: 'core.v1.PersistentVolumeAccessMode' },
    allocatedResourceStatuses: { mapType: 'granular', enum: 'core.v1.ClaimResourceStatus' },
    conditions: mergeBy('type'),
    phase: { enum: 'core.v1.PersistentVolumeClaimPhase' },
  },
  [CORE + 'PersistentVolumeSpec']: {
    accessModes: { ...atomic, enum: 'core.v1.PersistentVolumeAccessMode' },
    claimRef: { mapType: 'granular' },
    mountOptions: atomic,
    persistentVolumeReclaimPolicy: { enum: 'core.v1.PersistentVolumeReclaimPolicy' },
    volumeMode: { enum: 'core.v1.PersistentVolumeMode' },
  },
  [CORE + 'PersistentVolumeStatus']: { phase: { enum: 'core.v1.PersistentVolumePhase' } },
  [CORE + 'PodAffinity']: { preferredDuringSchedulingIgnoredDuringExecution: atomic, requiredDuringSchedulingIgnoredDuringExecution: atomic },
  [CORE + 'PodAffinityTerm']: { matchLabelKeys: atomic, mismatchLabelKeys: atomic, namespaces: atomic },
  [CORE + 'PodAntiAffinity']: { preferredDuringSchedulingIgnoredDuringExecution: atomic, requiredDuringSchedulingIgnoredDuringExecution: atomic },
  [CORE + 'PodDNSConfig']: { nameservers: atomic, options: atomic, searches: atomic },
  [CORE + 'PodSecurityContext']: {
    fsGroupChangePolicy: { enum: 'core.v1.PodFSGroupChangePolicy' },
    supplementalGroups: atomic,
    supplementalGroupsPolicy: { enum: 'core.v1.SupplementalGroupsPolicy' },
    sysctls: atomic,
  },
  [CORE + 'PodSpec']: {
    containers: mergeBy('name'),
    dnsPolicy: { enum: 'core.v1.DNSPolicy' },
    ephemeralContainers: mergeBy('name'),
    hostAliases: mergeBy('ip'),
    imagePullSecrets: mergeBy('name'),
    initContainers: mergeBy('name'),
    nodeSelector: { mapType: 'atomic' },
    preemptionPolicy: { enum: 'core.v1.PreemptionPolicy' },
    readinessGates: atomic,
    resourceClaims: { patchStrategy: 'merge,retainKeys', patchMergeKey: 'name', listType: 'map', listMapKeys: ['name'] },
    restartPolicy: { enum: 'core.v1.RestartPolicy' },
    schedulingGates: mergeBy('name'),
    tolerations: atomic,
    topologySpreadConstraints: mergeBy('topologyKey', 'whenUnsatisfiable'),
    volumes: { patchStrategy: 'merge,retainKeys', patchMergeKey: 'name', listType: 'map', listMapKeys: ['name'] },
  },
  [CORE + 'PodStatus']: {
    conditions: mergeBy('type'),
    containerStatuses: atomic,
    ephemeralContainerStatuses: atomic,
    hostIPs: { patchStrategy: 'merge', patchMergeKey: 'ip', listType: 'atomic' },
    initContainerStatuses: atomic,
    phase: { enum: 'core.v1.PodPhase' },
    podIPs: mergeBy('ip'),
    qosClass: { enum: 'core.v1.PodQOSClass' },
    resourceClaimStatuses: { patchStrategy: 'merge,retainKeys', patchMergeKey: 'name', listType: 'map', listMapKeys: ['name'] },
  },
  [CORE + 'PortStatus']: { protocol: { enum: 'core.v1.Protocol' } },
  [CORE + 'ProjectedVolumeSource']: { sources: atomic },
  [CORE + 'RBDPersistentVolumeSource']: { keyring: { default: '/etc/ceph/keyring' }, monitors: atomic, pool: { default: 'rbd' }, user: { default: 'admin' } },
  [CORE + 'RBDVolumeSource']: { keyring: { default: '/etc/ceph/keyring' }, monitors: atomic, pool: { default: 'rbd' }, user: { default: 'admin' } },
  [CORE + 'ReplicationControllerSpec']: { selector: { mapType: 'atomic' } },
  [CORE + 'ReplicationControllerStatus']: { conditions: mergeBy('type') },
  [CORE + 'ResourceQuotaSpec']: { scopes: { ...atomic, enum: 'core.v1.ResourceQuotaScope' } },
  [CORE + 'ResourceRequirements']: { claims: mapBy('name') },
  [CORE + 'ResourceStatus']: { resources: mapBy('resourceID') },
  [CORE + 'ScaleIOPersistentVolumeSource']: { fsType: { default: 'xfs' }, storageMode: { default: 'ThinProvisioned' } },
  [CORE + 'ScaleIOVolumeSource']: { fsType: { default: 'xfs' }, storageMode: { default: 'ThinProvisioned' } },
  [CORE + 'ScopeSelector']: { matchExpressions: atomic },
  [CORE + 'ScopedResourceSelectorRequirement']: {
    operator: { enum: 'core.v1.ScopeSelectorOperator' },
    scopeName: { enum: 'core.v1.ResourceQuotaScope' },
    values: atomic,
  },
  [CORE + 'SeccompProfile']: { type: { enum: 'core.v1.SeccompProfileType' } },
  [CORE + 'SecretProjection']: { items: atomic },
  [CORE + 'SecretVolumeSource']: { items: atomic },
  [CORE + 'SecurityContext']: { procMount: { enum: 'core.v1.ProcMountType' } },
  [CORE + 'ServiceAccount']: { imagePullSecrets: atomic, secrets: mergeBy('name') },
  [CORE + 'ServicePort']: { protocol: { enum: 'core.v1.Protocol', default: 'TCP' } },
  [CORE + 'ServiceSpec']: {
    clusterIPs: atomic,
    externalIPs: atomic,
    externalTrafficPolicy: { enum: 'core.v1.ServiceExternalTrafficPolicy' },
    internalTrafficPolicy: { enum: 'core.v1.ServiceInternalTrafficPolicy' },
    ipFamilies: { ...atomic, enum: 'core.v1.IPFamily' },
    ipFamilyPolicy: { enum: 'core.v1.IPFamilyPolicy' },
    loadBalancerSourceRanges: atomic,
    ports: mergeBy('port', 'protocol'),
    selector: { mapType: 'atomic' },
    sessionAffinity: { enum: 'core.v1.ServiceAffinity' },
    type: { enum: 'core.v1.ServiceType' },
  },
  [CORE + 'ServiceStatus']: { conditions: mergeBy('type') },
  [CORE + 'Taint']: { effect: { enum: 'core.v1.TaintEffect' } },
  [CORE + 'Toleration']: { effect: { enum: 'core.v1.TaintEffect' }, operator: { enum: 'core.v1.TolerationOperator' } },
  [CORE + 'TopologySelectorLabelRequirement']: { values: atomic },
  [CORE + 'TopologySelectorTerm']: { matchLabelExpressions: atomic },
  [CORE + 'TopologySpreadConstraint']: {
    matchLabelKeys: atomic,
    nodeAffinityPolicy: { enum: 'core.v1.NodeInclusionPolicy' },
    nodeTaintsPolicy: { enum: 'core.v1.NodeInclusionPolicy' },
    whenUnsatisfiable: { enum: 'core.v1.UnsatisfiableConstraintAction' },
  },
  [CORE + 'VolumeMount']: { mountPropagation: { enum: 'core.v1.MountPropagationMode' } },

  // meta.v1
  [META + 'APIGroup']: { serverAddressByClientCIDRs: atomic, versions: atomic },
  [META + 'APIGroupList']: { groups: atomic },
  [META + 'APIResource']: { categories: atomic, shortNames: atomic },
  [META + 'APIResourceList']: { resources: atomic },
  [META + 'APIVersions']: { serverAddressByClientCIDRs: atomic, versions: atomic },
  [META + 'DeleteOptions']: { dryRun: atomic },
  [META + 'FieldSelectorRequirement']: { values: atomic },
  [META + 'LabelSelector']: { matchExpressions: atomic },
  [META + 'LabelSelectorRequirement']: { values: atomic },
  [META + 'ObjectMeta']: { finalizers: { patchStrategy: 'merge', listType: 'set' }, managedFields: atomic, ownerReferences: mergeBy('uid') },
  [META + 'StatusDetails']: { causes: atomic },

  // apps.v1
  [APPS + 'DaemonSetStatus']: { conditions: mergeBy('type') },
  [APPS + 'DaemonSetUpdateStrategy']: { type: { enum: 'apps.v1.DaemonSetUpdateStrategyType' } },
  [APPS + 'DeploymentSpec']: { strategy: { patchStrategy: 'retainKeys' } },
  [APPS + 'DeploymentStatus']: { conditions: mergeBy('type') },
  [APPS + 'DeploymentStrategy']: { type: { enum: 'apps.v1.DeploymentStrategyType' } },
  [APPS + 'ReplicaSetStatus']: { conditions: mergeBy('type') },
  [APPS + 'StatefulSetSpec']: { podManagementPolicy: { enum: 'apps.v1.PodManagementPolicyType' }, volumeClaimTemplates: atomic },
  [APPS + 'StatefulSetStatus']: { conditions: mergeBy('type') },
  [APPS + 'StatefulSetUpdateStrategy']: { type: { enum: 'apps.v1.StatefulSetUpdateStrategyType' } },

  // batch.v1
  [BATCH + 'CronJobSpec']: { concurrencyPolicy: { enum: 'batch.v1.ConcurrencyPolicy' } },
  [BATCH + 'CronJobStatus']: { active: atomic },
  [BATCH + 'JobSpec']: { completionMode: { enum: 'batch.v1.CompletionMode' }, podReplacementPolicy: { enum: 'batch.v1.PodReplacementPolicy' } },
  [BATCH + 'JobStatus']: { conditions: { patchStrategy: 'merge', patchMergeKey: 'type', listType: 'atomic' } },
  [BATCH + 'PodFailurePolicy']: { rules: atomic },
  [BATCH + 'PodFailurePolicyOnExitCodesRequirement']: { operator: { enum: 'batch.v1.PodFailurePolicyOnExitCodesOperator' }, values: set },
  [BATCH + 'PodFailurePolicyRule']: { action: { enum: 'batch.v1.PodFailurePolicyAction' }, onPodConditions: atomic },
  [BATCH + 'SuccessPolicy']: { rules: atomic },
  [BATCH + 'UncountedTerminatedPods']: { failed: set, succeeded: set },

  // autoscaling.v2
  [AUTOSCALING_V2 + 'HPAScalingRules']: { policies: atomic },
  [AUTOSCALING_V2 + 'HorizontalPodAutoscalerSpec']: { metrics: atomic },
  [AUTOSCALING_V2 + 'HorizontalPodAutoscalerStatus']: { conditions: mergeBy('type'), currentMetrics: atomic },

  // policy.v1
  [POLICY + 'PodDisruptionBudgetSpec']: {
    selector: { patchStrategy: 'replace' },
    unhealthyPodEvictionPolicy: { enum: 'policy.v1.UnhealthyPodEvictionPolicyType' },
  },
  [POLICY + 'PodDisruptionBudgetStatus']: { conditions: mergeBy('type') },

  // admissionregistration.v1
  [ADMISSION + 'MatchResources']: { excludeResourceRules: atomic, matchPolicy: { enum: 'admissionregistration.v1.MatchPolicyType' }, resourceRules: atomic },
  [ADMISSION + 'MutatingWebhook']: {
    admissionReviewVersions: atomic,
    failurePolicy: { enum: 'admissionregistration.v1.FailurePolicyType' },
    matchConditions: mergeBy('name'),
    matchPolicy: { enum: 'admissionregistration.v1.MatchPolicyType' },
    reinvocationPolicy: { enum: 'admissionregistration.v1.ReinvocationPolicyType' },
    rules: atomic,
    sideEffects: { enum: 'admissionregistration.v1.SideEffectClass' },
  },
  [ADMISSION + 'MutatingWebhookConfiguration']: { webhooks: mergeBy('name') },
  [ADMISSION + 'NamedRuleWithOperations']: {
    apiGroups: atomic,
    apiVersions: atomic,
    operations: { ...atomic, enum: 'admissionregistration.v1.OperationType' },
    resourceNames: atomic,
    resources: atomic,
    scope: { enum: 'admissionregistration.v1.ScopeType' },
  },
  [ADMISSION + 'ParamRef']: { parameterNotFoundAction: { enum: 'admissionregistration.v1.ParameterNotFoundActionType' } },
  [ADMISSION + 'RuleWithOperations']: {
    apiGroups: atomic,
    apiVersions: atomic,
    operations: { ...atomic, enum: 'admissionregistration.v1.OperationType' },
    resources: atomic,
    scope: { enum: 'admissionregistration.v1.ScopeType' },
  },
  [ADMISSION + 'TypeChecking']: { expressionWarnings: atomic },
  [ADMISSION + 'ValidatingAdmissionPolicyBindingSpec']: { validationActions: { ...set, enum: 'admissionregistration.v1.ValidationAction' } },
  [ADMISSION + 'ValidatingAdmissionPolicySpec']: {
    auditAnnotations: atomic,
    failurePolicy: { enum: 'admissionregistration.v1.FailurePolicyType' },
    matchConditions: mergeBy('name'),
    validations: atomic,
    variables: mergeBy('name'),
  },
  [ADMISSION + 'ValidatingAdmissionPolicyStatus']: { conditions: mapBy('type') },
  [ADMISSION + 'ValidatingWebhook']: {
    admissionReviewVersions: atomic,
    failurePolicy: { enum: 'admissionregistration.v1.FailurePolicyType' },
    matchConditions: mergeBy('name'),
    matchPolicy: { enum: 'admissionregistration.v1.MatchPolicyType' },
    rules: atomic,
    sideEffects: { enum: 'admissionregistration.v1.SideEffectClass' },
  },
  [ADMISSION + 'ValidatingWebhookConfiguration']: { webhooks: mergeBy('name') },

  // authorization.v1
  [AUTHORIZATION + 'FieldSelectorAttributes']: { requirements: atomic },
  [AUTHORIZATION + 'LabelSelectorAttributes']: { requirements: atomic },

  // Kinds newer than the typings (NEW_KINDS; not served): their map and set lists and the
  // lists strategic merge patch merges, and their atomic lists.
  [ADMISSION_V1ALPHA1 + 'MutatingAdmissionPolicySpec']: { matchConditions: mergeBy('name'), mutations: atomic, variables: atomic },
  [NETWORKING_V1BETA1 + 'ServiceCIDRSpec']: { cidrs: atomic },
  [NETWORKING_V1BETA1 + 'ServiceCIDRStatus']: { conditions: mergeBy('type') },
  ...resourceFields('io.k8s.api.resource.v1alpha3.'),
  ...resourceFields('io.k8s.api.resource.v1beta1.'),

  // networking.v1
  [NETWORKING + 'HTTPIngressPath']: { pathType: { enum: 'networking.v1.PathType' } },
  [NETWORKING + 'HTTPIngressRuleValue']: { paths: atomic },
  [NETWORKING + 'IPBlock']: { except: atomic },
  [NETWORKING + 'IngressLoadBalancerIngress']: { ports: atomic },
  [NETWORKING + 'IngressLoadBalancerStatus']: { ingress: atomic },
  [NETWORKING + 'IngressPortStatus']: { protocol: { enum: 'core.v1.Protocol' } },
  [NETWORKING + 'IngressSpec']: { rules: atomic, tls: atomic },
  [NETWORKING + 'IngressTLS']: { hosts: atomic },
  [NETWORKING + 'NetworkPolicyEgressRule']: { ports: atomic, to: atomic },
  [NETWORKING + 'NetworkPolicyIngressRule']: { from: atomic, ports: atomic },
  [NETWORKING + 'NetworkPolicyPort']: { protocol: { enum: 'core.v1.Protocol' } },
  [NETWORKING + 'NetworkPolicySpec']: { egress: atomic, ingress: atomic, policyTypes: { ...atomic, enum: 'networking.v1.PolicyType' } },

  // discovery.v1
  [DISCOVERY + 'Endpoint']: { addresses: set },
  [DISCOVERY + 'EndpointHints']: { forZones: atomic },
  [DISCOVERY + 'EndpointPort']: { protocol: { enum: 'core.v1.Protocol' } },
  [DISCOVERY + 'EndpointSlice']: { addressType: { enum: 'discovery.v1.AddressType' }, endpoints: atomic, ports: atomic },

  // rbac.v1
  [RBAC + 'AggregationRule']: { clusterRoleSelectors: atomic },
  [RBAC + 'ClusterRole']: { rules: atomic },
  [RBAC + 'ClusterRoleBinding']: { subjects: atomic },
  [RBAC + 'PolicyRule']: { apiGroups: atomic, nonResourceURLs: atomic, resourceNames: atomic, resources: atomic, verbs: atomic },
  [RBAC + 'Role']: { rules: atomic },
  [RBAC + 'RoleBinding']: { subjects: atomic },

  // storage.v1
  [STORAGE + 'CSIDriverSpec']: { tokenRequests: atomic, volumeLifecycleModes: set },
  [STORAGE + 'CSINodeDriver']: { topologyKeys: atomic },
  [STORAGE + 'CSINodeSpec']: { drivers: mergeBy('name') },
  [STORAGE + 'StorageClass']: {
    allowedTopologies: atomic,
    mountOptions: atomic,
    reclaimPolicy: { enum: 'core.v1.PersistentVolumeReclaimPolicy' },
    volumeBindingMode: { enum: 'storage.v1.VolumeBindingMode' },
  },

  // certificates.v1
  [CERTIFICATES + 'CertificateSigningRequestSpec']: { groups: atomic, usages: { ...atomic, enum: 'certificates.v1.KeyUsage' } },
  [CERTIFICATES + 'CertificateSigningRequestStatus']: { conditions: mapBy('type') },

  // flowcontrol.v1
  [FLOWCONTROL + 'FlowSchemaSpec']: { rules: atomic },
  [FLOWCONTROL + 'FlowSchemaStatus']: { conditions: mergeBy('type') },
  [FLOWCONTROL + 'NonResourcePolicyRule']: { nonResourceURLs: set, verbs: set },
  [FLOWCONTROL + 'PolicyRulesWithSubjects']: { nonResourceRules: atomic, resourceRules: atomic, subjects: atomic },
  [FLOWCONTROL + 'PriorityLevelConfigurationStatus']: { conditions: mergeBy('type') },
  [FLOWCONTROL + 'ResourcePolicyRule']: { apiGroups: set, namespaces: set, resources: set, verbs: set },

  // node.v1
  [NODE + 'Scheduling']: { nodeSelector: { mapType: 'atomic' }, tolerations: atomic },

  // scheduling.v1
  [SCHEDULING + 'PriorityClass']: { preemptionPolicy: { enum: 'core.v1.PreemptionPolicy' } },

  // io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1
  [APIEXTENSIONS + 'CustomResourceDefinitionNames']: { categories: atomic, shortNames: atomic },
  [APIEXTENSIONS + 'CustomResourceDefinitionSpec']: { versions: atomic },
  [APIEXTENSIONS + 'CustomResourceDefinitionStatus']: { conditions: mapBy('type'), storedVersions: atomic },
  [APIEXTENSIONS + 'CustomResourceDefinitionVersion']: { additionalPrinterColumns: atomic, selectableFields: atomic },
  [APIEXTENSIONS + 'WebhookConversion']: { conversionReviewVersions: atomic },

  // io.k8s.kube-aggregator.pkg.apis.apiregistration.v1
  [APIREGISTRATION + 'APIServiceStatus']: { conditions: mergeBy('type') },
};

/** Per definition: `+structType=atomic`, published as the type's `x-kubernetes-map-type`. */
export const DEFINITION_EXTENSIONS: Readonly<Record<string, { readonly mapType: 'atomic' | 'granular' }>> = {
  [CORE + 'ConfigMapKeySelector']: { mapType: 'atomic' },
  [CORE + 'EndpointAddress']: { mapType: 'atomic' },
  [CORE + 'EndpointPort']: { mapType: 'atomic' },
  [CORE + 'LocalObjectReference']: { mapType: 'atomic' },
  [CORE + 'NodeSelector']: { mapType: 'atomic' },
  [CORE + 'NodeSelectorTerm']: { mapType: 'atomic' },
  [CORE + 'ObjectFieldSelector']: { mapType: 'atomic' },
  [CORE + 'ObjectReference']: { mapType: 'atomic' },
  [CORE + 'ResourceFieldSelector']: { mapType: 'atomic' },
  [CORE + 'ScopeSelector']: { mapType: 'atomic' },
  [CORE + 'SecretKeySelector']: { mapType: 'atomic' },
  [CORE + 'SecretReference']: { mapType: 'atomic' },
  [CORE + 'TopologySelectorTerm']: { mapType: 'atomic' },
  [CORE + 'TypedLocalObjectReference']: { mapType: 'atomic' },
  [META + 'LabelSelector']: { mapType: 'atomic' },
  [META + 'OwnerReference']: { mapType: 'atomic' },
  [ADMISSION + 'MatchResources']: { mapType: 'atomic' },
  [ADMISSION + 'NamedRuleWithOperations']: { mapType: 'atomic' },
  [ADMISSION + 'ParamKind']: { mapType: 'atomic' },
  [ADMISSION + 'ParamRef']: { mapType: 'atomic' },
  [NETWORKING + 'ServiceBackendPort']: { mapType: 'atomic' },
  [DISCOVERY + 'EndpointPort']: { mapType: 'atomic' },
  [RBAC + 'RoleRef']: { mapType: 'atomic' },
  [RBAC + 'Subject']: { mapType: 'atomic' },
};

/**
 * List-map key fields upstream publishes without a `default`: their Go fields are
 * omitempty. Every other key field gets its zero value from the generator.
 */
export const LIST_MAP_KEYS_WITHOUT_DEFAULT: readonly string[] = [FLOWCONTROL + 'FlowSchemaCondition.type', FLOWCONTROL + 'PriorityLevelConfigurationCondition.type'];

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

const JSON_SCHEMA_PROPS = APIEXTENSIONS + 'JSONSchemaProps';

const RULE_RESOURCES: Schema = {
  type: 'array',
  items: { type: 'string' },
  description:
    'Resources lists the resources the rule matches: "pods", a subresource as "pods/log", "*" for every resource (not subresources), "pods/*" for every subresource of pods, "*/scale" for every scale subresource, "*/*" for all. Required.',
};
const RULE_SCOPE: Schema = {
  type: 'string',
  description:
    'Scope restricts the rule to "Cluster"-scoped or "Namespaced" resources; "*" (the default) matches both. A subresource has the scope of its resource.',
};

/**
 * Properties upstream has and the typings lack. JSONSchemaProps' `x-kubernetes-*`
 * fields are what CRD authors write every day (preserve-unknown-fields, int-or-string,
 * list types, CEL validations).
 */
export const EXTRA_PROPERTIES: Readonly<Record<string, Readonly<Record<string, Schema>>>> = {
  // The typings drop these fields of the inlined admissionregistration Rule.
  [ADMISSION + 'RuleWithOperations']: { resources: RULE_RESOURCES, scope: RULE_SCOPE },
  [ADMISSION + 'NamedRuleWithOperations']: { resources: RULE_RESOURCES, scope: RULE_SCOPE },
  [AUTHORIZATION + 'ResourceRule']: {
    resources: {
      type: 'array',
      items: { type: 'string' },
      description: 'Resources lists the resources the rule covers, a subresource written as "resource/subresource"; "*" covers all.',
    },
    verbs: { type: 'array', items: { type: 'string' }, description: 'Verbs lists the verbs the rule allows on those resources; "*" allows all.' },
  },
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

/** Required fields the typings leave out (they dropped the property itself). */
export const EXTRA_REQUIRED: Readonly<Record<string, readonly string[]>> = {
  [AUTHORIZATION + 'ResourceRule']: ['verbs'],
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

/**
 * Kinds upstream 1.32 publishes that the 1.30 typings predate, by proto package. The
 * generator builds them (and their List kinds) from the protobuf schema. None is served
 * by kubelite yet; their definitions keep the documents complete for clients and tools
 * that read the whole set.
 */
export const NEW_KINDS: readonly NewKind[] = [
  { group: 'admissionregistration.k8s.io', version: 'v1alpha1', kind: 'MutatingAdmissionPolicy', package: 'k8s.io.api.admissionregistration.v1alpha1' },
  { group: 'admissionregistration.k8s.io', version: 'v1alpha1', kind: 'MutatingAdmissionPolicyBinding', package: 'k8s.io.api.admissionregistration.v1alpha1' },
  { group: 'coordination.k8s.io', version: 'v1alpha2', kind: 'LeaseCandidate', package: 'k8s.io.api.coordination.v1alpha2' },
  { group: 'networking.k8s.io', version: 'v1beta1', kind: 'IPAddress', package: 'k8s.io.api.networking.v1beta1' },
  { group: 'networking.k8s.io', version: 'v1beta1', kind: 'ServiceCIDR', package: 'k8s.io.api.networking.v1beta1' },
  { group: 'resource.k8s.io', version: 'v1alpha3', kind: 'DeviceClass', package: 'k8s.io.api.resource.v1alpha3' },
  { group: 'resource.k8s.io', version: 'v1alpha3', kind: 'ResourceClaim', package: 'k8s.io.api.resource.v1alpha3' },
  { group: 'resource.k8s.io', version: 'v1alpha3', kind: 'ResourceClaimTemplate', package: 'k8s.io.api.resource.v1alpha3' },
  { group: 'resource.k8s.io', version: 'v1alpha3', kind: 'ResourceSlice', package: 'k8s.io.api.resource.v1alpha3' },
  { group: 'resource.k8s.io', version: 'v1beta1', kind: 'DeviceClass', package: 'k8s.io.api.resource.v1beta1' },
  { group: 'resource.k8s.io', version: 'v1beta1', kind: 'ResourceClaim', package: 'k8s.io.api.resource.v1beta1' },
  { group: 'resource.k8s.io', version: 'v1beta1', kind: 'ResourceClaimTemplate', package: 'k8s.io.api.resource.v1beta1' },
  { group: 'resource.k8s.io', version: 'v1beta1', kind: 'ResourceSlice', package: 'k8s.io.api.resource.v1beta1' },
  { group: 'storage.k8s.io', version: 'v1beta1', kind: 'VolumeAttributesClass', package: 'k8s.io.api.storage.v1beta1' },
];

/** Fields the 1.30 typings have that upstream removed by 1.32 (absent from the protobuf schema). */
export const REMOVED_PROPERTIES: readonly string[] = [
  // 1.31 replaced the `source` struct by its two members (resourceClaimName, resourceClaimTemplateName).
  CORE + 'PodResourceClaim.source',
];

/**
 * Descriptions of what the protobuf schema adds (which carries none), by definition and
 * property; '' is the definition's own. Written for kubelite, short and factual.
 */
export const ADDED_DESCRIPTIONS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  [CORE + 'ContainerStatus']: {
    allocatedResourcesStatus:
      'Health of the resources allocated to the container (device plugin resources and DRA claims), one entry per resource name. Reported with the ResourceHealthStatus feature gate.',
    user: 'The identity the container\'s first process runs as, as reported by the container runtime.',
  },
  [CORE + 'ContainerUser']: {
    '': 'The identity a container\'s process runs as.',
    linux: 'The Linux identity: UID, GID and supplemental groups.',
  },
  [CORE + 'LinuxContainerUser']: {
    '': 'A Linux process identity.',
    gid: 'The primary group ID.',
    supplementalGroups: 'The supplemental group IDs.',
    uid: 'The user ID.',
  },
  [CORE + 'ImageVolumeSource']: {
    '': 'An OCI image or artifact mounted read-only as a volume.',
    pullPolicy: 'When the kubelet pulls the image: Always, Never or IfNotPresent. Defaults to Always for the :latest tag or no tag, IfNotPresent otherwise.',
    reference: 'The image or artifact reference, as for a container image.',
  },
  [CORE + 'NodeFeatures']: {
    '': 'Features the node\'s container runtime (CRI) implements.',
    supplementalGroupsPolicy: 'Whether the runtime honours a pod\'s securityContext.supplementalGroupsPolicy.',
  },
  [CORE + 'NodeRuntimeHandlerFeatures']: { userNamespaces: 'Whether the runtime handler supports user namespaces for pods, volumes included.' },
  [CORE + 'NodeStatus']: { features: 'Features the node\'s container runtime implements.' },
  [CORE + 'PodResourceClaim']: {
    resourceClaimName: 'Name of an existing ResourceClaim in the pod\'s namespace. Exactly one of resourceClaimName and resourceClaimTemplateName is set.',
    resourceClaimTemplateName:
      'Name of a ResourceClaimTemplate in the pod\'s namespace: a ResourceClaim is created from it for this pod and deleted with it. Exactly one of resourceClaimName and resourceClaimTemplateName is set.',
  },
  [CORE + 'PodSecurityContext']: {
    seLinuxChangePolicy:
      'How the SELinux label reaches the pod\'s volumes: "Recursive" relabels every file, "MountOption" mounts eligible volumes with the context mount option. Cannot be set for Windows pods.',
    supplementalGroupsPolicy:
      'How the supplemental groups of each container\'s first process are computed: "Merge" (the default) adds supplementalGroups and fsGroup to the groups the image gives the user, "Strict" uses supplementalGroups and fsGroup only. Cannot be set for Windows pods.',
  },
  [CORE + 'PodSpec']: {
    resources:
      'Pod-level compute resources: requests and limits for the pod as a whole, which its containers share (cpu and memory). Needs the PodLevelResources feature gate.',
  },
  [CORE + 'ResourceClaim']: { request: 'The name of one request of the claim to expose to the container; empty exposes the whole claim.' },
  [CORE + 'ResourceHealth']: {
    '': 'The health of one allocated resource.',
    health: 'Healthy, Unhealthy or Unknown.',
    resourceID: 'Identifies the resource: the device ID for a device plugin, the pool and device for a DRA driver.',
  },
  [CORE + 'ResourceStatus']: {
    '': 'The health of the resources allocated under one name.',
    name: 'The resource name from the container\'s resources, or "claim:<claim>/<request>" for a DRA claim.',
    resources: 'One entry per allocated resource, keyed by resourceID.',
  },
  [CORE + 'Volume']: { image: 'An OCI image or artifact whose content is mounted read-only (the ImageVolume feature gate).' },
  [META + 'DeleteOptions']: {
    ignoreStoreReadErrorWithClusterBreakingPotential:
      'Delete the object even though its stored data cannot be read (corrupt or undecryptable), skipping finalizers and admission. This may break the cluster. Needs the delete-ignore-read-errors verb on the resource.',
  },
  [META + 'FieldSelectorRequirement']: {
    '': 'One requirement of a field selector: a key, an operator and values.',
    key: 'The field path the requirement applies to.',
    operator: 'In, NotIn, Exists or DoesNotExist.',
    values: 'The values for In and NotIn; empty for Exists and DoesNotExist.',
  },
  [AUTHORIZATION + 'FieldSelectorAttributes']: {
    '': 'The field selector of the request being authorized.',
    rawSelector: 'The selector as written in the request\'s query; set this or requirements.',
    requirements: 'The selector parsed into requirements; set this or rawSelector.',
  },
  [AUTHORIZATION + 'LabelSelectorAttributes']: {
    '': 'The label selector of the request being authorized.',
    rawSelector: 'The selector as written in the request\'s query; set this or requirements.',
    requirements: 'The selector parsed into requirements; set this or rawSelector.',
  },
  [AUTHORIZATION + 'ResourceAttributes']: {
    fieldSelector: 'The field selector of the list or watch request being authorized.',
    labelSelector: 'The label selector of the list or watch request being authorized.',
  },
  [COORDINATION + 'LeaseSpec']: {
    preferredHolder: 'The identity coordinated leader election wants to hold the lease next; the current holder should release it.',
    strategy: 'How coordinated leader election picks the holder (OldestEmulationVersion).',
  },
  [ADMISSION_V1ALPHA1 + 'NamedRuleWithOperations']: { resources: RULE_RESOURCES.description ?? '', scope: RULE_SCOPE.description ?? '' },
  [ADMISSION_V1BETA1 + 'NamedRuleWithOperations']: { resources: RULE_RESOURCES.description ?? '', scope: RULE_SCOPE.description ?? '' },
};
