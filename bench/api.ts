/**
 * API request throughput and latency of a real `kubelite up` (child process, temp data
 * dir, sqlite store unless --store says otherwise) beside a bare Node HTTPS server
 * (another child process, the same key and certificate, client certificates requested
 * the same way) that answers each request with the bytes kubelite itself answered, so
 * both servers move the same number of bytes over the same TLS. The figure is the ratio;
 * the absolute numbers only mean something on the machine they came from.
 *
 * Cases: create (POST a ConfigMap), get (GET one ConfigMap), list (GET the ConfigMaps of
 * a namespace holding --list-size of them), each at every --concurrency, closed loop over
 * keep-alive connections (an https.Agent with the admin client certificate), loopback only.
 * Each cell runs --rounds rounds, kubelite and baseline alternating (and swapping who goes
 * first), each round --warmup requests on fresh connections, then --n measured ones, cut
 * short after --max-seconds; the median round is reported, every round's req/s is in the
 * JSON. Server CPU per request (utime+stime of the server process from /proc, 10 ms ticks)
 * is reported too: it is less sensitive than req/s to other work on the machine.
 * The load generator runs in this process, so on a small machine it shares the CPUs with
 * the server under test; it does so equally for kubelite and the baseline.
 *
 *   node dist/bench/api.js [--n 2000] [--rounds 3] [--warmup 200] [--concurrency 1,32] [--list-size 100]
 *                          [--cases create,get,list] [--store sqlite|memory] [--max-seconds 60]
 *                          [--node-args="--cpu-prof --cpu-prof-dir=/tmp/prof"] [--baseline-node-args=...]
 *
 * Prints a markdown table, then one JSON line. Not part of the tests.
 */
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import type https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  adminTLS,
  Cleanup,
  keepAliveAgent,
  killAndWait,
  machine,
  markdownTable,
  median,
  percentile,
  request,
  round,
  spawnUntilReady,
  startKubelite,
  type Child,
  type ClientTLS,
} from './common.js';

const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '2000' },
    warmup: { type: 'string', default: '200' },
    concurrency: { type: 'string', default: '1,32' },
    'list-size': { type: 'string', default: '100' },
    cases: { type: 'string', default: 'create,get,list' },
    store: { type: 'string', default: 'sqlite' },
    'max-seconds': { type: 'string', default: '60' },
    rounds: { type: 'string', default: '3' },
    // Extra node flags for the kubelite child, e.g. --node-args="--cpu-prof --cpu-prof-dir=/tmp/prof" (the = form: the value starts with a dash).
    'node-args': { type: 'string', default: '' },
    // The same for the baseline server, to profile it alike.
    'baseline-node-args': { type: 'string', default: '' },
  },
});

function posInt(name: string, v: string | undefined, min = 1): number {
  const x = Number(v);
  if (!Number.isSafeInteger(x) || x < min) throw new Error(`--${name} must be an integer >= ${min}, got ${v}`);
  return x;
}
const N = posInt('n', values.n);
const WARMUP = posInt('warmup', values.warmup, 0);
const ROUNDS = posInt('rounds', values.rounds);
const LIST_SIZE = posInt('list-size', values['list-size']);
const MAX_MS = posInt('max-seconds', values['max-seconds']) * 1000;
const CONCURRENCY = (values.concurrency ?? '').split(',').map((c) => posInt('concurrency', c));
const OPS = (values.cases ?? '').split(',').map((c) => {
  if (c !== 'create' && c !== 'get' && c !== 'list') throw new Error(`--cases: unknown case "${c}" (want create, get, list)`);
  return c;
});
const NODE_ARGS = (values['node-args'] ?? '').split(' ').filter((a) => a !== '');
const BASELINE_NODE_ARGS = (values['baseline-node-args'] ?? '').split(' ').filter((a) => a !== '');
const STORE = values.store;
if (STORE !== 'sqlite' && STORE !== 'memory') throw new Error(`--store must be sqlite or memory, got ${STORE}`);

type Op = 'create' | 'get' | 'list';

/** One request of a case: method, path and body for the i-th request. */
interface Shape {
  method: string;
  path: (i: number) => string;
  body?: (i: number) => string;
  status: number;
}

const PAYLOAD = 'v'.repeat(200);
const configMap = (ns: string, name: string): string =>
  JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: ns, labels: { app: 'bench' } }, data: { payload: PAYLOAD } });

