import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { CycleState } from '../../framework/cyclestate.js';
import { filterAll, harness, scoreAll } from '../../testing/harness.js';
import { makeNode, makePod } from '../../testing/wrappers.js';
import { Names } from '../names.js';

const REASON = "node(s) didn't match Pod's node affinity/selector";

test('NodeAffinity Filter', () => {
  const node = makeNode('n1').labels({ foo: 'bar', gpu: '4', zone: 'z1' }).obj();
  const cases: { name: string; pod: Pod; want: string }[] = [
    { name: 'no constraints', pod: makePod('p').obj(), want: 'Success' },
    { name: 'nodeSelector match', pod: makePod('p').nodeSelector({ foo: 'bar' }).obj(), want: 'Success' },
    { name: 'nodeSelector mismatch', pod: makePod('p').nodeSelector({ foo: 'baz' }).obj(), want: 'UnschedulableAndUnresolvable' },
    { name: 'In', pod: makePod('p').nodeAffinityIn('foo', ['x', 'bar']).obj(), want: 'Success' },
    { name: 'NotIn', pod: makePod('p').nodeAffinityTerm([{ key: 'foo', operator: 'NotIn', values: ['bar'] }]).obj(), want: 'UnschedulableAndUnresolvable' },
    { name: 'NotIn on missing label matches', pod: makePod('p').nodeAffinityTerm([{ key: 'nope', operator: 'NotIn', values: ['x'] }]).obj(), want: 'Success' },
    { name: 'Exists', pod: makePod('p').nodeAffinityTerm([{ key: 'foo', operator: 'Exists' }]).obj(), want: 'Success' },
    { name: 'DoesNotExist', pod: makePod('p').nodeAffinityTerm([{ key: 'foo', operator: 'DoesNotExist' }]).obj(), want: 'UnschedulableAndUnresolvable' },
    { name: 'Gt', pod: makePod('p').nodeAffinityTerm([{ key: 'gpu', operator: 'Gt', values: ['3'] }]).obj(), want: 'Success' },
    { name: 'Lt', pod: makePod('p').nodeAffinityTerm([{ key: 'gpu', operator: 'Lt', values: ['3'] }]).obj(), want: 'UnschedulableAndUnresolvable' },
    {
      name: 'terms are ORed',
      pod: makePod('p').nodeAffinityIn('foo', ['nope']).nodeAffinityIn('zone', ['z1']).obj(),
      want: 'Success',
    },
    {
      name: 'expressions in a term are ANDed',
      pod: makePod('p')
        .nodeAffinityTerm([
          { key: 'foo', operator: 'In', values: ['bar'] },
          { key: 'zone', operator: 'In', values: ['z2'] },
        ])
        .obj(),
      want: 'UnschedulableAndUnresolvable',
    },
    { name: 'empty term matches nothing', pod: makePod('p').nodeAffinityTerm([]).obj(), want: 'UnschedulableAndUnresolvable' },
    { name: 'matchFields metadata.name', pod: makePod('p').nodeAffinityTerm([], [{ key: 'metadata.name', operator: 'In', values: ['n1'] }]).obj(), want: 'Success' },
    {
      name: 'nodeSelector and affinity both required',
      pod: makePod('p').nodeSelector({ foo: 'bar' }).nodeAffinityIn('zone', ['z2']).obj(),
      want: 'UnschedulableAndUnresolvable',
    },
  ];
  for (const c of cases) {
    const { preFilter, statuses } = filterAll(harness([{ name: Names.NodeAffinity }], [node]), c.pod);
    assert.ok(preFilter.isSuccess(), c.name);
    const s = statuses.get('n1');
    assert.equal(s?.code, c.want, c.name);
    if (c.want !== 'Success') assert.deepEqual(s?.reasons, [REASON], c.name);
  }
});

test('NodeAffinity PreFilter narrows to metadata.name pins', () => {
  const nodes = [makeNode('a').obj(), makeNode('b').obj(), makeNode('c').obj()];
  const h = harness([{ name: Names.NodeAffinity }], nodes);
  const pin = (...names: string[]) => [{ key: 'metadata.name', operator: 'In', values: names }];
  const cases: { name: string; pod: Pod; want: string[] | undefined; code?: string }[] = [
    { name: 'two pinned terms: union', pod: makePod('p').nodeAffinityTerm([], pin('a')).nodeAffinityTerm([], pin('c')).obj(), want: ['a', 'c'] },
    { name: 'a term without a pin admits all nodes', pod: makePod('p').nodeAffinityTerm([], pin('a')).nodeAffinityIn('x', ['y']).obj(), want: undefined },
    {
      name: 'conflicting pins in one term',
      pod: makePod('p').nodeAffinityTerm([], [...pin('a'), ...pin('b')]).obj(),
      want: undefined,
      code: 'UnschedulableAndUnresolvable',
    },
    { name: 'only a nodeSelector', pod: makePod('p').nodeSelector({ a: 'b' }).obj(), want: undefined },
  ];
  for (const c of cases) {
    const pre = h.fw.runPreFilterPlugins(new CycleState(), c.pod, h.snapshot.list());
    assert.equal(pre.status.code, c.code ?? 'Success', c.name);
    if (c.code === undefined) assert.deepEqual(pre.result?.nodeNames === undefined ? undefined : [...pre.result.nodeNames].sort(), c.want, c.name);
  }
  const conflict = h.fw.runPreFilterPlugins(new CycleState(), cases[2]!.pod, h.snapshot.list());
  assert.deepEqual(conflict.status.reasons, ['pod affinity terms conflict']);
});

test('NodeAffinity Score sums matching preferred weights, normalised', () => {
  const nodes = [makeNode('a').labels({ foo: 'bar', zone: 'z1' }).obj(), makeNode('b').labels({ foo: 'bar' }).obj(), makeNode('c').obj()];
  const pod = makePod('p')
    .preferredNodeAffinity(2, [{ key: 'foo', operator: 'In', values: ['bar'] }])
    .preferredNodeAffinity(6, [{ key: 'zone', operator: 'Exists' }])
    .obj();
  const s = scoreAll(harness([{ name: Names.NodeAffinity }], nodes), pod);
  // raw 8, 2, 0 -> 100, 25, 0
  assert.deepEqual([...s], [
    ['a', 100],
    ['b', 25],
    ['c', 0],
  ]);
});
