/**
 * Compute resources as the scheduler counts them (upstream framework.Resource and
 * component-helpers resource.PodRequests): cpu in millicores, memory and
 * ephemeral-storage in bytes, the pod count, and "scalar" resources (extended
 * resources such as example.com/gpu, hugepages-*), all as plain numbers.
 */
import type { Container, Pod, Node } from 'kubernetes-types/core/v1.js';
import { quantityMilliValue, quantityValue } from '../../apimachinery/quantity.js';

/** Upstream schedutil.DefaultMilliCPURequest: 0.1 core assumed for a container without a cpu request when scoring. */
export const DEFAULT_MILLI_CPU_REQUEST = 100;
/** Upstream schedutil.DefaultMemoryRequest: 200 MiB assumed for a container without a memory request when scoring. */
export const DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024;

export interface Resource {
  milliCPU: number;
  memory: number;
  ephemeralStorage: number;
  /** Node allocatable "pods"; unused for pod requests. */
  allowedPodNumber: number;
  scalar: Record<string, number>;
}

export function emptyResource(): Resource {
  return { milliCPU: 0, memory: 0, ephemeralStorage: 0, allowedPodNumber: 0, scalar: {} };
}

export function cloneResource(r: Resource): Resource {
  return { ...r, scalar: { ...r.scalar } };
}

/**
 * True for resources counted in Resource.scalar (upstream IsScalarResourceName): extended
 * resources (a domain-prefixed name outside kubernetes.io), prefixed native resources,
 * hugepages-* and attachable-volumes-*.
 */
export function isScalarResourceName(name: string): boolean {
  if (name.startsWith('hugepages-') || name.startsWith('attachable-volumes-')) return true;
  if (!name.includes('/')) return false;
  return !name.startsWith('requests.');
}

/** An extended resource: domain-prefixed, outside the kubernetes.io namespace (upstream IsExtendedResourceName). */
export function isExtendedResourceName(name: string): boolean {
  if (!name.includes('/') || name.startsWith('requests.')) return false;
  const domain = name.slice(0, name.indexOf('/'));
  return domain !== 'kubernetes.io' && !domain.endsWith('.kubernetes.io');
}

const quantityCache = new Map<string, number>();
const milliCache = new Map<string, number>();

/** Whole units of a quantity string (bytes for memory); 0 when it does not parse. */
export function qValue(q: string | number | undefined): number {
  if (q === undefined) return 0;
  if (typeof q === 'number') return Math.ceil(q);
  let v = quantityCache.get(q);
  if (v === undefined) {
    try {
      v = quantityValue(q);
    } catch {
      v = 0;
    }
    if (quantityCache.size > 10000) quantityCache.clear();
    quantityCache.set(q, v);
  }
  return v;
}

/** Thousandths of a quantity string (millicores for cpu); 0 when it does not parse. */
export function qMilli(q: string | number | undefined): number {
  if (q === undefined) return 0;
  if (typeof q === 'number') return Math.ceil(q * 1000);
  let v = milliCache.get(q);
  if (v === undefined) {
    try {
      v = quantityMilliValue(q);
    } catch {
      v = 0;
    }
    if (milliCache.size > 10000) milliCache.clear();
    milliCache.set(q, v);
  }
  return v;
}

export type ResourceList = Readonly<Record<string, string | number>>;

/** Adds a ResourceList (cpu, memory, pods, ephemeral-storage, scalar names) into r. */
export function addResourceList(r: Resource, rl: ResourceList | undefined): void {
  if (rl === undefined) return;
  for (const [name, q] of Object.entries(rl)) {
    switch (name) {
      case 'cpu':
        r.milliCPU += qMilli(q);
        break;
      case 'memory':
        r.memory += qValue(q);
        break;
      case 'pods':
        r.allowedPodNumber += qValue(q);
        break;
      case 'ephemeral-storage':
        r.ephemeralStorage += qValue(q);
        break;
      default:
        if (isScalarResourceName(name)) r.scalar[name] = (r.scalar[name] ?? 0) + qValue(q);
    }
  }
}

/** The node's allocatable resources (status.allocatable, falling back to capacity as the kubelet would report it). */
export function nodeAllocatable(node: Node): Resource {
  const r = emptyResource();
  addResourceList(r, (node.status?.allocatable ?? node.status?.capacity) as ResourceList | undefined);
  return r;
}

function addInto(a: Resource, b: Resource, sign = 1): void {
  a.milliCPU += sign * b.milliCPU;
  a.memory += sign * b.memory;
  a.ephemeralStorage += sign * b.ephemeralStorage;
  for (const [k, v] of Object.entries(b.scalar)) a.scalar[k] = (a.scalar[k] ?? 0) + sign * v;
}

function maxInto(a: Resource, b: Resource): void {
  a.milliCPU = Math.max(a.milliCPU, b.milliCPU);
  a.memory = Math.max(a.memory, b.memory);
  a.ephemeralStorage = Math.max(a.ephemeralStorage, b.ephemeralStorage);
  for (const [k, v] of Object.entries(b.scalar)) a.scalar[k] = Math.max(a.scalar[k] ?? 0, v);
}

function containerRequests(c: Container, nonZero: boolean): Resource {
  const r = emptyResource();
  const req = c.resources?.requests as ResourceList | undefined;
  addResourceList(r, req);
  if (nonZero) {
    if (req?.['cpu'] === undefined) r.milliCPU = DEFAULT_MILLI_CPU_REQUEST;
    if (req?.['memory'] === undefined) r.memory = DEFAULT_MEMORY_REQUEST;
  }
  return r;
}

/**
 * The pod's effective request (upstream resource.PodRequests): the sum of the regular
 * containers and of the restartable (sidecar, restartPolicy Always) init containers,
 * or the largest need of any init container while it runs (alongside the sidecars
 * started before it), whichever is larger per resource; plus spec.overhead.
 *
 * nonZero applies the scorer's defaults (100m cpu, 200Mi memory) to every container
 * that requests nothing for cpu or memory (upstream NonMissingContainerRequests).
 */
export function podRequests(pod: Pod, nonZero = false): Resource {
  const spec = pod.spec;
  const reqs = emptyResource();
  if (spec === undefined) return reqs;
  for (const c of spec.containers ?? []) addInto(reqs, containerRequests(c, nonZero));
  const restartable = emptyResource();
  const initMax = emptyResource();
  for (const c of spec.initContainers ?? []) {
    const cr = containerRequests(c, nonZero);
    if (c.restartPolicy === 'Always') {
      addInto(reqs, cr);
      addInto(restartable, cr);
      maxInto(initMax, restartable);
    } else {
      const running = cloneResource(cr);
      addInto(running, restartable);
      maxInto(initMax, running);
    }
  }
  maxInto(reqs, initMax);
  addResourceList(reqs, spec.overhead as ResourceList | undefined);
  return reqs;
}

/** The request of one named resource (cpu in millicores, others in units), as the scorers read it. */
export function resourceOf(r: Resource, name: string): number {
  switch (name) {
    case 'cpu':
      return r.milliCPU;
    case 'memory':
      return r.memory;
    case 'ephemeral-storage':
      return r.ephemeralStorage;
    case 'pods':
      return r.allowedPodNumber;
    default:
      return r.scalar[name] ?? 0;
  }
}

export function addResource(a: Resource, b: Resource): void {
  addInto(a, b, 1);
}

export function subResource(a: Resource, b: Resource): void {
  addInto(a, b, -1);
}
