/**
 * The REST operations of each served resource, described once and rendered both as
 * Swagger 2.0 (/openapi/v2) and OpenAPI 3.0 (/openapi/v3/<group-version>) path items,
 * laid out as upstream's: the same paths, x-kubernetes-action and
 * x-kubernetes-group-version-kind on every operation, and the query parameters inline
 * in each operation (clients look for `fieldValidation` by name among a PATCH
 * operation's own parameters and do not follow parameter $refs).
 */
import type { ResourceInfo, SubresourceInfo } from '../../api/types.js';
import { COMPONENTS_REF_PREFIX, DEFINITIONS_REF_PREFIX, type GVKExtension, type Schema } from './schema.js';

export const META = 'io.k8s.apimachinery.pkg.apis.meta.v1.';
export const STATUS_DEF = META + 'Status';
export const DELETE_OPTIONS_DEF = META + 'DeleteOptions';
export const WATCH_EVENT_DEF = META + 'WatchEvent';
export const PATCH_DEF = META + 'Patch';
export const API_RESOURCE_LIST_DEF = META + 'APIResourceList';

export type ParamType = 'string' | 'boolean' | 'integer';

export interface Param {
  name: string;
  in: 'query' | 'path';
  type: ParamType;
  description: string;
  required?: boolean;
}

export type Method = 'get' | 'put' | 'post' | 'delete' | 'patch';

export interface Response {
  code: string;
  description: string;
  /** Definition name of the body, or 'string' for text (logs), absent for no body. */
  body?: string;
}

export interface Operation {
  method: Method;
  operationId: string;
  description: string;
  tag: string;
  action: 'get' | 'list' | 'post' | 'put' | 'patch' | 'delete' | 'deletecollection' | 'watch' | 'watchlist' | 'connect';
  gvk: GVKExtension;
  params: Param[];
  /** Definition name of the request body. */
  requestBody?: { def: string; required: boolean };
  patch?: boolean;
  watch?: boolean;
  responses: Response[];
}

export interface PathItem {
  path: string;
  params: Param[];
  ops: Operation[];
}

/** Looks up the definition that carries a group-version-kind. */
export type KindResolver = (gvk: GVKExtension) => string;

export interface PathOptions {
  /** List application/strategic-merge-patch+json among the PATCH request types. */
  strategicMergePatch: boolean;
}

// ---- parameters -------------------------------------------------------------

const p = (name: string, type: ParamType, description: string, where: 'query' | 'path' = 'query', required?: boolean): Param =>
  required ? { name, in: where, type, description, required } : { name, in: where, type, description };

const PRETTY = p('pretty', 'string', "If 'true', then the output is pretty printed.");
const NAMESPACE = p('namespace', 'string', 'object name and auth scope, such as for teams and projects', 'path', true);
const nameParam = (kind: string): Param => p('name', 'string', `name of the ${kind}`, 'path', true);

const DRY_RUN = p(
  'dryRun',
  'string',
  'When present, indicates that modifications should not be persisted. An invalid or unrecognized dryRun directive results in an error response and no further processing of the request. Valid values are: - All: all dry run stages will be processed',
);
const FIELD_MANAGER = p(
  'fieldManager',
  'string',
  'fieldManager is a name associated with the actor or entity that is making these changes. The value must be less than or 128 characters long, and only contain printable characters.',
);
const FIELD_MANAGER_PATCH = p(
  'fieldManager',
  'string',
  'fieldManager is a name associated with the actor or entity that is making these changes. The value must be less than or 128 characters long, and only contain printable characters. It is required for apply requests (application/apply-patch) and optional for the other patch types.',
);
const FIELD_VALIDATION = p(
  'fieldValidation',
  'string',
  'fieldValidation instructs the server how to handle objects in the request (POST/PUT/PATCH) containing unknown or duplicate fields. Valid values are: - Ignore: unknown fields are dropped silently and only the last of duplicate fields is kept. - Warn: a warning is sent in the Warning response header for each unknown field dropped and each duplicate field; the request still succeeds. This is the default. - Strict: the request fails with a BadRequest error listing every unknown and duplicate field.',
);
const FORCE = p(
  'force',
  'boolean',
  'Force "forces" Apply requests: the caller re-acquires fields owned by other managers that conflict. Must be unset for non-apply patch requests.',
);
const GRACE_PERIOD = p(
  'gracePeriodSeconds',
  'integer',
  'The duration in seconds before the object should be deleted. Value must be non-negative integer. The value zero indicates delete immediately. If this value is nil, the default grace period for the specified type will be used.',
);
const ORPHAN = p(
  'orphanDependents',
  'boolean',
  'Deprecated: please use the PropagationPolicy, this field will be deprecated in 1.7. Should the dependent objects be orphaned. If true/false, the "orphan" finalizer will be added to/removed from the object\'s finalizers list. Either this field or PropagationPolicy may be set, but not both.',
);
const PROPAGATION = p(
  'propagationPolicy',
  'string',
  "Whether and how garbage collection will be performed. Either this field or OrphanDependents may be set, but not both. Acceptable values are: 'Orphan' - orphan the dependents; 'Background' - delete the object now and let the garbage collector delete the dependents in the background; 'Foreground' - a cascading policy that deletes all dependents in the foreground.",
);

