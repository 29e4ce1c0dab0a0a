/**
 * What the API server itself puts in a new cluster (upstream's bootstrap controllers
 * inside kube-apiserver): the system namespaces, the `kubernetes` Service with its
 * Endpoints and EndpointSlice pointing at the API server, and the two system
 * PriorityClasses. Idempotent: run on every start, it creates only what is missing
 * and repairs the endpoints' address and port.
 */
import { StatusError } from '../apimachinery/errors.js';
import type { APIServer } from '../apiserver/server.js';
import type { KObject } from '../apiserver/registry/strategy.js';

export interface BootstrapOptions {
  /** The ClusterIP of the kubernetes Service (first address of the service range). */
  serviceIP: string;
  /** Where clients inside the cluster reach the API server. */
  endpointIP: string;
  endpointPort: number;
}

export const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

/**
 * The field manager these objects' managedFields name: upstream writes them through
 * kube-apiserver's loopback client, whose User-Agent begins "kube-apiserver/".
 */
export const BOOTSTRAP_FIELD_MANAGER = 'kube-apiserver';

async function ensure(server: APIServer, group: string, version: string, resource: string, ns: string, obj: KObject): Promise<void> {
  try {
    await server.registry(group, version, resource).create(ns, obj, { manager: BOOTSTRAP_FIELD_MANAGER });
  } catch (e) {
    if (e instanceof StatusError && e.reason === 'AlreadyExists') return;
    throw e;
  }
}

async function upsert(server: APIServer, group: string, version: string, resource: string, ns: string, obj: KObject): Promise<void> {
  const reg = server.registry(group, version, resource);
  try {
    await reg.create(ns, obj, { manager: BOOTSTRAP_FIELD_MANAGER });
  } catch (e) {
    if (!(e instanceof StatusError && e.reason === 'AlreadyExists')) throw e;
    await reg.guaranteedUpdate(ns, obj.metadata!.name as string, (cur) => ({ ...cur, ...structuredClone(obj), metadata: { ...cur.metadata, labels: obj.metadata?.labels } }), {
      manager: BOOTSTRAP_FIELD_MANAGER,
    });
  }
}

export async function bootstrapCluster(server: APIServer, o: BootstrapOptions): Promise<void> {
  for (const name of SYSTEM_NAMESPACES) {
    await ensure(server, '', 'v1', 'namespaces', '', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  }
  const labels = { component: 'apiserver', provider: 'kubernetes' };
  await ensure(server, '', 'v1', 'services', 'default', {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'kubernetes', namespace: 'default', labels },
    spec: {
      type: 'ClusterIP',
      clusterIP: o.serviceIP,
      clusterIPs: [o.serviceIP],
      ipFamilies: ['IPv4'],
      ipFamilyPolicy: 'SingleStack',
      internalTrafficPolicy: 'Cluster',
      sessionAffinity: 'None',
      ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: o.endpointPort }],
    },
  });
  await upsert(server, '', 'v1', 'endpoints', 'default', {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: { name: 'kubernetes', namespace: 'default', labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } },
    subsets: [{ addresses: [{ ip: o.endpointIP }], ports: [{ name: 'https', port: o.endpointPort, protocol: 'TCP' }] }],
  });
  await upsert(server, 'discovery.k8s.io', 'v1', 'endpointslices', 'default', {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: 'kubernetes', namespace: 'default', labels: { 'kubernetes.io/service-name': 'kubernetes' } },
    addressType: 'IPv4',
    endpoints: [{ addresses: [o.endpointIP], conditions: { ready: true } }],
    ports: [{ name: 'https', port: o.endpointPort, protocol: 'TCP' }],
  });
  const priorities: [string, number, string][] = [
    ['system-node-critical', 2000001000, 'Used for system critical pods that must not be moved from their current node.'],
    ['system-cluster-critical', 2000000000, 'Used for system critical pods that must run in the cluster, but can be moved to another node if necessary.'],
  ];
  for (const [name, value, description] of priorities) {
    await ensure(server, 'scheduling.k8s.io', 'v1', 'priorityclasses', '', {
      apiVersion: 'scheduling.k8s.io/v1',
      kind: 'PriorityClass',
      metadata: { name },
      value,
      description,
      preemptionPolicy: 'PreemptLowerPriority',
      globalDefault: false,
    });
  }
}
