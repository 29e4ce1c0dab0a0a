/**
 * The shapes the client layer speaks: objects as plain JSON with typed metadata,
 * lists, watch events, and the address of a resource or object on the server.
 * Objects are never classes: what the server sends is what callers get.
 */
import type { Status } from '../apimachinery/errors.js';

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

/** metav1.ObjectMeta, the fields the client machinery reads; anything else passes through. */
export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  finalizers?: string[];
  [field: string]: unknown;
}

/** Any Kubernetes object as JSON. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  [field: string]: unknown;
}

export interface ListMeta {
  resourceVersion?: string;
  continue?: string;
  remainingItemCount?: number;
}

export interface ObjectList<T extends KubeObject = KubeObject> {
  apiVersion?: string;
  kind?: string;
  metadata: ListMeta;
  items: T[];
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

/**
 * One event of a watch stream. ERROR events carry a metav1.Status (e.g. 410 Expired
 * when the requested resourceVersion was compacted away); the others carry the object
 * (BOOKMARK: only kind, apiVersion and metadata.resourceVersion are meaningful).
 */
export type WatchEvent<T extends KubeObject = KubeObject> =
  | { type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK'; object: T }
  | { type: 'ERROR'; object: Status };

/** A group/version/resource, e.g. { group: 'apps', version: 'v1', resource: 'deployments' }. */
export interface GroupVersionResource {
  group: string;
  version: string;
  resource: string;
}

/**
 * Where a request goes. Without name: the collection (list, watch, create,
 * deletecollection); without namespace: all namespaces (or a cluster-scoped resource).
 */
export interface ResourceRef extends GroupVersionResource {
  namespace?: string;
  name?: string;
  subresource?: string;
}

/** A ResourceRef that names one object. */
export interface ObjectRef extends ResourceRef {
  name: string;
}

/** Builds the request path of a ref: /api/v1/namespaces/ns/pods/name/status. */
export function resourcePath(ref: ResourceRef): string {
  if (ref.version === '') throw new Error('resource ref needs a version');
  if (ref.resource === '') throw new Error('resource ref needs a resource');
  const parts: string[] = ref.group === '' ? ['api', ref.version] : ['apis', ref.group, ref.version];
  if (ref.namespace !== undefined && ref.namespace !== '') parts.push('namespaces', ref.namespace);
  parts.push(ref.resource);
  if (ref.name !== undefined && ref.name !== '') parts.push(ref.name);
  if (ref.subresource !== undefined && ref.subresource !== '') {
    if (ref.name === undefined || ref.name === '') throw new Error(`subresource ${ref.subresource} needs an object name`);
    parts.push(ref.subresource);
  }
  return '/' + parts.map((p, i) => (i < (ref.group === '' ? 2 : 3) ? p : encodeURIComponent(p))).join('/');
}

/** "group/version" or "version" for the core group. */
export function apiVersionOf(gv: { group: string; version: string }): string {
  return gv.group === '' ? gv.version : `${gv.group}/${gv.version}`;
}

/** Splits "apps/v1" into { group: 'apps', version: 'v1' } and "v1" into { group: '', version: 'v1' }. */
export function parseAPIVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}