const LIST_PARAMS: Param[] = [
  p(
    'allowWatchBookmarks',
    'boolean',
    'allowWatchBookmarks requests watch events with type "BOOKMARK". Servers may ignore it and send bookmarks at their discretion. Ignored if this is not a watch.',
  ),
  p(
    'continue',
    'string',
    'The continue option should be set when retrieving more results from the server, with the value returned in the metadata of the previous page of a list with the same query. An expired token yields a 410 ResourceExpired error. Not supported when watch is true.',
  ),
  p('fieldSelector', 'string', 'A selector to restrict the list of returned objects by their fields. Defaults to everything.'),
  p('labelSelector', 'string', 'A selector to restrict the list of returned objects by their labels. Defaults to everything.'),
  p(
    'limit',
    'integer',
    'limit is a maximum number of responses to return for a list call. If more items exist, the server sets the `continue` field on the list metadata to a value that retrieves the next set of results. Not supported if watch is true.',
  ),
  p(
    'resourceVersion',
    'string',
    'resourceVersion sets a constraint on what resource versions a request may be served from. See https://kubernetes.io/docs/reference/using-api/api-concepts/#resource-versions for details.\n\nDefaults to unset',
  ),
  p(
    'resourceVersionMatch',
    'string',
    'resourceVersionMatch determines how resourceVersion is applied to list calls. See https://kubernetes.io/docs/reference/using-api/api-concepts/#resource-versions for details.\n\nDefaults to unset',
  ),
  p(
    'sendInitialEvents',
    'boolean',
    '`sendInitialEvents=true` may be set together with `watch=true`. The stream then begins with synthetic events for the current state of the objects, followed by a BOOKMARK event annotated "k8s.io/initial-events-end": "true".',
  ),
  p('timeoutSeconds', 'integer', 'Timeout for the list/watch call. This limits the duration of the call, regardless of any activity or inactivity.'),
  p('watch', 'boolean', 'Watch for changes to the described resources and return them as a stream of add, update, and remove notifications. Specify resourceVersion.'),
];

// ---- naming -----------------------------------------------------------------

/** 'rbac.authorization.k8s.io' -> 'rbacAuthorization', '' -> 'core', as upstream's tags. */
export function groupTag(group: string): string {
  if (group === '') return 'core';
  const parts = group.replace(/\.k8s\.io$/, '').split('.');
  return parts.map((s, i) => (i === 0 ? s : s.charAt(0).toUpperCase() + s.slice(1))).join('');
}

const cap = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

/** 'api/v1' or 'apis/apps/v1': the key of the /openapi/v3 index. */
export function groupVersionPath(group: string, version: string): string {
  return group === '' ? `api/${version}` : `apis/${group}/${version}`;
}

// ---- operations -------------------------------------------------------------

const CONNECT_SUBRESOURCES = new Set(['exec', 'attach', 'portforward', 'proxy']);
const TEXT_SUBRESOURCES = new Set(['log']);

