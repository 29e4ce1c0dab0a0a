/**
 * NodeAgent options: one object, validated, defaults filled (upstream KubeletConfiguration
 * defaults where they exist). Errors name the option: "NodeAgentOptions.capacity.cpu: ...".
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { release } from 'node:os';
import type { NodeAddress, NodeSystemInfo, Taint } from 'kubernetes-types/core/v1.js';
import { canonicalQuantity, quantityError } from '../apimachinery/quantity.js';
import type { EventRecorder } from '../client/events.js';
import type { SharedInformer } from '../client/informer.js';
import type { RestClient } from '../client/rest.js';
import { defaultKubernetesUserAgent, KUBELET } from '../client/useragent.js';
import { parseCIDR } from '../util/cidr.js';
import { realClock, type Clock } from '../util/clock.js';
import { machineIdentity, type NodeConfig } from './nodestatus.js';
import { fakePodSubnet, nodeNameIndex } from './podips.js';
import type { RestartBackoffOptions } from './restartbackoff.js';
import { runtimeVersionString, type ContainerRuntime } from './runtime/interface.js';
import { KUBELET_VERSION, type NodeObject, type PodObject } from './types.js';

/**
 * What a kubelet sends as User-Agent (client-go's default for the kubelet binary), so
 * the API server records its writes (node status, pod status, leases) under the field
 * manager "kubelet".
 */
export const KUBELET_USER_AGENT = defaultKubernetesUserAgent(KUBELET);

export interface NodeAgentOptions {
  /** Used with the kubelet's User-Agent, whatever agent the caller's client sends. */
  client: RestClient;
  nodeName: string;
  runtime: ContainerRuntime;
  clock?: Clock;
  /** Default { cpu: '4', memory: '8Gi', pods: '110', 'ephemeral-storage': '100Gi' }. */
  capacity?: Record<string, string>;
  /** Default: capacity. */
  allocatable?: Record<string, string>;
  /** Extra node labels (the kubelet's own labels are always set). */
  labels?: Record<string, string>;
  /** Taints to register with (upstream --register-with-taints). */
  taints?: Taint[];
  /** spec.podCIDR(s); pod IPs come from it. */
  podCIDR?: string;
  /** Where pod IPs come from without a podCIDR (default: a fake /24 in 10.244-10.255 chosen by node name). */
  podIPRange?: string;
  /** Default [InternalIP 127.0.0.1, Hostname <nodeName>]. */
  addresses?: NodeAddress[];
  /** How often the node status is computed and, when changed, posted (10 s). */
  nodeStatusUpdateFrequencyMs?: number;
  /** Post the status at least this often even when unchanged (5 min). */
  nodeStatusReportFrequencyMs?: number;
  /** The node Lease's duration (40 s). */
  leaseDurationSeconds?: number;
  /** Lease renewal period (a quarter of the duration: 10 s). */
  renewIntervalMs?: number;
  /** Label the node node-role.kubernetes.io/control-plane. */
  controlPlane?: boolean;
  /** A shared pod informer (all pods, or pods of several nodes); default: the agent's own, spec.nodeName=<node>. */
  podInformer?: SharedInformer<PodObject>;
  /** A shared node informer; default: the agent's own, metadata.name=<node>. */
  nodeInformer?: SharedInformer<NodeObject>;
  /** Events: a recorder, false for none; default: a recorder of the agent's own. */
  recorder?: EventRecorder | false;
  /** Overrides of status.nodeInfo fields. */
  nodeInfo?: Partial<NodeSystemInfo>;
  /** CrashLoopBackOff (10 s doubling to 5 min). */
  restartBackoff?: Partial<RestartBackoffOptions>;
  /** Pod syncs run at once (2). */
  workers?: number;
  /**
   * Start the periodic heartbeats at a random phase (lease renewal, status tick and the
   * 5-min status report), as nodes booted at different times would have. Default false;
   * pools of simulated nodes set it so N nodes do not all write in the same instant.
   */
  spreadHeartbeats?: boolean;
  random?: () => number;
  /** Problems the agent logs (default: stderr). */
  log?: (message: string, err?: unknown) => void;
}

