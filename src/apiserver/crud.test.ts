/**
 * Create / get / update / patch / delete through the HTTP API, and the metadata
 * rules the generic registry owns: uid and creationTimestamp on create, generateName,
 * generation bumped by spec changes only, the status/main-resource split, and dryRun.
 */
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, configMap, deployment, type TestServer } from './testharness.js';

let ts: TestServer;
const CM = '/api/v1/namespaces/default/configmaps';
const DEP = '/apis/apps/v1/namespaces/default/deployments';

before(async () => {
  ts = await startTestServer();
});
after(async () => {
  await ts?.close();
});

describe('create, get, update, patch, delete', () => {
  test('a ConfigMap round trip', async () => {
    const c = await ts.post(CM, configMap('round', { k: 'v1' }));
    assert.equal(c.status, 201, c.text);
    assert.equal(c.json.kind, 'ConfigMap');
    assert.equal(c.json.apiVersion, 'v1');
    assert.equal(c.json.metadata.namespace, 'default');
    assert.match(c.json.metadata.uid, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    assert.match(c.json.metadata.creationTimestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.match(c.json.metadata.resourceVersion, /^[1-9][0-9]*$/);
    assert.equal(c.json.metadata.generation, undefined, 'ConfigMaps carry no generation');

    const g = await ts.get(`${CM}/round`);
    assert.equal(g.status, 200);
    assert.deepEqual(g.json, c.json);

    // PUT with the current resourceVersion replaces the object; system fields survive.
    const put = await ts.put(`${CM}/round`, { ...g.json, data: { k: 'v2' }, metadata: { ...g.json.metadata, uid: 'forged' } });
    assert.equal(put.status, 422, 'uid is immutable');
    assert.match(put.json.message, /metadata\.uid: Invalid value: "forged": field is immutable/);
    const put2 = await ts.put(`${CM}/round`, { ...g.json, data: { k: 'v2' }, metadata: { ...g.json.metadata, creationTimestamp: '2000-01-01T00:00:00Z' } });
    assert.equal(put2.status, 200, put2.text);
    assert.equal(put2.json.data.k, 'v2');
    assert.equal(put2.json.metadata.creationTimestamp, c.json.metadata.creationTimestamp, 'creationTimestamp changes are ignored');
    assert.equal(put2.json.metadata.uid, c.json.metadata.uid);
    assert.ok(Number(put2.json.metadata.resourceVersion) > Number(c.json.metadata.resourceVersion));

    // PUT without a resourceVersion is an unconditional update.
    const put3 = await ts.put(`${CM}/round`, configMap('round', { k: 'v3' }));
    assert.equal(put3.status, 200, put3.text);
    assert.equal(put3.json.data.k, 'v3');

    const mp = await ts.patch(`${CM}/round`, { data: { extra: 'x', k: null } }, 'application/merge-patch+json');
    assert.equal(mp.status, 200, mp.text);
    assert.deepEqual(mp.json.data, { extra: 'x' });

    const jp = await ts.patch(
      `${CM}/round`,
      [
        { op: 'test', path: '/data/extra', value: 'x' },
        { op: 'add', path: '/data/k', value: 'v4' },
        { op: 'add', path: '/metadata/labels', value: { tier: 'web' } },
      ],
      'application/json-patch+json',
    );
    assert.equal(jp.status, 200, jp.text);
    assert.deepEqual(jp.json.data, { extra: 'x', k: 'v4' });
    assert.deepEqual(jp.json.metadata.labels, { tier: 'web' });

    const d = await ts.del(`${CM}/round`);
    assert.equal(d.status, 200, d.text);
    assert.equal(d.json.kind, 'Status');
    assert.equal(d.json.status, 'Success');
    assert.equal(d.json.details.name, 'round');
    assert.equal(d.json.details.uid, c.json.metadata.uid);
    assert.equal((await ts.get(`${CM}/round`)).status, 404);
  });

  test('a no-op update does not write', async () => {
    const c = await ts.post(CM, configMap('noop', { a: '1' }));
    const rv = await ts.revision();
    const p = await ts.patch(`${CM}/noop`, { data: { a: '1' } }, 'application/merge-patch+json');
    assert.equal(p.status, 200);
    assert.equal(p.json.metadata.resourceVersion, c.json.metadata.resourceVersion);
    assert.equal(await ts.revision(), rv);
  });

  test('YAML in and out', async () => {
    const y = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-yaml\ndata:\n  on: "yes"\n';
    const c = await ts.post(CM, y, { 'content-type': 'application/yaml', accept: 'application/yaml' });
    assert.equal(c.status, 201, c.text);
    assert.match(String(c.headers['content-type']), /^application\/yaml/);
    assert.match(c.text, /name: from-yaml/);
  });

  test('generateName', async () => {
    const names = new Set<string>();
    for (let i = 0; i < 3; i++) {
      const r = await ts.post(CM, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { generateName: 'gen-' } });
      assert.equal(r.status, 201, r.text);
      assert.match(r.json.metadata.name, /^gen-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
      assert.equal(r.json.metadata.generateName, 'gen-');
      names.add(r.json.metadata.name as string);
    }
    assert.equal(names.size, 3);
    const bad = await ts.post(CM, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { generateName: 'Bad-' } });
    assert.equal(bad.status, 422);
    assert.match(bad.json.message, /metadata\.generateName: Invalid value: "Bad-"/);
  });

  test('apiVersion and kind are filled from the endpoint when absent', async () => {
    const r = await ts.post(CM, { metadata: { name: 'typeless' } });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.kind, 'ConfigMap');
    assert.equal(r.json.apiVersion, 'v1');
  });

  test('PUT creates the kinds upstream allows to be created on update', async () => {
    const lease = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'leader' }, spec: { holderIdentity: 'a' } };
    const path = '/apis/coordination.k8s.io/v1/namespaces/default/leases/leader';
    const c = await ts.put(path, lease);
    assert.equal(c.status, 201, c.text);
    const u = await ts.put(path, { ...lease, metadata: { name: 'leader', resourceVersion: c.json.metadata.resourceVersion }, spec: { holderIdentity: 'b' } });
    assert.equal(u.status, 200, u.text);
    const stale = await ts.put(path, { ...lease, metadata: { name: 'leader', resourceVersion: c.json.metadata.resourceVersion }, spec: { holderIdentity: 'c' } });
    assert.equal(stale.status, 409);
    // ConfigMaps are not among them.
    assert.equal((await ts.put(`${CM}/not-there`, configMap('not-there'))).status, 404);
  });

  test('a cluster-scoped object has no namespace', async () => {
    const r = await ts.post('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team-a' } });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.metadata.namespace, undefined);
    assert.equal(r.json.status.phase, 'Active');
    assert.deepEqual(r.json.spec.finalizers, ['kubernetes']);
    assert.equal(r.json.metadata.labels['kubernetes.io/metadata.name'], 'team-a');
  });
});

