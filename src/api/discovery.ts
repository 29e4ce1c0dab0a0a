/**
 * Discovery documents, built as pure functions of the resource table: the legacy ones
 * (/api, /apis, /apis/<group>, /api/v1, /apis/<group>/<version>) and aggregated
 * discovery (apidiscovery.k8s.io v2, and v2beta1, which 1.32 still serves: upstream
 * removed it in 1.33). Shapes follow what a 1.32 kube-apiserver writes, checked against
 * upstream's fixtures in kubernetes/kubernetes `api/discovery/`:
 *   - /api and /api/v1 carry no apiVersion (APIVersions, APIResourceList of core);
 *     the /apis documents do ("v1").
 *   - In APIResourceList a subresource is its own entry ("pods/status") with an empty
 *     singularName, and group/version only when its kind lives elsewhere
 *     ("deployments/scale" -> autoscaling/v1 Scale). Entries are sorted by name, verbs
 *     alphabetically; storageVersionHash is present only for stored resources.
 *   - In aggregated discovery a resource's responseKind has empty group and version
 *     when the kind is the resource's own group/version; a subresource of another
 *     group's kind names it (scale -> autoscaling/v1 Scale, eviction -> policy/v1).
 * The HTTP layer (routing, content negotiation, ETag/304) lives in the apiserver; the
 * helpers here (negotiateDiscovery, discoveryETag, content types) only decide.
 */

import { createHash } from 'node:crypto';
import { GROUP_ORDER, RESOURCES } from './resources.js';
import type { ResourceInfo, SubresourceInfo } from './types.js';

// ---- wire shapes ----------------------------------------------------------------

export interface GroupVersionForDiscovery {
  groupVersion: string;
  version: string;
}

export interface ServerAddressByClientCIDR {
  clientCIDR: string;
  serverAddress: string;
}

export interface APIVersions {
  kind: 'APIVersions';
  versions: string[];
  serverAddressByClientCIDRs: ServerAddressByClientCIDR[];
}

export interface APIGroup {
  kind?: 'APIGroup';
  apiVersion?: 'v1';
  name: string;
  versions: GroupVersionForDiscovery[];
  preferredVersion: GroupVersionForDiscovery;
}

export interface APIGroupList {
  kind: 'APIGroupList';
  apiVersion: 'v1';
  groups: APIGroup[];
}

export interface APIResource {
  name: string;
  singularName: string;
  namespaced: boolean;
  group?: string;
  version?: string;
  kind: string;
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
  storageVersionHash?: string;
}

export interface APIResourceList {
  kind: 'APIResourceList';
  /** Absent for the core group's /api/v1, as upstream. */
  apiVersion?: 'v1';
  groupVersion: string;
  resources: APIResource[];
}

export interface DiscoveryGVK {
  group: string;
  version: string;
  kind: string;
}

export interface APISubresourceDiscovery {
  subresource: string;
  responseKind: DiscoveryGVK;
  verbs: string[];
}

export interface APIResourceDiscovery {
  resource: string;
  responseKind: DiscoveryGVK;
  scope: 'Namespaced' | 'Cluster';
  singularResource: string;
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
  subresources?: APISubresourceDiscovery[];
}

export interface APIVersionDiscovery {
  version: string;
  resources: APIResourceDiscovery[];
  freshness: 'Current' | 'Stale';
}

export interface APIGroupDiscovery {
  /** name is omitted for the core group, as upstream (omitempty on ""). */
  metadata: { name?: string; creationTimestamp: null };
  versions: APIVersionDiscovery[];
}

export type AggregatedVersion = 'v2' | 'v2beta1';

export interface APIGroupDiscoveryList {
  kind: 'APIGroupDiscoveryList';
  apiVersion: `apidiscovery.k8s.io/${AggregatedVersion}`;
  metadata: Record<string, never>;
  items: APIGroupDiscovery[];
}

// ---- options ----------------------------------------------------------------------

