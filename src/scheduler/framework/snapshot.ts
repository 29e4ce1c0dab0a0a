/**
 * The scheduler's view of the cluster for one scheduling cycle (upstream
 * internal/cache.Snapshot): NodeInfo copies taken from the cache before the cycle
 * starts, so a cycle sees one consistent state while informer events keep arriving.
 * Plugins treat it as read-only; preemption and the nominated-pods check clone the
 * NodeInfos they change.
 *
 * Plugins that would otherwise recount something over every node each cycle (e.g.
 * PodTopologySpread's matching pods per domain) register an observer: it is built once
 * from the nodes, then told of each NodeInfo the cache replaces, so it stays in step
 * with the snapshot at the cost of the changed nodes only.
 */
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { NodeInfo } from './nodeinfo.js';
import { LABEL_TOPOLOGY_REGION, LABEL_TOPOLOGY_ZONE } from './helpers.js';

/** Derived state kept in step with a Snapshot's nodes. */
export interface SnapshotObserver {
  /**
   * A node's NodeInfo changes: before is the content until now (undefined for a node new
   * to the snapshot), after the content from now on (undefined when it leaves). Called
   * before the snapshot itself changes, so before is still intact.
   */
  nodeChanged(before: NodeInfo | undefined, after: NodeInfo | undefined): void;
}

export class Snapshot {
  /** Nodes in scheduling order: zones interleaved (upstream nodeTree), insertion order within a zone. */
  nodeInfoList: NodeInfo[] = [];
  havePodsWithAffinityList: NodeInfo[] = [];
  havePodsWithRequiredAntiAffinityList: NodeInfo[] = [];
  readonly byName = new Map<string, NodeInfo>();
  /** The cache generation the snapshot is current to. */
  generation = 0;
  private readonly observers = new Map<string, SnapshotObserver>();

  /**
   * The observer registered under key, created by create on first use (it reads the
   * snapshot's current nodes then). Whoever changes the snapshot's NodeInfos calls
   * nodeChanged first, as SchedulerCache.updateSnapshot does.
   */
  observer<T extends SnapshotObserver>(key: string, create: (s: Snapshot) => T): T {
    let o = this.observers.get(key);
    if (o === undefined) this.observers.set(key, (o = create(this)));
    return o as T;
  }

  nodeChanged(before: NodeInfo | undefined, after: NodeInfo | undefined): void {
    for (const o of this.observers.values()) o.nodeChanged(before, after);
  }

  get(name: string): NodeInfo | undefined {
    return this.byName.get(name);
  }

  list(): NodeInfo[] {
    return this.nodeInfoList;
  }

  numNodes(): number {
    return this.nodeInfoList.length;
  }

  /** Rebuilds the ordered lists from byName (after nodes were added, removed or changed). */
  rebuildLists(order: readonly string[]): void {
    const zones = new Map<string, NodeInfo[]>();
    for (const name of order) {
      const ni = this.byName.get(name);
      if (ni === undefined || ni.node === undefined) continue;
      const z = zoneKey(ni.node);
      let list = zones.get(z);
      if (list === undefined) zones.set(z, (list = []));
      list.push(ni);
    }
    const groups = [...zones.values()];
    const out: NodeInfo[] = [];
    for (let i = 0; ; i++) {
      let added = false;
      for (const g of groups) {
        const ni = g[i];
        if (ni !== undefined) {
          out.push(ni);
          added = true;
        }
      }
      if (!added) break;
    }
    this.nodeInfoList = out;
    this.rebuildAffinityLists();
  }

  rebuildAffinityLists(): void {
    this.havePodsWithAffinityList = this.nodeInfoList.filter((n) => n.podsWithAffinity.length > 0);
    this.havePodsWithRequiredAntiAffinityList = this.nodeInfoList.filter((n) => n.podsWithRequiredAntiAffinity.length > 0);
  }

  /** A snapshot straight from objects, for tests and simulations: pods go to the node named in spec.nodeName. */
  static from(nodes: readonly Node[], pods: readonly Pod[] = []): Snapshot {
    const s = new Snapshot();
    const order: string[] = [];
    for (const n of nodes) {
      const name = n.metadata?.name ?? '';
      s.byName.set(name, new NodeInfo(n));
      order.push(name);
    }
    for (const p of pods) {
      const nn = p.spec?.nodeName;
      if (nn === undefined || nn === '') continue;
      let ni = s.byName.get(nn);
      if (ni === undefined) s.byName.set(nn, (ni = new NodeInfo()));
      ni.addPod(p);
    }
    s.rebuildLists(order);
    return s;
  }
}

/** Upstream utilnode.GetZoneKey: region and zone joined, '' when the node has neither. */
export function zoneKey(node: Node): string {
  const l = node.metadata?.labels ?? {};
  const region = l[LABEL_TOPOLOGY_REGION] ?? l['failure-domain.beta.kubernetes.io/region'] ?? '';
  const zone = l[LABEL_TOPOLOGY_ZONE] ?? l['failure-domain.beta.kubernetes.io/zone'] ?? '';
  if (region === '' && zone === '') return '';
  return `${region}:\x00:${zone}`;
}
