import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { FakeClock } from '../util/clock.js';
import { SchedulerCore } from './core.js';
import { CycleState } from './framework/cyclestate.js';
import type { PermitPlugin, PodConditionUpdate } from './framework/interface.js';
import { Status } from './framework/status.js';
import { defaultPlugins } from './plugins/registry.js';
import { FakeAPI, FakeListers, makeNode, makePod } from './testing/wrappers.js';

/** A SchedulerCore whose API writes are fed back as informer events, as a real cluster would. */
class FakeCluster {
  clock = new FakeClock();
  api = new FakeAPI();
  listers = new FakeListers();
  core: SchedulerCore;
  /** When false, bindings succeed at the API but the informer never reports them. */
  echoBindings = true;

  constructor(o: Partial<ConstructorParameters<typeof SchedulerCore>[0]> = {}) {
    this.core = new SchedulerCore({ api: this.api, listers: this.listers, clock: this.clock, random: () => 0, log: () => {}, ...o });
    this.api.onBind = (pod, node) => {
      if (!this.echoBindings) return;
      const old = this.listers.pod(pod.metadata!.namespace!, pod.metadata!.name!);
      if (old === undefined) return;
      this.update(old, { ...old, spec: { ...old.spec!, nodeName: node } });
    };
    this.api.onStatus = (pod, u) => {
      const old = this.listers.pod(pod.metadata!.namespace!, pod.metadata!.name!);
      if (old === undefined) return;
      const conds = (old.status?.conditions ?? []).filter((c) => c.type !== u.condition?.type);
      const c = u.condition as PodConditionUpdate | undefined;
      const status = {
        ...old.status,
        ...(c ? { conditions: [...conds, { ...c }] } : {}),
        ...(u.nominatedNodeName !== undefined ? { nominatedNodeName: u.nominatedNodeName } : {}),
      };
      this.update(old, { ...old, status });
    };
    this.api.onDelete = (pod) => this.deletePod(pod);
  }

  addNode(n: Node): void {
    this.core.onNodeAdd(n);
  }
  addPod(p: Pod): void {
    this.listers.setPod(p);
    this.core.onPodAdd(p);
  }
  update(old: Pod, p: Pod): void {
    this.listers.setPod(p);
    this.core.onPodUpdate(old, p);
  }
  deletePod(p: Pod): void {
    const cur = this.listers.pod(p.metadata!.namespace!, p.metadata!.name!) ?? p;
    this.listers.deletePod(cur);
    this.core.onPodDelete(cur);
  }
  pod(name: string): Pod | undefined {
    return this.listers.pod('default', name);
  }

  /** Runs cycles until the active queue is empty and every binding has finished. */
  async drain(): Promise<void> {
    for (;;) {
      const q = this.core.queue.tryPop();
      if (q === undefined) break;
      await this.core.scheduleOne(q);
      await this.core.waitForBindings();
    }
  }
  /** Lets time pass (flushing backoff) and schedules what became active. */
  async advance(ms: number): Promise<void> {
    this.clock.advance(ms);
    this.core.queue.flushBackoffQCompleted();
    this.core.queue.flushUnschedulablePodsLeftover();
    await this.drain();
  }
}

const node = (name: string, cpu = '4', memory = '8Gi'): Node => makeNode(name).capacity({ cpu, memory }).obj();

test('schedules pods, spreading by least allocation, with a Scheduled event each', async () => {
  const c = new FakeCluster();
  c.addNode(node('n1'));
  c.addNode(node('n2'));
  for (const name of ['a', 'b', 'c', 'd']) c.addPod(makePod(name).req({ cpu: '1', memory: '1Gi' }).obj());
  await c.drain();
  const placed = c.api.bindings.map((b) => b.node);
  assert.equal(placed.length, 4);
  assert.equal(placed.filter((n) => n === 'n1').length, 2);
  assert.equal(placed.filter((n) => n === 'n2').length, 2);
  const first = c.api.bindings[0]!;
  assert.deepEqual(
    c.api.events.find((e) => e.pod === first.pod),
    { pod: first.pod, type: 'Normal', reason: 'Scheduled', message: `Successfully assigned ${first.pod} to ${first.node}` },
  );
  assert.equal(c.core.cache.podCount(), 4);
});

