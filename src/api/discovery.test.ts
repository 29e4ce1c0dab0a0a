import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AGGREGATED_CONTENT_TYPE,
  aggregatedDiscovery,
  apiGroup,
  apiGroupList,
  apiResourceList,
  apiVersions,
  compareKubeVersions,
  discoveryETag,
  negotiateDiscovery,
  storageVersionHash,
} from './discovery.js';
import type { APIResourceDiscovery } from './discovery.js';
import { RESOURCES, findResource } from './resources.js';
import type { ResourceInfo } from './types.js';

const CRUD = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
const GPU = ['get', 'patch', 'update'];

/**
 * storageVersionHash values from upstream: pkg/controlplane/storageversionhashdata/data.go
 * (the golden GVR -> hash map upstream's own tests hold the server to) and, for the
 * apiextensions/aggregator resources it does not cover, api/discovery/apis__*.json.
 * (The discovery.k8s.io fixture there is stale: it still shows the 1.21 v1beta1 hash.)
 */
const UPSTREAM_HASHES: [string, string, string, string][] = [
  ['', 'v1', 'configmaps', 'qFsyl6wFWjQ='],
  ['', 'v1', 'endpoints', 'fWeeMqaN/OA='],
  ['', 'v1', 'events', 'r2yiGXH7wu8='],
  ['', 'v1', 'limitranges', 'EBKMFVe6cwo='],
  ['', 'v1', 'namespaces', 'Q3oi5N2YM8M='],
  ['', 'v1', 'nodes', 'XwShjMxG9Fs='],
  ['', 'v1', 'persistentvolumeclaims', 'QWTyNDq0dC4='],
  ['', 'v1', 'persistentvolumes', 'HN/zwEC+JgM='],
  ['', 'v1', 'pods', 'xPOwRZ+Yhw8='],
  ['', 'v1', 'podtemplates', 'LIXB2x4IFpk='],
  ['', 'v1', 'replicationcontrollers', 'Jond2If31h0='],
  ['', 'v1', 'resourcequotas', '8uhSgffRX6w='],
  ['', 'v1', 'secrets', 'S6u1pOWzb84='],
  ['', 'v1', 'serviceaccounts', 'pbx9ZvyFpBE='],
  ['', 'v1', 'services', '0/CO1lhkEBI='],
  ['apps', 'v1', 'controllerrevisions', '85nkx63pcBU='],
  ['apps', 'v1', 'daemonsets', 'dd7pWHUlMKQ='],
  ['apps', 'v1', 'deployments', '8aSe+NMegvE='],
  ['apps', 'v1', 'replicasets', 'P1RzHs8/mWQ='],
  ['apps', 'v1', 'statefulsets', 'H+vl74LkKdo='],
  ['events.k8s.io', 'v1', 'events', 'r2yiGXH7wu8='],
  ['autoscaling', 'v1', 'horizontalpodautoscalers', 'qwQve8ut294='],
  ['autoscaling', 'v2', 'horizontalpodautoscalers', 'qwQve8ut294='],
  ['batch', 'v1', 'cronjobs', 'sd5LIXh4Fjs='],
  ['batch', 'v1', 'jobs', 'mudhfqk/qZY='],
  ['certificates.k8s.io', 'v1', 'certificatesigningrequests', '95fRKMXA+00='],
  ['networking.k8s.io', 'v1', 'ingressclasses', 'l/iqIbDgFyQ='],
  ['networking.k8s.io', 'v1', 'ingresses', '39NQlfNR+bo='],
  ['networking.k8s.io', 'v1', 'networkpolicies', 'YpfwF18m1G8='],
  ['policy', 'v1', 'poddisruptionbudgets', 'EVWiDmWqyJw='],
  ['rbac.authorization.k8s.io', 'v1', 'clusterrolebindings', '48tpQ8gZHFc='],
  ['rbac.authorization.k8s.io', 'v1', 'clusterroles', 'bYE5ZWDrJ44='],
  ['rbac.authorization.k8s.io', 'v1', 'rolebindings', 'eGsCzGH6b1g='],
  ['rbac.authorization.k8s.io', 'v1', 'roles', '7FuwZcIIItM='],
  ['storage.k8s.io', 'v1', 'csidrivers', 'hL6j/rwBV5w='],
  ['storage.k8s.io', 'v1', 'csinodes', 'Pe62DkZtjuo='],
  ['storage.k8s.io', 'v1', 'csistoragecapacities', 'xeVl+2Ly1kE='],
  ['storage.k8s.io', 'v1', 'storageclasses', 'K+m6uJwbjGY='],
  ['storage.k8s.io', 'v1', 'volumeattachments', 'tJx/ezt6UDU='],
  ['admissionregistration.k8s.io', 'v1', 'mutatingwebhookconfigurations', 'Sqi0GUgDaX0='],
  ['admissionregistration.k8s.io', 'v1', 'validatingwebhookconfigurations', 'B0wHjQmsGNk='],
  ['admissionregistration.k8s.io', 'v1', 'validatingadmissionpolicies', '6OxvlMmQ6is='],
  ['admissionregistration.k8s.io', 'v1', 'validatingadmissionpolicybindings', 'v9715VZqakg='],
  ['apiextensions.k8s.io', 'v1', 'customresourcedefinitions', 'jfWCUB31mvA='],
  ['apiregistration.k8s.io', 'v1', 'apiservices', 'InPBPD7+PqM='],
  ['scheduling.k8s.io', 'v1', 'priorityclasses', '1QwjyaZjj3Y='],
  ['coordination.k8s.io', 'v1', 'leases', 'gqkMMb/YqFM='],
  ['node.k8s.io', 'v1', 'runtimeclasses', 'WQTu1GL3T2Q='],
  ['discovery.k8s.io', 'v1', 'endpointslices', 'qgS0xkrxYAI='],
  ['flowcontrol.apiserver.k8s.io', 'v1', 'flowschemas', 'GJVAJZSZBIw='],
  ['flowcontrol.apiserver.k8s.io', 'v1', 'prioritylevelconfigurations', 'Kir5PVfvNeI='],
];

