/**
 * The Endpoints object of a service, computed from its pods (upstream
 * pkg/controller/endpoint/endpoints_controller.go syncService): one address per pod
 * with an IP, ready pods (or every pod with publishNotReadyAddresses) under
 * addresses, the others under notReadyAddresses, ports resolved per pod, then
 * "repacked" so pods offering the same ports share a subset.
 */
import type { EndpointAddress, EndpointPort, EndpointSubset, Endpoints } from 'kubernetes-types/core/v1.js';
import { canonicalJSON } from '../common/revision.js';
import { findPort, podIPForFamily, serviceFamily, shouldPodBeInEndpoints, shouldSetHostname, type PodObj, type ServiceObj } from '../common/endpointutil.js';
import { isPodReady } from '../common/pods.js';
import { HEADLESS_SERVICE_LABEL, SKIP_MIRROR_LABEL, type Obj } from '../common/types.js';

export type EndpointsObj = Obj<Endpoints>;

/** Addresses per Endpoints object at most before truncation (maxCapacity). */
export const MAX_CAPACITY = 1000;
export const OVER_CAPACITY_ANNOTATION = 'endpoints.kubernetes.io/over-capacity';

function podAddress(svc: ServiceObj, pod: PodObj): EndpointAddress | undefined {
  const ip = podIPForFamily(pod, serviceFamily(svc));
  if (ip === undefined) return undefined;
  const a: EndpointAddress = {
    ip,
    targetRef: { kind: 'Pod', namespace: pod.metadata?.namespace ?? '', name: pod.metadata?.name ?? '', uid: pod.metadata?.uid ?? '' },
  };
  if ((pod.spec?.nodeName ?? '') !== '') a.nodeName = pod.spec?.nodeName;
  if (shouldSetHostname(pod, svc)) a.hostname = pod.spec?.hostname;
  return a;
}

/** The subsets for svc over the candidate pods (already filtered by selector). */
export function computeSubsets(svc: ServiceObj, pods: readonly PodObj[]): EndpointSubset[] {
  const tolerateUnready = svc.spec?.publishNotReadyAddresses === true;
  const subsets: EndpointSubset[] = [];
  const ports = svc.spec?.ports ?? [];
  for (const pod of pods) {
    if (!shouldPodBeInEndpoints(pod, tolerateUnready)) continue;
    const addr = podAddress(svc, pod);
    if (addr === undefined) continue;
    const ready = tolerateUnready || isPodReady(pod);
    const add = (port: EndpointPort | undefined): void => {
      subsets.push(ready ? { addresses: [addr], ports: port ? [port] : [] } : { notReadyAddresses: [addr], ports: port ? [port] : [] });
    };
    if (ports.length === 0) {
      if (svc.spec?.clusterIP === 'None') add(undefined);
      continue;
    }
    for (const sp of ports) {
      const n = findPort(pod, sp);
      if (n === undefined) continue;
      add({ ...(sp.name !== undefined && sp.name !== '' ? { name: sp.name } : {}), port: n, protocol: sp.protocol ?? 'TCP', ...(sp.appProtocol ? { appProtocol: sp.appProtocol } : {}) });
    }
  }
  return repackSubsets(subsets);
}

const addrKey = (a: EndpointAddress): string => `${a.ip}\u0000${a.targetRef?.uid ?? ''}`;
const portKey = (p: EndpointPort | undefined): string => (p === undefined ? '' : canonicalJSON(p));

/** Groups addresses by the set of ports they offer; a ready address wins over not-ready (RepackSubsets). */
export function repackSubsets(subsets: readonly EndpointSubset[]): EndpointSubset[] {
  const addrs = new Map<string, EndpointAddress>();
  const byPort = new Map<string, { port?: EndpointPort; ready: Map<string, boolean> }>();
  const note = (p: EndpointPort | undefined, a: EndpointAddress, ready: boolean): void => {
    const pk = portKey(p);
    let e = byPort.get(pk);
    if (e === undefined) {
      e = { ...(p !== undefined ? { port: p } : {}), ready: new Map() };
      byPort.set(pk, e);
    }
    const k = addrKey(a);
    if (!addrs.has(k)) addrs.set(k, a);
    if (ready) e.ready.set(k, true);
    else if (!e.ready.has(k)) e.ready.set(k, false);
  };
  for (const s of subsets) {
    const ports: (EndpointPort | undefined)[] = (s.ports ?? []).length > 0 ? (s.ports as EndpointPort[]) : [undefined];
    for (const p of ports) {
      for (const a of s.addresses ?? []) note(p, a, true);
      for (const a of s.notReadyAddresses ?? []) note(p, a, false);
    }
  }
  const groups = new Map<string, { ready: Map<string, boolean>; ports: EndpointPort[] }>();
  for (const e of byPort.values()) {
    const key = [...e.ready.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([k, r]) => `${k}=${r}`).join('|');
    let g = groups.get(key);
    if (g === undefined) {
      g = { ready: e.ready, ports: [] };
      groups.set(key, g);
    }
    if (e.port !== undefined) g.ports.push(e.port);
  }
  const byIP = (a: EndpointAddress, b: EndpointAddress): number => a.ip.localeCompare(b.ip, 'en', { numeric: true }) || (a.targetRef?.uid ?? '').localeCompare(b.targetRef?.uid ?? '');
  const out: EndpointSubset[] = [];
  for (const g of groups.values()) {
    const ready: EndpointAddress[] = [];
    const notReady: EndpointAddress[] = [];
    for (const [k, r] of g.ready) (r ? ready : notReady).push(addrs.get(k) as EndpointAddress);
    ready.sort(byIP);
    notReady.sort(byIP);
    const s: EndpointSubset = {};
    if (ready.length > 0) s.addresses = ready;
    if (notReady.length > 0) s.notReadyAddresses = notReady;
    if (g.ports.length > 0) s.ports = g.ports.sort((a, b) => (a.name ?? '').localeCompare(b.name ?? '') || a.port - b.port || (a.protocol ?? '').localeCompare(b.protocol ?? ''));
    out.push(s);
  }
  return out.sort((a, b) => canonicalJSON(a).localeCompare(canonicalJSON(b)));
}

/** Keeps at most max addresses, ready ones first (truncateEndpoints); returns whether it cut. */
export function truncateSubsets(subsets: EndpointSubset[], max = MAX_CAPACITY): boolean {
  let total = 0;
  for (const s of subsets) total += (s.addresses?.length ?? 0) + (s.notReadyAddresses?.length ?? 0);
  if (total <= max) return false;
  let room = max;
  for (const s of subsets) {
    const keep = Math.min(room, s.addresses?.length ?? 0);
    if (s.addresses) s.addresses = s.addresses.slice(0, keep);
    room -= keep;
  }
  for (const s of subsets) {
    const keep = Math.min(room, s.notReadyAddresses?.length ?? 0);
    if (s.notReadyAddresses) s.notReadyAddresses = s.notReadyAddresses.slice(0, keep);
    room -= keep;
  }
  return true;
}

/** The labels the Endpoints object gets: the service's, headless marker, skip-mirror. */
export function endpointsLabels(svc: ServiceObj): Record<string, string> {
  const labels: Record<string, string> = { ...(svc.metadata?.labels ?? {}) };
  const ip = svc.spec?.clusterIP ?? '';
  if (ip === '' || ip === 'None') labels[HEADLESS_SERVICE_LABEL] = '';
  else delete labels[HEADLESS_SERVICE_LABEL];
  labels[SKIP_MIRROR_LABEL] = 'true';
  return labels;
}