function gvkOf(r: ResourceInfo): GVKExtension {
  return { group: r.group, kind: r.kind, version: r.version };
}

function subGVK(r: ResourceInfo, s: SubresourceInfo): GVKExtension {
  return { group: s.group ?? r.group, kind: s.kind, version: s.version ?? r.version };
}

const ok = (body: string | undefined): Response => (body === undefined ? { code: '200', description: 'OK' } : { code: '200', description: 'OK', body });
const created = (body: string): Response => ({ code: '201', description: 'Created', body });
const accepted = (body: string): Response => ({ code: '202', description: 'Accepted', body });
const UNAUTHORIZED: Response = { code: '401', description: 'Unauthorized' };

/**
 * The path items of one resource (collection, item, watch and subresource paths),
 * for the verbs it supports.
 */
export function resourcePaths(r: ResourceInfo, resolve: KindResolver): PathItem[] {
  const prefix = r.group === '' ? `/api/${r.version}` : `/apis/${r.group}/${r.version}`;
  const tag = `${groupTag(r.group)}_${r.version}`;
  const idGV = `${cap(groupTag(r.group))}${cap(r.version)}`;
  const ns = r.namespaced ? 'Namespaced' : '';
  const kindDef = resolve(gvkOf(r));
  const listDef = hasVerb(r, 'list') ? resolve({ group: r.group, kind: r.listKind, version: r.version }) : STATUS_DEF;
  const gvk = gvkOf(r);
  const verbs = new Set<string>(r.verbs);
  const nsSeg = r.namespaced ? '/namespaces/{namespace}' : '';
  const scopeParams = r.namespaced ? [NAMESPACE] : [];
  const items: PathItem[] = [];
  const op = (o: Omit<Operation, 'tag' | 'gvk'> & { gvk?: GVKExtension }): Operation => ({ tag, gvk, ...o });

  // Collection: list, create, deletecollection.
  const collection: Operation[] = [];
  if (verbs.has('list')) {
    collection.push(
      op({
        method: 'get',
        operationId: `list${idGV}${ns}${r.kind}`,
        description: `list or watch objects of kind ${r.kind}`,
        action: 'list',
        params: LIST_PARAMS,
        watch: true,
        responses: [ok(listDef), UNAUTHORIZED],
      }),
    );
  }
  if (verbs.has('create')) {
    collection.push(
      op({
        method: 'post',
        operationId: `create${idGV}${ns}${r.kind}`,
        description: `create ${article(r.kind)} ${r.kind}`,
        action: 'post',
        params: [DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION],
        requestBody: { def: kindDef, required: true },
        responses: [ok(kindDef), created(kindDef), accepted(kindDef), UNAUTHORIZED],
      }),
    );
  }
  if (verbs.has('deletecollection')) {
    collection.push(
      op({
        method: 'delete',
        operationId: `delete${idGV}Collection${ns}${r.kind}`,
        description: `delete collection of ${r.kind}`,
        action: 'deletecollection',
        params: [...LIST_PARAMS.filter((x) => x.name !== 'watch' && x.name !== 'allowWatchBookmarks'), DRY_RUN, GRACE_PERIOD, ORPHAN, PROPAGATION],
        requestBody: { def: DELETE_OPTIONS_DEF, required: false },
        responses: [ok(STATUS_DEF), UNAUTHORIZED],
      }),
    );
  }
  if (collection.length > 0) items.push({ path: `${prefix}${nsSeg}/${r.resource}`, params: [...scopeParams, PRETTY], ops: collection });

  // Item: read, replace, patch, delete.
  const item: Operation[] = [];
  if (verbs.has('get')) {
    item.push(
      op({
        method: 'get',
        operationId: `read${idGV}${ns}${r.kind}`,
        description: `read the specified ${r.kind}`,
        action: 'get',
        params: [],
        responses: [ok(kindDef), UNAUTHORIZED],
      }),
    );
  }
  if (verbs.has('update')) item.push(replaceOp(op, `replace${idGV}${ns}${r.kind}`, `replace the specified ${r.kind}`, kindDef));
  if (verbs.has('patch')) item.push(patchOp(op, `patch${idGV}${ns}${r.kind}`, `partially update the specified ${r.kind}`, kindDef));
  if (verbs.has('delete')) {
    item.push(
      op({
        method: 'delete',
        operationId: `delete${idGV}${ns}${r.kind}`,
        description: `delete ${article(r.kind)} ${r.kind}`,
        action: 'delete',
        params: [DRY_RUN, GRACE_PERIOD, ORPHAN, PROPAGATION],
        requestBody: { def: DELETE_OPTIONS_DEF, required: false },
        responses: [ok(STATUS_DEF), accepted(STATUS_DEF), UNAUTHORIZED],
      }),
    );
  }
  const itemParams = [nameParam(r.kind), ...scopeParams, PRETTY];
  if (item.length > 0) items.push({ path: `${prefix}${nsSeg}/${r.resource}/{name}`, params: itemParams, ops: item });

  // Namespaced resources are also listed and watched across all namespaces.
  if (r.namespaced && verbs.has('list')) {
    items.push({
      path: `${prefix}/${r.resource}`,
      params: [...LIST_PARAMS, PRETTY].sort(byName),
      ops: [
        op({
          method: 'get',
          operationId: `list${idGV}${r.kind}ForAllNamespaces`,
          description: `list or watch objects of kind ${r.kind}`,
          action: 'list',
          params: [],
          watch: true,
          responses: [ok(listDef), UNAUTHORIZED],
        }),
      ],
    });
  }

  // The deprecated /watch/ paths.
  if (verbs.has('watch')) {
    const watchOp = (operationId: string, description: string, action: 'watch' | 'watchlist'): Operation =>
      op({ method: 'get', operationId, description, action, params: [], watch: true, responses: [ok(WATCH_EVENT_DEF), UNAUTHORIZED] });
    const listParams = [...LIST_PARAMS, PRETTY].sort(byName);
    items.push({
      path: `${prefix}/watch${nsSeg}/${r.resource}`,
      params: [...listParams, ...scopeParams].sort(byName),
      ops: [watchOp(`watch${idGV}${ns}${r.kind}List`, `watch individual changes to a list of ${r.kind}. deprecated: use the 'watch' parameter with a list operation instead.`, 'watchlist')],
    });
    items.push({
      path: `${prefix}/watch${nsSeg}/${r.resource}/{name}`,
      params: [...listParams, nameParam(r.kind), ...scopeParams].sort(byName),
      ops: [
        watchOp(
          `watch${idGV}${ns}${r.kind}`,
          `watch changes to an object of kind ${r.kind}. deprecated: use the 'watch' parameter with a list operation instead, filtered to a single item with the 'fieldSelector' parameter.`,
          'watch',
        ),
      ],
    });
    if (r.namespaced) {
      items.push({
        path: `${prefix}/watch/${r.resource}`,
        params: listParams,
        ops: [watchOp(`watch${idGV}${r.kind}ListForAllNamespaces`, `watch individual changes to a list of ${r.kind}. deprecated: use the 'watch' parameter with a list operation instead.`, 'watchlist')],
      });
    }
  }

  for (const s of r.subresources) {
    const sub = subresourcePath(r, s, { prefix: `${prefix}${nsSeg}/${r.resource}/{name}`, itemParams, op, idGV, ns, resolve });
    if (sub !== undefined) items.push(sub);
  }
  return items;
}

