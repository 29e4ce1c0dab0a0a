/**
 * `kubelite up`: a whole cluster in one process on one data dir: store, API server,
 * scheduler, controller manager and N simulated node agents. First start creates the
 * PKI and admin.conf; later starts resume the same cluster. The scheduler, controllers
 * and node agents reach the API over HTTPS with a client, exactly as they would from
 * another machine.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { homedir } from 'node:os';
import { loadOrCreatePKI } from '../pki/store.js';
import { kubeconfigEntry, buildKubeconfig, writeKubeconfig, mergeKubeconfig, defaultKubeconfigPath } from './kubeconfig.js';
import { openStore } from '../storage/index.js';
import { APIServer } from '../apiserver/server.js';
import { DefaultTolerationSeconds } from '../apiserver/admission/defaulttolerationseconds.js';
import { ServiceAllocation } from '../apiserver/admission/serviceallocation.js';
import { bootstrapCluster } from '../controlplane/bootstrap.js';
import { parseDuration } from '../util/duration.js';
import { firstServiceIP } from '../util/cidr.js';
import { clientFromKubeconfig } from '../client/kubeconfig.js';
import type { RestClient } from '../client/rest.js';
import { Scheduler } from '../scheduler/scheduler.js';
import { ControllerManager } from '../controllers/manager.js';
import { startSimulatedNodes, type SimulatedNodePool } from '../kubelet/pool.js';
import { startControlServer, type ControlServer } from './control.js';

export interface UpOptions {
  dataDir: string;
  port: number;
  host: string;
  nodes: number;
  runtime: 'simulated';
  store: 'sqlite' | 'memory';
  /** Where to merge the "kubelite" context; '' to skip. */
  kubeconfig: string;
  compactionIntervalMs: number;
  serviceClusterIPRange: string;
  serviceNodePortRange: string;
  controllers: string[];
  leaderElect: boolean;
  nodeMonitorPeriodMs: number;
  nodeMonitorGracePeriodMs: number;
  nodeStartupGracePeriodMs: number;
  defaultNotReadyTolerationSeconds: number;
  defaultUnreachableTolerationSeconds: number;
  /** The nodes' Lease duration (kubelet --node-lease-duration-seconds); renewed every quarter of it. */
  nodeLeaseDurationSeconds: number;
  /** Capacity of each simulated node (cpu, memory, pods, ephemeral-storage). */
  nodeCapacity: Record<string, string>;
  /** Run the scheduler and controller manager in this process (default true). */
  controlPlaneComponents: boolean;
}

export function defaultDataDir(): string {
  const state = process.env.XDG_STATE_HOME !== undefined && process.env.XDG_STATE_HOME !== '' ? process.env.XDG_STATE_HOME : join(homedir(), '.local', 'state');
  return join(state, 'kubelite');
}

export const UP_FLAGS = {
  'data-dir': { type: 'string', help: 'directory for the store, certificates and admin.conf', default: () => defaultDataDir() },
  port: { type: 'string', help: 'HTTPS port of the API server (0 picks a free one)', default: () => '6443' },
  host: { type: 'string', help: 'address the API server binds to', default: () => '127.0.0.1' },
  nodes: { type: 'string', help: 'number of node agents run in this process (kubelite-node-1 ...)', default: () => '1' },
  runtime: { type: 'string', help: 'container runtime of those nodes: simulated', default: () => 'simulated' },
  store: { type: 'string', help: 'storage driver: sqlite (durable) or memory', default: () => 'sqlite' },
  kubeconfig: { type: 'string', help: 'kubeconfig to merge the "kubelite" context into ("" to skip)', default: () => defaultKubeconfigPath() },
  'etcd-compaction-interval': { type: 'string', help: "how often store history is compacted, as upstream's flag", default: () => '5m' },
  'service-cluster-ip-range': { type: 'string', help: 'CIDR service ClusterIPs come from', default: () => '10.96.0.0/12' },
  'service-node-port-range': { type: 'string', help: 'port range NodePort services take their ports from', default: () => '30000-32767' },
  controllers: { type: 'string', help: 'controllers to run, as kube-controller-manager --controllers ("*", "name", "-name")', default: () => '*' },
  'leader-elect': { type: 'string', help: 'scheduler and controller manager take a Lease before acting (true|false)', default: () => 'true' },
  'node-monitor-period': { type: 'string', help: 'how often the node lifecycle controller checks nodes', default: () => '5s' },
  'node-monitor-grace-period': { type: 'string', help: 'how long a node may go without heartbeats before it is NotReady/Unknown', default: () => '50s' },
  'node-startup-grace-period': { type: 'string', help: 'how long a starting node may take to post status', default: () => '1m' },
  'default-not-ready-toleration-seconds': { type: 'string', help: 'tolerationSeconds added to pods for the not-ready:NoExecute taint', default: () => '300' },
  'default-unreachable-toleration-seconds': { type: 'string', help: 'tolerationSeconds added to pods for the unreachable:NoExecute taint', default: () => '300' },
  'node-lease-duration-seconds': { type: 'string', help: "the nodes' Lease duration, as the kubelet flag; renewed every quarter of it", default: () => '40' },
  'node-capacity': { type: 'string', help: 'capacity of each simulated node, as name=quantity pairs', default: () => 'cpu=4,memory=8Gi,pods=110,ephemeral-storage=100Gi' },
  'control-plane-components': { type: 'string', help: 'run the scheduler and controller manager in this process (true|false)', default: () => 'true' },
} as const;

