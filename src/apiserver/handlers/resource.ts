/**
 * The REST handler for resource requests: maps verb + subresource onto the generic
 * registry, decodes bodies, runs admission, and renders the answer in the media type
 * the client asked for (object, Table, PartialObjectMetadata).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { errors, StatusError } from '../../apimachinery/errors.js';
import type { ResourceInfo } from '../../api/types.js';
import { findResource } from '../../api/resources.js';
import type { Clock } from '../../util/clock.js';
import type { RequestInfo } from '../requestinfo.js';
import { isTrue } from '../requestinfo.js';
import type { Registry, Filter, DeleteOptions } from '../registry/store.js';
import type { KObject } from '../registry/strategy.js';
import type { UserInfo } from '../authn/authenticator.js';
import type { AdmissionChain, Operation } from '../admission/admission.js';
import { readBody } from '../http/body.js';
import { negotiate, type Rendering } from '../http/negotiate.js';
import { writeJSON } from '../http/respond.js';
import { toTable, parseIncludeObject, partialMetadata } from '../table.js';
import { decodeObject, applyPatchBody, checkBodyMediaType, patchTypeOf } from './decode.js';
import { parseWriteOptions, parsePatchOptions, managerOf, parseIntParam, deleteOptionsErrors, invalidOptions, methodNotAllowed, listOptionsErrors } from './options.js';
import { handleApply, isApplyPatch } from './apply.js';
import { accessReview, rulesReview } from './accessreview.js';
import type { Authorizer } from '../authz/authorizer.js';
import { buildFilter } from './selectors.js';
import { serveWatch, type WatchConfig } from './watch.js';
import { scaleHandler } from './scale.js';
import { evictPod } from './eviction.js';
import { fieldValidationDirective } from '../../apimachinery/unknownfields.js';
import { validateBodyFields, validatePatchFields } from '../../apimachinery/fieldvalidation.js';

export interface HandlerContext {
  clock: Clock;
  registryFor(info: ResourceInfo): Registry;
  admission: AdmissionChain;
  watch: WatchConfig;
  /** ComponentStatus objects for scheduler, controller-manager and the store (etcd-0). */
  componentStatuses?(): Promise<KObject[]>;
  /** The server's authorizer, which access reviews consult. */
  authorizer?: Authorizer;
}

export interface ResourceRequest {
  req: IncomingMessage;
  res: ServerResponse;
  info: RequestInfo;
  query: URLSearchParams;
  resource: ResourceInfo;
  user: UserInfo;
}

const NOT_ACCEPTABLE = 'only the following media types are accepted: application/json, application/yaml, application/json;as=Table;v=v1;g=meta.k8s.io';

function render(req: IncomingMessage, list: boolean): Rendering {
  const r = negotiate(req.headers.accept, { table: true, partial: true, list });
  if (r === undefined) throw errors.notAcceptable(NOT_ACCEPTABLE);
  return r;
}

/** The apiVersion string objects of this resource carry. */
export function apiVersionOf(info: ResourceInfo): string {
  return info.group === '' ? info.version : `${info.group}/${info.version}`;
}

export function stamp(obj: KObject, info: ResourceInfo): KObject {
  obj.apiVersion = apiVersionOf(info);
  obj.kind = info.kind;
  return obj;
}