const LIST_NS = 'bench-list';
const GET_NAME = 'cm-0';

function shape(op: Op, c: number, gen: number): Shape {
  switch (op) {
    case 'create': {
      const ns = `bench-create-c${c}`;
      // A fresh name per request; `gen` keeps warmup and measured names apart.
      return { method: 'POST', path: () => `/api/v1/namespaces/${ns}/configmaps`, body: (i) => configMap(ns, `cm-g${gen}-${i}`), status: 201 };
    }
    case 'get':
      return { method: 'GET', path: () => `/api/v1/namespaces/${LIST_NS}/configmaps/${GET_NAME}`, status: 200 };
    case 'list':
      return { method: 'GET', path: () => `/api/v1/namespaces/${LIST_NS}/configmaps`, status: 200 };
  }
}

/** /proc/<pid>/stat utime+stime in ms (clock ticks assumed 100 Hz, Linux's USER_HZ). */
function cpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return NaN;
  }
}

interface RunResult {
  done: number;
  errors: number;
  firstError: string;
  wallMs: number;
  rps: number;
  p50: number;
  p99: number;
  serverCpuUsPerReq: number;
}

/** A closed loop: c workers, each sending its next request when the last one answered. */
async function load(port: number, pid: number, agent: https.Agent, tls: ClientTLS, s: Shape, count: number, maxMs: number): Promise<RunResult> {
  const lat: number[] = [];
  let next = 0;
  let errors = 0;
  let firstError = '';
  const cpu0 = cpuMs(pid);
  const t0 = performance.now();
  const worker = async (): Promise<void> => {
    while (next < count && performance.now() - t0 < maxMs) {
      const i = next++;
      const body = s.body?.(i);
      const started = performance.now();
      try {
        const r = await request(port, agent, tls, s.method, s.path(i), body);
        lat.push(performance.now() - started);
        if (r.status !== s.status) {
          errors++;
          if (firstError === '') firstError = `${s.method} ${s.path(i)} -> ${r.status}: ${r.body.toString().slice(0, 300)}`;
        }
      } catch (e) {
        errors++;
        if (firstError === '') firstError = `${s.method} ${s.path(i)}: ${String(e)}`;
      }
    }
  };
  const c = agent.maxSockets;
  await Promise.all(Array.from({ length: c }, () => worker()));
  const wallMs = performance.now() - t0;
  const cpu = cpuMs(pid) - cpu0;
  lat.sort((a, b) => a - b);
  return {
    done: lat.length,
    errors,
    firstError,
    wallMs,
    rps: lat.length / (wallMs / 1000),
    p50: percentile(lat, 50),
    p99: percentile(lat, 99),
    serverCpuUsPerReq: (cpu * 1000) / Math.max(1, lat.length),
  };
}

/** Several rounds of one cell: the median of each figure, and every round's throughput. */
interface Combined extends RunResult {
  roundsRps: number[];
}
function combine(rs: RunResult[]): Combined {
  const med = (f: (r: RunResult) => number): number => median(rs.map(f));
  return {
    done: rs.reduce((a, r) => a + r.done, 0),
    errors: rs.reduce((a, r) => a + r.errors, 0),
    firstError: rs.find((r) => r.firstError !== '')?.firstError ?? '',
    wallMs: rs.reduce((a, r) => a + r.wallMs, 0),
    rps: med((r) => r.rps),
    p50: med((r) => r.p50),
    p99: med((r) => r.p99),
    serverCpuUsPerReq: med((r) => r.serverCpuUsPerReq),
    roundsRps: rs.map((r) => r.rps),
  };
}

/**
 * The baseline: a bare node:https server with kubelite's own key, certificate and CA,
 * asking for client certificates as kubelite does; it reads the request body, then
 * answers with the bytes kubelite answered for the same kind of request.
 */
