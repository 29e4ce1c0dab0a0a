/**
 * Which nodes a pod's hard node constraints admit (upstream component-helpers
 * nodeaffinity, GetRequiredNodeAffinity(pod).Match): spec.nodeSelector labels equal, and
 * the required node affinity, when present, matched by one of its terms. The scheduler,
 * the DaemonSet controller and the kubelet's admission all ask this same question.
 *
 * matchExpressions are label requirements (In/NotIn need values, Gt/Lt one integer; an
 * invalid requirement makes its term match nothing, as upstream's selector parsing
 * fails); matchFields support only metadata.name with In/NotIn and exactly one value.
 */
import type { Node, NodeSelector, NodeSelectorRequirement, NodeSelectorTerm, Pod } from 'kubernetes-types/core/v1.js';
import { requirementMatches, type Operator, type Requirement } from '../apimachinery/labels.js';

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

function fieldsMatch(fields: readonly NodeSelectorRequirement[], node: Node): boolean {
  const name = node.metadata?.name ?? '';
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

/** The pod's spec.nodeSelector and required node affinity both admit the node. */
export function podMatchesNodeSelectorAndAffinityTerms(pod: Pod, node: Node): boolean {
  const labels = node.metadata?.labels ?? {};
  for (const [k, v] of Object.entries(pod.spec?.nodeSelector ?? {})) {
    if (labels[k] !== v) return false;
  }
  const req = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  if (req !== undefined && req !== null) return nodeSelectorMatches(req, node);
  return true;
}
