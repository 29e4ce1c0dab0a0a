import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestEnv, eventually, type TestEnv } from '../client/testenv.js';
import { RestClient } from '../client/rest.js';
import type { Transport } from '../client/transport.js';
import { FakeClock } from '../util/clock.js';
import { startSimulatedNodes, simulatedNodeIP, type SimulatedNodePool } from './pool.js';
import { LEASES, NODE_LEASE_NAMESPACE, NODES, PODS, type LeaseObject, type NodeObject, type PodObject } from './types.js';

let env: TestEnv;
let pool: SimulatedNodePool | undefined;

before(async () => {
  env = await startTestEnv();
  await env.client().create({ group: '', version: 'v1', resource: 'namespaces' }, { metadata: { name: NODE_LEASE_NAMESPACE } });
});

after(async () => {
  await pool?.shutdown();
  await env.close();
});

test('a pool of 50 simulated nodes shares one client and one pod watch', async () => {
  const base = env.client();
  const streams: string[] = [];
  const counting: Transport = {
    request: (req) => base.transport.request(req),
    stream: (req) => {
      streams.push(req.path);
      return base.transport.stream(req);
    },
    close: () => base.transport.close(),
  };
  const client = new RestClient({ transport: counting });
  const clock = new FakeClock(Date.now());
  pool = await startSimulatedNodes({ client, count: 50, namePrefix: 'sim-', clock, runtimeOptions: { startDelayMs: 0 }, nodeOptions: { random: () => 0 } });
  assert.equal(pool.agents.length, 50);
  assert.ok(pool.agents.every((a) => a.running));

  const admin = env.client();
  const nodes = await admin.list<NodeObject>(NODES);
  assert.equal(nodes.items.filter((n) => n.metadata?.name?.startsWith('sim-')).length, 50);
  await eventually(async () => (await admin.list<LeaseObject>({ ...LEASES, namespace: NODE_LEASE_NAMESPACE })).items.length === 50, 3000, '50 leases');

  // One watch of all pods and one of all nodes, whatever the number of agents.
  assert.deepEqual(streams.filter((p) => p === '/api/v1/pods'), ['/api/v1/pods']);
  assert.deepEqual(streams.filter((p) => p === '/api/v1/nodes'), ['/api/v1/nodes']);
  assert.equal(streams.length, 2);

  // A pod bound to one of them runs there, with that node's addresses.
  await admin.create({ ...PODS, namespace: 'default' }, { metadata: { name: 'on-17', namespace: 'default' }, spec: { nodeName: 'sim-17', containers: [{ name: 'c', image: 'nginx' }] } });
  let pod: PodObject | undefined;
  await eventually(async () => (pod = await admin.get<PodObject>({ ...PODS, namespace: 'default', name: 'on-17' })).status?.phase === 'Running', 3000, 'pod Running');
  assert.equal(pod?.status?.hostIP, simulatedNodeIP(17));
  assert.match(pod?.status?.podIP ?? '', /^10\.244\.17\.\d+$/);
  assert.equal(pool.agent('sim-17')?.stats().pods, 1);
  assert.equal(pool.agent('sim-16')?.stats().pods, 0);

  // Heartbeats: every agent renews its lease each 10 s of the shared clock.
  const renewals = (): number => pool!.agents.reduce((n, a) => n + a.stats().leaseRenewals, 0);
  assert.equal(renewals(), 50);
  clock.advance(10_000);
  await eventually(() => renewals() === 100, 3000, '50 renewals');

  // Switching one node off stops only its heartbeat.
  await pool.agent('sim-3')!.stop();
  clock.advance(10_000);
  await eventually(() => renewals() === 149, 3000, '49 renewals');
  assert.equal(pool.agent('sim-3')!.stats().leaseRenewals, 2);
});
