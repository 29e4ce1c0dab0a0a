import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { StatusError } from '../apimachinery/errors.js';
import { RestClient } from './rest.js';
import { clientFromKubeconfig } from './kubeconfig.js';
import { errorFromResponse, isAlreadyExists, isConflict, isNotFound, isResourceExpired, TransportError } from './errors.js';
import { resourcePath, type KubeObject, type ResourceRef } from './types.js';
import { DEFAULT_USER_AGENT, type Transport, type TransportRequest, type TransportResponse, type TransportStream } from './transport.js';
import { startTestEnv, type TestEnv } from './testenv.js';
import { Watch } from './watch.js';

const CM = { group: '', version: 'v1', resource: 'configmaps' };
const PODS = { group: '', version: 'v1', resource: 'pods' };

describe('resourcePath', () => {
  const cases: { name: string; ref: ResourceRef; want: string }[] = [
    { name: 'core collection, all namespaces', ref: { ...PODS }, want: '/api/v1/pods' },
    { name: 'core namespaced collection', ref: { ...PODS, namespace: 'ns1' }, want: '/api/v1/namespaces/ns1/pods' },
    { name: 'core object', ref: { ...PODS, namespace: 'ns1', name: 'p' }, want: '/api/v1/namespaces/ns1/pods/p' },
    { name: 'subresource', ref: { ...PODS, namespace: 'ns1', name: 'p', subresource: 'status' }, want: '/api/v1/namespaces/ns1/pods/p/status' },
    { name: 'group cluster-scoped', ref: { group: 'rbac.authorization.k8s.io', version: 'v1', resource: 'clusterroles', name: 'system:x' }, want: '/apis/rbac.authorization.k8s.io/v1/clusterroles/system%3Ax' },
    { name: 'group namespaced', ref: { group: 'apps', version: 'v1', resource: 'deployments', namespace: 'a' }, want: '/apis/apps/v1/namespaces/a/deployments' },
  ];
  for (const c of cases) test(c.name, () => assert.equal(resourcePath(c.ref), c.want));
  test('subresource without name is refused', () => assert.throws(() => resourcePath({ ...PODS, subresource: 'status' })));
});

describe('errorFromResponse', () => {
  const status = (code: number, reason: string, message: string) =>
    JSON.stringify({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', code, reason, message, details: { name: 'x', kind: 'pods' } });
  const cases: { name: string; code: number; body: string; want: { code: number; reason: string; message?: RegExp } }[] = [
    { name: 'Status body kept', code: 404, body: status(404, 'NotFound', 'pods "x" not found'), want: { code: 404, reason: 'NotFound', message: /^pods "x" not found$/ } },
    { name: 'Expired', code: 410, body: status(410, 'Expired', 'too old resource version: 1 (5)'), want: { code: 410, reason: 'Expired' } },
    { name: 'plain 404', code: 404, body: '404 page not found', want: { code: 404, reason: 'NotFound', message: /could not find/ } },
    { name: 'plain 409', code: 409, body: '', want: { code: 409, reason: 'Conflict' } },
    { name: 'plain 410', code: 410, body: 'gone', want: { code: 410, reason: 'Gone' } },
    { name: 'plain 503', code: 503, body: 'x', want: { code: 503, reason: 'ServiceUnavailable' } },
    { name: 'plain 502', code: 502, body: 'x', want: { code: 502, reason: 'InternalError' } },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const e = errorFromResponse(c.code, c.body, 'GET');
      assert.ok(e instanceof StatusError);
      assert.equal(e.code, c.want.code);
      assert.equal(e.reason, c.want.reason);
      if (c.want.message) assert.match(e.message, c.want.message);
    });
  }
  test('details survive', () => assert.equal(errorFromResponse(404, status(404, 'NotFound', 'm'), 'GET').details?.name, 'x'));
  test('isResourceExpired covers Gone and Expired', () => {
    assert.ok(isResourceExpired(errorFromResponse(410, status(410, 'Expired', 'm'), 'GET')));
    assert.ok(isResourceExpired(errorFromResponse(410, '', 'GET')));
    assert.ok(!isResourceExpired(errorFromResponse(409, '', 'GET')));
  });
});

