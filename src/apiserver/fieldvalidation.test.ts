/**
 * fieldValidation through the HTTP API: what a client sees (status, message, Warning
 * headers) and what is stored (unknown fields never; a repeated key as Go decodes it)
 * for create, update and each patch type, under Strict, Warn (the default) and Ignore.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, deployment, type Response, type TestServer } from './testharness.js';

const DEP = '/apis/apps/v1/namespaces/default/deployments';
const CM = '/api/v1/namespaces/default/configmaps';

let ts: TestServer;

before(async () => {
  ts = await startTestServer();
});

after(async () => {
  await ts?.close();
});

/** The texts of the Warning headers, in order (Node joins repeated headers with ", "). */
function warnings(r: Response): string[] {
  const h = r.headers['warning'];
  const joined = Array.isArray(h) ? h.join(', ') : (h ?? '');
  return [...joined.matchAll(/299 - ("(?:[^"\\]|\\.)*")/g)].map((m) => JSON.parse(m[1]!) as string);
}

/** A Deployment body as text, with `extra` spliced into its spec (repeated keys are only possible in text). */
function deploymentText(name: string, extra: string): string {
  return JSON.stringify(deployment(name, 1)).replace('"replicas":1', `"replicas":1,${extra}`);
}

const createCases: { name: string; query: string; body: string; contentType?: string; status: number; message?: string; warnings: string[]; replicas?: number }[] = [
  {
    name: 'default (Warn): one Warning per unknown or duplicate field, created with the last value',
    query: '',
    body: deploymentText('warn', '"replicass":5,"replicas":3'),
    status: 201,
    warnings: ['unknown field "spec.replicass"', 'duplicate field "spec.replicas"'],
    replicas: 3,
  },
  {
    name: 'Strict: 400 naming every field',
    query: '?fieldValidation=Strict',
    body: deploymentText('strict', '"replicass":5,"replicas":3'),
    status: 400,
    message: 'Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.replicass", duplicate field "spec.replicas"',
    warnings: [],
  },
  { name: 'Ignore: created silently', query: '?fieldValidation=Ignore', body: deploymentText('ignore', '"replicass":5,"replicas":4'), status: 201, warnings: [], replicas: 4 },
  {
    name: 'YAML, Warn: go-yaml\'s complaint lines, then unknown fields',
    query: '',
    contentType: 'application/yaml',
    body: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: yaml\nspec:\n  replicas: 1\n  zeta: 1\n  replicas: 2\n  alpha: 1\n  selector:\n    matchLabels: {app: yaml}\n  template:\n    metadata:\n      labels: {app: yaml}\n    spec:\n      containers:\n      - {name: c, image: nginx}\n',
    status: 201,
    warnings: ['line 8: key "replicas" already set in map', 'unknown field "spec.alpha"', 'unknown field "spec.zeta"'],
    replicas: 2,
  },
];

for (const c of createCases) {
  test(`create: ${c.name}`, async () => {
    const before = await ts.revision();
    const r = await ts.request('POST', `${DEP}${c.query}`, { body: c.body, ...(c.contentType ? { headers: { 'content-type': c.contentType } } : {}) });
    assert.equal(r.status, c.status, r.text);
    assert.deepEqual(warnings(r), c.warnings);
    if (c.message !== undefined) {
      assert.equal(r.json.reason, 'BadRequest');
      assert.equal(r.json.message, c.message);
      assert.equal(await ts.revision(), before, 'nothing was written');
      return;
    }
    const stored = (await ts.get(`${DEP}/${r.json.metadata.name}`)).json;
    assert.equal(stored.spec.replicas, c.replicas);
    for (const o of [r.json, stored]) {
      assert.equal(o.spec.replicass, undefined);
      assert.equal(o.spec.alpha, undefined);
      assert.equal(o.spec.zeta, undefined);
    }
  });
}

test('create: a repeated struct field is decoded into the one before it, as Go does', async () => {
  const body = JSON.stringify(configMapWithLabels('merged')).replace('"labels":{"a":"1"}', '"labels":{"a":"1"},"labels":{"b":"2"}');
  const r = await ts.request('POST', CM, { body });
  assert.equal(r.status, 201, r.text);
  assert.deepEqual(warnings(r), ['duplicate field "metadata.labels"']);
  assert.deepEqual((await ts.get(`${CM}/merged`)).json.metadata.labels, { a: '1', b: '2' });
});

function configMapWithLabels(name: string): Record<string, unknown> {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels: { a: '1' } }, data: { k: 'v' } };
}

