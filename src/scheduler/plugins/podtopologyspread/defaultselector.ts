/**
 * The selector implied by what owns or exposes a pod (upstream plugins/helper
 * DefaultSelector): the merged selectors of the Services selecting it, plus the
 * selector of its controlling ReplicationController, ReplicaSet or StatefulSet. Used
 * by PodTopologySpread's default (system) constraints.
 */
import type { Pod } from 'kubernetes-types/core/v1.js';
import { isEverything, selectorFromLabelSelector, selectorFromSet, matches, type Requirement, type Selector } from '../../../apimachinery/labels.js';
import type { SchedulerListers } from '../../framework/interface.js';

export function defaultSelector(pod: Pod, listers: SchedulerListers): Selector {
  const ns = pod.metadata?.namespace ?? '';
  const labels = pod.metadata?.labels ?? {};
  const set: Record<string, string> = {};
  for (const svc of listers.services(ns)) {
    const sel = svc.spec?.selector;
    // Services with a nil selector match nothing, not everything.
    if (sel === undefined || sel === null) continue;
    if (matches(selectorFromSet(sel), labels)) Object.assign(set, sel);
  }
  let reqs: Requirement[] = [...selectorFromSet(set).requirements];
  const owner = (pod.metadata?.ownerReferences ?? []).find((o) => o.controller === true);
  if (owner !== undefined) {
    const group = owner.apiVersion.includes('/') ? owner.apiVersion.slice(0, owner.apiVersion.indexOf('/')) : '';
    const extra = (ls: unknown): void => {
      try {
        const s = selectorFromLabelSelector(ls);
        if (!s.nothing) reqs = [...reqs, ...s.requirements];
      } catch {
        // an invalid selector adds nothing
      }
    };
    if (group === '' && owner.kind === 'ReplicationController') {
      const rc = listers.replicationController(ns, owner.name);
      if (rc?.spec?.selector !== undefined) {
        Object.assign(set, rc.spec.selector);
        reqs = [...selectorFromSet(set).requirements];
      }
    } else if (group === 'apps' && owner.kind === 'ReplicaSet') {
      const rs = listers.replicaSet(ns, owner.name);
      if (rs !== undefined) extra(rs.spec?.selector);
    } else if (group === 'apps' && owner.kind === 'StatefulSet') {
      const ss = listers.statefulSet(ns, owner.name);
      if (ss !== undefined) extra(ss.spec?.selector);
    }
  }
  return { requirements: reqs, nothing: false };
}

export function selectorIsEmpty(s: Selector): boolean {
  return isEverything(s);
}
