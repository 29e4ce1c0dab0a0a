/**
 * What the Endpoints and EndpointSlice controllers share (upstream
 * pkg/controller/util/endpoint and endpointslice util): which pods back a service,
 * their addresses, and how a service port's targetPort resolves against each pod.
 */
import type { Pod, Service, ServicePort } from 'kubernetes-types/core/v1.js';
import { everything, matches, selectorFromSet, type Selector } from '../../apimachinery/labels.js';
import { isPodTerminal, isTerminating } from './pods.js';
import type { Obj } from './types.js';
import type { SharedInformer } from '../../client/informer.js';
import { unwrapTombstone } from '../../client/indexer.js';
import { canonicalJSON } from './revision.js';

export type ServiceObj = Obj<Service>;
export type PodObj = Obj<Pod>;

/** The service's pod selector; undefined when it has none (its endpoints are managed by hand). */
export function serviceSelector(svc: Service): Selector | undefined {
  const sel = svc.spec?.selector;
  if (sel === undefined || sel === null) return undefined;
  return Object.keys(sel).length === 0 ? everything() : selectorFromSet(sel);
}

/** The API server maintains default/kubernetes itself. */
export function isAPIServerService(svc: Service): boolean {
  return svc.metadata?.namespace === 'default' && svc.metadata?.name === 'kubernetes';
}

/** Not terminal, has an IP, and (unless includeTerminating) is not being deleted (ShouldPodBeInEndpoints). */
export function shouldPodBeInEndpoints(pod: Pod, includeTerminating: boolean): boolean {
  if (isPodTerminal(pod)) return false;
  if ((pod.status?.podIP ?? '') === '' && (pod.status?.podIPs ?? []).length === 0) return false;
  if (!includeTerminating && isTerminating(pod)) return false;
  return true;
}

export type AddressFamily = 'IPv4' | 'IPv6';

/** The family the service's endpoints are in (its first ipFamily, or its clusterIP's, else IPv4). */
export function serviceFamily(svc: Service): AddressFamily {
  const f = svc.spec?.ipFamilies?.[0];
  if (f === 'IPv6') return 'IPv6';
  if (f === 'IPv4') return 'IPv4';
  const ip = svc.spec?.clusterIP ?? '';
  return ip.includes(':') ? 'IPv6' : 'IPv4';
}

const familyOf = (ip: string): AddressFamily => (ip.includes(':') ? 'IPv6' : 'IPv4');

/** The pod's IP in family, if it has one. */
export function podIPForFamily(pod: Pod, family: AddressFamily): string | undefined {
  for (const p of pod.status?.podIPs ?? []) if (p.ip !== undefined && p.ip !== '' && familyOf(p.ip) === family) return p.ip;
  const ip = pod.status?.podIP ?? '';
  return ip !== '' && familyOf(ip) === family ? ip : undefined;
}

/** The pod's hostname is published when its subdomain is the service (ShouldSetHostname). */
export function shouldSetHostname(pod: Pod, svc: Service): boolean {
  return (pod.spec?.hostname ?? '') !== '' && pod.spec?.subdomain === svc.metadata?.name && pod.metadata?.namespace === svc.metadata?.namespace;
}

/**
 * The container port a service port targets on pod (podutil.FindPort): a named
 * targetPort is looked up among the containers' (and sidecars') ports with the same
 * protocol; a number is used as is; no targetPort means the service port.
 */
export function findPort(pod: Pod, sp: ServicePort): number | undefined {
  const target = sp.targetPort ?? sp.port;
  const protocol = sp.protocol ?? 'TCP';
  if (typeof target === 'number') return target;
  if (/^[0-9]+$/.test(target)) return undefined;
  const containers = [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? []).filter((c) => c.restartPolicy === 'Always')];
  for (const c of containers) {
    for (const p of c.ports ?? []) {
      if (p.name === target && (p.protocol ?? 'TCP') === protocol) return p.containerPort;
    }
  }
  return undefined;
}

/** Services in the pod's namespace whose selector matches the pod's labels. */
export function servicesForPod(services: readonly ServiceObj[], pod: Pod): ServiceObj[] {
  return services.filter((s) => {
    if (s.metadata?.namespace !== pod.metadata?.namespace) return false;
    const sel = serviceSelector(s);
    return sel !== undefined && matches(sel, pod.metadata?.labels);
  });
}

/** Whether a pod changed in a way its endpoints show. */
export function podEndpointsChanged(a: Pod, b: Pod): boolean {
  const view = (p: Pod): string =>
    JSON.stringify([
      p.metadata?.labels ?? {},
      p.metadata?.deletionTimestamp ?? '',
      p.status?.phase ?? '',
      p.status?.podIP ?? '',
      p.status?.podIPs ?? [],
      p.status?.conditions?.find((c) => c.type === 'Ready')?.status ?? '',
      p.spec?.nodeName ?? '',
      p.spec?.hostname ?? '',
      p.spec?.subdomain ?? '',
      (p.spec?.containers ?? []).map((c) => c.ports ?? []),
    ]);
  return view(a) !== view(b);
}

/** The work-queue key of a namespaced object. */
export function serviceKey(obj: { metadata?: { namespace?: string; name?: string } }): string {
  return `${obj.metadata?.namespace ?? ''}/${obj.metadata?.name ?? ''}`;
}

/**
 * The handlers the endpoints and EndpointSlice controllers share: a service change
 * enqueues that service; a pod change that matters for endpoints enqueues every service
 * selecting the pod (before and after a label change).
 */
export function enqueueServicesOnChange(services: SharedInformer<ServiceObj>, pods: SharedInformer<PodObj>, enqueue: (key: string) => void): void {
  services.addEventHandler({
    onAdd: (s) => enqueue(serviceKey(s)),
    onUpdate: (_o, s) => enqueue(serviceKey(s)),
    onDelete: (o) => enqueue(serviceKey(unwrapTombstone(o))),
  });
  const podServices = (p: PodObj): void => {
    for (const s of servicesForPod(services.lister().namespace(p.metadata?.namespace ?? '').list(), p)) enqueue(serviceKey(s));
  };
  pods.addEventHandler({
    onAdd: podServices,
    onUpdate: (old, cur) => {
      if (!podEndpointsChanged(old, cur)) return;
      podServices(cur);
      if (canonicalJSON(old.metadata?.labels ?? {}) !== canonicalJSON(cur.metadata?.labels ?? {})) podServices(old);
    },
    onDelete: (o) => podServices(unwrapTombstone(o)),
  });
}
