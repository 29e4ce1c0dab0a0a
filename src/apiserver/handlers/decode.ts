/**
 * Request bodies into objects for a resource endpoint: decode by Content-Type, then
 * check apiVersion/kind against the endpoint (filling them when absent), and apply
 * PATCH bodies by patch type. Strategic merge patch and server-side apply are
 * recognised and refused with 415 until they are built.
 */
import { errors } from '../../apimachinery/errors.js';
import { decodeBody, checkTypeMeta } from '../../apimachinery/decode.js';
import { applyJSONPatch, applyMergePatch, parsePatchType } from '../../apimachinery/patch.js';
import type { ResourceInfo } from '../../api/types.js';
import type { KObject } from '../registry/strategy.js';

type Expected = Pick<ResourceInfo, 'group' | 'version' | 'kind'>;

/** With expected undefined (DeleteOptions and other option bodies) no type check is made. */
export function decodeObject(contentType: string | undefined, body: Buffer, expected: Expected | undefined): KObject {
  const obj = decodeBody(body, contentType, { kind: expected?.kind ?? 'DeleteOptions' }) as KObject;
  if (expected !== undefined) checkTypeMeta(obj, { group: expected.group, version: expected.version, kind: expected.kind });
  if (obj.metadata !== undefined && (obj.metadata === null || typeof obj.metadata !== 'object' || Array.isArray(obj.metadata))) {
    throw errors.badRequest(`the object provided is unrecognized (must be of type ${expected?.kind ?? 'object'}): metadata must be an object`);
  }
  return obj;
}

const SUPPORTED_PATCHES = 'application/json-patch+json, application/merge-patch+json';

export function applyPatchBody(contentType: string | undefined, body: Buffer, current: KObject, expected: Expected): KObject {
  const type = parsePatchType(contentType ?? '');
  let out: KObject;
  switch (type) {
    case 'json-patch':
      out = applyJSONPatch(current, body) as KObject;
      break;
    case 'merge-patch':
      out = applyMergePatch(current, body) as KObject;
      break;
    case 'strategic-merge-patch':
    case 'apply-patch':
    case 'apply-patch-cbor':
      throw errors.unsupportedMediaType(
        contentType ?? '',
        `the body of the request was in an unknown format - accepted media types include: ${SUPPORTED_PATCHES} (kubelite does not support ${contentType} yet)`,
      );
    default:
      throw errors.unsupportedMediaType(contentType ?? '', `the body of the request was in an unknown format - accepted media types include: ${SUPPORTED_PATCHES}`);
  }
  if (out === null || typeof out !== 'object' || Array.isArray(out)) throw errors.badRequest('the patch did not produce an object');
  checkTypeMeta(out, { group: expected.group, version: expected.version, kind: expected.kind });
  return out;
}
