/**
 * Empties a terminating namespace (upstream's namespaced_resources_deleter.go): find
 * every namespaced resource the server serves (discovery, preferred versions), delete
 * each collection with background propagation (or item by item when deletecollection is
 * not served), check what remains, keep the status conditions current, and finally
 * remove the "kubernetes" finalizer through PUT .../namespaces/<name>/finalize, after
 * which the API server deletes the namespace.
 *
 * Remaining content with an estimate (pods still in their grace period, objects waiting
 * on finalizers: 15 s) ends the pass with ResourcesRemaining, retried after
 * estimate/2 + 1 seconds, as upstream.
 */
import { isConflict, isNotFound } from '../../client/errors.js';
import { StatusError } from '../../apimachinery/errors.js';
import type { RestClient } from '../../client/rest.js';
import type { GroupVersionResource, KubeObject } from '../../client/types.js';
import type { Clock } from '../../util/clock.js';
import { errorMessage, RequeueAfter } from '../common/queue.js';
import { NamespaceConditionUpdater, type NamespaceCondition } from './conditions.js';

export const FINALIZER_KUBERNETES = 'kubernetes';
/** Upstream's estimate for objects held by finalizers. */
export const FINALIZER_ESTIMATE_SECONDS = 15;
/** The API default of terminationGracePeriodSeconds (kubelite's API server does not fill it in). */
export const DEFAULT_TERMINATION_GRACE_SECONDS = 30;

export interface Namespace extends KubeObject {
  spec?: { finalizers?: string[] };
  status?: { phase?: string; conditions?: NamespaceCondition[] };
}

export interface DiscoveredResource {
  gvr: GroupVersionResource;
  verbs: string[];
}

export interface Discovery {
  resources: DiscoveredResource[];
  /** Set when some group versions could not be read. */
  error?: { message: string; failingGroups?: number };
}

interface APIResourceList {
  resources?: { name?: string; namespaced?: boolean; verbs?: string[] }[];
}

interface APIGroupList {
  groups?: { name?: string; preferredVersion?: { groupVersion?: string }; versions?: { groupVersion?: string }[] }[];
}

/** Namespaced resources of every group's preferred version (upstream's ServerPreferredNamespacedResources). */
export async function discoverNamespacedResources(client: RestClient): Promise<Discovery> {
  const gvs: string[] = ['v1'];
  const failed: string[] = [];
  try {
    const groups = await client.request<APIGroupList>('GET', '/apis');
    for (const g of groups.groups ?? []) {
      const gv = g.preferredVersion?.groupVersion ?? g.versions?.[0]?.groupVersion;
      if (gv !== undefined) gvs.push(gv);
    }
  } catch (e) {
    failed.push(`/apis: ${errorMessage(e)}`);
  }
  const resources: DiscoveredResource[] = [];
  await Promise.all(
    gvs.map(async (gv) => {
      try {
        const list = await client.request<APIResourceList>('GET', gv === 'v1' ? '/api/v1' : `/apis/${gv}`);
        const slash = gv.indexOf('/');
        const group = slash < 0 ? '' : gv.slice(0, slash);
        const version = slash < 0 ? gv : gv.slice(slash + 1);
        for (const r of list.resources ?? []) {
          if (r.namespaced !== true || typeof r.name !== 'string' || r.name.includes('/')) continue;
          resources.push({ gvr: { group, version, resource: r.name }, verbs: r.verbs ?? [] });
        }
      } catch (e) {
        failed.push(`${gv}: ${errorMessage(e)}`);
      }
    }),
  );
  resources.sort((a, b) => gvrString(a.gvr).localeCompare(gvrString(b.gvr)));
  if (failed.length === 0) return { resources };
  failed.sort();
  return { resources, error: { message: `unable to retrieve the complete list of server APIs: ${failed.join(', ')}`, failingGroups: failed.length } };
}

/** Go's GroupVersionResource.String(): "apps/v1, Resource=deployments". */
export function gvrString(gvr: GroupVersionResource): string {
  return `${gvr.group}/${gvr.version}, Resource=${gvr.resource}`;
}

interface GVRDeletion {
  estimate: number;
  remaining: number;
  finalizers: Map<string, number>;
}

export interface DeleterOptions {
  client: RestClient;
  clock: Clock;
  /** The finalizer this controller owns (default "kubernetes"). */
  finalizerToken?: string;
  /** Discovery (default: discoverNamespacedResources through the client). */
  discover?: () => Promise<Discovery>;
  log?: (message: string) => void;
}

