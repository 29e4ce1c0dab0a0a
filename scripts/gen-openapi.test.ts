import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { INT_OR_STRING, findRepoRoot, generateDefinitions, newKindDescription, packageForTypingsFile, serializeDefinitions, withEnumValues } from './gen-openapi.js';
import type { Schema } from '../src/apiserver/openapi/schema.js';

const root = findRepoRoot(dirname(fileURLToPath(import.meta.url)));
const opts = {
  typesDir: join(root, 'node_modules', 'kubernetes-types'),
  clientNodeModelsDir: join(root, 'node_modules', '@kubernetes', 'client-node', 'dist', 'gen', 'models'),
  // Written by gen-protobuf, which `npm run build` runs before gen-openapi.
  protobufSchemaFile: join(root, 'generated', 'protobuf', 'schema.json'),
};
const { file, warnings, protobuf } = generateDefinitions(opts);
const defs = file.definitions;

function def(name: string): Schema {
  const d = defs[name];
  assert.ok(d !== undefined, `definition ${name} missing`);
  return d;
}

function prop(defName: string, name: string): Schema {
  const p = def(defName).properties?.[name];
  assert.ok(p !== undefined, `${defName}.${name} missing`);
  return p;
}

test('typings files map to upstream package names', () => {
  const cases = [
    { name: 'core', file: 'core/v1.d.ts', want: 'io.k8s.api.core.v1' },
    { name: 'apps', file: 'apps/v1.d.ts', want: 'io.k8s.api.apps.v1' },
    { name: 'alpha version', file: 'storage/v1alpha1.d.ts', want: 'io.k8s.api.storage.v1alpha1' },
    { name: 'meta', file: 'meta/v1.d.ts', want: 'io.k8s.apimachinery.pkg.apis.meta.v1' },
    { name: 'apiextensions', file: 'apiextensions/v1.d.ts', want: 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1' },
    { name: 'quantity', file: 'api/resource.d.ts', want: 'io.k8s.apimachinery.pkg.api.resource' },
    { name: 'runtime', file: 'runtime.d.ts', want: 'io.k8s.apimachinery.pkg.runtime' },
    { name: 'not a typing', file: 'README.md', want: undefined },
  ];
  for (const c of cases) assert.equal(packageForTypingsFile(c.file), c.want, c.name);
});

test('generates without warnings', () => {
  assert.deepEqual(warnings, []);
  assert.match(file.source, /^kubernetes-types@1\.30\.0 \+ protobuf schema of kubectl sha256:[0-9a-f]{12}$/);
  assert.ok(Object.keys(defs).length > 700);
});

test('top-level kinds carry descriptions, required fields and their group-version-kind', () => {
  const pod = def('io.k8s.api.core.v1.Pod');
  assert.match(pod.description ?? '', /^Pod is a collection of containers/);
  assert.deepEqual(pod['x-kubernetes-group-version-kind'], [{ group: '', kind: 'Pod', version: 'v1' }]);
  assert.deepEqual(prop('io.k8s.api.core.v1.Pod', 'spec').$ref, '#/definitions/io.k8s.api.core.v1.PodSpec');
  assert.match(prop('io.k8s.api.core.v1.Pod', 'spec').description ?? '', /Specification of the desired behavior/);

  const deployment = def('io.k8s.api.apps.v1.Deployment');
  assert.deepEqual(deployment['x-kubernetes-group-version-kind'], [{ group: 'apps', kind: 'Deployment', version: 'v1' }]);
  assert.deepEqual(def('io.k8s.api.apps.v1.DeploymentList')['x-kubernetes-group-version-kind'], [{ group: 'apps', kind: 'DeploymentList', version: 'v1' }]);
  assert.deepEqual(def('io.k8s.api.apps.v1.DeploymentSpec').required, ['selector', 'template']);
  assert.equal(def('io.k8s.api.apps.v1.DeploymentSpec')['x-kubernetes-group-version-kind'], undefined);

  const meta = def('io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta');
  assert.match(meta.description ?? '', /ObjectMeta is metadata that all persisted resources must have/);
  assert.equal(prop('io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta', 'labels').type, 'object');
  assert.deepEqual(prop('io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta', 'labels').additionalProperties, { type: 'string' });
  assert.deepEqual(def('io.k8s.apimachinery.pkg.apis.meta.v1.Status')['x-kubernetes-group-version-kind'], [{ group: '', kind: 'Status', version: 'v1' }]);
});

test('scalar types follow upstream formats', () => {
  const cases: { name: string; got: Schema; want: Schema }[] = [
    { name: 'int32', got: prop('io.k8s.api.apps.v1.DeploymentSpec', 'replicas'), want: { type: 'integer', format: 'int32' } },
    { name: 'int64', got: prop('io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta', 'generation'), want: { type: 'integer', format: 'int64' } },
    { name: 'int64 items', got: prop('io.k8s.api.core.v1.PodSecurityContext', 'supplementalGroups').items ?? {}, want: { type: 'integer', format: 'int64' } },
    { name: 'double', got: prop('io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps', 'maximum'), want: { type: 'number', format: 'double' } },
    { name: 'byte map', got: prop('io.k8s.api.core.v1.Secret', 'data').additionalProperties as Schema, want: { type: 'string', format: 'byte' } },
    { name: 'boolean', got: prop('io.k8s.api.apps.v1.DeploymentSpec', 'paused'), want: { type: 'boolean' } },
    { name: 'int-or-string', got: prop('io.k8s.api.core.v1.ServicePort', 'targetPort'), want: { $ref: '#/definitions/' + INT_OR_STRING } },
    { name: 'time', got: prop('io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta', 'creationTimestamp'), want: { $ref: '#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.Time' } },
    {
      name: 'quantity map',
      got: prop('io.k8s.api.core.v1.ResourceRequirements', 'limits').additionalProperties as Schema,
      want: { $ref: '#/definitions/io.k8s.apimachinery.pkg.api.resource.Quantity' },
    },
  ];
  for (const c of cases) {
    const { description: _d, ...got } = c.got;
    for (const k of Object.keys(got)) if (k.startsWith('x-')) delete got[k];
    assert.deepEqual(got, c.want, c.name);
  }
  assert.deepEqual(def(INT_OR_STRING).type, 'string');
  assert.deepEqual(def(INT_OR_STRING).format, 'int-or-string');
  assert.equal(def('io.k8s.apimachinery.pkg.api.resource.Quantity').type, 'string');
  assert.equal(def('io.k8s.apimachinery.pkg.apis.meta.v1.Time').format, 'date-time');
  assert.equal(def('io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime').format, 'date-time');
  assert.equal(def('io.k8s.apimachinery.pkg.runtime.RawExtension').type, 'object');
  assert.equal(def('io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSON').type, undefined);
});

const CORE = 'io.k8s.api.core.v1.';
const META = 'io.k8s.apimachinery.pkg.apis.meta.v1.';

test('list, map and struct types, patch strategies and merge keys come from the table', () => {
  const cases: { name: string; got: Schema; want: Record<string, unknown> }[] = [
    {
      name: 'PodSpec.containers: map keyed by name, merged by name',
      got: prop(CORE + 'PodSpec', 'containers'),
      want: { 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['name'], 'x-kubernetes-patch-strategy': 'merge', 'x-kubernetes-patch-merge-key': 'name' },
    },
    {
      name: 'Container.ports: keyed by containerPort and protocol, merged by containerPort',
      got: prop(CORE + 'Container', 'ports'),
      want: { 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['containerPort', 'protocol'], 'x-kubernetes-patch-merge-key': 'containerPort' },
    },
    {
      name: 'ServiceSpec.ports: keyed by port and protocol',
      got: prop(CORE + 'ServiceSpec', 'ports'),
      want: { 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['port', 'protocol'], 'x-kubernetes-patch-merge-key': 'port' },
    },
    { name: 'PodSpec.volumes: merge and retainKeys', got: prop(CORE + 'PodSpec', 'volumes'), want: { 'x-kubernetes-patch-strategy': 'merge,retainKeys' } },
    { name: 'PodSpec.tolerations: atomic', got: prop(CORE + 'PodSpec', 'tolerations'), want: { 'x-kubernetes-list-type': 'atomic', 'x-kubernetes-patch-strategy': undefined } },
    { name: 'ObjectMeta.finalizers: a set merged by SMP', got: prop(META + 'ObjectMeta', 'finalizers'), want: { 'x-kubernetes-list-type': 'set', 'x-kubernetes-patch-strategy': 'merge' } },
    { name: 'JobStatus.conditions: atomic but merged by SMP', got: prop('io.k8s.api.batch.v1.JobStatus', 'conditions'), want: { 'x-kubernetes-list-type': 'atomic', 'x-kubernetes-patch-merge-key': 'type' } },
    { name: 'PodSpec.nodeSelector: atomic map', got: prop(CORE + 'PodSpec', 'nodeSelector'), want: { 'x-kubernetes-map-type': 'atomic' } },
    { name: 'PV claimRef: granular over an atomic type', got: prop(CORE + 'PersistentVolumeSpec', 'claimRef'), want: { 'x-kubernetes-map-type': 'granular' } },
    { name: 'DeploymentSpec.strategy: retainKeys', got: prop('io.k8s.api.apps.v1.DeploymentSpec', 'strategy'), want: { 'x-kubernetes-patch-strategy': 'retainKeys' } },
    { name: 'PDB selector: replace', got: prop('io.k8s.api.policy.v1.PodDisruptionBudgetSpec', 'selector'), want: { 'x-kubernetes-patch-strategy': 'replace' } },
    { name: 'CSINode drivers (storage)', got: prop('io.k8s.api.storage.v1.CSINodeSpec', 'drivers'), want: { 'x-kubernetes-list-map-keys': ['name'] } },
    { name: 'FlowSchema verbs (flowcontrol)', got: prop('io.k8s.api.flowcontrol.v1.ResourcePolicyRule', 'verbs'), want: { 'x-kubernetes-list-type': 'set' } },
    { name: 'webhooks (admissionregistration)', got: prop('io.k8s.api.admissionregistration.v1.ValidatingWebhookConfiguration', 'webhooks'), want: { 'x-kubernetes-list-type': 'map' } },
    { name: 'Endpoint addresses (discovery)', got: prop('io.k8s.api.discovery.v1.Endpoint', 'addresses'), want: { 'x-kubernetes-list-type': 'set' } },
  ];
  for (const c of cases) for (const [k, v] of Object.entries(c.want)) assert.deepEqual(c.got[k], v, `${c.name}: ${k}`);

  const atomicStructs = [META + 'LabelSelector', META + 'OwnerReference', CORE + 'ObjectReference', CORE + 'LocalObjectReference', CORE + 'NodeSelector'];
  for (const name of atomicStructs) assert.equal(def(name)['x-kubernetes-map-type'], 'atomic', name);
  assert.equal(def(CORE + 'PodSpec')['x-kubernetes-map-type'], undefined);
});

test('enum fields list their values and name them in the description', () => {
  const restart = prop(CORE + 'PodSpec', 'restartPolicy');
  assert.deepEqual(restart.enum, ['Always', 'Never', 'OnFailure']);
  assert.match(restart.description ?? '', /^Restart policy for all containers within the pod\..*\n\nPossible enum values:\n - `"Always"`\n - `"Never"`\n - `"OnFailure"`$/s);
  const cases: { name: string; got: unknown; want: string[] }[] = [
    { name: 'Service type', got: prop(CORE + 'ServiceSpec', 'type').enum, want: ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'] },
    { name: 'Deployment strategy type', got: prop('io.k8s.api.apps.v1.DeploymentStrategy', 'type').enum, want: ['Recreate', 'RollingUpdate'] },
    { name: 'pathType (networking)', got: prop('io.k8s.api.networking.v1.HTTPIngressPath', 'pathType').enum, want: ['Exact', 'ImplementationSpecific', 'Prefix'] },
    { name: 'list items carry the enum', got: prop(CORE + 'ServiceSpec', 'ipFamilies').items?.enum, want: ['', 'IPv4', 'IPv6'] },
    { name: 'map values carry the enum', got: (prop(CORE + 'PersistentVolumeClaimStatus', 'allocatedResourceStatuses').additionalProperties as Schema).enum, want: [
      'ControllerResizeFailed', 'ControllerResizeInProgress', 'NodeResizeFailed', 'NodeResizeInProgress', 'NodeResizePending',
    ] },
    { name: 'core enum used by another group', got: prop('io.k8s.api.scheduling.v1.PriorityClass', 'preemptionPolicy').enum, want: ['Never', 'PreemptLowerPriority'] },
  ];
  for (const c of cases) assert.deepEqual(c.got, c.want, c.name);
  assert.equal(prop(CORE + 'ServiceSpec', 'ipFamilies').description?.includes('Possible enum values'), false, 'lists describe no enum');
});

test('withEnumValues appends the values as upstream lays them out', () => {
  assert.equal(withEnumValues('Policy.', ['A', '']), 'Policy.\n\nPossible enum values:\n - `"A"`\n - `""`');
  assert.equal(withEnumValues(undefined, ['x']), 'Possible enum values:\n - `"x"`');
});

test('defaults: +default markers and the zero value of every list-map key', () => {
  const cases: { name: string; got: unknown; want: unknown }[] = [
    { name: 'ContainerPort.protocol', got: prop(CORE + 'ContainerPort', 'protocol').default, want: 'TCP' },
    { name: 'ContainerPort.containerPort', got: prop(CORE + 'ContainerPort', 'containerPort').default, want: 0 },
    { name: 'ServicePort.protocol', got: prop(CORE + 'ServicePort', 'protocol').default, want: 'TCP' },
    { name: 'ServicePort.port', got: prop(CORE + 'ServicePort', 'port').default, want: 0 },
    { name: 'EnvVar.name', got: prop(CORE + 'EnvVar', 'name').default, want: '' },
    { name: 'LocalObjectReference.name (+default)', got: prop(CORE + 'LocalObjectReference', 'name').default, want: '' },
    { name: 'TopologySpreadConstraint.whenUnsatisfiable', got: prop(CORE + 'TopologySpreadConstraint', 'whenUnsatisfiable').default, want: '' },
    { name: 'AzureDisk cachingMode (+default)', got: prop(CORE + 'AzureDiskVolumeSource', 'cachingMode').default, want: 'ReadWrite' },
    { name: 'omitempty key has none', got: prop('io.k8s.api.flowcontrol.v1.FlowSchemaCondition', 'type').default, want: undefined },
    { name: 'no key, no default', got: prop(CORE + 'ContainerPort', 'hostPort').default, want: undefined },
    { name: 'EndpointPort.protocol has no marker', got: prop(CORE + 'EndpointPort', 'protocol').default, want: undefined },
  ];
  for (const c of cases) assert.deepEqual(c.got, c.want, c.name);

  const skipped = new Set(['io.k8s.api.flowcontrol.v1.FlowSchemaCondition.type', 'io.k8s.api.flowcontrol.v1.PriorityLevelConfigurationCondition.type']);
  let lists = 0;
  for (const [name, d] of Object.entries(defs)) {
    for (const [pname, p] of Object.entries(d.properties ?? {})) {
      if (p['x-kubernetes-list-type'] !== 'map') continue;
      lists++;
      const item = (p.items?.$ref ?? '').replace('#/definitions/', '');
      for (const key of p['x-kubernetes-list-map-keys'] as string[]) {
        const k = defs[item]?.properties?.[key];
        assert.ok(k !== undefined, `${name}.${pname}: key ${key} missing on ${item}`);
        if (!skipped.has(`${item}.${key}`)) assert.notEqual(k.default, undefined, `${name}.${pname}: key ${item}.${key} has no default`);
      }
    }
  }
  assert.ok(lists > 40, `only ${lists} list maps`);
});

test('fields the typings drop are restored', () => {
  for (const name of ['io.k8s.api.admissionregistration.v1.RuleWithOperations', 'io.k8s.api.admissionregistration.v1.NamedRuleWithOperations']) {
    assert.equal(prop(name, 'resources')['x-kubernetes-list-type'], 'atomic', name);
    assert.deepEqual(prop(name, 'scope').enum, ['*', 'Cluster', 'Namespaced'], name);
  }
  const rule = 'io.k8s.api.authorization.v1.ResourceRule';
  assert.equal(prop(rule, 'verbs').type, 'array');
  assert.equal(prop(rule, 'resources').type, 'array');
  assert.ok(def(rule).required?.includes('verbs'));
});

test('JSONSchemaProps gains the x-kubernetes-* properties the typings lack', () => {
  const name = 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps';
  assert.equal(prop(name, 'x-kubernetes-preserve-unknown-fields').type, 'boolean');
  assert.equal(prop(name, 'x-kubernetes-int-or-string').type, 'boolean');
  assert.equal(prop(name, '$ref').type, 'string');
  assert.equal(prop(name, 'items').$ref, '#/definitions/io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaPropsOrArray');
});

test('APIService comes from the client-node models', () => {
  const name = 'io.k8s.kube-aggregator.pkg.apis.apiregistration.v1.APIService';
  assert.deepEqual(def(name)['x-kubernetes-group-version-kind'], [{ group: 'apiregistration.k8s.io', kind: 'APIService', version: 'v1' }]);
  const spec = 'io.k8s.kube-aggregator.pkg.apis.apiregistration.v1.APIServiceSpec';
  assert.match(prop(spec, 'caBundle').description ?? '', /server's serving certificate/);
  assert.deepEqual(def(spec).required, ['groupPriorityMinimum', 'versionPriority']);
});

test('output is deterministic and matches the built file', () => {
  const again = generateDefinitions(opts).file;
  assert.equal(serializeDefinitions(again), serializeDefinitions(file));
  const built = join(root, 'generated', 'openapi', 'definitions.json');
  if (existsSync(built)) assert.equal(readFileSync(built, 'utf8'), serializeDefinitions(file), 'generated/openapi/definitions.json is stale: run npm run build');
});

test('fields Kubernetes 1.31 and 1.32 added come from the protobuf schema', () => {
  assert.ok(protobuf !== undefined);
  const cases: { name: string; got: Schema; want: Schema }[] = [
    { name: 'PodSpec.resources (1.32)', got: prop(CORE + 'PodSpec', 'resources'), want: { $ref: '#/definitions/' + CORE + 'ResourceRequirements' } },
    { name: 'Volume.image (1.31, inlined VolumeSource)', got: prop(CORE + 'Volume', 'image'), want: { $ref: '#/definitions/' + CORE + 'ImageVolumeSource' } },
    { name: 'ContainerStatus.user', got: prop(CORE + 'ContainerStatus', 'user'), want: { $ref: '#/definitions/' + CORE + 'ContainerUser' } },
    { name: 'int64 items', got: prop(CORE + 'LinuxContainerUser', 'supplementalGroups'), want: { type: 'array', items: { type: 'integer', format: 'int64' } } },
    { name: 'pointer bool', got: prop(CORE + 'NodeFeatures', 'supplementalGroupsPolicy'), want: { type: 'boolean' } },
    { name: 'string', got: prop(CORE + 'PodResourceClaim', 'resourceClaimTemplateName'), want: { type: 'string' } },
    { name: 'MicroTime', got: prop('io.k8s.api.coordination.v1alpha2.LeaseCandidateSpec', 'renewTime'), want: { $ref: '#/definitions/' + META + 'MicroTime' } },
    { name: 'Quantity map', got: prop('io.k8s.api.resource.v1alpha3.BasicDevice', 'capacity'), want: { type: 'object', additionalProperties: { $ref: '#/definitions/io.k8s.apimachinery.pkg.api.resource.Quantity' } } },
    { name: 'RawExtension', got: prop('io.k8s.api.resource.v1beta1.OpaqueDeviceConfiguration', 'parameters'), want: { $ref: '#/definitions/io.k8s.apimachinery.pkg.runtime.RawExtension' } },
    { name: 'meta type', got: prop('io.k8s.api.authorization.v1.FieldSelectorAttributes', 'requirements'), want: { type: 'array', items: { $ref: '#/definitions/' + META + 'FieldSelectorRequirement' } } },
  ];
  for (const c of cases) {
    const { description: _d, ...got } = c.got;
    for (const k of Object.keys(got)) if (k.startsWith('x-')) delete got[k];
    assert.deepEqual(got, c.want, c.name);
  }
  assert.match(prop(CORE + 'PodSpec', 'resources').description ?? '', /^Pod-level compute resources/);
  assert.ok(protobuf.addedProperties.includes(CORE + 'PodSpec.resources'));
  assert.ok(protobuf.addedDefinitions.includes(CORE + 'ImageVolumeSource'));
  assert.deepEqual(protobuf.removedProperties, [CORE + 'PodResourceClaim.source']);
  assert.equal(def(CORE + 'PodResourceClaim').properties?.['source'], undefined, '1.31 removed PodResourceClaim.source');
  // Every added field of a served group is described.
  for (const key of protobuf.addedProperties) {
    const dot = key.lastIndexOf('.');
    assert.notEqual(prop(key.slice(0, dot), key.slice(dot + 1)).description ?? '', '', key);
  }
});

test('the tables apply to what the protobuf schema adds', () => {
  const cases: { name: string; got: Schema; want: Record<string, unknown> }[] = [
    {
      name: 'ContainerStatus.allocatedResourcesStatus: map by name, merged by name',
      got: prop(CORE + 'ContainerStatus', 'allocatedResourcesStatus'),
      want: { 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['name'], 'x-kubernetes-patch-strategy': 'merge', 'x-kubernetes-patch-merge-key': 'name' },
    },
    { name: 'ResourceStatus.resources by resourceID', got: prop(CORE + 'ResourceStatus', 'resources'), want: { 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['resourceID'] } },
    { name: 'LinuxContainerUser.supplementalGroups atomic', got: prop(CORE + 'LinuxContainerUser', 'supplementalGroups'), want: { 'x-kubernetes-list-type': 'atomic' } },
    {
      name: 'ResourceClaimStatus.reservedFor (v1beta1)',
      got: prop('io.k8s.api.resource.v1beta1.ResourceClaimStatus', 'reservedFor'),
      want: { 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['uid'], 'x-kubernetes-patch-merge-key': 'uid' },
    },
    {
      name: 'ResourceClaimStatus.devices (v1alpha3)',
      got: prop('io.k8s.api.resource.v1alpha3.ResourceClaimStatus', 'devices'),
      want: { 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['driver', 'device', 'pool'], 'x-kubernetes-patch-strategy': undefined },
    },
    { name: 'ServiceCIDRStatus.conditions', got: prop('io.k8s.api.networking.v1beta1.ServiceCIDRStatus', 'conditions'), want: { 'x-kubernetes-patch-merge-key': 'type', 'x-kubernetes-list-map-keys': ['type'] } },
    { name: 'MutatingAdmissionPolicySpec.matchConditions', got: prop('io.k8s.api.admissionregistration.v1alpha1.MutatingAdmissionPolicySpec', 'matchConditions'), want: { 'x-kubernetes-list-map-keys': ['name'] } },
  ];
  for (const c of cases) for (const [k, v] of Object.entries(c.want)) assert.deepEqual(c.got[k], v, `${c.name}: ${k}`);
  assert.deepEqual(prop(CORE + 'PodSecurityContext', 'supplementalGroupsPolicy').enum, ['Merge', 'Strict']);
  assert.match(prop(CORE + 'PodSecurityContext', 'supplementalGroupsPolicy').description ?? '', /\n\nPossible enum values:\n - `"Merge"`\n - `"Strict"`$/);
  assert.deepEqual(prop(CORE + 'ImageVolumeSource', 'pullPolicy').enum, ['Always', 'IfNotPresent', 'Never']);
  assert.equal(prop(CORE + 'ResourceHealth', 'resourceID').default, '', 'a list-map key gets its zero value');
  assert.equal(prop('io.k8s.api.resource.v1beta1.AllocatedDeviceStatus', 'pool').default, '');
});

test('kinds newer than the typings are published with their group-version-kind', () => {
  const cases: { def: string; gvk: { group: string; kind: string; version: string } }[] = [
    { def: 'io.k8s.api.resource.v1beta1.ResourceClaim', gvk: { group: 'resource.k8s.io', kind: 'ResourceClaim', version: 'v1beta1' } },
    { def: 'io.k8s.api.resource.v1alpha3.DeviceClassList', gvk: { group: 'resource.k8s.io', kind: 'DeviceClassList', version: 'v1alpha3' } },
    { def: 'io.k8s.api.storage.v1beta1.VolumeAttributesClass', gvk: { group: 'storage.k8s.io', kind: 'VolumeAttributesClass', version: 'v1beta1' } },
    { def: 'io.k8s.api.networking.v1beta1.ServiceCIDR', gvk: { group: 'networking.k8s.io', kind: 'ServiceCIDR', version: 'v1beta1' } },
    { def: 'io.k8s.api.coordination.v1alpha2.LeaseCandidate', gvk: { group: 'coordination.k8s.io', kind: 'LeaseCandidate', version: 'v1alpha2' } },
    { def: 'io.k8s.api.admissionregistration.v1alpha1.MutatingAdmissionPolicy', gvk: { group: 'admissionregistration.k8s.io', kind: 'MutatingAdmissionPolicy', version: 'v1alpha1' } },
  ];
  for (const c of cases) {
    const d = def(c.def);
    assert.deepEqual(d['x-kubernetes-group-version-kind'], [c.gvk], c.def);
    assert.equal(d.description, newKindDescription(c.gvk), c.def);
    assert.equal(prop(c.def, 'apiVersion').type, 'string', c.def);
    assert.match(prop(c.def, 'kind').description ?? '', /^Kind is a string value/, c.def);
  }
  assert.equal(def('io.k8s.api.resource.v1beta1.ResourceClaimSpec')['x-kubernetes-group-version-kind'], undefined);
  assert.equal(newKindDescription({ group: 'resource.k8s.io', kind: 'DeviceClassList', version: 'v1beta1' }), 'DeviceClassList is a list of resource.k8s.io/v1beta1 DeviceClass objects.');
});

test('without the protobuf schema the typings alone are published, with a warning', () => {
  const r = generateDefinitions({ ...opts, protobufSchemaFile: join(root, 'generated', 'protobuf', 'no-such-schema.json') });
  assert.equal(r.protobuf, undefined);
  assert.equal(r.file.source, 'kubernetes-types@1.30.0');
  assert.match(r.warnings[0] ?? '', /no-such-schema\.json not found .*fields and kinds newer than the typings are not published/);
  assert.match(r.warnings[1] ?? '', /^\d+ table entries name fields or definitions only the protobuf schema provides$/);
  assert.equal(r.warnings.length, 2);
  assert.equal(r.file.definitions[CORE + 'PodSpec']?.properties?.['resources'], undefined);
  assert.equal(r.file.definitions['io.k8s.api.resource.v1beta1.ResourceClaim'], undefined);
  assert.ok(r.file.definitions[CORE + 'PodResourceClaim']?.properties?.['source'] !== undefined);
});
