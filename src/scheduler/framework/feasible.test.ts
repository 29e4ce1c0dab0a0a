import { test } from 'node:test';
import assert from 'node:assert/strict';
import { numFeasibleNodesToFind } from './feasible.js';

test('numFeasibleNodesToFind follows upstream percentageOfNodesToScore', () => {
  const cases: { name: string; pct: number | undefined; nodes: number; want: number }[] = [
    { name: 'not set, nodes below 100', pct: undefined, nodes: 10, want: 10 },
    { name: 'set, nodes below 100', pct: 40, nodes: 10, want: 10 },
    { name: 'not set, 1000 nodes: 50-8=42%', pct: undefined, nodes: 1000, want: 420 },
    { name: 'set 40%, 1000 nodes', pct: 40, nodes: 1000, want: 400 },
    { name: 'not set, 6000 nodes: 50-48=2% -> 5%', pct: undefined, nodes: 6000, want: 300 },
    { name: 'set 1%, 1000 nodes: below min 100', pct: 1, nodes: 1000, want: 100 },
    { name: '100%', pct: 100, nodes: 5000, want: 5000 },
    { name: 'not set, 100 nodes: 50%', pct: undefined, nodes: 100, want: 100 },
    { name: 'not set, 500 nodes: 46%', pct: undefined, nodes: 500, want: 230 },
  ];
  for (const c of cases) assert.equal(numFeasibleNodesToFind(c.pct, c.nodes), c.want, c.name);
});
