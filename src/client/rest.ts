/**
 * The REST client: every verb of the Kubernetes API addressed by
 * {group, version, resource, namespace, name, subresource}, JSON only, over a
 * Transport (HTTPS today). Non-2xx answers become StatusError with the server's
 * code, reason, message and details; see errors.ts for the predicates callers use.
 *
 * The client holds no cache and no retry policy: reflectors, informers and
 * controllers above it decide what to retry and when (with their injected Clock).
 */
import type { Status } from '../apimachinery/errors.js';
import { findByKind } from '../api/resources.js';
import { errorFromResponse } from './errors.js';
import { HttpsTransport, type HTTPMethod, type HttpsTransportOptions, type Transport } from './transport.js';
import { Watch, watchWithHandlers, type WatchHandle, type WatchHandlers } from './watch.js';
import {
  parseAPIVersion,
  resourcePath,
  type GroupVersionResource,
  type KubeObject,
  type ObjectList,
  type ObjectRef,
  type ResourceRef,
} from './types.js';

/** Per-request controls every verb accepts. */
export interface RequestOptions {
  /** Limit for this request (default: the transport's, 30 s). */
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface GetOptions extends RequestOptions {
  resourceVersion?: string;
}

export type ResourceVersionMatch = 'Exact' | 'NotOlderThan';

export interface ListOptions extends RequestOptions {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
  resourceVersion?: string;
  resourceVersionMatch?: ResourceVersionMatch;
}

export interface WatchOptions {
  labelSelector?: string;
  fieldSelector?: string;
  /** Start after this version; '' or '0' starts with ADDED events for the current state. */
  resourceVersion?: string;
  resourceVersionMatch?: ResourceVersionMatch;
  allowWatchBookmarks?: boolean;
  /** The server ends the watch after this long; the client gives up some seconds later. */
  timeoutSeconds?: number;
  sendInitialEvents?: boolean;
  /** Limit until the server answers (default: the transport's). */
  timeoutMs?: number;
  signal?: AbortSignal;
}

export type FieldValidation = 'Ignore' | 'Warn' | 'Strict';

export interface WriteOptions extends RequestOptions {
  dryRun?: boolean;
  fieldManager?: string;
  fieldValidation?: FieldValidation;
}

/** json: RFC 6902; merge: RFC 7386; strategic: strategic merge patch; apply: server-side apply. */
export type PatchType = 'json' | 'merge' | 'strategic' | 'apply';

export const PATCH_CONTENT_TYPES: Readonly<Record<PatchType, string>> = {
  json: 'application/json-patch+json',
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  apply: 'application/apply-patch+yaml',
};

export interface PatchOptions extends WriteOptions {
  /** apply only: take ownership of conflicting fields. */
  force?: boolean;
}

export type PropagationPolicy = 'Orphan' | 'Background' | 'Foreground';

export interface Preconditions {
  uid?: string;
  resourceVersion?: string;
}

export interface DeleteOptions extends RequestOptions {
  propagationPolicy?: PropagationPolicy;
  gracePeriodSeconds?: number;
  preconditions?: Preconditions;
  dryRun?: boolean;
  orphanDependents?: boolean;
}

export interface DeleteCollectionOptions extends DeleteOptions {
  labelSelector?: string;
  fieldSelector?: string;
}

export interface RestClientOptions extends Partial<HttpsTransportOptions> {
  /** A ready transport; when absent one is built from the HTTPS options (server required). */
  transport?: Transport;
  /**
   * Sent as User-Agent on every request, overriding the transport's (so clients of
   * several components can share one transport and still tell the server who they are).
   */
  userAgent?: string;
  /** The namespace callers default to (a kubeconfig context's); default "default". */
  namespace?: string;
}

/** How much longer than timeoutSeconds the client waits before closing a watch itself. */
const WATCH_GRACE_MS = 30_000;

function setIf(q: URLSearchParams, key: string, v: string | number | boolean | undefined): void {
  if (v === undefined || v === '') return;
  q.set(key, String(v));
}

function writeQuery(o: WriteOptions | undefined, q = new URLSearchParams()): URLSearchParams {
  if (o?.dryRun === true) q.set('dryRun', 'All');
  setIf(q, 'fieldManager', o?.fieldManager);
  setIf(q, 'fieldValidation', o?.fieldValidation);
  return q;
}

function deleteBody(o: DeleteOptions | undefined): Buffer | undefined {
  if (o === undefined) return undefined;
  const body: Record<string, unknown> = { kind: 'DeleteOptions', apiVersion: 'v1' };
  if (o.propagationPolicy !== undefined) body['propagationPolicy'] = o.propagationPolicy;
  if (o.gracePeriodSeconds !== undefined) body['gracePeriodSeconds'] = o.gracePeriodSeconds;
  if (o.preconditions !== undefined) body['preconditions'] = o.preconditions;
  if (o.dryRun === true) body['dryRun'] = ['All'];
  if (o.orphanDependents !== undefined) body['orphanDependents'] = o.orphanDependents;
  return Object.keys(body).length > 2 ? Buffer.from(JSON.stringify(body)) : undefined;
}

function reqOpts(o: RequestOptions | undefined): RequestOptions {
  const out: RequestOptions = {};
  if (o?.timeoutMs !== undefined) out.timeoutMs = o.timeoutMs;
  if (o?.signal !== undefined) out.signal = o.signal;
  return out;
}

export class RestClient {
  readonly transport: Transport;
  /** The namespace callers should default to (from the kubeconfig context, else "default"). */
  readonly namespace: string;
  /** The User-Agent this client sends, when it sets one (else the transport's). */
  readonly userAgent: string | undefined;
  private readonly headers: Readonly<Record<string, string>>;

