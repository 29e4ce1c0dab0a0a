import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  GROUP_ORDER,
  RESOURCES,
  findByKind,
  findResource,
  findSubresource,
  groupVersions,
  preferredVersion,
  resourcesFor,
  storageKey,
} from './resources.js';

/**
 * What upstream's discovery fixtures (kubernetes/kubernetes api/discovery/*.json) say
 * a 1.32 server serves: "<group/version> <plural> <Kind> <N|C> <shortNames> <categories>",
 * "-" for none. Resources newer than 1.32 are deliberately absent.
 */
const UPSTREAM = `
v1 bindings Binding N - -
v1 componentstatuses ComponentStatus C cs -
v1 configmaps ConfigMap N cm -
v1 endpoints Endpoints N ep -
v1 events Event N ev -
v1 limitranges LimitRange N limits -
v1 namespaces Namespace C ns -
v1 nodes Node C no -
v1 persistentvolumeclaims PersistentVolumeClaim N pvc -
v1 persistentvolumes PersistentVolume C pv -
v1 pods Pod N po all
v1 podtemplates PodTemplate N - -
v1 replicationcontrollers ReplicationController N rc all
v1 resourcequotas ResourceQuota N quota -
v1 secrets Secret N - -
v1 serviceaccounts ServiceAccount N sa -
v1 services Service N svc all
apiregistration.k8s.io/v1 apiservices APIService C - api-extensions
apps/v1 controllerrevisions ControllerRevision N - -
apps/v1 daemonsets DaemonSet N ds all
apps/v1 deployments Deployment N deploy all
apps/v1 replicasets ReplicaSet N rs all
apps/v1 statefulsets StatefulSet N sts all
events.k8s.io/v1 events Event N ev -
authentication.k8s.io/v1 selfsubjectreviews SelfSubjectReview C - -
authentication.k8s.io/v1 tokenreviews TokenReview C - -
authorization.k8s.io/v1 localsubjectaccessreviews LocalSubjectAccessReview N - -
authorization.k8s.io/v1 selfsubjectaccessreviews SelfSubjectAccessReview C - -
authorization.k8s.io/v1 selfsubjectrulesreviews SelfSubjectRulesReview C - -
authorization.k8s.io/v1 subjectaccessreviews SubjectAccessReview C - -
autoscaling/v2 horizontalpodautoscalers HorizontalPodAutoscaler N hpa all
autoscaling/v1 horizontalpodautoscalers HorizontalPodAutoscaler N hpa all
batch/v1 cronjobs CronJob N cj all
batch/v1 jobs Job N - all
certificates.k8s.io/v1 certificatesigningrequests CertificateSigningRequest C csr -
networking.k8s.io/v1 ingressclasses IngressClass C - -
networking.k8s.io/v1 ingresses Ingress N ing -
networking.k8s.io/v1 networkpolicies NetworkPolicy N netpol -
policy/v1 poddisruptionbudgets PodDisruptionBudget N pdb -
rbac.authorization.k8s.io/v1 clusterrolebindings ClusterRoleBinding C - -
rbac.authorization.k8s.io/v1 clusterroles ClusterRole C - -
rbac.authorization.k8s.io/v1 rolebindings RoleBinding N - -
rbac.authorization.k8s.io/v1 roles Role N - -
storage.k8s.io/v1 csidrivers CSIDriver C - -
storage.k8s.io/v1 csinodes CSINode C - -
storage.k8s.io/v1 csistoragecapacities CSIStorageCapacity N - -
storage.k8s.io/v1 storageclasses StorageClass C sc -
storage.k8s.io/v1 volumeattachments VolumeAttachment C - -
admissionregistration.k8s.io/v1 mutatingwebhookconfigurations MutatingWebhookConfiguration C - api-extensions
admissionregistration.k8s.io/v1 validatingadmissionpolicies ValidatingAdmissionPolicy C - api-extensions
admissionregistration.k8s.io/v1 validatingadmissionpolicybindings ValidatingAdmissionPolicyBinding C - api-extensions
admissionregistration.k8s.io/v1 validatingwebhookconfigurations ValidatingWebhookConfiguration C - api-extensions
apiextensions.k8s.io/v1 customresourcedefinitions CustomResourceDefinition C crd,crds api-extensions
scheduling.k8s.io/v1 priorityclasses PriorityClass C pc -
coordination.k8s.io/v1 leases Lease N - -
node.k8s.io/v1 runtimeclasses RuntimeClass C - -
discovery.k8s.io/v1 endpointslices EndpointSlice N - -
flowcontrol.apiserver.k8s.io/v1 flowschemas FlowSchema C - -
flowcontrol.apiserver.k8s.io/v1 prioritylevelconfigurations PriorityLevelConfiguration C - -
`;