type OpFactory = (o: Omit<Operation, 'tag' | 'gvk'> & { gvk?: GVKExtension }) => Operation;

function replaceOp(op: OpFactory, operationId: string, description: string, def: string, gvk?: GVKExtension): Operation {
  return op({
    method: 'put',
    operationId,
    description,
    action: 'put',
    params: [DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION],
    requestBody: { def, required: true },
    responses: [ok(def), created(def), UNAUTHORIZED],
    ...(gvk === undefined ? {} : { gvk }),
  });
}

function patchOp(op: OpFactory, operationId: string, description: string, def: string, gvk?: GVKExtension): Operation {
  return op({
    method: 'patch',
    operationId,
    description,
    action: 'patch',
    params: [DRY_RUN, FIELD_MANAGER_PATCH, FIELD_VALIDATION, FORCE],
    requestBody: { def: PATCH_DEF, required: true },
    patch: true,
    responses: [ok(def), created(def), UNAUTHORIZED],
    ...(gvk === undefined ? {} : { gvk }),
  });
}

function subresourcePath(
  r: ResourceInfo,
  s: SubresourceInfo,
  c: { prefix: string; itemParams: Param[]; op: OpFactory; idGV: string; ns: string; resolve: KindResolver },
): PathItem | undefined {
  const verbs = new Set<string>(s.verbs);
  const gvk = subGVK(r, s);
  const Sub = cap(s.name);
  const base = `${c.idGV}${c.ns}${r.kind}${Sub}`;
  const ops: Operation[] = [];
  const params = [...c.itemParams];
  if (CONNECT_SUBRESOURCES.has(s.name)) {
    for (const [verb, method] of [
      ['get', 'get'],
      ['create', 'post'],
      ['update', 'put'],
      ['patch', 'patch'],
      ['delete', 'delete'],
    ] as const) {
      if (!verbs.has(verb)) continue;
      ops.push(
        c.op({
          method,
          operationId: `connect${c.idGV}${cap(method)}${c.ns}${r.kind}${Sub}`,
          description: `connect ${method.toUpperCase()} requests to ${s.name} of ${r.kind}`,
          action: 'connect',
          gvk,
          params: [],
          responses: [ok('string'), UNAUTHORIZED],
        }),
      );
    }
  } else if (TEXT_SUBRESOURCES.has(s.name)) {
    if (verbs.has('get')) {
      ops.push(
        c.op({
          method: 'get',
          operationId: `read${base}`,
          description: `read ${s.name} of the specified ${r.kind}`,
          action: 'get',
          gvk: gvkOf(r),
          params: [],
          responses: [ok('string'), UNAUTHORIZED],
        }),
      );
    }
  } else {
    const def = c.resolve(gvk);
    if (verbs.has('get')) {
      ops.push(
        c.op({
          method: 'get',
          operationId: `read${base}`,
          description: `read ${s.name} of the specified ${r.kind}`,
          action: 'get',
          gvk,
          params: [],
          responses: [ok(def), UNAUTHORIZED],
        }),
      );
    }
    if (verbs.has('create')) {
      ops.push(
        c.op({
          method: 'post',
          operationId: `create${base}`,
          description: `create ${s.name} of ${article(r.kind)} ${r.kind}`,
          action: 'post',
          gvk,
          params: [DRY_RUN, FIELD_MANAGER, FIELD_VALIDATION],
          requestBody: { def, required: true },
          responses: [ok(def), created(def), accepted(def), UNAUTHORIZED],
        }),
      );
    }
    if (verbs.has('update')) ops.push(replaceOp(c.op, `replace${base}`, `replace ${s.name} of the specified ${r.kind}`, def, gvk));
    if (verbs.has('patch')) ops.push(patchOp(c.op, `patch${base}`, `partially update ${s.name} of the specified ${r.kind}`, def, gvk));
  }
  if (ops.length === 0) return undefined;
  return { path: `${c.prefix}/${s.name}`, params, ops };
}

