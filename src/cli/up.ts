/**
 * `kubelite up`: the whole control plane in one process on one data dir. First start
 * creates the PKI and admin.conf; later starts resume the same cluster.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { homedir } from 'node:os';
import { loadOrCreatePKI } from '../pki/store.js';
import { kubeconfigEntry, buildKubeconfig, writeKubeconfig, mergeKubeconfig, defaultKubeconfigPath } from './kubeconfig.js';
import { openStore } from '../storage/index.js';
import { APIServer } from '../apiserver/server.js';
import { bootstrapCluster } from '../controlplane/bootstrap.js';
import { parseDuration } from '../util/duration.js';
import { firstServiceIP } from '../util/cidr.js';

export interface UpOptions {
  dataDir: string;
  port: number;
  host: string;
  nodes: number;
  store: 'sqlite' | 'memory';
  /** Where to merge the "kubelite" context; '' to skip. */
  kubeconfig: string;
  compactionIntervalMs: number;
  serviceClusterIPRange: string;
}

export function defaultDataDir(): string {
  const state = process.env.XDG_STATE_HOME !== undefined && process.env.XDG_STATE_HOME !== '' ? process.env.XDG_STATE_HOME : join(homedir(), '.local', 'state');
  return join(state, 'kubelite');
}

export const UP_FLAGS = {
  'data-dir': { type: 'string', help: 'directory for the store, certificates and admin.conf', default: () => defaultDataDir() },
  port: { type: 'string', help: 'HTTPS port of the API server', default: () => '6443' },
  host: { type: 'string', help: 'address the API server binds to', default: () => '127.0.0.1' },
  nodes: { type: 'string', help: 'number of local node agents (only 0 until node agents exist)', default: () => '0' },
  store: { type: 'string', help: 'storage driver: sqlite (durable, default) or memory', default: () => 'sqlite' },
  kubeconfig: { type: 'string', help: 'kubeconfig to merge the "kubelite" context into ("" to skip)', default: () => defaultKubeconfigPath() },
  'etcd-compaction-interval': { type: 'string', help: 'how often store history is compacted, as upstream\'s flag', default: () => '5m' },
  'service-cluster-ip-range': { type: 'string', help: 'CIDR service ClusterIPs come from', default: () => '10.96.0.0/12' },
} as const;

export function validateUpOptions(flags: Record<string, string>): UpOptions {
  const port = Number(flags.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port: invalid port "${flags.port}"`);
  const nodes = Number(flags.nodes);
  if (!Number.isInteger(nodes) || nodes < 0) throw new Error(`--nodes: must be a whole number, got "${flags.nodes}"`);
  if (nodes > 0) throw new Error('--nodes: node agents are not built yet; only --nodes 0 works in this version');
  const store = flags.store;
  if (store !== 'sqlite' && store !== 'memory') throw new Error(`--store: must be sqlite or memory, got "${store}"`);
  const compactionIntervalMs = parseDuration(flags['etcd-compaction-interval'] ?? '5m');
  const range = flags['service-cluster-ip-range'] ?? '10.96.0.0/12';
  firstServiceIP(range);
  return {
    dataDir: flags['data-dir'] ?? defaultDataDir(),
    port,
    host: flags.host ?? '127.0.0.1',
    nodes,
    store,
    kubeconfig: flags.kubeconfig ?? '',
    compactionIntervalMs,
    serviceClusterIPRange: range,
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
  const server = new APIServer({ store, port: o.port, host: o.host, tls: { cert: pki.apiserver.certPEM, key: pki.apiserver.keyPEM, ca: pki.ca.certPEM } });
  let port: number;
  try {
    port = await server.listen();
  } catch (e) {
    await store.close();
    throw e;
  }
  await bootstrapCluster(server, { serviceIP, endpointIP: o.host === '0.0.0.0' ? '127.0.0.1' : o.host, endpointPort: port });
  const serverURL = `https://${o.host === '0.0.0.0' ? '127.0.0.1' : o.host}:${port}`;
  const entry = kubeconfigEntry({ server: serverURL, caPEM: pki.ca.certPEM, clientCertPEM: pki.admin.certPEM, clientKeyPEM: pki.admin.keyPEM });
  const adminKubeconfig = join(o.dataDir, 'admin.conf');
  await writeKubeconfig(adminKubeconfig, buildKubeconfig(entry));
  if (o.kubeconfig !== '') {
    await mergeKubeconfig(o.kubeconfig, entry, { setCurrent: true });
    log(`kubelite is ready at ${serverURL}: try "kubectl --context kubelite get namespaces" (context "kubelite" merged into ${o.kubeconfig}; admin kubeconfig: ${adminKubeconfig})`);
  } else {
    log(`kubelite is ready at ${serverURL}: try "kubectl --kubeconfig ${adminKubeconfig} get namespaces"`);
  }
  let stopped = false;
  return {
    port,
    adminKubeconfig,
    async stop() {
      if (stopped) return;
      stopped = true;
      await server.close();
      await store.close();
    },
  };
}
