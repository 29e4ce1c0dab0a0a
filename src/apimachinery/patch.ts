/**
 * PATCH bodies: RFC 6902 JSON Patch (via fast-json-patch), RFC 7386 JSON Merge Patch,
 * and Content-Type → patch type. Errors follow the apiserver's patch handler
 * (endpoints/handlers/patch.go with evanphx/json-patch v4):
 *
 *  - a JSON Patch that is not a list of operation objects → 400 BadRequest with Go's
 *    decode message (e.g. "json: cannot unmarshal object into Go value of type jsonpatch.Patch");
 *  - more than 10000 operations → 413 "Request entity too large: The allowed maximum
 *    operations in a JSON patch is 10000, got N";
 *  - any operation that fails to apply (failed `test`, missing path, bad op) → 422
 *    Invalid "the server rejected our request due to an error in our request" (upstream
 *    builds it with NewGenericServerResponse, which drops the underlying error text);
 *  - a merge patch that is not JSON, or is null or a scalar → 400 "Invalid JSON Patch";
 *  - a patched result that is not an object → 422 Invalid on field "patch".
 */

import fjp from 'fast-json-patch';
import type { Operation } from 'fast-json-patch';
import { errors, field, StatusError } from './errors.js';
import { goJSONKind, JSONSyntaxError, parseJSON } from './json.js';

export type PatchType = 'json-patch' | 'merge-patch' | 'strategic-merge-patch' | 'apply-patch' | 'apply-patch-cbor';

const PATCH_TYPES: Readonly<Record<string, PatchType>> = {
  'application/json-patch+json': 'json-patch',
  'application/merge-patch+json': 'merge-patch',
  'application/strategic-merge-patch+json': 'strategic-merge-patch',
  'application/apply-patch+yaml': 'apply-patch',
  'application/apply-patch+cbor': 'apply-patch-cbor',
};

/** The content type of each patch type (inverse of parsePatchType). */
export const PATCH_CONTENT_TYPES: Readonly<Record<PatchType, string>> = {
  'json-patch': 'application/json-patch+json',
  'merge-patch': 'application/merge-patch+json',
  'strategic-merge-patch': 'application/strategic-merge-patch+json',
  'apply-patch': 'application/apply-patch+yaml',
  'apply-patch-cbor': 'application/apply-patch+cbor',
};

/** Maps a Content-Type header (parameters ignored) to a patch type; undefined when it is none. */
export function parsePatchType(contentType: string | undefined | null): PatchType | undefined {
  if (contentType === undefined || contentType === null) return undefined;
  const i = contentType.indexOf(';');
  const mt = (i >= 0 ? contentType.slice(0, i) : contentType).trim().toLowerCase();
  return Object.prototype.hasOwnProperty.call(PATCH_TYPES, mt) ? PATCH_TYPES[mt] : undefined;
}

/** 415 for a PATCH whose Content-Type is not among the supported ones, worded as upstream. */
export function unsupportedPatchType(contentType: string, supported: readonly PatchType[]): StatusError {
  return errors.unsupportedMediaType(
    contentType,
    `the body of the request was in an unknown format - accepted media types include: ${supported.map((t) => PATCH_CONTENT_TYPES[t]).join(', ')}`,
  );
}

export const MAX_JSON_PATCH_OPERATIONS = 10000;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function invalidPatchApplication(): StatusError {
  return new StatusError(422, 'Invalid', 'the server rejected our request due to an error in our request', {});
}

/** The apiserver decoding a patched document that is not an object. */
function notAnObject(result: unknown): StatusError {
  return errors.invalid('', '', '', [
    field.invalid(
      'patch',
      JSON.stringify(result),
      `couldn't get version/kind; json parse error: json: cannot unmarshal ${goJSONKind(result)} into Go value of type struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }`,
    ),
  ]);
}

function parseBody(body: Uint8Array | string, onSyntax: (e: JSONSyntaxError) => StatusError): unknown {
  try {
    return parseJSON(body);
  } catch (e) {
    if (e instanceof JSONSyntaxError) throw onSyntax(e);
    throw e;
  }
}

