import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isStatusError } from './errors.js';
import { applyStrategicMergePatch, definitionForKind, goFormat, Lookup, type SMPDefinitions } from './strategicpatch.js';

/** A small schema in the generated definitions' shape: $ref between types, patch extensions on fields. */
const DEFS: SMPDefinitions = {
  Deployment: {
    properties: { metadata: { $ref: '#/definitions/ObjectMeta' }, spec: { $ref: '#/definitions/DeploymentSpec' } },
    'x-kubernetes-group-version-kind': [{ group: 'apps', version: 'v1', kind: 'Deployment' }],
  },
  ObjectMeta: {
    properties: {
      labels: { type: 'object', additionalProperties: { type: 'string' } },
      finalizers: { type: 'array', items: { type: 'string' }, 'x-kubernetes-patch-strategy': 'merge' },
    },
  },
  DeploymentSpec: {
    properties: {
      template: { $ref: '#/definitions/PodTemplateSpec' },
      strategy: { $ref: '#/definitions/DeploymentStrategy', 'x-kubernetes-patch-strategy': 'retainKeys' },
    },
  },
  DeploymentStrategy: { properties: { type: { type: 'string' }, rollingUpdate: { type: 'object' } } },
  PodTemplateSpec: { properties: { spec: { $ref: '#/definitions/PodSpec' } } },
  PodSpec: {
    properties: {
      containers: { type: 'array', items: { $ref: '#/definitions/Container' }, 'x-kubernetes-patch-strategy': 'merge', 'x-kubernetes-patch-merge-key': 'name' },
      volumes: { type: 'array', items: { $ref: '#/definitions/Volume' }, 'x-kubernetes-patch-strategy': 'merge,retainKeys', 'x-kubernetes-patch-merge-key': 'name' },
      tolerations: { type: 'array', items: { type: 'object' } },
      nodeSelector: { type: 'object', additionalProperties: { type: 'string' } },
    },
  },
  Container: {
    properties: {
      env: { type: 'array', items: { $ref: '#/definitions/EnvVar' }, 'x-kubernetes-patch-strategy': 'merge', 'x-kubernetes-patch-merge-key': 'name' },
      ports: { type: 'array', items: { type: 'object' }, 'x-kubernetes-patch-strategy': 'merge', 'x-kubernetes-patch-merge-key': 'containerPort' },
      args: { type: 'array', items: { type: 'string' } },
    },
  },
  EnvVar: { properties: { name: { type: 'string' }, value: { type: 'string' } } },
  Volume: { properties: { name: { type: 'string' }, emptyDir: { type: 'object' }, hostPath: { type: 'object' } } },
};

const schema = Lookup.forDefinition(DEFS, 'Deployment')!;

type Obj = Record<string, unknown>;
const deploy = (containers: unknown[], extra: Obj = {}): Obj => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', labels: { app: 'web' }, finalizers: ['a', 'b'] },
  spec: { template: { spec: { containers, ...extra } } },
});
const containersOf = (o: Obj): unknown => ((((o['spec'] as Obj)['template'] as Obj)['spec'] as Obj)['containers']);
const podSpecOf = (o: Obj): Obj => ((o['spec'] as Obj)['template'] as Obj)['spec'] as Obj;
const tmpl = (spec: Obj): Obj => ({ spec: { template: { spec } } });

const nginx = { name: 'nginx', image: 'nginx:1.27', env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }] };
const side = { name: 'side', image: 'busybox' };