export async function handleResource(ctx: HandlerContext, r: ResourceRequest): Promise<void> {
  const { info, resource, query } = r;
  const registry = ctx.registryFor(resource);
  const verb = info.verb;
  if (!resource.verbs.includes(verb as never) && info.subresource === '') throw methodNotAllowed();
  // An object URL takes GET, PUT, PATCH and DELETE only (POST goes to the collection).
  if (info.subresource === '' && info.name !== '' && verb === 'create' && !resource.virtual) throw methodNotAllowed();
  // A collection URL takes GET, POST and DELETE only.
  if (info.subresource === '' && info.name === '' && (verb === 'update' || verb === 'patch')) throw methodNotAllowed();
  if (info.subresource !== '') return handleSubresource(ctx, r, registry);
  if (resource.virtual) return handleVirtual(ctx, r);
  switch (verb) {
    case 'get':
      return handleGet(ctx, r, registry);
    case 'list':
      return handleList(ctx, r, registry);
    case 'watch':
      return serveWatch(ctx, r, registry, buildFilter(resource, query, info.name));
    case 'create':
      return handleCreate(ctx, r, registry);
    case 'update':
      return handleUpdate(ctx, r, registry, '');
    case 'patch':
      return handlePatch(ctx, r, registry, '');
    case 'delete':
      return handleDelete(ctx, r, registry);
    case 'deletecollection':
      return handleDeleteCollection(ctx, r, registry);
    default:
      throw methodNotAllowed();
  }
}

async function handleGet(ctx: HandlerContext, r: ResourceRequest, registry: Registry): Promise<void> {
  const rendering = render(r.req, false);
  const obj = stamp(await registry.get(r.info.namespace, r.info.name, r.query.get('resourceVersion') ?? ''), r.resource);
  writeRendered(ctx, r, rendering, [obj], obj, {});
}

async function handleList(ctx: HandlerContext, r: ResourceRequest, registry: Registry): Promise<void> {
  const rendering = render(r.req, true);
  const q = r.query;
  const filter = buildFilter(r.resource, q, '');
  const limit = parseIntParam(q, 'limit');
  const rvm = q.get('resourceVersionMatch') ?? '';
  const listErrs = listOptionsErrors(q);
  if (listErrs.length > 0) throw invalidOptions('ListOptions', listErrs);
  const result = await registry.list({
    namespace: r.info.namespace,
    ...(filter ? { filter } : {}),
    ...(limit !== undefined ? { limit } : {}),
    ...(q.get('continue') ? { continueToken: q.get('continue')! } : {}),
    resourceVersion: q.get('resourceVersion') ?? '',
    resourceVersionMatch: rvm,
  });
  const listMeta: Record<string, unknown> = { resourceVersion: result.resourceVersion };
  if (result.continueToken !== undefined) listMeta.continue = result.continueToken;
  if (result.remainingItemCount !== undefined) listMeta.remainingItemCount = result.remainingItemCount;
  const items = result.items.map((o) => stamp(o, r.resource));
  const list: KObject = { kind: r.resource.listKind, apiVersion: apiVersionOf(r.resource), metadata: listMeta, items };
  writeRendered(ctx, r, rendering, items, list, listMeta);
}

export function writeRendered(
  ctx: HandlerContext,
  r: ResourceRequest,
  rendering: Rendering,
  items: KObject[],
  whole: KObject,
  listMeta: Record<string, unknown>,
  code = 200,
): void {
  switch (rendering.kind) {
    case 'table': {
      const includeObject = parseIncludeObject(r.query.get('includeObject'));
      const meta = items.length === 1 && whole === items[0] ? { resourceVersion: whole.metadata?.resourceVersion } : listMeta;
      writeJSON(r.res, code, toTable(r.resource, items, meta, { version: rendering.version, includeObject, now: ctx.clock.now() }));
      return;
    }
    case 'partial':
      if (rendering.list) {
        writeJSON(r.res, code, {
          kind: 'PartialObjectMetadataList',
          apiVersion: `meta.k8s.io/${rendering.version}`,
          metadata: listMeta,
          items: items.map((o) => partialMetadata(o, rendering.version)),
        });
      } else {
        writeJSON(r.res, code, partialMetadata(whole, rendering.version));
      }
      return;
    case 'object':
      writeJSON(r.res, code, whole, rendering.format);
      return;
    default:
      throw errors.notAcceptable(NOT_ACCEPTABLE);
  }
}

/**
 * fieldValidation on a decoded create/update body (upstream's strict decoding): Strict
 * throws 400, Warn (the default) sends a Warning header per unknown or duplicate field.
 * Returns the object as upstream's Go struct holds it, which is what is stored: unknown
 * fields dropped, a repeated key decoded as Go decodes it.
 */
