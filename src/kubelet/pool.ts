/**
 * Many simulated nodes in one process (kwok's idea, with our agent): N NodeAgents, each
 * with its own SimulatedRuntime, sharing ONE RestClient (its transport, behind a
 * LimitedTransport: at most maxInFlight requests, heartbeats first), ONE pod informer
 * (one list + watch of all pods, routed to agents by spec.nodeName) and ONE node
 * informer. This is what `kubelite up --nodes N --runtime simulated` runs.
 *
 * Per node the steady cost is its heartbeat: one Lease update every renewInterval
 * (10 s) and a Node status write every 5 min, the same work upstream kubelets do.
 * Heartbeat phases are spread at random (spreadHeartbeats), so the server sees a
 * steady N/10 lease writes per second rather than N writes every 10 s.
 * Nodes register in batches (registerConcurrency at a time) so a large pool does not
 * open thousands of requests at once.
 */
import type { NodeAddress } from 'kubernetes-types/core/v1.js';
import { dropManagedFields, SharedInformer } from '../client/informer.js';
import { NODE_NAME_INDEX, nodeNameIndexFunc } from '../client/indexer.js';
import { listWatcherFor } from '../client/reflector.js';
import { RestClient } from '../client/rest.js';
import { formatIPv4, parseIPv4 } from '../util/cidr.js';
import { realClock, type Clock } from '../util/clock.js';
import { NodeAgent } from './agent.js';
import { LimitedTransport } from './limiter.js';
import { KUBELET_USER_AGENT, type NodeAgentOptions } from './options.js';
import { fakePodSubnet } from './podips.js';
import { SimulatedRuntime, type SimulatedRuntimeOptions } from './runtime/simulated.js';
import { NODES, PODS, type NodeObject, type PodObject } from './types.js';

/** Per-node options the pool passes through (everything but what the pool decides). */
export type PoolNodeOptions = Omit<NodeAgentOptions, 'client' | 'nodeName' | 'runtime' | 'clock' | 'podInformer' | 'nodeInformer'>;

export interface SimulatedNodesOptions {
  client: RestClient;
  count: number;
  /** Node names are <namePrefix><index> (default "kubelite-node-"). */
  namePrefix?: string;
  /** First index (default 0): a second pool can continue where the first stopped. */
  startIndex?: number;
  clock?: Clock;
  runtimeOptions?: Omit<SimulatedRuntimeOptions, 'clock'>;
  /** Options of every node; a function gets the index for per-node values. */
  nodeOptions?: PoolNodeOptions | ((index: number, name: string) => PoolNodeOptions);
  /** Record Kubernetes Events (node registration, pod lifecycle); default true. */
  events?: boolean;
  /** Node registrations in flight at once (default 50). */
  registerConcurrency?: number;
  /**
   * Requests of the whole pool open at once (default 64); heartbeats (Lease and Node
   * requests) are served before events and pod status when requests have to wait.
   */
  maxInFlight?: number;
  /** Start the agents (default true); false returns them stopped. */
  start?: boolean;
  /** Where problems are logged (default: stderr). */
  log?: (message: string, err?: unknown) => void;
}

export interface SimulatedNodePool {
  readonly agents: readonly NodeAgent[];
  /** The agent of a node name. */
  agent(name: string): NodeAgent | undefined;
  readonly podInformer: SharedInformer<PodObject>;
  readonly nodeInformer: SharedInformer<NodeObject>;
  /** The pool's request limiter (queue lengths for metrics). */
  readonly transport: LimitedTransport;
  /** Stops every agent (nodes stay registered), the informers and the runtimes. */
  shutdown(): Promise<void>;
}

/** The fake InternalIP of the index-th simulated node: 172.18.0.2, 172.18.0.3, ... (172.16.0.0/12). */
export function simulatedNodeIP(index: number): string {
  return formatIPv4(parseIPv4('172.18.0.2') + (index % (1 << 20)));
}