function entry(group: string, version: string, name: string) {
  return apiResourceList(group, version)?.resources.find((r) => r.name === name);
}

void test('storageVersionHash equals upstream for every stored resource', () => {
  assert.equal(storageVersionHash('', 'v1', 'Pod'), 'xPOwRZ+Yhw8=');
  const stored = RESOURCES.filter((r) => r.virtual !== true).map((r) => `${r.group}/${r.version}/${r.resource}`);
  assert.deepEqual(UPSTREAM_HASHES.map(([g, v, r]) => `${g}/${v}/${r}`).sort(), stored.sort(), 'every stored resource is covered');
  for (const [g, v, r, want] of UPSTREAM_HASHES) {
    assert.equal(entry(g, v, r)?.storageVersionHash, want, `${g}/${v} ${r}`);
  }
});

void test('virtual resources and subresources carry no storageVersionHash', () => {
  const cases = [
    ['', 'v1', 'bindings'],
    ['', 'v1', 'componentstatuses'],
    ['', 'v1', 'pods/status'],
    ['authentication.k8s.io', 'v1', 'tokenreviews'],
    ['authorization.k8s.io', 'v1', 'subjectaccessreviews'],
  ] as const;
  for (const [g, v, r] of cases) {
    const e = entry(g, v, r);
    assert.ok(e, r);
    assert.equal('storageVersionHash' in e, false, r);
  }
});