/** Decodes a JSON Patch body (bytes or an already parsed value) into operations, as jsonpatch.DecodePatch. */
export function decodeJSONPatch(patch: unknown): Record<string, unknown>[] {
  const ops =
    typeof patch === 'string' || patch instanceof Uint8Array ? parseBody(patch, (e) => errors.badRequest(e.message)) : patch;
  if (ops === null) return [];
  if (!Array.isArray(ops)) {
    throw errors.badRequest(`json: cannot unmarshal ${goJSONKind(ops)} into Go value of type jsonpatch.Patch`);
  }
  for (const op of ops) {
    if (op !== null && !isObject(op)) {
      throw errors.badRequest(`json: cannot unmarshal ${goJSONKind(op)} into Go value of type jsonpatch.Operation`);
    }
  }
  return ops as Record<string, unknown>[];
}

/** Applies one operation with evanphx v4's leniencies; throws on any failure. */
function applyOne(doc: unknown, op: Record<string, unknown> | null): unknown {
  if (op === null) throw new Error('Unexpected kind: unknown');
  const path = op['path'];
  if (typeof path !== 'string' || path === '') throw new Error('operation missing path field');
  const kind = op['op'];
  // v4 adds/replaces null when "value" is absent.
  const o = (kind === 'add' || kind === 'replace') && !('value' in op) ? { ...op, value: null } : op;
  // v4: testing a missing key of an existing object against null passes.
  if (kind === 'test' && op['value'] === null) {
    const cut = path.lastIndexOf('/');
    const parentPath = path.slice(0, cut);
    const key = fjp.unescapePathComponent(path.slice(cut + 1));
    const parent: unknown = parentPath === '' ? doc : fjp.getValueByPointer(doc, parentPath);
    if (isObject(parent) && !Object.prototype.hasOwnProperty.call(parent, key)) return doc;
  }
  return fjp.applyOperation(doc, o as unknown as Operation, true, true, true).newDocument;
}

/**
 * Applies an RFC 6902 patch to a copy of `doc` and returns the result. `ops` may be the
 * raw body (bytes/string) or an already parsed value.
 */
export function applyJSONPatch(doc: Record<string, unknown>, ops: unknown): Record<string, unknown> {
  const list = decodeJSONPatch(ops);
  if (list.length > MAX_JSON_PATCH_OPERATIONS) {
    throw errors.tooLarge(
      `Request entity too large: The allowed maximum operations in a JSON patch is ${MAX_JSON_PATCH_OPERATIONS}, got ${list.length}`,
    );
  }
  let out: unknown = structuredClone(doc);
  for (const op of list) {
    try {
      out = applyOne(out, op);
    } catch {
      throw invalidPatchApplication();
    }
  }
  if (!isObject(out)) throw notAnObject(out);
  return out;
}

function pruneNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.filter((x) => x !== null).map(pruneNulls);
  if (isObject(v)) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (x !== null) out[k] = pruneNulls(x);
    return out;
  }
  return v;
}

function mergeInto(target: Record<string, unknown>, patch: Record<string, unknown>): void {
  for (const [k, pv] of Object.entries(patch)) {
    if (pv === null) {
      delete target[k];
      continue;
    }
    const cur = Object.prototype.hasOwnProperty.call(target, k) ? target[k] : undefined;
    if (isObject(cur) && isObject(pv)) {
      mergeInto(cur, pv);
    } else if (isObject(cur)) {
      // v4 quirk: a non-object replacing an object keeps nulls inside arrays.
      target[k] = structuredClone(pv);
    } else {
      target[k] = pruneNulls(structuredClone(pv));
    }
  }
}

/**
 * Applies an RFC 7386 merge patch (null deletes, objects merge recursively, anything
 * else replaces) to a copy of `doc`. `patch` may be the raw body or a parsed value.
 */
export function applyMergePatch(doc: Record<string, unknown>, patch: unknown): Record<string, unknown> {
  const p =
    typeof patch === 'string' || patch instanceof Uint8Array
      ? parseBody(patch, () => errors.badRequest('Invalid JSON Patch'))
      : patch;
  if (Array.isArray(p)) throw notAnObject(pruneNulls(p));
  if (!isObject(p)) throw errors.badRequest('Invalid JSON Patch');
  const out = structuredClone(doc);
  mergeInto(out, p);
  return out;
}
