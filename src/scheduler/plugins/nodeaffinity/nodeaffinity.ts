/**
 * NodeAffinity (upstream plugins/nodeaffinity): Filter applies spec.nodeSelector and
 * the required node affinity (matchExpressions on labels, matchFields on
 * metadata.name); PreFilter narrows the search to the named nodes when every required
 * term pins metadata.name; Score sums the weights of the preferred terms a node
 * matches, normalised to 0..100.
 */
import type { Pod, PreferredSchedulingTerm } from 'kubernetes-types/core/v1.js';
import type { CycleState, StateData } from '../../framework/cyclestate.js';
import { ActionType, type ClusterEvent } from '../../framework/events.js';
import { defaultNormalizeScore, MAX_NODE_SCORE, nodeSelectorTermMatches, podMatchesNodeSelectorAndAffinityTerms } from '../../framework/helpers.js';
import type { EnqueueExtensions, FilterPlugin, NodeScore, PreFilterPlugin, PreFilterResult, PreScorePlugin, ScorePlugin } from '../../framework/interface.js';
import type { NodeInfo } from '../../framework/nodeinfo.js';
import { skip, Status, SUCCESS } from '../../framework/status.js';
import { Names } from '../names.js';

export const ERR_REASON_POD = "node(s) didn't match Pod's node affinity/selector";
export const ERR_REASON_CONFLICT = 'pod affinity terms conflict';

const PRE_SCORE_KEY = 'PreScore' + Names.NodeAffinity;

class PreScoreState implements StateData {
  constructor(readonly preferred: PreferredSchedulingTerm[]) {}
  clone(): StateData {
    return this;
  }
}

export class NodeAffinity implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin, EnqueueExtensions {
  readonly name = Names.NodeAffinity;

  preFilter(_state: CycleState, pod: Pod): { result?: PreFilterResult; status: Status } {
    const required = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
    if ((required === undefined || required === null) && (pod.spec?.nodeSelector === undefined || pod.spec?.nodeSelector === null)) {
      return { status: skip() };
    }
    const terms = required?.nodeSelectorTerms ?? [];
    if (terms.length === 0) return { status: SUCCESS };
    let names: Set<string> | undefined;
    for (const t of terms) {
      let termNames: Set<string> | undefined;
      for (const f of t.matchFields ?? []) {
        if (f.key !== 'metadata.name' || f.operator !== 'In') continue;
        const s = new Set(f.values ?? []);
        termNames = termNames === undefined ? s : new Set([...termNames].filter((n) => s.has(n)));
      }
      // A term without a metadata.name pin admits every node: the terms are ORed.
      if (termNames === undefined) return { status: SUCCESS };
      names = new Set([...(names ?? []), ...termNames]);
    }
    if (names !== undefined && names.size === 0) return { status: new Status('UnschedulableAndUnresolvable', [ERR_REASON_CONFLICT]) };
    return { result: { nodeNames: names }, status: SUCCESS };
  }

  filter(_state: CycleState, pod: Pod, nodeInfo: NodeInfo): Status {
    if (nodeInfo.node === undefined) return new Status('Error', ['node not found']);
    if (podMatchesNodeSelectorAndAffinityTerms(pod, nodeInfo.node)) return SUCCESS;
    return new Status('UnschedulableAndUnresolvable', [ERR_REASON_POD]);
  }

  preScore(state: CycleState, pod: Pod): Status {
    const preferred = (pod.spec?.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []).filter((t) => t.weight !== 0);
    if (preferred.length === 0) return skip();
    state.write(PRE_SCORE_KEY, new PreScoreState(preferred));
    return SUCCESS;
  }

  score(state: CycleState, pod: Pod, nodeInfo: NodeInfo): number {
    const node = nodeInfo.node;
    if (node === undefined) return 0;
    const preferred = state.read<PreScoreState>(PRE_SCORE_KEY)?.preferred ?? pod.spec?.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? [];
    let count = 0;
    for (const t of preferred) {
      if (t.weight !== 0 && nodeSelectorTermMatches(t.preference, node)) count += t.weight;
    }
    return count;
  }

  normalizeScore(_state: CycleState, _pod: Pod, scores: NodeScore[]): Status {
    defaultNormalizeScore(MAX_NODE_SCORE, false, scores);
    return SUCCESS;
  }

  eventsToRegister(): ClusterEvent[] {
    return [{ resource: 'Node', actionType: ActionType.Add | ActionType.UpdateNodeLabel }];
  }
}

export function newNodeAffinity(): NodeAffinity {
  return new NodeAffinity();
}
