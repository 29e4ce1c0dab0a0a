/**
 * The table of every built-in resource kubelite serves, with the facts a Kubernetes
 * 1.32 API server publishes about it: kind, plural, singular, scope, short names,
 * categories, verbs and subresources.
 *
 * Where the facts come from: upstream's discovery fixtures in kubernetes/kubernetes
 * `api/discovery/` (`api__v1.json`, `apis__<group>__<version>.json`, `apis.json`,
 * `aggregated_v2.json`), cross-checked against the release each resource went GA in,
 * because the stored fixtures span several releases. Resources newer than 1.32 are left
 * out on purpose (networking.k8s.io/v1 ipaddresses + servicecidrs are 1.33,
 * storage.k8s.io/v1 volumeattributesclasses is 1.34); pods/checkpoint is not upstream.
 *
 * Storage layout: objects live under `/registry/<storageResource>/<namespace>/<name>`
 * (cluster-scoped ones under `/registry/<storageResource>/<name>`). The rule:
 *   - storageResource is the plural;
 *   - one resource served in several places shares one storageResource (core v1 and
 *     events.k8s.io/v1 events share `events`; autoscaling v1 and v2 HPAs share
 *     `horizontalpodautoscalers`), so every version sees the same objects;
 *   - were two *different* resources of different groups to share a plural, the
 *     non-core one would get `<group>/<plural>` (upstream does this for
 *     `apiregistration.k8s.io/apiservices` and `apiextensions.k8s.io/...`). No two
 *     built-ins collide today; resources.test.ts checks that.
 * Upstream's own etcd keys keep some historical names (nodes under `minions`, services
 * under `services/specs`, replicationcontrollers under `controllers`); kubelite does not
 * copy those, because nothing outside the API server reads the keys.
 */

import type { GroupVersion, ResourceInfo, SubresourceInfo, Verb } from './types.js';

/** Every verb a stored resource answers, sorted as discovery lists them. */
const CRUD: Verb[] = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
const GET_PATCH_UPDATE: Verb[] = ['get', 'patch', 'update'];
const PROXY_VERBS: Verb[] = ['create', 'delete', 'get', 'patch', 'update'];

/**
 * Groups in the order upstream's /apis lists them (aggregator priority order, from
 * `api/discovery/apis.json`), each with its versions, preferred first.
 */
export const GROUP_ORDER: readonly { group: string; versions: readonly string[] }[] = deepFreeze([
  { group: '', versions: ['v1'] },
  { group: 'apiregistration.k8s.io', versions: ['v1'] },
  { group: 'apps', versions: ['v1'] },
  { group: 'events.k8s.io', versions: ['v1'] },
  { group: 'authentication.k8s.io', versions: ['v1'] },
  { group: 'authorization.k8s.io', versions: ['v1'] },
  { group: 'autoscaling', versions: ['v2', 'v1'] },
  { group: 'batch', versions: ['v1'] },
  { group: 'certificates.k8s.io', versions: ['v1'] },
  { group: 'networking.k8s.io', versions: ['v1'] },
  { group: 'policy', versions: ['v1'] },
  { group: 'rbac.authorization.k8s.io', versions: ['v1'] },
  { group: 'storage.k8s.io', versions: ['v1'] },
  { group: 'admissionregistration.k8s.io', versions: ['v1'] },
  { group: 'apiextensions.k8s.io', versions: ['v1'] },
  { group: 'scheduling.k8s.io', versions: ['v1'] },
  { group: 'coordination.k8s.io', versions: ['v1'] },
  { group: 'node.k8s.io', versions: ['v1'] },
  { group: 'discovery.k8s.io', versions: ['v1'] },
  { group: 'flowcontrol.apiserver.k8s.io', versions: ['v1'] },
]);

function status(kind: string): SubresourceInfo {
  return { name: 'status', kind, verbs: [...GET_PATCH_UPDATE] };
}

function scale(): SubresourceInfo {
  return { name: 'scale', kind: 'Scale', group: 'autoscaling', version: 'v1', verbs: [...GET_PATCH_UPDATE] };
}

interface Def {
  kind: string;
  resource: string;
  namespaced: boolean;
  verbs?: Verb[];
  shortNames?: string[];
  categories?: string[];
  subresources?: SubresourceInfo[];
  nameValidation?: ResourceInfo['nameValidation'];
  strictNameValidation?: ResourceInfo['strictNameValidation'];
  virtual?: boolean;
  storageResource?: string;
  storageVersion?: GroupVersion;
}

