/**
 * Matching-pod counts per topology domain, kept up to date with the scheduling
 * snapshot, so PodTopologySpread reads them instead of recounting every pod on every
 * node each cycle (upstream recounts in PreFilter, on 16 goroutines).
 *
 * One index per (namespace, selector, topology key, required keys): a node is eligible
 * when it carries every required key (the keys of all the pod's constraints, as
 * PreFilter requires), and belongs to the domain named by its topology-key label ('' when
 * absent, which only happens with no required keys). The index holds, per domain, the
 * eligible nodes and the matching pods on them, and per eligible node its matching pods.
 * A pod matches when it is in the namespace, is not terminating and the selector selects
 * it; an empty selector matches nothing (upstream countPodsMatchSelector).
 *
 * It is built from the snapshot's nodes on first use, then follows each NodeInfo the
 * cache replaces (pods bound, assumed, forgotten, deleted, relabelled; nodes added,
 * relabelled, removed) at the cost of the pods of the changed node. The node inclusion
 * policies that depend on the incoming pod (its node affinity, its tolerations) are not
 * folded in: the plugin applies those per node, reading the per-node counts.
 *
 * At most MAX_INDEXES are kept; the least recently used goes first.
 */
import { matches, type Selector } from '../../../apimachinery/labels.js';
import { isTerminating } from '../../framework/helpers.js';
import type { NodeInfo } from '../../framework/nodeinfo.js';
import type { Snapshot, SnapshotObserver } from '../../framework/snapshot.js';
import { selectorIsEmpty } from './defaultselector.js';

const MAX_INDEXES = 32;

export interface Domain {
  /** Eligible nodes in the domain (at least 1 while the domain exists). */
  nodes: number;
  /** Matching pods on them. */
  pods: number;
}

/** Matching pods among the NodeInfo's pods (upstream countPodsMatchSelector). */
export function countMatching(ni: NodeInfo, selector: Selector, namespace: string): number {
  if (selectorIsEmpty(selector)) return 0;
  let n = 0;
  for (const pi of ni.pods) {
    const p = pi.pod;
    if (isTerminating(p) || (p.metadata?.namespace ?? '') !== namespace) continue;
    if (matches(selector, p.metadata?.labels ?? {})) n++;
  }
  return n;
}

export class SpreadIndex {
  readonly domains = new Map<string, Domain>();
  /** Matching pods per eligible node, absent when 0. */
  private readonly perNode = new Map<string, number>();
  lastUsed = 0;

  constructor(
    readonly namespace: string,
    readonly selector: Selector,
    readonly topologyKey: string,
    readonly requiredKeys: readonly string[],
  ) {}

  /** Matching pods on the node as of the snapshot (0 for a node that is not eligible). */
  podsOn(nodeName: string): number {
    return this.perNode.get(nodeName) ?? 0;
  }

  /** The node's domain, or undefined when it is not eligible. */
  private domainOf(ni: NodeInfo): string | undefined {
    const labels = ni.node?.metadata?.labels;
    if (ni.node === undefined) return undefined;
    for (const k of this.requiredKeys) if (labels?.[k] === undefined) return undefined;
    return labels?.[this.topologyKey] ?? '';
  }

  add(ni: NodeInfo): void {
    const v = this.domainOf(ni);
    if (v === undefined) return;
    const n = countMatching(ni, this.selector, this.namespace);
    let d = this.domains.get(v);
    if (d === undefined) this.domains.set(v, (d = { nodes: 0, pods: 0 }));
    d.nodes++;
    d.pods += n;
    if (n > 0) this.perNode.set(ni.name, n);
  }

  /** Takes out what add(ni) put in; ni must be the content the index last saw for that node. */
  remove(ni: NodeInfo): void {
    const v = this.domainOf(ni);
    if (v === undefined) return;
    const d = this.domains.get(v);
    if (d === undefined) return;
    d.nodes--;
    d.pods -= this.perNode.get(ni.name) ?? 0;
    this.perNode.delete(ni.name);
    if (d.nodes <= 0) this.domains.delete(v);
  }
}

/** The PodTopologySpread indexes of one snapshot. */
export class SpreadIndexes implements SnapshotObserver {
  private readonly byKey = new Map<string, SpreadIndex>();
  private uses = 0;

  constructor(private readonly snapshot: Snapshot) {}

  /** The index for these parameters, built from the snapshot's nodes if it does not exist yet. */
  get(namespace: string, selector: Selector, topologyKey: string, requiredKeys: readonly string[]): SpreadIndex {
    const key = `${namespace}\x00${topologyKey}\x00${requiredKeys.join('\x01')}\x00${JSON.stringify(selector)}`;
    let idx = this.byKey.get(key);
    if (idx === undefined) {
      if (this.byKey.size >= MAX_INDEXES) this.evictLeastRecentlyUsed();
      idx = new SpreadIndex(namespace, selector, topologyKey, requiredKeys);
      for (const ni of this.snapshot.byName.values()) idx.add(ni);
      this.byKey.set(key, idx);
    }
    idx.lastUsed = ++this.uses;
    return idx;
  }

  /** Number of live indexes (for tests). */
  get size(): number {
    return this.byKey.size;
  }

  nodeChanged(before: NodeInfo | undefined, after: NodeInfo | undefined): void {
    for (const idx of this.byKey.values()) {
      if (before !== undefined) idx.remove(before);
      if (after !== undefined) idx.add(after);
    }
  }

  private evictLeastRecentlyUsed(): void {
    let oldest: string | undefined;
    let min = Infinity;
    for (const [k, idx] of this.byKey) {
      if (idx.lastUsed < min) {
        min = idx.lastUsed;
        oldest = k;
      }
    }
    if (oldest !== undefined) this.byKey.delete(oldest);
  }
}

/** The indexes kept on this snapshot (created on first use). */
export function spreadIndexes(snapshot: Snapshot): SpreadIndexes {
  return snapshot.observer('PodTopologySpread', (s) => new SpreadIndexes(s));
}
