/**
 * What N idle simulated nodes cost: node registration time, memory, and the steady
 * heartbeat load (N Lease updates every 10 s, a Node status write every 5 min per
 * node) on the agents and on the API server. Not a test; run it by hand:
 *
 *   node dist/src/kubelet/pool.bench.js --nodes 1000 [--seconds 60] [--store sqlite|memory]
 *        [--inprocess] [--no-events] [--settle 15]
 *
 * By default the API server is a real `kubelite up` child process (so agent and
 * server CPU are measured apart); --inprocess runs the test API server (memory store)
 * in this process, as `kubelite up --nodes N` will. Prints a summary and one JSON line.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { clientFromKubeconfig } from '../client/kubeconfig.js';
import { RestClient } from '../client/rest.js';
import type { Transport } from '../client/transport.js';
import { startTestEnv, type TestEnv } from '../client/testenv.js';
import { startSimulatedNodes } from './pool.js';
import type { LeaseObject } from './types.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const TICK = 100; // USER_HZ on Linux

function procStat(pid: number): { cpuMs: number; rssMB: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const cpuMs = ((Number(fields[11]) + Number(fields[12])) * 1000) / TICK;
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const rssKB = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return { cpuMs, rssMB: rssKB / 1024 };
}

function pct(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const mb = (n: number): number => Math.round((n / 1024 / 1024) * 10) / 10;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function startServer(store: string, dir: string): Promise<{ proc: ChildProcess; url: string }> {
  const proc = spawn(process.execPath, [join(ROOT, 'bin', 'kubelite.js'), 'up', '--data-dir', dir, '--port', '0', '--store', store, '--kubeconfig', ''], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`kubelite up not ready:\n${out}`)), 30_000);
    const onData = (d: Buffer): void => {
      out += d.toString();
      const m = /ready at (https:\/\/[0-9.]+:\d+)/.exec(out);
      if (m !== null) {
        clearTimeout(t);
        resolve({ proc, url: m[1]! });
      }
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', onData);
    proc.once('exit', (c) => reject(new Error(`kubelite up exited (${c}):\n${out}`)));
  });
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      nodes: { type: 'string', default: '1000' },
      seconds: { type: 'string', default: '60' },
      settle: { type: 'string', default: '15' },
      store: { type: 'string', default: 'sqlite' },
      inprocess: { type: 'boolean', default: false },
      'no-events': { type: 'boolean', default: false },
    },
  });
  const n = Number(values.nodes);
  const seconds = Number(values.seconds);
  const settle = Number(values.settle);
  const dir = await mkdtemp(join(tmpdir(), 'kubelite-nodes-bench-'));
  let server: { proc: ChildProcess; url: string } | undefined;
  let env: TestEnv | undefined;
  let base: RestClient;
  if (values.inprocess) {
    env = await startTestEnv();
    base = env.client({ timeoutMs: 30_000 });
    await base.create({ group: '', version: 'v1', resource: 'namespaces' }, { metadata: { name: 'kube-node-lease' } });
  } else {
    server = await startServer(values.store!, dir);
    base = await clientFromKubeconfig(join(dir, 'admin.conf'));
  }

  // Latency of every lease write, and a count of all requests.
  const leaseMs: number[] = [];
  let requests = 0;
  let errors = 0;
  const timed: Transport = {
    async request(req) {
      requests++;
      const t0 = performance.now();
      try {
        return await base.transport.request(req);
      } catch (e) {
        errors++;
        throw e;
      } finally {
        if (req.method === 'PUT' && req.path.includes('/leases/')) leaseMs.push(performance.now() - t0);
      }
    },
    stream: (req) => base.transport.stream(req),
    close: () => base.transport.close(),
  };
  // (lease PUT times are measured below the pool's limiter: server time, not queueing)
  const client = new RestClient({ transport: timed });

  globalThis.gc?.();
  const mem0 = process.memoryUsage();
  const srv0 = server !== undefined ? procStat(server.proc.pid!) : undefined;
  const t0 = performance.now();
  const pool = await startSimulatedNodes({ client, count: n, events: !values['no-events'], log: () => undefined });
  const registerMs = performance.now() - t0;
  await sleep(settle * 1000);
  globalThis.gc?.();
  const mem1 = process.memoryUsage();

  const renewals = (): number => pool.agents.reduce((s, a) => s + a.stats().leaseRenewals, 0);
  leaseMs.length = 0;
  const r0 = renewals();
  const q0 = requests;
  const e0 = errors;
  const cpu0 = process.cpuUsage();
  const s0 = server !== undefined ? procStat(server.proc.pid!) : undefined;
  const w0 = performance.now();
  await sleep(seconds * 1000);
  const wall = performance.now() - w0;
  const cpu1 = process.cpuUsage(cpu0);
  const s1 = server !== undefined ? procStat(server.proc.pid!) : undefined;
  const r1 = renewals();
  // How stale is the oldest lease? Under 40 s, every node looks Ready to the node lifecycle controller.
  const leases = await base.list<LeaseObject>({ group: 'coordination.k8s.io', version: 'v1', resource: 'leases', namespace: 'kube-node-lease' });
  const nowMs = Date.now();
  const ages = leases.items.map((l) => (nowMs - Date.parse(l.spec?.renewTime ?? '')) / 1000).sort((a, b) => a - b);
  const agentsCpu = ((cpu1.user + cpu1.system) / 1000 / wall) * 100;
  const serverCpu = s0 !== undefined && s1 !== undefined ? ((s1.cpuMs - s0.cpuMs) / wall) * 100 : undefined;
  const lat = [...leaseMs].sort((a, b) => a - b);
  const result = {
    nodes: n,
    mode: values.inprocess ? 'in-process (memory store)' : `kubelite up child (${values.store} store)`,
    events: !values['no-events'],
    registerSeconds: Math.round(registerMs / 100) / 10,
    leaseRenewalsPerSecond: Math.round(((r1 - r0) / wall) * 1000 * 10) / 10,
    expectedRenewalsPerSecond: Math.round((n / 10) * 10) / 10,
    requestsPerSecond: Math.round(((requests - q0) / wall) * 1000),
    errorsInWindow: errors - e0,
    leaseAgeSeconds: { p50: Math.round(pct(ages, 50) * 10) / 10, max: Math.round(pct(ages, 100) * 10) / 10 },
    poolMaxQueued: pool.transport.maxQueued,
    leasePutMs: { p50: Math.round(pct(lat, 50) * 10) / 10, p99: Math.round(pct(lat, 99) * 10) / 10, max: Math.round(pct(lat, 100) * 10) / 10 },
    cpuPercentOfOneCore: { agents: Math.round(agentsCpu), ...(serverCpu !== undefined ? { server: Math.round(serverCpu) } : {}) },
    memoryMB: {
      agentsHeapDelta: mb(mem1.heapUsed - mem0.heapUsed),
      agentsRssDelta: mb(mem1.rss - mem0.rss),
      processRss: mb(mem1.rss),
      ...(srv0 !== undefined && s1 !== undefined ? { serverRss: Math.round(s1.rssMB), serverRssDelta: Math.round(s1.rssMB - srv0.rssMB) } : {}),
    },
  };
  console.log(
    `${n} simulated nodes, ${result.mode}: registered in ${result.registerSeconds} s; ` +
      `${result.leaseRenewalsPerSecond} lease renewals/s (want ${result.expectedRenewalsPerSecond}); oldest lease ${result.leaseAgeSeconds.max} s; lease PUT p50 ${result.leasePutMs.p50} ms p99 ${result.leasePutMs.p99} ms; ` +
      `CPU agents ${result.cpuPercentOfOneCore.agents}%${serverCpu !== undefined ? `, server ${Math.round(serverCpu)}%` : ''} of one core; ` +
      `heap +${result.memoryMB.agentsHeapDelta} MB, RSS +${result.memoryMB.agentsRssDelta} MB${result.memoryMB.serverRss !== undefined ? `, server RSS ${result.memoryMB.serverRss} MB` : ''}`,
  );
  console.log(JSON.stringify(result));
  await pool.shutdown();
  client.close();
  if (server !== undefined) {
    const exited = new Promise((r) => server!.proc.once('exit', r));
    server.proc.kill('SIGTERM');
    await exited;
  }
  await env?.close();
  await rm(dir, { recursive: true, force: true });
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