/** The discovery path of a group-version (`/apis/apps/v1/`), as upstream lists it. */
export function discoveryPath(group: string, version: string): PathItem {
  const prefix = group === '' ? `/api/${version}/` : `/apis/${group}/${version}/`;
  return {
    path: prefix,
    params: [],
    ops: [
      {
        method: 'get',
        operationId: `get${cap(groupTag(group))}${cap(version)}APIResources`,
        description: 'get available resources',
        tag: `${groupTag(group)}_${version}`,
        action: 'get',
        gvk: { group: '', kind: 'APIResourceList', version: 'v1' },
        params: [],
        responses: [ok(API_RESOURCE_LIST_DEF), UNAUTHORIZED],
      },
    ],
  };
}

function hasVerb(r: ResourceInfo, verb: string): boolean {
  return (r.verbs as readonly string[]).includes(verb);
}

function byName(a: Param, b: Param): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

function article(kind: string): string {
  return /^[AEIOU]/.test(kind) ? 'an' : 'a';
}

// ---- rendering --------------------------------------------------------------

const PATCH_TYPES_NO_SMP = ['application/apply-patch+yaml', 'application/json-patch+json', 'application/merge-patch+json'];
const PATCH_TYPES = [...PATCH_TYPES_NO_SMP, 'application/strategic-merge-patch+json'];
const PRODUCES = ['application/json', 'application/yaml'];
const PRODUCES_WATCH = ['application/json', 'application/yaml', 'application/json;stream=watch'];

