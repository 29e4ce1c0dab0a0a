import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { eventually, startTestEnv, type TestEnv } from '../client/testenv.js';
import { RestClient } from '../client/rest.js';
import type { Transport, TransportRequest } from '../client/transport.js';
import type { KubeObject } from '../client/types.js';
import { ControllerManager, enabledControllers, LEASE_NAME, LEASE_NAMESPACE, resolveControllerName } from './manager.js';
import { CONTROLLERS, type ControllerRegistration } from './registry.js';
import type { Controller } from './types.js';

describe('controller selection', () => {
  const cases: { name: string; list: string[]; want: string[] }[] = [
    { name: 'star enables everything', list: ['*'], want: Object.keys(CONTROLLERS) },
    { name: 'star minus one', list: ['*', '-garbagecollector'], want: Object.keys(CONTROLLERS).filter((k) => k !== 'garbagecollector') },
    { name: 'only named', list: ['deployment', 'replicaset'], want: ['deployment', 'replicaset'] },
    { name: 'first mention wins', list: ['-namespace', 'namespace', '*'], want: Object.keys(CONTROLLERS).filter((k) => k !== 'namespace') },
    { name: 'upstream spellings', list: ['garbage-collector-controller', 'namespace-controller'], want: ['garbagecollector', 'namespace'] },
    { name: 'nothing', list: [], want: [] },
  ];
  for (const c of cases) test(c.name, () => assert.deepEqual(enabledControllers(c.list), c.want));

  test('disabled-by-default controllers need naming; unknown names are refused', () => {
    const fake: Controller = { name: 'x', run: () => undefined, stop: () => undefined };
    const reg: Record<string, ControllerRegistration> = { a: { init: () => fake, workers: 1 }, b: { init: () => fake, workers: 1, disabledByDefault: true } };
    assert.deepEqual(enabledControllers(['*'], reg), ['a']);
    assert.deepEqual(enabledControllers(['*', 'b'], reg), ['a', 'b']);
    assert.throws(() => enabledControllers(['nope'], reg), /"nope" is not in the list of known controllers/);
    assert.equal(resolveControllerName('root-ca-cert-publisher'), 'root-ca-cert-publisher');
  });
});