void test('APIResourceList entries match upstream (api__v1.json, apis__apps__v1.json, apis__events.k8s.io__v1.json)', () => {
  const cases = [
    {
      name: 'pods',
      got: entry('', 'v1', 'pods'),
      want: {
        name: 'pods',
        singularName: 'pod',
        namespaced: true,
        kind: 'Pod',
        verbs: CRUD,
        shortNames: ['po'],
        categories: ['all'],
        storageVersionHash: 'xPOwRZ+Yhw8=',
      },
    },
    {
      name: 'pods/eviction',
      got: entry('', 'v1', 'pods/eviction'),
      want: { name: 'pods/eviction', singularName: '', namespaced: true, group: 'policy', version: 'v1', kind: 'Eviction', verbs: ['create'] },
    },
    {
      name: 'pods/log',
      got: entry('', 'v1', 'pods/log'),
      want: { name: 'pods/log', singularName: '', namespaced: true, kind: 'Pod', verbs: ['get'] },
    },
    {
      name: 'serviceaccounts/token',
      got: entry('', 'v1', 'serviceaccounts/token'),
      want: {
        name: 'serviceaccounts/token',
        singularName: '',
        namespaced: true,
        group: 'authentication.k8s.io',
        version: 'v1',
        kind: 'TokenRequest',
        verbs: ['create'],
      },
    },
    {
      name: 'namespaces/finalize',
      got: entry('', 'v1', 'namespaces/finalize'),
      want: { name: 'namespaces/finalize', singularName: '', namespaced: false, kind: 'Namespace', verbs: ['update'] },
    },
    {
      name: 'core events',
      got: entry('', 'v1', 'events'),
      want: {
        name: 'events',
        singularName: 'event',
        namespaced: true,
        kind: 'Event',
        verbs: CRUD,
        shortNames: ['ev'],
        storageVersionHash: 'r2yiGXH7wu8=',
      },
    },
    {
      name: 'componentstatuses',
      got: entry('', 'v1', 'componentstatuses'),
      want: { name: 'componentstatuses', singularName: 'componentstatus', namespaced: false, kind: 'ComponentStatus', verbs: ['get', 'list'], shortNames: ['cs'] },
    },
    {
      name: 'deployments',
      got: entry('apps', 'v1', 'deployments'),
      want: {
        name: 'deployments',
        singularName: 'deployment',
        namespaced: true,
        kind: 'Deployment',
        verbs: CRUD,
        shortNames: ['deploy'],
        categories: ['all'],
        storageVersionHash: '8aSe+NMegvE=',
      },
    },
    {
      name: 'deployments/scale',
      got: entry('apps', 'v1', 'deployments/scale'),
      want: { name: 'deployments/scale', singularName: '', namespaced: true, group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: GPU },
    },
    {
      name: 'deployments/status',
      got: entry('apps', 'v1', 'deployments/status'),
      want: { name: 'deployments/status', singularName: '', namespaced: true, kind: 'Deployment', verbs: GPU },
    },
    {
      name: 'events.k8s.io events',
      got: entry('events.k8s.io', 'v1', 'events'),
      want: {
        name: 'events',
        singularName: 'event',
        namespaced: true,
        kind: 'Event',
        verbs: CRUD,
        shortNames: ['ev'],
        storageVersionHash: 'r2yiGXH7wu8=',
      },
    },
  ];
  for (const c of cases) assert.deepEqual(c.got, c.want, c.name);
});

void test('APIResourceList envelope and order', () => {
  const core = apiResourceList('', 'v1');
  assert.ok(core);
  assert.equal(core.kind, 'APIResourceList');
  assert.equal(core.groupVersion, 'v1');
  assert.equal('apiVersion' in core, false, 'core list has no apiVersion, as upstream');
  const names = core.resources.map((r) => r.name);
  assert.deepEqual(names, [...names].sort());
  assert.deepEqual(names.slice(0, 3), ['bindings', 'componentstatuses', 'configmaps']);
  assert.deepEqual(
    names.filter((n) => n.startsWith('persistentvolume')),
    ['persistentvolumeclaims', 'persistentvolumeclaims/status', 'persistentvolumes', 'persistentvolumes/status'],
  );
  const apps = apiResourceList('apps', 'v1');
  assert.ok(apps);
  assert.equal(apps.apiVersion, 'v1');
  assert.equal(apps.groupVersion, 'apps/v1');
  assert.deepEqual(
    apps.resources.map((r) => r.name),
    [
      'controllerrevisions',
      'daemonsets',
      'daemonsets/status',
      'deployments',
      'deployments/scale',
      'deployments/status',
      'replicasets',
      'replicasets/scale',
      'replicasets/status',
      'statefulsets',
      'statefulsets/scale',
      'statefulsets/status',
    ],
  );
  assert.equal(apiResourceList('apps', 'v1beta1'), undefined);
  assert.equal(apiResourceList('nope', 'v1'), undefined);
});