/** Fills in what upstream derives: singular = lower-cased kind, listKind = kind + 'List'. */
function group(gv: string, defs: Def[]): ResourceInfo[] {
  const slash = gv.indexOf('/');
  const g = slash < 0 ? '' : gv.slice(0, slash);
  const v = slash < 0 ? gv : gv.slice(slash + 1);
  const order = GROUP_ORDER.find((e) => e.group === g);
  if (order === undefined || !order.versions.includes(v)) throw new Error(`resources: ${gv} missing from GROUP_ORDER`);
  const preferred = order.versions[0] === v;
  return defs.map((d) => {
    const info: ResourceInfo = {
      group: g,
      version: v,
      kind: d.kind,
      resource: d.resource,
      singular: d.kind.toLowerCase(),
      namespaced: d.namespaced,
      shortNames: d.shortNames ?? [],
      categories: d.categories ?? [],
      verbs: d.verbs ?? [...CRUD],
      subresources: d.subresources ?? [],
      listKind: `${d.kind}List`,
      storageResource: d.storageResource ?? d.resource,
      nameValidation: d.nameValidation ?? 'dns1123-subdomain',
      preferredVersion: preferred,
    };
    if (d.strictNameValidation !== undefined) info.strictNameValidation = d.strictNameValidation;
    if (d.virtual === true) info.virtual = true;
    if (d.storageVersion !== undefined) info.storageVersion = d.storageVersion;
    return info;
  });
}

const hpa: Def = {
  kind: 'HorizontalPodAutoscaler',
  resource: 'horizontalpodautoscalers',
  namespaced: true,
  shortNames: ['hpa'],
  categories: ['all'],
  subresources: [status('HorizontalPodAutoscaler')],
  // 1.32 stores HPAs as autoscaling/v2 (storageVersionHash "qwQve8ut294=" in both versions).
  storageVersion: { group: 'autoscaling', version: 'v2' },
};

const rbacName = { nameValidation: 'path-segment' } as const;
const apiExtensions = ['api-extensions'];

