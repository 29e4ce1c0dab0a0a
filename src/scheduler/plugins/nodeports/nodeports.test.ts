import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { filterAll, harness } from '../../testing/harness.js';
import { makeNode, makePod } from '../../testing/wrappers.js';
import { Names } from '../names.js';

test('NodePorts Filter', () => {
  const onNode = (p: ReturnType<typeof makePod>): Pod => p.node('n1').obj();
  const cases: { name: string; pod: Pod; existing: Pod[]; want: string }[] = [
    { name: 'no ports', pod: makePod('p').obj(), existing: [], want: 'Success' },
    { name: 'other port', pod: makePod('p').hostPort(8080).obj(), existing: [onNode(makePod('e').hostPort(9090))], want: 'Success' },
    { name: 'same port', pod: makePod('p').hostPort(8080).obj(), existing: [onNode(makePod('e').hostPort(8080))], want: 'Unschedulable' },
    { name: 'same port, other protocol', pod: makePod('p').hostPort(8080, 'UDP').obj(), existing: [onNode(makePod('e').hostPort(8080, 'TCP'))], want: 'Success' },
    { name: 'different host IPs', pod: makePod('p').hostPort(8080, 'TCP', '127.0.0.1').obj(), existing: [onNode(makePod('e').hostPort(8080, 'TCP', '127.0.0.2'))], want: 'Success' },
    { name: 'specific IP vs 0.0.0.0', pod: makePod('p').hostPort(8080, 'TCP', '127.0.0.1').obj(), existing: [onNode(makePod('e').hostPort(8080))], want: 'Unschedulable' },
    { name: '0.0.0.0 vs specific IP', pod: makePod('p').hostPort(8080).obj(), existing: [onNode(makePod('e').hostPort(8080, 'TCP', '10.0.0.1'))], want: 'Unschedulable' },
  ];
  for (const c of cases) {
    const { statuses } = filterAll(harness([{ name: Names.NodePorts }], [makeNode('n1').obj()], c.existing), c.pod);
    const s = statuses.get('n1');
    assert.equal(s?.code ?? 'Success', c.want, c.name);
    if (c.want !== 'Success') assert.deepEqual(s?.reasons, ["node(s) didn't have free ports for the requested pod ports"], c.name);
  }
});