function at(gvr: readonly [string, string, string]) {
  return findResource(gvr[0], gvr[1], gvr[2]);
}

function gvOf(gv: string): { group: string; version: string } {
  const i = gv.indexOf('/');
  return i < 0 ? { group: '', version: gv } : { group: gv.slice(0, i), version: gv.slice(i + 1) };
}

const upstreamRows = UPSTREAM.trim()
  .split('\n')
  .map((line) => {
    const [gv, resource, kind, scope, shortNames, categories] = line.split(' ') as [string, string, string, string, string, string];
    return {
      ...gvOf(gv),
      resource,
      kind,
      namespaced: scope === 'N',
      shortNames: shortNames === '-' ? [] : shortNames.split(','),
      categories: categories === '-' ? [] : categories.split(','),
    };
  });

void test('the table holds exactly the resources upstream 1.32 serves in these group-versions', () => {
  const got = RESOURCES.map((r) => `${r.group}/${r.version}/${r.resource}`);
  const want = upstreamRows.map((r) => `${r.group}/${r.version}/${r.resource}`);
  assert.deepEqual(got, want);
});

void test('kind, scope, singular, shortNames, categories, listKind match upstream', () => {
  for (const want of upstreamRows) {
    const name = `${want.group}/${want.version} ${want.resource}`;
    const r = findResource(want.group, want.version, want.resource);
    assert.ok(r, name);
    assert.equal(r.kind, want.kind, name);
    assert.equal(r.namespaced, want.namespaced, name);
    assert.equal(r.singular, want.kind.toLowerCase(), name);
    assert.deepEqual(r.shortNames, want.shortNames, name);
    assert.deepEqual(r.categories, want.categories, name);
    assert.equal(r.listKind, `${want.kind}List`, name);
  }
});

void test('verbs', () => {
  const crud = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
  const cases = [
    { name: 'pods', gvr: ['', 'v1', 'pods'], want: crud },
    { name: 'namespaces have no deletecollection', gvr: ['', 'v1', 'namespaces'], want: crud.filter((v) => v !== 'deletecollection') },
    { name: 'componentstatuses', gvr: ['', 'v1', 'componentstatuses'], want: ['get', 'list'] },
    { name: 'bindings', gvr: ['', 'v1', 'bindings'], want: ['create'] },
    { name: 'tokenreviews', gvr: ['authentication.k8s.io', 'v1', 'tokenreviews'], want: ['create'] },
    { name: 'selfsubjectreviews', gvr: ['authentication.k8s.io', 'v1', 'selfsubjectreviews'], want: ['create'] },
    { name: 'subjectaccessreviews', gvr: ['authorization.k8s.io', 'v1', 'subjectaccessreviews'], want: ['create'] },
    { name: 'localsubjectaccessreviews', gvr: ['authorization.k8s.io', 'v1', 'localsubjectaccessreviews'], want: ['create'] },
    { name: 'selfsubjectaccessreviews', gvr: ['authorization.k8s.io', 'v1', 'selfsubjectaccessreviews'], want: ['create'] },
    { name: 'selfsubjectrulesreviews', gvr: ['authorization.k8s.io', 'v1', 'selfsubjectrulesreviews'], want: ['create'] },
    { name: 'deployments', gvr: ['apps', 'v1', 'deployments'], want: crud },
    { name: 'apiservices', gvr: ['apiregistration.k8s.io', 'v1', 'apiservices'], want: crud },
  ] as const;
  for (const c of cases) {
    assert.deepEqual(at(c.gvr)?.verbs, c.want, c.name);
  }
});

