import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { selectorFromLabelSelector } from '../../../apimachinery/labels.js';
import { FakeClock } from '../../../util/clock.js';
import { SchedulerCache } from '../../cache.js';
import { CycleState } from '../../framework/cyclestate.js';
import type { SchedulerListers } from '../../framework/interface.js';
import { Framework } from '../../framework/runtime.js';
import { Snapshot } from '../../framework/snapshot.js';
import { inTreeRegistry } from '../registry.js';
import { FakeAPI, FakeListers, makeNode, makePod } from '../../testing/wrappers.js';
import { Names } from '../names.js';
import { spreadIndexes } from './spreadindex.js';

const ZONE = 'topology.kubernetes.io/zone';
const HOST = 'kubernetes.io/hostname';
const FOO = { matchLabels: { foo: 'x' } };

function framework(snapshot: Snapshot, listers = new FakeListers()): Framework {
  return new Framework({
    registry: inTreeRegistry,
    plugins: [{ name: Names.PodTopologySpread }],
    clock: new FakeClock(),
    api: new FakeAPI(),
    listers: listers as SchedulerListers,
    nominator: { nominatedPodsForNode: () => [] },
    snapshot: () => snapshot,
    random: () => 0,
  });
}

/** A cache feeding a snapshot, as the scheduler runs them: sync() is the start of a cycle. */
function cluster(nodes: Node[], pods: Pod[]): { cache: SchedulerCache; snap: Snapshot; sync: () => void } {
  const cache = new SchedulerCache();
  for (const n of nodes) cache.addNode(n);
  for (const p of pods) cache.addPod(p);
  const snap = new Snapshot();
  const sync = (): void => cache.updateSnapshot(snap);
  sync();
  return { cache, snap, sync };
}

/** The zone index's domains as "zone: nodes/pods", sorted. */
function zones(snap: Snapshot, namespace = 'default'): string[] {
  const idx = spreadIndexes(snap).get(namespace, selectorFromLabelSelector(FOO), ZONE, [ZONE]);
  return [...idx.domains].map(([v, d]) => `${v}: ${d.nodes}/${d.pods}`).sort();
}

/** PreFilter + Filter on every node of the snapshot; `nodes` is what PreFilter is given. */
function filterCodes(fw: Framework, snap: Snapshot, pod: Pod, nodes = snap.list()): Record<string, string> {
  const state = new CycleState();
  const pre = fw.runPreFilterPlugins(state, pod, nodes);
  if (!pre.status.isSuccess()) return { preFilter: pre.status.code };
  const out: Record<string, string> = {};
  for (const ni of [...snap.list()].sort((a, b) => a.name.localeCompare(b.name))) out[ni.name] = fw.runFilterPlugins(state, pod, ni).code;
  return out;
}

function scores(fw: Framework, snap: Snapshot, pod: Pod): Record<string, number> {
  const state = new CycleState();
  const nodes = snap.list();
  const pre = fw.runPreScorePlugins(state, pod, nodes);
  if (pre.code === 'Skip') return {};
  assert.ok(pre.isSuccess(), pre.message());
  const { scores: s } = fw.runScorePlugins(state, pod, nodes);
  return Object.fromEntries(s.map((x) => [x.name, x.totalScore]).sort());
}

const foo = (name: string, node: string): Pod => makePod(name).label('foo', 'x').node(node).obj();
const relabel = (n: Node, labels: Record<string, string | undefined>): Node => {
  const l: Record<string, string> = { ...n.metadata!.labels };
  for (const [k, v] of Object.entries(labels)) {
    if (v === undefined) delete l[k];
    else l[k] = v;
  }
  return { ...n, metadata: { ...n.metadata, labels: l } };
};

