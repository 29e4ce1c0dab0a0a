/**
 * A large Deployment on simulated nodes, end to end: `kubelite up --nodes N --store sqlite`
 * as a child process (temp data dir, port 0), then
 *
 *   phase "create":  `kubectl apply` of a --replicas Deployment → every pod Running and
 *                    the Deployment Available (status.availableReplicas = replicas and
 *                    the Available condition True);
 *   phase "rollout": `kubectl set image` (a new image) → `kubectl rollout status`
 *                    returns (every replica updated and available, old pods gone).
 *
 * For each phase: wall time, the server's CPU time (utime+stime from /proc/<pid>/stat,
 * in seconds, 10 ms ticks) and its peak RSS (VmHWM; reset at the start of each phase by
 * writing 5 to /proc/<pid>/clear_refs, so the rollout figure is that phase's own peak).
 * Per pod: the time from its ADDED event to the watch event that shows it Running
 * (every container started), p50/p99/max, the pod-startup measure of upstream's
 * scalability SLO (p99 <= 5 s for stateless pods, image pulls excluded, measured from
 * pod creation to its Running state observed by a watch). A simulated container starts
 * after 0–100 ms, so the latency is the control plane's: scheduling, ReplicaSet
 * creates, kubelet status writes, watch delivery.
 *
 * kubectl is /usr/bin/kubectl (override with KUBECTL) with DATA_DIR/admin.conf.
 *
 *   node dist/bench/deployment.js [--nodes 100] [--replicas 1000] [--store sqlite|memory]
 *                                 [--timeout-seconds 1200] [--node-args="--cpu-prof --cpu-prof-dir=DIR"]
 *
 * Prints a markdown table, then one JSON line. Not part of the tests.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { adminTLS, Cleanup, KUBELITE_BIN, KUBELITE_READY, killAndWait, keepAliveAgent, machine, markdownTable, percentile, procStatusKiB, request, round, sleep, spawnUntilReady, type ClientTLS } from './common.js';

const { values } = parseArgs({
  options: {
    nodes: { type: 'string', default: '100' },
    replicas: { type: 'string', default: '1000' },
    store: { type: 'string', default: 'sqlite' },
    'timeout-seconds': { type: 'string', default: '1200' },
    'node-args': { type: 'string', default: '' },
  },
});
const NODES = Number(values.nodes);
const REPLICAS = Number(values.replicas);
const STORE = values.store ?? 'sqlite';
const TIMEOUT_MS = Number(values['timeout-seconds']) * 1000;
const NODE_ARGS = (values['node-args'] ?? '').split(' ').filter((a) => a !== '');
const KUBECTL = process.env.KUBECTL ?? '/usr/bin/kubectl';
const NS = 'default';
const NAME = 'bench-deploy';
const IMAGE_1 = 'registry.k8s.io/pause:3.9';
const IMAGE_2 = 'registry.k8s.io/pause:3.10';

/** utime+stime of a process in seconds (clock ticks of 10 ms: USER_HZ = 100 on Linux). */
function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // After the comm field: state is f[0], utime is field 14 (f[11]), stime field 15 (f[12]).
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return NaN;
  }
}

/** Resets VmHWM to the current RSS (Linux >= 4.0); false if not possible. */
function resetPeakRss(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

function kubectl(kubeconfig: string, args: string[], input?: string): Promise<{ code: number; out: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn(KUBECTL, ['--kubeconfig', kubeconfig, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.stderr.on('data', (d: Buffer) => (out += d.toString()));
    p.on('error', reject);
    p.on('exit', (c) => resolve({ code: c ?? 1, out }));
    p.stdin.end(input ?? '');
  });
}

interface PodTrack {
  addedAt: number;
  runningAt?: number;
  image: string;
}

interface PodEvent {
  type: string;
  object: { metadata?: { uid?: string; name?: string }; spec?: { containers?: { image?: string }[] }; status?: { phase?: string; containerStatuses?: { started?: boolean; ready?: boolean }[] } };
}

/** A watch on the bench pods; records each pod's ADDED time and first Running time. */
function watchPods(port: number, tls: ClientTLS, pods: Map<string, PodTrack>): { close(): void; ready: Promise<void> } {
  let req: ReturnType<typeof https.request> | undefined;
  let closed = false;
  let resolveReady!: () => void;
  const ready = new Promise<void>((r) => (resolveReady = r));
  const onEvent = (ev: PodEvent): void => {
    const now = performance.now();
    const uid = ev.object.metadata?.uid;
    if (uid === undefined || ev.type === 'BOOKMARK' || ev.type === 'ERROR') return;
    let t = pods.get(uid);
    if (t === undefined) {
      t = { addedAt: now, image: ev.object.spec?.containers?.[0]?.image ?? '' };
      pods.set(uid, t);
    }
    const st = ev.object.status;
    if (t.runningAt === undefined && st?.phase === 'Running' && (st.containerStatuses ?? []).length > 0 && (st.containerStatuses ?? []).every((c) => c.started === true || c.ready === true)) {
      t.runningAt = now;
    }
  };
  const open = (): void => {
    if (closed) return;
    // No resourceVersion: starts from "now" (the namespace has no bench pods yet); the
    // watch is re-opened from the start if it ever ends, which only adds pods not yet seen.
    req = https.request(
      { host: '127.0.0.1', port, method: 'GET', path: `/api/v1/namespaces/${NS}/pods?watch=1&labelSelector=app%3D${NAME}&allowWatchBookmarks=true`, ca: tls.ca, cert: tls.cert, key: tls.key, agent: false, headers: { Accept: 'application/json' } },
      (res) => {
        resolveReady();
        let buf = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buf += chunk;
          let nl: number;
          while ((nl = buf.indexOf('\n')) !== -1) {
            const line = buf.slice(0, nl);
            buf = buf.slice(nl + 1);
            if (line.trim() !== '') onEvent(JSON.parse(line) as PodEvent);
          }
        });
        res.on('end', () => setTimeout(open, 100));
        res.on('error', () => setTimeout(open, 100));
      },
    );
    req.on('error', () => setTimeout(open, 500));
    req.end();
  };
  open();
  return {
    ready,
    close: () => {
      closed = true;
      req?.destroy();
    },
  };
}

