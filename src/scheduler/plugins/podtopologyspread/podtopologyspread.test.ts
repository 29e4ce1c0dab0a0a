import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { filterAll, harness, scoreAll } from '../../testing/harness.js';
import { FakeListers, makeNode, makePod } from '../../testing/wrappers.js';
import { Names } from '../names.js';

const FOO = { matchLabels: { foo: '' } };
const zoned = (name: string, zone: string): Node => makeNode(name).zone(zone).obj();
const fooOn = (name: string, node: string): Pod => makePod(name).label('foo', '').node(node).obj();

test('PodTopologySpread Filter (DoNotSchedule)', () => {
  const nodes = [zoned('node-a', 'zone1'), zoned('node-b', 'zone1'), zoned('node-x', 'zone2'), zoned('node-y', 'zone2')];
  const cases: { name: string; pod: Pod; nodes?: Node[]; existing: Pod[]; want: Record<string, string> }[] = [
    {
      name: 'no existing pods: every node fits',
      pod: makePod('p').label('foo', '').spread(1, 'topology.kubernetes.io/zone', 'DoNotSchedule', FOO).obj(),
      existing: [],
      want: { 'node-a': 'Success', 'node-b': 'Success', 'node-x': 'Success', 'node-y': 'Success' },
    },
    {
      name: 'zone1 has 3, zone2 has 0: only zone2 within maxSkew 1',
      pod: makePod('p').label('foo', '').spread(1, 'topology.kubernetes.io/zone', 'DoNotSchedule', FOO).obj(),
      existing: [fooOn('p-a1', 'node-a'), fooOn('p-a2', 'node-a'), fooOn('p-b1', 'node-b')],
      want: { 'node-a': 'Unschedulable', 'node-b': 'Unschedulable', 'node-x': 'Success', 'node-y': 'Success' },
    },
    {
      name: 'maxSkew 3 allows zone1',
      pod: makePod('p').label('foo', '').spread(3, 'topology.kubernetes.io/zone', 'DoNotSchedule', FOO).obj(),
      existing: [fooOn('p-a1', 'node-a'), fooOn('p-a2', 'node-a'), fooOn('p-b1', 'node-b')],
      want: { 'node-a': 'Unschedulable', 'node-b': 'Unschedulable', 'node-x': 'Success', 'node-y': 'Success' },
    },
    {
      name: 'hostname spreading',
      pod: makePod('p').label('foo', '').spread(1, 'kubernetes.io/hostname', 'DoNotSchedule', FOO).obj(),
      existing: [fooOn('p-a1', 'node-a'), fooOn('p-b1', 'node-b'), fooOn('p-x1', 'node-x')],
      want: { 'node-a': 'Unschedulable', 'node-b': 'Unschedulable', 'node-x': 'Unschedulable', 'node-y': 'Success' },
    },
    {
      name: 'a pod not matching its own selector does not count itself',
      pod: makePod('p').spread(1, 'kubernetes.io/hostname', 'DoNotSchedule', FOO).obj(),
      existing: [fooOn('p-a1', 'node-a'), fooOn('p-b1', 'node-b'), fooOn('p-x1', 'node-x')],
      want: { 'node-a': 'Success', 'node-b': 'Success', 'node-x': 'Success', 'node-y': 'Success' },
    },
    {
      name: 'node without the topology key is unresolvable',
      pod: makePod('p').label('foo', '').spread(1, 'topology.kubernetes.io/zone', 'DoNotSchedule', FOO).obj(),
      nodes: [zoned('node-a', 'zone1'), makeNode('node-z').obj()],
      existing: [],
      want: { 'node-a': 'Success', 'node-z': 'UnschedulableAndUnresolvable' },
    },
    {
      name: 'minDomains above the domain count makes the minimum 0',
      pod: makePod('p').label('foo', '').spread(1, 'topology.kubernetes.io/zone', 'DoNotSchedule', FOO, { minDomains: 3 }).obj(),
      existing: [fooOn('p-a1', 'node-a'), fooOn('p-x1', 'node-x')],
      want: { 'node-a': 'Unschedulable', 'node-b': 'Unschedulable', 'node-x': 'Unschedulable', 'node-y': 'Unschedulable' },
    },
    {
      name: 'nodeAffinityPolicy Honor: nodes the pod cannot use do not count',
      pod: makePod('p').label('foo', '').nodeSelector({ 'topology.kubernetes.io/zone': 'zone1' }).spread(1, 'topology.kubernetes.io/zone', 'DoNotSchedule', FOO).obj(),
      existing: [fooOn('p-a1', 'node-a')],
      // Only zone1 is a domain: min = 1, so zone1 gets 1+1-1 = 1 <= 1.
      want: { 'node-a': 'Success', 'node-b': 'Success', 'node-x': 'Success', 'node-y': 'Success' },
    },
    {
      name: 'nodeAffinityPolicy Ignore: zone2 counts with 0',
      pod: makePod('p')
        .label('foo', '')
        .nodeSelector({ 'topology.kubernetes.io/zone': 'zone1' })
        .spread(1, 'topology.kubernetes.io/zone', 'DoNotSchedule', FOO, { nodeAffinityPolicy: 'Ignore' })
        .obj(),
      existing: [fooOn('p-a1', 'node-a')],
      want: { 'node-a': 'Unschedulable', 'node-b': 'Unschedulable', 'node-x': 'Success', 'node-y': 'Success' },
    },
    {
      name: 'nodeTaintsPolicy Honor: tainted nodes are not domains',
      pod: makePod('p').label('foo', '').spread(1, 'kubernetes.io/hostname', 'DoNotSchedule', FOO, { nodeTaintsPolicy: 'Honor' }).obj(),
      nodes: [makeNode('a').obj(), makeNode('b').taint({ key: 'k', value: 'v', effect: 'NoSchedule' }).obj()],
      existing: [fooOn('p-a1', 'a')],
      // b does not count: a is the only domain, min 1 -> a ok.
      want: { a: 'Success', b: 'Success' },
    },
    {
      name: 'terminating pods are not counted',
      pod: makePod('p').label('foo', '').spread(1, 'kubernetes.io/hostname', 'DoNotSchedule', FOO).obj(),
      nodes: [makeNode('a').obj(), makeNode('b').obj()],
      existing: [makePod('t').label('foo', '').node('a').terminating().obj()],
      want: { a: 'Success', b: 'Success' },
    },
    {
      name: 'other namespaces are not counted',
      pod: makePod('p').label('foo', '').spread(1, 'kubernetes.io/hostname', 'DoNotSchedule', FOO).obj(),
      nodes: [makeNode('a').obj(), makeNode('b').obj()],
      existing: [makePod('o').namespace('other').label('foo', '').node('a').obj(), makePod('o2').namespace('other').label('foo', '').node('a').obj()],
      want: { a: 'Success', b: 'Success' },
    },
    {
      name: 'matchLabelKeys narrows the selector to the pod revision',
      pod: makePod('p').labels({ foo: '', rev: '2' }).spread(1, 'kubernetes.io/hostname', 'DoNotSchedule', FOO, { matchLabelKeys: ['rev'] }).obj(),
      nodes: [makeNode('a').obj(), makeNode('b').obj()],
      existing: [makePod('old1').labels({ foo: '', rev: '1' }).node('a').obj(), makePod('old2').labels({ foo: '', rev: '1' }).node('a').obj()],
      want: { a: 'Success', b: 'Success' },
    },
  ];
  for (const c of cases) {
    const { statuses } = filterAll(harness([{ name: Names.PodTopologySpread }], c.nodes ?? nodes, c.existing), c.pod);
    const got = Object.fromEntries([...statuses].map(([n, s]) => [n, s.code]));
    assert.deepEqual(got, c.want, c.name);
    for (const s of statuses.values()) {
      if (s.code === 'Unschedulable') assert.deepEqual(s.reasons, ["node(s) didn't match pod topology spread constraints"], c.name);
      if (s.code === 'UnschedulableAndUnresolvable') assert.deepEqual(s.reasons, ["node(s) didn't match pod topology spread constraints (missing required label)"], c.name);
    }
  }
});

