/**
 * Small pure helpers shared by plugins: taints and tolerations, node selector terms,
 * pod priority, score normalisation. Upstream: component-helpers scheduling/corev1,
 * api/v1/helper, framework/plugins/helper.
 */
import type { Node, Pod, Taint } from 'kubernetes-types/core/v1.js';

export const MAX_NODE_SCORE = 100;
export const MIN_NODE_SCORE = 0;

export const LABEL_HOSTNAME = 'kubernetes.io/hostname';
export const LABEL_TOPOLOGY_ZONE = 'topology.kubernetes.io/zone';
export const LABEL_TOPOLOGY_REGION = 'topology.kubernetes.io/region';
export const TAINT_NODE_UNSCHEDULABLE = 'node.kubernetes.io/unschedulable';

/** spec.priority, 0 when unset (upstream corev1helpers.PodPriority). */
export function podPriority(pod: Pod): number {
  return pod.spec?.priority ?? 0;
}

export function podKey(pod: Pod): string {
  return `${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''}`;
}

/** The key the cache and queue know a pod by: its UID, or namespace/name when it has none. */
export function podUID(pod: Pod): string {
  return pod.metadata?.uid ?? podKey(pod);
}

export function nodeName(node: Node | undefined): string {
  return node?.metadata?.name ?? '';
}

// Toleration matching lives in api/tolerations.ts (shared with the kubelet and the
// controllers); re-exported for the plugins that still import it from here.
export { findUntoleratedTaint, tolerationsTolerateTaint } from '../../api/tolerations.js';

export const noScheduleOrNoExecute = (t: Taint): boolean => t.effect === 'NoSchedule' || t.effect === 'NoExecute';

// Node selectors and required node affinity live in api/nodeaffinity.ts (shared with the
// DaemonSet controller and the kubelet); re-exported for the plugins.
export { nodeSelectorMatches, nodeSelectorTermMatches, podMatchesNodeSelectorAndAffinityTerms } from '../../api/nodeaffinity.js';

/**
 * Upstream helper.DefaultNormalizeScore: scales scores to [0, maxPriority] by the
 * largest score; with reverse the largest raw score gets 0.
 */
export function defaultNormalizeScore(maxPriority: number, reverse: boolean, scores: { score: number }[]): void {
  let max = 0;
  for (const s of scores) if (s.score > max) max = s.score;
  if (max === 0) {
    if (reverse) for (const s of scores) s.score = maxPriority;
    return;
  }
  for (const s of scores) {
    let v = Math.trunc((maxPriority * s.score) / max);
    if (reverse) v = maxPriority - v;
    s.score = v;
  }
}

/** Go's integer division of non-negative or mixed-sign int64 values (truncates toward zero). */
export function idiv(a: number, b: number): number {
  return Math.trunc(a / b);
}

/** A pod being deleted (metadata.deletionTimestamp set). */
export function isTerminating(pod: Pod): boolean {
  return pod.metadata?.deletionTimestamp !== undefined && pod.metadata?.deletionTimestamp !== null;
}

export function isTerminal(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase === 'Succeeded' || phase === 'Failed';
}
