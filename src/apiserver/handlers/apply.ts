/**
 * Server-side apply: PATCH with Content-Type application/apply-patch+yaml. The body is
 * the configuration the applier wants (YAML or JSON), merged into the object by the
 * endpoint's field manager (src/apimachinery/managedfields), which records ownership
 * in metadata.managedFields and reports conflicts with other managers as 409. Applying
 * to an object that does not exist creates it (201).
 */
import { parse as parseYAML } from 'yaml';
import { errors } from '../../apimachinery/errors.js';
import { mediaTypeOf } from '../../apimachinery/decode.js';
import type { Registry } from '../registry/store.js';
import type { KObject } from '../registry/strategy.js';
import { readBody } from '../http/body.js';
import type { Rendering } from '../http/negotiate.js';
import { parsePatchOptions } from './options.js';
import { admitFn, writeRendered, stamp, addWarnings, type HandlerContext, type ResourceRequest } from './resource.js';
import { validateApplyPatchFields } from '../../apimachinery/fieldvalidation.js';
import { fieldValidationDirective } from '../../apimachinery/unknownfields.js';

export const APPLY_PATCH = 'application/apply-patch+yaml';

export function isApplyPatch(contentType: string | undefined): boolean {
  return mediaTypeOf(contentType) === APPLY_PATCH;
}

/** The body as upstream's yaml.Unmarshal into a map reads it. */
function decodeConfig(body: Buffer): KObject {
  let v: unknown;
  try {
    v = parseYAML(body.toString('utf8'), { uniqueKeys: false, version: '1.1' });
  } catch (e) {
    throw errors.badRequest(`error decoding YAML: ${(e as Error).message.split('\n')[0]}`);
  }
  if (v === null || v === undefined) return {};
  if (typeof v !== 'object' || Array.isArray(v)) {
    const what = Array.isArray(v) ? 'array' : typeof v === 'string' ? 'string' : typeof v === 'number' ? 'number' : 'bool';
    throw errors.badRequest(`error decoding YAML: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal ${what} into Go value of type map[string]interface {}`);
  }
  return v as KObject;
}

export async function handleApply(ctx: HandlerContext, r: ResourceRequest, registry: Registry, subresource: string, rendering: Rendering): Promise<void> {
  const opts = parsePatchOptions(r.query, true);
  const body = await readBody(r.req);
  const config = decodeConfig(body);
  // Repeated keys in the body: upstream decodes the configuration strictly when asked to.
  const strict = validateApplyPatchFields(fieldValidationDirective(r.query), body);
  if (strict.error !== undefined) throw strict.error;
  addWarnings(r.res, strict.warnings);
  const admit = admitFn(ctx, r, undefined, opts.dryRun, subresource);
  const { obj, created } = await registry.apply(r.info.namespace, r.info.name, config, {
    manager: r.query.get('fieldManager') ?? '',
    force: opts.force,
    dryRun: opts.dryRun,
    ...(subresource !== '' ? { subresource } : {}),
    ...(admit !== undefined ? { admit } : {}),
  });
  const stamped = stamp(obj, r.resource);
  writeRendered(ctx, r, rendering, [stamped], stamped, {}, created ? 201 : 200);
}