describe('ControllerManager (in-process API server)', () => {
  let env: TestEnv;
  before(async () => {
    env = await startTestEnv();
    await env.client().create({ group: '', version: 'v1', resource: 'namespaces' }, { metadata: { name: LEASE_NAMESPACE } });
  });
  after(async () => env.close());

  const exists = async (ref: { group: string; version: string; resource: string; namespace?: string; name: string }): Promise<boolean> => {
    try {
      await env.client().get(ref);
      return true;
    } catch {
      return false;
    }
  };

  test('runs every registered controller against one informer factory', async () => {
    const logs: string[] = [];
    const m = new ControllerManager({ client: env.client(), caPEM: env.pki.ca.certPEM, log: (l) => logs.push(l), workers: { garbagecollector: 2 } });
    assert.equal(m.healthy(), false, 'not started');
    await m.start();
    try {
      assert.equal(m.healthy(), true);
      assert.deepEqual(m.runningControllers(), Object.keys(CONTROLLERS));
      assert.ok(logs.includes('started "garbagecollector" with 2 worker(s)'), logs.join('\n'));
      assert.ok(logs.includes('started "deployment" with 5 worker(s)'), logs.join('\n'));
      await eventually(() => exists({ group: '', version: 'v1', resource: 'serviceaccounts', namespace: 'default', name: 'default' }), 5000, 'default SA');
      await eventually(() => exists({ group: '', version: 'v1', resource: 'configmaps', namespace: 'default', name: 'kube-root-ca.crt' }), 5000, 'root CA');
      const c = env.client();
      await c.create({ group: 'apps', version: 'v1', resource: 'replicasets', namespace: 'default' }, {
        metadata: { name: 'mgr' },
        spec: { replicas: 2, selector: { matchLabels: { app: 'mgr' } }, template: { metadata: { labels: { app: 'mgr' } }, spec: { containers: [{ name: 'c', image: 'x' }] } } },
      });
      await eventually(async () => (await c.list({ group: '', version: 'v1', resource: 'pods', namespace: 'default' }, { labelSelector: 'app=mgr' })).items.length === 2, 5000, 'pods');
      // The garbage collector runs too: deleting the replica set takes its pods.
      await c.delete({ group: 'apps', version: 'v1', resource: 'replicasets', namespace: 'default', name: 'mgr' });
      await eventually(async () => (await c.list({ group: '', version: 'v1', resource: 'pods', namespace: 'default' }, { labelSelector: 'app=mgr' })).items.length === 0, 5000, 'pods collected');
    } finally {
      await m.stop();
    }
    assert.equal(m.healthy(), false);
    assert.deepEqual(m.runningControllers(), []);
  });

  test('without a CA the root CA publisher is skipped, not fatal', async () => {
    const logs: string[] = [];
    const m = new ControllerManager({ client: env.client(), controllers: ['root-ca-cert-publisher', 'serviceaccount'], log: (l) => logs.push(l) });
    await m.start();
    assert.equal(m.healthy(), true);
    assert.deepEqual(m.runningControllers(), ['serviceaccount']);
    assert.ok(logs.some((l) => l.includes('skipping "root-ca-cert-publisher"')));
    await m.stop();
  });

  test('with leader election only the lease holder runs controllers; the other takes over', async () => {
    const timing = { leaseDurationMs: 3000, renewDeadlineMs: 2000, retryPeriodMs: 300 };
    const a = new ControllerManager({ client: env.client(), controllers: ['serviceaccount'], leaderElection: true, identity: 'a', log: () => undefined, ...timing });
    const b = new ControllerManager({ client: env.client(), controllers: ['serviceaccount'], leaderElection: true, identity: 'b', log: () => undefined, ...timing });
    await a.start();
    await eventually(() => a.runningControllers().length === 1, 5000, 'a leads');
    await b.start();
    await new Promise((r) => setTimeout(r, 400));
    assert.equal(b.isLeader(), false);
    assert.deepEqual(b.runningControllers(), []);
    assert.equal(b.healthy(), true, 'a waiting candidate is healthy');
    const lease = await env.client().get<KubeObject & { spec?: { holderIdentity?: string } }>({ group: 'coordination.k8s.io', version: 'v1', resource: 'leases', namespace: LEASE_NAMESPACE, name: LEASE_NAME });
    assert.equal(lease.spec?.holderIdentity, 'a');
    await a.stop(); // releases the lease
    await eventually(() => b.runningControllers().length === 1, 5000, 'b takes over');
    assert.equal(b.isLeader(), true);
    await b.stop();
  });

  test('each controller sends its own User-Agent; informers and leader election theirs', async () => {
    const seen: { method: string; path: string; userAgent: string }[] = [];
    const base = env.client();
    const record = (r: TransportRequest): void => {
      seen.push({ method: r.method, path: r.path, userAgent: r.headers?.['User-Agent'] ?? '' });
    };
    const transport: Transport = {
      request: (r) => (record(r), base.transport.request(r)),
      stream: (r) => (record(r), base.transport.stream(r)),
      close: () => base.transport.close(),
    };
    const timing = { leaseDurationMs: 3000, renewDeadlineMs: 2000, retryPeriodMs: 300 };
    const m = new ControllerManager({ client: new RestClient({ transport }), controllers: ['replicaset'], leaderElection: true, identity: 'ua', log: () => undefined, ...timing });
    await m.start();
    const c = env.client();
    try {
      await eventually(() => m.runningControllers().length === 1, 5000, 'leading');
      await c.create({ group: 'apps', version: 'v1', resource: 'replicasets', namespace: 'default' }, {
        metadata: { name: 'ua' },
        spec: { replicas: 1, selector: { matchLabels: { app: 'ua' } }, template: { metadata: { labels: { app: 'ua' } }, spec: { containers: [{ name: 'c', image: 'x' }] } } },
      });
      await eventually(() => seen.some((r) => r.method === 'POST' && r.path === '/api/v1/namespaces/default/pods'), 5000, 'a pod created');
    } finally {
      await m.stop();
      await c.delete({ group: 'apps', version: 'v1', resource: 'replicasets', namespace: 'default', name: 'ua' });
    }
    const agentOf = (pred: (r: (typeof seen)[number]) => boolean): string[] => [...new Set(seen.filter(pred).map((r) => r.userAgent))];
    const prefix = /^kube-controller-manager\/v1\.32\.\d+\S* \([a-z0-9]+\/[a-z0-9]+\) kubernetes\/[^/ ]+\//;
    const cases: { name: string; pred: (r: (typeof seen)[number]) => boolean; suffix: string }[] = [
      { name: 'pod creation', pred: (r) => r.method === 'POST' && r.path.endsWith('/pods'), suffix: 'system:serviceaccount:kube-system:replicaset-controller' },
      { name: 'status write', pred: (r) => r.method === 'PUT' && r.path.endsWith('/ua/status'), suffix: 'system:serviceaccount:kube-system:replicaset-controller' },
      { name: 'pod list and watch', pred: (r) => r.method === 'GET' && r.path === '/api/v1/pods', suffix: 'shared-informers' },
      { name: 'lease', pred: (r) => r.path.includes('/leases'), suffix: 'leader-election' },
    ];
    for (const k of cases) {
      const agents = agentOf(k.pred);
      assert.equal(agents.length, 1, `${k.name}: one agent, got ${JSON.stringify(agents)}`);
      assert.match(agents[0] ?? '', prefix, k.name);
      assert.ok(agents[0]?.endsWith(`/${k.suffix}`), `${k.name}: ${agents[0]}`);
    }
  });
});