void test('subresources as upstream lists them', () => {
  const gpu = ['get', 'patch', 'update'];
  const proxy = ['create', 'delete', 'get', 'patch', 'update'];
  const cases: { name: string; gvr: [string, string, string]; want: [string, string, string, string, string[]][] }[] = [
    {
      name: 'pods',
      gvr: ['', 'v1', 'pods'],
      want: [
        ['attach', 'PodAttachOptions', '', '', ['create', 'get']],
        ['binding', 'Binding', '', '', ['create']],
        ['ephemeralcontainers', 'Pod', '', '', gpu],
        ['eviction', 'Eviction', 'policy', 'v1', ['create']],
        ['exec', 'PodExecOptions', '', '', ['create', 'get']],
        ['log', 'Pod', '', '', ['get']],
        ['portforward', 'PodPortForwardOptions', '', '', ['create', 'get']],
        ['proxy', 'PodProxyOptions', '', '', proxy],
        ['resize', 'Pod', '', '', gpu],
        ['status', 'Pod', '', '', gpu],
      ],
    },
    {
      name: 'nodes',
      gvr: ['', 'v1', 'nodes'],
      want: [
        ['proxy', 'NodeProxyOptions', '', '', proxy],
        ['status', 'Node', '', '', gpu],
      ],
    },
    {
      name: 'services',
      gvr: ['', 'v1', 'services'],
      want: [
        ['proxy', 'ServiceProxyOptions', '', '', proxy],
        ['status', 'Service', '', '', gpu],
      ],
    },
    {
      name: 'namespaces',
      gvr: ['', 'v1', 'namespaces'],
      want: [
        ['finalize', 'Namespace', '', '', ['update']],
        ['status', 'Namespace', '', '', gpu],
      ],
    },
    {
      name: 'serviceaccounts',
      gvr: ['', 'v1', 'serviceaccounts'],
      want: [['token', 'TokenRequest', 'authentication.k8s.io', 'v1', ['create']]],
    },
    {
      name: 'replicationcontrollers',
      gvr: ['', 'v1', 'replicationcontrollers'],
      want: [
        ['scale', 'Scale', 'autoscaling', 'v1', gpu],
        ['status', 'ReplicationController', '', '', gpu],
      ],
    },
    {
      name: 'deployments',
      gvr: ['apps', 'v1', 'deployments'],
      want: [
        ['scale', 'Scale', 'autoscaling', 'v1', gpu],
        ['status', 'Deployment', '', '', gpu],
      ],
    },
    {
      name: 'statefulsets',
      gvr: ['apps', 'v1', 'statefulsets'],
      want: [
        ['scale', 'Scale', 'autoscaling', 'v1', gpu],
        ['status', 'StatefulSet', '', '', gpu],
      ],
    },
    { name: 'daemonsets', gvr: ['apps', 'v1', 'daemonsets'], want: [['status', 'DaemonSet', '', '', gpu]] },
    {
      name: 'certificatesigningrequests',
      gvr: ['certificates.k8s.io', 'v1', 'certificatesigningrequests'],
      want: [
        ['approval', 'CertificateSigningRequest', '', '', gpu],
        ['status', 'CertificateSigningRequest', '', '', gpu],
      ],
    },
    { name: 'configmaps', gvr: ['', 'v1', 'configmaps'], want: [] },
    { name: 'networkpolicies (no status in 1.32)', gvr: ['networking.k8s.io', 'v1', 'networkpolicies'], want: [] },
    {
      name: 'validatingadmissionpolicies',
      gvr: ['admissionregistration.k8s.io', 'v1', 'validatingadmissionpolicies'],
      want: [['status', 'ValidatingAdmissionPolicy', '', '', gpu]],
    },
    {
      name: 'hpa v1',
      gvr: ['autoscaling', 'v1', 'horizontalpodautoscalers'],
      want: [['status', 'HorizontalPodAutoscaler', '', '', gpu]],
    },
  ];
  for (const c of cases) {
    const r = at(c.gvr);
    assert.ok(r, c.name);
    const got = r.subresources.map((s) => [s.name, s.kind, s.group ?? '', s.version ?? '', [...s.verbs]]);
    assert.deepEqual(got, c.want, c.name);
  }
  const pods = findResource('', 'v1', 'pods');
  assert.ok(pods);
  assert.equal(findSubresource(pods, 'resize')?.featureGate, 'InPlacePodVerticalScaling');
  assert.equal(findSubresource(pods, 'nope'), undefined);
});

void test('every stored resource has status subresource verbs get/patch/update', () => {
  for (const r of RESOURCES) {
    for (const s of r.subresources.filter((x) => x.name === 'status')) {
      assert.deepEqual(s.verbs, ['get', 'patch', 'update'], `${r.resource}/status`);
      assert.equal(s.kind, r.kind, `${r.resource}/status`);
    }
  }
});

