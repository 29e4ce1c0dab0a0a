/**
 * Renderings a client asks for with Accept: Tables (kubectl get) with includeObject,
 * PartialObjectMetadata(List) (metadata-only informers, the garbage collector), and
 * aggregated discovery.
 */
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, configMap, type TestServer } from './testharness.js';

let ts: TestServer;
const CM = '/api/v1/namespaces/default/configmaps';
const TABLE = 'application/json;as=Table;v=v1;g=meta.k8s.io';

before(async () => {
  ts = await startTestServer();
  await ts.post(CM, configMap('t1', { a: '1' }, { app: 'x' }));
  await ts.post(CM, configMap('t2', { a: '1', b: '2' }));
});
after(async () => {
  await ts?.close();
});

describe('Table', () => {
  test('a list as a Table with object metadata (the default)', async () => {
    const r = await ts.get(CM, { accept: `${TABLE}, application/json` });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.kind, 'Table');
    assert.equal(r.json.apiVersion, 'meta.k8s.io/v1');
    assert.ok(r.json.metadata.resourceVersion);
    const cols = r.json.columnDefinitions.map((c: { name: string }) => c.name);
    assert.deepEqual(cols, ['Name', 'Data', 'Age']);
    assert.equal(r.json.columnDefinitions[0].format, 'name');
    assert.deepEqual(
      r.json.rows.map((row: { cells: unknown[] }) => row.cells.slice(0, 2)),
      [
        ['t1', 1],
        ['t2', 2],
      ],
    );
    const obj = r.json.rows[0].object;
    assert.equal(obj.kind, 'PartialObjectMetadata');
    assert.equal(obj.apiVersion, 'meta.k8s.io/v1');
    assert.equal(obj.metadata.name, 't1');
    assert.equal(obj.data, undefined);
  });

  test('includeObject=Object and None', async () => {
    const full = await ts.get(`${CM}?includeObject=Object`, { accept: TABLE });
    assert.equal(full.json.rows[0].object.kind, 'ConfigMap');
    assert.deepEqual(full.json.rows[0].object.data, { a: '1' });
    const none = await ts.get(`${CM}?includeObject=None`, { accept: TABLE });
    assert.equal(none.json.rows[0].object, undefined);
  });

  test('a single object as a Table', async () => {
    const r = await ts.get(`${CM}/t2`, { accept: TABLE });
    assert.equal(r.status, 200);
    assert.equal(r.json.kind, 'Table');
    assert.equal(r.json.rows.length, 1);
    assert.equal(r.json.rows[0].cells[0], 't2');
    const obj = (await ts.get(`${CM}/t2`)).json;
    assert.equal(r.json.metadata.resourceVersion, obj.metadata.resourceVersion, "a single object's Table carries its resourceVersion");
  });

  test('v1beta1 Tables are still served', async () => {
    const r = await ts.get(CM, { accept: 'application/json;as=Table;v=v1beta1;g=meta.k8s.io' });
    assert.equal(r.json.apiVersion, 'meta.k8s.io/v1beta1');
  });

  test('a Table of a write answer (kubectl create -o wide asks for one)', async () => {
    const r = await ts.post(CM, configMap('t3'), { accept: TABLE });
    assert.equal(r.status, 201);
    assert.equal(r.json.kind, 'Table');
    assert.equal(r.json.rows[0].cells[0], 't3');
    await ts.del(`${CM}/t3`);
  });
});

describe('PartialObjectMetadata', () => {
  test('a list', async () => {
    const r = await ts.get(`${CM}?labelSelector=app%3Dx`, { accept: 'application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io,application/json' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.kind, 'PartialObjectMetadataList');
    assert.equal(r.json.apiVersion, 'meta.k8s.io/v1');
    assert.ok(r.json.metadata.resourceVersion);
    assert.equal(r.json.items.length, 1);
    assert.equal(r.json.items[0].kind, 'PartialObjectMetadata');
    assert.equal(r.json.items[0].metadata.name, 't1');
    assert.equal(r.json.items[0].data, undefined);
  });

  test('one object', async () => {
    const r = await ts.get(`${CM}/t1`, { accept: 'application/json;as=PartialObjectMetadata;v=v1;g=meta.k8s.io' });
    assert.equal(r.json.kind, 'PartialObjectMetadata');
    assert.equal(r.json.metadata.labels.app, 'x');
  });

  test('asking for the list form of one object falls through to the next choice', async () => {
    const r = await ts.get(`${CM}/t1`, { accept: 'application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io,application/json' });
    assert.equal(r.json.kind, 'ConfigMap');
    const none = await ts.get(`${CM}/t1`, { accept: 'application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io' });
    assert.equal(none.status, 406);
  });
});

describe('discovery', () => {
  test('aggregated discovery by Accept', async () => {
    const accept = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json';
    const r = await ts.get('/apis', { accept });
    assert.equal(r.status, 200, r.text);
    assert.match(String(r.headers['content-type']), /^application\/json;g=apidiscovery\.k8s\.io;v=v2;as=APIGroupDiscoveryList/);
    assert.equal(r.json.kind, 'APIGroupDiscoveryList');
    assert.ok(r.json.items.some((g: { metadata: { name: string } }) => g.metadata.name === 'apps'));
    const core = await ts.get('/api', { accept });
    assert.equal(core.json.kind, 'APIGroupDiscoveryList');
    assert.ok(core.json.items[0].versions[0].resources.some((res: { resource: string }) => res.resource === 'pods'));
  });

  test('legacy discovery without the aggregated Accept', async () => {
    const r = await ts.get('/apis');
    assert.equal(r.json.kind, 'APIGroupList');
    const v1 = await ts.get('/api/v1');
    assert.equal(v1.json.kind, 'APIResourceList');
    const pods = v1.json.resources.find((x: { name: string }) => x.name === 'pods');
    assert.deepEqual(pods.shortNames, ['po']);
  });
});
