/**
 * Small formatting helpers shared by the printers: safe field access on untyped
 * objects, label and selector strings, container layouts. Each states the upstream
 * behaviour it reproduces.
 */
import { selectorFromLabelSelector, selectorToString } from '../../apimachinery/labels.js';
import type { KObject } from '../registry/strategy.js';

/** The value when it is a plain object, else an empty one. */
export function obj(v: unknown): Record<string, any> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, any>) : {};
}

/** The value when it is a plain object, else undefined (Go's nil pointer). */
export function optObj(v: unknown): Record<string, any> | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, any>) : undefined;
}

/** The value when it is an array, else an empty one. */
export function arr(v: unknown): any[] {
  return Array.isArray(v) ? v : [];
}

/** The value when it is a string, else ''. */
export function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

/** The value when it is a finite number, else `fallback`. */
export function num(v: unknown, fallback = 0): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : fallback;
}

export function meta(o: KObject): Record<string, any> {
  return obj(o.metadata);
}

export function nameOf(o: KObject): string {
  return str(meta(o).name);
}

/** Go's strings.Join over sorted, de-duplicated values (sets.String.List()). */
export function sortedSet(values: Iterable<string>): string[] {
  return [...new Set(values)].sort(byteOrder);
}

/** Go's string ordering (byte-wise); identical to UTF-16 order for ASCII keys. */
export function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** labels.FormatLabels: "k=v,k2=v2" sorted by key, "<none>" when empty. */
export function formatLabels(labels: unknown): string {
  const m = obj(labels);
  const keys = Object.keys(m).sort(byteOrder);
  if (keys.length === 0) return '<none>';
  return keys.map((k) => `${k}=${str(m[k])}`).join(',');
}

/**
 * A metav1.LabelSelector as upstream's LabelSelectorAsSelector(...).String() prints it
 * (requirements sorted by key, set values sorted; "" for a nil selector, which selects
 * nothing, and for an empty one, which selects everything). Undefined when invalid.
 */
export function labelSelectorString(selector: unknown): string | undefined {
  try {
    return selectorToString(selectorFromLabelSelector(selector));
  } catch {
    return undefined;
  }
}

/** metav1.FormatLabelSelector: the selector string, "<none>" when empty, "<error>" when invalid. */
export function formatLabelSelector(selector: unknown): string {
  const s = labelSelectorString(selector);
  if (s === undefined) return '<error>';
  return s === '' ? '<none>' : s;
}

/** Container names and images, each comma-joined, as the wide CONTAINERS and IMAGES columns show them. */
export function containerCells(containers: unknown): [string, string] {
  const list = arr(containers).map(obj);
  return [list.map((c) => str(c.name)).join(','), list.map((c) => str(c.image)).join(',')];
}

/** The containers of a pod template (spec.template.spec.containers). */
export function templateContainers(template: unknown): unknown {
  return obj(obj(template).spec).containers;
}

/** printBoolPtr: "True"/"False", "<unset>" when absent. */
export function boolPtr(v: unknown): string {
  if (typeof v !== 'boolean') return '<unset>';
  return v ? 'True' : 'False';
}

/** net.JoinHostPort: IPv6 hosts in brackets. */
export function joinHostPort(host: string, port: number | string): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** Upstream's "a,b,c + N more..." lists (at most `max` shown), "<unset>" when empty. */
export function listWithMore(items: string[], max: number): string {
  if (items.length > max) return `${items.slice(0, max).join(',')} + ${items.length - max} more...`;
  const s = items.join(',');
  return s === '' ? '<unset>' : s;
}

/** helper.GetAccessModesAsString: RWO,ROX,RWX,RWOP in that fixed order. */
export function accessModes(modes: unknown): string {
  const set = new Set(arr(modes).map(str));
  const out: string[] = [];
  if (set.has('ReadWriteOnce')) out.push('RWO');
  if (set.has('ReadOnlyMany')) out.push('ROX');
  if (set.has('ReadWriteMany')) out.push('RWX');
  if (set.has('ReadWriteOncePod')) out.push('RWOP');
  return out.join(',');
}

/** The status of the condition of `type` in a conditions list, or undefined. */
export function conditionStatus(conditions: unknown, type: string): string | undefined {
  for (const c of arr(conditions)) {
    const cond = obj(c);
    if (cond.type === type) return str(cond.status);
  }
  return undefined;
}

/** The first condition of `type`, or undefined. */
export function findCondition(conditions: unknown, type: string): Record<string, any> | undefined {
  for (const c of arr(conditions)) {
    const cond = obj(c);
    if (cond.type === type) return cond;
  }
  return undefined;
}

/** A GroupKind as "kind.group" in lower case (or "kind" for the core group) then "/name". */
export function resourceName(apiVersion: string, kind: string, name: string): string {
  const slash = apiVersion.indexOf('/');
  const group = slash >= 0 ? apiVersion.slice(0, slash) : '';
  if (kind === '' && group === '') return name;
  const gk = group === '' ? kind : `${kind}.${group}`;
  return `${gk.toLowerCase()}/${name}`;
}
