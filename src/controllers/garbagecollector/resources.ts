/**
 * What the garbage collector watches, and how it finds the resource of an owner
 * reference's apiVersion/kind.
 *
 * Upstream's garbage collector watches every deletable resource it discovers. kubelite
 * keeps a fixed list of the resources that own or are owned in practice (below); owners
 * of any other kind (a Node, a Namespace, a custom resource) are still checked, by GET,
 * when a watched dependent references them, but their deletion is only noticed when
 * something makes the collector look at the dependent again (its next change, or a
 * restart). Kinds are resolved from the built-in resource table first, then from the
 * server's discovery document for that group/version (custom resources).
 */
import { findByKind } from '../../api/resources.js';
import { parseAPIVersion, type GroupVersionResource } from '../../client/types.js';
import type { RestClient } from '../../client/rest.js';

/** The resources whose objects the collector watches (owners and dependents). */
export const GC_RESOURCES: readonly GroupVersionResource[] = [
  // Nodes own their mirror pods and their kube-node-lease Leases.
  { group: '', version: 'v1', resource: 'nodes' },
  { group: '', version: 'v1', resource: 'pods' },
  { group: '', version: 'v1', resource: 'services' },
  { group: '', version: 'v1', resource: 'endpoints' },
  { group: '', version: 'v1', resource: 'configmaps' },
  { group: '', version: 'v1', resource: 'secrets' },
  { group: '', version: 'v1', resource: 'persistentvolumeclaims' },
  { group: '', version: 'v1', resource: 'replicationcontrollers' },
  { group: 'apps', version: 'v1', resource: 'replicasets' },
  { group: 'apps', version: 'v1', resource: 'deployments' },
  { group: 'apps', version: 'v1', resource: 'statefulsets' },
  { group: 'apps', version: 'v1', resource: 'daemonsets' },
  { group: 'apps', version: 'v1', resource: 'controllerrevisions' },
  { group: 'batch', version: 'v1', resource: 'jobs' },
  { group: 'batch', version: 'v1', resource: 'cronjobs' },
  { group: 'discovery.k8s.io', version: 'v1', resource: 'endpointslices' },
  { group: 'coordination.k8s.io', version: 'v1', resource: 'leases' },
];

export interface ResolvedKind {
  gvr: GroupVersionResource;
  namespaced: boolean;
}

interface APIResourceList {
  resources?: { name?: string; kind?: string; namespaced?: boolean }[];
}

/** Maps apiVersion + kind to a resource (upstream's RESTMapper), caching discovery answers. */
export class KindResolver {
  private readonly discovered = new Map<string, Promise<APIResourceList | undefined>>();

  constructor(private readonly client: RestClient) {}

  async resolve(apiVersion: string, kind: string): Promise<ResolvedKind | undefined> {
    const { group, version } = parseAPIVersion(apiVersion);
    const info = findByKind(group, version, kind);
    if (info !== undefined) return { gvr: { group, version, resource: info.resource }, namespaced: info.namespaced };
    const list = await this.discover(apiVersion);
    const r = list?.resources?.find((x) => x.kind === kind && typeof x.name === 'string' && !x.name.includes('/'));
    if (r === undefined || r.name === undefined) return undefined;
    return { gvr: { group, version, resource: r.name }, namespaced: r.namespaced === true };
  }

  private discover(apiVersion: string): Promise<APIResourceList | undefined> {
    let p = this.discovered.get(apiVersion);
    if (p === undefined) {
      const path = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
      p = this.client.request<APIResourceList>('GET', path).catch(() => {
        // Forget failures so a later lookup asks again (the group may be installed later).
        this.discovered.delete(apiVersion);
        return undefined;
      });
      this.discovered.set(apiVersion, p);
    }
    return p;
  }
}
