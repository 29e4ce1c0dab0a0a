/**
 * EndpointSlices of a service as a pure plan (upstream
 * pkg/controller/endpointslice/reconciler.go, simplified): the desired endpoints,
 * grouped by the ports they offer, are fitted into the service's existing slices
 * (kept endpoints are updated in place, gone ones removed), new ones fill slices with
 * room before new slices (at most maxEndpointsPerSlice each) are created, and slices
 * left empty or for ports no longer offered are deleted. A service with no endpoints
 * keeps one empty "placeholder" slice.
 */
import type { Endpoint, EndpointPort, EndpointSlice } from 'kubernetes-types/discovery/v1.js';
import type { Node } from 'kubernetes-types/core/v1.js';
import { isPodReady, isTerminating } from '../common/pods.js';
import { findPort, podIPForFamily, serviceFamily, shouldPodBeInEndpoints, shouldSetHostname, type PodObj, type ServiceObj } from '../common/endpointutil.js';
import { canonicalJSON } from '../common/revision.js';
import { ENDPOINTSLICE_CONTROLLER_NAME, HEADLESS_SERVICE_LABEL, MANAGED_BY_LABEL, SERVICE_NAME_LABEL, TOPOLOGY_ZONE_LABEL, type Obj } from '../common/types.js';

export type SliceObj = Obj<EndpointSlice>;

export const MAX_ENDPOINTS_PER_SLICE = 100;

/** The endpoint of a pod (podToEndpoint). */
export function podToEndpoint(pod: PodObj, node: Node | undefined, svc: ServiceObj): Endpoint | undefined {
  const ip = podIPForFamily(pod, serviceFamily(svc));
  if (ip === undefined) return undefined;
  const serving = isPodReady(pod);
  const terminating = isTerminating(pod);
  const ready = svc.spec?.publishNotReadyAddresses === true || (serving && !terminating);
  const ep: Endpoint = {
    addresses: [ip],
    conditions: { ready, serving, terminating },
    targetRef: { kind: 'Pod', namespace: pod.metadata?.namespace ?? '', name: pod.metadata?.name ?? '', uid: pod.metadata?.uid ?? '' },
  };
  if ((pod.spec?.nodeName ?? '') !== '') ep.nodeName = pod.spec?.nodeName;
  const zone = node?.metadata?.labels?.[TOPOLOGY_ZONE_LABEL];
  if (zone !== undefined && zone !== '') ep.zone = zone;
  if (shouldSetHostname(pod, svc)) ep.hostname = pod.spec?.hostname;
  return ep;
}

/** The ports a pod offers for the service (getEndpointPorts). */
export function endpointPorts(svc: ServiceObj, pod: PodObj): EndpointPort[] {
  const out: EndpointPort[] = [];
  for (const sp of svc.spec?.ports ?? []) {
    const n = findPort(pod, sp);
    if (n === undefined) continue;
    out.push({ name: sp.name ?? '', port: n, protocol: sp.protocol ?? 'TCP', ...(sp.appProtocol ? { appProtocol: sp.appProtocol } : {}) });
  }
  return out;
}

/** Labels of the service's slices: its own (minus reserved keys) plus service-name, managed-by, headless. */
export function sliceLabels(svc: ServiceObj): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(svc.metadata?.labels ?? {})) {
    if (k === SERVICE_NAME_LABEL || k === MANAGED_BY_LABEL) continue;
    labels[k] = v;
  }
  labels[SERVICE_NAME_LABEL] = svc.metadata?.name ?? '';
  labels[MANAGED_BY_LABEL] = ENDPOINTSLICE_CONTROLLER_NAME;
  const ip = svc.spec?.clusterIP ?? '';
  if (ip === '' || ip === 'None') labels[HEADLESS_SERVICE_LABEL] = '';
  else delete labels[HEADLESS_SERVICE_LABEL];
  return labels;
}

export function portsKey(ports: readonly EndpointPort[] | undefined | null): string {
  const sorted = [...(ports ?? [])].sort((a, b) => (a.name ?? '').localeCompare(b.name ?? '') || (a.port ?? 0) - (b.port ?? 0) || (a.protocol ?? '').localeCompare(b.protocol ?? ''));
  return canonicalJSON(sorted);
}

const endpointKey = (e: Endpoint): string => e.targetRef?.uid || (e.addresses ?? []).join(',');

export interface DesiredGroup {
  ports: EndpointPort[];
  endpoints: Endpoint[];
}

/** The service's desired endpoints grouped by their ports. */
export function desiredEndpoints(svc: ServiceObj, pods: readonly PodObj[], nodeOf: (name: string) => Node | undefined): Map<string, DesiredGroup> {
  const groups = new Map<string, DesiredGroup>();
  for (const pod of [...pods].sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''))) {
    if (!shouldPodBeInEndpoints(pod, true)) continue;
    const ep = podToEndpoint(pod, nodeOf(pod.spec?.nodeName ?? ''), svc);
    if (ep === undefined) continue;
    const ports = endpointPorts(svc, pod);
    // A service with ports whose target none of this pod's ports match gets no endpoint from it
    // unless the service is headless without ports.
    const key = portsKey(ports);
    let g = groups.get(key);
    if (g === undefined) {
      g = { ports, endpoints: [] };
      groups.set(key, g);
    }
    g.endpoints.push(ep);
  }
  return groups;
}