test('update: Warn drops the unknown field from the stored object; Strict refuses', async () => {
  const c = await ts.post(CM, configMapWithLabels('upd'));
  assert.equal(c.status, 201, c.text);
  const body = { ...c.json, dataa: { x: 'y' }, data: { k: 'v2' } };
  const warn = await ts.put(`${CM}/upd`, body);
  assert.equal(warn.status, 200, warn.text);
  assert.deepEqual(warnings(warn), ['unknown field "dataa"']);
  assert.equal(warn.json.dataa, undefined);
  const stored = (await ts.get(`${CM}/upd`)).json;
  assert.equal(stored.dataa, undefined);
  assert.deepEqual(stored.data, { k: 'v2' });

  const strict = await ts.put(`${CM}/upd?fieldValidation=Strict`, { ...stored, dataa: {} });
  assert.equal(strict.status, 400);
  assert.equal(strict.json.message, 'ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "dataa"');
});

const patchCases: { name: string; contentType: string; query: string; body: string; status: number; warnings: string[]; message?: RegExp; replicas?: number }[] = [
  {
    name: 'merge patch, default: duplicates of the body, then unknown fields of the result',
    contentType: 'application/merge-patch+json',
    query: '',
    body: '{"spec":{"replicas":2,"replicas":5,"zz":1,"aa":2}}',
    status: 200,
    warnings: ['duplicate field "spec.replicas"', 'unknown field "spec.aa"', 'unknown field "spec.zz"'],
    replicas: 5,
  },
  {
    name: 'strategic merge patch, Strict: 422 on field patch',
    contentType: 'application/strategic-merge-patch+json',
    query: '?fieldValidation=Strict',
    body: '{"spec":{"replicas":6,"replicass":1}}',
    status: 422,
    warnings: [],
    message: /^ "" is invalid: patch: Invalid value: "map\[spec:map\[replicas:6 replicass:1\]\]": strict decoding error: unknown field "spec\.replicass"$/,
  },
  {
    name: 'JSON patch, default: the operations are checked too',
    contentType: 'application/json-patch+json',
    query: '',
    body: '[{"op":"replace","path":"/spec/replicas","value":7,"valu":1},{"op":"add","path":"/spec/extra","value":1}]',
    status: 200,
    warnings: ['json patch unknown field "[0].valu"', 'unknown field "spec.extra"'],
    replicas: 7,
  },
  { name: 'merge patch, Ignore: silent', contentType: 'application/merge-patch+json', query: '?fieldValidation=Ignore', body: '{"spec":{"replicas":8,"zz":1}}', status: 200, warnings: [], replicas: 8 },
];

for (const c of patchCases) {
  test(`patch: ${c.name}`, async () => {
    const name = `p-${patchCases.indexOf(c)}`;
    assert.equal((await ts.post(DEP, deployment(name))).status, 201);
    const before = await ts.revision();
    const r = await ts.patch(`${DEP}/${name}${c.query}`, c.body, c.contentType);
    assert.equal(r.status, c.status, r.text);
    assert.deepEqual(warnings(r), c.warnings);
    if (c.message !== undefined) {
      assert.equal(r.json.reason, 'Invalid');
      assert.match(r.json.message, c.message);
      assert.deepEqual(r.json.details.causes.map((x: { field: string }) => x.field), ['patch']);
      assert.equal(await ts.revision(), before, 'nothing was written');
      return;
    }
    const stored = (await ts.get(`${DEP}/${name}`)).json;
    assert.equal(stored.spec.replicas, c.replicas);
    for (const o of [r.json, stored]) {
      assert.equal(o.spec.zz, undefined);
      assert.equal(o.spec.aa, undefined);
      assert.equal(o.spec.extra, undefined);
    }
  });
}

test('patch: a patch that only adds unknown fields changes nothing and writes nothing', async () => {
  const c = await ts.post(DEP, deployment('noop'));
  assert.equal(c.status, 201);
  const r = await ts.patch(`${DEP}/noop`, '{"spec":{"nonsense":true}}', 'application/strategic-merge-patch+json');
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(warnings(r), ['unknown field "spec.nonsense"']);
  assert.equal(r.json.metadata.resourceVersion, c.json.metadata.resourceVersion);
});
