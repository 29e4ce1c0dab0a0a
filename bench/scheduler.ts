/**
 * Scheduler throughput, shaped like upstream's scheduler_perf SchedulingBasic: --nodes
 * simulated nodes (4 cpu, 32Gi, 110 pods each), --init-pods pods already bound to them,
 * then --pods pending pods (100m cpu, 500Mi each) to schedule; the figure is pods
 * scheduled per second. Nodes carry topology.kubernetes.io/zone (3 zones, round-robin).
 * With --spread the measured pods also carry upstream's TopologySpreading constraint
 * (maxSkew 1 on topology.kubernetes.io/zone, DoNotSchedule, selecting the measured pods).
 *
 * In api mode each pod's latency is from just before its create POST to the moment the
 * scheduler's pod informer sees it bound (p50/p99 reported). The process's peak RSS
 * (VmHWM) and its CPU time over the measured phase are reported too; they cover everything
 * in the process (API server, store, scheduler, client), so run one mode and one variant
 * per process when it matters.
 *
 * Modes:
 *   core: the SchedulerCore in this process with an in-memory API (bindings are echoed
 *         back as informer events at once): the algorithm alone.
 *   api:  the real Scheduler against an in-process API server (HTTPS, memory store):
 *         informers, binding POSTs, watch events, all included. Pods are created by
 *         --create-concurrency writers; the clock stops when the last pod is seen bound.
 *
 *   node dist/bench/scheduler.js [--mode core,api] [--nodes 500] [--init-pods 500] [--pods 1000]
 *                                [--create-concurrency 16] [--percentage 0] [--spread]
 *   upstream's size: --mode api --nodes 5000 --init-pods 1000 --pods 10000
 *
 * Prints a markdown table, then one JSON line. Not part of the tests.
 */
import { parseArgs } from 'node:util';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { realClock } from '../src/util/clock.js';
import { SchedulerCore } from '../src/scheduler/core.js';
import { Scheduler } from '../src/scheduler/scheduler.js';
import { FakeAPI, FakeListers, makeNode, makePod } from '../src/scheduler/testing/wrappers.js';
import { startTestEnv } from '../src/client/testenv.js';
import type { KubeObject } from '../src/client/types.js';
import { machine, markdownTable, percentile, procStatusKiB, round } from './common.js';

const { values } = parseArgs({
  options: {
    mode: { type: 'string', default: 'core,api' },
    nodes: { type: 'string', default: '500' },
    'init-pods': { type: 'string', default: '500' },
    pods: { type: 'string', default: '1000' },
    'create-concurrency': { type: 'string', default: '16' },
    percentage: { type: 'string', default: '0' },
    spread: { type: 'boolean', default: false },
  },
});
const MODES = (values.mode ?? 'core,api').split(',');
const NODES = Number(values.nodes);
const INIT = Number(values['init-pods']);
const PODS = Number(values.pods);
const CONC = Number(values['create-concurrency']);
const PCT = Number(values.percentage);
const SPREAD = values.spread === true;
const VARIANT = SPREAD ? 'topology-spread (maxSkew 1, zone, DoNotSchedule)' : 'basic';

const nodeObj = (i: number) => makeNode(`node-${i}`).capacity({ cpu: '4', memory: '32Gi', pods: '110' }).zone(`zone-${i % 3}`).obj();
const SPREAD_SELECTOR = { matchLabels: { bench: 'spread' } };
const podObj = (name: string, node?: string): Pod => {
  const w = makePod(name).req({ cpu: '100m', memory: '500Mi' });
  if (node !== undefined) w.node(node);
  else if (SPREAD) w.label('bench', 'spread').spread(1, 'topology.kubernetes.io/zone', 'DoNotSchedule', SPREAD_SELECTOR);
  return w.obj();
};

interface Result {
  mode: string;
  seconds: number;
  podsPerSecond: number;
  bound: number;
  /** api mode: per-pod create-POST → seen bound, ms. */
  p50Ms?: number;
  p99Ms?: number;
  maxMs?: number;
  /** CPU (user + system) of this process over the measured phase, s; steadier than pods/s on a busy machine. */
  cpuSeconds: number;
  /** VmHWM of this process when the mode finished (KiB). */
  peakRssKiB: number;
  /** Pods bound per zone (spread check). */
  zones?: Record<string, number>;
}

function cpuSince(start: NodeJS.CpuUsage): number {
  const u = process.cpuUsage(start);
  return round((u.user + u.system) / 1e6, 2);
}

async function runCore(): Promise<Result> {
  const api = new FakeAPI();
  const listers = new FakeListers();
  const core = new SchedulerCore({ api, listers, clock: realClock, percentageOfNodesToScore: PCT, log: () => {} });
  api.onBind = (pod, node) => {
    const bound = { ...pod, spec: { ...pod.spec!, nodeName: node } };
    const old = { ...pod, spec: { ...pod.spec!, nodeName: undefined } } as Pod;
    listers.setPod(bound);
    core.onPodUpdate(old, bound);
  };
  for (let i = 0; i < NODES; i++) core.onNodeAdd(nodeObj(i));
  for (let i = 0; i < INIT; i++) core.onPodAdd(podObj(`init-${i}`, `node-${i % NODES}`));
  const pending = Array.from({ length: PODS }, (_, i) => podObj(`pod-${i}`));
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (const p of pending) {
    listers.setPod(p);
    core.onPodAdd(p);
  }
  for (;;) {
    const q = core.queue.tryPop();
    if (q === undefined) break;
    await core.scheduleOne(q);
  }
  await core.waitForBindings();
  const s = (performance.now() - t0) / 1000;
  return {
    mode: 'core',
    seconds: round(s, 3),
    podsPerSecond: round(api.bindings.length / s, 1),
    bound: api.bindings.length,
    cpuSeconds: cpuSince(cpu0),
    peakRssKiB: procStatusKiB(process.pid, 'VmHWM'),
  };
}

