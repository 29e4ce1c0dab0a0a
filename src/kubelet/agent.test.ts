import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { PodCondition } from 'kubernetes-types/core/v1.js';
import { startTestEnv, eventually, flush, type TestEnv } from '../client/testenv.js';
import { microTime } from '../client/leaderelection.js';
import { RestClient } from '../client/rest.js';
import type { Transport } from '../client/transport.js';
import { isNotFound } from '../client/errors.js';
import { FakeClock } from '../util/clock.js';
import { NodeAgent, type NodeAgentOptions } from './agent.js';
import { KUBELET_USER_AGENT } from './options.js';
import { SimulatedRuntime, type SimulatedRuntimeOptions } from './runtime/simulated.js';
import { LEASES, NODE_LEASE_NAMESPACE, NODES, PODS, type LeaseObject, type NodeObject, type PodObject } from './types.js';

let env: TestEnv;
let client: RestClient;
const cleanups: (() => Promise<void>)[] = [];

before(async () => {
  env = await startTestEnv();
  client = env.client();
  await client.create({ group: '', version: 'v1', resource: 'namespaces' }, { metadata: { name: NODE_LEASE_NAMESPACE } });
});

after(async () => {
  for (const c of cleanups.reverse()) await c();
  await env.close();
});

async function startAgent(name: string, extra: Partial<NodeAgentOptions> = {}, rt: SimulatedRuntimeOptions = {}): Promise<{ agent: NodeAgent; clock: FakeClock; runtime: SimulatedRuntime }> {
  const clock = new FakeClock(Date.now());
  const runtime = new SimulatedRuntime({ clock, startDelayMs: 0, ...rt });
  const agent = new NodeAgent({ client, nodeName: name, runtime, clock, random: () => 0, recorder: false, ...extra });
  cleanups.push(async () => {
    await agent.close();
    await runtime.close();
  });
  await agent.start();
  await eventually(() => agent.stats().leaseRenewals >= 1, 3000, 'first lease');
  return { agent, clock, runtime };
}

const getPod = (name: string): Promise<PodObject> => client.get<PodObject>({ ...PODS, namespace: 'default', name });
const getLease = (name: string): Promise<LeaseObject> => client.get<LeaseObject>({ ...LEASES, namespace: NODE_LEASE_NAMESPACE, name });
const cond = (p: PodObject, type: string): PodCondition | undefined => p.status?.conditions?.find((c) => c.type === type);

async function createPod(name: string, node: string, spec: Record<string, unknown> = {}, annotations: Record<string, string> = {}): Promise<PodObject> {
  return client.create<PodObject>(
    { ...PODS, namespace: 'default' },
    { metadata: { name, namespace: 'default', annotations }, spec: { nodeName: node, containers: [{ name: 'app', image: 'nginx' }], ...spec } } as PodObject,
  );
}

async function podWhere(name: string, pred: (p: PodObject) => boolean, what: string): Promise<PodObject> {
  let last: PodObject | undefined;
  await eventually(async () => pred((last = await getPod(name))), 3000, `${name}: ${what}`);
  return last!;
}

