/**
 * Fields of features that are off by default in Kubernetes 1.32 (alpha, or beta but
 * disabled), which upstream's strategies drop from writes unless the stored object
 * already uses them (dropDisabledPodFields, dropDisabledFields of Lease). The schema
 * declares them, so clients may send them; a 1.32 server then silently ignores them.
 *
 *   PodLevelResources (alpha)           spec.resources
 *   SupplementalGroupsPolicy (alpha)    spec.securityContext.supplementalGroupsPolicy
 *   SELinuxChangePolicy (alpha)         spec.securityContext.seLinuxChangePolicy
 *   UserNamespacesSupport (beta, off)   spec.hostUsers
 *   DynamicResourceAllocation (beta, off) spec.resourceClaims, containers[].resources.claims
 *   ImageVolume (alpha)                 volumes[].image (validation then finds no source)
 *   CoordinatedLeaderElection (alpha)   Lease spec.strategy, spec.preferredHolder
 */
import { isObject as isObj } from '../../../apimachinery/meta.js';
import type { KObject } from '../strategy.js';

type Obj = Record<string, any>;

function containersOf(spec: Obj): Obj[] {
  return ['containers', 'initContainers', 'ephemeralContainers'].flatMap((k) => (Array.isArray(spec[k]) ? (spec[k] as unknown[]).filter(isObj) : []));
}

/** Whether the old spec used a field (then an update may keep it, as upstream). */
function inUse(old: Obj | undefined, read: (spec: Obj) => boolean): boolean {
  return old !== undefined && read(old);
}

/** Drops the disabled-feature fields of a pod spec (mutates `spec`). */
export function dropDisabledPodSpecFields(spec: Obj, old: Obj | undefined): void {
  if (!inUse(old, (s) => s.resources !== undefined)) delete spec.resources;
  const sc = spec.securityContext;
  if (isObj(sc)) {
    if (!inUse(old, (s) => s.securityContext?.supplementalGroupsPolicy !== undefined)) delete sc.supplementalGroupsPolicy;
    if (!inUse(old, (s) => s.securityContext?.seLinuxChangePolicy !== undefined)) delete sc.seLinuxChangePolicy;
  }
  if (!inUse(old, (s) => s.hostUsers !== undefined)) delete spec.hostUsers;
  const claimsInUse = inUse(old, (s) => (Array.isArray(s.resourceClaims) && s.resourceClaims.length > 0) || containersOf(s).some((c) => Array.isArray(c.resources?.claims)));
  if (!claimsInUse) {
    delete spec.resourceClaims;
    for (const c of containersOf(spec)) if (isObj(c.resources)) delete c.resources.claims;
  }
  if (Array.isArray(spec.volumes) && !inUse(old, (s) => Array.isArray(s.volumes) && s.volumes.some((v: Obj) => isObj(v) && v.image !== undefined))) {
    for (const v of spec.volumes) if (isObj(v)) delete v.image;
  }
}

/** Where each kind keeps its pod spec. */
const podSpecPaths: Record<string, string[]> = {
  '/Pod': ['spec'],
  '/PodTemplate': ['template', 'spec'],
  '/ReplicationController': ['spec', 'template', 'spec'],
  'apps/Deployment': ['spec', 'template', 'spec'],
  'apps/ReplicaSet': ['spec', 'template', 'spec'],
  'apps/DaemonSet': ['spec', 'template', 'spec'],
  'apps/StatefulSet': ['spec', 'template', 'spec'],
  'batch/Job': ['spec', 'template', 'spec'],
  'batch/CronJob': ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
};

function at(o: unknown, path: string[]): Obj | undefined {
  let cur: unknown = o;
  for (const p of path) cur = isObj(cur) ? cur[p] : undefined;
  return isObj(cur) ? cur : undefined;
}

/** The dropper for a group/kind, or undefined when the kind has no such fields. */
export function disabledFieldsDropper(group: string, kind: string): ((obj: KObject, old: KObject | undefined) => void) | undefined {
  const path = podSpecPaths[`${group}/${kind}`];
  if (path !== undefined) {
    return (obj, old) => {
      const spec = at(obj, path);
      if (spec !== undefined) dropDisabledPodSpecFields(spec, old === undefined ? undefined : at(old, path));
    };
  }
  if (group === 'coordination.k8s.io' && kind === 'Lease') {
    return (obj, old) => {
      const spec = at(obj, ['spec']);
      if (spec === undefined) return;
      const oldSpec = old === undefined ? undefined : at(old, ['spec']);
      if (!inUse(oldSpec, (s) => s.strategy !== undefined)) delete spec.strategy;
      if (!inUse(oldSpec, (s) => s.preferredHolder !== undefined)) delete spec.preferredHolder;
    };
  }
  return undefined;
}