void test('groupVersions: core first, then upstream /apis order, preferred version first', () => {
  const got = groupVersions().map((g) => `${g.group}/${g.version}${g.preferred ? '*' : ''}`);
  assert.deepEqual(got, [
    '/v1*',
    'apiregistration.k8s.io/v1*',
    'apps/v1*',
    'events.k8s.io/v1*',
    'authentication.k8s.io/v1*',
    'authorization.k8s.io/v1*',
    'autoscaling/v2*',
    'autoscaling/v1',
    'batch/v1*',
    'certificates.k8s.io/v1*',
    'networking.k8s.io/v1*',
    'policy/v1*',
    'rbac.authorization.k8s.io/v1*',
    'storage.k8s.io/v1*',
    'admissionregistration.k8s.io/v1*',
    'apiextensions.k8s.io/v1*',
    'scheduling.k8s.io/v1*',
    'coordination.k8s.io/v1*',
    'node.k8s.io/v1*',
    'discovery.k8s.io/v1*',
    'flowcontrol.apiserver.k8s.io/v1*',
  ]);
  // Every served group/version has resources and vice versa.
  for (const gv of groupVersions()) assert.ok(resourcesFor(gv.group, gv.version).length > 0, `${gv.group}/${gv.version}`);
  assert.equal(GROUP_ORDER.length, 20);
});

void test('preferred version', () => {
  const cases = [
    { name: 'core', group: '', want: 'v1' },
    { name: 'autoscaling prefers v2', group: 'autoscaling', want: 'v2' },
    { name: 'apps', group: 'apps', want: 'v1' },
    { name: 'unknown', group: 'example.com', want: undefined },
  ];
  for (const c of cases) assert.equal(preferredVersion(c.group), c.want, c.name);
  assert.equal(findResource('autoscaling', 'v2', 'horizontalpodautoscalers')?.preferredVersion, true);
  assert.equal(findResource('autoscaling', 'v1', 'horizontalpodautoscalers')?.preferredVersion, false);
  assert.equal(findResource('', 'v1', 'pods')?.preferredVersion, true);
});

void test('lookups', () => {
  const cases = [
    { name: 'by resource', got: findResource('apps', 'v1', 'deployments')?.kind, want: 'Deployment' },
    { name: 'by kind', got: findByKind('apps', 'v1', 'Deployment')?.resource, want: 'deployments' },
    { name: 'core by kind', got: findByKind('', 'v1', 'Endpoints')?.resource, want: 'endpoints' },
    { name: 'events.k8s.io by kind', got: findByKind('events.k8s.io', 'v1', 'Event')?.group, want: 'events.k8s.io' },
    { name: 'wrong version', got: findResource('apps', 'v1beta1', 'deployments'), want: undefined },
    { name: 'wrong group', got: findResource('', 'v1', 'deployments'), want: undefined },
    { name: 'subresource is not a resource', got: findResource('', 'v1', 'pods/status'), want: undefined },
    { name: 'unknown kind', got: findByKind('', 'v1', 'Deployment'), want: undefined },
  ];
  for (const c of cases) assert.equal(c.got, c.want, c.name);
  assert.deepEqual(
    resourcesFor('batch', 'v1').map((r) => r.resource),
    ['cronjobs', 'jobs'],
  );
  assert.deepEqual(resourcesFor('nope', 'v1'), []);
});

void test('resources within a group/version are sorted by plural', () => {
  for (const gv of groupVersions()) {
    const names = resourcesFor(gv.group, gv.version).map((r) => r.resource);
    assert.deepEqual(names, [...names].sort(), `${gv.group}/${gv.version}`);
  }
});

void test('storageResource: plural, shared only by one resource served in several places', () => {
  const byStorage = new Map<string, Set<string>>();
  for (const r of RESOURCES) {
    if (r.virtual === true) continue;
    const set = byStorage.get(r.storageResource) ?? new Set<string>();
    set.add(`${r.kind}/${r.resource}`);
    byStorage.set(r.storageResource, set);
    if (r.storageResource !== r.resource) assert.equal(r.storageResource, `${r.group}/${r.resource}`, r.resource);
  }
  for (const [storage, owners] of byStorage) assert.equal(owners.size, 1, `${storage} holds ${[...owners].join(', ')}`);
  const cases = [
    { name: 'core events', gvr: ['', 'v1', 'events'], want: 'events' },
    { name: 'events.k8s.io events', gvr: ['events.k8s.io', 'v1', 'events'], want: 'events' },
    { name: 'hpa v1', gvr: ['autoscaling', 'v1', 'horizontalpodautoscalers'], want: 'horizontalpodautoscalers' },
    { name: 'hpa v2', gvr: ['autoscaling', 'v2', 'horizontalpodautoscalers'], want: 'horizontalpodautoscalers' },
    { name: 'deployments', gvr: ['apps', 'v1', 'deployments'], want: 'deployments' },
  ] as const;
  for (const c of cases) assert.equal(at(c.gvr)?.storageResource, c.want, c.name);
});