void test('feature-gated subresources', () => {
  const cases = [
    { name: 'default: listed', opts: undefined, want: true },
    { name: 'gate on', opts: { featureGates: { InPlacePodVerticalScaling: true } }, want: true },
    { name: 'gate off', opts: { featureGates: { InPlacePodVerticalScaling: false } }, want: false },
  ];
  for (const c of cases) {
    const legacy = apiResourceList('', 'v1', c.opts)?.resources.some((r) => r.name === 'pods/resize');
    assert.equal(legacy, c.want, `legacy ${c.name}`);
    const pods = aggregatedDiscovery('api', 'v2', c.opts).items[0]?.versions[0]?.resources.find((r) => r.resource === 'pods');
    assert.equal(pods?.subresources?.some((s) => s.subresource === 'resize'), c.want, `aggregated ${c.name}`);
  }
});

void test('/api', () => {
  assert.deepEqual(apiVersions('10.10.10.10:8050'), {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '10.10.10.10:8050' }],
  });
});

void test('/apis lists groups in upstream order with preferred versions', () => {
  const list = apiGroupList();
  assert.equal(list.kind, 'APIGroupList');
  assert.equal(list.apiVersion, 'v1');
  assert.deepEqual(
    list.groups.map((g) => g.name),
    [
      'apiregistration.k8s.io',
      'apps',
      'events.k8s.io',
      'authentication.k8s.io',
      'authorization.k8s.io',
      'autoscaling',
      'batch',
      'certificates.k8s.io',
      'networking.k8s.io',
      'policy',
      'rbac.authorization.k8s.io',
      'storage.k8s.io',
      'admissionregistration.k8s.io',
      'apiextensions.k8s.io',
      'scheduling.k8s.io',
      'coordination.k8s.io',
      'node.k8s.io',
      'discovery.k8s.io',
      'flowcontrol.apiserver.k8s.io',
    ],
  );
  assert.deepEqual(
    list.groups.find((g) => g.name === 'autoscaling'),
    {
      name: 'autoscaling',
      versions: [
        { groupVersion: 'autoscaling/v2', version: 'v2' },
        { groupVersion: 'autoscaling/v1', version: 'v1' },
      ],
      preferredVersion: { groupVersion: 'autoscaling/v2', version: 'v2' },
    },
  );
});

void test('/apis/<group>', () => {
  const cases = [
    {
      name: 'apps',
      got: apiGroup('apps'),
      want: {
        kind: 'APIGroup',
        apiVersion: 'v1',
        name: 'apps',
        versions: [{ groupVersion: 'apps/v1', version: 'v1' }],
        preferredVersion: { groupVersion: 'apps/v1', version: 'v1' },
      },
    },
    { name: 'core is not a named group', got: apiGroup(''), want: undefined },
    { name: 'unknown', got: apiGroup('example.com'), want: undefined },
  ];
  for (const c of cases) assert.deepEqual(c.got, c.want, c.name);
});

function aggregated(scope: 'api' | 'apis', group: string, version: string, resource: string): APIResourceDiscovery | undefined {
  const doc = aggregatedDiscovery(scope);
  const item = doc.items.find((i) => (i.metadata.name ?? '') === group);
  return item?.versions.find((v) => v.version === version)?.resources.find((r) => r.resource === resource);
}