function validateFields(r: ResourceRequest, obj: KObject, body: Buffer): KObject {
  const v = validateBodyFields(fieldValidationDirective(r.query), obj, body, r.req.headers['content-type'], r.resource);
  if (v.error !== undefined) throw v.error;
  addWarnings(r.res, v.warnings);
  return v.object as KObject;
}

/** Appends Warning headers; one already sent is not repeated (upstream's recorder dedupes by text). */
export function addWarnings(res: ServerResponse, warnings: readonly string[]): void {
  const prior = res.getHeader('Warning');
  const sent = new Set<string>(prior === undefined ? [] : Array.isArray(prior) ? prior : [String(prior)]);
  for (const w of warnings) {
    if (sent.has(w)) continue;
    sent.add(w);
    res.appendHeader('Warning', w);
  }
}

/**
 * The admission step of a write; `op` undefined means "CREATE when there is no old
 * object, else UPDATE" (an apply may do either).
 */
export function admitFn(ctx: HandlerContext, r: ResourceRequest, op: Operation | undefined, dryRun: boolean, subresource: string) {
  if (ctx.admission.size === 0) return undefined;
  return async (obj: KObject, old: KObject | undefined) => {
    await ctx.admission.run({
      operation: op ?? (old === undefined ? 'CREATE' : 'UPDATE'),
      resource: r.resource,
      subresource,
      namespace: r.info.namespace,
      name: (obj.metadata?.name as string | undefined) ?? r.info.name,
      object: obj,
      oldObject: old,
      user: r.user,
      dryRun,
    });
  };
}

async function handleCreate(ctx: HandlerContext, r: ResourceRequest, registry: Registry): Promise<void> {
  const rendering = render(r.req, false);
  checkBodyMediaType(r.req.headers['content-type']);
  const body = await readBody(r.req);
  const { dryRun } = parseWriteOptions('CreateOptions', r.query);
  const obj = validateFields(r, decodeObject(r.req.headers['content-type'], body, r.resource), body);
  const admit = admitFn(ctx, r, 'CREATE', dryRun, '');
  const manager = managerOf(r.query, r.req.headers['user-agent']);
  const created = stamp(await registry.create(r.info.namespace, obj, { dryRun, manager, ...(admit ? { admit } : {}) }), r.resource);
  writeRendered(ctx, r, rendering, [created], created, {}, 201);
}

async function handleUpdate(ctx: HandlerContext, r: ResourceRequest, registry: Registry, subresource: string): Promise<void> {
  const rendering = render(r.req, false);
  checkBodyMediaType(r.req.headers['content-type']);
  const body = await readBody(r.req);
  const { dryRun } = parseWriteOptions('UpdateOptions', r.query);
  const obj = validateFields(r, decodeObject(r.req.headers['content-type'], body, r.resource), body);
  checkName(obj, r.info.name, r.info.namespace);
  const admit = admitFn(ctx, r, 'UPDATE', dryRun, subresource);
  const { obj: out, created } = await registry.update(r.info.namespace, r.info.name, obj, {
    dryRun,
    manager: managerOf(r.query, r.req.headers['user-agent']),
    ...(subresource !== '' ? { subresource } : {}),
    ...(admit ? { admit } : {}),
  });
  const stamped = stamp(out, r.resource);
  writeRendered(ctx, r, rendering, [stamped], stamped, {}, created ? 201 : 200);
}