export interface DiscoveryOptions {
  /**
   * The resources to publish; defaults to the built-in table. The apiserver passes the
   * built-ins plus custom resources here. Groups not in upstream's order come after the
   * built-in ones, sorted by name (as CRD groups, whose APIServices all have the same
   * low priority, come after upstream's).
   */
  resources?: readonly ResourceInfo[];
  /**
   * Feature gates by name. A subresource with a featureGate is listed unless its gate
   * is false here (kubelite implements them, so on is the default).
   */
  featureGates?: Readonly<Record<string, boolean>>;
}

// ---- hashing ------------------------------------------------------------------------

/**
 * Upstream's storageVersionHash: base64 of the first 8 bytes of
 * sha256("<group>/<version>/<kind>") of the version objects are stored in.
 * ("/v1/Pod" -> "xPOwRZ+Yhw8=", "apps/v1/Deployment" -> "8aSe+NMegvE=").
 */
export function storageVersionHash(group: string, version: string, kind: string): string {
  return createHash('sha256').update(`${group}/${version}/${kind}`).digest().subarray(0, 8).toString('base64');
}

function hashFor(r: ResourceInfo): string | undefined {
  if (r.virtual === true) return undefined;
  const sv = r.storageVersion ?? { group: r.group, version: r.version };
  return storageVersionHash(sv.group, sv.version, r.kind);
}

// ---- grouping -------------------------------------------------------------------

interface GroupEntry {
  group: string;
  /** Versions, preferred first. */
  versions: string[];
}

const knownGroupIndex = new Map(GROUP_ORDER.map((g, i) => [g.group, i]));

/**
 * Upstream's kube-aware version order: GA before beta before alpha, higher numbers
 * first, anything not shaped like v<N>[alpha|beta<M>] last in alphabetical order.
 */
export function compareKubeVersions(a: string, b: string): number {
  const rank = (v: string): [number, number, number, string] => {
    const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
    if (m === null) return [3, 0, 0, v];
    const major = Number(m[1]);
    if (m[2] === undefined) return [0, -major, 0, v];
    return [m[2] === 'beta' ? 1 : 2, -major, -Number(m[3]), v];
  };
  const ra = rank(a);
  const rb = rank(b);
  for (let i = 0; i < 3; i++) {
    const d = (ra[i] as number) - (rb[i] as number);
    if (d !== 0) return d;
  }
  return ra[3] < rb[3] ? -1 : ra[3] > rb[3] ? 1 : 0;
}

function groupsOf(resources: readonly ResourceInfo[]): GroupEntry[] {
  const versions = new Map<string, Set<string>>();
  const preferred = new Map<string, string>();
  for (const r of resources) {
    let set = versions.get(r.group);
    if (set === undefined) versions.set(r.group, (set = new Set()));
    set.add(r.version);
    if (r.preferredVersion === true && !preferred.has(r.group)) preferred.set(r.group, r.version);
  }
  const entries: GroupEntry[] = [];
  for (const [group, set] of versions) {
    const known = GROUP_ORDER.find((g) => g.group === group);
    const order = known === undefined ? [] : known.versions;
    const list = [...set].sort((a, b) => {
      const ia = order.indexOf(a);
      const ib = order.indexOf(b);
      if (ia >= 0 && ib >= 0) return ia - ib;
      if (ia >= 0 || ib >= 0) return ia >= 0 ? -1 : 1;
      return compareKubeVersions(a, b);
    });
    const pref = preferred.get(group);
    if (known === undefined && pref !== undefined) {
      list.splice(list.indexOf(pref), 1);
      list.unshift(pref);
    }
    entries.push({ group, versions: list });
  }
  return entries.sort((a, b) => {
    const ia = knownGroupIndex.get(a.group);
    const ib = knownGroupIndex.get(b.group);
    if (ia !== undefined && ib !== undefined) return ia - ib;
    if (ia !== undefined || ib !== undefined) return ia !== undefined ? -1 : 1;
    return a.group < b.group ? -1 : a.group > b.group ? 1 : 0;
  });
}

function gvString(group: string, version: string): string {
  return group === '' ? version : `${group}/${version}`;
}

function gvFor(group: string, version: string): GroupVersionForDiscovery {
  return { groupVersion: gvString(group, version), version };
}

function byName<T>(key: (t: T) => string): (a: T, b: T) => number {
  return (a, b) => {
    const ka = key(a);
    const kb = key(b);
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  };
}

