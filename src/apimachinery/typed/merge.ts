/**
 * The two-sided walk behind server-side apply (upstream's mergingWalker): `merge`
 * lays an applied configuration over the live object, `compare` finds what was added,
 * removed and modified between two versions of an object.
 *
 * Leaves are scalars, atomic lists and maps, and lists/maps empty on both sides (so an
 * empty value is kept distinct from an absent one). Maps merge key by key (live keys in
 * their order, then new keys); associative lists merge item by item by identity, with
 * upstream's ordering: items of the applied list keep the applied order, and live-only
 * items stay where they were relative to them. A list whose live side repeats an
 * identity (duplicate env names stored by an update) is handled as one leaf.
 */
import { elementKey, pathString, type PathElement } from '../fieldpath/element.js';
import { FieldSet } from '../fieldpath/set.js';
import { isObject, listItemElement } from './items.js';
import { atomFor, deducedRef, fieldStep, fieldType, type Atom, type TypeRef } from './schema.js';

/** Absent is undefined; JSON null is a value. */
type Value = unknown;

/**
 * `path` is one stack shared by the whole walk (pushed on the way down, popped on the
 * way up) rather than a fresh array per node: a rule that keeps a path must copy it
 * (FieldSet.insert keeps only the elements). A MergeError reads it where it is thrown
 * and ends the walk, so nothing needs popping on the way out.
 */
interface Rules {
  /** A leaf: returns the merged value (undefined drops it). */
  leaf(path: readonly PathElement[], lhs: Value, rhs: Value): Value;
  /** After a non-leaf node's children. */
  node?(path: readonly PathElement[], lhs: Value, rhs: Value): void;
  /** Whether an unindexable rhs list is an error (apply) rather than one leaf (compare). */
  strictRHS: boolean;
  /**
   * Whether a field or item equal on both sides can be passed over (its value is then
   * rhs). Only for rules that record nothing there, as compare's: most of an object is
   * unchanged by a write, and equality is far cheaper to check than to walk.
   */
  skipEqual?: boolean;
}

export class MergeError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
  }
}

function sameShape(a: Atom, b: Atom): boolean {
  return a.kind === b.kind;
}

const hasOwn = Object.prototype.hasOwnProperty;

function isEmptyObject(o: Record<string, unknown>): boolean {
  for (const k in o) if (hasOwn.call(o, k)) return false;
  return true;
}

function walk(path: PathElement[], ref: TypeRef, lhs: Value, rhs: Value, rules: Rules): Value {
  const al = lhs === undefined ? undefined : atomFor(ref, lhs);
  const ar = rhs === undefined ? undefined : atomFor(ref, rhs);
  const a = ar ?? al!;
  if (al !== undefined && ar !== undefined && !sameShape(al, ar)) return rules.leaf(path, lhs, rhs);
  switch (a.kind) {
    case 'scalar':
    case 'deduced':
      return rules.leaf(path, lhs, rhs);
    case 'list': {
      const ll = Array.isArray(lhs) ? lhs : undefined;
      const rl = Array.isArray(rhs) ? rhs : undefined;
      if (!a.associative || ((ll === undefined || ll.length === 0) && (rl === undefined || rl.length === 0))) return rules.leaf(path, lhs, rhs);
      const out = mergeList(path, a, ll, rl, rules);
      rules.node?.(path, lhs, rhs);
      return out;
    }
    case 'map': {
      const lm = isObject(lhs) ? lhs : undefined;
      const rm = isObject(rhs) ? rhs : undefined;
      const emptyL = lm === undefined || isEmptyObject(lm);
      const emptyR = rm === undefined || isEmptyObject(rm);
      if (a.atomic || (emptyL && emptyR)) return rules.leaf(path, lhs, rhs);
      const out: Record<string, unknown> = {};
      // Live keys in their order, then keys only the right side has.
      if (lm !== undefined) {
        for (const k of Object.keys(lm)) {
          const v = walkField(path, a, k, lm[k], rm !== undefined && hasOwn.call(rm, k) ? rm[k] : undefined, rules);
          if (v !== undefined) out[k] = v;
        }
      }
      if (rm !== undefined) {
        for (const k of Object.keys(rm)) {
          if (lm !== undefined && hasOwn.call(lm, k)) continue;
          const v = walkField(path, a, k, undefined, rm[k], rules);
          if (v !== undefined) out[k] = v;
        }
      }
      rules.node?.(path, lhs, rhs);
      return Object.keys(out).length > 0 ? out : undefined;
    }
  }
}

function walkField(path: PathElement[], a: Atom & { kind: 'map' }, k: string, l: Value, r: Value, rules: Rules): Value {
  // Undeclared fields are walked by their values' shapes: stored objects may hold
  // fields of a newer API than the schema (validate.ts refuses them in applies).
  if (rules.skipEqual === true && equalDefined(l, r)) return r;
  const t = fieldType(a, k) ?? deducedRef;
  path.push(fieldStep(a, k));
  const v = walk(path, t, l, r, rules);
  path.pop();
  return v;
}

interface Indexed {
  els: PathElement[];
  keys: string[];
  byKey: Map<string, Value>;
  /** An identity repeats, or an item has none: the list is handled whole. */
  duplicated: boolean;
}

