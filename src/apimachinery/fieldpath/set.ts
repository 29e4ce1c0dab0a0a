/**
 * A set of field paths (structured-merge-diff's fieldpath.Set): what one manager owns,
 * or what changed between two objects. Stored as a trie keyed by each element's
 * canonical string; a node is a member when the path ending there is in the set, and
 * may have children whether or not it is a member ("." in FieldsV1).
 *
 * Paths are independent: removing `spec` from a set leaves `spec.replicas` in it, as
 * upstream's Difference does. Empty subtrees are never kept, so `empty()` and equality
 * are structural.
 */
import { compareElements, elementKey, type Path, type PathElement } from './element.js';

interface Child {
  el: PathElement;
  set: FieldSet;
}

export class FieldSet {
  /** Elements that are members at this level, by key. */
  private readonly members = new Map<string, PathElement>();
  /** Subsets below an element, by key; never empty. */
  private readonly children = new Map<string, Child>();

  static of(...paths: Path[]): FieldSet {
    const s = new FieldSet();
    for (const p of paths) s.insert(p);
    return s;
  }

  empty(): boolean {
    return this.members.size === 0 && this.children.size === 0;
  }

  /** Adds a path (mutates). */
  insert(path: Path): this {
    if (path.length === 0) return this;
    const [first, ...rest] = path;
    if (rest.length === 0) {
      this.members.set(elementKey(first!), first!);
      return this;
    }
    const k = elementKey(first!);
    let c = this.children.get(k);
    if (c === undefined) {
      c = { el: first!, set: new FieldSet() };
      this.children.set(k, c);
    }
    c.set.insert(rest);
    return this;
  }

  has(path: Path): boolean {
    if (path.length === 0) return false;
    const [first, ...rest] = path;
    if (rest.length === 0) return this.members.has(elementKey(first!));
    return this.children.get(elementKey(first!))?.set.has(rest) ?? false;
  }

  hasMember(el: PathElement): boolean {
    return this.members.has(elementKey(el));
  }

  /** The subset below one element (upstream's WithPrefix); empty when none. */
  child(el: PathElement): FieldSet {
    return this.children.get(elementKey(el))?.set ?? new FieldSet();
  }

  /** Member elements and child elements of this level, each once, in upstream's order. */
  elements(): { el: PathElement; member: boolean; child: FieldSet | undefined }[] {
    const out = new Map<string, { el: PathElement; member: boolean; child: FieldSet | undefined }>();
    for (const [k, el] of this.members) out.set(k, { el, member: true, child: undefined });
    for (const [k, c] of this.children) {
      const e = out.get(k);
      if (e !== undefined) e.child = c.set;
      else out.set(k, { el: c.el, member: false, child: c.set });
    }
    return [...out.values()].sort((a, b) => compareElements(a.el, b.el));
  }

  union(other: FieldSet): FieldSet {
    const out = this.clone();
    out.addAll(other);
    return out;
  }

  /** Adds every path of other (mutates). */
  addAll(other: FieldSet): this {
    for (const [k, el] of other.members) this.members.set(k, el);
    for (const [k, c] of other.children) {
      const mine = this.children.get(k);
      if (mine === undefined) this.children.set(k, { el: c.el, set: c.set.clone() });
      else mine.set.addAll(c.set);
    }
    return this;
  }

  difference(other: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const [k, el] of this.members) if (!other.members.has(k)) out.members.set(k, el);
    for (const [k, c] of this.children) {
      const o = other.children.get(k);
      const d = o === undefined ? c.set.clone() : c.set.difference(o.set);
      if (!d.empty()) out.children.set(k, { el: c.el, set: d });
    }
    return out;
  }

  intersection(other: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const [k, el] of this.members) if (other.members.has(k)) out.members.set(k, el);
    for (const [k, c] of this.children) {
      const o = other.children.get(k);
      if (o === undefined) continue;
      const i = c.set.intersection(o.set);
      if (!i.empty()) out.children.set(k, { el: c.el, set: i });
    }
    return out;
  }

  /**
   * The paths of this set that do not start with any member path of `prefixes`
   * (upstream's RecursiveDifference / ExcludeFieldsFilter with a prefix set).
   */
  withoutPrefixes(prefixes: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const [k, el] of this.members) if (!prefixes.members.has(k)) out.members.set(k, el);
    for (const [k, c] of this.children) {
      if (prefixes.members.has(k)) continue;
      const p = prefixes.children.get(k);
      const d = p === undefined ? c.set.clone() : c.set.withoutPrefixes(p.set);
      if (!d.empty()) out.children.set(k, { el: c.el, set: d });
    }
    return out;
  }

  equals(other: FieldSet): boolean {
    if (this.members.size !== other.members.size || this.children.size !== other.children.size) return false;
    for (const k of this.members.keys()) if (!other.members.has(k)) return false;
    for (const [k, c] of this.children) {
      const o = other.children.get(k);
      if (o === undefined || !c.set.equals(o.set)) return false;
    }
    return true;
  }

  clone(): FieldSet {
    const out = new FieldSet();
    for (const [k, el] of this.members) out.members.set(k, el);
    for (const [k, c] of this.children) out.children.set(k, { el: c.el, set: c.set.clone() });
    return out;
  }

  /**
   * Every member path, in upstream's Iterate order: a level's members first (sorted),
   * then what is below each element (sorted).
   */
  paths(): Path[] {
    const out: Path[] = [];
    const walk = (s: FieldSet, prefix: PathElement[]): void => {
      const els = s.elements();
      for (const { el, member } of els) if (member) out.push([...prefix, el]);
      for (const { el, child } of els) if (child !== undefined) walk(child, [...prefix, el]);
    };
    walk(this, []);
    return out;
  }

  size(): number {
    let n = this.members.size;
    for (const c of this.children.values()) n += c.set.size();
    return n;
  }

  /** Internal access for the FieldsV1 codec and the typed walkers. */
  setChild(el: PathElement, set: FieldSet): void {
    if (set.empty()) this.children.delete(elementKey(el));
    else this.children.set(elementKey(el), { el, set });
  }

  addMember(el: PathElement): void {
    this.members.set(elementKey(el), el);
  }
}
