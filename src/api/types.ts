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
}
