/**
 * Which nodes a pod may run on, as far as a controller needs to know (upstream
 * component-helpers nodeaffinity and v1helper taint matching): spec.nodeSelector,
 * required node affinity (matchExpressions on labels, matchFields on metadata.name),
 * and taints versus tolerations.
 */
import type { Node, NodeSelector, NodeSelectorRequirement, NodeSelectorTerm, Pod, Taint, Toleration } from 'kubernetes-types/core/v1.js';

function intOf(s: string): bigint | undefined {
  return /^-?[0-9]+$/.test(s) ? BigInt(s) : undefined;
}

/** One requirement against a map of values (labels, or {metadata.name}). */
export function requirementMatches(r: NodeSelectorRequirement, values: Readonly<Record<string, string>>): boolean {
  const has = Object.prototype.hasOwnProperty.call(values, r.key);
  const v = has ? values[r.key] : undefined;
  const vals = r.values ?? [];
  switch (r.operator) {
    case 'In':
      return v !== undefined && vals.includes(v);
    case 'NotIn':
      return v === undefined || !vals.includes(v);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
    case 'Gt':
    case 'Lt': {
      if (v === undefined || vals.length !== 1) return false;
      const a = intOf(v);
      const b = intOf(vals[0] ?? '');
      if (a === undefined || b === undefined) return false;
      return r.operator === 'Gt' ? a > b : a < b;
    }
    default:
      return false;
  }
}

/** A term matches when all its expressions and fields match; an empty term matches nothing. */
export function nodeSelectorTermMatches(term: NodeSelectorTerm, node: Node): boolean {
  const exprs = term.matchExpressions ?? [];
  const fields = term.matchFields ?? [];
  if (exprs.length === 0 && fields.length === 0) return false;
  const labels = node.metadata?.labels ?? {};
  const fieldValues = { 'metadata.name': node.metadata?.name ?? '' };
  for (const f of fields) {
    if (f.key !== 'metadata.name' || (f.operator !== 'In' && f.operator !== 'NotIn')) return false;
    if (!requirementMatches(f, fieldValues)) return false;
  }
  return exprs.every((e) => requirementMatches(e, labels));
}

/** Any term matches. */
export function nodeSelectorMatches(sel: NodeSelector, node: Node): boolean {
  return (sel.nodeSelectorTerms ?? []).some((t) => nodeSelectorTermMatches(t, node));
}

/** spec.nodeSelector and required node affinity both admit node (GetRequiredNodeAffinity(pod).Match). */
export function podFitsNodeAffinity(pod: Pod, node: Node): boolean {
  const labels = node.metadata?.labels ?? {};
  for (const [k, v] of Object.entries(pod.spec?.nodeSelector ?? {})) if (labels[k] !== v) return false;
  const req = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  if (req === undefined || req === null) return true;
  return nodeSelectorMatches(req, node);
}

/** v1 Toleration.ToleratesTaint. */
export function toleratesTaint(t: Toleration, taint: Taint): boolean {
  if (t.effect !== undefined && t.effect !== '' && t.effect !== taint.effect) return false;
  if (t.key !== undefined && t.key !== '' && t.key !== taint.key) return false;
  switch (t.operator ?? '') {
    case '':
    case 'Equal':
      return (t.value ?? '') === (taint.value ?? '');
    case 'Exists':
      return true;
    default:
      return false;
  }
}

/** The first taint passing filter that no toleration tolerates. */
export function findUntoleratedTaint(taints: readonly Taint[] | undefined, tolerations: readonly Toleration[] | undefined, filter: (t: Taint) => boolean): Taint | undefined {
  for (const taint of taints ?? []) {
    if (!filter(taint)) continue;
    if (!(tolerations ?? []).some((t) => toleratesTaint(t, taint))) return taint;
  }
  return undefined;
}

/** Adds t to tolerations unless an identical one is there; one differing only in tolerationSeconds is replaced. */
export function addOrUpdateToleration(tolerations: Toleration[], t: Toleration): Toleration[] {
  const same = (a: Toleration): boolean =>
    (a.key ?? '') === (t.key ?? '') && (a.operator ?? '') === (t.operator ?? '') && (a.value ?? '') === (t.value ?? '') && (a.effect ?? '') === (t.effect ?? '');
  const i = tolerations.findIndex(same);
  if (i < 0) return [...tolerations, t];
  const out = [...tolerations];
  out[i] = t;
  return out;
}
