/**
 * Whether tolerations tolerate taints: the one implementation the scheduler, the
 * kubelet's admission and the node controllers share (upstream: k8s.io/api core/v1
 * Toleration.ToleratesTaint and pkg/apis/core/v1/helper).
 *
 *   - A toleration with an empty effect matches every effect; an empty key (with
 *     operator Exists) matches every key. Operator "" means Equal; Equal compares
 *     values, Exists ignores them; any other operator tolerates nothing.
 *   - For each taint the FIRST toleration that tolerates it is the one "used"
 *     (GetMatchingTolerations), which decides a NoExecute eviction delay.
 */
import type { Taint, Toleration } from 'kubernetes-types/core/v1.js';

/** Whether toleration t tolerates taint (Toleration.ToleratesTaint). */
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

/** Whether any of the tolerations tolerates taint (TolerationsTolerateTaint). */
export function tolerationsTolerateTaint(tolerations: readonly Toleration[] | undefined, taint: Taint): boolean {
  return (tolerations ?? []).some((t) => toleratesTaint(t, taint));
}

/**
 * The first taint passing include that none of the tolerations tolerate
 * (FindMatchingUntoleratedTaint).
 */
export function findUntoleratedTaint(
  taints: readonly Taint[] | undefined,
  tolerations: readonly Toleration[] | undefined,
  include: (t: Taint) => boolean,
): Taint | undefined {
  return (taints ?? []).find((taint) => include(taint) && !tolerationsTolerateTaint(tolerations, taint));
}

export interface MatchingTolerations {
  /** Every taint is tolerated. */
  allTolerated: boolean;
  /** For each taint, the first toleration tolerating it (empty when not all are tolerated). */
  used: Toleration[];
}

/** GetMatchingTolerations. */
export function getMatchingTolerations(taints: readonly Taint[], tolerations: readonly Toleration[] | undefined): MatchingTolerations {
  const used: Toleration[] = [];
  for (const taint of taints) {
    const t = (tolerations ?? []).find((x) => toleratesTaint(x, taint));
    if (t === undefined) return { allTolerated: false, used: [] };
    used.push(t);
  }
  return { allTolerated: true, used };
}
