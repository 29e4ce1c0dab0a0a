import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { filterAll, harness, scoreAll } from '../../testing/harness.js';
import { FakeListers, makeNode, makePod } from '../../testing/wrappers.js';
import { Names } from '../names.js';

const ZONE = 'topology.kubernetes.io/zone';
const HOST = 'kubernetes.io/hostname';
const sel = (k: string, v: string) => ({ matchLabels: { [k]: v } });

const nodes: Node[] = [makeNode('a').zone('z1').obj(), makeNode('b').zone('z1').obj(), makeNode('c').zone('z2').obj()];

test('InterPodAffinity Filter', () => {
  const cases: { name: string; pod: Pod; existing: Pod[]; want: Record<string, string>; reason?: string; ns?: FakeListers }[] = [
    {
      name: 'required affinity: same zone as a matching pod',
      pod: makePod('p').podAffinity(ZONE, sel('app', 'db')).obj(),
      existing: [makePod('db').label('app', 'db').node('a').obj()],
      want: { a: 'Success', b: 'Success', c: 'UnschedulableAndUnresolvable' },
      reason: "node(s) didn't match pod affinity rules",
    },
    {
      name: 'required affinity with no matching pod anywhere fails',
      pod: makePod('p').podAffinity(ZONE, sel('app', 'db')).obj(),
      existing: [makePod('x').label('app', 'web').node('a').obj()],
      want: { a: 'UnschedulableAndUnresolvable', b: 'UnschedulableAndUnresolvable', c: 'UnschedulableAndUnresolvable' },
    },
    {
      name: 'the first pod of a self-affine group may go anywhere',
      pod: makePod('p').label('app', 'db').podAffinity(ZONE, sel('app', 'db')).obj(),
      existing: [],
      want: { a: 'Success', b: 'Success', c: 'Success' },
    },
    {
      name: 'required anti-affinity on hostname',
      pod: makePod('p').podAntiAffinity(HOST, sel('app', 'web')).obj(),
      existing: [makePod('w').label('app', 'web').node('a').obj()],
      want: { a: 'Unschedulable', b: 'Success', c: 'Success' },
      reason: "node(s) didn't match pod anti-affinity rules",
    },
    {
      name: 'required anti-affinity on zone',
      pod: makePod('p').podAntiAffinity(ZONE, sel('app', 'web')).obj(),
      existing: [makePod('w').label('app', 'web').node('a').obj()],
      want: { a: 'Unschedulable', b: 'Unschedulable', c: 'Success' },
    },
    {
      name: "existing pods' anti-affinity",
      pod: makePod('p').label('app', 'web').obj(),
      existing: [makePod('lonely').podAntiAffinity(ZONE, sel('app', 'web')).node('c').obj()],
      want: { a: 'Success', b: 'Success', c: 'Unschedulable' },
      reason: "node(s) didn't satisfy existing pods anti-affinity rules",
    },
    {
      name: 'anti-affinity only within the term namespaces',
      pod: makePod('p').podAntiAffinity(HOST, sel('app', 'web')).obj(),
      existing: [makePod('w').namespace('other').label('app', 'web').node('a').obj()],
      want: { a: 'Success', b: 'Success', c: 'Success' },
    },
    {
      name: 'namespaceSelector picks namespaces by label',
      pod: makePod('p').podAntiAffinity(HOST, sel('app', 'web'), { namespaceSelector: { matchLabels: { team: 'x' } } }).obj(),
      existing: [makePod('w').namespace('other').label('app', 'web').node('a').obj(), makePod('w2').namespace('third').label('app', 'web').node('b').obj()],
      want: { a: 'Unschedulable', b: 'Success', c: 'Success' },
      ns: Object.assign(new FakeListers(), {
        namespaceList: [
          { metadata: { name: 'other', labels: { team: 'x' } } },
          { metadata: { name: 'third', labels: { team: 'y' } } },
          { metadata: { name: 'default' } },
        ],
      }),
    },
    {
      name: 'node without the topology key fails required affinity',
      pod: makePod('p').podAffinity('rack', sel('app', 'db')).obj(),
      existing: [makePod('db').label('app', 'db').node('a').obj()],
      want: { a: 'UnschedulableAndUnresolvable', b: 'UnschedulableAndUnresolvable', c: 'UnschedulableAndUnresolvable' },
    },
  ];
  for (const c of cases) {
    const h = harness([{ name: Names.InterPodAffinity }], nodes, c.existing, c.ns ? { listers: c.ns } : {});
    const { preFilter, statuses } = filterAll(h, c.pod);
    assert.ok(preFilter.isSuccess(), `${c.name}: ${preFilter.message()}`);
    const got = Object.fromEntries([...statuses].map(([n, s]) => [n, s.code]));
    assert.deepEqual(got, c.want, c.name);
    if (c.reason !== undefined) {
      const failed = [...statuses.values()].find((s) => !s.isSuccess());
      assert.deepEqual(failed?.reasons, [c.reason], c.name);
    }
  }
});

test('InterPodAffinity PreFilter skips pods without (anti-)affinity when no existing pod has anti-affinity', () => {
  const h = harness([{ name: Names.InterPodAffinity }], nodes, [makePod('x').label('app', 'web').node('a').obj()]);
  const { statuses } = filterAll(h, makePod('p').obj());
  assert.ok([...statuses.values()].every((s) => s.isSuccess()));
});

test('InterPodAffinity Score', () => {
  const existing = [makePod('db').label('app', 'db').node('a').obj(), makePod('web').label('app', 'web').node('c').obj()];
  const h = harness([{ name: Names.InterPodAffinity }], nodes, existing);
  const affine = scoreAll(h, makePod('p').preferredPodAffinity(5, ZONE, sel('app', 'db')).obj());
  assert.deepEqual(Object.fromEntries(affine), { a: 100, b: 100, c: 0 });
  const anti = scoreAll(h, makePod('p').preferredPodAntiAffinity(5, HOST, sel('app', 'db')).obj());
  assert.deepEqual(Object.fromEntries(anti), { a: 0, b: 100, c: 100 });
  // An existing pod's required affinity attracts matching pods (hardPodAffinityWeight 1).
  const h2 = harness([{ name: Names.InterPodAffinity }], nodes, [makePod('needy').podAffinity(ZONE, sel('app', 'p')).node('c').obj()]);
  const attracted = scoreAll(h2, makePod('p').label('app', 'p').obj());
  assert.deepEqual(Object.fromEntries(attracted), { a: 0, b: 0, c: 100 });
});