test('PodTopologySpread Score (ScheduleAnyway)', () => {
  const nodes = [makeNode('a').obj(), makeNode('b').obj(), makeNode('c').obj()];
  const existing = [fooOn('a1', 'a'), fooOn('a2', 'a'), fooOn('b1', 'b')];
  const pod = makePod('p').label('foo', '').spread(1, 'kubernetes.io/hostname', 'ScheduleAnyway', FOO).obj();
  const s = scoreAll(harness([{ name: Names.PodTopologySpread }], nodes, existing), pod);
  // weight ln(3+2); raw round(2*1.609)=3, round(1.609)=2, 0 -> (3+0-raw)*100/3
  assert.deepEqual([...s], [
    ['a', 0],
    ['b', 33],
    ['c', 100],
  ]);
});

test('PodTopologySpread default constraints use the selector of the pod Services', () => {
  const listers = new FakeListers();
  listers.serviceList = [{ metadata: { name: 'web', namespace: 'default' }, spec: { selector: { app: 'web' } } }];
  const nodes = [makeNode('a').obj(), makeNode('b').obj()];
  const existing = [makePod('w1').label('app', 'web').node('a').obj(), makePod('w2').label('app', 'web').node('a').obj()];
  const h = harness([{ name: Names.PodTopologySpread }], nodes, existing, { listers });
  const s = scoreAll(h, makePod('p').label('app', 'web').obj());
  assert.ok((s.get('b') ?? 0) > (s.get('a') ?? 0), JSON.stringify([...s]));
  // Without a Service (or controller) there is nothing to spread by: equal scores.
  const plain = scoreAll(h, makePod('q').label('app', 'other').obj());
  assert.equal(plain.get('a'), plain.get('b'));
  // Filter is unaffected by the (ScheduleAnyway) defaults.
  assert.ok(filterAll(h, makePod('r').label('app', 'web').obj()).preFilter.isSuccess());
});

test('PodTopologySpread default selector from the controlling ReplicaSet', () => {
  const listers = new FakeListers();
  listers.replicaSets = [{ metadata: { name: 'rs', namespace: 'default' }, spec: { selector: { matchLabels: { app: 'x' } } } }];
  const nodes = [makeNode('a').obj(), makeNode('b').obj()];
  const existing = [makePod('x1').label('app', 'x').node('b').obj()];
  const h = harness([{ name: Names.PodTopologySpread }], nodes, existing, { listers });
  const s = scoreAll(h, makePod('p').label('app', 'x').ownerReference('ReplicaSet', 'rs').obj());
  assert.ok((s.get('a') ?? 0) > (s.get('b') ?? 0), JSON.stringify([...s]));
});
