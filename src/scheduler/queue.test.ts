import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { FakeClock } from '../util/clock.js';
import { ActionType, type ClusterEvent } from './framework/events.js';
import { Status, SUCCESS } from './framework/status.js';
import { SchedulingQueue } from './queue.js';
import { makePod } from './testing/wrappers.js';

const EVENTS = new Map<string, ClusterEvent[]>([
  [
    'NodeResourcesFit',
    [
      { resource: 'AssignedPod', actionType: ActionType.Delete },
      { resource: 'Node', actionType: ActionType.Add | ActionType.UpdateNodeAllocatable },
    ],
  ],
  ['TaintToleration', [{ resource: 'Node', actionType: ActionType.Add | ActionType.UpdateNodeTaint }]],
  ['SchedulingGates', [{ resource: 'UnscheduledPod', actionType: ActionType.UpdatePodSchedulingGatesEliminated }]],
]);

function newQueue(clock = new FakeClock()): { q: SchedulingQueue; clock: FakeClock } {
  const q = new SchedulingQueue({
    clock,
    eventsToRegister: EVENTS,
    preEnqueue: (pod: Pod) => ((pod.spec?.schedulingGates ?? []).length > 0 ? new Status('UnschedulableAndUnresolvable', ['gated'], 'SchedulingGates') : SUCCESS),
  });
  return { q, clock };
}

const names = (pods: Pod[]): string[] => pods.map((p) => p.metadata?.name ?? '').sort();

/** Pops the pod and reports it unschedulable by the given plugins. */
function fail(q: SchedulingQueue, plugins: string[], error = false): void {
  const qpi = q.tryPop();
  assert.ok(qpi, 'a pod to pop');
  q.addUnschedulableIfNotPresent(qpi, { unschedulablePlugins: new Set(plugins), error });
}

test('activeQ orders by priority, then by time added', () => {
  const { q, clock } = newQueue();
  q.add(makePod('low').priority(1).obj());
  clock.advance(1);
  q.add(makePod('high').priority(10).obj());
  clock.advance(1);
  q.add(makePod('low-later').priority(1).obj());
  clock.advance(1);
  q.add(makePod('high-later').priority(10).obj());
  const order: string[] = [];
  for (let p = q.tryPop(); p !== undefined; p = q.tryPop()) order.push(p.podInfo.pod.metadata?.name ?? '');
  assert.deepEqual(order, ['high', 'high-later', 'low', 'low-later']);
});

test('backoff doubles from 1s up to 10s', () => {
  const { q, clock } = newQueue();
  const pod = makePod('p').obj();
  q.add(pod);
  const got: number[] = [];
  for (let i = 0; i < 6; i++) {
    const qpi = q.tryPop();
    assert.ok(qpi);
    // An error goes to backoffQ regardless of events.
    q.addUnschedulableIfNotPresent(qpi, { unschedulablePlugins: new Set(), error: false });
    assert.equal(q.whereIs(pod), 'backoff');
    got.push(q.backoffExpiry(qpi) - clock.now());
    clock.advance(q.backoffExpiry(qpi) - clock.now());
    q.flushBackoffQCompleted();
    assert.equal(q.whereIs(pod), 'active');
  }
  assert.deepEqual(got, [1000, 2000, 4000, 8000, 10000, 10000]);
});

test('errors back off by consecutive errors, separately from unschedulable attempts', () => {
  const { q, clock } = newQueue();
  const pod = makePod('p').obj();
  q.add(pod);
  for (let i = 0; i < 3; i++) {
    fail(q, ['NodeResourcesFit']);
    q.moveAllToActiveOrBackoffQueue({ resource: 'Node', actionType: ActionType.Add });
    clock.advance(20_000);
    q.flushBackoffQCompleted();
  }
  const qpi = q.tryPop();
  assert.ok(qpi);
  q.addUnschedulableIfNotPresent(qpi, { error: true });
  assert.equal(q.whereIs(pod), 'backoff');
  assert.equal(q.backoffExpiry(qpi) - clock.now(), 1000);
});

test('unschedulable pods move only on events their rejecting plugins registered', () => {
  const { q, clock } = newQueue();
  const cpu = makePod('cpu').obj();
  const taint = makePod('taint').obj();
  q.add(cpu);
  q.add(taint);
  const a = q.tryPop();
  const b = q.tryPop();
  assert.ok(a && b);
  const byName = (x: typeof a) => (x.podInfo.pod.metadata?.name === 'cpu' ? ['NodeResourcesFit'] : ['TaintToleration']);
  q.addUnschedulableIfNotPresent(a, { unschedulablePlugins: new Set(byName(a)) });
  q.addUnschedulableIfNotPresent(b, { unschedulablePlugins: new Set(byName(b)) });
  assert.deepEqual(names(q.pendingPods().unschedulable), ['cpu', 'taint']);

  q.moveAllToActiveOrBackoffQueue({ resource: 'Node', actionType: ActionType.UpdateNodeLabel });
  assert.deepEqual(names(q.pendingPods().unschedulable), ['cpu', 'taint']);

  // Still backing off: moved to backoffQ, then to activeQ when the backoff ends.
  q.moveAllToActiveOrBackoffQueue({ resource: 'AssignedPod', actionType: ActionType.Delete });
  assert.equal(q.whereIs(cpu), 'backoff');
  assert.equal(q.whereIs(taint), 'unschedulable');
  clock.advance(1000);
  q.flushBackoffQCompleted();
  assert.equal(q.whereIs(cpu), 'active');

  clock.advance(5000);
  q.moveAllToActiveOrBackoffQueue({ resource: 'Node', actionType: ActionType.UpdateNodeTaint });
  assert.equal(q.whereIs(taint), 'active');
});