describe('PodTopologySpread counts kept on the snapshot', () => {
  const a1 = makeNode('a1').zone('z1').obj();
  const a2 = makeNode('a2').zone('z1').obj();
  const b1 = makeNode('b1').zone('z2').obj();
  const start = (): Pod[] => [foo('p1', 'a1'), foo('p2', 'a2'), foo('p3', 'b1'), makePod('other').label('foo', 'y').node('b1').obj()];

  const cases: { name: string; change: (c: SchedulerCache, pods: Pod[]) => void; want: string[] }[] = [
    { name: 'nothing changes', change: () => {}, want: ['z1: 2/2', 'z2: 1/1'] },
    { name: 'a pod is bound', change: (c) => c.addPod(foo('new', 'b1')), want: ['z1: 2/2', 'z2: 1/2'] },
    { name: 'a pod is deleted', change: (c, p) => c.removePod(p[0]!), want: ['z1: 2/1', 'z2: 1/1'] },
    {
      name: 'a pod is relabelled out of the selector',
      change: (c, p) => c.updatePod(p[2], { ...p[2]!, metadata: { ...p[2]!.metadata, labels: { foo: 'no' } } }),
      want: ['z1: 2/2', 'z2: 1/0'],
    },
    {
      name: 'a pod is relabelled into the selector',
      change: (c, p) => c.updatePod(p[3], { ...p[3]!, metadata: { ...p[3]!.metadata, labels: { foo: 'x' } } }),
      want: ['z1: 2/2', 'z2: 1/2'],
    },
    {
      name: 'a pod starts terminating',
      change: (c, p) => c.updatePod(p[1], { ...p[1]!, metadata: { ...p[1]!.metadata, deletionTimestamp: '2026-01-01T00:00:00Z' } }),
      want: ['z1: 2/1', 'z2: 1/1'],
    },
    { name: 'a pod of another namespace is bound', change: (c) => c.addPod(makePod('ns').namespace('other').label('foo', 'x').node('a1').obj()), want: ['z1: 2/2', 'z2: 1/1'] },
    { name: 'a node moves to another zone, with its pods', change: (c) => c.updateNode(a2, relabel(a2, { [ZONE]: 'z2' })), want: ['z1: 1/1', 'z2: 2/2'] },
    { name: 'a node loses its zone label', change: (c) => c.updateNode(b1, relabel(b1, { [ZONE]: undefined })), want: ['z1: 2/2'] },
    { name: 'a node joins a new zone', change: (c) => c.addNode(makeNode('c1').zone('z3').obj()), want: ['z1: 2/2', 'z2: 1/1', 'z3: 1/0'] },
    { name: 'a node is removed', change: (c) => c.removeNode(a1), want: ['z1: 1/1', 'z2: 1/1'] },
    { name: 'a pod is assumed', change: (c) => c.assumePod(foo('assumed', 'b1')), want: ['z1: 2/2', 'z2: 1/2'] },
    {
      name: 'an assumed pod is forgotten (binding failed)',
      change: (c) => {
        const p = foo('assumed', 'b1');
        c.assumePod(p);
        c.forgetPod(p);
      },
      want: ['z1: 2/2', 'z2: 1/1'],
    },
    {
      name: 'an assumed pod is confirmed bound on another node',
      change: (c) => {
        const p = foo('assumed', 'b1');
        c.assumePod(p);
        c.addPod({ ...p, spec: { ...p.spec!, nodeName: 'a1' } });
      },
      want: ['z1: 2/3', 'z2: 1/1'],
    },
  ];

  for (const c of cases) {
    it(c.name, () => {
      const pods = start();
      const { cache, snap, sync } = cluster([a1, a2, b1], pods);
      assert.deepEqual(zones(snap), ['z1: 2/2', 'z2: 1/1'], 'before');
      c.change(cache, pods);
      sync();
      assert.deepEqual(zones(snap), c.want);
    });
  }

  it('an assumed pod steers the next pod of the same spread to another zone', () => {
    const { cache, snap, sync } = cluster([a1, b1], [foo('p1', 'a1')]);
    const fw = framework(snap);
    const next = makePod('next').label('foo', 'x').spread(1, ZONE, 'DoNotSchedule', FOO).obj();
    assert.deepEqual(filterCodes(fw, snap, next), { a1: 'Unschedulable', b1: 'Success' });
    cache.assumePod(foo('assumed', 'b1'));
    sync();
    assert.deepEqual(filterCodes(fw, snap, next), { a1: 'Success', b1: 'Success' });
    cache.assumePod(foo('assumed2', 'a1'));
    sync();
    assert.deepEqual(filterCodes(fw, snap, next), { a1: 'Unschedulable', b1: 'Success' });
  });

  it('keeps at most 32 indexes, rebuilding one that was dropped', () => {
    const { cache, snap, sync } = cluster([a1, b1], [foo('p1', 'a1')]);
    const fw = framework(snap);
    for (let i = 0; i < 40; i++) {
      const sel = { matchLabels: { foo: 'x', n: String(i) } };
      filterCodes(fw, snap, makePod(`s${i}`).labels({ foo: 'x', n: String(i) }).spread(1, ZONE, 'DoNotSchedule', sel).obj());
    }
    assert.equal(spreadIndexes(snap).size, 32);
    // The first selector's index was dropped; counts come back right after changes.
    cache.addPod(makePod('n0').labels({ foo: 'x', n: '0' }).node('a1').obj());
    sync();
    const p = makePod('s0').labels({ foo: 'x', n: '0' }).spread(1, ZONE, 'DoNotSchedule', { matchLabels: { foo: 'x', n: '0' } }).obj();
    assert.deepEqual(filterCodes(fw, snap, p), { a1: 'Unschedulable', b1: 'Success' });
  });
});