test('an assumed pod counts before its binding is confirmed', async () => {
  const c = new FakeCluster();
  c.echoBindings = false;
  c.addNode(node('n1'));
  c.addNode(node('n2'));
  c.addPod(makePod('a').req({ cpu: '3' }).obj());
  c.addPod(makePod('b').req({ cpu: '3' }).obj());
  await c.drain();
  assert.deepEqual(c.api.bindings.map((b) => b.node).sort(), ['n1', 'n2']);
});

test('unschedulable pod: aggregated message in the PodScheduled condition and a FailedScheduling event', async () => {
  const c = new FakeCluster();
  c.addNode(makeNode('n1').capacity({ cpu: '4', memory: '8Gi' }).taint({ key: 'key', value: 'value', effect: 'NoSchedule' }).obj());
  c.addNode(node('n2', '2'));
  c.addNode(node('n3', '2'));
  c.addPod(makePod('big').req({ cpu: '3' }).obj());
  await c.drain();
  const want =
    '0/3 nodes are available: 1 node(s) had untolerated taint {key: value}, 2 Insufficient cpu. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.';
  assert.deepEqual(c.api.events, [{ pod: 'default/big', type: 'Warning', reason: 'FailedScheduling', message: want }]);
  assert.deepEqual(c.api.statusUpdates, [{ pod: 'default/big', condition: { type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: want } }]);
  assert.equal(c.core.queue.whereIs(c.pod('big')!), 'unschedulable');

  // The same failure again writes no new status (the condition is unchanged).
  c.core.queue.activate([c.pod('big')!]);
  await c.drain();
  assert.equal(c.api.statusUpdates.length, 1);
  assert.equal(c.api.events.length, 2);

  // A node that fits is added: the Fit plugin registered Node/Add, so the pod moves and binds.
  c.addNode(node('n4', '8'));
  await c.advance(10_000);
  assert.deepEqual(c.api.bindings, [{ pod: 'default/big', node: 'n4' }]);
});

test('lower-priority pods on a full node: No preemption victims for equal priority', async () => {
  const c = new FakeCluster();
  c.addNode(node('n1', '2'));
  c.addPod(makePod('a').req({ cpu: '2' }).obj());
  await c.drain();
  c.addPod(makePod('b').req({ cpu: '1' }).obj());
  await c.drain();
  assert.equal(
    c.api.events.at(-1)?.message,
    '0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.',
  );
});

test('no nodes: "no nodes available to schedule pods", retried with backoff', async () => {
  const c = new FakeCluster();
  c.addPod(makePod('p').obj());
  await c.drain();
  assert.equal(c.api.events[0]?.message, 'no nodes available to schedule pods');
  assert.equal(c.api.statusUpdates[0]?.condition?.reason, 'Unschedulable');
  assert.equal(c.core.queue.whereIs(c.pod('p')!), 'backoff');
  c.addNode(node('n1'));
  await c.advance(1000);
  assert.deepEqual(c.api.bindings, [{ pod: 'default/p', node: 'n1' }]);
});

test('pods for other schedulers and bound pods are left alone', async () => {
  const c = new FakeCluster();
  c.addNode(node('n1'));
  c.addPod(makePod('other').schedulerName('my-scheduler').obj());
  c.addPod(makePod('bound').node('n1').req({ cpu: '1' }).obj());
  c.addPod(makePod('mine').schedulerName('default-scheduler').obj());
  await c.drain();
  assert.deepEqual(c.api.bindings, [{ pod: 'default/mine', node: 'n1' }]);
  assert.equal(c.core.cache.getNodeInfo('n1')?.requested.milliCPU, 1000);
});

