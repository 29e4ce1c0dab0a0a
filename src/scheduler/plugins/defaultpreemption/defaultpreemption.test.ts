import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1.js';
import { CycleState } from '../../framework/cyclestate.js';
import { NodeToStatus } from '../../framework/fiterror.js';
import { harness, type Harness } from '../../testing/harness.js';
import { FakeListers, makeNode, makePod } from '../../testing/wrappers.js';
import { Names } from '../names.js';

const PLUGINS = [{ name: Names.TaintToleration }, { name: Names.NodeResourcesFit }, { name: Names.InterPodAffinity }, { name: Names.DefaultPreemption }];

async function postFilter(h: Harness, pod: Pod) {
  const state = new CycleState();
  const pre = h.fw.runPreFilterPlugins(state, pod, h.snapshot.list());
  assert.ok(pre.status.isSuccess(), pre.status.message());
  const m = new NodeToStatus();
  for (const ni of h.snapshot.list()) {
    const s = h.fw.runFilterPlugins(state, pod, ni);
    if (!s.isSuccess()) m.set(ni.name, s);
  }
  return h.fw.runPostFilterPlugins(state, pod, m);
}

const cpuNode = (name: string, cpu = '4'): Node => makeNode(name).capacity({ cpu, memory: '10Gi' }).obj();
const running = (name: string, node: string, cpu: string, prio: number, start = '2024-01-01T00:00:00Z'): Pod => makePod(name).node(node).req({ cpu }).priority(prio).startTime(start).obj();

test('DefaultPreemption messages when preemption cannot help', async () => {
  const taint = { key: 'key', value: 'value', effect: 'NoSchedule' as const };
  const cases: { name: string; nodes: Node[]; pods: Pod[]; pod: Pod; want: string }[] = [
    {
      name: 'every node unresolvable',
      nodes: [makeNode('a').taint(taint).obj(), makeNode('b').taint(taint).obj()],
      pods: [],
      pod: makePod('p').priority(100).obj(),
      want: 'preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.',
    },
    {
      name: 'no lower-priority pods to evict',
      nodes: [cpuNode('a')],
      pods: [running('e', 'a', '4', 100)],
      pod: makePod('p').req({ cpu: '1' }).priority(100).obj(),
      want: 'preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.',
    },
    {
      name: 'mixed',
      nodes: [makeNode('a').capacity({ cpu: '4' }).taint(taint).obj(), cpuNode('b')],
      pods: [running('e', 'b', '4', 200)],
      pod: makePod('p').req({ cpu: '1' }).priority(100).obj(),
      want: 'preemption: 0/2 nodes are available: 1 No preemption victims found for incoming pod, 1 Preemption is not helpful for scheduling.',
    },
    {
      name: 'evicting everything still does not fit',
      nodes: [cpuNode('a', '2')],
      pods: [running('low', 'a', '1', 1), running('high', 'a', '1', 500)],
      pod: makePod('p').req({ cpu: '2' }).priority(100).obj(),
      want: 'preemption: 0/1 nodes are available: 1 Insufficient cpu.',
    },
    {
      name: 'preemptionPolicy Never',
      nodes: [cpuNode('a')],
      pods: [running('e', 'a', '4', 0)],
      pod: makePod('p').req({ cpu: '1' }).priority(100).preemptionPolicy('Never').obj(),
      want: 'preemption: not eligible due to preemptionPolicy=Never.',
    },
  ];
  for (const c of cases) {
    const h = harness(PLUGINS, c.nodes, c.pods);
    const { status } = await postFilter(h, c.pod);
    assert.equal(status.code, 'Unschedulable', c.name);
    assert.equal(status.message(), c.want, c.name);
    assert.deepEqual(h.api.deleted, [], c.name);
  }
});