void test('aggregated discovery entries match upstream (aggregated_v2.json)', () => {
  const cases = [
    {
      name: 'deployments with scale',
      got: aggregated('apis', 'apps', 'v1', 'deployments'),
      want: {
        resource: 'deployments',
        responseKind: { group: '', version: '', kind: 'Deployment' },
        scope: 'Namespaced',
        singularResource: 'deployment',
        verbs: CRUD,
        shortNames: ['deploy'],
        categories: ['all'],
        subresources: [
          { subresource: 'scale', responseKind: { group: 'autoscaling', version: 'v1', kind: 'Scale' }, verbs: GPU },
          { subresource: 'status', responseKind: { group: '', version: '', kind: 'Deployment' }, verbs: GPU },
        ],
      },
    },
    {
      name: 'events.k8s.io events',
      got: aggregated('apis', 'events.k8s.io', 'v1', 'events'),
      want: {
        resource: 'events',
        responseKind: { group: '', version: '', kind: 'Event' },
        scope: 'Namespaced',
        singularResource: 'event',
        verbs: CRUD,
        shortNames: ['ev'],
      },
    },
    {
      name: 'core events',
      got: aggregated('api', '', 'v1', 'events'),
      want: {
        resource: 'events',
        responseKind: { group: '', version: '', kind: 'Event' },
        scope: 'Namespaced',
        singularResource: 'event',
        verbs: CRUD,
        shortNames: ['ev'],
      },
    },
    {
      name: 'tokenreviews',
      got: aggregated('apis', 'authentication.k8s.io', 'v1', 'tokenreviews'),
      want: {
        resource: 'tokenreviews',
        responseKind: { group: '', version: '', kind: 'TokenReview' },
        scope: 'Cluster',
        singularResource: 'tokenreview',
        verbs: ['create'],
      },
    },
    {
      name: 'crds',
      got: aggregated('apis', 'apiextensions.k8s.io', 'v1', 'customresourcedefinitions'),
      want: {
        resource: 'customresourcedefinitions',
        responseKind: { group: '', version: '', kind: 'CustomResourceDefinition' },
        scope: 'Cluster',
        singularResource: 'customresourcedefinition',
        verbs: CRUD,
        shortNames: ['crd', 'crds'],
        categories: ['api-extensions'],
        subresources: [
          { subresource: 'status', responseKind: { group: '', version: '', kind: 'CustomResourceDefinition' }, verbs: GPU },
        ],
      },
    },
  ];
  for (const c of cases) assert.deepEqual(c.got, c.want, c.name);

  const pods = aggregated('api', '', 'v1', 'pods');
  assert.ok(pods);
  assert.equal(pods.scope, 'Namespaced');
  assert.deepEqual(pods.responseKind, { group: '', version: '', kind: 'Pod' });
  assert.deepEqual(
    pods.subresources?.map((s) => [s.subresource, s.responseKind.group, s.responseKind.version, s.responseKind.kind, s.verbs.join(',')]),
    [
      ['attach', '', '', 'PodAttachOptions', 'create,get'],
      ['binding', '', '', 'Binding', 'create'],
      ['ephemeralcontainers', '', '', 'Pod', 'get,patch,update'],
      ['eviction', 'policy', 'v1', 'Eviction', 'create'],
      ['exec', '', '', 'PodExecOptions', 'create,get'],
      ['log', '', '', 'Pod', 'get'],
      ['portforward', '', '', 'PodPortForwardOptions', 'create,get'],
      ['proxy', '', '', 'PodProxyOptions', 'create,delete,get,patch,update'],
      ['resize', '', '', 'Pod', 'get,patch,update'],
      ['status', '', '', 'Pod', 'get,patch,update'],
    ],
  );
});

void test('aggregated discovery envelopes', () => {
  const api = aggregatedDiscovery('api');
  assert.equal(api.kind, 'APIGroupDiscoveryList');
  assert.equal(api.apiVersion, 'apidiscovery.k8s.io/v2');
  assert.deepEqual(api.metadata, {});
  assert.equal(api.items.length, 1);
  assert.deepEqual(api.items[0]?.metadata, { creationTimestamp: null });
  assert.deepEqual(
    api.items[0]?.versions.map((v) => [v.version, v.freshness]),
    [['v1', 'Current']],
  );

  const apis = aggregatedDiscovery('apis');
  assert.equal(apis.items[0]?.metadata.name, 'apiregistration.k8s.io');
  assert.equal(apis.items.some((i) => i.metadata.name === undefined), false);
  const autoscaling = apis.items.find((i) => i.metadata.name === 'autoscaling');
  assert.deepEqual(
    autoscaling?.versions.map((v) => v.version),
    ['v2', 'v1'],
  );
  // Every resource of the table appears exactly once across /api and /apis.
  const count = [...api.items, ...apis.items].reduce((n, i) => n + i.versions.reduce((m, v) => m + v.resources.length, 0), 0);
  assert.equal(count, RESOURCES.length);

  // v2beta1 (still served by 1.32) is the same body with another apiVersion.
  const beta = aggregatedDiscovery('apis', 'v2beta1');
  assert.equal(beta.apiVersion, 'apidiscovery.k8s.io/v2beta1');
  assert.deepEqual({ ...beta, apiVersion: '' }, { ...apis, apiVersion: '' });
});

