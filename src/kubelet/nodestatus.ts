/**
 * The Node object the agent registers and the status it reports, as upstream's
 * kubelet_node_status.go + nodestatus/setters.go:
 *
 *   labels      kubernetes.io/hostname, kubernetes.io/os, kubernetes.io/arch,
 *               beta.kubernetes.io/os, beta.kubernetes.io/arch (+ the node's own), and
 *               node-role.kubernetes.io/control-plane="" on a control-plane node
 *   spec        podCIDR/podCIDRs when given, taints
 *   status      capacity, allocatable, addresses (InternalIP, Hostname), nodeInfo,
 *               daemonEndpoints (kubelet port 10250) and the conditions, in upstream's
 *               order with Ready last:
 *                 MemoryPressure False KubeletHasSufficientMemory "kubelet has sufficient memory available"
 *                 DiskPressure   False KubeletHasNoDiskPressure   "kubelet has no disk pressure"
 *                 PIDPressure    False KubeletHasSufficientPID    "kubelet has sufficient PID available"
 *                 Ready          True  KubeletReady               "kubelet is posting ready status"
 *
 * lastHeartbeatTime is "now" on every report; lastTransitionTime moves only when a
 * condition's status changes. Conditions of other components (NetworkUnavailable, ...)
 * are kept in place.
 */
import { createHash } from 'node:crypto';
import type { Node, NodeAddress, NodeCondition, NodeStatus, NodeSystemInfo, Taint } from 'kubernetes-types/core/v1.js';
import { rfc3339 } from '../util/clock.js';
import type { NodeObject } from './types.js';

export const LABEL_HOSTNAME = 'kubernetes.io/hostname';
export const LABEL_OS = 'kubernetes.io/os';
export const LABEL_ARCH = 'kubernetes.io/arch';
export const LABEL_BETA_OS = 'beta.kubernetes.io/os';
export const LABEL_BETA_ARCH = 'beta.kubernetes.io/arch';
export const LABEL_CONTROL_PLANE = 'node-role.kubernetes.io/control-plane';
export const ANNOTATION_CMAD = 'volumes.kubernetes.io/controller-managed-attach-detach';
export const KUBELET_PORT = 10250;

/** Everything about a node the agent reports (resolved options). */
export interface NodeConfig {
  nodeName: string;
  capacity: Record<string, string>;
  allocatable: Record<string, string>;
  labels: Record<string, string>;
  taints: Taint[];
  podCIDR?: string;
  addresses: NodeAddress[];
  controlPlane: boolean;
  nodeInfo: NodeSystemInfo;
}

/** The health the agent reports; all fine for a simulated node. */
export interface NodeHealth {
  memoryPressure: boolean;
  diskPressure: boolean;
  pidPressure: boolean;
  /** Reasons the node is not ready (runtime down, ...); empty when ready. */
  notReady: string[];
}

export const HEALTHY: Readonly<NodeHealth> = { memoryPressure: false, diskPressure: false, pidPressure: false, notReady: [] };

/** A node event the status change calls for (upstream recordNodeStatusEvent). */
export interface NodeStatusEvent {
  type: 'Normal' | 'Warning';
  reason: string;
}

/** A stable machine identity derived from the node name (machineID: 32 hex; systemUUID: a UUID). */
export function machineIdentity(nodeName: string): { machineID: string; systemUUID: string } {
  const h = createHash('sha256').update(`kubelite-node:${nodeName}`).digest('hex');
  const u = h.slice(32, 64);
  return { machineID: h.slice(0, 32), systemUUID: `${u.slice(0, 8)}-${u.slice(8, 12)}-${u.slice(12, 16)}-${u.slice(16, 20)}-${u.slice(20, 32)}` };
}

/** The labels the kubelet owns on its node (upstream updateDefaultLabels + the control-plane role). */
export function defaultNodeLabels(cfg: Pick<NodeConfig, 'nodeName' | 'controlPlane' | 'nodeInfo'>): Record<string, string> {
  const hostname = cfg.nodeName;
  const out: Record<string, string> = {
    [LABEL_BETA_ARCH]: cfg.nodeInfo.architecture,
    [LABEL_BETA_OS]: cfg.nodeInfo.operatingSystem,
    [LABEL_ARCH]: cfg.nodeInfo.architecture,
    [LABEL_HOSTNAME]: hostname,
    [LABEL_OS]: cfg.nodeInfo.operatingSystem,
  };
  if (cfg.controlPlane) out[LABEL_CONTROL_PLANE] = '';
  return out;
}

/** The Node to create on first registration (upstream initialNode + setNodeStatus). */
export function initialNode(cfg: NodeConfig, now: number, health: NodeHealth = HEALTHY): NodeObject {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: cfg.nodeName,
      labels: { ...cfg.labels, ...defaultNodeLabels(cfg) },
      annotations: { [ANNOTATION_CMAD]: 'true' },
    },
    spec: {
      ...(cfg.podCIDR !== undefined ? { podCIDR: cfg.podCIDR, podCIDRs: [cfg.podCIDR] } : {}),
      ...(cfg.taints.length > 0 ? { taints: cfg.taints.map((t) => ({ ...t })) } : {}),
    },
    status: desiredNodeStatus(cfg, undefined, now, health).status,
  };
}

/**
 * What must change on an existing Node object at (re-)registration: the default
 * labels, the attach/detach annotation, and podCIDR when the node has none yet.
 * Returns the updated copy, or undefined when nothing needs to change.
 */