const BASELINE_SERVER = `
import https from 'node:https';
import { readFileSync } from 'node:fs';
const e = process.env;
const bodies = { create: readFileSync(e.BENCH_CREATE), get: readFileSync(e.BENCH_GET), list: readFileSync(e.BENCH_LIST) };
const srv = https.createServer({ cert: readFileSync(e.BENCH_CERT), key: readFileSync(e.BENCH_KEY), ca: readFileSync(e.BENCH_CA),
  requestCert: true, rejectUnauthorized: false, minVersion: 'TLSv1.2', ALPNProtocols: ['http/1.1'] }, (req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const path = (req.url ?? '/').split('?')[0];
    const [code, body] = req.method === 'POST' ? [201, bodies.create] : path.endsWith('/configmaps') ? [200, bodies.list] : [200, bodies.get];
    res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': String(body.length), 'Cache-Control': 'no-cache, private' });
    res.end(body);
  });
});
srv.keepAliveTimeout = 65000;
srv.listen(0, '127.0.0.1', () => console.log('baseline ready at https://127.0.0.1:' + srv.address().port));
process.on('SIGTERM', () => process.exit(0));
`;

async function must(port: number, tls: ClientTLS, method: string, path: string, body: string | undefined, want: number[]): Promise<Buffer> {
  const r = await request(port, false, tls, method, path, body);
  if (!want.includes(r.status)) throw new Error(`${method} ${path}: ${r.status} ${r.body.toString().slice(0, 500)}`);
  return r.body;
}

const cleanup = new Cleanup();
const onSignal = (): void => {
  void cleanup.run().then(() => process.exit(130));
};
process.once('SIGINT', onSignal);
process.once('SIGTERM', onSignal);