describe('generation and the status split (deployments)', () => {
  test('generation starts at 1 and moves with the spec only', async () => {
    const c = await ts.post(DEP, deployment('web'));
    assert.equal(c.status, 201, c.text);
    assert.equal(c.json.metadata.generation, 1);
    assert.deepEqual(c.json.status, {}, 'a create may not set status: it starts as the empty struct');

    const meta = await ts.patch(`${DEP}/web`, { metadata: { labels: { a: 'b' }, annotations: { note: 'x' } } }, 'application/merge-patch+json');
    assert.equal(meta.status, 200, meta.text);
    assert.equal(meta.json.metadata.generation, 1, 'metadata changes do not bump generation');

    const spec = await ts.patch(`${DEP}/web`, { spec: { replicas: 3 } }, 'application/merge-patch+json');
    assert.equal(spec.json.metadata.generation, 2);

    // The main resource ignores status.
    const st = await ts.patch(`${DEP}/web`, { status: { replicas: 9 } }, 'application/merge-patch+json');
    assert.equal(st.status, 200);
    assert.deepEqual(st.json.status, {});
    assert.equal(st.json.metadata.generation, 2);

    // The status subresource writes status, ignores spec, and leaves generation alone.
    const cur = (await ts.get(`${DEP}/web`)).json;
    const su = await ts.put(`${DEP}/web/status`, { ...cur, spec: { ...cur.spec, replicas: 7 }, status: { replicas: 3, observedGeneration: 2 } });
    assert.equal(su.status, 200, su.text);
    assert.equal(su.json.status.replicas, 3);
    assert.equal(su.json.spec.replicas, 3, 'spec changes through /status are ignored');
    assert.equal(su.json.metadata.generation, 2);

    const sp = await ts.patch(`${DEP}/web/status`, { status: { readyReplicas: 2 }, metadata: { labels: { changed: 'yes' } } }, 'application/merge-patch+json');
    assert.equal(sp.status, 200, sp.text);
    assert.equal(sp.json.status.readyReplicas, 2);
    assert.equal(sp.json.metadata.labels.changed, undefined, 'metadata changes through /status are ignored');
    const gs = await ts.get(`${DEP}/web/status`);
    assert.equal(gs.status, 200);
    assert.equal(gs.json.kind, 'Deployment');

    // ... and the main resource keeps the status it has.
    const main = await ts.patch(`${DEP}/web`, { spec: { replicas: 4 }, status: { replicas: 100 } }, 'application/merge-patch+json');
    assert.equal(main.json.status.replicas, 3);
    assert.equal(main.json.metadata.generation, 3);
  });

  test('generation cannot be set by the client', async () => {
    const d = deployment('gen');
    d.metadata.generation = 42;
    const c = await ts.post(DEP, d);
    assert.equal(c.json.metadata.generation, 1);
    const p = await ts.patch(`${DEP}/gen`, { metadata: { generation: 17 } }, 'application/merge-patch+json');
    assert.equal(p.json.metadata.generation, 1);
  });
});