test('applyStrategicMergePatch: merges by the schema', () => {
  const cases: { name: string; original: Obj; patch: Obj; want: (o: Obj) => unknown; equal: unknown }[] = [
    {
      name: 'container merged by name, other fields kept',
      original: deploy([nginx, side]),
      patch: tmpl({ containers: [{ name: 'nginx', image: 'x' }] }),
      want: containersOf,
      equal: [{ ...nginx, image: 'x' }, side],
    },
    {
      name: 'new container goes before server-only items (upstream order)',
      original: deploy([nginx]),
      patch: tmpl({ containers: [side] }),
      want: containersOf,
      equal: [side, nginx],
    },
    {
      name: 'env merged by name; null deletes a field',
      original: deploy([nginx]),
      patch: tmpl({ containers: [{ name: 'nginx', image: null, env: [{ name: 'B', value: '3' }] }] }),
      want: containersOf,
      equal: [{ name: 'nginx', env: [{ name: 'A', value: '1' }, { name: 'B', value: '3' }] }],
    },
    {
      name: '$patch: delete in a list item removes it',
      original: deploy([nginx, side]),
      patch: tmpl({ containers: [{ name: 'side', $patch: 'delete' }] }),
      want: containersOf,
      equal: [nginx],
    },
    {
      name: '$patch: replace in a list replaces it',
      original: deploy([nginx, side]),
      patch: tmpl({ containers: [{ name: 'only' }, { $patch: 'replace' }] }),
      want: containersOf,
      equal: [{ name: 'only' }],
    },
    {
      name: '$patch: replace in a map',
      original: deploy([nginx], { nodeSelector: { a: '1', b: '2' } }),
      patch: tmpl({ nodeSelector: { c: '3', $patch: 'replace' } }),
      want: (o) => podSpecOf(o)['nodeSelector'],
      equal: { c: '3' },
    },
    {
      name: '$patch: delete in a map',
      original: deploy([nginx], { nodeSelector: { a: '1' } }),
      patch: tmpl({ nodeSelector: { $patch: 'delete' } }),
      want: (o) => podSpecOf(o)['nodeSelector'],
      equal: {},
    },
    {
      name: 'maps merge recursively',
      original: deploy([nginx], { nodeSelector: { a: '1' } }),
      patch: tmpl({ nodeSelector: { b: '2', a: null } }),
      want: (o) => podSpecOf(o)['nodeSelector'],
      equal: { b: '2' },
    },
    {
      name: 'list without strategy is replaced',
      original: deploy([nginx], { tolerations: [{ key: 'a' }] }),
      patch: tmpl({ tolerations: [{ key: 'b' }] }),
      want: (o) => podSpecOf(o)['tolerations'],
      equal: [{ key: 'b' }],
    },
    {
      name: 'primitive list with merge strategy is a set union',
      original: deploy([nginx]),
      patch: { metadata: { finalizers: ['b', 'c'] } },
      want: (o) => (o['metadata'] as Obj)['finalizers'],
      equal: ['a', 'b', 'c'],
    },
    {
      name: '$deleteFromPrimitiveList',
      original: deploy([nginx]),
      patch: { metadata: { '$deleteFromPrimitiveList/finalizers': ['a'] } },
      want: (o) => (o['metadata'] as Obj)['finalizers'],
      equal: ['b'],
    },
    {
      name: '$setElementOrder orders the merged list',
      original: deploy([nginx, side]),
      patch: tmpl({ '$setElementOrder/containers': [{ name: 'side' }, { name: 'nginx' }, { name: 'new' }], containers: [{ name: 'new' }] }),
      want: containersOf,
      equal: [side, nginx, { name: 'new' }],
    },
    {
      name: '$setElementOrder with the env var removed (kubectl apply)',
      original: deploy([nginx]),
      patch: tmpl({
        '$setElementOrder/containers': [{ name: 'nginx' }],
        containers: [{ name: 'nginx', image: 'nginx:1.28', '$setElementOrder/env': [{ name: 'A' }], env: [{ name: 'B', $patch: 'delete' }] }],
      }),
      want: containersOf,
      equal: [{ name: 'nginx', image: 'nginx:1.28', env: [{ name: 'A', value: '1' }] }],
    },
    {
      name: '$retainKeys drops keys not listed (strategy type switch)',
      original: { spec: { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1 } } } },
      patch: { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate' } } },
      want: (o) => (o['spec'] as Obj)['strategy'],
      equal: { type: 'Recreate' },
    },
    {
      name: 'volumes (merge,retainKeys) merge by name',
      original: deploy([nginx], { volumes: [{ name: 'v', emptyDir: {} }] }),
      patch: tmpl({ volumes: [{ name: 'v', $retainKeys: ['name', 'hostPath'], hostPath: { path: '/x' } }] }),
      want: (o) => podSpecOf(o)['volumes'],
      equal: [{ name: 'v', hostPath: { path: '/x' } }],
    },
    {
      name: 'null deletes a top-level key; a new key is added without its nulls',
      original: deploy([nginx]),
      patch: { metadata: { labels: null, annotations: { a: 'x', b: null } } },
      want: (o) => o['metadata'],
      equal: { name: 'web', finalizers: ['a', 'b'], annotations: { a: 'x' } },
    },
    {
      name: 'type change replaces',
      original: { spec: { replicas: 1 } },
      patch: { spec: { replicas: { x: 1 } } },
      want: (o) => o['spec'],
      equal: { replicas: { x: 1 } },
    },
  ];
  for (const c of cases) {
    const before = JSON.stringify(c.original);
    const got = applyStrategicMergePatch(c.original, c.patch, schema);
    assert.deepEqual(c.want(got), c.equal, c.name);
    assert.equal(JSON.stringify(c.original), before, `${c.name}: original untouched`);
  }
});

