import { test } from 'node:test';
import assert from 'node:assert/strict';
import { filterAll, harness } from '../../testing/harness.js';
import { makeNode, makePod } from '../../testing/wrappers.js';
import { Names } from '../names.js';

test('NodeUnschedulable Filter', () => {
  const cases = [
    { name: 'schedulable node', node: makeNode('n1').obj(), pod: makePod('p').obj(), want: 'Success' },
    { name: 'cordoned node', node: makeNode('n1').unschedulable().obj(), pod: makePod('p').obj(), want: 'UnschedulableAndUnresolvable' },
    {
      name: 'cordoned node, pod tolerates the unschedulable taint',
      node: makeNode('n1').unschedulable().obj(),
      pod: makePod('p').toleration({ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' }).obj(),
      want: 'Success',
    },
  ];
  for (const c of cases) {
    const s = filterAll(harness([{ name: Names.NodeUnschedulable }], [c.node]), c.pod).statuses.get('n1');
    assert.equal(s?.code, c.want, c.name);
    if (c.want !== 'Success') assert.deepEqual(s?.reasons, ['node(s) were unschedulable']);
  }
});