/** Records requests and answers from a script. */
class RecordingTransport implements Transport {
  readonly requests: TransportRequest[] = [];
  constructor(private readonly answer: (r: TransportRequest) => TransportResponse = () => ({ status: 200, headers: {}, body: Buffer.from('{}') })) {}
  request(r: TransportRequest): Promise<TransportResponse> {
    this.requests.push(r);
    return Promise.resolve(this.answer(r));
  }
  stream(r: TransportRequest): Promise<TransportStream> {
    this.requests.push(r);
    const res = this.answer(r);
    return Promise.resolve({
      status: res.status,
      headers: {},
      body: (async function* () {
        yield res.body;
      })(),
      close: () => undefined,
    });
  }
  close(): void {}
}

describe('request shapes', () => {
  const ref = { ...CM, namespace: 'ns', name: 'c' };
  const cases: {
    name: string;
    call: (c: RestClient) => Promise<unknown>;
    want: { method: string; path: string; query?: string; contentType?: string; body?: unknown };
  }[] = [
    { name: 'get with rv', call: (c) => c.get(ref, { resourceVersion: '0' }), want: { method: 'GET', path: '/api/v1/namespaces/ns/configmaps/c', query: 'resourceVersion=0' } },
    {
      name: 'list with everything',
      call: (c) => c.list(CM, { labelSelector: 'a=b', fieldSelector: 'metadata.name=c', limit: 5, continue: 'tok', resourceVersion: '10', resourceVersionMatch: 'NotOlderThan' }),
      want: { method: 'GET', path: '/api/v1/configmaps', query: 'labelSelector=a%3Db&fieldSelector=metadata.name%3Dc&limit=5&continue=tok&resourceVersion=10&resourceVersionMatch=NotOlderThan' },
    },
    {
      name: 'watch one object',
      call: (c) => c.watch(ref, { resourceVersion: '7', allowWatchBookmarks: true, timeoutSeconds: 60 }),
      want: { method: 'GET', path: '/api/v1/namespaces/ns/configmaps', query: 'watch=true&resourceVersion=7&allowWatchBookmarks=true&timeoutSeconds=60&fieldSelector=metadata.name%3Dc' },
    },
    {
      name: 'create takes namespace from object',
      call: (c) => c.create(CM, { metadata: { name: 'c', namespace: 'ns' } }, { dryRun: true, fieldManager: 'm' }),
      want: { method: 'POST', path: '/api/v1/namespaces/ns/configmaps', query: 'dryRun=All&fieldManager=m', contentType: 'application/json', body: { metadata: { name: 'c', namespace: 'ns' } } },
    },
    { name: 'update takes name from object', call: (c) => c.update(CM, { metadata: { name: 'c', namespace: 'ns' } }), want: { method: 'PUT', path: '/api/v1/namespaces/ns/configmaps/c' } },
    { name: 'updateStatus', call: (c) => c.updateStatus(PODS, { metadata: { name: 'p', namespace: 'ns' } }), want: { method: 'PUT', path: '/api/v1/namespaces/ns/pods/p/status' } },
    { name: 'json patch', call: (c) => c.patch(ref, 'json', [{ op: 'remove', path: '/data' }]), want: { method: 'PATCH', path: '/api/v1/namespaces/ns/configmaps/c', contentType: 'application/json-patch+json', body: [{ op: 'remove', path: '/data' }] } },
    { name: 'merge patch', call: (c) => c.patch(ref, 'merge', { data: null }), want: { method: 'PATCH', path: '/api/v1/namespaces/ns/configmaps/c', contentType: 'application/merge-patch+json' } },
    { name: 'strategic patch', call: (c) => c.patch(ref, 'strategic', { data: {} }), want: { method: 'PATCH', path: '/api/v1/namespaces/ns/configmaps/c', contentType: 'application/strategic-merge-patch+json' } },
    {
      name: 'apply patch',
      call: (c) => c.patch(ref, 'apply', 'apiVersion: v1\nkind: ConfigMap\n', { fieldManager: 'me', force: true }),
      want: { method: 'PATCH', path: '/api/v1/namespaces/ns/configmaps/c', query: 'fieldManager=me&force=true', contentType: 'application/apply-patch+yaml', body: 'apiVersion: v1\nkind: ConfigMap\n' },
    },
    {
      name: 'delete with options',
      call: (c) => c.delete(ref, { propagationPolicy: 'Foreground', gracePeriodSeconds: 0, preconditions: { uid: 'u', resourceVersion: '3' } }),
      want: {
        method: 'DELETE',
        path: '/api/v1/namespaces/ns/configmaps/c',
        contentType: 'application/json',
        body: { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Foreground', gracePeriodSeconds: 0, preconditions: { uid: 'u', resourceVersion: '3' } },
      },
    },
    { name: 'delete without options has no body', call: (c) => c.delete(ref), want: { method: 'DELETE', path: '/api/v1/namespaces/ns/configmaps/c' } },
    {
      name: 'deleteCollection',
      call: (c) => c.deleteCollection({ ...CM, namespace: 'ns' }, { labelSelector: 'x', propagationPolicy: 'Background' }),
      want: { method: 'DELETE', path: '/api/v1/namespaces/ns/configmaps', query: 'labelSelector=x', body: { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Background' } },
    },
  ];
  for (const c of cases) {
    test(c.name, async () => {
      const t = new RecordingTransport();
      await c.call(new RestClient({ transport: t }));
      const r = t.requests[0];
      assert.ok(r);
      assert.equal(r.method, c.want.method);
      assert.equal(r.path, c.want.path);
      if (c.want.query !== undefined) assert.equal(r.query?.toString(), c.want.query);
      if (c.want.contentType !== undefined) assert.equal(r.headers?.['Content-Type'], c.want.contentType);
      if (c.want.body !== undefined) {
        const text = r.body?.toString('utf8') ?? '';
        assert.deepEqual(typeof c.want.body === 'string' ? text : JSON.parse(text), c.want.body);
      } else if (c.want.method === 'DELETE' && c.name.includes('no body')) assert.equal(r.body, undefined);
    });
  }
  test('apply without fieldManager is refused before sending', async () => {
    const t = new RecordingTransport();
    await assert.rejects(new RestClient({ transport: t }).patch(ref, 'apply', {}), /fieldManager/);
    assert.equal(t.requests.length, 0);
  });
  test('a watch refused at the start rejects with the StatusError', async () => {
    const t = new RecordingTransport(() => ({ status: 410, headers: {}, body: Buffer.from(JSON.stringify({ kind: 'Status', code: 410, reason: 'Expired', message: 'too old' })) }));
    await assert.rejects(new RestClient({ transport: t }).watch(CM), (e: unknown) => isResourceExpired(e));
  });
  test('resource() and forKind() bind addresses', async () => {
    const t = new RecordingTransport();
    const c = new RestClient({ transport: t });
    await c.forKind('apps/v1', 'Deployment', 'ns').get('d');
    await c.resource(CM).namespace('x').list();
    assert.deepEqual(
      t.requests.map((r) => r.path),
      ['/apis/apps/v1/namespaces/ns/deployments/d', '/api/v1/namespaces/x/configmaps'],
    );
    assert.throws(() => c.forKind('v1', 'NoSuchKind'));
  });
});

describe('User-Agent', () => {
  let srv: http.Server;
  let base = '';
  const seen: { method: string; path: string; userAgent: string | undefined }[] = [];
  before(async () => {
    srv = http.createServer((req, res) => {
      seen.push({ method: req.method ?? '', path: (req.url ?? '').split('?')[0] ?? '', userAgent: req.headers['user-agent'] });
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ kind: 'ConfigMap', apiVersion: 'v1', metadata: { name: 'c' } }));
    });
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(srv.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((r) => srv.close(() => r())));

  const ref = { ...CM, namespace: 'ns', name: 'c' };
  const calls: { name: string; call: (c: RestClient) => Promise<unknown> }[] = [
    { name: 'get', call: (c) => c.get(ref) },
    { name: 'create', call: (c) => c.create(CM, { metadata: { name: 'c', namespace: 'ns' } }) },
    { name: 'patch', call: (c) => c.patch(ref, 'merge', { data: {} }) },
    { name: 'watch', call: async (c) => (await c.watch(CM, { timeoutSeconds: 1 })).stop() },
  ];
  const agents: { name: string; client: () => RestClient; want: string }[] = [
    { name: 'the transport default', client: () => new RestClient({ server: base }), want: DEFAULT_USER_AGENT },
    { name: 'the client option', client: () => new RestClient({ server: base, userAgent: 'kube-scheduler/v1.32.0 (linux/amd64) kubernetes/abc/scheduler' }), want: 'kube-scheduler/v1.32.0 (linux/amd64) kubernetes/abc/scheduler' },
    { name: 'withUserAgent over a shared transport', client: () => new RestClient({ server: base, userAgent: 'other' }).withUserAgent('kubelet/v1.32.0'), want: 'kubelet/v1.32.0' },
  ];
  for (const a of agents) {
    for (const c of calls) {
      test(`${a.name}: ${c.name} sends it`, async () => {
        const client = a.client();
        seen.length = 0;
        try {
          await c.call(client);
        } finally {
          client.close();
        }
        assert.equal(seen.length, 1);
        assert.equal(seen[0]?.userAgent, a.want);
      });
    }
  }

  test('a derived client leaves the original its own agent', async () => {
    const original = new RestClient({ server: base, userAgent: 'kube-controller-manager/v1.32.0/shared-informers' });
    const derived = original.withUserAgent('kube-controller-manager/v1.32.0/deployment-controller');
    seen.length = 0;
    try {
      await derived.get(ref);
      await original.get(ref);
    } finally {
      original.close();
    }
    assert.deepEqual(
      seen.map((x) => x.userAgent),
      ['kube-controller-manager/v1.32.0/deployment-controller', 'kube-controller-manager/v1.32.0/shared-informers'],
    );
    assert.equal(derived.transport, original.transport, 'one connection pool');
    assert.equal(derived.namespace, original.namespace);
  });
});

describe('transport failures', () => {
  test('timeout becomes TransportError ETIMEDOUT', async () => {
    const sockets = new Set<import('node:net').Socket>();
    const srv = http.createServer(() => undefined); // never answers
    srv.on('connection', (s) => sockets.add(s));
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const port = (srv.address() as AddressInfo).port;
    const c = new RestClient({ server: `http://127.0.0.1:${port}`, timeoutMs: 100 });
    try {
      await assert.rejects(c.get({ ...CM, namespace: 'a', name: 'b' }), (e: unknown) => e instanceof TransportError && e.code === 'ETIMEDOUT');
    } finally {
      c.close();
      for (const s of sockets) s.destroy();
      await new Promise((r) => srv.close(r));
    }
  });
  test('connection refused', async () => {
    const srv = http.createServer();
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const port = (srv.address() as AddressInfo).port;
    await new Promise((r) => srv.close(r));
    const c = new RestClient({ server: `http://127.0.0.1:${port}` });
    await assert.rejects(c.list(CM), (e: unknown) => e instanceof TransportError && e.code === 'ECONNREFUSED');
    c.close();
  });
});

describe('against a real API server over HTTPS', () => {
  let env: TestEnv;
  let c: RestClient;
  before(async () => {
    env = await startTestEnv();
    c = env.client();
  });
  after(async () => {
    await env.close();
  });

  test('create, get, AlreadyExists, NotFound', async () => {
    const created = await c.create<KubeObject>({ ...CM, namespace: 'default' }, { metadata: { name: 'one', labels: { app: 'x' } }, data: { k: 'v' } });
    assert.equal(created.metadata?.name, 'one');
    assert.ok(created.metadata?.resourceVersion);
    const got = await c.get<KubeObject & { data: Record<string, string> }>({ ...CM, namespace: 'default', name: 'one' });
    assert.deepEqual(got.data, { k: 'v' });
    await assert.rejects(c.create({ ...CM, namespace: 'default' }, { metadata: { name: 'one' } }), (e: unknown) => isAlreadyExists(e) && (e as StatusError).code === 409);
    await assert.rejects(c.get({ ...CM, namespace: 'default', name: 'missing' }), (e: unknown) => {
      assert.ok(isNotFound(e));
      assert.equal((e as StatusError).details?.name, 'missing');
      return true;
    });
  });

  test('update with a stale resourceVersion is a Conflict', async () => {
    const cm = await c.create<KubeObject>({ ...CM, namespace: 'default' }, { metadata: { name: 'upd' }, data: { a: '1' } });
    const next = await c.update(CM, { ...cm, data: { a: '2' } });
    assert.notEqual(next.metadata?.resourceVersion, cm.metadata?.resourceVersion);
    await assert.rejects(c.update(CM, { ...cm, data: { a: '3' } }), (e: unknown) => isConflict(e));
  });

  test('patches: merge and json; unsupported types surface as StatusError', async () => {
    await c.create({ ...CM, namespace: 'default' }, { metadata: { name: 'pat' }, data: { a: '1' } });
    const ref = { ...CM, namespace: 'default', name: 'pat' };
    const m = await c.patch<KubeObject & { data: Record<string, string> }>(ref, 'merge', { data: { b: '2' } });
    assert.deepEqual(m.data, { a: '1', b: '2' });
    const j = await c.patch<KubeObject & { data: Record<string, string> }>(ref, 'json', [{ op: 'remove', path: '/data/a' }]);
    assert.deepEqual(j.data, { b: '2' });
    // Whatever the server does with a strategic patch, the answer is an object or a StatusError.
    try {
      await c.patch(ref, 'strategic', { data: { c: '3' } });
    } catch (e) {
      assert.ok(e instanceof StatusError, String(e));
    }
  });

  test('updateStatus writes the status subresource', async () => {
    const pod = await c.create({ ...PODS, namespace: 'default' }, { metadata: { name: 'p1' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } });
    const out = await c.updateStatus<KubeObject & { status?: { phase?: string } }>(PODS, { ...pod, status: { phase: 'Running' } });
    assert.equal(out.status?.phase, 'Running');
  });

  test('list: selectors, paging with continue', async () => {
    for (let i = 0; i < 5; i++) await c.create({ ...CM, namespace: 'default' }, { metadata: { name: `page-${i}`, labels: { paged: 'yes' } } });
    const sel = await c.list({ ...CM, namespace: 'default' }, { labelSelector: 'paged=yes' });
    assert.equal(sel.items.length, 5);
    assert.ok(sel.metadata.resourceVersion);
    const byField = await c.list({ ...CM, namespace: 'default' }, { fieldSelector: 'metadata.name=page-3' });
    assert.deepEqual(byField.items.map((o) => o.metadata?.name), ['page-3']);
    const names: string[] = [];
    let cont: string | undefined;
    let pages = 0;
    do {
      const page = await c.list({ ...CM, namespace: 'default' }, { labelSelector: 'paged=yes', limit: 2, ...(cont ? { continue: cont } : {}) });
      names.push(...page.items.map((o) => o.metadata?.name ?? ''));
      cont = page.metadata.continue;
      pages++;
    } while (cont);
    assert.equal(pages, 3);
    assert.deepEqual(names.sort(), ['page-0', 'page-1', 'page-2', 'page-3', 'page-4']);
  });

  test('delete with preconditions, deleteCollection', async () => {
    const cm = await c.create<KubeObject>({ ...CM, namespace: 'default' }, { metadata: { name: 'del', labels: { gone: 'yes' } } });
    await assert.rejects(c.delete({ ...CM, namespace: 'default', name: 'del' }, { preconditions: { uid: 'not-the-uid' } }), (e: unknown) => isConflict(e));
    await c.delete({ ...CM, namespace: 'default', name: 'del' }, { preconditions: { uid: cm.metadata?.uid ?? '' }, propagationPolicy: 'Background' });
    await assert.rejects(c.get({ ...CM, namespace: 'default', name: 'del' }), (e: unknown) => isNotFound(e));
    for (const n of ['dc-1', 'dc-2']) await c.create({ ...CM, namespace: 'default' }, { metadata: { name: n, labels: { dc: 'yes' } } });
    const out = await c.deleteCollection({ ...CM, namespace: 'default' }, { labelSelector: 'dc=yes' });
    assert.deepEqual(out.items.map((o) => o.metadata?.name).sort(), ['dc-1', 'dc-2']);
    assert.equal((await c.list({ ...CM, namespace: 'default' }, { labelSelector: 'dc=yes' })).items.length, 0);
  });

  test('watch streams events from a resourceVersion and stops', async () => {
    const list = await c.list({ ...CM, namespace: 'default' });
    const w = await c.watch({ ...CM, namespace: 'default' }, { resourceVersion: list.metadata.resourceVersion ?? '', allowWatchBookmarks: true, timeoutSeconds: 30 });
    const seen: string[] = [];
    const done = (async () => {
      for await (const ev of w) {
        if (ev.type === 'BOOKMARK') continue;
        seen.push(`${ev.type} ${ev.type === 'ERROR' ? ev.object.reason : ev.object.metadata?.name}`);
        if (seen.length === 3) w.stop();
      }
    })();
    await c.create({ ...CM, namespace: 'default' }, { metadata: { name: 'w1' } });
    await c.patch({ ...CM, namespace: 'default', name: 'w1' }, 'merge', { data: { x: 'y' } });
    await c.delete({ ...CM, namespace: 'default', name: 'w1' });
    await done;
    assert.deepEqual(seen, ['ADDED w1', 'MODIFIED w1', 'DELETED w1']);
    assert.equal(w.error, undefined);
    assert.ok(w.ended);
  });

  test('watchWithHandlers: callbacks and stop()', async () => {
    const names: string[] = [];
    let closed = false;
    const h = await c.watchWithHandlers({ ...CM, namespace: 'default', name: 'cb' }, { resourceVersion: '' }, {
      onEvent: (ev) => {
        if (ev.type !== 'ERROR') names.push(`${ev.type} ${ev.object.metadata?.name}`);
      },
      onClose: () => {
        closed = true;
      },
    });
    await c.create({ ...CM, namespace: 'default' }, { metadata: { name: 'other' } });
    await c.create({ ...CM, namespace: 'default' }, { metadata: { name: 'cb' } });
    const end = Date.now() + 2000;
    while (names.length === 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 5));
    h.stop();
    await h.done;
    assert.deepEqual(names, ['ADDED cb']);
    assert.ok(closed);
  });

  test('a watch from a compacted revision gets a 410 (as event or refusal)', async () => {
    await c.create({ ...CM, namespace: 'default' }, { metadata: { name: 'compact-me' } });
    const rev = await env.store.currentRevision();
    await env.store.compact(rev);
    try {
      const w = await c.watch({ ...CM, namespace: 'default' }, { resourceVersion: '1' });
      const evs = [];
      for await (const ev of w) evs.push(ev);
      const last = evs[evs.length - 1];
      assert.equal(last?.type, 'ERROR');
      if (last?.type === 'ERROR') assert.equal(last.object.code, 410);
    } catch (e) {
      assert.ok(isResourceExpired(e), String(e));
    }
  });

  test('a watch ends with an error when the connection breaks', async () => {
    const env2 = await startTestEnv();
    try {
      const c2 = env2.client();
      const w = await c2.watch({ ...CM, namespace: 'default' }, { resourceVersion: '' });
      const it = (async () => {
        for await (const _ of w) void _;
      })();
      await env2.server.close();
      await it;
      assert.ok(w.ended);
      assert.ok(w.error instanceof TransportError, `error: ${String(w.error)}`);
    } finally {
      await env2.close();
    }
  });

  test('bearer token, kubeconfig contexts, anonymous is refused', async () => {
    const tok = env.client({ cert: undefined, key: undefined, token: env.token });
    assert.ok((await tok.list(CM)).items.length > 0);
    const path = await env.writeKubeconfig('team');
    const k1 = await clientFromKubeconfig(path);
    try {
      assert.equal(k1.namespace, 'team');
      assert.ok((await k1.get({ group: '', version: 'v1', resource: 'namespaces', name: 'default' })).metadata?.uid);
    } finally {
      k1.close();
    }
    const k2 = await clientFromKubeconfig(path, 'with-token');
    try {
      assert.equal(k2.namespace, 'default');
      assert.ok((await k2.list(CM)).items.length > 0);
    } finally {
      k2.close();
    }
    const anon = env.client({ cert: undefined, key: undefined });
    await assert.rejects(anon.list(CM), (e: unknown) => e instanceof StatusError && (e.code === 401 || e.code === 403));
    const untrusted = env.client({ ca: undefined });
    await assert.rejects(untrusted.list(CM), (e: unknown) => e instanceof TransportError && e.code === 'ETLS');
  });
});

describe('Watch decoding', () => {
  function streamOf(chunks: (string | Buffer)[], fail?: Error): TransportStream {
    let closed = false;
    return {
      status: 200,
      headers: {},
      body: (async function* () {
        for (const c of chunks) {
          if (closed) return;
          yield Buffer.isBuffer(c) ? c : Buffer.from(c);
        }
        if (fail) throw fail;
      })(),
      close: () => {
        closed = true;
      },
    };
  }
  const ev = (type: string, name: string) => JSON.stringify({ type, object: { metadata: { name, resourceVersion: '1' } } });
  const snow = Buffer.from(ev('ADDED', 'snow-☃') + '\n');
  const cases: { name: string; chunks: (string | Buffer)[]; fail?: Error; want: string[]; error?: boolean }[] = [
    { name: 'one event per chunk', chunks: [ev('ADDED', 'a') + '\n', ev('MODIFIED', 'a') + '\n'], want: ['ADDED a', 'MODIFIED a'] },
    { name: 'events split across chunks', chunks: [ev('ADDED', 'a').slice(0, 10), ev('ADDED', 'a').slice(10) + '\n' + ev('DELETED', 'a').slice(0, 5), ev('DELETED', 'a').slice(5) + '\n'], want: ['ADDED a', 'DELETED a'] },
    { name: 'multi-byte character split', chunks: [snow.subarray(0, 50), snow.subarray(50)], want: ['ADDED snow-☃'] },
    { name: 'last line without newline', chunks: [ev('ADDED', 'a')], want: ['ADDED a'] },
    { name: 'blank lines skipped', chunks: ['\n\n' + ev('ADDED', 'a') + '\n\n'], want: ['ADDED a'] },
    {
      name: 'ERROR event is yielded',
      chunks: [JSON.stringify({ type: 'ERROR', object: { kind: 'Status', code: 410, reason: 'Expired', message: 'too old' } }) + '\n'],
      want: ['ERROR Expired'],
    },
    { name: 'garbage ends the watch with a decode ERROR', chunks: ['not json\n' + ev('ADDED', 'a') + '\n'], want: ['ERROR InternalError'] },
    { name: 'unknown type', chunks: [JSON.stringify({ type: 'WAT', object: {} }) + '\n'], want: ['ERROR InternalError'] },
    { name: 'broken connection sets error', chunks: [ev('ADDED', 'a') + '\n'], fail: new TransportError('ECONNRESET', 'reset'), want: ['ADDED a'], error: true },
  ];
  for (const c of cases) {
    test(c.name, async () => {
      const w = new Watch(streamOf(c.chunks, c.fail));
      const got: string[] = [];
      for await (const e of w) got.push(`${e.type} ${e.type === 'ERROR' ? e.object.reason : e.object.metadata?.name}`);
      assert.deepEqual(got, c.want);
      assert.equal(w.error !== undefined, c.error === true);
      assert.ok(w.ended);
    });
  }
});