test('DefaultPreemption picks the minimal victim set and evicts it', async () => {
  const h = harness(PLUGINS, [cpuNode('a')], [running('low1', 'a', '1', 1), running('low2', 'a', '1', 2), running('high', 'a', '2', 100)]);
  const { result, status } = await postFilter(h, makePod('p').req({ cpu: '1' }).priority(50).obj());
  assert.ok(status.isSuccess(), status.message());
  assert.equal(result?.nominatedNodeName, 'a');
  // low2 (more important) is reprieved; low1 must go.
  assert.deepEqual(h.api.deleted, ['default/low1']);
  assert.deepEqual(h.api.statusUpdates, [
    {
      pod: 'default/low1',
      condition: { type: 'DisruptionTarget', status: 'True', reason: 'PreemptionByScheduler', message: 'default-scheduler: preempting to accommodate a higher priority pod' },
    },
  ]);
  assert.equal(h.api.events[0]?.reason, 'Preempted');
  assert.match(h.api.events[0]?.message ?? '', /^Preempted by pod uid-p-\d+ on node a$/);
});

test('DefaultPreemption node choice follows upstream ordering', async () => {
  const pod = () => makePod('p').req({ cpu: '2' }).priority(100).obj();
  const cases: { name: string; pods: Pod[]; pdbs?: PodDisruptionBudget[]; want: string }[] = [
    { name: 'lowest highest-victim priority', pods: [running('a1', 'a', '4', 10), running('b1', 'b', '4', 5)], want: 'b' },
    {
      name: 'smallest priority sum',
      pods: [running('a1', 'a', '2', 5), running('a2', 'a', '2', 5), running('b1', 'b', '2', 5), running('b2', 'b', '2', 1)],
      // each node needs one victim; b's cheapest victim (1) beats a's (5)
      want: 'b',
    },
    {
      name: 'fewer victims (through the offset priority sum)',
      pods: [running('a1', 'a', '1', 5), running('a2', 'a', '1', 5), running('a3', 'a', '2', 50), running('b1', 'b', '2', 5), running('b2', 'b', '2', 60)],
      // a needs a1+a2 (2 victims, max prio 5), b needs b1 (1 victim, max prio 5): equal max, sums 10 vs 5 -> b
      want: 'b',
    },
    {
      name: 'latest start time of the highest-priority victims',
      pods: [running('a1', 'a', '4', 5, '2024-01-01T00:00:00Z'), running('b1', 'b', '4', 5, '2024-01-02T00:00:00Z')],
      want: 'b',
    },
    {
      name: 'fewest PDB violations first',
      pods: [makePod('a1').label('app', 'db').node('a').req({ cpu: '4' }).priority(1).obj(), running('b1', 'b', '4', 50)],
      pdbs: [{ metadata: { name: 'db', namespace: 'default' }, spec: { selector: { matchLabels: { app: 'db' } } }, status: { disruptionsAllowed: 0, currentHealthy: 1, desiredHealthy: 1, expectedPods: 1 } }],
      want: 'b',
    },
  ];
  for (const c of cases) {
    const listers = new FakeListers();
    listers.pdbList = c.pdbs ?? [];
    const h = harness(PLUGINS, [cpuNode('a'), cpuNode('b')], c.pods, { listers });
    const { result, status } = await postFilter(h, pod());
    assert.ok(status.isSuccess(), `${c.name}: ${status.message()}`);
    assert.equal(result?.nominatedNodeName, c.want, c.name);
  }
});

test('DefaultPreemption respects anti-affinity victims (PreFilter extensions)', async () => {
  // The pod refuses to share a node with app=web; evicting the low-priority web pod frees node a.
  const h = harness(PLUGINS, [cpuNode('a')], [makePod('w').label('app', 'web').node('a').req({ cpu: '1' }).priority(1).obj()]);
  const { result, status } = await postFilter(h, makePod('p').req({ cpu: '1' }).priority(10).podAntiAffinity('kubernetes.io/hostname', { matchLabels: { app: 'web' } }).obj());
  assert.ok(status.isSuccess(), status.message());
  assert.equal(result?.nominatedNodeName, 'a');
  assert.deepEqual(h.api.deleted, ['default/w']);
});