  constructor(opts: RestClientOptions) {
    if (opts.transport !== undefined) this.transport = opts.transport;
    else {
      if (opts.server === undefined) throw new Error('RestClientOptions needs a transport or a server');
      this.transport = new HttpsTransport(opts as HttpsTransportOptions);
    }
    this.namespace = opts.namespace !== undefined && opts.namespace !== '' ? opts.namespace : 'default';
    this.userAgent = opts.userAgent !== undefined && opts.userAgent !== '' ? opts.userAgent : undefined;
    this.headers = this.userAgent !== undefined ? { 'User-Agent': this.userAgent } : {};
  }

  /**
   * The same client (transport, connections, default namespace) sending another
   * User-Agent, as client-go's rest.AddUserAgent on a copied config. The transport is
   * shared: closing either client closes it.
   */
  withUserAgent(userAgent: string): RestClient {
    return new RestClient({ transport: this.transport, namespace: this.namespace, userAgent });
  }

  /** One request to any path; resolves with the decoded JSON body (undefined when empty). */
  async request<R = unknown>(
    method: HTTPMethod,
    path: string,
    o: RequestOptions & { query?: URLSearchParams; body?: unknown; contentType?: string } = {},
  ): Promise<R> {
    let body: Buffer | undefined;
    if (o.body !== undefined) body = Buffer.isBuffer(o.body) ? o.body : Buffer.from(typeof o.body === 'string' ? o.body : JSON.stringify(o.body));
    const res = await this.transport.request({
      method,
      path,
      ...(o.query !== undefined ? { query: o.query } : {}),
      headers: body !== undefined ? { ...this.headers, 'Content-Type': o.contentType ?? 'application/json' } : this.headers,
      ...(body !== undefined ? { body } : {}),
      ...reqOpts(o),
    });
    if (res.status < 200 || res.status > 299) throw errorFromResponse(res.status, res.body, method);
    if (res.body.length === 0) return undefined as R;
    try {
      return JSON.parse(res.body.toString('utf8')) as R;
    } catch (e) {
      throw errorFromResponse(500, `the server answered ${method} ${path} with a body that is not JSON: ${(e as Error).message}`, method);
    }
  }

  async get<T extends KubeObject = KubeObject>(ref: ObjectRef, o?: GetOptions): Promise<T> {
    const q = new URLSearchParams();
    setIf(q, 'resourceVersion', o?.resourceVersion);
    return this.request<T>('GET', resourcePath(ref), { query: q, ...reqOpts(o) });
  }

  async list<T extends KubeObject = KubeObject>(ref: ResourceRef, o?: ListOptions): Promise<ObjectList<T>> {
    const q = new URLSearchParams();
    setIf(q, 'labelSelector', o?.labelSelector);
    setIf(q, 'fieldSelector', o?.fieldSelector);
    setIf(q, 'limit', o?.limit);
    setIf(q, 'continue', o?.continue);
    setIf(q, 'resourceVersion', o?.resourceVersion);
    setIf(q, 'resourceVersionMatch', o?.resourceVersionMatch);
    const list = await this.request<ObjectList<T>>('GET', resourcePath({ ...ref, name: '' }), { query: q, ...reqOpts(o) });
    if (!Array.isArray(list.items)) list.items = [];
    if (typeof list.metadata !== 'object' || list.metadata === null) list.metadata = {};
    return list;
  }

