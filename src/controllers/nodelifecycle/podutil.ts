/**
 * Pod and node condition helpers shared by the node lifecycle and taint eviction
 * controllers (upstream pkg/api/v1/pod UpdatePodCondition, pkg/controller/util/node
 * GetNodeCondition). Pure functions over plain JSON objects.
 */
import type { NodeCondition, NodeStatus, PodCondition, PodStatus } from 'kubernetes-types/core/v1.js';

/** The condition of the given type, or undefined. */
export function getPodCondition(status: PodStatus | undefined, type: string): PodCondition | undefined {
  return (status?.conditions ?? []).find((c) => c.type === type);
}

export function getNodeCondition(status: NodeStatus | undefined, type: string): NodeCondition | undefined {
  return (status?.conditions ?? []).find((c) => c.type === type);
}

/**
 * Sets condition in status (adding it when absent), as upstream's UpdatePodCondition:
 * lastTransitionTime becomes now unless the status is unchanged, in which case the old
 * transition time is kept. Returns whether anything changed. Mutates status.
 */
export function updatePodCondition(status: PodStatus, condition: PodCondition, now: string): boolean {
  const cond: PodCondition = { ...condition, lastTransitionTime: now };
  const conds = status.conditions ?? [];
  const idx = conds.findIndex((c) => c.type === cond.type);
  if (idx < 0) {
    status.conditions = [...conds, cond];
    return true;
  }
  const old = conds[idx] as PodCondition;
  if (old.status === cond.status) cond.lastTransitionTime = old.lastTransitionTime as string;
  const equal =
    old.status === cond.status &&
    (old.reason ?? '') === (cond.reason ?? '') &&
    (old.message ?? '') === (cond.message ?? '') &&
    (old.lastProbeTime ?? null) === (cond.lastProbeTime ?? null) &&
    (old.lastTransitionTime ?? null) === (cond.lastTransitionTime ?? null);
  const next = [...conds];
  next[idx] = cond;
  status.conditions = next;
  return !equal;
}