async function handlePatch(ctx: HandlerContext, r: ResourceRequest, registry: Registry, subresource: string): Promise<void> {
  const rendering = render(r.req, false);
  const contentType = r.req.headers['content-type'];
  if (isApplyPatch(contentType)) return handleApply(ctx, r, registry, subresource, rendering);
  patchTypeOf(contentType);
  const body = await readBody(r.req);
  const { dryRun } = parsePatchOptions(r.query, false);
  const admit = admitFn(ctx, r, 'UPDATE', dryRun, subresource);
  const directive = fieldValidationDirective(r.query);
  let warnings: string[] = [];
  const out = await registry.guaranteedUpdate(
    r.info.namespace,
    r.info.name,
    (cur) => {
      const patched = applyPatchBody(contentType, body, stamp(cur, r.resource), r.resource);
      // Strict errors of the patch body and the patched object; what is stored is the decoded object.
      const v = validatePatchFields(directive, contentType, body, patched, r.resource);
      if (v.error !== undefined) throw v.error;
      warnings = v.warnings;
      return v.object;
    },
    { dryRun, manager: managerOf(r.query, r.req.headers['user-agent']), ...(subresource !== '' ? { subresource } : {}), ...(admit ? { admit } : {}) },
  );
  addWarnings(r.res, warnings);
  const stamped = stamp(out, r.resource);
  writeRendered(ctx, r, rendering, [stamped], stamped, {});
}

/**
 * DeleteOptions from the body (when there is one) and the query, validated as
 * upstream's ValidateDeleteOptions before anything is read from the store.
 */
async function readDeleteOptions(r: ResourceRequest): Promise<DeleteOptions> {
  const q = r.query;
  const opts: DeleteOptions = {};
  let dryRun: string[] = [];
  const body = await readBody(r.req);
  if (body.length > 0) {
    checkBodyMediaType(r.req.headers['content-type']);
    const o = decodeObject(r.req.headers['content-type'], body, undefined);
    if (o.kind !== undefined && o.kind !== 'DeleteOptions') {
      throw errors.badRequest(`${String(o.kind)} in version ${JSON.stringify(String(o.apiVersion ?? ''))} cannot be handled as a DeleteOptions: the kind of the body must be DeleteOptions`);
    }
    if (typeof o.gracePeriodSeconds === 'number') opts.gracePeriodSeconds = o.gracePeriodSeconds;
    if (typeof o.propagationPolicy === 'string') opts.propagationPolicy = o.propagationPolicy;
    if (typeof o.orphanDependents === 'boolean') opts.orphanDependents = o.orphanDependents;
    if (Array.isArray(o.dryRun)) dryRun = o.dryRun.map(String);
    if (o.preconditions && typeof o.preconditions === 'object') {
      const p = o.preconditions as Record<string, unknown>;
      opts.preconditions = {
        ...(typeof p.uid === 'string' ? { uid: p.uid } : {}),
        ...(typeof p.resourceVersion === 'string' ? { resourceVersion: p.resourceVersion } : {}),
      };
    }
  }
  const grace = parseIntParam(q, 'gracePeriodSeconds');
  if (grace !== undefined) opts.gracePeriodSeconds = grace;
  const pp = q.get('propagationPolicy');
  if (pp !== null && pp !== '') opts.propagationPolicy = pp;
  const od = q.get('orphanDependents');
  if (od !== null && od !== '') opts.orphanDependents = isTrue(od);
  dryRun.push(...q.getAll('dryRun'));
  const errs = deleteOptionsErrors({ ...opts, dryRun });
  if (errs.length > 0) throw invalidOptions('DeleteOptions', errs);
  if (dryRun.length > 0) opts.dryRun = true;
  return opts;
}

async function handleDelete(ctx: HandlerContext, r: ResourceRequest, registry: Registry): Promise<void> {
  const rendering = render(r.req, false);
  const opts = await readDeleteOptions(r);
  const admit = admitFn(ctx, r, 'DELETE', opts.dryRun ?? false, '');
  if (admit) {
    const cur = await registry.get(r.info.namespace, r.info.name);
    await admit(cur, cur);
  }
  const { body, pending } = await registry.delete(r.info.namespace, r.info.name, opts);
  const code = pending && opts.orphanDependents === false ? 202 : 200;
  if (body.kind === 'Status') {
    writeJSON(r.res, code, body);
    return;
  }
  const stamped = stamp(body as KObject, r.resource);
  writeRendered(ctx, r, rendering, [stamped], stamped, {}, code);
}