test('applyStrategicMergePatch: errors as the apiserver reports them', () => {
  const withStrategy = { ...deploy([nginx]), spec: { strategy: { type: 'RollingUpdate' }, template: { spec: { containers: [nginx] } } } };
  const cases: { name: string; patch: unknown; code: number; message: string | RegExp }[] = [
    { name: 'not JSON', patch: '{', code: 400, message: /unexpected end of JSON input/ },
    { name: 'an array', patch: '[]', code: 400, message: 'json: cannot unmarshal array into Go value of type map[string]interface {}' },
    {
      name: 'list item without merge key',
      patch: tmpl({ containers: [{ image: 'x' }] }),
      code: 500,
      message: 'map: map[image:x] does not contain declared merge key: name',
    },
    { name: 'unknown $patch in a map', patch: { spec: { $patch: 'bogus' } }, code: 500, message: 'unknown patch type: bogus in map: map[$patch:bogus]' },
    { name: '$patch: merge in a list', patch: tmpl({ containers: [{ $patch: 'merge' }] }), code: 500, message: 'merging lists cannot yet be specified in the patch' },
    { name: 'bad $retainKeys', patch: { spec: { strategy: { $retainKeys: 'type' } } }, code: 400, message: 'invalid patch format of retainKeys' },
    { name: 'patch not in $retainKeys', patch: { spec: { strategy: { $retainKeys: ['type'], rollingUpdate: {} } } }, code: 422, message: "patch content doesn't match retainKeys list" },
    { name: 'bad $setElementOrder', patch: tmpl({ '$setElementOrder/containers': 'x' }), code: 400, message: 'invalid patch format of setElementOrder list' },
    { name: 'bad $deleteFromPrimitiveList', patch: { metadata: { '$deleteFromPrimitiveList/finalizers': 'a' } }, code: 400, message: 'invalid patch format of primitive list' },
    { name: 'list of lists', patch: { metadata: { finalizers: [['x']] } }, code: 422, message: 'lists of lists are not supported' },
  ];
  for (const c of cases) {
    let err: unknown;
    try {
      applyStrategicMergePatch(withStrategy, c.patch, schema);
    } catch (e) {
      err = e;
    }
    assert.ok(isStatusError(err), `${c.name}: ${String(err)}`);
    assert.equal(err.code, c.code, c.name);
    if (typeof c.message === 'string') assert.equal(err.message, c.message, c.name);
    else assert.match(err.message, c.message, c.name);
  }
});

test('goFormat prints maps as Go does', () => {
  assert.equal(goFormat({ b: 1, a: ['x', null], c: { d: true } }), 'map[a:[x <nil>] b:1 c:map[d:true]]');
});

test('the generated definitions carry the merge keys kubectl uses', () => {
  const here = dirname(fileURLToPath(import.meta.url));
  let defs: SMPDefinitions | undefined;
  for (const up of ['../..', '../../..']) {
    try {
      defs = (JSON.parse(readFileSync(join(here, up, 'generated/openapi/definitions.json'), 'utf8')) as { definitions: SMPDefinitions }).definitions;
      break;
    } catch {
      /* try the next candidate */
    }
  }
  assert.ok(defs, 'definitions.json found');
  const name = definitionForKind(defs, 'apps', 'v1', 'Deployment');
  assert.equal(name, 'io.k8s.api.apps.v1.Deployment');
  const real = Lookup.forDefinition(defs, name)!;
  const orig = deploy([{ ...nginx, ports: [{ containerPort: 80, protocol: 'TCP' }], volumeMounts: [{ name: 'v', mountPath: '/a' }] }]);
  const got = applyStrategicMergePatch(
    orig,
    tmpl({ containers: [{ name: 'nginx', ports: [{ containerPort: 443 }], volumeMounts: [{ name: 'w', mountPath: '/a' }], env: [{ name: 'C', value: '3' }] }] }),
    real,
  );
  assert.deepEqual(containersOf(got), [
    {
      ...nginx,
      env: [{ name: 'C', value: '3' }, ...nginx.env],
      ports: [{ containerPort: 443 }, { containerPort: 80, protocol: 'TCP' }],
      volumeMounts: [{ name: 'w', mountPath: '/a' }],
    },
  ]);
  assert.ok(definitionForKind(defs, 'autoscaling', 'v1', 'Scale'));
  assert.equal(definitionForKind(defs, 'example.com', 'v1', 'Widget'), undefined);
});
