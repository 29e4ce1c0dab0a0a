/**
 * Small pure helpers shared by plugins: taints and tolerations, node selector terms,
 * pod priority, score normalisation. Upstream: component-helpers scheduling/corev1,
 * api/v1/helper, framework/plugins/helper.
 */
import type { Node, NodeSelector, NodeSelectorRequirement, NodeSelectorTerm, Pod, Taint } from 'kubernetes-types/core/v1.js';
import { requirementMatches, type Operator, type Requirement } from '../../apimachinery/labels.js';

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

const OPERATORS: Readonly<Record<string, Operator>> = {
  In: 'in',
  NotIn: 'notin',
  Exists: 'exists',
  DoesNotExist: '!',
  Gt: 'gt',
  Lt: 'lt',
};

function requirementFrom(r: NodeSelectorRequirement): Requirement | undefined {
  const op = OPERATORS[r.operator];
  if (op === undefined) return undefined;
  return { key: r.key, operator: op, values: r.values ?? [] };
}

function expressionsMatch(exprs: readonly NodeSelectorRequirement[], labels: Readonly<Record<string, string>>): boolean {
  for (const e of exprs) {
    const req = requirementFrom(e);
    if (req === undefined) return false;
    if ((req.operator === 'in' || req.operator === 'notin') && req.values.length === 0) return false;
    if (!requirementMatches(req, labels)) return false;
  }
  return true;
}

/**
 * matchFields supports only metadata.name with In/NotIn and exactly one value (upstream
 * NodeSelectorRequirementsAsFieldSelector); anything else makes the term match nothing.
 */
function fieldsMatch(fields: readonly NodeSelectorRequirement[], node: Node): boolean {
  const name = nodeName(node);
  for (const f of fields) {
    const values = f.values ?? [];
    if (f.key !== 'metadata.name' || values.length !== 1) return false;
    if (f.operator === 'In') {
      if (values[0] !== name) return false;
    } else if (f.operator === 'NotIn') {
      if (values[0] === name) return false;
    } else {
      return false;
    }
  }
  return true;
}

/** One term: all its expressions and fields match; a term without any requirement matches nothing. */
export function nodeSelectorTermMatches(term: NodeSelectorTerm, node: Node): boolean {
  const exprs = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (exprs.length === 0 && fields.length === 0) return false;
  return expressionsMatch(exprs, node.metadata?.labels ?? {}) && fieldsMatch(fields, node);
}

/** A NodeSelector: any of its terms matches. */
export function nodeSelectorMatches(sel: NodeSelector, node: Node): boolean {
  for (const t of sel.nodeSelectorTerms ?? []) if (nodeSelectorTermMatches(t, node)) return true;
  return false;
}

/**
 * The pod's hard node constraints (upstream GetRequiredNodeAffinity(pod).Match): every
 * spec.nodeSelector label equal, and the required node affinity, when present, matched.
 */
export function podMatchesNodeSelectorAndAffinityTerms(pod: Pod, node: Node): boolean {
  const labels = node.metadata?.labels ?? {};
  for (const [k, v] of Object.entries(pod.spec?.nodeSelector ?? {})) {
    if (labels[k] !== v) return false;
  }
  const req = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  if (req !== undefined && req !== null) return nodeSelectorMatches(req, node);
  return true;
}

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