describe('NodeAgent', () => {
  test('registers the node with upstream fields', async () => {
    await startAgent('reg-1', {
      podCIDR: '10.100.1.0/24',
      controlPlane: true,
      labels: { team: 'blue' },
      taints: [{ key: 'dedicated', value: 'infra', effect: 'NoSchedule' }],
      addresses: [
        { type: 'InternalIP', address: '192.168.5.10' },
        { type: 'Hostname', address: 'reg-1' },
      ],
    });
    const node = await client.get<NodeObject>({ ...NODES, name: 'reg-1' });
    assert.deepEqual(node.metadata?.labels, {
      team: 'blue',
      'beta.kubernetes.io/arch': 'amd64',
      'beta.kubernetes.io/os': 'linux',
      'kubernetes.io/arch': 'amd64',
      'kubernetes.io/hostname': 'reg-1',
      'kubernetes.io/os': 'linux',
      'node-role.kubernetes.io/control-plane': '',
    });
    assert.deepEqual(node.spec, { podCIDR: '10.100.1.0/24', podCIDRs: ['10.100.1.0/24'], taints: [{ key: 'dedicated', value: 'infra', effect: 'NoSchedule' }] });
    const st = node.status!;
    assert.deepEqual(st.capacity, { cpu: '4', memory: '8Gi', pods: '110', 'ephemeral-storage': '100Gi' });
    assert.deepEqual(st.allocatable, st.capacity);
    assert.deepEqual(st.addresses, [
      { type: 'InternalIP', address: '192.168.5.10' },
      { type: 'Hostname', address: 'reg-1' },
    ]);
    const info = st.nodeInfo!;
    assert.equal(info.kubeletVersion, 'v1.32.0+kubelite');
    assert.equal(info.containerRuntimeVersion, 'simulated://0.1');
    assert.equal(info.operatingSystem, 'linux');
    assert.equal(info.architecture, 'amd64');
    assert.match(info.machineID, /^[0-9a-f]{32}$/);
    assert.match(info.systemUUID, /^[0-9a-f-]{36}$/);
    assert.match(info.bootID, /^[0-9a-f-]{36}$/);
    assert.ok(info.osImage !== '' && info.kernelVersion !== '');
    assert.deepEqual(
      st.conditions?.map((c) => `${c.type}=${c.status} ${c.reason}: ${c.message}`),
      [
        'MemoryPressure=False KubeletHasSufficientMemory: kubelet has sufficient memory available',
        'DiskPressure=False KubeletHasNoDiskPressure: kubelet has no disk pressure',
        'PIDPressure=False KubeletHasSufficientPID: kubelet has sufficient PID available',
        'Ready=True KubeletReady: kubelet is posting ready status',
      ],
    );
    assert.deepEqual(st.daemonEndpoints, { kubeletEndpoint: { Port: 10250 } });
  });

  test('renews its Lease as the fake clock advances and posts the node status every 5 min', async () => {
    const { agent, clock } = await startAgent('lease-1');
    const node = await client.get<NodeObject>({ ...NODES, name: 'lease-1' });
    const l0 = await getLease('lease-1');
    assert.equal(l0.spec?.holderIdentity, 'lease-1');
    assert.equal(l0.spec?.leaseDurationSeconds, 40);
    assert.equal(l0.spec?.renewTime, microTime(clock.now()));
    assert.deepEqual(l0.metadata?.ownerReferences, [{ apiVersion: 'v1', kind: 'Node', name: 'lease-1', uid: node.metadata?.uid }]);

    clock.advance(9_999);
    await flush(5);
    assert.equal(agent.stats().leaseRenewals, 1, 'not before 10 s');
    clock.advance(1);
    await eventually(() => agent.stats().leaseRenewals === 2, 3000, 'second renewal');
    assert.equal((await getLease('lease-1')).spec?.renewTime, microTime(clock.now()));
    for (let i = 0; i < 3; i++) {
      clock.advance(10_000);
      await eventually(() => agent.stats().leaseRenewals === 3 + i, 3000, `renewal ${3 + i}`);
    }
    // Nothing changed: no status writes until the report period (5 min) is up.
    const writes = agent.stats().nodeStatusWrites;
    assert.equal(writes, 1, 'only the registration');
    const hb0 = (await client.get<NodeObject>({ ...NODES, name: 'lease-1' })).status?.conditions?.[3]?.lastHeartbeatTime;
    for (let t = 0; t < 27; t++) {
      clock.advance(10_000);
      await eventually(() => agent.stats().leaseRenewals === 6 + t, 3000, 'renewal');
    }
    await eventually(() => agent.stats().nodeStatusWrites === 2, 3000, 'status report after 5 min');
    const hb1 = (await client.get<NodeObject>({ ...NODES, name: 'lease-1' })).status?.conditions?.[3]?.lastHeartbeatTime;
    assert.notEqual(hb1, hb0);
  });

  test('a pod bound to the node goes Running and Ready with the full status', async () => {
    const { clock } = await startAgent('run-1', { podCIDR: '10.101.0.0/24', addresses: [{ type: 'InternalIP', address: '192.168.7.7' }] }, { startDelayMs: 200 });
    const created = await createPod('web', 'run-1');
    const pending = await podWhere('web', (p) => p.status?.containerStatuses !== undefined, 'pending status');
    assert.equal(pending.status?.phase, 'Pending');
    assert.deepEqual(pending.status?.containerStatuses?.[0]?.state, { waiting: { reason: 'ContainerCreating' } });
    clock.advance(200);
    const p = await podWhere('web', (x) => x.status?.phase === 'Running', 'Running');
    const st = p.status!;
    assert.deepEqual(
      st.conditions?.map((c) => `${c.type}=${c.status}`),
      ['PodReadyToStartContainers=True', 'Initialized=True', 'Ready=True', 'ContainersReady=True', 'PodScheduled=True'],
    );
    for (const c of st.conditions ?? []) assert.match(c.lastTransitionTime ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.equal(st.hostIP, '192.168.7.7');
    assert.deepEqual(st.hostIPs, [{ ip: '192.168.7.7' }]);
    assert.equal(st.podIP, '10.101.0.2');
    assert.deepEqual(st.podIPs, [{ ip: '10.101.0.2' }]);
    assert.ok(st.startTime !== undefined);
    assert.equal(st.qosClass, 'BestEffort', 'qosClass kept');
    const cs = st.containerStatuses?.[0];
    assert.equal(cs?.name, 'app');
    assert.equal(cs?.ready, true);
    assert.equal(cs?.started, true);
    assert.equal(cs?.restartCount, 0);
    assert.equal(cs?.image, 'docker.io/library/nginx:latest');
    assert.match(cs?.imageID ?? '', /^docker\.io\/library\/nginx@sha256:[0-9a-f]{64}$/);
    assert.match(cs?.containerID ?? '', /^simulated:\/\/[0-9a-f]{64}$/);
    assert.ok(cs?.state?.running?.startedAt !== undefined);
    assert.equal(p.metadata?.uid, created.metadata?.uid);
  });

  test('init containers run to completion before the app', async () => {
    const { clock } = await startAgent('init-1', {}, { initRunMs: 500 });
    await createPod('with-init', 'init-1', { initContainers: [{ name: 'setup', image: 'busybox' }], containers: [{ name: 'app', image: 'nginx' }] });
    const p = await podWhere('with-init', (x) => x.status?.initContainerStatuses?.[0]?.state?.running !== undefined, 'init running');
    assert.equal(p.status?.phase, 'Pending');
    assert.deepEqual(p.status?.containerStatuses?.[0]?.state, { waiting: { reason: 'PodInitializing' } });
    assert.equal(cond(p, 'Initialized')?.message, 'containers with incomplete status: [setup]');
    clock.advance(500);
    const r = await podWhere('with-init', (x) => x.status?.phase === 'Running', 'Running');
    assert.equal(r.status?.initContainerStatuses?.[0]?.state?.terminated?.reason, 'Completed');
    assert.equal(cond(r, 'Initialized')?.status, 'True');
  });

  test('a restartPolicy Never pod goes Succeeded', async () => {
    const { clock } = await startAgent('job-1', {}, { completeAfterMs: 1000 });
    await createPod('job-pod', 'job-1', { restartPolicy: 'Never' });
    await podWhere('job-pod', (x) => x.status?.phase === 'Running', 'Running');
    clock.advance(1000);
    const p = await podWhere('job-pod', (x) => x.status?.phase === 'Succeeded' && cond(x, 'PodReadyToStartContainers')?.status === 'False', 'Succeeded');
    const t = p.status?.containerStatuses?.[0]?.state?.terminated;
    assert.equal(t?.exitCode, 0);
    assert.equal(t?.reason, 'Completed');
    assert.equal(p.status?.containerStatuses?.[0]?.ready, false);
    assert.equal(cond(p, 'Ready')?.reason, 'PodCompleted');
    assert.equal(cond(p, 'ContainersReady')?.reason, 'PodCompleted');
    assert.equal(p.status?.podIP !== undefined, true, 'a finished pod keeps its IP in status');
  });

  test('a crashing container restarts with CrashLoopBackOff (10 s, then 20 s)', async () => {
    const { clock } = await startAgent('crash-1');
    await createPod('crashy', 'crash-1', {}, { 'sim.kubelite.io/run-ms': '1000', 'sim.kubelite.io/exit-code': '1' });
    await podWhere('crashy', (x) => x.status?.phase === 'Running', 'Running');
    clock.advance(1000); // exits; the first restart is immediate
    await podWhere('crashy', (x) => x.status?.containerStatuses?.[0]?.restartCount === 1 && x.status.containerStatuses[0].state?.running !== undefined, 'restart 1');
    clock.advance(1000); // exits again: back-off 10s
    const p = await podWhere('crashy', (x) => x.status?.containerStatuses?.[0]?.state?.waiting?.reason === 'CrashLoopBackOff', 'CrashLoopBackOff');
    const cs = p.status!.containerStatuses![0]!;
    assert.equal(cs.state?.waiting?.message, `back-off 10s restarting failed container=app pod=crashy_default(${p.metadata?.uid})`);
    assert.equal(cs.lastState?.terminated?.exitCode, 1);
    assert.equal(cs.lastState?.terminated?.reason, 'Error');
    assert.equal(p.status?.phase, 'Running');
    assert.equal(cond(p, 'Ready')?.status, 'False');
    clock.advance(9_999);
    await flush(5);
    assert.equal((await getPod('crashy')).status?.containerStatuses?.[0]?.restartCount, 1);
    clock.advance(1);
    await podWhere('crashy', (x) => x.status?.containerStatuses?.[0]?.restartCount === 2, 'restart 2 after 10 s');
    clock.advance(1000);
    const q = await podWhere('crashy', (x) => x.status?.containerStatuses?.[0]?.state?.waiting?.reason === 'CrashLoopBackOff' && x.status.containerStatuses[0].restartCount === 2, 'back-off 20s');
    assert.match(q.status?.containerStatuses?.[0]?.state?.waiting?.message ?? '', /^back-off 20s /);
  });

  test('every request carries the kubelet User-Agent, whatever agent the given client had', async () => {
    const agents = new Map<string, string>();
    const base = env.client();
    const note = (method: string, path: string, headers: Record<string, string> | undefined): void => {
      agents.set(`${method} ${path.replace(/\/ua-1(\/|$)/, '/NODE$1')}`, headers?.['User-Agent'] ?? '');
    };
    const recording: Transport = {
      request: (req) => {
        note(req.method, req.path, req.headers);
        return base.transport.request(req);
      },
      stream: (req) => {
        note(req.method, req.path, req.headers);
        return base.transport.stream(req);
      },
      close: () => base.transport.close(),
    };
    await startAgent('ua-1', { client: new RestClient({ transport: recording, userAgent: 'someone-else/1.0' }) });
    for (const want of ['POST /api/v1/nodes', 'GET /api/v1/pods', 'GET /api/v1/nodes', 'POST /apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases']) {
      assert.ok(agents.has(want), `${want} in ${[...agents.keys()].join(', ')}`);
    }
    for (const [req, ua] of agents) {
      assert.equal(ua, KUBELET_USER_AGENT, req);
    }
    assert.match(KUBELET_USER_AGENT, /^kubelet\/v1\.32\.\d+\S* \([a-z0-9]+\/[a-z0-9]+\) kubernetes\/[^/ ]+$/);
  });

  test('graceful deletion: the grace period is honoured, the final status posted, then DELETE with grace 0 and a uid precondition', async () => {
    const sent: { method: string; path: string; body: unknown }[] = [];
    const base = env.client();
    const recording: Transport = {
      request: (req) => {
        if (req.path.includes('/pods/victim')) sent.push({ method: req.method, path: req.path, body: req.body !== undefined ? JSON.parse(req.body.toString('utf8')) : undefined });
        return base.transport.request(req);
      },
      stream: (req) => base.transport.stream(req),
      close: () => base.transport.close(),
    };
    const { clock, runtime } = await startAgent('del-1', { client: new RestClient({ transport: recording }) }, { stopDelayMs: 600_000 }); // containers ignore SIGTERM
    const created = await createPod('victim', 'del-1', { terminationGracePeriodSeconds: 30 });
    const uid = created.metadata!.uid!;
    await podWhere('victim', (x) => x.status?.phase === 'Running', 'Running');
    await client.delete({ ...PODS, namespace: 'default', name: 'victim' });
    await eventually(() => runtime.podStatus(uid)?.killing === true, 3000, 'kill started');
    clock.advance(29_000);
    await flush(10);
    const still = await getPod('victim');
    assert.ok(still.metadata?.deletionTimestamp !== undefined, 'still there within the grace period');
    assert.equal(runtime.podStatus(uid)?.containers[0]?.state.state, 'running');
    clock.advance(1_000);
    await eventually(async () => {
      try {
        await getPod('victim');
        return false;
      } catch (e) {
        return isNotFound(e);
      }
    }, 3000, 'deleted after the grace period');
    await eventually(() => sent.some((r) => r.method === 'DELETE'), 3000, 'DELETE sent');
    const lastStatus = sent.filter((r) => r.method === 'PUT' && r.path.endsWith('/status')).at(-1)?.body as PodObject;
    assert.equal(lastStatus.status?.phase, 'Failed', 'terminal status posted before the delete');
    assert.equal(lastStatus.status?.containerStatuses?.[0]?.state?.terminated?.exitCode, 137);
    assert.equal(lastStatus.status?.containerStatuses?.[0]?.state?.terminated?.reason, 'Error');
    assert.equal(cond(lastStatus, 'Ready')?.reason, 'PodFailed');
    const del = sent.filter((r) => r.method === 'DELETE');
    assert.equal(del.length, 1);
    assert.deepEqual(del[0]?.body, { kind: 'DeleteOptions', apiVersion: 'v1', gracePeriodSeconds: 0, preconditions: { uid } });
    const putIdx = sent.findIndex((r) => r === sent.filter((x) => x.method === 'PUT').at(-1));
    assert.ok(putIdx < sent.indexOf(del[0]!), 'status first, then DELETE');
    await eventually(() => runtime.podStatus(uid) === undefined, 3000, 'runtime forgot the pod');
  });

  test('a pod that does not fit is rejected: Failed, OutOfcpu', async () => {
    await startAgent('small-1', { capacity: { cpu: '2', memory: '4Gi', pods: '110' } });
    await createPod('greedy', 'small-1', { containers: [{ name: 'app', image: 'nginx', resources: { requests: { cpu: '3' } } }] });
    const p = await podWhere('greedy', (x) => x.status?.phase === 'Failed', 'Failed');
    assert.equal(p.status?.reason, 'OutOfcpu');
    assert.equal(p.status?.message, "Pod was rejected: Node didn't have enough resource: cpu, requested: 3000, used: 0, capacity: 2000");
  });

  test('stop() halts lease renewal and keeps the node; start() resumes', async () => {
    const { agent, clock } = await startAgent('power-1');
    assert.equal(agent.running, true);
    await agent.stop();
    assert.equal(agent.running, false);
    const before = agent.stats().leaseRenewals;
    const renewed = (await getLease('power-1')).spec?.renewTime;
    clock.advance(60_000);
    await flush(10);
    assert.equal(agent.stats().leaseRenewals, before);
    assert.equal((await getLease('power-1')).spec?.renewTime, renewed);
    await client.get<NodeObject>({ ...NODES, name: 'power-1' }); // still registered
    await agent.start();
    assert.equal(agent.running, true);
    await eventually(() => agent.stats().leaseRenewals > before, 3000, 'renewal after start');
    assert.equal((await getLease('power-1')).spec?.renewTime, microTime(clock.now()));
    clock.advance(10_000);
    await eventually(() => agent.stats().leaseRenewals > before + 1, 3000, 'periodic renewal after start');
  });

  test('pods deleted while the agent was stopped are cleaned up on start', async () => {
    const { agent, runtime } = await startAgent('power-2');
    const p = await createPod('left', 'power-2');
    await podWhere('left', (x) => x.status?.phase === 'Running', 'Running');
    await agent.stop();
    await client.delete({ ...PODS, namespace: 'default', name: 'left' }, { gracePeriodSeconds: 0 });
    assert.equal(runtime.podStatus(p.metadata!.uid!)?.containers[0]?.state.state, 'running', 'containers outlive a stopped agent');
    await agent.start();
    await eventually(() => runtime.podStatus(p.metadata!.uid!) === undefined, 3000, 'orphan killed and removed');
  });

  test('options are validated', () => {
    const runtime = new SimulatedRuntime();
    assert.throws(() => new NodeAgent({ client, nodeName: 'Bad_Name', runtime }), /nodeName/);
    assert.throws(() => new NodeAgent({ client, nodeName: 'n', runtime, capacity: { cpu: 'lots' } }), /capacity\.cpu/);
    assert.throws(() => new NodeAgent({ client, nodeName: 'n', runtime, renewIntervalMs: 50_000 }), /renewIntervalMs/);
    assert.throws(() => new NodeAgent({ client, nodeName: 'n', runtime, taints: [{ key: 'k', effect: 'Sometimes' }] }), /taints\[0\]\.effect/);
    assert.throws(() => new NodeAgent({ client, nodeName: 'n', runtime, podCIDR: '10.0.0.0/40' }), /podCIDR/);
  });
});