async function handleDeleteCollection(ctx: HandlerContext, r: ResourceRequest, registry: Registry): Promise<void> {
  const opts = await readDeleteOptions(r);
  const filter: Filter | undefined = buildFilter(r.resource, r.query, '');
  const deleted = await registry.deleteCollection(r.info.namespace, filter, opts);
  const rv = String(await registry.list({ namespace: r.info.namespace, limit: 1 }).then((l) => l.resourceVersion));
  writeJSON(r.res, 200, { kind: r.resource.listKind, apiVersion: apiVersionOf(r.resource), metadata: { resourceVersion: rv }, items: deleted.map((o) => stamp(o, r.resource)) });
}

async function handleSubresource(ctx: HandlerContext, r: ResourceRequest, registry: Registry): Promise<void> {
  const sub = r.info.subresource;
  const declared = r.resource.subresources.find((s) => s.name === sub);
  if (declared === undefined || r.info.parts.length > 3) {
    throw new StatusError(404, 'NotFound', 'the server could not find the requested resource', { causes: [{ reason: 'UnexpectedServerResponse', message: '404 page not found' }] });
  }
  const verb = r.info.verb;
  if (!(declared.verbs as string[]).includes(verb)) throw methodNotAllowed();
  if (sub === 'status') {
    switch (verb) {
      case 'get':
        return handleGet(ctx, r, registry);
      case 'update':
        return handleUpdate(ctx, r, registry, 'status');
      case 'patch':
        return handlePatch(ctx, r, registry, 'status');
      default:
        throw methodNotAllowed();
    }
  }
  if (sub === 'finalize' && r.resource.kind === 'Namespace' && verb === 'update') return handleUpdate(ctx, r, registry, 'finalize');
  if (sub === 'scale') return scaleHandler(r, registry, verb);
  if (sub === 'binding' && r.resource.kind === 'Pod' && verb === 'create') return bindPod(ctx, r, registry);
  if (sub === 'eviction' && r.resource.kind === 'Pod' && verb === 'create') return evictPod(ctx, r, registry);
  throw new StatusError(405, 'MethodNotAllowed', `the server does not yet implement ${verb} on ${r.resource.resource}/${sub} in kubelite`, {
    group: r.resource.group,
    kind: `${r.resource.resource}/${sub}`,
    name: r.info.name,
  });
}

/**
 * PUT's name check (upstream checkName): the body names the object the URL names, and
 * a namespace in the body is the URL's.
 */
function checkName(obj: KObject, name: string, namespace: string): void {
  const objName = typeof obj.metadata?.name === 'string' ? obj.metadata.name : '';
  if (objName !== name) throw errors.badRequest(`the name of the object (${objName}) does not match the name on the URL (${name})`);
  const objNs = typeof obj.metadata?.namespace === 'string' ? obj.metadata.namespace : '';
  if (namespace !== '' && objNs !== '' && objNs !== namespace) {
    throw errors.badRequest(`the namespace of the object (${objNs}) does not match the namespace on the request (${namespace})`);
  }
}