  /**
   * Opens a watch. Rejects with a StatusError when the server refuses it outright
   * (e.g. 410 Expired, 403); resolves once the stream is open.
   */
  async watch<T extends KubeObject = KubeObject>(ref: ResourceRef, o?: WatchOptions): Promise<Watch<T>> {
    const q = new URLSearchParams({ watch: 'true' });
    setIf(q, 'labelSelector', o?.labelSelector);
    setIf(q, 'fieldSelector', o?.fieldSelector);
    setIf(q, 'resourceVersion', o?.resourceVersion);
    setIf(q, 'resourceVersionMatch', o?.resourceVersionMatch);
    if (o?.allowWatchBookmarks === true) q.set('allowWatchBookmarks', 'true');
    setIf(q, 'timeoutSeconds', o?.timeoutSeconds);
    if (o?.sendInitialEvents !== undefined) q.set('sendInitialEvents', String(o.sendInitialEvents));
    const name = ref.name;
    if (name !== undefined && name !== '') {
      // Watching one object is a watch of the collection with a name field selector, as upstream's clients do.
      const byName = `metadata.name=${name}`;
      q.set('fieldSelector', o?.fieldSelector ? `${o.fieldSelector},${byName}` : byName);
    }
    const stream = await this.transport.stream({
      method: 'GET',
      path: resourcePath({ ...ref, name: '' }),
      query: q,
      headers: this.headers,
      ...(o?.timeoutMs !== undefined ? { timeoutMs: o.timeoutMs } : {}),
      ...(o?.timeoutSeconds !== undefined ? { streamTimeoutMs: o.timeoutSeconds * 1000 + WATCH_GRACE_MS } : {}),
      ...(o?.signal !== undefined ? { signal: o.signal } : {}),
    });
    if (stream.status < 200 || stream.status > 299) {
      const chunks: Buffer[] = [];
      try {
        for await (const c of stream.body) chunks.push(c);
      } finally {
        stream.close();
      }
      throw errorFromResponse(stream.status, Buffer.concat(chunks), 'GET');
    }
    return new Watch<T>(stream);
  }

  /** A watch driven by callbacks: see WatchHandlers. */
  async watchWithHandlers<T extends KubeObject = KubeObject>(ref: ResourceRef, o: WatchOptions | undefined, h: WatchHandlers<T>): Promise<WatchHandle> {
    return watchWithHandlers(await this.watch<T>(ref, o), h);
  }

  /** Creates obj in ref's collection; the namespace defaults to obj.metadata.namespace. */
  async create<T extends KubeObject = KubeObject>(ref: ResourceRef, obj: T, o?: WriteOptions): Promise<T> {
    const target = { ...ref, namespace: ref.namespace ?? obj.metadata?.namespace, name: '' };
    return this.request<T>('POST', resourcePath(target), { query: writeQuery(o), body: obj, ...reqOpts(o) });
  }

  /** Replaces obj; name and namespace default to obj.metadata's. A stale resourceVersion is a 409 Conflict. */
  async update<T extends KubeObject = KubeObject>(ref: ResourceRef, obj: T, o?: WriteOptions): Promise<T> {
    return this.request<T>('PUT', resourcePath(this.objectRef(ref, obj)), { query: writeQuery(o), body: obj, ...reqOpts(o) });
  }

  /** update() of the status subresource. */
  async updateStatus<T extends KubeObject = KubeObject>(ref: ResourceRef, obj: T, o?: WriteOptions): Promise<T> {
    return this.update<T>({ ...ref, subresource: 'status' }, obj, o);
  }

  /**
   * Patches one object. The patch is sent as JSON unless it is a string or Buffer
   * (apply bodies may be YAML). apply needs o.fieldManager.
   */
  async patch<T extends KubeObject = KubeObject>(ref: ObjectRef, type: PatchType, patch: unknown, o?: PatchOptions): Promise<T> {
    const contentType = PATCH_CONTENT_TYPES[type];
    if (contentType === undefined) throw new Error(`unknown patch type ${String(type)}`);
    if (type === 'apply' && (o?.fieldManager === undefined || o.fieldManager === '')) throw new Error('an apply patch needs fieldManager');
    const q = writeQuery(o);
    if (o?.force === true) q.set('force', 'true');
    return this.request<T>('PATCH', resourcePath(ref), { query: q, body: patch, contentType, ...reqOpts(o) });
  }