function sortedVerbs(verbs: readonly string[]): string[] {
  return [...verbs].sort();
}

function served(s: SubresourceInfo, opts: DiscoveryOptions | undefined): boolean {
  return s.featureGate === undefined || opts?.featureGates?.[s.featureGate] !== false;
}

function resourcesIn(group: string, version: string, opts: DiscoveryOptions | undefined): ResourceInfo[] {
  return (opts?.resources ?? RESOURCES)
    .filter((r) => r.group === group && r.version === version)
    .sort(byName((r) => r.resource));
}

// ---- legacy discovery ---------------------------------------------------------------

/**
 * GET /api. serverAddress is the address clients should use ("host:port"); upstream
 * answers every client CIDR ("0.0.0.0/0") with the advertised address.
 */
export function apiVersions(serverAddress: string, clientCIDR = '0.0.0.0/0'): APIVersions {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR, serverAddress }] };
}

function apiGroupOf(entry: GroupEntry): APIGroup {
  const versions = entry.versions.map((v) => gvFor(entry.group, v));
  return { name: entry.group, versions, preferredVersion: versions[0] as GroupVersionForDiscovery };
}

/** GET /apis: every named group (core is at /api), in upstream's order. */
export function apiGroupList(opts?: DiscoveryOptions): APIGroupList {
  const groups = groupsOf(opts?.resources ?? RESOURCES)
    .filter((g) => g.group !== '')
    .map(apiGroupOf);
  return { kind: 'APIGroupList', apiVersion: 'v1', groups };
}

/** GET /apis/<group>, or undefined (404) when the group is not served. */
export function apiGroup(group: string, opts?: DiscoveryOptions): APIGroup | undefined {
  if (group === '') return undefined;
  const entry = groupsOf(opts?.resources ?? RESOURCES).find((g) => g.group === group);
  if (entry === undefined) return undefined;
  return { kind: 'APIGroup', apiVersion: 'v1', ...apiGroupOf(entry) };
}

function apiResourceOf(r: ResourceInfo): APIResource {
  const out: APIResource = {
    name: r.resource,
    singularName: r.singular,
    namespaced: r.namespaced,
    kind: r.kind,
    verbs: sortedVerbs(r.verbs),
  };
  if (r.shortNames.length > 0) out.shortNames = [...r.shortNames];
  if (r.categories.length > 0) out.categories = [...r.categories];
  const hash = hashFor(r);
  if (hash !== undefined) out.storageVersionHash = hash;
  return out;
}

function apiSubresourceOf(r: ResourceInfo, s: SubresourceInfo): APIResource {
  const foreign = s.group !== undefined && s.version !== undefined && (s.group !== r.group || s.version !== r.version);
  // Key order as upstream's struct: name, singularName, namespaced, group, version, kind, verbs.
  return {
    name: `${r.resource}/${s.name}`,
    singularName: '',
    namespaced: r.namespaced,
    ...(foreign ? { group: s.group, version: s.version } : {}),
    kind: s.kind,
    verbs: sortedVerbs(s.verbs),
  };
}

/**
 * GET /api/v1 (group '') or /apis/<group>/<version>; undefined (404) when not served.
 */
export function apiResourceList(group: string, version: string, opts?: DiscoveryOptions): APIResourceList | undefined {
  const list = resourcesIn(group, version, opts);
  if (list.length === 0) return undefined;
  const entries: APIResource[] = [];
  for (const r of list) {
    entries.push(apiResourceOf(r));
    for (const s of r.subresources) if (served(s, opts)) entries.push(apiSubresourceOf(r, s));
  }
  entries.sort(byName((e) => e.name));
  const gv = gvString(group, version);
  if (group === '') return { kind: 'APIResourceList', groupVersion: gv, resources: entries };
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: gv, resources: entries };
}

// ---- aggregated discovery ---------------------------------------------------------

function responseKind(owner: ResourceInfo, group: string | undefined, version: string | undefined, kind: string): DiscoveryGVK {
  if (group === undefined || version === undefined || (group === owner.group && version === owner.version)) {
    return { group: '', version: '', kind };
  }
  return { group, version, kind };
}