function bool(flag: string, v: string | undefined): boolean {
  if (v === 'true') return true;
  if (v === 'false') return false;
  throw new Error(`--${flag}: must be true or false, got "${v}"`);
}

function seconds(flag: string, v: string | undefined): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${flag}: must be a whole number of seconds, got "${v}"`);
  return n;
}

function duration(flag: string, v: string | undefined): number {
  try {
    return parseDuration(v ?? '');
  } catch (e) {
    throw new Error(`--${flag}: ${(e as Error).message}`);
  }
}

function parseCapacity(v: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of v.split(',').map((x) => x.trim()).filter((x) => x !== '')) {
    const m = /^([a-z0-9./-]+)=([0-9.]+[a-zA-Z]*)$/.exec(part);
    if (m === null) throw new Error(`--node-capacity: "${part}" is not name=quantity (e.g. cpu=4,memory=8Gi,pods=110)`);
    out[m[1]!] = m[2]!;
  }
  return out;
}

export function validateUpOptions(flags: Record<string, string>): UpOptions {
  const port = Number(flags.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port: invalid port "${flags.port}"`);
  const nodes = Number(flags.nodes);
  if (!Number.isInteger(nodes) || nodes < 0) throw new Error(`--nodes: must be a whole number, got "${flags.nodes}"`);
  if (flags.runtime !== 'simulated') throw new Error(`--runtime: only "simulated" is available in this version, got "${flags.runtime}"`);
  const store = flags.store;
  if (store !== 'sqlite' && store !== 'memory') throw new Error(`--store: must be sqlite or memory, got "${store}"`);
  const range = flags['service-cluster-ip-range'] ?? '10.96.0.0/12';
  firstServiceIP(range);
  return {
    dataDir: flags['data-dir'] ?? defaultDataDir(),
    port,
    host: flags.host ?? '127.0.0.1',
    nodes,
    runtime: 'simulated',
    store,
    kubeconfig: flags.kubeconfig ?? '',
    compactionIntervalMs: duration('etcd-compaction-interval', flags['etcd-compaction-interval']),
    serviceClusterIPRange: range,
    serviceNodePortRange: flags['service-node-port-range'] ?? '30000-32767',
    controllers: (flags.controllers ?? '*').split(',').map((s) => s.trim()).filter((s) => s !== ''),
    leaderElect: bool('leader-elect', flags['leader-elect']),
    nodeMonitorPeriodMs: duration('node-monitor-period', flags['node-monitor-period']),
    nodeMonitorGracePeriodMs: duration('node-monitor-grace-period', flags['node-monitor-grace-period']),
    nodeStartupGracePeriodMs: duration('node-startup-grace-period', flags['node-startup-grace-period']),
    defaultNotReadyTolerationSeconds: seconds('default-not-ready-toleration-seconds', flags['default-not-ready-toleration-seconds']),
    defaultUnreachableTolerationSeconds: seconds('default-unreachable-toleration-seconds', flags['default-unreachable-toleration-seconds']),
    nodeLeaseDurationSeconds: Math.max(1, seconds('node-lease-duration-seconds', flags['node-lease-duration-seconds'])),
    nodeCapacity: parseCapacity(flags['node-capacity'] ?? ''),
    controlPlaneComponents: bool('control-plane-components', flags['control-plane-components']),
  };
}

export interface RunningCluster {
  port: number;
  adminKubeconfig: string;
  stop(): Promise<void>;
}

