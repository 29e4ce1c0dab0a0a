/**
 * Cluster events that can make an unschedulable pod schedulable (upstream
 * framework.ClusterEvent). Plugins register the events that could resolve their own
 * rejections (EventsToRegister); the queue moves a pod out of the unschedulable pool
 * when an event arrives that one of the plugins which rejected it registered.
 *
 * Simplification of upstream's QueueingHint functions: a registered event kind always
 * means "Queue"; the per-object hint callbacks that upstream uses to skip irrelevant
 * events (e.g. a node added that is too small anyway) are not implemented.
 */
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { podRequests } from './resource.js';

export type EventResource =
  /** Any pod: matches AssignedPod and UnscheduledPod events. */
  | 'Pod'
  /** A pod bound to a node (it occupies resources and topology). */
  | 'AssignedPod'
  /** A pod waiting to be scheduled (its own spec changed). */
  | 'UnscheduledPod'
  | 'Node'
  | '*';

export const ActionType = {
  Add: 1 << 0,
  Delete: 1 << 1,
  UpdateNodeAllocatable: 1 << 2,
  UpdateNodeLabel: 1 << 3,
  UpdateNodeTaint: 1 << 4,
  UpdateNodeCondition: 1 << 5,
  UpdateNodeAnnotation: 1 << 6,
  UpdatePodLabel: 1 << 7,
  UpdatePodScaleDown: 1 << 8,
  UpdatePodToleration: 1 << 9,
  UpdatePodSchedulingGatesEliminated: 1 << 10,
  /** An update not classified more precisely. */
  UpdateOther: 1 << 11,
  Update: (1 << 2) | (1 << 3) | (1 << 4) | (1 << 5) | (1 << 6) | (1 << 7) | (1 << 8) | (1 << 9) | (1 << 10) | (1 << 11),
  All: (1 << 12) - 1,
} as const;

export interface ClusterEvent {
  resource: EventResource;
  /** Bits of ActionType. */
  actionType: number;
  /** For logs and metrics, e.g. "NodeAdd". */
  label?: string;
}

/** Pseudo-event for the periodic flush of pods that sat unschedulable too long. */
export const UNSCHEDULABLE_TIMEOUT: ClusterEvent = { resource: '*', actionType: ActionType.All, label: 'UnschedulableTimeout' };
/** Pseudo-event that moves every pod regardless of registrations. */
export const WILDCARD_EVENT: ClusterEvent = { resource: '*', actionType: ActionType.All, label: 'WildCardEvent' };

function resourceMatches(registered: EventResource, incoming: EventResource): boolean {
  if (registered === '*' || registered === incoming) return true;
  return registered === 'Pod' && (incoming === 'AssignedPod' || incoming === 'UnscheduledPod');
}

/** True when the incoming event is one the registration asked for. */
export function eventMatches(registered: ClusterEvent, incoming: ClusterEvent): boolean {
  if (registered.resource === '*' && registered.actionType === ActionType.All) return true;
  return resourceMatches(registered.resource, incoming.resource) && (registered.actionType & incoming.actionType) !== 0;
}

function sameJSON(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

function conditionStatuses(n: Node): string {
  return (n.status?.conditions ?? [])
    .map((c) => `${c.type}=${c.status}`)
    .sort()
    .join(',');
}

/**
 * The ActionType bits a node update carries (upstream nodeSchedulingPropertiesChange);
 * 0 when nothing the scheduler looks at changed (e.g. a heartbeat).
 */
export function nodeUpdateActions(oldNode: Node, newNode: Node): number {
  let a = 0;
  if (!sameJSON(oldNode.status?.allocatable, newNode.status?.allocatable)) a |= ActionType.UpdateNodeAllocatable;
  if (!sameJSON(oldNode.metadata?.labels, newNode.metadata?.labels)) a |= ActionType.UpdateNodeLabel;
  if (!sameJSON(oldNode.spec?.taints, newNode.spec?.taints) || (oldNode.spec?.unschedulable ?? false) !== (newNode.spec?.unschedulable ?? false)) {
    a |= ActionType.UpdateNodeTaint;
  }
  if (conditionStatuses(oldNode) !== conditionStatuses(newNode)) a |= ActionType.UpdateNodeCondition;
  if (!sameJSON(oldNode.metadata?.annotations, newNode.metadata?.annotations)) a |= ActionType.UpdateNodeAnnotation;
  return a;
}

/** The ActionType bits a pod update carries (upstream podSchedulingPropertiesChange); 0 for status-only changes. */
export function podUpdateActions(oldPod: Pod, newPod: Pod): number {
  let a = 0;
  if (!sameJSON(oldPod.metadata?.labels, newPod.metadata?.labels)) a |= ActionType.UpdatePodLabel;
  if (!sameJSON(oldPod.spec?.tolerations, newPod.spec?.tolerations)) a |= ActionType.UpdatePodToleration;
  if ((oldPod.spec?.schedulingGates ?? []).length > 0 && (newPod.spec?.schedulingGates ?? []).length === 0) {
    a |= ActionType.UpdatePodSchedulingGatesEliminated;
  }
  const o = podRequests(oldPod);
  const n = podRequests(newPod);
  if (n.milliCPU < o.milliCPU || n.memory < o.memory || n.ephemeralStorage < o.ephemeralStorage) a |= ActionType.UpdatePodScaleDown;
  if (a === 0 && !sameJSON(oldPod.spec, newPod.spec)) a |= ActionType.UpdateOther;
  if (a === 0 && !sameJSON(oldPod.metadata?.annotations, newPod.metadata?.annotations)) a |= ActionType.UpdateOther;
  return a;
}