async function runAPI(): Promise<Result> {
  const env = await startTestEnv();
  try {
    const client = env.client({ timeoutMs: 60_000 });
    const strip = (o: { metadata?: Record<string, unknown> }): KubeObject => {
      const { uid: _uid, ...meta } = o.metadata ?? {};
      return { ...o, metadata: meta } as KubeObject;
    };
    const pool = async <T>(items: T[], f: (t: T) => Promise<unknown>): Promise<void> => {
      let next = 0;
      await Promise.all(
        Array.from({ length: CONC }, async () => {
          while (next < items.length) await f(items[next++] as T);
        }),
      );
    };
    await pool(
      Array.from({ length: NODES }, (_, i) => i),
      (i) => client.create({ group: '', version: 'v1', resource: 'nodes' }, strip(nodeObj(i) as never)),
    );
    await pool(
      Array.from({ length: INIT }, (_, i) => i),
      (i) => client.create({ group: '', version: 'v1', resource: 'pods', namespace: 'default' }, strip(podObj(`init-${i}`, `node-${i % NODES}`) as never)),
    );
    const sched = new Scheduler({ client: env.client({ timeoutMs: 60_000 }), percentageOfNodesToScore: PCT, log: () => {} });
    await sched.start();
    const bound = new Set<string>();
    const createdAt = new Map<string, number>();
    const latencies: number[] = [];
    const zoneOf = new Map<string, string>();
    for (let i = 0; i < NODES; i++) zoneOf.set(`node-${i}`, `zone-${i % 3}`);
    const zones: Record<string, number> = {};
    let done!: () => void;
    const allBound = new Promise<void>((r) => (done = r));
    const informer = sched.informerFactory.forResource({ group: '', version: 'v1', resource: 'pods' });
    informer.addEventHandler({
      onUpdate: (_o: KubeObject, n: KubeObject) => {
        const name = n.metadata?.name ?? '';
        const nodeName = (n as Pod).spec?.nodeName;
        if (name.startsWith('pod-') && nodeName && !bound.has(name)) {
          bound.add(name);
          latencies.push(performance.now() - (createdAt.get(name) ?? NaN));
          const z = zoneOf.get(nodeName) ?? '?';
          zones[z] = (zones[z] ?? 0) + 1;
          if (bound.size === PODS) done();
        }
      },
    });
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    await pool(
      Array.from({ length: PODS }, (_, i) => i),
      (i) => {
        createdAt.set(`pod-${i}`, performance.now());
        return client.create({ group: '', version: 'v1', resource: 'pods', namespace: 'default' }, strip(podObj(`pod-${i}`) as never));
      },
    );
    await allBound;
    const s = (performance.now() - t0) / 1000;
    const cpuSeconds = cpuSince(cpu0);
    await sched.stop();
    latencies.sort((a, b) => a - b);
    return {
      mode: 'api',
      seconds: round(s, 3),
      podsPerSecond: round(PODS / s, 1),
      bound: bound.size,
      p50Ms: round(percentile(latencies, 50), 1),
      p99Ms: round(percentile(latencies, 99), 1),
      maxMs: round(latencies[latencies.length - 1] ?? NaN, 1),
      cpuSeconds,
      peakRssKiB: procStatusKiB(process.pid, 'VmHWM'),
      zones,
    };
  } finally {
    await env.close();
  }
}

async function main(): Promise<void> {
  const results: Result[] = [];
  if (MODES.includes('core')) results.push(await runCore());
  if (MODES.includes('api')) results.push(await runAPI());
  const m = machine();
  console.log(`\n### Scheduler throughput (SchedulingBasic shape: ${NODES} nodes, ${INIT} init pods, ${PODS} pods; ${VARIANT})\n`);
  console.log(
    markdownTable(
      ['mode', 'pods bound', 'seconds', 'pods/s', 'pods/s ÷ upstream floor 270', 'CPU s (ms/pod)', 'p50 / p99 / max ms', 'peak RSS MiB', 'pods per zone'],
      results.map((r) => [
        r.mode,
        r.bound,
        r.seconds,
        r.podsPerSecond,
        `${round(r.podsPerSecond / 270, 2)}×`,
        `${r.cpuSeconds} (${round((r.cpuSeconds * 1000) / Math.max(r.bound, 1), 2)})`,
        r.p50Ms === undefined ? '-' : `${r.p50Ms} / ${r.p99Ms} / ${r.maxMs}`,
        round(r.peakRssKiB / 1024, 1),
        r.zones === undefined ? '-' : Object.entries(r.zones).sort().map(([z, c]) => `${z}:${c}`).join(' '),
      ]),
    ),
  );
  console.log(`\n(node ${m.node}, nproc ${m.nproc}, ${m.cpu_model}, load ${m.loadavg_1m})\n`);
  console.log(JSON.stringify({ bench: 'scheduler', variant: SPREAD ? 'spread' : 'basic', date: new Date().toISOString(), nodes: NODES, initPods: INIT, pods: PODS, percentageOfNodesToScore: PCT, results, machine: m }));
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
