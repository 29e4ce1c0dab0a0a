/**
 * A set of field paths (structured-merge-diff's fieldpath.Set): what one manager owns,
 * or what changed between two objects. Stored as a trie keyed by each element's
 * canonical string; a node is a member when the path ending there is in the set, and
 * may have children whether or not it is a member ("." in FieldsV1).
 *
 * Paths are independent: removing `spec` from a set leaves `spec.replicas` in it, as
 * upstream's Difference does. Empty subtrees are never kept, so `empty()` and equality
 * are structural.
 *
 * Results share unchanged subtrees with their operands instead of copying them (a write
 * unions, subtracts and filters whole manager sets several times). A level reachable
 * from more than one place is marked shared and never changes again; a mutation that
 * must go through a shared level first replaces it, in its parent, with a private copy
 * of that one level (copy-on-write).
 */
import { compareElements, elementKey, type Path, type PathElement } from './element.js';

/** One element of a level: a member, a prefix of deeper members, or both. */
export interface SetNode {
  readonly el: PathElement;
  readonly key: string;
  member: boolean;
  /** What is below the element; undefined rather than empty. */
  child: FieldSet | undefined;
}

function byElement(a: SetNode, b: SetNode): number {
  return compareElements(a.el, b.el);
}

export class FieldSet {
  /**
   * The level's elements by key. One map for members and children alike, so that a
   * level is listed, copied and emitted in one pass; a node is never both non-member
   * and childless. Node objects are never shared between levels (only child sets are).
   */
  private readonly nodes = new Map<string, SetNode>();
  /** elements() in order, kept until the level gains or loses an element. */
  private sorted: readonly SetNode[] | undefined;
  /** Referenced from more than one place: read-only from now on. */
  private shared = false;

  static of(...paths: Path[]): FieldSet {
    const s = new FieldSet();
    for (const p of paths) s.insert(p);
    return s;
  }

  empty(): boolean {
    return this.nodes.size === 0;
  }

  /** Marks the level as about to gain a second referrer, and returns it. */
  private share(): FieldSet {
    this.shared = true;
    return this;
  }

  private writable(): void {
    if (this.shared) throw new Error('internal error: a shared FieldSet level cannot be changed');
  }

  private put(key: string, node: SetNode): void {
    this.writable();
    this.nodes.set(key, node);
    this.sorted = undefined;
  }

  /** The node of an element, made (neither member nor parent yet) when missing. */
  private nodeFor(el: PathElement): SetNode {
    const key = elementKey(el);
    let n = this.nodes.get(key);
    if (n === undefined) {
      n = { el, key, member: false, child: undefined };
      this.put(key, n);
    } else {
      this.writable();
    }
    return n;
  }

  /** A copy of a node for another level: the child set is shared. */
  private static copyNode(n: SetNode): SetNode {
    return { el: n.el, key: n.key, member: n.member, child: n.child?.share() };
  }

  /** The child of a node of this (writable) level, made private to it if shared. */
  private static writableChild(n: SetNode): FieldSet {
    if (n.child === undefined) n.child = new FieldSet();
    else if (n.child.shared) n.child = n.child.clone();
    return n.child;
  }

  /** Adds a path (mutates). Only the elements are kept, never the array. */
  insert(path: Path): this {
    if (path.length === 0) return this;
    // Walk down level by level: the walkers insert from a shared path stack, so no
    // per-level copies of the path are made.
    let n = this.nodeFor(path[0]!);
    for (let i = 1; i < path.length; i++) n = FieldSet.writableChild(n).nodeFor(path[i]!);
    n.member = true;
    return this;
  }

  has(path: Path): boolean {
    if (path.length === 0) return false;
    let n = this.nodes.get(elementKey(path[0]!));
    for (let i = 1; i < path.length && n !== undefined; i++) n = n.child?.nodes.get(elementKey(path[i]!));
    return n?.member === true;
  }

  hasMember(el: PathElement): boolean {
    return this.nodes.get(elementKey(el))?.member === true;
  }

  /** The subset below one element (upstream's WithPrefix); empty when none. */
  child(el: PathElement): FieldSet {
    return this.nodes.get(elementKey(el))?.child ?? new FieldSet();
  }

  /**
   * Member elements and child elements of this level, each once, in upstream's order.
   * The nodes are the set's own: read them, do not change them.
   */
  elements(): readonly Readonly<SetNode>[] {
    return (this.sorted ??= [...this.nodes.values()].sort(byElement));
  }

