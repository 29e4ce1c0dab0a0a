import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fitErrorMessage, newDiagnosis, NodeToStatus } from './fiterror.js';
import { Status } from './status.js';

function diag(statuses: Record<string, string[]>, extra: { preFilterMsg?: string; postFilterMsg?: string; absent?: Status } = {}) {
  const d = newDiagnosis();
  for (const [node, reasons] of Object.entries(statuses)) d.nodeToStatus.set(node, new Status('Unschedulable', reasons));
  if (extra.absent) d.nodeToStatus.absentNodesStatus = extra.absent;
  d.preFilterMsg = extra.preFilterMsg ?? '';
  d.postFilterMsg = extra.postFilterMsg ?? '';
  return d;
}

test('fitErrorMessage: counted, sorted, joined; then the PostFilter message', () => {
  const cases: { name: string; n: number; d: ReturnType<typeof diag>; want: string }[] = [
    {
      name: 'taint and cpu with preemption not helpful',
      n: 3,
      d: diag(
        { a: ['node(s) had untolerated taint {key: value}'], b: ['Insufficient cpu'], c: ['Insufficient cpu'] },
        { postFilterMsg: 'preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.' },
      ),
      want: '0/3 nodes are available: 1 node(s) had untolerated taint {key: value}, 2 Insufficient cpu. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.',
    },
    {
      name: 'several reasons per node are all counted; digits sort before letters',
      n: 2,
      d: diag({ a: ['Insufficient cpu', 'Insufficient memory'], b: ['Insufficient memory'] }),
      want: '0/2 nodes are available: 1 Insufficient cpu, 2 Insufficient memory.',
    },
    {
      name: 'counts sort as strings (10 before 2)',
      n: 12,
      d: diag(Object.fromEntries([...Array(12).keys()].map((i) => [`n${i}`, [i < 10 ? 'zzz' : 'aaa']]))),
      want: '0/12 nodes are available: 10 zzz, 2 aaa.',
    },
    {
      name: 'PreFilter rejection replaces node reasons',
      n: 3,
      d: diag({}, { preFilterMsg: 'pod affinity terms conflict', absent: new Status('UnschedulableAndUnresolvable', ['pod affinity terms conflict']) }),
      want: '0/3 nodes are available: pod affinity terms conflict.',
    },
    {
      name: 'absent nodes contribute the absent status reasons',
      n: 3,
      d: diag({ a: ['Insufficient cpu'] }, { absent: new Status('UnschedulableAndUnresolvable', ["node(s) didn't satisfy plugin(s) [NodeAffinity]"]) }),
      want: "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) didn't satisfy plugin(s) [NodeAffinity].",
    },
    {
      name: 'no reasons at all',
      n: 0,
      d: diag({}),
      want: '0/0 nodes are available:',
    },
  ];
  for (const c of cases) assert.equal(fitErrorMessage(c.n, c.d), c.want, c.name);
});

test('NodeToStatus.nodesForStatusCode honours the absent status', () => {
  const m = new NodeToStatus();
  m.set('a', new Status('Unschedulable', ['x']));
  m.set('b', new Status('UnschedulableAndUnresolvable', ['y']));
  const nodes = ['a', 'b', 'c'].map((name) => ({ name }) as never);
  assert.deepEqual(
    m.nodesForStatusCode(nodes, 'Unschedulable').map((n: { name: string }) => n.name),
    ['a'],
  );
  m.absentNodesStatus = new Status('Unschedulable');
  assert.deepEqual(
    m.nodesForStatusCode(nodes, 'Unschedulable').map((n: { name: string }) => n.name),
    ['a', 'c'],
  );
});
