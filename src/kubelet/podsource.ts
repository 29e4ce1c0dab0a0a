/**
 * One shared pod informer, many node agents: a single event handler on the informer
 * routes each pod event to the agent of the pod's spec.nodeName in O(1), and agents
 * list their pods through the informer's NODE_NAME_INDEX. Thousands of simulated
 * agents in one process thus share one list+watch and one cache, and an event costs
 * one map lookup instead of one call per agent.
 *
 * Contract:
 *   - PodsByNode.for(informer) returns the one dispatcher of that informer (created on
 *     first use; it adds the nodeName index when missing and one event handler).
 *   - subscribe(nodeName, handler) delivers, in informer order, onPod for every add or
 *     update of a pod bound to nodeName, and onPodDeleted when such a pod goes (or
 *     moves to another node). Events before subscribe() are not replayed: list() the
 *     cache after subscribing. One subscriber per node name; a second replaces the first.
 *   - Handlers run inside the informer's dispatch: they must be quick (enqueue a key).
 */
import { NODE_NAME_INDEX, nodeNameIndexFunc, unwrapTombstone } from '../client/indexer.js';
import type { SharedInformer } from '../client/informer.js';
import type { PodObject } from './types.js';

export interface NodePodHandler {
  onPod(pod: PodObject): void;
  onPodDeleted(pod: PodObject): void;
}

const dispatchers = new WeakMap<SharedInformer<PodObject>, PodsByNode>();

function nodeOf(pod: PodObject | undefined): string {
  const n = pod?.spec?.nodeName;
  return typeof n === 'string' ? n : '';
}

export class PodsByNode {
  private readonly subs = new Map<string, NodePodHandler>();

  static for(informer: SharedInformer<PodObject>): PodsByNode {
    let d = dispatchers.get(informer);
    if (d === undefined) {
      d = new PodsByNode(informer);
      dispatchers.set(informer, d);
    }
    return d;
  }

  private constructor(readonly informer: SharedInformer<PodObject>) {
    if (!informer.getIndexer().indexNames().includes(NODE_NAME_INDEX)) informer.addIndexers({ [NODE_NAME_INDEX]: nodeNameIndexFunc });
    informer.addEventHandler({
      onAdd: (pod) => this.subs.get(nodeOf(pod))?.onPod(pod),
      onUpdate: (old, pod) => {
        const was = nodeOf(old);
        const now = nodeOf(pod);
        if (was !== '' && was !== now) this.subs.get(was)?.onPodDeleted(old);
        this.subs.get(now)?.onPod(pod);
      },
      onDelete: (obj) => {
        const pod = unwrapTombstone(obj);
        this.subs.get(nodeOf(pod))?.onPodDeleted(pod);
      },
    });
  }

  subscribe(nodeName: string, handler: NodePodHandler): () => void {
    this.subs.set(nodeName, handler);
    return () => {
      if (this.subs.get(nodeName) === handler) this.subs.delete(nodeName);
    };
  }

  /** Pods in the cache bound to nodeName. */
  list(nodeName: string): PodObject[] {
    return this.informer.getIndexer().byIndex(NODE_NAME_INDEX, nodeName);
  }

  /** Node names with a subscriber. */
  get subscribers(): number {
    return this.subs.size;
  }
}