/** Every built-in resource, grouped as upstream lists them, resources sorted by plural. */
export const RESOURCES: readonly ResourceInfo[] = deepFreeze([
  ...group('v1', [
    { kind: 'Binding', resource: 'bindings', namespaced: true, verbs: ['create'], virtual: true },
    {
      kind: 'ComponentStatus',
      resource: 'componentstatuses',
      namespaced: false,
      verbs: ['get', 'list'],
      shortNames: ['cs'],
      virtual: true,
    },
    { kind: 'ConfigMap', resource: 'configmaps', namespaced: true, shortNames: ['cm'] },
    { kind: 'Endpoints', resource: 'endpoints', namespaced: true, shortNames: ['ep'] },
    { kind: 'Event', resource: 'events', namespaced: true, shortNames: ['ev'] },
    { kind: 'LimitRange', resource: 'limitranges', namespaced: true, shortNames: ['limits'] },
    {
      kind: 'Namespace',
      resource: 'namespaces',
      namespaced: false,
      // No deletecollection on namespaces.
      verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
      shortNames: ['ns'],
      subresources: [{ name: 'finalize', kind: 'Namespace', verbs: ['update'] }, status('Namespace')],
      nameValidation: 'dns1123-label',
    },
    {
      kind: 'Node',
      resource: 'nodes',
      namespaced: false,
      shortNames: ['no'],
      subresources: [{ name: 'proxy', kind: 'NodeProxyOptions', verbs: [...PROXY_VERBS] }, status('Node')],
    },
    {
      kind: 'PersistentVolumeClaim',
      resource: 'persistentvolumeclaims',
      namespaced: true,
      shortNames: ['pvc'],
      subresources: [status('PersistentVolumeClaim')],
    },
    {
      kind: 'PersistentVolume',
      resource: 'persistentvolumes',
      namespaced: false,
      shortNames: ['pv'],
      subresources: [status('PersistentVolume')],
    },
    {
      kind: 'Pod',
      resource: 'pods',
      namespaced: true,
      shortNames: ['po'],
      categories: ['all'],
      subresources: [
        { name: 'attach', kind: 'PodAttachOptions', verbs: ['create', 'get'] },
        { name: 'binding', kind: 'Binding', verbs: ['create'] },
        { name: 'ephemeralcontainers', kind: 'Pod', verbs: [...GET_PATCH_UPDATE] },
        { name: 'eviction', kind: 'Eviction', group: 'policy', version: 'v1', verbs: ['create'] },
        { name: 'exec', kind: 'PodExecOptions', verbs: ['create', 'get'] },
        { name: 'log', kind: 'Pod', verbs: ['get'] },
        { name: 'portforward', kind: 'PodPortForwardOptions', verbs: ['create', 'get'] },
        { name: 'proxy', kind: 'PodProxyOptions', verbs: [...PROXY_VERBS] },
        // Registered only while InPlacePodVerticalScaling is on (alpha, off by default, in 1.32).
        { name: 'resize', kind: 'Pod', verbs: [...GET_PATCH_UPDATE], featureGate: 'InPlacePodVerticalScaling' },
        status('Pod'),
      ],
    },
    { kind: 'PodTemplate', resource: 'podtemplates', namespaced: true },
    {
      kind: 'ReplicationController',
      resource: 'replicationcontrollers',
      namespaced: true,
      shortNames: ['rc'],
      categories: ['all'],
      subresources: [scale(), status('ReplicationController')],
    },
    {
      kind: 'ResourceQuota',
      resource: 'resourcequotas',
      namespaced: true,
      shortNames: ['quota'],
      subresources: [status('ResourceQuota')],
    },
    { kind: 'Secret', resource: 'secrets', namespaced: true },
    {
      kind: 'ServiceAccount',
      resource: 'serviceaccounts',
      namespaced: true,
      shortNames: ['sa'],
      subresources: [
        { name: 'token', kind: 'TokenRequest', group: 'authentication.k8s.io', version: 'v1', verbs: ['create'] },
      ],
    },
    {
      kind: 'Service',
      resource: 'services',
      namespaced: true,
      shortNames: ['svc'],
      categories: ['all'],
      subresources: [{ name: 'proxy', kind: 'ServiceProxyOptions', verbs: [...PROXY_VERBS] }, status('Service')],
      nameValidation: 'dns1123-label',
      strictNameValidation: 'dns1035-label',
    },
  ]),
  ...group('apiregistration.k8s.io/v1', [
    {
      kind: 'APIService',
      resource: 'apiservices',
      namespaced: false,
      categories: apiExtensions,
      subresources: [status('APIService')],
      // Names are "<version>.<group>" (the core one is "v1."), checked by the strategy.
      nameValidation: 'path-segment',
    },
  ]),
  ...group('apps/v1', [
    { kind: 'ControllerRevision', resource: 'controllerrevisions', namespaced: true },
    {
      kind: 'DaemonSet',
      resource: 'daemonsets',
      namespaced: true,
      shortNames: ['ds'],
      categories: ['all'],
      subresources: [status('DaemonSet')],
    },
    {
      kind: 'Deployment',
      resource: 'deployments',
      namespaced: true,
      shortNames: ['deploy'],
      categories: ['all'],
      subresources: [scale(), status('Deployment')],
    },
    {
      kind: 'ReplicaSet',
      resource: 'replicasets',
      namespaced: true,
      shortNames: ['rs'],
      categories: ['all'],
      subresources: [scale(), status('ReplicaSet')],
    },
    {
      kind: 'StatefulSet',
      resource: 'statefulsets',
      namespaced: true,
      shortNames: ['sts'],
      categories: ['all'],
      subresources: [scale(), status('StatefulSet')],
      // DNS label since 1.27: the name becomes each pod's hostname.
      nameValidation: 'dns1123-label',
    },
  ]),
  ...group('events.k8s.io/v1', [
    {
      kind: 'Event',
      resource: 'events',
      namespaced: true,
      shortNames: ['ev'],
      storageResource: 'events',
      storageVersion: { group: '', version: 'v1' },
    },
  ]),
  ...group('authentication.k8s.io/v1', [
    { kind: 'SelfSubjectReview', resource: 'selfsubjectreviews', namespaced: false, verbs: ['create'], virtual: true },
    { kind: 'TokenReview', resource: 'tokenreviews', namespaced: false, verbs: ['create'], virtual: true },
  ]),
  ...group('authorization.k8s.io/v1', [
    {
      kind: 'LocalSubjectAccessReview',
      resource: 'localsubjectaccessreviews',
      namespaced: true,
      verbs: ['create'],
      virtual: true,
    },
    {
      kind: 'SelfSubjectAccessReview',
      resource: 'selfsubjectaccessreviews',
      namespaced: false,
      verbs: ['create'],
      virtual: true,
    },
    {
      kind: 'SelfSubjectRulesReview',
      resource: 'selfsubjectrulesreviews',
      namespaced: false,
      verbs: ['create'],
      virtual: true,
    },
    { kind: 'SubjectAccessReview', resource: 'subjectaccessreviews', namespaced: false, verbs: ['create'], virtual: true },
  ]),
  ...group('autoscaling/v2', [hpa]),
  ...group('autoscaling/v1', [hpa]),
  ...group('batch/v1', [
    {
      kind: 'CronJob',
      resource: 'cronjobs',
      namespaced: true,
      shortNames: ['cj'],
      categories: ['all'],
      subresources: [status('CronJob')],
    },
    { kind: 'Job', resource: 'jobs', namespaced: true, categories: ['all'], subresources: [status('Job')] },
  ]),
  ...group('certificates.k8s.io/v1', [
    {
      kind: 'CertificateSigningRequest',
      resource: 'certificatesigningrequests',
      namespaced: false,
      shortNames: ['csr'],
      subresources: [
        { name: 'approval', kind: 'CertificateSigningRequest', verbs: [...GET_PATCH_UPDATE] },
        status('CertificateSigningRequest'),
      ],
      // Upstream does not care what a CSR is called beyond being a valid path segment.
      nameValidation: 'path-segment',
    },
  ]),
  ...group('networking.k8s.io/v1', [
    { kind: 'IngressClass', resource: 'ingressclasses', namespaced: false },
    {
      kind: 'Ingress',
      resource: 'ingresses',
      namespaced: true,
      shortNames: ['ing'],
      subresources: [status('Ingress')],
    },
    { kind: 'NetworkPolicy', resource: 'networkpolicies', namespaced: true, shortNames: ['netpol'] },
  ]),
  ...group('policy/v1', [
    {
      kind: 'PodDisruptionBudget',
      resource: 'poddisruptionbudgets',
      namespaced: true,
      shortNames: ['pdb'],
      subresources: [status('PodDisruptionBudget')],
    },
  ]),
  ...group('rbac.authorization.k8s.io/v1', [
    { kind: 'ClusterRoleBinding', resource: 'clusterrolebindings', namespaced: false, ...rbacName },
    { kind: 'ClusterRole', resource: 'clusterroles', namespaced: false, ...rbacName },
    { kind: 'RoleBinding', resource: 'rolebindings', namespaced: true, ...rbacName },
    { kind: 'Role', resource: 'roles', namespaced: true, ...rbacName },
  ]),
  ...group('storage.k8s.io/v1', [
    // CSIDriver names follow the CSI driver-name rule (<= 63 chars, may hold upper case);
    // the strategy checks that beyond this coarse class.
    { kind: 'CSIDriver', resource: 'csidrivers', namespaced: false },
    { kind: 'CSINode', resource: 'csinodes', namespaced: false },
    { kind: 'CSIStorageCapacity', resource: 'csistoragecapacities', namespaced: true },
    { kind: 'StorageClass', resource: 'storageclasses', namespaced: false, shortNames: ['sc'] },
    {
      kind: 'VolumeAttachment',
      resource: 'volumeattachments',
      namespaced: false,
      subresources: [status('VolumeAttachment')],
    },
  ]),
  ...group('admissionregistration.k8s.io/v1', [
    {
      kind: 'MutatingWebhookConfiguration',
      resource: 'mutatingwebhookconfigurations',
      namespaced: false,
      categories: apiExtensions,
    },
    {
      kind: 'ValidatingAdmissionPolicy',
      resource: 'validatingadmissionpolicies',
      namespaced: false,
      categories: apiExtensions,
      subresources: [status('ValidatingAdmissionPolicy')],
    },
    {
      kind: 'ValidatingAdmissionPolicyBinding',
      resource: 'validatingadmissionpolicybindings',
      namespaced: false,
      categories: apiExtensions,
    },
    {
      kind: 'ValidatingWebhookConfiguration',
      resource: 'validatingwebhookconfigurations',
      namespaced: false,
      categories: apiExtensions,
    },
  ]),
  ...group('apiextensions.k8s.io/v1', [
    {
      kind: 'CustomResourceDefinition',
      resource: 'customresourcedefinitions',
      namespaced: false,
      shortNames: ['crd', 'crds'],
      categories: apiExtensions,
      subresources: [status('CustomResourceDefinition')],
      // Upstream still encodes CRDs as v1beta1 in etcd (storageVersionHash "jfWCUB31mvA=").
      storageVersion: { group: 'apiextensions.k8s.io', version: 'v1beta1' },
    },
  ]),
  ...group('scheduling.k8s.io/v1', [
    { kind: 'PriorityClass', resource: 'priorityclasses', namespaced: false, shortNames: ['pc'] },
  ]),
  ...group('coordination.k8s.io/v1', [{ kind: 'Lease', resource: 'leases', namespaced: true }]),
  ...group('node.k8s.io/v1', [{ kind: 'RuntimeClass', resource: 'runtimeclasses', namespaced: false }]),
  ...group('discovery.k8s.io/v1', [{ kind: 'EndpointSlice', resource: 'endpointslices', namespaced: true }]),
  ...group('flowcontrol.apiserver.k8s.io/v1', [
    { kind: 'FlowSchema', resource: 'flowschemas', namespaced: false, subresources: [status('FlowSchema')] },
    {
      kind: 'PriorityLevelConfiguration',
      resource: 'prioritylevelconfigurations',
      namespaced: false,
      subresources: [status('PriorityLevelConfiguration')],
    },
  ]),
]);