/** POST pods/<name>/binding: assigns the pod to a node, once (upstream's BindingREST). */
export async function bindPod(ctx: HandlerContext, r: ResourceRequest, registry: Registry): Promise<void> {
  checkBodyMediaType(r.req.headers['content-type']);
  const body = await readBody(r.req);
  const { dryRun } = parseWriteOptions('CreateOptions', r.query);
  const binding = decodeObject(r.req.headers['content-type'], body, undefined);
  const podName = r.info.name !== '' ? r.info.name : (binding.metadata?.name as string | undefined) ?? '';
  const target = binding.target as { name?: string; kind?: string } | undefined;
  if (target === undefined || typeof target.name !== 'string' || target.name === '') {
    throw errors.invalid('', 'Binding', podName, [{ type: 'FieldValueRequired', field: 'target.name', detail: '' }]);
  }
  await registry.guaranteedUpdate(
    r.info.namespace,
    podName,
    (pod) => {
      if (pod.metadata?.deletionTimestamp !== undefined) {
        throw errors.conflict({ group: '', resource: 'pods' }, podName, 'pod is being deleted, cannot be assigned to a host');
      }
      const spec = (pod.spec ??= {}) as Record<string, unknown>;
      if (typeof spec.nodeName === 'string' && spec.nodeName !== '') {
        throw errors.conflict({ group: '', resource: 'pods/binding' }, podName, `pod ${podName} is already assigned to node "${spec.nodeName}"`);
      }
      spec.nodeName = target.name;
      const status = (pod.status ??= {}) as Record<string, unknown>;
      const conds = ((status.conditions as Record<string, unknown>[] | undefined) ?? []).filter((c) => c.type !== 'PodScheduled');
      conds.push({ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: new Date(ctx.clock.now()).toISOString().replace(/\.\d+Z$/, 'Z') });
      status.conditions = conds;
      return pod;
    },
    { dryRun, subresource: 'binding' },
  );
  writeJSON(r.res, 201, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
}

/**
 * Resources with no storage: bindings (the legacy way to bind a pod), self subject
 * reviews (`kubectl auth whoami`); the rest answer a clean Status until their issues.
 */
async function handleVirtual(ctx: HandlerContext, r: ResourceRequest): Promise<void> {
  const res = r.resource;
  if (res.group === '' && res.resource === 'bindings' && r.info.verb === 'create') {
    const pods = ctx.registryFor(findResource('', 'v1', 'pods')!);
    return bindPod(ctx, r, pods);
  }
  if (res.group === 'authentication.k8s.io' && res.resource === 'selfsubjectreviews' && r.info.verb === 'create') {
    await readBody(r.req);
    const userInfo: Record<string, unknown> = { username: r.user.name, groups: r.user.groups };
    if (r.user.uid !== undefined) userInfo.uid = r.user.uid;
    if (r.user.extra !== undefined) userInfo.extra = r.user.extra;
    writeJSON(r.res, 201, { kind: 'SelfSubjectReview', apiVersion: `authentication.k8s.io/${res.version}`, metadata: { creationTimestamp: null }, status: { userInfo } });
    return;
  }
  if (res.group === 'authorization.k8s.io' && r.info.verb === 'create' && ctx.authorizer !== undefined) {
    if (res.resource === 'selfsubjectrulesreviews') return rulesReview(r, ctx.authorizer);
    if (res.resource.endsWith('subjectaccessreviews')) return accessReview(r, ctx.authorizer);
  }
  if (res.group === '' && res.resource === 'componentstatuses' && (r.info.verb === 'get' || r.info.verb === 'list') && ctx.componentStatuses) {
    const rendering = render(r.req, r.info.verb === 'list');
    let items = await ctx.componentStatuses();
    // Upstream answers every ComponentStatus read with this deprecation warning; kubectl prints it.
    r.res.setHeader('Warning', '299 - "v1 ComponentStatus is deprecated in v1.19+"');
    if (r.info.verb === 'get') {
      const one = items.find((i) => i.metadata?.name === r.info.name);
      if (one === undefined) throw errors.notFound({ group: '', resource: 'componentstatuses' }, r.info.name);
      writeRendered(ctx, r, rendering, [one], one, {});
      return;
    }
    const filter = buildFilter(res, r.query, '');
    if (filter) items = items.filter(filter);
    writeRendered(ctx, r, rendering, items, { kind: 'ComponentStatusList', apiVersion: 'v1', metadata: {}, items }, {});
    return;
  }
  throw new StatusError(405, 'MethodNotAllowed', `the server does not yet implement ${r.info.verb} on ${res.group === '' ? res.resource : `${res.resource}.${res.group}`} in kubelite`, {
    group: res.group,
    kind: res.resource,
  });
}