/** Deterministic PRNG (mulberry32), so a failure replays. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('PodTopologySpread with kept counts decides as a recount would', () => {
  for (const seed of [1, 2, 3]) {
    it(`random cluster changes, seed ${seed}`, () => {
      const rand = rng(seed);
      const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
      const listers = new FakeListers();
      listers.serviceList = [{ metadata: { name: 'svc', namespace: 'default' }, spec: { selector: { app: 'a' } } }];
      const nodes = new Map<string, Node>();
      for (let i = 0; i < 6; i++) nodes.set(`n${i}`, makeNode(`n${i}`).zone(`z${i % 3}`).obj());
      const bound = new Map<string, Pod>();
      const assumed = new Map<string, Pod>();
      const { cache, snap, sync } = cluster([...nodes.values()], []);
      const fw = framework(snap, listers);
      const probes = [
        makePod('zone').label('app', 'a').spread(1, ZONE, 'DoNotSchedule', { matchLabels: { app: 'a' } }).obj(),
        makePod('host').namespace('other').label('app', 'b').spread(1, HOST, 'DoNotSchedule', { matchLabels: { app: 'b' } }).spread(2, ZONE, 'ScheduleAnyway', { matchLabels: { app: 'b' } }).obj(),
        makePod('selected').label('app', 'a').nodeSelector({ [ZONE]: 'z1' }).spread(1, ZONE, 'DoNotSchedule', { matchLabels: { app: 'a' } }).obj(),
        makePod('both').label('app', 'a').spread(2, ZONE, 'DoNotSchedule', { matchLabels: { app: 'a' } }).spread(1, HOST, 'DoNotSchedule', { matchLabels: { app: 'a' } }).obj(),
        makePod('defaults').label('app', 'a').obj(),
      ];
      let id = 0;
      const newPod = (node: string): Pod =>
        makePod(`p${++id}`)
          .namespace(rand() < 0.8 ? 'default' : 'other')
          .label('app', pick(['a', 'a', 'b']))
          .node(node)
          .obj();
      const ops: (() => void)[] = [
        () => {
          const p = newPod(pick([...nodes.keys(), 'gone']));
          bound.set(p.metadata!.uid!, p);
          cache.addPod(p);
        },
        () => {
          const p = newPod(pick([...nodes.keys()]));
          assumed.set(p.metadata!.uid!, p);
          cache.assumePod(p);
        },
        () => {
          const p = pick([...assumed.values(), undefined]);
          if (p === undefined) return;
          assumed.delete(p.metadata!.uid!);
          if (rand() < 0.5) return cache.forgetPod(p);
          const q = { ...p, spec: { ...p.spec!, nodeName: pick([...nodes.keys()]) } };
          bound.set(p.metadata!.uid!, q);
          cache.addPod(q);
        },
        () => {
          const p = pick([...bound.values(), undefined]);
          if (p === undefined) return;
          bound.delete(p.metadata!.uid!);
          cache.removePod(p);
        },
        () => {
          const p = pick([...bound.values(), undefined]);
          if (p === undefined) return;
          const terminating = rand() < 0.3 ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {};
          const q: Pod = { ...p, metadata: { ...p.metadata, ...terminating, labels: { app: pick(['a', 'b']) } } };
          bound.set(p.metadata!.uid!, q);
          cache.updatePod(p, q);
        },
        () => {
          const name = pick([...nodes.keys()]);
          const n = nodes.get(name)!;
          const m = relabel(n, { [ZONE]: pick(['z0', 'z1', 'z2', 'z3', undefined]) });
          nodes.set(name, m);
          cache.updateNode(n, m);
        },
        () => {
          if (rand() < 0.5 && nodes.size > 2) {
            const name = pick([...nodes.keys()]);
            cache.removeNode(nodes.get(name)!);
            nodes.delete(name);
          } else {
            const name = `n${nodes.size + id}`;
            const n = makeNode(name).zone(pick(['z0', 'z1', 'z2'])).obj();
            nodes.set(name, n);
            cache.addNode(n);
          }
        },
      ];
      for (let step = 0; step < 300; step++) {
        pick(ops)();
        if (rand() < 0.3) continue; // several changes in one cycle, too
        sync();
        // A recount: a snapshot built from the same objects, PreFilter given a copy of its node list.
        const recount = Snapshot.from([...nodes.values()], [...bound.values(), ...assumed.values()]);
        const rfw = framework(recount, listers);
        for (const probe of probes) {
          const what = `step ${step}, probe ${probe.metadata!.name}`;
          assert.deepEqual(filterCodes(fw, snap, probe), filterCodes(rfw, recount, probe, [...recount.list()]), what);
          assert.deepEqual(scores(fw, snap, probe), scores(rfw, recount, probe), what);
        }
      }
    });
  }
});
