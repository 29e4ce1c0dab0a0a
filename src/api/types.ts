/**
 * The shape of one served resource: what discovery, OpenAPI, routing and storage all
 * need to know about it. The table of every built-in resource lives in resources.ts.
 */

export type Verb = 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete' | 'deletecollection';

export interface GroupVersion {
  /** '' for the core (legacy) group. */
  group: string;
  version: string;
}

export interface GroupVersionKind extends GroupVersion {
  kind: string;
}

export interface SubresourceInfo {
  /** e.g. 'status', 'scale', 'binding', 'eviction', 'log', 'exec' */
  name: string;
  /** The kind the subresource speaks (e.g. Scale for scale, Binding, Eviction). */
  kind: string;
  /** Group/version of that kind when it differs from the parent (e.g. autoscaling/v1 Scale). */
  group?: string;
  version?: string;
  verbs: Verb[] | string[];
  /**
   * Upstream serves this subresource only while the named feature gate is on (e.g.
   * pods/resize behind InPlacePodVerticalScaling in 1.32). Discovery lists it unless
   * the gate is explicitly switched off.
   */
  featureGate?: string;
}

export interface ResourceInfo {
  group: string;
  version: string;
  kind: string;
  /** Plural, lower-case: the URL segment (e.g. 'deployments'). */
  resource: string;
  singular: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  verbs: Verb[];
  subresources: SubresourceInfo[];
  /** The kind of the list object, usually kind + 'List'. */
  listKind: string;
  /**
   * The storage key segment ('/registry/<storageResource>/...'). Usually equal to
   * resource; resources served in several versions or groups share one.
   */
  storageResource: string;
  /**
   * How metadata.name is validated, as upstream: most kinds are DNS-1123 subdomains,
   * namespaces (and a few others) DNS-1123 labels, RBAC kinds only path-segment safe.
   */
  nameValidation: 'dns1123-subdomain' | 'dns1123-label' | 'path-segment';
  /** True for the version discovery prefers for this group (first served). */
  preferredVersion?: boolean;
  /**
   * A stricter name rule than nameValidation where upstream uses one: Services are
   * DNS-1035 labels (a DNS-1123 label that starts with a letter).
   */
  strictNameValidation?: 'dns1035-label';
  /**
   * Served without storage (bindings, componentstatuses, the authn/authz reviews):
   * nothing is kept under storageResource and discovery gives no storageVersionHash.
   */
  virtual?: boolean;
  /**
   * The group/version objects are encoded in when stored, when it is not this entry's
   * own (events.k8s.io/v1 events are stored as core v1 Events; autoscaling/v1 HPAs as
   * autoscaling/v2; CRDs are still stored as apiextensions.k8s.io/v1beta1 upstream).
   * Discovery's storageVersionHash is computed from it, so the hash matches upstream's
   * even where kubelite's own store encodes objects differently.
   */
  storageVersion?: GroupVersion;
}