export class NamespacedResourcesDeleter {
  private readonly token: string;
  private readonly discover: () => Promise<Discovery>;

  constructor(private readonly o: DeleterOptions) {
    this.token = o.finalizerToken ?? FINALIZER_KUBERNETES;
    this.discover = o.discover ?? (() => discoverNamespacedResources(o.client));
  }

  private nsRef(name: string, subresource?: string) {
    return { group: '', version: 'v1', resource: 'namespaces', name, ...(subresource !== undefined ? { subresource } : {}) };
  }

  /**
   * One pass over a namespace: nothing unless it is being deleted; throws RequeueAfter
   * while content remains with an estimate, an error when deletions failed.
   */
  async delete(name: string): Promise<void> {
    let ns: Namespace;
    try {
      ns = await this.o.client.get<Namespace>(this.nsRef(name));
    } catch (e) {
      if (isNotFound(e)) return;
      throw e;
    }
    if (ns.metadata?.deletionTimestamp === undefined) return;
    try {
      ns = await this.retryOnConflict(ns, (n) => this.ensureTerminating(n));
    } catch (e) {
      if (isNotFound(e)) return;
      throw e;
    }
    if (ns.metadata?.deletionTimestamp === undefined) return;
    if ((ns.spec?.finalizers ?? []).length === 0) return;
    const estimate = await this.deleteAllContent(ns);
    if (estimate > 0) {
      throw new RequeueAfter((Math.floor(estimate / 2) + 1) * 1000, `some content remains in the namespace, estimate ${estimate} seconds before it is removed`);
    }
    try {
      await this.retryOnConflict(ns, (n) => this.finalize(n));
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }

  private async retryOnConflict(ns: Namespace, fn: (n: Namespace) => Promise<Namespace>): Promise<Namespace> {
    let cur = ns;
    for (;;) {
      try {
        return await fn(cur);
      } catch (e) {
        if (!isConflict(e)) throw e;
        const prev = cur;
        cur = await this.o.client.get<Namespace>(this.nsRef(cur.metadata?.name ?? ''));
        if (prev.metadata?.uid !== cur.metadata?.uid) throw new Error('namespace uid has changed across retries');
      }
    }
  }

  private async ensureTerminating(ns: Namespace): Promise<Namespace> {
    if (ns.metadata?.deletionTimestamp === undefined || ns.status?.phase === 'Terminating') return ns;
    return this.o.client.updateStatus<Namespace>(this.nsRef(ns.metadata?.name ?? ''), { ...ns, status: { ...(ns.status ?? {}), phase: 'Terminating' } });
  }

  private async finalize(ns: Namespace): Promise<Namespace> {
    const rest = [...new Set((ns.spec?.finalizers ?? []).filter((f) => f !== this.token))].sort();
    return this.o.client.update<Namespace>(this.nsRef(ns.metadata?.name ?? '', 'finalize'), { ...ns, spec: { ...(ns.spec ?? {}), finalizers: rest } });
  }

  /** Deletes everything in the namespace; resolves with the estimate in seconds (0: all gone). */
  private async deleteAllContent(ns: Namespace): Promise<number> {
    const name = ns.metadata?.name ?? '';
    const deletedAt = Date.parse(ns.metadata?.deletionTimestamp ?? '');
    const errs: string[] = [];
    const cond = new NamespaceConditionUpdater(this.o.clock.now());
    const disc = await this.discover();
    if (disc.error !== undefined) {
      errs.push(disc.error.message);
      cond.processDiscoverResourcesErr(disc.error.message, disc.error.failingGroups);
    }
    let estimate = 0;
    const totals = { gvrToNumRemaining: new Map<string, number>(), finalizersToNumRemaining: new Map<string, number>() };
    for (const r of disc.resources.filter((x) => x.verbs.includes('delete'))) {
      let res: GVRDeletion;
      try {
        res = await this.deleteAllContentForGVR(r, name, Number.isNaN(deletedAt) ? this.o.clock.now() : deletedAt);
      } catch (e) {
        const msg = errorMessage(e);
        errs.push(msg);
        cond.processDeleteContentErr(msg);
        res = e instanceof RemainingError ? e.result : { estimate: 0, remaining: 0, finalizers: new Map() };
      }
      estimate = Math.max(estimate, res.estimate);
      if (res.remaining > 0) {
        totals.gvrToNumRemaining.set(`${r.gvr.resource}.${r.gvr.group}`, res.remaining);
        for (const [f, n] of res.finalizers) if (n !== 0) totals.finalizersToNumRemaining.set(f, (totals.finalizersToNumRemaining.get(f) ?? 0) + n);
      }
    }
    cond.processContentTotals(totals);
    const status = structuredClone(ns.status ?? {});
    if (cond.update(status)) {
      try {
        const updated = await this.o.client.updateStatus<Namespace>(this.nsRef(name), { ...ns, status });
        ns.metadata = updated.metadata;
        ns.status = updated.status;
      } catch (e) {
        this.o.log?.(`couldn't update status condition for namespace "${name}": ${errorMessage(e)}`);
      }
    }
    if (errs.length > 0) throw new StatusError(500, 'InternalError', errs.length === 1 ? (errs[0] ?? '') : `[${errs.join(', ')}]`);
    return estimate;
  }

  private async deleteAllContentForGVR(r: DiscoveredResource, namespace: string, deletedAt: number): Promise<GVRDeletion> {
    const { gvr } = r;
    let estimate = gvr.group === '' && gvr.resource === 'pods' ? await this.estimatePods(namespace) : 0;
    if (this.o.clock.now() - deletedAt >= estimate * 1000) estimate = 0;
    let collectionDeleted = false;
    if (r.verbs.includes('deletecollection')) {
      try {
        await this.o.client.deleteCollection({ ...gvr, namespace }, { propagationPolicy: 'Background' });
        collectionDeleted = true;
      } catch (e) {
        if (!isNotFound(e) && !isMethodNotSupported(e)) throw e;
      }
    }
    if (!collectionDeleted) {
      const items = await this.list(r, namespace);
      for (const item of items ?? []) {
        try {
          await this.o.client.delete({ ...gvr, namespace, name: item.metadata?.name ?? '' }, { propagationPolicy: 'Background' });
        } catch (e) {
          if (!isNotFound(e) && !isMethodNotSupported(e)) throw e;
        }
      }
    }
    const left = await this.list(r, namespace);
    if (left === undefined || left.length === 0) return { estimate: left === undefined ? estimate : 0, remaining: 0, finalizers: new Map() };
    const finalizers = new Map<string, number>();
    for (const item of left) for (const f of item.metadata?.finalizers ?? []) finalizers.set(f, (finalizers.get(f) ?? 0) + 1);
    if (estimate !== 0) return { estimate, remaining: left.length, finalizers };
    if (finalizers.size > 0) return { estimate: FINALIZER_ESTIMATE_SECONDS, remaining: left.length, finalizers };
    throw new RemainingError(`unexpected items still remain in namespace: ${namespace} for gvr: ${gvrString(gvr)}`, { estimate, remaining: left.length, finalizers });
  }

  /** The items of a collection; undefined when list is not served. */
  private async list(r: DiscoveredResource, namespace: string): Promise<KubeObject[] | undefined> {
    if (!r.verbs.includes('list')) return undefined;
    try {
      return (await this.o.client.list({ ...r.gvr, namespace })).items;
    } catch (e) {
      if (isNotFound(e) || isMethodNotSupported(e)) return undefined;
      throw e;
    }
  }

  /** The longest grace period of the namespace's non-terminal pods. */
  private async estimatePods(namespace: string): Promise<number> {
    const pods = await this.o.client.list<KubeObject & { spec?: { terminationGracePeriodSeconds?: number }; status?: { phase?: string } }>({ group: '', version: 'v1', resource: 'pods', namespace });
    let estimate = 0;
    for (const p of pods.items) {
      const phase = p.status?.phase;
      if (phase === 'Succeeded' || phase === 'Failed') continue;
      estimate = Math.max(estimate, p.spec?.terminationGracePeriodSeconds ?? DEFAULT_TERMINATION_GRACE_SECONDS);
    }
    return estimate;
  }
}

class RemainingError extends Error {
  constructor(
    message: string,
    readonly result: GVRDeletion,
  ) {
    super(message);
  }
}

function isMethodNotSupported(e: unknown): boolean {
  return e instanceof StatusError && (e.reason === 'MethodNotAllowed' || e.code === 405);
}
