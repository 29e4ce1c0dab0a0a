/**
 * Server-side apply over HTTP: create-on-apply (201), PatchOptions validation, name
 * checks, conflicts as a 409 Status, and managedFields on ordinary writes.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from './testharness.js';

let ts: TestServer;
before(async () => {
  ts = await startTestServer();
});
after(async () => {
  await ts?.close();
});

const APPLY = 'application/apply-patch+yaml';
const CM = '/api/v1/namespaces/default/configmaps';
const cm = (name: string, data: Record<string, string>) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data });

test('apply creates (201), then updates (200), owning what it sent', async () => {
  const c = await ts.patch(`${CM}/applied?fieldManager=tool`, cm('applied', { a: '1' }), APPLY);
  assert.equal(c.status, 201, c.text);
  assert.deepEqual(c.json.data, { a: '1' });
  assert.deepEqual(
    c.json.metadata.managedFields.map((e: any) => [e.manager, e.operation, e.apiVersion, e.fieldsType, e.fieldsV1]),
    [['tool', 'Apply', 'v1', 'FieldsV1', { 'f:data': { 'f:a': {} } }]],
  );
  const u = await ts.patch(`${CM}/applied?fieldManager=tool`, cm('applied', { b: '2' }), APPLY);
  assert.equal(u.status, 200, u.text);
  assert.deepEqual(u.json.data, { b: '2' }, 'a key the applier stopped sending is removed');
});

test('PatchOptions are validated as upstream', async () => {
  const rows = [
    { url: `${CM}/x`, type: APPLY, want: 'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch' },
    { url: `${CM}/x?fieldManager=m&force=true`, type: 'application/merge-patch+json', want: 'PatchOptions.meta.k8s.io "" is invalid: force: Forbidden: may not be specified for non-apply patch' },
    { url: `${CM}/x?fieldManager=${'m'.repeat(129)}`, type: APPLY, want: 'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Too long: may not be more than 128 bytes' },
  ];
  for (const r of rows) {
    const res = await ts.patch(r.url, cm('x', {}), r.type);
    assert.equal(res.status, 422, res.text);
    assert.equal(res.json.message, r.want);
  }
});

test('a configuration naming another object is refused and nothing is created', async () => {
  const r = await ts.patch(`${CM}/url-name?fieldManager=tool`, cm('body-name', {}), APPLY);
  assert.equal(r.status, 400, r.text);
  assert.equal(r.json.message, 'the name of the object (body-name) does not match the name on the URL (url-name)');
  assert.equal((await ts.get(`${CM}/body-name`)).status, 404);
  assert.equal((await ts.get(`${CM}/url-name`)).status, 404);
});

test('a conflict is a 409 Status with FieldManagerConflict causes; force takes the field', async () => {
  await ts.patch(`${CM}/shared?fieldManager=first`, cm('shared', { k: 'one' }), APPLY);
  const r = await ts.patch(`${CM}/shared?fieldManager=second`, cm('shared', { k: 'two' }), APPLY);
  assert.equal(r.status, 409, r.text);
  assert.equal(r.json.reason, 'Conflict');
  assert.equal(r.json.message, 'Apply failed with 1 conflict: conflict with "first": .data.k');
  assert.deepEqual(r.json.details, { causes: [{ reason: 'FieldManagerConflict', message: 'conflict with "first"', field: '.data.k' }] });
  const f = await ts.patch(`${CM}/shared?fieldManager=second&force=true`, cm('shared', { k: 'two' }), APPLY);
  assert.equal(f.status, 200, f.text);
  assert.deepEqual(f.json.metadata.managedFields.map((e: any) => e.manager), ['second']);
});

test('ordinary writes record their manager from ?fieldManager or the User-Agent', async () => {
  const c = await ts.post(`${CM}?fieldManager=creator`, cm('plain', { a: '1' }));
  assert.equal(c.status, 201, c.text);
  assert.deepEqual(c.json.metadata.managedFields.map((e: any) => [e.manager, e.operation]), [['creator', 'Update']]);
  const p = await ts.patch(`${CM}/plain`, { data: { b: '2' } }, 'application/merge-patch+json', { 'user-agent': 'my-tool/1.0 (linux)' });
  assert.equal(p.status, 200, p.text);
  const byManager = Object.fromEntries(p.json.metadata.managedFields.map((e: any) => [e.manager, e.fieldsV1]));
  assert.deepEqual(byManager['my-tool'], { 'f:data': { 'f:b': {} } });
  assert.deepEqual(byManager.creator, { 'f:data': { '.': {}, 'f:a': {} } });
});
