/**
 * Shared scoring machinery of NodeResourcesFit and NodeResourcesBalancedAllocation
 * (upstream noderesources/resource_allocation.go, least_allocated.go, most_allocated.go).
 */
import type { Pod } from 'kubernetes-types/core/v1.js';
import { idiv, MAX_NODE_SCORE } from '../../framework/helpers.js';
import type { NodeInfo } from '../../framework/nodeinfo.js';
import { isScalarResourceName, podRequests, resourceOf } from '../../framework/resource.js';

export interface ResourceSpec {
  name: string;
  weight: number;
}

/** cpu and memory, weight 1 each: the default resources of both scorers. */
export const DEFAULT_RESOURCES: readonly ResourceSpec[] = [
  { name: 'cpu', weight: 1 },
  { name: 'memory', weight: 1 },
];

export type Scorer = (requested: number[], allocatable: number[]) => number;

/**
 * The pod's request per resource. Without useRequested the scorer's non-zero defaults
 * apply to containers that request nothing (so best-effort pods still spread).
 */
export function podRequestList(pod: Pod, resources: readonly ResourceSpec[], useRequested: boolean): number[] {
  const r = podRequests(pod, !useRequested);
  return resources.map((res) => resourceOf(r, res.name));
}

/** [allocatable, requested-after-placing-the-pod] of one resource on a node; [0, 0] skips the resource. */
function allocatableAndRequested(nodeInfo: NodeInfo, resource: string, podRequest: number, useRequested: boolean): [number, number] {
  const requested = useRequested ? nodeInfo.requested : nodeInfo.nonZeroRequested;
  if (podRequest === 0 && isScalarResourceName(resource)) return [0, 0];
  switch (resource) {
    case 'cpu':
      return [nodeInfo.allocatable.milliCPU, requested.milliCPU + podRequest];
    case 'memory':
      return [nodeInfo.allocatable.memory, requested.memory + podRequest];
    case 'ephemeral-storage':
      return [nodeInfo.allocatable.ephemeralStorage, nodeInfo.requested.ephemeralStorage + podRequest];
    default: {
      const alloc = nodeInfo.allocatable.scalar[resource];
      if (alloc !== undefined) return [alloc, (nodeInfo.requested.scalar[resource] ?? 0) + podRequest];
      return [0, 0];
    }
  }
}

/** Runs a scorer over the node's resources (upstream resourceAllocationScorer.score). */
export function scoreNode(nodeInfo: NodeInfo, podReqs: readonly number[], resources: readonly ResourceSpec[], useRequested: boolean, scorer: Scorer): number {
  const requested = new Array<number>(resources.length).fill(0);
  const allocatable = new Array<number>(resources.length).fill(0);
  for (let i = 0; i < resources.length; i++) {
    const [alloc, req] = allocatableAndRequested(nodeInfo, (resources[i] as ResourceSpec).name, podReqs[i] ?? 0, useRequested);
    if (alloc === 0) continue;
    allocatable[i] = alloc;
    requested[i] = req;
  }
  return scorer(requested, allocatable);
}

/** (capacity - requested) * 100 / capacity, 0 when over capacity. */
export function leastRequestedScore(requested: number, capacity: number): number {
  if (capacity === 0 || requested > capacity) return 0;
  return idiv((capacity - requested) * MAX_NODE_SCORE, capacity);
}

/** requested * 100 / capacity, requested capped at capacity. */
export function mostRequestedScore(requested: number, capacity: number): number {
  if (capacity === 0) return 0;
  if (requested > capacity) requested = capacity;
  return idiv(requested * MAX_NODE_SCORE, capacity);
}

function weightedScorer(resources: readonly ResourceSpec[], f: (req: number, cap: number) => number): Scorer {
  return (requested, allocatable) => {
    let nodeScore = 0;
    let weightSum = 0;
    for (let i = 0; i < requested.length; i++) {
      const cap = allocatable[i] ?? 0;
      if (cap === 0) continue;
      const w = (resources[i] as ResourceSpec).weight;
      nodeScore += f(requested[i] ?? 0, cap) * w;
      weightSum += w;
    }
    if (weightSum === 0) return 0;
    return idiv(nodeScore, weightSum);
  };
}

export const leastAllocatedScorer = (resources: readonly ResourceSpec[]): Scorer => weightedScorer(resources, leastRequestedScore);
export const mostAllocatedScorer = (resources: readonly ResourceSpec[]): Scorer => weightedScorer(resources, mostRequestedScore);

/** (1 - standard deviation of the used fractions) * 100 (upstream balancedResourceScorer). */
export function balancedResourceScorer(requested: number[], allocatable: number[]): number {
  const fractions: number[] = [];
  let total = 0;
  for (let i = 0; i < requested.length; i++) {
    const cap = allocatable[i] ?? 0;
    if (cap === 0) continue;
    let f = (requested[i] ?? 0) / cap;
    if (f > 1) f = 1;
    total += f;
    fractions.push(f);
  }
  let std = 0;
  if (fractions.length === 2) {
    std = Math.abs(((fractions[0] as number) - (fractions[1] as number)) / 2);
  } else if (fractions.length > 2) {
    const mean = total / fractions.length;
    let sum = 0;
    for (const f of fractions) sum += (f - mean) * (f - mean);
    std = Math.sqrt(sum / fractions.length);
  }
  return Math.trunc((1 - std) * MAX_NODE_SCORE);
}