test('preemption: nominate, evict, then bind on the freed node', async () => {
  const c = new FakeCluster();
  c.addNode(node('n1', '2'));
  c.addPod(makePod('low').req({ cpu: '2' }).priority(1).obj());
  await c.drain();
  c.addPod(makePod('high').req({ cpu: '2' }).priority(100).obj());
  await c.drain();
  assert.deepEqual(c.api.deleted, ['default/low']);
  assert.equal(c.pod('high')?.status?.nominatedNodeName, 'n1');
  const failed = c.api.events.find((e) => e.pod === 'default/high' && e.reason === 'FailedScheduling');
  assert.equal(failed?.message, '0/1 nodes are available: 1 Insufficient cpu.');
  // The victim's deletion (AssignedPod/Delete) moves the preemptor; after its backoff it binds.
  await c.advance(1000);
  assert.deepEqual(c.api.bindings.at(-1), { pod: 'default/high', node: 'n1' });
});

test('a failed binding forgets the assumed pod and retries', async () => {
  const c = new FakeCluster();
  c.addNode(node('n1', '2'));
  c.api.bindError = new Error('boom');
  c.addPod(makePod('p').req({ cpu: '2' }).obj());
  await c.drain();
  assert.equal(c.core.cache.getNodeInfo('n1')?.requested.milliCPU, 0);
  assert.equal(c.api.events.at(-1)?.reason, 'FailedScheduling');
  assert.match(c.api.events.at(-1)?.message ?? '', /^Binding rejected: .*boom/);
  assert.equal(c.api.statusUpdates.at(-1)?.condition?.reason, 'SchedulerError');
  c.api.bindError = undefined;
  await c.advance(1000);
  assert.deepEqual(c.api.bindings, [{ pod: 'default/p', node: 'n1' }]);
});

test('deleted pods are not scheduled; terminal pods free their node', async () => {
  const c = new FakeCluster();
  c.addNode(node('n1', '2'));
  const done = makePod('done').node('n1').req({ cpu: '2' }).obj();
  c.addPod(done);
  c.update(done, { ...done, status: { phase: 'Succeeded' } });
  const gone = makePod('gone').obj();
  c.addPod(gone);
  c.deletePod(gone);
  c.addPod(makePod('p').req({ cpu: '2' }).obj());
  await c.drain();
  assert.deepEqual(c.api.bindings, [{ pod: 'default/p', node: 'n1' }]);
});

test('percentageOfNodesToScore: a cycle filters only as many nodes as it needs, round-robin', () => {
  const c = new FakeCluster({ percentageOfNodesToScore: 50 });
  for (let i = 0; i < 300; i++) c.addNode(node(`n${i}`));
  const pod = makePod('p').req({ cpu: '1' }).obj();
  const first = c.core.schedulePod(new CycleState(), pod);
  assert.equal(first.evaluatedNodes, 150);
  assert.equal(first.feasibleNodes, 150);
  // The next cycle starts where this one stopped.
  const ni = c.core.findNodesThatFitPod(new CycleState(), pod);
  assert.equal(ni.feasible[0]?.name, 'n150');
});

test('Permit: a waiting pod binds when allowed and fails when its wait times out', async () => {
  const permit: PermitPlugin & { name: string } = {
    name: 'Gate',
    permit: () => ({ status: new Status('Wait'), timeoutMs: 5000 }),
  };
  const c = new FakeCluster({ plugins: [...defaultPlugins(), { name: 'Gate' }], registry: { Gate: () => permit } });
  c.addNode(node('n1'));
  const a = makePod('a').obj();
  c.addPod(a);
  const q = c.core.queue.tryPop();
  assert.ok(q);
  await c.core.scheduleOne(q);
  assert.deepEqual(c.api.bindings, []);
  c.core.framework.getWaitingPod(a.metadata!.uid!)?.allow('Gate');
  await c.core.waitForBindings();
  assert.deepEqual(c.api.bindings, [{ pod: 'default/a', node: 'n1' }]);

  c.addPod(makePod('b').obj());
  const qb = c.core.queue.tryPop();
  assert.ok(qb);
  await c.core.scheduleOne(qb);
  c.clock.advance(5000);
  await c.core.waitForBindings();
  assert.equal(c.api.events.at(-1)?.message, 'rejected due to timeout after waiting 5s at plugin Gate');
  assert.equal(c.core.cache.getNodeInfo('n1')?.pods.length, 1);
});
