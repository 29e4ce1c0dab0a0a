/**
 * The scheduler's cache (upstream internal/cache): nodes and the pods on them, from
 * the informers, plus pods the scheduler has assumed onto a node before the binding
 * is confirmed. Assuming right after Reserve lets the next cycle count the pod's
 * resources while its binding is still in flight; the informer's event for the bound
 * pod confirms it, a failed binding forgets it.
 *
 * updateSnapshot() refreshes a Snapshot with the NodeInfos changed since the last
 * call, so a cycle costs O(changed nodes), not O(cluster); the snapshot's observers
 * (derived counts) are told of each replaced NodeInfo the same way.
 */
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { podUID } from './framework/helpers.js';
import { NodeInfo } from './framework/nodeinfo.js';
import { PodInfo } from './framework/podinfo.js';
import { zoneKey, type Snapshot } from './framework/snapshot.js';

interface PodState {
  pod: Pod;
  nodeName: string;
  assumed: boolean;
  bindingFinished: boolean;
}

export class SchedulerCache {
  private readonly nodes = new Map<string, NodeInfo>();
  private readonly pods = new Map<string, PodState>();
  private readonly dirty = new Set<string>();
  private nodeOrder: string[] = [];
  private orderChanged = false;

  private nodeInfo(name: string): NodeInfo {
    let ni = this.nodes.get(name);
    if (ni === undefined) this.nodes.set(name, (ni = new NodeInfo()));
    return ni;
  }

  addNode(node: Node): void {
    const name = node.metadata?.name ?? '';
    const ni = this.nodeInfo(name);
    if (ni.node === undefined) {
      this.nodeOrder.push(name);
      this.orderChanged = true;
    } else if (zoneKey(ni.node) !== zoneKey(node)) {
      this.orderChanged = true;
    }
    ni.setNode(node);
    this.dirty.add(name);
  }

  updateNode(_oldNode: Node | undefined, newNode: Node): void {
    this.addNode(newNode);
  }

  /** Forgets the node; its pods' NodeInfo stays (without a node) until they are gone, as upstream. */
  removeNode(node: Node): void {
    const name = node.metadata?.name ?? '';
    const ni = this.nodes.get(name);
    if (ni === undefined) return;
    if (ni.node !== undefined) {
      this.nodeOrder = this.nodeOrder.filter((n) => n !== name);
      this.orderChanged = true;
    }
    if (ni.pods.length === 0) this.nodes.delete(name);
    else ni.removeNode();
    this.dirty.add(name);
  }

  private addPodToNode(pod: Pod, nodeName: string): void {
    this.nodeInfo(nodeName).addPod(new PodInfo(pod));
    this.dirty.add(nodeName);
  }

  private removePodFromNode(pod: Pod, nodeName: string): void {
    const ni = this.nodes.get(nodeName);
    if (ni === undefined) return;
    ni.removePod(pod);
    if (ni.node === undefined && ni.pods.length === 0) this.nodes.delete(nodeName);
    this.dirty.add(nodeName);
  }

  /** Puts a pod (spec.nodeName set to the chosen node) on its node before the binding is confirmed. */
  assumePod(pod: Pod): void {
    const k = podUID(pod);
    if (this.pods.has(k)) throw new Error(`pod ${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''} (${k}) is in the cache, so can't be assumed`);
    const nodeName = pod.spec?.nodeName ?? '';
    this.addPodToNode(pod, nodeName);
    this.pods.set(k, { pod, nodeName, assumed: true, bindingFinished: false });
  }

  finishBinding(pod: Pod): void {
    const st = this.pods.get(podUID(pod));
    if (st !== undefined && st.assumed) st.bindingFinished = true;
  }

  /** Drops an assumed pod (binding failed). */
  forgetPod(pod: Pod): void {
    const k = podUID(pod);
    const st = this.pods.get(k);
    if (st === undefined || !st.assumed) return;
    this.removePodFromNode(st.pod, st.nodeName);
    this.pods.delete(k);
  }

  isAssumedPod(pod: Pod): boolean {
    return this.pods.get(podUID(pod))?.assumed ?? false;
  }

  /** A pod bound to a node (informer add); confirms it when it was assumed. */
  addPod(pod: Pod): void {
    const k = podUID(pod);
    const nodeName = pod.spec?.nodeName ?? '';
    const st = this.pods.get(k);
    if (st !== undefined) {
      if (st.assumed && st.nodeName !== nodeName) {
        // Bound somewhere else than assumed: move it.
        this.removePodFromNode(st.pod, st.nodeName);
        this.addPodToNode(pod, nodeName);
      } else {
        this.removePodFromNode(st.pod, st.nodeName);
        this.addPodToNode(pod, nodeName);
      }
      this.pods.set(k, { pod, nodeName, assumed: false, bindingFinished: true });
      return;
    }
    this.addPodToNode(pod, nodeName);
    this.pods.set(k, { pod, nodeName, assumed: false, bindingFinished: true });
  }

  updatePod(_oldPod: Pod | undefined, newPod: Pod): void {
    this.addPod(newPod);
  }

  removePod(pod: Pod): void {
    const k = podUID(pod);
    const st = this.pods.get(k);
    if (st === undefined) return;
    this.removePodFromNode(st.pod, st.nodeName);
    this.pods.delete(k);
  }

  getPod(pod: Pod): Pod | undefined {
    return this.pods.get(podUID(pod))?.pod;
  }

  nodeCount(): number {
    let n = 0;
    for (const ni of this.nodes.values()) if (ni.node !== undefined) n++;
    return n;
  }

  podCount(): number {
    return this.pods.size;
  }

  /** The live NodeInfo (for tests and debugging; do not mutate). */
  getNodeInfo(name: string): NodeInfo | undefined {
    return this.nodes.get(name);
  }

  /** Brings the snapshot up to date with the nodes changed since the last call (upstream UpdateSnapshot). */
  updateSnapshot(snap: Snapshot): void {
    let updateAll = this.orderChanged;
    let updateAffinity = false;
    for (const name of this.dirty) {
      const ni = this.nodes.get(name);
      const existing = snap.byName.get(name);
      if (ni === undefined || ni.node === undefined) {
        if (existing !== undefined) {
          snap.nodeChanged(existing, undefined);
          snap.byName.delete(name);
          updateAll = true;
        }
        continue;
      }
      const c = ni.clone();
      snap.nodeChanged(existing, c);
      if (existing === undefined) {
        snap.byName.set(name, c);
        updateAll = true;
        continue;
      }
      if ((existing.podsWithAffinity.length > 0) !== (c.podsWithAffinity.length > 0)) updateAffinity = true;
      if ((existing.podsWithRequiredAntiAffinity.length > 0) !== (c.podsWithRequiredAntiAffinity.length > 0)) updateAffinity = true;
      Object.assign(existing, c);
    }
    this.dirty.clear();
    this.orderChanged = false;
    if (updateAll) snap.rebuildLists(this.nodeOrder);
    else if (updateAffinity) snap.rebuildAffinityLists();
  }
}
