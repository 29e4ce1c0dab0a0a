/**
 * Integration: the real API server (in-process, HTTPS, memory store) with Node objects
 * created directly, pods created through the client, and the Scheduler binding them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { eventually, startTestEnv, type TestEnv } from '../client/testenv.js';
import type { RestClient } from '../client/rest.js';
import type { KubeObject } from '../client/types.js';
import { Scheduler } from './scheduler.js';
import { makeNode, makePod } from './testing/wrappers.js';

const PODS = { group: '', version: 'v1', resource: 'pods', namespace: 'default' };
const NODES = { group: '', version: 'v1', resource: 'nodes' };
const EVENTS = { group: '', version: 'v1', resource: 'events', namespace: 'default' };

function clean(o: Pod | Node): KubeObject {
  const { uid: _u, ...meta } = o.metadata ?? {};
  return { ...o, metadata: meta } as KubeObject;
}

async function createNode(client: RestClient, n: Node): Promise<void> {
  await client.create(NODES, clean(n));
}

async function createPod(client: RestClient, p: Pod): Promise<void> {
  const obj = clean(p) as KubeObject & { spec?: { containers?: Record<string, unknown>[] } };
  // The API server validates pods as upstream does: every container needs a name and an image.
  const spec = (obj.spec ??= {});
  const cs = spec.containers !== undefined && spec.containers.length > 0 ? spec.containers : [{}];
  spec.containers = cs.map((c, i) => ({ name: `c${i}`, image: 'busybox', ...c }));
  await client.create(PODS, obj);
}

async function getPod(client: RestClient, name: string): Promise<Pod> {
  return (await client.get({ ...PODS, name })) as unknown as Pod;
}

async function events(client: RestClient, name: string): Promise<{ reason: string; message: string; type: string; source?: { component?: string } }[]> {
  const list = await client.list(EVENTS);
  return (list.items as unknown as { involvedObject: { name: string }; reason: string; message: string; type: string; source?: { component?: string } }[]).filter(
    (e) => e.involvedObject.name === name,
  );
}

test('scheduler against the real API server', async (t) => {
  const env: TestEnv = await startTestEnv();
  const client = env.client();
  t.after(async () => {
    await env.close();
  });
  await createNode(client, makeNode('n1').capacity({ cpu: '4', memory: '8Gi' }).taint({ key: 'key', value: 'value', effect: 'NoSchedule' }).obj());
  await createNode(client, makeNode('n2').capacity({ cpu: '2', memory: '8Gi' }).obj());
  await createNode(client, makeNode('n3').capacity({ cpu: '2', memory: '8Gi' }).obj());

  const sched = new Scheduler({ client, log: () => {} });
  await sched.start();
  t.after(() => sched.stop());

  await t.test('binds a pod and records Scheduled', async () => {
    await createPod(client, makePod('small').req({ cpu: '1' }).obj());
    let node = '';
    await eventually(async () => ((node = (await getPod(client, 'small')).spec?.nodeName ?? '') !== ''), 5000, 'small bound');
    assert.ok(node === 'n2' || node === 'n3', node);
    await sched.flushEvents();
    await eventually(async () => (await events(client, 'small')).some((e) => e.reason === 'Scheduled'), 3000, 'Scheduled event');
    const ev = (await events(client, 'small')).find((e) => e.reason === 'Scheduled');
    assert.equal(ev?.message, `Successfully assigned default/small to ${node}`);
    assert.equal(ev?.type, 'Normal');
    assert.equal(ev?.source?.component, 'default-scheduler');
  });

  await t.test('an unschedulable pod gets the exact FailedScheduling message', async () => {
    await createPod(client, makePod('big').req({ cpu: '3' }).obj());
    const want =
      '0/3 nodes are available: 1 node(s) had untolerated taint {key: value}, 2 Insufficient cpu. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.';
    await eventually(async () => ((await getPod(client, 'big')).status?.conditions ?? []).some((c) => c.type === 'PodScheduled'), 5000, 'PodScheduled condition');
    const pod = await getPod(client, 'big');
    const cond = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
    assert.equal(cond?.status, 'False');
    assert.equal(cond?.reason, 'Unschedulable');
    assert.equal(cond?.message, want);
    assert.equal(pod.spec?.nodeName, undefined);
    await sched.flushEvents();
    await eventually(async () => (await events(client, 'big')).some((e) => e.reason === 'FailedScheduling'), 3000, 'FailedScheduling event');
    const ev = (await events(client, 'big')).find((e) => e.reason === 'FailedScheduling');
    assert.equal(ev?.type, 'Warning');
    assert.equal(ev?.message, want);
  });

  await t.test('a node that fits makes the pending pod schedulable', async () => {
    await createNode(client, makeNode('n4').capacity({ cpu: '8', memory: '8Gi' }).obj());
    // Moved by the Node/Add event; it binds once its 1 s backoff is over.
    await eventually(async () => (await getPod(client, 'big')).spec?.nodeName === 'n4', 5000, 'big bound to n4');
  });

  await t.test('pods for another scheduler are left alone', async () => {
    await createPod(client, makePod('theirs').schedulerName('other-scheduler').obj());
    await createPod(client, makePod('ours').obj());
    await eventually(async () => ((await getPod(client, 'ours')).spec?.nodeName ?? '') !== '', 5000, 'ours bound');
    assert.equal((await getPod(client, 'theirs')).spec?.nodeName, undefined);
    assert.deepEqual(await events(client, 'theirs'), []);
  });

  await t.test('preemption evicts a lower-priority pod and nominates the node', async () => {
    // Fill n4 (8 cpu, 3 used by big) with a low-priority pod, then ask for more than is left anywhere.
    // No kubelet runs here, so the victim must not wait for one to confirm its deletion.
    await createPod(client, makePod('filler').req({ cpu: '5' }).priority(1).terminationGracePeriodSeconds(0).nodeSelector({ 'kubernetes.io/hostname': 'n4' }).obj());
    await eventually(async () => (await getPod(client, 'filler')).spec?.nodeName === 'n4', 5000, 'filler bound');
    await createPod(client, makePod('vip').req({ cpu: '5' }).priority(1000).obj());
    await eventually(async () => (await getPod(client, 'vip')).spec?.nodeName === 'n4', 8000, 'vip bound to n4 after preemption');
    await assert.rejects(getPod(client, 'filler'), /not found/);
    await sched.flushEvents();
    const preempted = (await events(client, 'filler')).find((e) => e.reason === 'Preempted');
    assert.match(preempted?.message ?? '', /^Preempted by pod [0-9a-f-]+ on node n4$/);
    const failed = (await events(client, 'vip')).find((e) => e.reason === 'FailedScheduling');
    // Preemption succeeded, so it adds nothing to the message.
    assert.equal(failed?.message, '0/4 nodes are available: 1 node(s) had untolerated taint {key: value}, 3 Insufficient cpu.');
  });
});

test('leader election: only the holder of kube-system/kube-scheduler schedules', async (t) => {
  const env: TestEnv = await startTestEnv();
  const client = env.client();
  t.after(async () => {
    await env.close();
  });
  await client.create({ group: '', version: 'v1', resource: 'namespaces' }, { metadata: { name: 'kube-system' } });
  await createNode(client, makeNode('n1').capacity({ cpu: '4', memory: '8Gi' }).obj());
  const le = (identity: string) => ({ identity, leaseDurationMs: 2000, renewDeadlineMs: 1500, retryPeriodMs: 500, releaseOnCancel: true });
  const a = new Scheduler({ client, leaderElection: le('a'), log: () => {} });
  await a.start();
  await eventually(() => a.isLeader(), 5000, 'a leads');
  const b = new Scheduler({ client: env.client(), leaderElection: le('b'), log: () => {} });
  await b.start();
  t.after(() => b.stop());
  const lease = (await client.get({ group: 'coordination.k8s.io', version: 'v1', resource: 'leases', namespace: 'kube-system', name: 'kube-scheduler' })) as {
    spec?: { holderIdentity?: string };
  };
  assert.equal(lease.spec?.holderIdentity, 'a');
  assert.equal(b.isLeader(), false);

  await createPod(client, makePod('one').obj());
  await eventually(async () => ((await getPod(client, 'one')).spec?.nodeName ?? '') === 'n1', 5000, 'one bound');

  await a.stop();
  await eventually(() => b.isLeader(), 5000, 'b takes over');
  await createPod(client, makePod('two').obj());
  await eventually(async () => ((await getPod(client, 'two')).spec?.nodeName ?? '') === 'n1', 5000, 'two bound by b');
});
