import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { INT_OR_STRING, findRepoRoot, generateDefinitions, packageForTypingsFile, serializeDefinitions } from './gen-openapi.js';
import type { Schema } from '../src/apiserver/openapi/schema.js';

const root = findRepoRoot(dirname(fileURLToPath(import.meta.url)));
const opts = {
  typesDir: join(root, 'node_modules', 'kubernetes-types'),
  clientNodeModelsDir: join(root, 'node_modules', '@kubernetes', 'client-node', 'dist', 'gen', 'models'),
};
const { file, warnings } = generateDefinitions(opts);
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
  assert.match(file.source, /^kubernetes-types@1\.30/);
  assert.ok(Object.keys(defs).length > 600);
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

test('patch strategies, merge keys and list types come from the table', () => {
  const containers = prop('io.k8s.api.core.v1.PodSpec', 'containers');
  assert.equal(containers['x-kubernetes-patch-strategy'], 'merge');
  assert.equal(containers['x-kubernetes-patch-merge-key'], 'name');
  assert.equal(containers['x-kubernetes-list-type'], 'map');
  assert.deepEqual(containers['x-kubernetes-list-map-keys'], ['name']);
  assert.equal(prop('io.k8s.api.core.v1.PodSpec', 'volumes')['x-kubernetes-patch-strategy'], 'merge,retainKeys');
  assert.deepEqual(prop('io.k8s.api.core.v1.Container', 'ports')['x-kubernetes-list-map-keys'], ['containerPort', 'protocol']);
  assert.equal(prop('io.k8s.api.apps.v1.DeploymentSpec', 'strategy')['x-kubernetes-patch-strategy'], 'retainKeys');
  assert.equal(def('io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector')['x-kubernetes-map-type'], 'atomic');
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