describe('dryRun=All writes nothing', () => {
  test('create, update, patch and delete', async () => {
    await ts.post(CM, configMap('dry', { a: '1' }));
    const rv = await ts.revision();

    const c = await ts.post(`${CM}?dryRun=All`, configMap('dry-new', { a: '1' }));
    assert.equal(c.status, 201, c.text);
    assert.equal(c.json.metadata.name, 'dry-new');
    assert.ok(c.json.metadata.uid);
    assert.equal((await ts.get(`${CM}/dry-new`)).status, 404);

    const exists = await ts.post(`${CM}?dryRun=All`, configMap('dry', { a: '1' }));
    assert.equal(exists.status, 409, 'a dry-run create still reports AlreadyExists');

    const cur = (await ts.get(`${CM}/dry`)).json;
    const u = await ts.put(`${CM}/dry?dryRun=All`, { ...cur, data: { a: '2' } });
    assert.equal(u.status, 200, u.text);
    assert.equal(u.json.data.a, '2');

    const p = await ts.patch(`${CM}/dry?dryRun=All`, { data: { a: '3' } }, 'application/merge-patch+json');
    assert.equal(p.status, 200);
    assert.equal(p.json.data.a, '3');

    const d = await ts.del(`${CM}/dry?dryRun=All`);
    assert.equal(d.status, 200, d.text);

    const dBody = await ts.del(`${CM}/dry`, { kind: 'DeleteOptions', apiVersion: 'v1', dryRun: ['All'] });
    assert.equal(dBody.status, 200, dBody.text);

    assert.equal(await ts.revision(), rv);
    const after = (await ts.get(`${CM}/dry`)).json;
    assert.equal(after.data.a, '1');
    assert.equal(after.metadata.resourceVersion, cur.metadata.resourceVersion);
  });
});
