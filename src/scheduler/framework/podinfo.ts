/**
 * A pod with what the scheduler derives from it once (upstream framework.PodInfo):
 * parsed inter-pod (anti-)affinity terms and the resource requests.
 */
import type { Pod, PodAffinityTerm, WeightedPodAffinityTerm } from 'kubernetes-types/core/v1.js';
import { matches, nothing, selectorFromLabelSelector, type Labels, type Selector } from '../../apimachinery/labels.js';
import { podRequests, type Resource } from './resource.js';

export interface AffinityTerm {
  /** Namespaces the term applies to (the pod's own when neither namespaces nor namespaceSelector is set). */
  namespaces: ReadonlySet<string>;
  selector: Selector;
  topologyKey: string;
  /** nothing() when the term has no namespaceSelector. */
  namespaceSelector: Selector;
}

export interface WeightedAffinityTerm extends AffinityTerm {
  weight: number;
}

/**
 * True when the pod is in one of the term's namespaces (listed, or whose labels
 * nsLabels match the namespaceSelector) and its labels match the selector (upstream
 * AffinityTerm.Matches).
 */
export function termMatches(term: AffinityTerm, pod: Pod, nsLabels: Labels | undefined): boolean {
  const ns = pod.metadata?.namespace ?? '';
  if (term.namespaces.has(ns) || matches(term.namespaceSelector, nsLabels ?? {})) {
    return matches(term.selector, pod.metadata?.labels ?? {});
  }
  return false;
}

function newAffinityTerm(pod: Pod, t: PodAffinityTerm): AffinityTerm {
  const selector = selectorFromLabelSelector(t.labelSelector ?? null);
  const namespaces = new Set<string>();
  if ((t.namespaces ?? []).length === 0 && (t.namespaceSelector === undefined || t.namespaceSelector === null)) {
    namespaces.add(pod.metadata?.namespace ?? '');
  } else {
    for (const n of t.namespaces ?? []) namespaces.add(n);
  }
  const namespaceSelector = t.namespaceSelector === undefined || t.namespaceSelector === null ? nothing() : selectorFromLabelSelector(t.namespaceSelector);
  return { namespaces, selector, topologyKey: t.topologyKey, namespaceSelector };
}

export class PodInfo {
  readonly pod: Pod;
  readonly requiredAffinityTerms: AffinityTerm[] = [];
  readonly requiredAntiAffinityTerms: AffinityTerm[] = [];
  readonly preferredAffinityTerms: WeightedAffinityTerm[] = [];
  readonly preferredAntiAffinityTerms: WeightedAffinityTerm[] = [];
  /** Set when a term's selector did not parse; InterPodAffinity then rejects the pod. */
  readonly parseError: string | undefined;
  private req: Resource | undefined;
  private nonZero: Resource | undefined;

  constructor(pod: Pod) {
    this.pod = pod;
    const aff = pod.spec?.affinity;
    let err: string | undefined;
    const parse = (t: PodAffinityTerm): AffinityTerm | undefined => {
      try {
        return newAffinityTerm(pod, t);
      } catch (e) {
        err ??= e instanceof Error ? e.message : String(e);
        return undefined;
      }
    };
    const parseWeighted = (w: WeightedPodAffinityTerm): WeightedAffinityTerm | undefined => {
      const t = parse(w.podAffinityTerm);
      return t === undefined ? undefined : { ...t, weight: w.weight };
    };
    for (const t of aff?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []) {
      const a = parse(t);
      if (a) this.requiredAffinityTerms.push(a);
    }
    for (const t of aff?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []) {
      const a = parse(t);
      if (a) this.requiredAntiAffinityTerms.push(a);
    }
    for (const t of aff?.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []) {
      const a = parseWeighted(t);
      if (a) this.preferredAffinityTerms.push(a);
    }
    for (const t of aff?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []) {
      const a = parseWeighted(t);
      if (a) this.preferredAntiAffinityTerms.push(a);
    }
    this.parseError = err;
  }

  /** The pod's requests as the Fit filter counts them. */
  get requests(): Resource {
    this.req ??= podRequests(this.pod, false);
    return this.req;
  }

  /** The requests with the scorer's non-zero defaults for cpu and memory. */
  get nonZeroRequests(): Resource {
    this.nonZero ??= podRequests(this.pod, true);
    return this.nonZero;
  }

  /** Has pod affinity or anti-affinity of any kind (upstream podWithAffinity). */
  get hasAffinity(): boolean {
    const a = this.pod.spec?.affinity;
    return a !== undefined && a !== null && ((a.podAffinity ?? null) !== null || (a.podAntiAffinity ?? null) !== null);
  }

  get hasRequiredAntiAffinity(): boolean {
    return (this.pod.spec?.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).length > 0;
  }
}