function index(a: Atom & { kind: 'list' }, list: readonly Value[] | undefined, path: PathElement[], side: 'lhs' | 'rhs', strict: boolean): Indexed {
  const out: Indexed = { els: [], keys: [], byKey: new Map(), duplicated: false };
  const items = list ?? [];
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    let el: PathElement;
    try {
      el = listItemElement(a, item);
    } catch (e) {
      // A stored list the schema cannot index is compared and replaced as one leaf.
      if (!strict) return { ...out, duplicated: true };
      throw new MergeError(pathText(path), `${side}: element ${i}: ${(e as Error).message}`);
    }
    const k = elementKey(el);
    if (out.byKey.has(k)) {
      if (strict) throw new MergeError(pathText(path), `duplicate entries for key ${elementText(el)}`);
      out.duplicated = true;
      continue;
    }
    out.byKey.set(k, item);
    out.els.push(el);
    out.keys.push(k);
  }
  return out;
}

function mergeList(path: PathElement[], a: Atom & { kind: 'list' }, lhs: readonly Value[] | undefined, rhs: readonly Value[] | undefined, rules: Rules): Value {
  const L = index(a, lhs, path, 'lhs', false);
  const R = index(a, rhs, path, 'rhs', rules.strictRHS);
  if (L.duplicated || R.duplicated) return rules.leaf(path, lhs, rhs);
  const out: Value[] = [];
  const item = (i: number, from: Indexed, k: string, l: Value, r: Value): void => {
    if (rules.skipEqual === true && equalDefined(l, r)) {
      out.push(r);
      return;
    }
    path.push(from.els[i]!);
    const v = walk(path, a.elem, l, r, rules);
    path.pop();
    if (v !== undefined) out.push(v);
  };
  // Items both sides have, in the applied (rhs) order.
  const shared = R.keys.filter((k) => L.byKey.has(k));
  let nextShared = 0;
  const merged = new Set<string>();
  let li = 0;
  let ri = 0;
  while (li < L.keys.length || ri < R.keys.length) {
    if (li < L.keys.length && ri < R.keys.length) {
      const lk = L.keys[li]!;
      if (lk === R.keys[ri]) {
        merged.add(lk);
        item(li, L, lk, L.byKey.get(lk), R.byKey.get(lk));
        li++;
        ri++;
        nextShared = shared.indexOf(lk) + 1;
        continue;
      }
      if (R.byKey.has(lk) && nextShared < shared.length && shared[nextShared] !== lk) {
        // A shared item, but not the one due next in the applied order.
        li++;
        continue;
      }
    }
    if (li < L.keys.length) {
      const lk = L.keys[li]!;
      if (!R.byKey.has(lk)) {
        item(li, L, lk, L.byKey.get(lk), undefined);
        li++;
        continue;
      }
      if (merged.has(lk)) {
        li++;
        continue;
      }
    }
    if (ri < R.keys.length) {
      const rk = R.keys[ri]!;
      merged.add(rk);
      item(ri, R, rk, L.byKey.get(rk), R.byKey.get(rk));
      ri++;
      if (nextShared < shared.length && shared[nextShared] === rk) nextShared++;
    }
  }
  return out;
}

function elementText(el: PathElement): string {
  return pathString([el]);
}

function pathText(p: readonly PathElement[]): string {
  return pathString(p);
}

/** The applied configuration laid over the live object (rhs wins at every leaf). */
export function merge(live: Value, config: Value, ref: TypeRef): Value {
  return walk([], ref, live, config, { leaf: (_p, l, r) => (r !== undefined ? r : l), strictRHS: true });
}

export interface Comparison {
  added: FieldSet;
  removed: FieldSet;
  modified: FieldSet;
}

/** What changed from lhs to rhs, path by path. */
export function compare(lhs: Value, rhs: Value, ref: TypeRef): Comparison {
  const c: Comparison = { added: new FieldSet(), removed: new FieldSet(), modified: new FieldSet() };
  walk([], ref, lhs, rhs, {
    strictRHS: false,
    skipEqual: true,
    leaf(path, l, r) {
      if (l === undefined) c.added.insert(path);
      else if (r === undefined) c.removed.insert(path);
      else if (!deepEqual(l, r)) c.modified.insert(path);
      return r !== undefined ? r : l;
    },
    node(path, l, r) {
      if (l === undefined) c.added.insert(path);
      else if (r === undefined) c.removed.insert(path);
    },
  });
  return c;
}

/**
 * deepEqual, but false when an undefined appears anywhere: the walk fails on a field
 * whose value is undefined on both sides, and skipping such a subtree would hide that.
 */
function equalDefined(a: Value, b: Value): boolean {
  if (a === null || typeof a !== 'object') return a === b && a !== undefined;
  if (b === null || typeof b !== 'object') return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!equalDefined(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) {
    if (!hasOwn.call(b, k)) return false;
    if (!equalDefined((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  }
  return true;
}

export function deepEqual(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) {
    if (!Object.prototype.hasOwnProperty.call(b, k)) return false;
    if (!deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  }
  return true;
}
