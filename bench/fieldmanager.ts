/**
 * What managedFields cost per write: the field manager of a Pod endpoint on the four
 * writes a cluster does most (a kubelet status update, a spec update, a create, a
 * server-side apply), in-process, against a baseline loop that does the same object
 * copies without the field manager. Reports net µs per write (full minus baseline) and
 * the full/baseline ratio, min..max and median over rounds.
 *
 *   node dist/bench/fieldmanager.js [--n 2000] [--rounds 7]
 */
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { loadDefinitions } from '../src/apimachinery/strategicpatch.js';
import { FieldManager } from '../src/apimachinery/managedfields/fieldmanager.js';
import { zeroObject } from '../src/apimachinery/managedfields/zero.js';
import { TypeSchema, type Definitions } from '../src/apimachinery/typed/schema.js';

type Obj = Record<string, any>;

const { values } = parseArgs({ options: { n: { type: 'string', default: '2000' }, rounds: { type: 'string', default: '7' } } });
const N = Number(values.n);
const ROUNDS = Number(values.rounds);

const schema = new TypeSchema(loadDefinitions() as Definitions);
const type = schema.definition(schema.definitionForKind('', 'v1', 'Pod')!)!;
const manager = (subresource: string): FieldManager =>
  new FieldManager({ type, group: '', version: 'v1', kind: 'Pod', subresource, resetFields: subresource === '' ? ['status'] : ['spec'], zero: () => zeroObject('', 'v1', 'Pod') as Obj, now: () => Date.now() });
const main = manager('');
const statusManager = manager('status');

const pod: Obj = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p', namespace: 'default', labels: { app: 'x', 'pod-template-hash': 'abc' }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'u1', controller: true, blockOwnerDeletion: true }] },
  spec: {
    containers: [{ name: 'c', image: 'nginx', imagePullPolicy: 'Always', resources: { requests: { cpu: '100m' } }, terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File' }],
    dnsPolicy: 'ClusterFirst',
    restartPolicy: 'Always',
    schedulerName: 'default-scheduler',
    securityContext: {},
    terminationGracePeriodSeconds: 30,
    tolerations: [{ key: 'a', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }],
  },
  status: { phase: 'Pending' },
};
main.update(undefined, pod, 'kube-controller-manager');

const statusOf = (i: number): Obj => ({
  phase: 'Running',
  conditions: [{ type: 'Ready', status: i % 2 ? 'True' : 'False', lastProbeTime: null, lastTransitionTime: '2024-01-01T00:00:00Z' }],
  podIP: `10.0.0.${i % 250}`,
  hostIP: '1.2.3.4',
  startTime: '2024-01-01T00:00:00Z',
  containerStatuses: [{ name: 'c', ready: true, restartCount: 0, image: 'nginx', imageID: 'x', containerID: `c://${i}`, started: true, state: { running: { startedAt: '2024-01-01T00:00:00Z' } } }],
});
const config = (i: number): Obj => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default', labels: { app: 'x' } }, spec: { containers: [{ name: 'c', image: `nginx:${i % 2}`, ports: [{ containerPort: 80 }] }] } });

let statusLive = pod;
let specLive = pod;
let applyLive = main.apply(main.newObject('p', 'default'), config(0), 'tool', false);

/** Each scenario with and without the field manager; the copies are the same in both. */
const scenarios: Record<string, (withFM: boolean) => void> = {
  'kubelet status update': (withFM) => {
    let l = statusLive;
    for (let i = 0; i < N; i++) {
      const next = structuredClone(l);
      next.status = statusOf(i);
      if (withFM) statusManager.update(l, next, 'kubelet');
      l = next;
    }
    statusLive = l;
  },
  'spec update': (withFM) => {
    for (let i = 0; i < N; i++) {
      const next = structuredClone(specLive);
      next.spec.containers[0].image = `nginx:${i}`;
      if (withFM) main.update(specLive, next, 'kubectl-edit');
    }
  },
  create: (withFM) => {
    for (let i = 0; i < N; i++) {
      const next = structuredClone(pod);
      delete next.metadata.managedFields;
      if (withFM) main.update(undefined, next, 'kubectl-create');
    }
  },
  'server-side apply': (withFM) => {
    let l = applyLive;
    for (let i = 0; i < N; i++) {
      const c = config(i);
      // The baseline copies the live object, as a write at least reads it.
      if (withFM) l = main.apply(l, c, 'tool', false);
      else structuredClone(l);
    }
    applyLive = l;
  },
};

function usPerOp(fn: () => void): number {
  const t = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - t) / 1e3 / N;
}

for (const fn of Object.values(scenarios)) fn(true); // warm up
specLive = statusLive;

const rows: { name: string; net: number[]; ratio: number[] }[] = [];
for (const [name, fn] of Object.entries(scenarios)) {
  const net: number[] = [];
  const ratio: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const base = usPerOp(() => fn(false));
    const full = usPerOp(() => fn(true));
    net.push(full - base);
    ratio.push(full / Math.max(base, 0.001));
  }
  rows.push({ name, net: net.sort((a, b) => a - b), ratio: ratio.sort((a, b) => a - b) });
}

const med = (xs: number[]): number => xs[Math.floor(xs.length / 2)]!;
console.log('\n### Field manager per write (Pod), net of the baseline copies\n');
console.log('| write | net µs/op median [min..max] | full ÷ baseline (copies only) median |');
console.log('| --- | --- | --- |');
for (const r of rows) console.log(`| ${r.name} | ${med(r.net).toFixed(1)} [${r.net[0]!.toFixed(1)}..${r.net[r.net.length - 1]!.toFixed(1)}] | ${med(r.ratio).toFixed(2)}× |`);
console.log(`\n(${ROUNDS} rounds of ${N} writes each; node ${process.version}, ${cpus().length} cpus, load ${loadavg()[0]!.toFixed(2)})\n`);
console.log(JSON.stringify({ bench: 'fieldmanager', n: N, rounds: ROUNDS, results: rows.map((r) => ({ write: r.name, net_us_median: med(r.net), net_us: r.net, ratio_median: med(r.ratio) })) }));