export const DEFAULT_CAPACITY: Readonly<Record<string, string>> = { cpu: '4', memory: '8Gi', pods: '110', 'ephemeral-storage': '100Gi' };

export interface ResolvedNodeAgentOptions {
  client: RestClient;
  nodeName: string;
  runtime: ContainerRuntime;
  clock: Clock;
  node: NodeConfig;
  hostIP: string;
  podIPRange: string;
  nodeStatusUpdateFrequencyMs: number;
  nodeStatusReportFrequencyMs: number;
  leaseDurationSeconds: number;
  renewIntervalMs: number;
  podInformer: SharedInformer<PodObject> | undefined;
  nodeInformer: SharedInformer<NodeObject> | undefined;
  recorder: EventRecorder | false | undefined;
  restartBackoff: Partial<RestartBackoffOptions>;
  workers: number;
  spreadHeartbeats: boolean;
  random: () => number;
  log: (message: string, err?: unknown) => void;
}

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];
const ADDRESS_TYPES = ['Hostname', 'InternalIP', 'ExternalIP', 'InternalDNS', 'ExternalDNS'];

let osImageCache: string | undefined;

/** PRETTY_NAME from /etc/os-release (read once per process), else "Linux". */
export function hostOSImage(): string {
  if (osImageCache !== undefined) return osImageCache;
  try {
    const m = /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(readFileSync('/etc/os-release', 'utf8'));
    osImageCache = m?.[1] ?? 'Linux';
  } catch {
    osImageCache = 'Linux';
  }
  return osImageCache;
}

/** GOARCH of this process's architecture (amd64 unless known otherwise). */
export function goArch(arch: string = process.arch): string {
  switch (arch) {
    case 'arm64':
      return 'arm64';
    case 'arm':
      return 'arm';
    case 'ppc64':
      return 'ppc64le';
    case 's390x':
      return 's390x';
    case 'riscv64':
      return 'riscv64';
    default:
      return 'amd64';
  }
}

function fail(field: string, msg: string): never {
  throw new Error(`NodeAgentOptions.${field}: ${msg}`);
}

function positive(field: string, v: number | undefined, dflt: number): number {
  const n = v ?? dflt;
  if (typeof n !== 'number' || !Number.isFinite(n) || n <= 0) fail(field, `must be a positive number, got ${String(v)}`);
  return n;
}

function resources(field: string, v: Record<string, string> | undefined, dflt: Readonly<Record<string, string>>): Record<string, string> {
  const src = v ?? dflt;
  if (typeof src !== 'object' || src === null) fail(field, 'must be an object of quantities');
  const out: Record<string, string> = {};
  for (const [k, q] of Object.entries(src)) {
    if (typeof q !== 'string' && typeof q !== 'number') fail(`${field}.${k}`, `must be a quantity, got ${JSON.stringify(q)}`);
    const err = quantityError(String(q));
    if (err !== undefined) fail(`${field}.${k}`, err.message);
    out[k] = canonicalQuantity(String(q));
  }
  return out;
}