function patchTypes(o: PathOptions): string[] {
  return o.strategicMergePatch ? PATCH_TYPES : PATCH_TYPES_NO_SMP;
}

function v2Param(x: Param): Record<string, unknown> {
  const out: Record<string, unknown> = { description: x.description, in: x.in, name: x.name, type: x.type, uniqueItems: true };
  if (x.required) out.required = true;
  return out;
}

function v2Body(def: string): Schema {
  return def === 'string' ? { type: 'string' } : { $ref: DEFINITIONS_REF_PREFIX + def };
}

/** A Swagger 2.0 path item. */
export function renderV2(item: PathItem, o: PathOptions): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (item.params.length > 0) out.parameters = item.params.map(v2Param);
  for (const x of item.ops) {
    const params: Record<string, unknown>[] = [];
    if (x.requestBody !== undefined) {
      const body: Record<string, unknown> = { in: 'body', name: 'body', schema: v2Body(x.requestBody.def) };
      if (x.requestBody.required) body.required = true;
      params.push(body);
    }
    params.push(...x.params.map(v2Param));
    const responses: Record<string, unknown> = {};
    for (const r of x.responses) responses[r.code] = r.body === undefined ? { description: r.description } : { description: r.description, schema: v2Body(r.body) };
    const op: Record<string, unknown> = {
      consumes: x.patch ? patchTypes(o) : ['*/*'],
      description: x.description,
      operationId: x.operationId,
      produces: x.watch ? PRODUCES_WATCH : PRODUCES,
      responses,
      schemes: ['https'],
      tags: [x.tag],
      'x-kubernetes-action': x.action,
      'x-kubernetes-group-version-kind': { ...x.gvk },
    };
    if (params.length > 0) op.parameters = params;
    out[x.method] = op;
  }
  return out;
}

function v3Param(x: Param): Record<string, unknown> {
  const out: Record<string, unknown> = { description: x.description, in: x.in, name: x.name, schema: { type: x.type, uniqueItems: true } };
  if (x.required) out.required = true;
  return out;
}

function v3Body(def: string): Schema {
  return def === 'string' ? { type: 'string' } : { $ref: COMPONENTS_REF_PREFIX + def };
}

function content(types: string[], def: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const t of types) out[t] = { schema: v3Body(def) };
  return out;
}

/** An OpenAPI 3.0 path item. */
export function renderV3(item: PathItem, o: PathOptions): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (item.params.length > 0) out.parameters = item.params.map(v3Param);
  for (const x of item.ops) {
    const responses: Record<string, unknown> = {};
    for (const r of x.responses) {
      responses[r.code] =
        r.body === undefined
          ? { description: r.description }
          : { description: r.description, content: content(r.body === 'string' ? ['*/*'] : x.watch ? PRODUCES_WATCH : PRODUCES, r.body) };
    }
    const op: Record<string, unknown> = {
      description: x.description,
      operationId: x.operationId,
      responses,
      tags: [x.tag],
      'x-kubernetes-action': x.action,
      'x-kubernetes-group-version-kind': { ...x.gvk },
    };
    if (x.params.length > 0) op.parameters = x.params.map(v3Param);
    if (x.requestBody !== undefined) {
      const body: Record<string, unknown> = { content: content(x.patch ? patchTypes(o) : ['*/*'], x.requestBody.def) };
      if (x.requestBody.required) body.required = true;
      op.requestBody = body;
    }
    out[x.method] = op;
  }
  return out;
}