// ---- lookups --------------------------------------------------------------------

function gvKey(group: string, version: string): string {
  return `${group}/${version}`;
}

const byResource = new Map<string, ResourceInfo>();
const byKind = new Map<string, ResourceInfo>();
const byGroupVersion = new Map<string, ResourceInfo[]>();
for (const r of RESOURCES) {
  const gv = gvKey(r.group, r.version);
  byResource.set(`${gv}/${r.resource}`, r);
  byKind.set(`${gv}/${r.kind}`, r);
  const list = byGroupVersion.get(gv);
  if (list === undefined) byGroupVersion.set(gv, [r]);
  else list.push(r);
}
for (const list of byGroupVersion.values()) Object.freeze(list);

/** The resource served at /apis/<group>/<version>/<resource> (plural, no subresource). */
export function findResource(group: string, version: string, resource: string): ResourceInfo | undefined {
  return byResource.get(`${gvKey(group, version)}/${resource}`);
}

/** The resource whose objects are of this kind in this group/version. */
export function findByKind(group: string, version: string, kind: string): ResourceInfo | undefined {
  return byKind.get(`${gvKey(group, version)}/${kind}`);
}

/** A subresource of a resource, by name ('status', 'scale', 'log', ...). */
export function findSubresource(info: ResourceInfo, name: string): SubresourceInfo | undefined {
  return info.subresources.find((s) => s.name === name);
}

