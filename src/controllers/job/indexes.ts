/**
 * Completion indexes of Indexed Jobs (upstream indexed_job_utils.go): the
 * ".status.completedIndexes" interval form ("1,3-5,7"), each pod's index, and which
 * indexes still need a pod.
 */
import type { Pod } from 'kubernetes-types/core/v1.js';
import { JOB_COMPLETION_INDEX_ANNOTATION } from '../common/types.js';

export const UNKNOWN_COMPLETION_INDEX = -1;

/** Sorted, non-overlapping, non-adjacent [first, last] intervals. */
export type Intervals = [number, number][];

/** Parses "1,3-5" keeping indexes below completions; malformed parts are skipped. */
export function parseIndexes(s: string | undefined, completions: number): Intervals {
  const out: Intervals = [];
  if (s === undefined || s === '') return out;
  for (const part of s.split(',')) {
    const m = /^([0-9]+)(?:-([0-9]+))?$/.exec(part.trim());
    if (m === null) continue;
    const first = Number(m[1]);
    let last = m[2] !== undefined ? Number(m[2]) : first;
    if (first >= completions || last < first) continue;
    last = Math.min(last, completions - 1);
    const prev = out[out.length - 1];
    if (prev !== undefined && first <= prev[1] + 1) prev[1] = Math.max(prev[1], last);
    else out.push([first, last]);
  }
  return out;
}

export function formatIndexes(iv: Intervals): string {
  return iv.map(([a, b]) => (a === b ? String(a) : `${a}-${b}`)).join(',');
}

export function totalIndexes(iv: Intervals): number {
  return iv.reduce((n, [a, b]) => n + b - a + 1, 0);
}

export function hasIndex(iv: Intervals, ix: number): boolean {
  return iv.some(([a, b]) => ix >= a && ix <= b);
}

/** iv plus the sorted indexes (withOrderedIndexes). */
export function withIndexes(iv: Intervals, add: readonly number[]): Intervals {
  const all = new Set<number>();
  for (const [a, b] of iv) for (let i = a; i <= b; i++) all.add(i);
  for (const i of add) all.add(i);
  const sorted = [...all].sort((x, y) => x - y);
  const out: Intervals = [];
  for (const i of sorted) {
    const prev = out[out.length - 1];
    if (prev !== undefined && i === prev[1] + 1) prev[1] = i;
    else out.push([i, i]);
  }
  return out;
}

/** The pod's completion index from its annotation; UNKNOWN_COMPLETION_INDEX when absent or invalid. */
export function completionIndex(pod: Pod): number {
  const v = pod.metadata?.annotations?.[JOB_COMPLETION_INDEX_ANNOTATION];
  if (v === undefined || !/^[0-9]+$/.test(v)) return UNKNOWN_COMPLETION_INDEX;
  const n = Number(v);
  return Number.isSafeInteger(n) ? n : UNKNOWN_COMPLETION_INDEX;
}

/** The first count indexes below completions that have neither succeeded nor an active pod. */
export function firstPendingIndexes(succeeded: Intervals, activePods: readonly Pod[], count: number, completions: number): number[] {
  if (count <= 0) return [];
  const active = new Set(activePods.map(completionIndex));
  const out: number[] = [];
  for (let i = 0; i < completions && out.length < count; i++) {
    if (active.has(i) || hasIndex(succeeded, i)) continue;
    out.push(i);
  }
  return out;
}

/** generateName "<job>-<index>-", the job name cut so the prefix fits 58 characters. */
export function podGenerateNameWithIndex(jobName: string, index: number): string {
  const suffix = `-${index}-`;
  const prefix = jobName + suffix;
  return prefix.length > 58 ? jobName.slice(0, 58 - suffix.length) + suffix : prefix;
}