async function inBatches<T>(items: readonly T[], size: number, fn: (t: T) => Promise<void>): Promise<void> {
  let next = 0;
  const runners = Array.from({ length: Math.min(size, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await fn(item);
    }
  });
  await Promise.all(runners);
}

export async function startSimulatedNodes(o: SimulatedNodesOptions): Promise<SimulatedNodePool> {
  if (o.client === undefined) throw new Error('SimulatedNodesOptions.client is required');
  if (!Number.isInteger(o.count) || o.count < 0) throw new Error(`SimulatedNodesOptions.count must be a whole number >= 0, got ${String(o.count)}`);
  const prefix = o.namePrefix ?? 'kubelite-node-';
  const first = o.startIndex ?? 0;
  if (!Number.isInteger(first) || first < 0) throw new Error('SimulatedNodesOptions.startIndex must be a whole number >= 0');
  const concurrency = o.registerConcurrency ?? 50;
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new Error('SimulatedNodesOptions.registerConcurrency must be >= 1');
  const clock = o.clock ?? realClock;
  const transport = new LimitedTransport(o.client.transport, { maxInFlight: o.maxInFlight ?? 64 });
  // The caller's client stays the caller's: the pool never closes it.
  const client = new RestClient({ transport, namespace: o.client.namespace, userAgent: KUBELET_USER_AGENT });
  const log = o.log ?? ((m: string, e?: unknown) => console.error(`kubelite simulated nodes: ${m}`, e ?? ''));

  const podInformer = new SharedInformer<PodObject>({
    name: 'v1/pods (simulated nodes)',
    listerWatcher: listWatcherFor<PodObject>(client, PODS),
    clock,
    indexers: { [NODE_NAME_INDEX]: nodeNameIndexFunc },
    transform: dropManagedFields,
    onHandlerError: (e) => log('pod event handler failed', e),
  });
  const nodeInformer = new SharedInformer<NodeObject>({
    name: 'v1/nodes (simulated nodes)',
    listerWatcher: listWatcherFor<NodeObject>(client, NODES),
    clock,
    transform: dropManagedFields,
    onHandlerError: (e) => log('node event handler failed', e),
  });

  const agents: NodeAgent[] = [];
  const runtimes: SimulatedRuntime[] = [];
  const byName = new Map<string, NodeAgent>();
  for (let i = first; i < first + o.count; i++) {
    const name = `${prefix}${i}`;
    const per = typeof o.nodeOptions === 'function' ? o.nodeOptions(i, name) : (o.nodeOptions ?? {});
    const runtime = new SimulatedRuntime({ ...(o.runtimeOptions ?? {}), clock });
    const addresses: NodeAddress[] = per.addresses ?? [
      { type: 'InternalIP', address: simulatedNodeIP(i) },
      { type: 'Hostname', address: name },
    ];
    const agent = new NodeAgent({
      workers: 1,
      spreadHeartbeats: true,
      log,
      ...per,
      ...(per.podCIDR === undefined && per.podIPRange === undefined ? { podIPRange: fakePodSubnet(i) } : {}),
      ...(o.events === false && per.recorder === undefined ? { recorder: false as const } : {}),
      addresses,
      client,
      nodeName: name,
      runtime,
      clock,
      podInformer,
      nodeInformer,
    });
    agents.push(agent);
    runtimes.push(runtime);
    byName.set(name, agent);
  }

  const pool: SimulatedNodePool = {
    agents,
    agent: (name) => byName.get(name),
    podInformer,
    nodeInformer,
    transport,
    async shutdown() {
      await Promise.all(agents.map((a) => a.close()));
      await Promise.all([podInformer.stop(), nodeInformer.stop()]);
      await Promise.all(runtimes.map((r) => r.close()));
    },
  };
  if (o.start === false) return pool;
  podInformer.start();
  nodeInformer.start();
  await inBatches(agents, concurrency, (a) => a.start());
  return pool;
}
