/**
 * Why a pod fits no node, and the message users read in the FailedScheduling event and
 * the PodScheduled condition (upstream framework.FitError / Diagnosis / NodeToStatus).
 *
 *   0/<all nodes> nodes are available: <PreFilter message>.            (PreFilter rejected)
 *   0/<all nodes> nodes are available: <n> <reason>, <m> <reason>.    (Filter rejected)
 *   ... followed by " <PostFilter message>" when PostFilter said something, e.g.
 *   " preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling."
 *
 * Per-node reasons are counted over all nodes (a node contributes every reason its
 * status carries), formatted "<count> <reason>", sorted as strings and joined with ", ".
 */
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { NodeInfo } from './nodeinfo.js';
import { Status, type Code } from './status.js';

export const NO_NODE_AVAILABLE_MSG = (n: number): string => `0/${n} nodes are available`;

/** Upstream ErrNoNodesAvailable. */
export const ERR_NO_NODES_AVAILABLE = 'no nodes available to schedule pods';

/**
 * The status of every node that did not pass: explicit entries for nodes that were
 * evaluated, and one shared status for the nodes that were not (absent nodes).
 */
export class NodeToStatus {
  private readonly map = new Map<string, Status>();
  /** Status of nodes not in the map; UnschedulableAndUnresolvable without reasons by default. */
  absentNodesStatus: Status = new Status('UnschedulableAndUnresolvable');

  set(nodeName: string, status: Status): void {
    this.map.set(nodeName, status);
  }

  /** The node's explicit status, or the absent-nodes status. */
  get(nodeName: string): Status {
    return this.map.get(nodeName) ?? this.absentNodesStatus;
  }

  has(nodeName: string): boolean {
    return this.map.has(nodeName);
  }

  get size(): number {
    return this.map.size;
  }

  entries(): IterableIterator<[string, Status]> {
    return this.map.entries();
  }

  /** Nodes (from all) whose status, explicit or absent, has the code (upstream NodesForStatusCode). */
  nodesForStatusCode(all: readonly NodeInfo[], code: Code): NodeInfo[] {
    if (this.absentNodesStatus.code === code) return all.filter((n) => this.get(n.name).code === code);
    const out: NodeInfo[] = [];
    for (const n of all) {
      const s = this.map.get(n.name);
      if (s !== undefined && s.code === code) out.push(n);
    }
    return out;
  }
}

export interface Diagnosis {
  nodeToStatus: NodeToStatus;
  /** Plugins that rejected the pod; the queue moves it on events they registered. */
  unschedulablePlugins: Set<string>;
  /** The PreFilter rejection message, when PreFilter rejected. */
  preFilterMsg: string;
  /** What PostFilter said (e.g. "preemption: ..."). */
  postFilterMsg: string;
}

export function newDiagnosis(): Diagnosis {
  return { nodeToStatus: new NodeToStatus(), unschedulablePlugins: new Set(), preFilterMsg: '', postFilterMsg: '' };
}

/** Builds the aggregated message (upstream FitError.Error). */
export function fitErrorMessage(numAllNodes: number, d: Diagnosis): string {
  let msg = `${NO_NODE_AVAILABLE_MSG(numAllNodes)}:`;
  if (d.preFilterMsg !== '') {
    msg += ` ${d.preFilterMsg}.`;
  } else {
    const counts = new Map<string, number>();
    for (const [, status] of d.nodeToStatus.entries()) {
      for (const r of status.reasons) counts.set(r, (counts.get(r) ?? 0) + 1);
    }
    const absent = numAllNodes - d.nodeToStatus.size;
    if (absent > 0) {
      for (const r of d.nodeToStatus.absentNodesStatus.reasons) counts.set(r, (counts.get(r) ?? 0) + absent);
    }
    const parts = [...counts].map(([r, n]) => `${n} ${r}`);
    // Go's sort.Strings: byte-wise order, which for these ASCII strings is UTF-16 order.
    parts.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    if (parts.length > 0) msg += ` ${parts.join(', ')}.`;
  }
  if (d.postFilterMsg !== '') msg += ` ${d.postFilterMsg}`;
  return msg;
}

/** A pod that fits no node; message() is the aggregated text (computed on demand, PostFilter may still add to it). */
export class FitError {
  constructor(
    readonly pod: Pod,
    readonly numAllNodes: number,
    readonly diagnosis: Diagnosis,
  ) {}

  message(): string {
    return fitErrorMessage(this.numAllNodes, this.diagnosis);
  }
}