/** The resources of one group/version, sorted by plural; empty when not served. */
export function resourcesFor(group: string, version: string): readonly ResourceInfo[] {
  return byGroupVersion.get(gvKey(group, version)) ?? [];
}

export interface ServedGroupVersion extends GroupVersion {
  /** True for the version discovery prefers in its group. */
  preferred: boolean;
}

const servedGroupVersions: readonly ServedGroupVersion[] = deepFreeze(
  GROUP_ORDER.flatMap((g) => g.versions.map((version, i) => ({ group: g.group, version, preferred: i === 0 }))),
);

/**
 * Every served group/version in upstream's order: core v1 first, then the groups as
 * /apis lists them, each group's versions preferred first.
 */
export function groupVersions(): readonly ServedGroupVersion[] {
  return servedGroupVersions;
}

/** The preferred version of a group ('' = core), or undefined when the group is not served. */
export function preferredVersion(group: string): string | undefined {
  return GROUP_ORDER.find((g) => g.group === group)?.versions[0];
}

/**
 * The storage key of one object, upstream's layout `/registry/<storageResource>/<ns>/<name>`;
 * cluster-scoped objects (and namespaced ones listed across namespaces, with name
 * omitted) drop the missing segments. See the file comment for the storageResource rule.
 */
export function storageKey(info: ResourceInfo, namespace?: string, name?: string): string {
  let key = `/registry/${info.storageResource}`;
  if (info.namespaced && namespace !== undefined && namespace !== '') key += `/${namespace}`;
  if (name !== undefined && name !== '') key += `/${name}`;
  return key;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