function resourceDiscoveryOf(r: ResourceInfo, opts: DiscoveryOptions | undefined): APIResourceDiscovery {
  const out: APIResourceDiscovery = {
    resource: r.resource,
    responseKind: responseKind(r, undefined, undefined, r.kind),
    scope: r.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: r.singular,
    verbs: sortedVerbs(r.verbs),
  };
  if (r.shortNames.length > 0) out.shortNames = [...r.shortNames];
  if (r.categories.length > 0) out.categories = [...r.categories];
  const subs = r.subresources
    .filter((s) => served(s, opts))
    .sort(byName((s) => s.name))
    .map((s) => ({
      subresource: s.name,
      responseKind: responseKind(r, s.group, s.version, s.kind),
      verbs: sortedVerbs(s.verbs),
    }));
  if (subs.length > 0) out.subresources = subs;
  return out;
}

/**
 * The aggregated document served at /api (scope 'api': the core group only, one item
 * with no name) or /apis (scope 'apis': every named group, in upstream's order) for
 * `Accept: application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList`
 * (or v=v2beta1: the same body with that apiVersion).
 */
export function aggregatedDiscovery(
  scope: 'api' | 'apis',
  version: AggregatedVersion = 'v2',
  opts?: DiscoveryOptions,
): APIGroupDiscoveryList {
  const groups = groupsOf(opts?.resources ?? RESOURCES).filter((g) => (scope === 'api') === (g.group === ''));
  const items = groups.map((g): APIGroupDiscovery => ({
    metadata: g.group === '' ? { creationTimestamp: null } : { name: g.group, creationTimestamp: null },
    versions: g.versions.map((v) => ({
      version: v,
      resources: resourcesIn(g.group, v, opts).map((r) => resourceDiscoveryOf(r, opts)),
      freshness: 'Current' as const,
    })),
  }));
  return { kind: 'APIGroupDiscoveryList', apiVersion: `apidiscovery.k8s.io/${version}`, metadata: {}, items };
}

// ---- negotiation helpers ---------------------------------------------------------

/** The Content-Type upstream answers an aggregated request with. */
export const AGGREGATED_CONTENT_TYPE: Readonly<Record<AggregatedVersion, string>> = Object.freeze({
  v2: 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList',
  v2beta1: 'application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList',
});

export type DiscoveryFormat = AggregatedVersion | 'legacy';

/**
 * Which document an Accept header asks /api or /apis for, honouring the client's
 * order as upstream does (client-go sends v2, then v2beta1, then plain JSON):
 * 'v2' / 'v2beta1' for an aggregated media type we serve, 'legacy' for plain JSON
 * (application/json, application/*, * / *, or no header), undefined when nothing in
 * the header can be served as JSON (the caller answers 406). Protobuf is not served.
 */
export function negotiateDiscovery(accept: string | undefined): DiscoveryFormat | undefined {
  if (accept === undefined || accept.trim() === '') return 'legacy';
  for (const clause of accept.split(',')) {
    const [typePart, ...paramParts] = clause.split(';');
    const type = (typePart ?? '').trim().toLowerCase();
    const params = new Map<string, string>();
    for (const p of paramParts) {
      const eq = p.indexOf('=');
      if (eq < 0) continue;
      params.set(p.slice(0, eq).trim().toLowerCase(), p.slice(eq + 1).trim().replace(/^"|"$/g, ''));
    }
    if (params.get('q') === '0') continue;
    if (type !== 'application/json' && type !== 'application/*' && type !== '*/*') continue;
    const as = params.get('as');
    if (as === undefined) {
      if (params.has('g') || params.has('v')) continue;
      return 'legacy';
    }
    if (as !== 'APIGroupDiscoveryList' || params.get('g') !== 'apidiscovery.k8s.io') continue;
    const v = params.get('v');
    if (v === 'v2' || v === 'v2beta1') return v;
  }
  return undefined;
}

/**
 * The ETag upstream puts on aggregated discovery: the hex SHA-512 of the serialized
 * body, quoted. A request whose If-None-Match equals it gets 304 Not Modified.
 */
export function discoveryETag(body: unknown): string {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return `"${createHash('sha512').update(text).digest('hex').toUpperCase()}"`;
}