interface Phase {
  phase: string;
  seconds: number;
  serverCpuSeconds: number;
  peakRssMiB: number;
  rssAfterMiB: number;
  pods: number;
  podStartP50Ms: number;
  podStartP99Ms: number;
  podStartMaxMs: number;
  /** pods of this phase's image never seen Running (should be 0). */
  notRunning: number;
}

function podLatencies(pods: Map<string, PodTrack>, image: string): { lat: number[]; notRunning: number } {
  const lat: number[] = [];
  let notRunning = 0;
  for (const t of pods.values()) {
    if (t.image !== image) continue;
    if (t.runningAt === undefined) notRunning++;
    else lat.push(t.runningAt - t.addedAt);
  }
  lat.sort((a, b) => a - b);
  return { lat, notRunning };
}

async function main(): Promise<void> {
  const cleanup = new Cleanup();
  const dataDir = mkdtempSync(join(tmpdir(), 'kubelite-bench-deploy-'));
  cleanup.add(() => rmSync(dataDir, { recursive: true, force: true }));
  try {
    const child = await spawnUntilReady([...NODE_ARGS, KUBELITE_BIN, 'up', '--data-dir', dataDir, '--port', '0', '--kubeconfig', '', '--nodes', String(NODES), '--store', STORE], KUBELITE_READY, {
      what: 'kubelite up',
      timeoutMs: 180_000,
    });
    cleanup.add(() => killAndWait(child.proc, 30_000));
    const pid = child.pid;
    const tls = adminTLS(dataDir);
    const agent = keepAliveAgent(tls, 4);
    cleanup.add(() => agent.destroy());
    const kubeconfig = join(dataDir, 'admin.conf');
    const getJSON = async <T>(path: string): Promise<T> => {
      const r = await request(child.port, agent, tls, 'GET', path);
      if (r.status !== 200) throw new Error(`GET ${path}: ${r.status} ${r.body.toString()}`);
      return JSON.parse(r.body.toString()) as T;
    };

    // Every node Ready before the clock starts.
    const t0Ready = performance.now();
    for (;;) {
      const nodes = await getJSON<{ items: { status?: { conditions?: { type: string; status: string }[] } }[] }>('/api/v1/nodes');
      const ready = nodes.items.filter((n) => n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')).length;
      if (ready >= NODES) break;
      if (performance.now() - t0Ready > 120_000) throw new Error(`only ${ready} of ${NODES} nodes Ready after 120 s`);
      await sleep(250);
    }
    const readyLineMs = child.readyLineMs;
    const nodesReadyMs = performance.now() - child.spawnedAt;
    const rssIdleMiB = procStatusKiB(pid, 'VmRSS') / 1024;
    const hwmStartupMiB = procStatusKiB(pid, 'VmHWM') / 1024;
    const cpuStartup = cpuSeconds(pid);

    const pods = new Map<string, PodTrack>();
    const watch = watchPods(child.port, tls, pods);
    cleanup.add(() => watch.close());
    await watch.ready;

    interface Deploy {
      metadata?: { generation?: number };
      status?: { observedGeneration?: number; replicas?: number; updatedReplicas?: number; availableReplicas?: number; readyReplicas?: number; conditions?: { type: string; status: string }[] };
    }
    const deployPath = `/apis/apps/v1/namespaces/${NS}/deployments/${NAME}`;
    const podsRunning = (image: string): number => {
      let n = 0;
      for (const t of pods.values()) if (t.image === image && t.runningAt !== undefined) n++;
      return n;
    };
    const waitFor = async (what: string, cond: () => Promise<boolean>): Promise<void> => {
      const start = performance.now();
      while (!(await cond())) {
        if (performance.now() - start > TIMEOUT_MS) throw new Error(`${what}: not done after ${TIMEOUT_MS / 1000} s`);
        await sleep(100);
      }
    };
    const runPhase = async (phase: string, image: string, body: () => Promise<void>): Promise<Phase> => {
      const peakReset = resetPeakRss(pid);
      const cpu0 = cpuSeconds(pid);
      const t0 = performance.now();
      await body();
      const seconds = (performance.now() - t0) / 1000;
      const cpu1 = cpuSeconds(pid);
      const { lat, notRunning } = podLatencies(pods, image);
      if (!peakReset) console.error('deployment bench: could not reset VmHWM; the peak RSS figures are since start');
      return {
        phase,
        seconds: round(seconds, 2),
        serverCpuSeconds: round(cpu1 - cpu0, 2),
        peakRssMiB: round(procStatusKiB(pid, 'VmHWM') / 1024, 1),
        rssAfterMiB: round(procStatusKiB(pid, 'VmRSS') / 1024, 1),
        pods: lat.length + notRunning,
        podStartP50Ms: round(percentile(lat, 50), 1),
        podStartP99Ms: round(percentile(lat, 99), 1),
        podStartMaxMs: round(lat[lat.length - 1] ?? NaN, 1),
        notRunning,
      };
    };

    const manifest = (image: string): string =>
      JSON.stringify({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: NAME, namespace: NS },
        spec: {
          replicas: REPLICAS,
          selector: { matchLabels: { app: NAME } },
          template: { metadata: { labels: { app: NAME } }, spec: { containers: [{ name: 'app', image, resources: { requests: { cpu: '10m', memory: '16Mi' } } }] } },
        },
      });

    const phases: Phase[] = [];
    phases.push(
      await runPhase('create: kubectl apply → all Running + Available', IMAGE_1, async () => {
        const r = await kubectl(kubeconfig, ['apply', '-f', '-'], manifest(IMAGE_1));
        if (r.code !== 0) throw new Error(`kubectl apply: ${r.out}`);
        await waitFor('deployment available', async () => {
          if (podsRunning(IMAGE_1) < REPLICAS) return false;
          const d = await getJSON<Deploy>(deployPath);
          const s = d.status ?? {};
          return s.availableReplicas === REPLICAS && (s.observedGeneration ?? 0) >= (d.metadata?.generation ?? 1) && (s.conditions ?? []).some((c) => c.type === 'Available' && c.status === 'True');
        });
      }),
    );
    let rolloutOut = '';
    phases.push(
      await runPhase('rolling update: set image → rollout status done', IMAGE_2, async () => {
        const r = await kubectl(kubeconfig, ['set', 'image', `deployment/${NAME}`, `app=${IMAGE_2}`, '-n', NS]);
        if (r.code !== 0) throw new Error(`kubectl set image: ${r.out}`);
        const rs = await kubectl(kubeconfig, ['rollout', 'status', `deployment/${NAME}`, '-n', NS, `--timeout=${TIMEOUT_MS / 1000}s`]);
        rolloutOut = rs.out.trim().split('\n').slice(-1)[0] ?? '';
        if (rs.code !== 0) throw new Error(`kubectl rollout status: ${rs.out}`);
      }),
    );

    const m = machine();
    console.log(`\n### Deployment of ${REPLICAS} replicas on ${NODES} simulated nodes (kubelite up, --store ${STORE})\n`);
    console.log(
      markdownTable(
        ['phase', 'seconds', 'pods/s', 'server CPU s', 'peak RSS MiB (phase)', 'RSS after MiB', 'pod start p50 / p99 / max ms', 'SLO p99 5000 ms ÷ p99', 'pods never Running'],
        phases.map((p) => [p.phase, p.seconds, round(p.pods / p.seconds, 1), p.serverCpuSeconds, p.peakRssMiB, p.rssAfterMiB, `${p.podStartP50Ms} / ${p.podStartP99Ms} / ${p.podStartMaxMs}`, `${round(5000 / p.podStartP99Ms, 2)}×`, p.notRunning]),
      ),
    );
    console.log(
      `\nstart-up: ready line ${round(readyLineMs)} ms, all ${NODES} nodes Ready ${round(nodesReadyMs)} ms, CPU ${round(cpuStartup, 2)} s, RSS ${round(rssIdleMiB, 1)} MiB (peak ${round(hwmStartupMiB, 1)}); rollout status: "${rolloutOut}"`,
    );
    console.log(`(node ${m.node}, nproc ${m.nproc}, ${m.cpu_model}, load ${m.loadavg_1m})\n`);
    console.log(
      JSON.stringify({
        bench: 'deployment',
        date: new Date().toISOString(),
        nodes: NODES,
        replicas: REPLICAS,
        store: STORE,
        startup: { readyLineMs: round(readyLineMs), nodesReadyMs: round(nodesReadyMs), cpuSeconds: cpuStartup, rssMiB: round(rssIdleMiB, 1), peakRssMiB: round(hwmStartupMiB, 1) },
        phases,
        machine: m,
      }),
    );
  } finally {
    await cleanup.run();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
