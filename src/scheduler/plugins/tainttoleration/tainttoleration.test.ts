import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod, Taint } from 'kubernetes-types/core/v1.js';
import { filterAll, harness, scoreAll } from '../../testing/harness.js';
import { makeNode, makePod } from '../../testing/wrappers.js';
import { Names } from '../names.js';

test('TaintToleration Filter', () => {
  const cases: { name: string; taints: Taint[]; pod: Pod; wantCode: string; wantReasons: string[] }[] = [
    { name: 'no taints', taints: [], pod: makePod('p').obj(), wantCode: 'Success', wantReasons: [] },
    {
      name: 'NoSchedule not tolerated',
      taints: [{ key: 'dedicated', value: 'user1', effect: 'NoSchedule' }],
      pod: makePod('p').obj(),
      wantCode: 'UnschedulableAndUnresolvable',
      wantReasons: ['node(s) had untolerated taint {dedicated: user1}'],
    },
    {
      name: 'tolerated by Equal',
      taints: [{ key: 'dedicated', value: 'user1', effect: 'NoSchedule' }],
      pod: makePod('p').toleration({ key: 'dedicated', operator: 'Equal', value: 'user1', effect: 'NoSchedule' }).obj(),
      wantCode: 'Success',
      wantReasons: [],
    },
    {
      name: 'value mismatch',
      taints: [{ key: 'dedicated', value: 'user1', effect: 'NoSchedule' }],
      pod: makePod('p').toleration({ key: 'dedicated', operator: 'Equal', value: 'user2', effect: 'NoSchedule' }).obj(),
      wantCode: 'UnschedulableAndUnresolvable',
      wantReasons: ['node(s) had untolerated taint {dedicated: user1}'],
    },
    {
      name: 'Exists with empty effect tolerates all effects',
      taints: [{ key: 'foo', value: 'bar', effect: 'NoExecute' }],
      pod: makePod('p').toleration({ key: 'foo', operator: 'Exists' }).obj(),
      wantCode: 'Success',
      wantReasons: [],
    },
    {
      name: 'empty key with Exists tolerates everything',
      taints: [{ key: 'foo', value: 'bar', effect: 'NoSchedule' }],
      pod: makePod('p').toleration({ operator: 'Exists' }).obj(),
      wantCode: 'Success',
      wantReasons: [],
    },
    {
      name: 'PreferNoSchedule never filters',
      taints: [{ key: 'foo', value: 'bar', effect: 'PreferNoSchedule' }],
      pod: makePod('p').obj(),
      wantCode: 'Success',
      wantReasons: [],
    },
    {
      name: 'effect mismatch',
      taints: [{ key: 'foo', value: 'bar', effect: 'NoExecute' }],
      pod: makePod('p').toleration({ key: 'foo', operator: 'Equal', value: 'bar', effect: 'NoSchedule' }).obj(),
      wantCode: 'UnschedulableAndUnresolvable',
      wantReasons: ['node(s) had untolerated taint {foo: bar}'],
    },
    {
      name: 'taint without value prints an empty value',
      taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }],
      pod: makePod('p').obj(),
      wantCode: 'UnschedulableAndUnresolvable',
      wantReasons: ['node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }'],
    },
  ];
  for (const c of cases) {
    const n = makeNode('n1').obj();
    n.spec!.taints = c.taints;
    const { statuses } = filterAll(harness([{ name: Names.TaintToleration }], [n]), c.pod);
    assert.equal(statuses.get('n1')?.code, c.wantCode, c.name);
    assert.deepEqual(statuses.get('n1')?.reasons, c.wantReasons, c.name);
  }
});

test('TaintToleration Score prefers fewer untolerated PreferNoSchedule taints', () => {
  const pref = (key: string): Taint => ({ key, value: 'v', effect: 'PreferNoSchedule' });
  const nodes = [makeNode('two').taint(pref('a')).taint(pref('b')).obj(), makeNode('one').taint(pref('a')).obj(), makeNode('none').obj()];
  const h = harness([{ name: Names.TaintToleration }], nodes);
  assert.deepEqual([...scoreAll(h, makePod('p').obj())], [
    ['two', 0],
    ['one', 50],
    ['none', 100],
  ]);
  // Tolerating "a" leaves only "b" untolerated on the first node.
  const tol = makePod('q').toleration({ key: 'a', operator: 'Exists', effect: 'PreferNoSchedule' }).obj();
  assert.deepEqual([...scoreAll(h, tol)], [
    ['two', 0],
    ['one', 100],
    ['none', 100],
  ]);
});
