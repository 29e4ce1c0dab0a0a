/**
 * Taints and tolerations as the node controllers handle them: the well-known taint
 * keys, the eviction delay the used tolerations allow, set operations on a node's taint
 * list, and adding a toleration to a pod. Pure functions, no I/O. Whether a toleration
 * tolerates a taint is api/tolerations.ts, shared with the scheduler and the kubelet.
 *
 * Facts from upstream (k8s.io/api core/v1 taint.go, pkg/apis/core/v1/helper,
 * pkg/util/taints):
 *   - Taints are unique by key + effect ("MatchTaint"): two taints with the same key
 *     and effect are the same taint, whatever their value or timeAdded.
 *   - The eviction delay is the minimum tolerationSeconds over the used tolerations
 *     (getMinTolerationTime), <= 0 meaning at once, none meaning forever.
 */
import type { Taint, Toleration } from 'kubernetes-types/core/v1.js';

export const TAINT_NODE_NOT_READY = 'node.kubernetes.io/not-ready';
export const TAINT_NODE_UNREACHABLE = 'node.kubernetes.io/unreachable';
export const TAINT_NODE_UNSCHEDULABLE = 'node.kubernetes.io/unschedulable';
export const TAINT_NODE_MEMORY_PRESSURE = 'node.kubernetes.io/memory-pressure';
export const TAINT_NODE_DISK_PRESSURE = 'node.kubernetes.io/disk-pressure';
export const TAINT_NODE_NETWORK_UNAVAILABLE = 'node.kubernetes.io/network-unavailable';
export const TAINT_NODE_PID_PRESSURE = 'node.kubernetes.io/pid-pressure';

export type TaintEffect = 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';

/**
 * How long the used tolerations let a pod stay, in ms: the minimum tolerationSeconds
 * (0 when any is <= 0, and 0 for an empty list), or -1 when none sets seconds, which
 * means forever (upstream getMinTolerationTime).
 */
export function minTolerationTimeMs(used: readonly Toleration[]): number {
  if (used.length === 0) return 0;
  let min = Infinity;
  for (const t of used) {
    const s = t.tolerationSeconds;
    if (s === undefined || s === null) continue;
    if (s <= 0) return 0;
    if (s < min) min = s;
  }
  return min === Infinity ? -1 : min * 1000;
}

/** Same key and effect: the same taint (upstream Taint.MatchTaint). */
export function matchTaint(a: Taint, b: Taint): boolean {
  return a.key === b.key && a.effect === b.effect;
}

export function taintExists(taints: readonly Taint[] | undefined, taint: Taint): boolean {
  return (taints ?? []).some((t) => matchTaint(t, taint));
}

/** The NoExecute taints among taints. */
export function noExecuteTaints(taints: readonly Taint[] | undefined): Taint[] {
  return (taints ?? []).filter((t) => t.effect === 'NoExecute');
}

function sameTaint(a: Taint, b: Taint): boolean {
  return a.key === b.key && a.effect === b.effect && (a.value ?? '') === (b.value ?? '') && (a.timeAdded ?? '') === (b.timeAdded ?? '');
}

/**
 * taints with taint added, or replacing the taint of the same key and effect when it
 * differs (upstream AddOrUpdateTaint). updated is false when nothing changed.
 */
export function addOrUpdateTaint(taints: readonly Taint[] | undefined, taint: Taint): { taints: Taint[]; updated: boolean } {
  const out: Taint[] = [];
  let found = false;
  let updated = false;
  for (const t of taints ?? []) {
    if (matchTaint(t, taint)) {
      found = true;
      if (sameTaint(t, taint)) out.push(t);
      else {
        out.push(taint);
        updated = true;
      }
      continue;
    }
    out.push(t);
  }
  if (!found) {
    out.push(taint);
    updated = true;
  }
  return { taints: out, updated };
}

/** taints without the taint of taint's key and effect (upstream DeleteTaint). */
export function deleteTaint(taints: readonly Taint[] | undefined, taint: Taint): { taints: Taint[]; deleted: boolean } {
  const out = (taints ?? []).filter((t) => !matchTaint(t, taint));
  return { taints: out, deleted: out.length !== (taints ?? []).length };
}

/** What to add to current to reach desired and what to remove, by key + effect (upstream TaintSetDiff). */
export function taintSetDiff(desired: readonly Taint[], current: readonly Taint[]): { toAdd: Taint[]; toRemove: Taint[] } {
  return {
    toAdd: desired.filter((t) => !taintExists(current, t)),
    toRemove: current.filter((t) => !taintExists(desired, t)),
  };
}

/** "key=value:effect" or "key:effect", as kubectl and upstream's Taint.ToString print it. */
export function taintToString(t: Taint): string {
  return t.value !== undefined && t.value !== '' ? `${t.key}=${t.value}:${t.effect}` : `${t.key}:${t.effect}`;
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