export function validateNodeAgentOptions(o: NodeAgentOptions): ResolvedNodeAgentOptions {
  if (o === undefined || o === null) throw new Error('NodeAgentOptions are required');
  if (o.client === undefined) fail('client', 'is required');
  if (o.runtime === undefined) fail('runtime', 'is required');
  const name = o.nodeName;
  if (typeof name !== 'string' || name.length === 0 || name.length > 253 || !DNS_SUBDOMAIN.test(name)) {
    fail('nodeName', `must be a lowercase RFC 1123 subdomain, got ${JSON.stringify(name)}`);
  }
  const capacity = resources('capacity', o.capacity, DEFAULT_CAPACITY);
  const allocatable = resources('allocatable', o.allocatable, capacity);
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(o.labels ?? {})) {
    if (typeof k !== 'string' || k === '' || typeof v !== 'string') fail(`labels.${k}`, 'must map a key to a string');
    labels[k] = v;
  }
  const taints = (o.taints ?? []).map((t, i) => {
    if (typeof t?.key !== 'string' || t.key === '') fail(`taints[${i}].key`, 'is required');
    if (!TAINT_EFFECTS.includes(t.effect)) fail(`taints[${i}].effect`, `must be one of ${TAINT_EFFECTS.join(', ')}, got ${JSON.stringify(t.effect)}`);
    return { ...t };
  });
  let podCIDR: string | undefined;
  if (o.podCIDR !== undefined) {
    try {
      parseCIDR(o.podCIDR);
    } catch (e) {
      fail('podCIDR', (e as Error).message);
    }
    podCIDR = o.podCIDR;
  }
  let podIPRange = podCIDR ?? o.podIPRange ?? fakePodSubnet(nodeNameIndex(name));
  try {
    parseCIDR(podIPRange);
  } catch (e) {
    fail('podIPRange', (e as Error).message);
  }
  podIPRange = podIPRange.trim();
  const addresses = (o.addresses ?? [
    { type: 'InternalIP', address: '127.0.0.1' },
    { type: 'Hostname', address: name },
  ]).map((a, i) => {
    if (!ADDRESS_TYPES.includes(a?.type)) fail(`addresses[${i}].type`, `must be one of ${ADDRESS_TYPES.join(', ')}`);
    if (typeof a.address !== 'string' || a.address === '') fail(`addresses[${i}].address`, 'is required');
    return { type: a.type, address: a.address };
  });
  const hostIP = addresses.find((a) => a.type === 'InternalIP')?.address ?? addresses.find((a) => a.type === 'ExternalIP')?.address;
  if (hostIP === undefined) fail('addresses', 'need an InternalIP or ExternalIP');
  const nodeStatusUpdateFrequencyMs = positive('nodeStatusUpdateFrequencyMs', o.nodeStatusUpdateFrequencyMs, 10_000);
  const nodeStatusReportFrequencyMs = positive('nodeStatusReportFrequencyMs', o.nodeStatusReportFrequencyMs, 300_000);
  const leaseDurationSeconds = positive('leaseDurationSeconds', o.leaseDurationSeconds, 40);
  if (!Number.isInteger(leaseDurationSeconds)) fail('leaseDurationSeconds', 'must be a whole number of seconds');
  const renewIntervalMs = positive('renewIntervalMs', o.renewIntervalMs, leaseDurationSeconds * 250);
  if (renewIntervalMs >= leaseDurationSeconds * 1000) fail('renewIntervalMs', `must be shorter than the lease duration (${leaseDurationSeconds} s)`);
  const workers = positive('workers', o.workers, 2);
  if (!Number.isInteger(workers)) fail('workers', 'must be a whole number');
  const id = machineIdentity(name);
  const nodeInfo: NodeSystemInfo = {
    machineID: id.machineID,
    systemUUID: id.systemUUID,
    bootID: randomUUID(),
    kernelVersion: release(),
    osImage: hostOSImage(),
    containerRuntimeVersion: runtimeVersionString(o.runtime.info),
    kubeletVersion: KUBELET_VERSION,
    kubeProxyVersion: '',
    operatingSystem: 'linux',
    architecture: goArch(),
    ...(o.nodeInfo ?? {}),
  };
  if (nodeInfo.kubeProxyVersion === '') delete (nodeInfo as Partial<NodeSystemInfo>).kubeProxyVersion;
  return {
    client: o.client.userAgent === KUBELET_USER_AGENT ? o.client : o.client.withUserAgent(KUBELET_USER_AGENT),
    nodeName: name,
    runtime: o.runtime,
    clock: o.clock ?? realClock,
    node: { nodeName: name, capacity, allocatable, labels, taints, ...(podCIDR !== undefined ? { podCIDR } : {}), addresses, controlPlane: o.controlPlane === true, nodeInfo },
    hostIP,
    podIPRange,
    nodeStatusUpdateFrequencyMs,
    nodeStatusReportFrequencyMs,
    leaseDurationSeconds,
    renewIntervalMs,
    podInformer: o.podInformer,
    nodeInformer: o.nodeInformer,
    recorder: o.recorder,
    restartBackoff: o.restartBackoff ?? {},
    workers,
    spreadHeartbeats: o.spreadHeartbeats === true,
    random: o.random ?? Math.random,
    log: o.log ?? ((m, e) => console.error(`kubelite node ${name}: ${m}`, e ?? '')),
  };
}