try {
  const dataDir = mkdtempSync(join(tmpdir(), 'kubelite-bench-api-'));
  cleanup.add(() => rmSync(dataDir, { recursive: true, force: true }));
  const kube: Child = await startKubelite(dataDir, ['--store', STORE], NODE_ARGS);
  cleanup.add(() => killAndWait(kube.proc));
  const tls = adminTLS(dataDir);

  // Fixture: the namespaces, and --list-size ConfigMaps to list (and one of them to get).
  const namespaces = [LIST_NS, 'bench-sample', ...CONCURRENCY.map((c) => `bench-create-c${c}`)];
  for (const ns of namespaces) await must(kube.port, tls, 'POST', '/api/v1/namespaces', JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } }), [201]);
  for (let i = 0; i < LIST_SIZE; i++) await must(kube.port, tls, 'POST', `/api/v1/namespaces/${LIST_NS}/configmaps`, configMap(LIST_NS, `cm-${i}`), [201]);

  // What kubelite answers, byte for byte, becomes what the baseline answers.
  const samples = {
    create: await must(kube.port, tls, 'POST', '/api/v1/namespaces/bench-sample/configmaps', configMap('bench-sample', 'cm-sample'), [201]),
    get: await must(kube.port, tls, 'GET', `/api/v1/namespaces/${LIST_NS}/configmaps/${GET_NAME}`, undefined, [200]),
    list: await must(kube.port, tls, 'GET', `/api/v1/namespaces/${LIST_NS}/configmaps`, undefined, [200]),
  };
  // The root CA publisher adds kube-root-ca.crt to every namespace, so only the fixture's own items are counted.
  const items = (JSON.parse(samples.list.toString()) as { items: { metadata?: { name?: string } }[] }).items;
  const listed = items.filter((i) => i.metadata?.name?.startsWith('cm-') === true).length;
  if (listed !== LIST_SIZE) throw new Error(`the list fixture holds ${listed} cm-* items, want ${LIST_SIZE}`);
  const files: Record<string, string> = {};
  for (const [k, b] of Object.entries(samples)) {
    files[k] = join(dataDir, `sample-${k}.json`);
    writeFileSync(files[k], b);
  }
  const pki = join(dataDir, 'pki');
  const base: Child = await spawnUntilReady([...BASELINE_NODE_ARGS, '--input-type=module', '-e', BASELINE_SERVER], /baseline ready at https:\/\/127\.0\.0\.1:(\d+)/, {
    what: 'baseline https server',
    env: {
      ...process.env,
      BENCH_CERT: join(pki, 'apiserver.crt'),
      BENCH_KEY: join(pki, 'apiserver.key'),
      BENCH_CA: join(pki, 'ca.crt'),
      BENCH_CREATE: files.create!,
      BENCH_GET: files.get!,
      BENCH_LIST: files.list!,
    },
  });
  cleanup.add(() => killAndWait(base.proc));

  interface Row {
    op: Op;
    concurrency: number;
    response_bytes: number;
    kubelite: Combined;
    baseline: Combined;
  }
  const rows: Row[] = [];
  let gen = 0;
  const servers = { kubelite: kube, baseline: base } as const;
  for (const op of OPS) {
    for (const c of CONCURRENCY) {
      const res: Record<'kubelite' | 'baseline', RunResult[]> = { kubelite: [], baseline: [] };
      for (let round = 0; round < ROUNDS; round++) {
        // Alternate which server goes first, so a drift in background load hits both alike.
        const order = round % 2 === 0 ? (['kubelite', 'baseline'] as const) : (['baseline', 'kubelite'] as const);
        for (const who of order) {
          const srv = servers[who];
          const agent = keepAliveAgent(tls, c);
          try {
            // Warmup opens the c connections (TLS handshakes) and lets the JIT settle.
            await load(srv.port, srv.pid, agent, tls, shape(op, c, gen++), Math.max(WARMUP, c * 2), MAX_MS);
            const r = await load(srv.port, srv.pid, agent, tls, shape(op, c, gen++), N, MAX_MS);
            if (r.errors > 0) throw new Error(`${who} ${op} c=${c}: ${r.errors} failed requests; first: ${r.firstError}`);
            res[who].push(r);
          } finally {
            agent.destroy();
          }
        }
      }
      rows.push({ op, concurrency: c, response_bytes: samples[op].length, kubelite: combine(res.kubelite), baseline: combine(res.baseline) });
      process.stderr.write(`api bench: ${op} c=${c} done\n`);
    }
  }

  const ms = (x: number): string => (x < 10 ? x.toFixed(2) : x.toFixed(1));
  const m = machine();
  console.log(`\n### API throughput and latency: kubelite (--store ${STORE}) vs a bare node:https server answering the same bytes\n`);
  console.log(
    markdownTable(
      ['op', 'conc', 'resp bytes', 'kubelite req/s', 'baseline req/s', 'baseline/kubelite req/s', 'kubelite p50 / p99 ms', 'baseline p50 / p99 ms', 'p50 ratio', 'server CPU µs/req kubelite / baseline'],
      rows.map((r) => [
        r.op,
        r.concurrency,
        r.response_bytes,
        Math.round(r.kubelite.rps),
        Math.round(r.baseline.rps),
        `${(r.baseline.rps / r.kubelite.rps).toFixed(2)}×`,
        `${ms(r.kubelite.p50)} / ${ms(r.kubelite.p99)}`,
        `${ms(r.baseline.p50)} / ${ms(r.baseline.p99)}`,
        `${(r.kubelite.p50 / r.baseline.p50).toFixed(2)}×`,
        `${Math.round(r.kubelite.serverCpuUsPerReq)} / ${Math.round(r.baseline.serverCpuUsPerReq)}`,
      ]),
    ),
  );
  console.log(`\n(medians of ${ROUNDS} alternating rounds per cell; each round ${N} measured requests after ${WARMUP} warmup, list of ${LIST_SIZE} ConfigMaps, node ${m.node}, nproc ${m.nproc}, ${m.cpu_model})\n`);
  const summarize = (r: Combined): Record<string, number | number[]> => ({
    rounds_rps: r.roundsRps.map((x) => round(x)),
    n_total: r.done,
    rps: round(r.rps),
    p50_ms: round(r.p50, 3),
    p99_ms: round(r.p99, 3),
    server_cpu_us_per_req: round(r.serverCpuUsPerReq),
    wall_ms: round(r.wallMs),
  });
  console.log(
    JSON.stringify({
      bench: 'api',
      store: STORE,
      n: N,
      rounds: ROUNDS,
      warmup: WARMUP,
      list_size: LIST_SIZE,
      machine: m,
      date: new Date().toISOString(),
      results: rows.map((r) => ({
        op: r.op,
        concurrency: r.concurrency,
        response_bytes: r.response_bytes,
        kubelite: summarize(r.kubelite),
        baseline: summarize(r.baseline),
        throughput_ratio_baseline_over_kubelite: round(r.baseline.rps / r.kubelite.rps, 3),
        p50_ratio_kubelite_over_baseline: round(r.kubelite.p50 / r.baseline.p50, 3),
        p99_ratio_kubelite_over_baseline: round(r.kubelite.p99 / r.baseline.p99, 3),
      })),
    }),
  );
} finally {
  await cleanup.run();
}