export interface SlicePlan {
  create: SliceObj[];
  update: SliceObj[];
  delete: SliceObj[];
}

function newSlice(svc: ServiceObj, addressType: string, ports: EndpointPort[], endpoints: Endpoint[]): SliceObj {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      generateName: `${svc.metadata?.name ?? ''}-`,
      namespace: svc.metadata?.namespace ?? '',
      labels: sliceLabels(svc),
      ownerReferences: [{ apiVersion: 'v1', kind: 'Service', name: svc.metadata?.name ?? '', uid: svc.metadata?.uid ?? '', controller: true, blockOwnerDeletion: true }],
    },
    addressType,
    endpoints,
    ports,
  };
}

/** Whether a slice has no endpoints and no ports (the placeholder). */
export function isPlaceholder(s: SliceObj): boolean {
  return (s.endpoints ?? []).length === 0 && (s.ports ?? []).length === 0;
}

/** What to create, update and delete so existing slices hold exactly the desired endpoints. */
export function planSlices(svc: ServiceObj, desired: Map<string, DesiredGroup>, existing: readonly SliceObj[], maxPerSlice = MAX_ENDPOINTS_PER_SLICE): SlicePlan {
  const addressType = serviceFamily(svc);
  const plan: SlicePlan = { create: [], update: [], delete: [] };
  const labels = sliceLabels(svc);
  const byPorts = new Map<string, SliceObj[]>();
  for (const s of existing) {
    if (s.addressType !== addressType) {
      plan.delete.push(s);
      continue;
    }
    const k = portsKey(s.ports);
    const l = byPorts.get(k);
    if (l === undefined) byPorts.set(k, [s]);
    else l.push(s);
  }
  const totalDesired = [...desired.values()].reduce((n, g) => n + g.endpoints.length, 0);

  for (const [key, group] of desired) {
    const slices = byPorts.get(key) ?? [];
    byPorts.delete(key);
    const want = new Map(group.endpoints.map((e) => [endpointKey(e), e]));
    const placed = new Set<string>();
    const touched: SliceObj[] = [];
    const untouched: SliceObj[] = [];
    for (const s of slices) {
      const kept: Endpoint[] = [];
      let changed = canonicalJSON(s.metadata?.labels ?? {}) !== canonicalJSON(labels);
      for (const e of s.endpoints ?? []) {
        const k = endpointKey(e);
        const d = want.get(k);
        if (d === undefined || placed.has(k)) {
          changed = true;
          continue;
        }
        placed.add(k);
        if (canonicalJSON(d) !== canonicalJSON(e)) changed = true;
        kept.push(d);
      }
      if (kept.length === 0) {
        plan.delete.push(s);
        continue;
      }
      const next: SliceObj = { ...structuredClone(s), endpoints: kept, metadata: { ...structuredClone(s.metadata ?? {}), labels: { ...labels } } };
      if (changed) touched.push(next);
      else untouched.push(next);
    }
    let pending = group.endpoints.filter((e) => !placed.has(endpointKey(e)));
    // Fill slices we update anyway, fullest first, then untouched ones with room, then new slices.
    touched.sort((a, b) => (b.endpoints?.length ?? 0) - (a.endpoints?.length ?? 0));
    for (const s of touched) {
      const room = maxPerSlice - (s.endpoints?.length ?? 0);
      if (room <= 0 || pending.length === 0) continue;
      s.endpoints = [...(s.endpoints ?? []), ...pending.slice(0, room)];
      pending = pending.slice(room);
    }
    for (const s of untouched) {
      const room = maxPerSlice - (s.endpoints?.length ?? 0);
      if (room > 0 && pending.length > 0) {
        s.endpoints = [...(s.endpoints ?? []), ...pending.slice(0, room)];
        pending = pending.slice(room);
        touched.push(s);
      }
    }
    plan.update.push(...touched);
    while (pending.length > 0) {
      plan.create.push(newSlice(svc, addressType, group.ports, pending.slice(0, maxPerSlice)));
      pending = pending.slice(maxPerSlice);
    }
  }

  // Slices for ports nobody offers any more.
  const leftovers: SliceObj[] = [];
  for (const l of byPorts.values()) leftovers.push(...l);
  if (totalDesired === 0) {
    // Keep (or make) exactly one placeholder.
    const placeholder = leftovers.find(isPlaceholder);
    for (const s of leftovers) if (s !== placeholder) plan.delete.push(s);
    if (placeholder !== undefined) {
      if (canonicalJSON(placeholder.metadata?.labels ?? {}) !== canonicalJSON(labels)) {
        plan.update.push({ ...structuredClone(placeholder), metadata: { ...structuredClone(placeholder.metadata ?? {}), labels: { ...labels } } });
      }
    } else {
      plan.create.push(newSlice(svc, addressType, [], []));
    }
  } else {
    plan.delete.push(...leftovers);
  }
  return plan;
}
