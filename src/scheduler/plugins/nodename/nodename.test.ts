import { test } from 'node:test';
import assert from 'node:assert/strict';
import { filterAll, harness } from '../../testing/harness.js';
import { makeNode, makePod } from '../../testing/wrappers.js';
import { Names } from '../names.js';

test('NodeName Filter', () => {
  const cases = [
    { name: 'no nodeName', pod: makePod('p').obj(), want: 'Success' },
    { name: 'matching', pod: makePod('p').node('n1').obj(), want: 'Success' },
    { name: 'other node', pod: makePod('p').node('n2').obj(), want: 'UnschedulableAndUnresolvable' },
  ];
  for (const c of cases) {
    const s = filterAll(harness([{ name: Names.NodeName }], [makeNode('n1').obj()]), c.pod).statuses.get('n1');
    assert.equal(s?.code, c.want, c.name);
    if (c.want !== 'Success') assert.deepEqual(s?.reasons, ["node(s) didn't match the requested node name"]);
  }
});