void test('storageVersion: cohabiting resources are stored in one version', () => {
  const cases = [
    { name: 'events.k8s.io events are core v1', gvr: ['events.k8s.io', 'v1', 'events'], want: { group: '', version: 'v1' } },
    { name: 'hpa v1 is v2', gvr: ['autoscaling', 'v1', 'horizontalpodautoscalers'], want: { group: 'autoscaling', version: 'v2' } },
    { name: 'hpa v2 is v2', gvr: ['autoscaling', 'v2', 'horizontalpodautoscalers'], want: { group: 'autoscaling', version: 'v2' } },
    { name: 'pods: own', gvr: ['', 'v1', 'pods'], want: undefined },
  ] as const;
  for (const c of cases) assert.deepEqual(at(c.gvr)?.storageVersion, c.want, c.name);
});

void test('storage keys', () => {
  const pods = findResource('', 'v1', 'pods');
  const nodes = findResource('', 'v1', 'nodes');
  const ev = findResource('events.k8s.io', 'v1', 'events');
  assert.ok(pods && nodes && ev);
  const cases = [
    { name: 'namespaced object', got: storageKey(pods, 'default', 'web'), want: '/registry/pods/default/web' },
    { name: 'namespace prefix', got: storageKey(pods, 'default'), want: '/registry/pods/default' },
    { name: 'all namespaces', got: storageKey(pods), want: '/registry/pods' },
    { name: 'cluster-scoped', got: storageKey(nodes, undefined, 'n1'), want: '/registry/nodes/n1' },
    { name: 'cluster-scoped ignores namespace', got: storageKey(nodes, 'x', 'n1'), want: '/registry/nodes/n1' },
    { name: 'shared storage', got: storageKey(ev, 'kube-system', 'e1'), want: '/registry/events/kube-system/e1' },
  ];
  for (const c of cases) assert.equal(c.got, c.want, c.name);
});

void test('name validation', () => {
  const cases = [
    { name: 'pods', gvr: ['', 'v1', 'pods'], want: 'dns1123-subdomain' },
    { name: 'namespaces', gvr: ['', 'v1', 'namespaces'], want: 'dns1123-label' },
    { name: 'services', gvr: ['', 'v1', 'services'], want: 'dns1123-label' },
    { name: 'statefulsets', gvr: ['apps', 'v1', 'statefulsets'], want: 'dns1123-label' },
    { name: 'roles', gvr: ['rbac.authorization.k8s.io', 'v1', 'roles'], want: 'path-segment' },
    { name: 'clusterrolebindings', gvr: ['rbac.authorization.k8s.io', 'v1', 'clusterrolebindings'], want: 'path-segment' },
    { name: 'csr', gvr: ['certificates.k8s.io', 'v1', 'certificatesigningrequests'], want: 'path-segment' },
    { name: 'apiservices', gvr: ['apiregistration.k8s.io', 'v1', 'apiservices'], want: 'path-segment' },
    { name: 'persistentvolumes', gvr: ['', 'v1', 'persistentvolumes'], want: 'dns1123-subdomain' },
  ] as const;
  for (const c of cases) assert.equal(at(c.gvr)?.nameValidation, c.want, c.name);
  assert.equal(findResource('', 'v1', 'services')?.strictNameValidation, 'dns1035-label');
});

void test('virtual resources have no storage', () => {
  const virtual = RESOURCES.filter((r) => r.virtual === true).map((r) => r.resource);
  assert.deepEqual(virtual, [
    'bindings',
    'componentstatuses',
    'selfsubjectreviews',
    'tokenreviews',
    'localsubjectaccessreviews',
    'selfsubjectaccessreviews',
    'selfsubjectrulesreviews',
    'subjectaccessreviews',
  ]);
});

void test('the table is frozen', () => {
  const pods = findResource('', 'v1', 'pods');
  assert.ok(pods);
  assert.throws(() => {
    (pods as { kind: string }).kind = 'X';
  }, TypeError);
  assert.throws(() => {
    (pods.shortNames as string[]).push('x');
  }, TypeError);
  assert.throws(() => {
    (RESOURCES as unknown[]).push({});
  }, TypeError);
});