test('an event during the attempt requeues instead of parking the pod', () => {
  const { q } = newQueue();
  const pod = makePod('p').obj();
  q.add(pod);
  const qpi = q.tryPop();
  assert.ok(qpi);
  q.moveAllToActiveOrBackoffQueue({ resource: 'Node', actionType: ActionType.Add });
  q.addUnschedulableIfNotPresent(qpi, { unschedulablePlugins: new Set(['NodeResourcesFit']) });
  assert.equal(q.whereIs(pod), 'backoff');

  const pod2 = makePod('p2').obj();
  q.add(pod2);
  const qpi2 = q.tryPop();
  assert.ok(qpi2);
  q.moveAllToActiveOrBackoffQueue({ resource: 'Node', actionType: ActionType.UpdateNodeLabel });
  q.addUnschedulableIfNotPresent(qpi2, { unschedulablePlugins: new Set(['NodeResourcesFit']) });
  assert.equal(q.whereIs(pod2), 'unschedulable');
});

test('pods unschedulable for more than 5 minutes are flushed by the periodic timer', () => {
  const { q, clock } = newQueue();
  q.run();
  const pod = makePod('p').obj();
  q.add(pod);
  fail(q, ['NodeResourcesFit']);
  assert.equal(q.whereIs(pod), 'unschedulable');
  clock.advance(5 * 60 * 1000);
  assert.equal(q.whereIs(pod), 'unschedulable');
  clock.advance(30_000);
  assert.equal(q.whereIs(pod), 'active');
  q.close();
  assert.equal(clock.pendingTimers(), 0);
});

test('updates: spec changes move an unschedulable pod, status-only changes do not', () => {
  const { q, clock } = newQueue();
  const pod = makePod('p').obj();
  q.add(pod);
  fail(q, ['TaintToleration']);
  clock.advance(2000);
  const statusOnly: Pod = { ...pod, status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False' }] } };
  q.update(pod, statusOnly);
  assert.equal(q.whereIs(pod), 'unschedulable');
  const tolerating: Pod = { ...statusOnly, spec: { ...statusOnly.spec!, tolerations: [{ operator: 'Exists' }] } };
  q.update(statusOnly, tolerating);
  assert.equal(q.whereIs(pod), 'active');
  assert.deepEqual(q.tryPop()?.podInfo.pod.spec?.tolerations, [{ operator: 'Exists' }]);
});

test('gated pods wait until their scheduling gates are removed', () => {
  const { q } = newQueue();
  const gated = makePod('g').schedulingGates('example.com/wait').obj();
  q.add(gated);
  assert.equal(q.whereIs(gated), 'unschedulable');
  assert.equal(q.queuedPodInfo(gated)?.gatingPlugin, 'SchedulingGates');
  assert.equal(q.tryPop(), undefined);
  q.flushUnschedulablePodsLeftover();
  q.moveAllToActiveOrBackoffQueue({ resource: 'Node', actionType: ActionType.Add });
  assert.equal(q.whereIs(gated), 'unschedulable');
  const ungated: Pod = { ...gated, spec: { ...gated.spec!, schedulingGates: [] } };
  q.update(gated, ungated);
  assert.equal(q.whereIs(gated), 'active');
});

test('delete removes a pod from every queue; a deleted in-flight pod is dropped', () => {
  const { q } = newQueue();
  const a = makePod('a').obj();
  const b = makePod('b').obj();
  q.add(a);
  q.add(b);
  q.delete(a);
  assert.equal(q.whereIs(a), undefined);
  const qpi = q.tryPop();
  assert.ok(qpi);
  q.delete(b);
  q.addUnschedulableIfNotPresent(qpi, { unschedulablePlugins: new Set(['NodeResourcesFit']) });
  assert.equal(q.whereIs(b), undefined);
});

test('pop waits for a pod and returns undefined once closed', async () => {
  const { q } = newQueue();
  const waiting = q.pop();
  q.add(makePod('p').obj());
  assert.equal((await waiting)?.podInfo.pod.metadata?.name, 'p');
  const ac = new AbortController();
  const aborted = q.pop(ac.signal);
  ac.abort();
  assert.equal(await aborted, undefined);
  const closed = q.pop();
  q.close();
  assert.equal(await closed, undefined);
});

test('nominator tracks nominated pods per node', () => {
  const { q } = newQueue();
  const p = makePod('p').nominatedNodeName('n1').obj();
  q.add(p);
  assert.deepEqual(
    q.nominatedPodsForNode('n1').map((pi) => pi.pod.metadata?.name),
    ['p'],
  );
  // An update without a nomination keeps the in-memory one (the status write may lag).
  const other = makePod('o').obj();
  q.add(other);
  q.addNominatedPod(q.queuedPodInfo(other)!.podInfo, 'n2');
  q.update(other, { ...other, metadata: { ...other.metadata, labels: { x: 'y' } } });
  assert.equal(q.nominatedNodeName(other), 'n2');
  q.delete(p);
  assert.deepEqual(q.nominatedPodsForNode('n1'), []);
});
