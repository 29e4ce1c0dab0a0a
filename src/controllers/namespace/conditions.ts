/**
 * The status conditions the namespace controller keeps on a terminating namespace
 * (upstream's namespace_conditions.go): all five types are always present, False with
 * an "ok" reason and message unless this pass found the matching problem.
 */
import { rfc3339 } from '../../util/clock.js';

export interface NamespaceCondition {
  type: string;
  status: string;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

export const DISCOVERY_FAILURE = 'NamespaceDeletionDiscoveryFailure';
export const GV_PARSING_FAILURE = 'NamespaceDeletionGroupVersionParsingFailure';
export const CONTENT_FAILURE = 'NamespaceDeletionContentFailure';
export const CONTENT_REMAINING = 'NamespaceContentRemaining';
export const FINALIZERS_REMAINING = 'NamespaceFinalizersRemaining';

export const CONDITION_TYPES = [DISCOVERY_FAILURE, GV_PARSING_FAILURE, CONTENT_FAILURE, CONTENT_REMAINING, FINALIZERS_REMAINING] as const;

const OK_MESSAGES: Readonly<Record<string, string>> = {
  [DISCOVERY_FAILURE]: 'All resources successfully discovered',
  [GV_PARSING_FAILURE]: 'All legacy kube types successfully parsed',
  [CONTENT_FAILURE]: 'All content successfully deleted, may be waiting on finalization',
  [CONTENT_REMAINING]: 'All content successfully removed',
  [FINALIZERS_REMAINING]: 'All content-preserving finalizers finished',
};

const OK_REASONS: Readonly<Record<string, string>> = {
  [DISCOVERY_FAILURE]: 'ResourcesDiscovered',
  [GV_PARSING_FAILURE]: 'ParsedGroupVersions',
  [CONTENT_FAILURE]: 'ContentDeleted',
  [CONTENT_REMAINING]: 'ContentRemoved',
  [FINALIZERS_REMAINING]: 'ContentHasNoFinalizers',
};

export interface ContentTotals {
  /** "resource.group" (core: "pods.") -> instances remaining. */
  gvrToNumRemaining: Map<string, number>;
  finalizersToNumRemaining: Map<string, number>;
}

export class NamespaceConditionUpdater {
  private readonly newConditions: NamespaceCondition[] = [];
  private readonly deleteContentErrors: string[] = [];

  constructor(private readonly now: number) {}

  private at(): string {
    return rfc3339(this.now);
  }

  /** failingGroups: how many group versions failed (upstream's ErrGroupDiscoveryFailed), if that is the error. */
  processDiscoverResourcesErr(message: string, failingGroups?: number): void {
    const msg = failingGroups !== undefined ? `Discovery failed for some groups, ${failingGroups} failing: ${message}` : message;
    this.newConditions.push({ type: DISCOVERY_FAILURE, status: 'True', lastTransitionTime: this.at(), reason: 'DiscoveryFailed', message: msg });
  }

  processDeleteContentErr(message: string): void {
    this.deleteContentErrors.push(message);
  }

  processContentTotals(t: ContentTotals): void {
    const remaining = [...t.gvrToNumRemaining].filter(([, n]) => n !== 0).map(([gr, n]) => `${gr} has ${n} resource instances`).sort();
    if (t.gvrToNumRemaining.size > 0) {
      this.newConditions.push({
        type: CONTENT_REMAINING,
        status: 'True',
        lastTransitionTime: this.at(),
        reason: 'SomeResourcesRemain',
        message: `Some resources are remaining: ${remaining.join(', ')}`,
      });
    }
    const byFinalizer = [...t.finalizersToNumRemaining].filter(([, n]) => n !== 0).map(([f, n]) => `${f} in ${n} resource instances`).sort();
    if (t.finalizersToNumRemaining.size > 0) {
      this.newConditions.push({
        type: FINALIZERS_REMAINING,
        status: 'True',
        lastTransitionTime: this.at(),
        reason: 'SomeFinalizersRemain',
        message: `Some content in the namespace has finalizers remaining: ${byFinalizer.join(', ')}`,
      });
    }
  }

  /** Brings conditions (in place) up to date; true when anything changed. */
  update(status: { conditions?: NamespaceCondition[] }): boolean {
    if (!this.newConditions.some((c) => c.type === CONTENT_FAILURE) && this.deleteContentErrors.length > 0) {
      const msgs = [...this.deleteContentErrors].sort();
      this.newConditions.push({
        type: CONTENT_FAILURE,
        status: 'True',
        lastTransitionTime: this.at(),
        reason: 'ContentDeletionFailed',
        message: `Failed to delete all resource types, ${msgs.length} remaining: ${msgs.join(', ')}`,
      });
    }
    let changed = false;
    const conds = (status.conditions ??= []);
    for (const type of CONDITION_TYPES) {
      const next = this.newConditions.find((c) => c.type === type) ?? {
        type,
        status: 'False',
        lastTransitionTime: this.at(),
        reason: OK_REASONS[type],
        message: OK_MESSAGES[type],
      };
      const old = conds.find((c) => c.type === type);
      if (old === undefined) {
        conds.push({ ...next });
        changed = true;
      } else if (old.status !== next.status || old.message !== next.message || old.reason !== next.reason) {
        if (old.status !== next.status) old.lastTransitionTime = this.at();
        old.status = next.status;
        old.reason = next.reason;
        old.message = next.message;
        changed = true;
      }
    }
    return changed;
  }
}