export function reconcileExistingNode(existing: Node, cfg: NodeConfig): NodeObject | undefined {
  const next = structuredClone(existing) as NodeObject;
  const meta = (next.metadata ??= {});
  let changed = false;
  const labels = (meta.labels ??= {});
  for (const [k, v] of Object.entries(defaultNodeLabels(cfg))) {
    if (labels[k] !== v) {
      labels[k] = v;
      changed = true;
    }
  }
  const ann = (meta.annotations ??= {});
  if (ann[ANNOTATION_CMAD] !== 'true') {
    ann[ANNOTATION_CMAD] = 'true';
    changed = true;
  }
  const spec = (next.spec ??= {});
  if (cfg.podCIDR !== undefined && (spec.podCIDR === undefined || spec.podCIDR === '')) {
    spec.podCIDR = cfg.podCIDR;
    spec.podCIDRs = [cfg.podCIDR];
    changed = true;
  }
  return changed ? next : undefined;
}

function condition(type: string, status: 'True' | 'False', reason: string, message: string): Omit<NodeCondition, 'lastHeartbeatTime' | 'lastTransitionTime'> {
  return { type, status, reason, message };
}

function pressure(type: string, on: boolean, yes: [string, string], no: [string, string]): ReturnType<typeof condition> {
  return on ? condition(type, 'True', yes[0], yes[1]) : condition(type, 'False', no[0], no[1]);
}

/**
 * The status to report: existing status (kept for fields the agent does not own)
 * overlaid with capacity, allocatable, addresses, nodeInfo, daemonEndpoints and the
 * four conditions. Returns the events upstream records for condition transitions.
 */
export function desiredNodeStatus(cfg: NodeConfig, existing: NodeStatus | undefined, now: number, health: NodeHealth = HEALTHY): { status: NodeStatus; events: NodeStatusEvent[] } {
  const t = rfc3339(now);
  const status: NodeStatus = existing !== undefined ? structuredClone(existing) : {};
  status.capacity = { ...cfg.capacity };
  status.allocatable = { ...cfg.allocatable };
  status.addresses = cfg.addresses.map((a) => ({ ...a }));
  status.daemonEndpoints = { kubeletEndpoint: { Port: KUBELET_PORT } };
  status.nodeInfo = { ...cfg.nodeInfo };
  const events: NodeStatusEvent[] = [];
  const wanted = [
    { c: pressure('MemoryPressure', health.memoryPressure, ['KubeletHasInsufficientMemory', 'kubelet has insufficient memory available'], ['KubeletHasSufficientMemory', 'kubelet has sufficient memory available']), ev: health.memoryPressure ? 'NodeHasInsufficientMemory' : 'NodeHasSufficientMemory' },
    { c: pressure('DiskPressure', health.diskPressure, ['KubeletHasDiskPressure', 'kubelet has disk pressure'], ['KubeletHasNoDiskPressure', 'kubelet has no disk pressure']), ev: health.diskPressure ? 'NodeHasDiskPressure' : 'NodeHasNoDiskPressure' },
    { c: pressure('PIDPressure', health.pidPressure, ['KubeletHasInsufficientPID', 'kubelet has insufficient PID available'], ['KubeletHasSufficientPID', 'kubelet has sufficient PID available']), ev: health.pidPressure ? 'NodeHasInsufficientPID' : 'NodeHasSufficientPID' },
    {
      c: health.notReady.length > 0 ? condition('Ready', 'False', 'KubeletNotReady', health.notReady.join(',')) : condition('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
      ev: health.notReady.length > 0 ? 'NodeNotReady' : 'NodeReady',
    },
  ];
  const conditions: NodeCondition[] = [...(status.conditions ?? [])];
  for (const { c, ev } of wanted) {
    const i = conditions.findIndex((x) => x.type === c.type);
    const old = i >= 0 ? conditions[i] : undefined;
    const sameStatus = old !== undefined && old.status === c.status;
    const next: NodeCondition = { ...c, lastHeartbeatTime: t, lastTransitionTime: sameStatus && old.lastTransitionTime !== undefined ? old.lastTransitionTime : t };
    if (!sameStatus) {
      // Upstream records the pressure events whenever the status changes (incl. from none), Ready only on a change of an existing one.
      if (c.type !== 'Ready' || old !== undefined) events.push({ type: 'Normal', reason: ev });
    }
    if (i >= 0) conditions[i] = next;
    else conditions.push(next);
  }
  // Ready last, as upstream keeps it.
  const ri = conditions.findIndex((x) => x.type === 'Ready');
  if (ri >= 0 && ri !== conditions.length - 1) conditions.push(...conditions.splice(ri, 1));
  status.conditions = conditions;
  return { status, events };
}

function withoutHeartbeats(s: NodeStatus | undefined): unknown {
  if (s === undefined) return undefined;
  return { ...s, conditions: (s.conditions ?? []).map((c) => ({ ...c, lastHeartbeatTime: undefined })) };
}

/** Whether two statuses differ in anything but lastHeartbeatTime (upstream nodeStatusHasChanged). */
export function nodeStatusChanged(a: NodeStatus | undefined, b: NodeStatus | undefined): boolean {
  return !jsonEqual(withoutHeartbeats(a), withoutHeartbeats(b));
}

/** Structural equality of JSON values (key order ignored, undefined members dropped). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return a === b || (a === undefined && b === undefined);
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    if (a.length !== bb.length) return false;
    for (let i = 0; i < a.length; i++) if (!jsonEqual(a[i], bb[i])) return false;
    return true;
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const ak = Object.keys(ao).filter((k) => ao[k] !== undefined);
  const bk = Object.keys(bo).filter((k) => bo[k] !== undefined);
  if (ak.length !== bk.length) return false;
  for (const k of ak) if (!jsonEqual(ao[k], bo[k])) return false;
  return true;
}