  /**
   * Deletes one object. Resolves with what the server answers: the object (still
   * present while finalizers or a grace period run, or as it was) or a Success Status.
   */
  async delete<T extends KubeObject = KubeObject>(ref: ObjectRef, o?: DeleteOptions): Promise<T | Status> {
    const q = new URLSearchParams();
    const body = deleteBody(o);
    return this.request<T | Status>('DELETE', resourcePath(ref), { query: q, ...(body !== undefined ? { body } : {}), ...reqOpts(o) });
  }

  /** Deletes every object of the collection matching the selectors; resolves with the deleted objects. */
  async deleteCollection<T extends KubeObject = KubeObject>(ref: ResourceRef, o?: DeleteCollectionOptions): Promise<ObjectList<T>> {
    const q = new URLSearchParams();
    setIf(q, 'labelSelector', o?.labelSelector);
    setIf(q, 'fieldSelector', o?.fieldSelector);
    const body = deleteBody(o);
    return this.request<ObjectList<T>>('DELETE', resourcePath({ ...ref, name: '' }), { query: q, ...(body !== undefined ? { body } : {}), ...reqOpts(o) });
  }

  /** A client bound to one resource (and optionally one namespace), client-go's dynamic client shape. */
  resource<T extends KubeObject = KubeObject>(gvr: GroupVersionResource, namespace?: string): ResourceClient<T> {
    return new ResourceClient<T>(this, gvr, namespace);
  }

  /** The resource of a built-in kind, e.g. forKind('apps/v1', 'Deployment'); throws for unknown kinds. */
  forKind<T extends KubeObject = KubeObject>(apiVersion: string, kind: string, namespace?: string): ResourceClient<T> {
    const { group, version } = parseAPIVersion(apiVersion);
    const info = findByKind(group, version, kind);
    if (info === undefined) throw new Error(`no resource for kind ${kind} in ${apiVersion}`);
    return this.resource<T>({ group, version, resource: info.resource }, namespace);
  }

  close(): void {
    this.transport.close();
  }

  private objectRef(ref: ResourceRef, obj: KubeObject): ObjectRef {
    const name = ref.name !== undefined && ref.name !== '' ? ref.name : obj.metadata?.name;
    if (name === undefined || name === '') throw new Error('update needs a name (in the ref or obj.metadata.name)');
    return { ...ref, namespace: ref.namespace ?? obj.metadata?.namespace, name };
  }
}

/** The verbs of one resource, optionally within one namespace. */
export class ResourceClient<T extends KubeObject = KubeObject> {
  constructor(
    readonly client: RestClient,
    readonly gvr: GroupVersionResource,
    readonly ns?: string,
  ) {}

  /** The same resource within namespace ns. */
  namespace(ns: string): ResourceClient<T> {
    return new ResourceClient<T>(this.client, this.gvr, ns);
  }

  private ref(name?: string, subresource?: string): ResourceRef {
    const r: ResourceRef = { ...this.gvr };
    if (this.ns !== undefined) r.namespace = this.ns;
    if (name !== undefined) r.name = name;
    if (subresource !== undefined) r.subresource = subresource;
    return r;
  }

  get(name: string, o?: GetOptions): Promise<T> {
    return this.client.get<T>(this.ref(name) as ObjectRef, o);
  }
  list(o?: ListOptions): Promise<ObjectList<T>> {
    return this.client.list<T>(this.ref(), o);
  }
  watch(o?: WatchOptions): Promise<Watch<T>> {
    return this.client.watch<T>(this.ref(), o);
  }
  create(obj: T, o?: WriteOptions): Promise<T> {
    return this.client.create<T>(this.ref(), obj, o);
  }
  update(obj: T, o?: WriteOptions): Promise<T> {
    return this.client.update<T>(this.ref(), obj, o);
  }
  updateStatus(obj: T, o?: WriteOptions): Promise<T> {
    return this.client.updateStatus<T>(this.ref(), obj, o);
  }
  patch(name: string, type: PatchType, patch: unknown, o?: PatchOptions & { subresource?: string }): Promise<T> {
    return this.client.patch<T>(this.ref(name, o?.subresource) as ObjectRef, type, patch, o);
  }
  delete(name: string, o?: DeleteOptions): Promise<T | Status> {
    return this.client.delete<T>(this.ref(name) as ObjectRef, o);
  }
  deleteCollection(o?: DeleteCollectionOptions): Promise<ObjectList<T>> {
    return this.client.deleteCollection<T>(this.ref(), o);
  }
}