void test('custom resources are merged after the built-in groups', () => {
  const widget = (version: string, preferred: boolean): ResourceInfo => ({
    group: 'example.com',
    version,
    kind: 'Widget',
    resource: 'widgets',
    singular: 'widget',
    namespaced: true,
    shortNames: ['wd'],
    categories: ['all'],
    verbs: ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection'],
    subresources: [{ name: 'status', kind: 'Widget', verbs: ['get', 'patch', 'update'] }],
    listKind: 'WidgetList',
    storageResource: 'example.com/widgets',
    nameValidation: 'dns1123-subdomain',
    preferredVersion: preferred,
  });
  const alpha: ResourceInfo = { ...widget('v1alpha1', false), group: 'aaa.io', storageResource: 'aaa.io/widgets' };
  const opts = { resources: [...RESOURCES, widget('v1beta1', false), widget('v1', true), alpha] };
  const groups = apiGroupList(opts).groups.map((g) => g.name);
  assert.deepEqual(groups.slice(-2), ['aaa.io', 'example.com']);
  assert.deepEqual(apiGroup('example.com', opts)?.versions.map((v) => v.version), ['v1', 'v1beta1']);
  const rl = apiResourceList('example.com', 'v1', opts);
  assert.deepEqual(rl?.resources.map((r) => r.name), ['widgets', 'widgets/status']);
  assert.equal(rl?.resources[0]?.storageVersionHash, storageVersionHash('example.com', 'v1', 'Widget'));
  assert.deepEqual(rl?.resources[0]?.verbs, CRUD, 'verbs are sorted');
  const agg = aggregatedDiscovery('apis', 'v2', opts);
  assert.equal(agg.items.at(-1)?.metadata.name, 'example.com');
});

void test('kube-aware version order', () => {
  const versions = ['v1alpha1', 'foo', 'v1', 'v2beta1', 'v1beta2', 'v2', 'v10', 'v1beta1', 'bar', 'v11alpha2'];
  assert.deepEqual([...versions].sort(compareKubeVersions), [
    'v10',
    'v2',
    'v1',
    'v2beta1',
    'v1beta2',
    'v1beta1',
    'v11alpha2',
    'v1alpha1',
    'bar',
    'foo',
  ]);
});

void test('negotiateDiscovery', () => {
  const v2 = AGGREGATED_CONTENT_TYPE.v2;
  const v2beta1 = AGGREGATED_CONTENT_TYPE.v2beta1;
  const cases = [
    { name: 'no header', accept: undefined, want: 'legacy' },
    { name: 'plain json', accept: 'application/json', want: 'legacy' },
    { name: 'any', accept: '*/*', want: 'legacy' },
    { name: 'v2', accept: v2, want: 'v2' },
    { name: 'client-go order', accept: `${v2},${v2beta1},application/json`, want: 'v2' },
    { name: 'old client', accept: `${v2beta1},application/json`, want: 'v2beta1' },
    { name: 'unknown aggregated version falls through', accept: 'application/json;g=apidiscovery.k8s.io;v=v3;as=APIGroupDiscoveryList,application/json', want: 'legacy' },
    { name: 'spaces and case', accept: 'Application/JSON; g=apidiscovery.k8s.io; v=v2; as=APIGroupDiscoveryList', want: 'v2' },
    {
      name: 'protobuf first is skipped',
      accept: 'application/vnd.kubernetes.protobuf;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json',
      want: 'legacy',
    },
    { name: 'only protobuf', accept: 'application/vnd.kubernetes.protobuf', want: undefined },
    { name: 'q=0 excluded', accept: `${v2};q=0,application/json`, want: 'legacy' },
  ];
  for (const c of cases) assert.equal(negotiateDiscovery(c.accept), c.want, c.name);
});

void test('discoveryETag is stable and content-sensitive', () => {
  const a = aggregatedDiscovery('apis');
  const tag = discoveryETag(a);
  assert.match(tag, /^"[0-9A-F]{128}"$/);
  assert.equal(discoveryETag(JSON.stringify(a)), tag);
  assert.notEqual(discoveryETag(aggregatedDiscovery('api')), tag);
});

void test('every served resource has a discovery entry', () => {
  for (const r of RESOURCES) {
    const e = entry(r.group, r.version, r.resource);
    assert.ok(e, `${r.group}/${r.version} ${r.resource}`);
    assert.equal(e.kind, findResource(r.group, r.version, r.resource)?.kind);
  }
});