export async function up(o: UpOptions, log: (line: string) => void = (l) => console.log(l)): Promise<RunningCluster> {
  await mkdir(o.dataDir, { recursive: true, mode: 0o700 });
  const serviceIP = firstServiceIP(o.serviceClusterIPRange);
  const pki = await loadOrCreatePKI({ dir: o.dataDir, serviceIP, ...(o.host !== '127.0.0.1' && o.host !== '0.0.0.0' ? { extraSANs: [o.host] } : {}) });
  const store = await openStore({ driver: o.store, dataDir: o.dataDir, compactionIntervalMs: o.compactionIntervalMs });
  // Allocation reads the services through the server's own registry (it runs inside it).
  const serviceAllocation = new ServiceAllocation({
    serviceCIDR: o.serviceClusterIPRange,
    nodePortRange: o.serviceNodePortRange,
    listServices: async () => (await server.registry('', 'v1', 'services').list({ namespace: '' })).items,
  });
  const server: APIServer = new APIServer({
    store,
    port: o.port,
    host: o.host,
    tls: { cert: pki.apiserver.certPEM, key: pki.apiserver.keyPEM, ca: pki.ca.certPEM },
    admissionPlugins: [
      serviceAllocation,
      new DefaultTolerationSeconds({ notReadyTolerationSeconds: o.defaultNotReadyTolerationSeconds, unreachableTolerationSeconds: o.defaultUnreachableTolerationSeconds }),
    ],
  });
  const cleanups: (() => Promise<void>)[] = [];
  const stopAll = async (): Promise<void> => {
    for (const c of cleanups.reverse()) {
      try {
        await c();
      } catch (e) {
        console.error('kubelite: error while stopping:', e);
      }
    }
    cleanups.length = 0;
  };
  let port: number;
  try {
    port = await server.listen();
  } catch (e) {
    await store.close();
    throw e;
  }
  cleanups.push(() => store.close());
  cleanups.push(() => server.close());
  try {
    const endpointIP = o.host === '0.0.0.0' ? '127.0.0.1' : o.host;
    await bootstrapCluster(server, { serviceIP, endpointIP, endpointPort: port });
    const serverURL = `https://${endpointIP}:${port}`;
    const entry = kubeconfigEntry({ server: serverURL, caPEM: pki.ca.certPEM, clientCertPEM: pki.admin.certPEM, clientKeyPEM: pki.admin.keyPEM });
    const adminKubeconfig = join(o.dataDir, 'admin.conf');
    await writeKubeconfig(adminKubeconfig, buildKubeconfig(entry));

    // The components are clients of the API like any other; they use the admin credentials
    // until RBAC gives each its own identity.
    let client: RestClient | undefined;
    const newClient = async (): Promise<RestClient> => {
      const c = await clientFromKubeconfig(adminKubeconfig);
      cleanups.push(async () => c.close());
      return c;
    };
    if (o.controlPlaneComponents) {
      client = await newClient();
      const scheduler = new Scheduler({ client, leaderElection: o.leaderElect, log: (m, e) => console.error(`kubelite scheduler: ${m}`, e ?? '') });
      await scheduler.start();
      cleanups.push(() => scheduler.stop());
      server.addComponent({ name: 'scheduler', check: () => ({ healthy: true, message: 'ok' }) });
      const manager = new ControllerManager({
        client: await newClient(),
        controllers: o.controllers,
        leaderElection: o.leaderElect,
        caPEM: pki.ca.certPEM,
        nodeLifecycle: {
          nodeMonitorPeriodMs: o.nodeMonitorPeriodMs,
          nodeMonitorGracePeriodMs: o.nodeMonitorGracePeriodMs,
          nodeStartupGracePeriodMs: o.nodeStartupGracePeriodMs,
        },
        log: (line) => console.error(`kubelite controller-manager: ${line}`),
      });
      await manager.start();
      cleanups.push(() => manager.stop());
      server.addComponent({ name: 'controller-manager', check: () => (manager.healthy() ? { healthy: true, message: 'ok' } : { healthy: false, message: 'controllers are not running' }) });
    }
    let pool: SimulatedNodePool | undefined;
    if (o.nodes > 0) {
      pool = await startSimulatedNodes({
        client: await newClient(),
        count: o.nodes,
        startIndex: 1,
        nodeOptions: { capacity: o.nodeCapacity, leaseDurationSeconds: o.nodeLeaseDurationSeconds, renewIntervalMs: o.nodeLeaseDurationSeconds * 250 },
      });
      const p = pool;
      cleanups.push(() => p.shutdown());
    }
    const control: ControlServer = await startControlServer(o.dataDir, {
      nodes: () => (pool?.agents ?? []).map((a) => ({ name: a.nodeName, running: a.running })),
      nodeStop: async (name) => {
        const a = pool?.agent(name);
        if (a === undefined) throw new Error(`node "${name}" is not run by this kubelite process`);
        await a.stop();
      },
      nodeStart: async (name) => {
        const a = pool?.agent(name);
        if (a === undefined) throw new Error(`node "${name}" is not run by this kubelite process`);
        await a.start();
      },
    });
    cleanups.push(() => control.close());

    const nodesNote = o.nodes > 0 ? `, ${o.nodes} simulated node${o.nodes === 1 ? '' : 's'}` : '';
    if (o.kubeconfig !== '') {
      await mergeKubeconfig(o.kubeconfig, entry, { setCurrent: true });
      log(`kubelite is ready at ${serverURL}${nodesNote}: try "kubectl --context kubelite get nodes" (context "kubelite" merged into ${o.kubeconfig}; admin kubeconfig: ${adminKubeconfig})`);
    } else {
      log(`kubelite is ready at ${serverURL}${nodesNote}: try "kubectl --kubeconfig ${adminKubeconfig} get nodes"`);
    }
    let stopped = false;
    return {
      port,
      adminKubeconfig,
      async stop() {
        if (stopped) return;
        stopped = true;
        await stopAll();
      },
    };
  } catch (e) {
    await stopAll();
    throw e;
  }
}
