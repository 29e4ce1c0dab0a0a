/**
 * Node-level aggregate the filters and scorers read (upstream framework.NodeInfo): the
 * node, the pods on it (bound or assumed), their summed requests, the host ports they
 * hold, and the subsets of pods with (anti-)affinity.
 */
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { PodInfo } from './podinfo.js';
import { addResource, cloneResource, emptyResource, nodeAllocatable, subResource, type Resource } from './resource.js';
import { podUID } from './helpers.js';

let generationCounter = 0;

/** Monotonic across all NodeInfos, so a node deleted and re-added never reuses a generation. */
export function nextGeneration(): number {
  return ++generationCounter;
}

export interface HostPort {
  hostIP: string;
  protocol: string;
  port: number;
}

const DEFAULT_BIND_ALL = '0.0.0.0';

function sanitize(ip: string | undefined, protocol: string | undefined): [string, string] {
  return [ip === undefined || ip === '' ? DEFAULT_BIND_ALL : ip, protocol === undefined || protocol === '' ? 'TCP' : protocol];
}

/** Host ports in use on a node: IP -> set of "PROTOCOL/port" (upstream HostPortInfo). */
export class HostPortInfo {
  private readonly byIP = new Map<string, Map<string, number>>();

  add(ip: string | undefined, protocol: string | undefined, port: number): void {
    if (port <= 0) return;
    const [i, p] = sanitize(ip, protocol);
    let m = this.byIP.get(i);
    if (m === undefined) this.byIP.set(i, (m = new Map()));
    const k = `${p}/${port}`;
    m.set(k, (m.get(k) ?? 0) + 1);
  }

  remove(ip: string | undefined, protocol: string | undefined, port: number): void {
    if (port <= 0) return;
    const [i, p] = sanitize(ip, protocol);
    const m = this.byIP.get(i);
    if (m === undefined) return;
    const k = `${p}/${port}`;
    const n = (m.get(k) ?? 0) - 1;
    if (n > 0) m.set(k, n);
    else m.delete(k);
    if (m.size === 0) this.byIP.delete(i);
  }

  /** 0.0.0.0 conflicts with the same protocol/port on any IP; a specific IP with itself and 0.0.0.0. */
  checkConflict(ip: string | undefined, protocol: string | undefined, port: number): boolean {
    if (port <= 0) return false;
    const [i, p] = sanitize(ip, protocol);
    const k = `${p}/${port}`;
    if (i === DEFAULT_BIND_ALL) {
      for (const m of this.byIP.values()) if (m.has(k)) return true;
      return false;
    }
    return (this.byIP.get(i)?.has(k) ?? false) || (this.byIP.get(DEFAULT_BIND_ALL)?.has(k) ?? false);
  }

  get size(): number {
    let n = 0;
    for (const m of this.byIP.values()) n += m.size;
    return n;
  }

  clone(): HostPortInfo {
    const c = new HostPortInfo();
    for (const [ip, m] of this.byIP) c.byIP.set(ip, new Map(m));
    return c;
  }
}

/** The host ports a pod asks for (containers' ports with hostPort > 0; upstream GetHostPorts). */
export function podHostPorts(pod: Pod): HostPort[] {
  const out: HostPort[] = [];
  for (const c of pod.spec?.containers ?? []) {
    for (const p of c.ports ?? []) {
      if (p.hostPort === undefined || p.hostPort <= 0) continue;
      out.push({ hostIP: p.hostIP ?? '', protocol: p.protocol ?? 'TCP', port: p.hostPort });
    }
  }
  return out;
}

export class NodeInfo {
  node: Node | undefined;
  pods: PodInfo[] = [];
  podsWithAffinity: PodInfo[] = [];
  podsWithRequiredAntiAffinity: PodInfo[] = [];
  usedPorts = new HostPortInfo();
  /** Sum of the pods' requests (bound and assumed). */
  requested: Resource = emptyResource();
  /** The same with the scorer's non-zero cpu/memory defaults per container. */
  nonZeroRequested: Resource = emptyResource();
  allocatable: Resource = emptyResource();
  generation = nextGeneration();

  constructor(node?: Node, pods: readonly (Pod | PodInfo)[] = []) {
    if (node !== undefined) this.setNode(node);
    for (const p of pods) this.addPod(p);
  }

  get name(): string {
    return this.node?.metadata?.name ?? '';
  }

  setNode(node: Node): void {
    this.node = node;
    this.allocatable = nodeAllocatable(node);
    this.generation = nextGeneration();
  }

  removeNode(): void {
    this.node = undefined;
    this.generation = nextGeneration();
  }

  addPod(p: Pod | PodInfo): PodInfo {
    const pi = p instanceof PodInfo ? p : new PodInfo(p);
    this.pods.push(pi);
    if (pi.hasAffinity) this.podsWithAffinity.push(pi);
    if (pi.hasRequiredAntiAffinity) this.podsWithRequiredAntiAffinity.push(pi);
    this.update(pi, 1);
    return pi;
  }

  /** Removes the pod with the same UID; false when it is not on this node. */
  removePod(pod: Pod): boolean {
    const uid = podUID(pod);
    const idx = this.pods.findIndex((pi) => podUID(pi.pod) === uid);
    if (idx < 0) return false;
    const pi = this.pods[idx] as PodInfo;
    this.pods.splice(idx, 1);
    const drop = (list: PodInfo[]): void => {
      const i = list.indexOf(pi);
      if (i >= 0) list.splice(i, 1);
    };
    drop(this.podsWithAffinity);
    drop(this.podsWithRequiredAntiAffinity);
    this.update(pi, -1);
    return true;
  }

  private update(pi: PodInfo, sign: 1 | -1): void {
    if (sign > 0) {
      addResource(this.requested, pi.requests);
    } else {
      subResource(this.requested, pi.requests);
    }
    const nz = pi.nonZeroRequests;
    this.nonZeroRequested.milliCPU += sign * nz.milliCPU;
    this.nonZeroRequested.memory += sign * nz.memory;
    for (const hp of podHostPorts(pi.pod)) {
      if (sign > 0) this.usedPorts.add(hp.hostIP, hp.protocol, hp.port);
      else this.usedPorts.remove(hp.hostIP, hp.protocol, hp.port);
    }
    this.generation = nextGeneration();
  }

  /** A copy whose lists, counters and ports can be changed without touching this one (upstream Snapshot()). */
  clone(): NodeInfo {
    const c = Object.create(NodeInfo.prototype) as NodeInfo;
    c.node = this.node;
    c.pods = this.pods.slice();
    c.podsWithAffinity = this.podsWithAffinity.slice();
    c.podsWithRequiredAntiAffinity = this.podsWithRequiredAntiAffinity.slice();
    c.usedPorts = this.usedPorts.clone();
    c.requested = cloneResource(this.requested);
    c.nonZeroRequested = cloneResource(this.nonZeroRequested);
    c.allocatable = cloneResource(this.allocatable);
    c.generation = this.generation;
    return c;
  }
}