  /** The same nodes as elements(), unsorted: for callers to whom order does not matter. */
  unordered(): IterableIterator<Readonly<SetNode>> {
    return this.nodes.values();
  }

  union(other: FieldSet): FieldSet {
    const out = this.clone();
    out.addAll(other);
    return out;
  }

  /** Adds every path of other (mutates). */
  addAll(other: FieldSet): this {
    this.writable();
    for (const [k, o] of other.nodes) {
      const mine = this.nodes.get(k);
      if (mine === undefined) {
        this.put(k, { el: o.el, key: k, member: o.member, child: o.child?.share() });
        continue;
      }
      if (o.member) mine.member = true;
      if (o.child !== undefined && o.child !== mine.child) {
        if (mine.child === undefined) mine.child = o.child.share();
        else FieldSet.writableChild(mine).addAll(o.child);
      }
    }
    return this;
  }

  difference(other: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const [k, n] of this.nodes) {
      const o = other.nodes.get(k);
      if (o === undefined) {
        out.put(k, FieldSet.copyNode(n));
        continue;
      }
      const member = n.member && !o.member;
      const child = n.child === undefined ? undefined : o.child === undefined ? n.child.share() : nonEmpty(n.child.difference(o.child));
      if (member || child !== undefined) out.put(k, { el: n.el, key: k, member, child });
    }
    return out;
  }

  intersection(other: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const [k, n] of this.nodes) {
      const o = other.nodes.get(k);
      if (o === undefined) continue;
      const member = n.member && o.member;
      const child = n.child === undefined || o.child === undefined ? undefined : nonEmpty(n.child.intersection(o.child));
      if (member || child !== undefined) out.put(k, { el: n.el, key: k, member, child });
    }
    return out;
  }

  /**
   * The paths of this set that do not start with any member path of `prefixes`
   * (upstream's RecursiveDifference / ExcludeFieldsFilter with a prefix set).
   */
  withoutPrefixes(prefixes: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const [k, n] of this.nodes) {
      const p = prefixes.nodes.get(k);
      if (p === undefined) {
        out.put(k, FieldSet.copyNode(n));
        continue;
      }
      if (p.member) continue;
      const child = n.child === undefined ? undefined : p.child === undefined ? n.child.share() : nonEmpty(n.child.withoutPrefixes(p.child));
      if (n.member || child !== undefined) out.put(k, { el: n.el, key: k, member: n.member, child });
    }
    return out;
  }

  equals(other: FieldSet): boolean {
    if (this.nodes.size !== other.nodes.size) return false;
    for (const [k, n] of this.nodes) {
      const o = other.nodes.get(k);
      if (o === undefined || o.member !== n.member) return false;
      if (n.child === undefined || o.child === undefined) {
        if (n.child !== o.child) return false;
      } else if (n.child !== o.child && !n.child.equals(o.child)) return false;
    }
    return true;
  }

  /** A private copy of this level; what is below is shared, not copied. */
  clone(): FieldSet {
    const out = new FieldSet();
    for (const [k, n] of this.nodes) out.nodes.set(k, FieldSet.copyNode(n));
    // Same elements, so the same order.
    out.sorted = this.sorted === undefined ? undefined : this.sorted.map((n) => out.nodes.get(n.key)!);
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
    let n = 0;
    for (const c of this.nodes.values()) {
      if (c.member) n++;
      if (c.child !== undefined) n += c.child.size();
    }
    return n;
  }

  /** Internal access for the FieldsV1 codec and the typed walkers. */
  setChild(el: PathElement, set: FieldSet): void {
    this.writable();
    const key = elementKey(el);
    const n = this.nodes.get(key);
    if (set.empty()) {
      if (n === undefined) return;
      if (n.member) n.child = undefined;
      else {
        this.nodes.delete(key);
        this.sorted = undefined;
      }
      return;
    }
    // The caller keeps its reference to `set`.
    if (n === undefined) this.put(key, { el, key, member: false, child: set.share() });
    else n.child = set.share();
  }

  addMember(el: PathElement): void {
    this.nodeFor(el).member = true;
  }
}

function nonEmpty(s: FieldSet): FieldSet | undefined {
  return s.empty() ? undefined : s;
}
