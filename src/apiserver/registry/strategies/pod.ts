/**
 * Pods: created Pending; deleted gracefully (terminationGracePeriodSeconds, default
 * 30) once bound to a node, immediately while unscheduled, as upstream, because only
 * a kubelet can confirm the containers stopped.
 */
import type { KObject, Strategy } from '../strategy.js';

function qosClass(pod: KObject): string {
  const spec = (pod.spec ?? {}) as Record<string, any>;
  const containers = [...((spec.containers as any[]) ?? []), ...((spec.initContainers as any[]) ?? [])];
  let any = false;
  let guaranteed = containers.length > 0;
  for (const c of containers) {
    const req = (c?.resources?.requests ?? {}) as Record<string, string>;
    const lim = (c?.resources?.limits ?? {}) as Record<string, string>;
    for (const r of ['cpu', 'memory']) {
      if (req[r] !== undefined || lim[r] !== undefined) any = true;
      if (lim[r] === undefined || (req[r] !== undefined && req[r] !== lim[r])) guaranteed = false;
    }
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

export function podStrategy(base: Strategy): Strategy {
  return {
    ...base,
    prepareForCreate(obj: KObject): void {
      obj.status = { phase: 'Pending', qosClass: qosClass(obj) };
    },
    defaultGracePeriodSeconds(obj: KObject): number | undefined {
      const spec = (obj.spec ?? {}) as Record<string, unknown>;
      if (typeof spec.nodeName !== 'string' || spec.nodeName === '') return 0;
      const phase = (obj.status as Record<string, unknown> | undefined)?.phase;
      if (phase === 'Succeeded' || phase === 'Failed') return 0;
      const g = spec.terminationGracePeriodSeconds;
      return typeof g === 'number' ? g : 30;
    },
  };
}
