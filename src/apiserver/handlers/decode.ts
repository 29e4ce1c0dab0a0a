/**
 * Request bodies into objects for a resource endpoint: decode by Content-Type, then
 * check apiVersion/kind against the endpoint (filling them when absent), and apply
 * PATCH bodies by patch type (JSON patch, merge patch, and strategic merge patch for
 * built-in kinds). Server-side apply bodies are handled by apply.ts.
 */
import { errors } from '../../apimachinery/errors.js';
import * as decoding from '../../apimachinery/decode.js';
import { decodeBody, checkTypeMeta, mediaTypeOf, summarizeBody, parseGroupVersion, DECODABLE_MEDIA_TYPES } from '../../apimachinery/decode.js';
import { applyJSONPatch, applyMergePatch, parsePatchType, type PatchType } from '../../apimachinery/patch.js';
import { findByKind } from '../../api/resources.js';
import type { ResourceInfo } from '../../api/types.js';
import type { KObject } from '../registry/strategy.js';
import { applyStrategicMergePatch, definitionForKind, loadDefinitions, Lookup, type SMPDefinitions } from '../../apimachinery/strategicpatch.js';

type Expected = Pick<ResourceInfo, 'group' | 'version' | 'kind'>;

const PROTOBUF = 'application/vnd.kubernetes.protobuf';
/** "k8s\0": the envelope every Kubernetes protobuf body starts with. */
const PROTOBUF_MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

/**
 * The media types bodies are decoded from now. apimachinery's decoder grows protobuf
 * support (acceptedMediaTypes, when its schema is built); until it has it, protobuf is
 * still listed as upstream lists it, and refused below.
 */
function acceptedMediaTypes(): string[] {
  const f = (decoding as Record<string, unknown>)['acceptedMediaTypes'];
  return typeof f === 'function' ? (f as () => string[])() : [...DECODABLE_MEDIA_TYPES];
}

function protobufDecodable(): boolean {
  return acceptedMediaTypes().includes(PROTOBUF);
}

function unknownFormat(mt: string) {
  const accepted = acceptedMediaTypes();
  if (!accepted.includes(PROTOBUF)) accepted.push(PROTOBUF);
  return errors.unsupportedMediaType(mt, `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`);
}

/**
 * The input-serializer negotiation upstream does before reading the body: a
 * Content-Type no decoder speaks is 415 whatever the body holds.
 */
export function checkBodyMediaType(contentType: string | undefined): void {
  const mt = mediaTypeOf(contentType);
  if (mt === '' || mt === PROTOBUF || (DECODABLE_MEDIA_TYPES as readonly string[]).includes(mt)) return;
  throw unknownFormat(mt);
}

/** Go's package name of a group's internal types (core, apps, networking, ...). */
function internalPackage(group: string): string {
  if (group === '') return 'core';
  return group.split('.')[0] ?? group;
}

/**
 * A kind the server knows, sent to another kind's endpoint (a Service posted to
 * pods): upstream decodes it, then fails to convert it to the endpoint's type.
 */
function checkForeignKind(obj: KObject, expected: Expected): void {
  const kind = obj.kind;
  if (typeof kind !== 'string' || kind === '' || kind === expected.kind) return;
  let gv: { group: string; version: string };
  try {
    gv = parseGroupVersion(typeof obj.apiVersion === 'string' ? obj.apiVersion : '');
  } catch {
    return;
  }
  if (gv.version === '') gv = { group: expected.group, version: expected.version };
  if (findByKind(gv.group, gv.version, kind) === undefined) return;
  throw errors.badRequest(
    `${kind} in version ${JSON.stringify(gv.version)} cannot be handled as a ${expected.kind}: converting (${gv.version}.${kind}) to (${internalPackage(expected.group)}.${expected.kind}): unknown conversion`,
  );
}

/** With expected undefined (DeleteOptions and other option bodies) no type check is made. */
export function decodeObject(contentType: string | undefined, body: Buffer, expected: Expected | undefined): KObject {
  const mustBe = expected?.kind ?? 'DeleteOptions';
  if (mediaTypeOf(contentType) === PROTOBUF && !protobufDecodable()) {
    // Without a protobuf decoder, a body that is not protobuf at all still gets upstream's 400.
    if (body.length === 0) throw errors.badRequest(`the object provided is unrecognized (must be of type ${mustBe}): empty data (<empty>)`);
    if (!body.subarray(0, PROTOBUF_MAGIC.length).equals(PROTOBUF_MAGIC)) {
      throw errors.badRequest(
        `the object provided is unrecognized (must be of type ${mustBe}): provided data does not appear to be a protobuf message, expected prefix [107 56 115 0] (${summarizeBody(body)})`,
      );
    }
    throw unknownFormat(PROTOBUF);
  }
  // group/version let a protobuf envelope without type meta be read as the endpoint's type.
  const opts = { kind: mustBe, ...(expected !== undefined ? { group: expected.group, version: expected.version } : {}) };
  const obj = decodeBody(body, contentType, opts) as KObject;
  if (expected !== undefined) {
    checkForeignKind(obj, expected);
    checkTypeMeta(obj, { group: expected.group, version: expected.version, kind: expected.kind });
  }
  if (obj.metadata !== undefined && (obj.metadata === null || typeof obj.metadata !== 'object' || Array.isArray(obj.metadata))) {
    throw errors.badRequest(`the object provided is unrecognized (must be of type ${expected?.kind ?? 'object'}): metadata must be an object`);
  }
  return obj;
}

const SUPPORTED_PATCHES = 'application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json, application/apply-patch+yaml';

/**
 * The patch type of a PATCH's Content-Type, refused with 415 before anything is read
 * when kubelite cannot apply it (upstream checks the type first, too).
 */
export function patchTypeOf(contentType: string | undefined): PatchType {
  const type = parsePatchType(contentType ?? '');
  switch (type) {
    case 'json-patch':
    case 'merge-patch':
    case 'strategic-merge-patch':
      return type;
    case 'apply-patch':
      // Served by handlers/apply.ts before bodies reach this module; endpoints without
      // apply (the scale subresource) refuse it here.
      throw errors.unsupportedMediaType(contentType ?? '', `the body of the request was in an unknown format - accepted media types include: ${SUPPORTED_PATCHES} (kubelite does not support ${contentType} on this endpoint yet)`);
    case 'apply-patch-cbor':
      throw errors.unsupportedMediaType(
        contentType ?? '',
        `the body of the request was in an unknown format - accepted media types include: ${SUPPORTED_PATCHES} (kubelite does not support ${contentType} yet)`,
      );
    default:
      throw errors.unsupportedMediaType(contentType ?? '', `the body of the request was in an unknown format - accepted media types include: ${SUPPORTED_PATCHES}`);
  }
}

/** The Swagger definitions the server advertises (see scripts/gen-openapi.ts). */
function strategicPatchDefinitions(): SMPDefinitions {
  const defs = loadDefinitions();
  if (Object.keys(defs).length === 0) throw errors.internal('generated/openapi/definitions.json not found: strategic merge patch needs the OpenAPI definitions');
  return defs;
}

const smpSchemas = new Map<string, Lookup | undefined>();
/** The schema of a built-in kind; undefined for kinds without one (custom resources). */
function strategicPatchSchema(expected: Expected): Lookup | undefined {
  const key = `${expected.group}/${expected.version}/${expected.kind}`;
  if (!smpSchemas.has(key)) {
    const defs = strategicPatchDefinitions();
    const name = definitionForKind(defs, expected.group, expected.version, expected.kind);
    smpSchemas.set(key, name === undefined ? undefined : Lookup.forDefinition(defs, name));
  }
  return smpSchemas.get(key);
}

export function applyPatchBody(contentType: string | undefined, body: Buffer, current: KObject, expected: Expected): KObject {
  const type = patchTypeOf(contentType);
  let out: KObject;
  if (type === 'strategic-merge-patch') {
    const schema = strategicPatchSchema(expected);
    // Upstream serves strategic merge patch for compiled-in types only; custom resources get 415.
    if (schema === undefined) {
      throw errors.unsupportedMediaType(contentType ?? '', `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json`);
    }
    out = applyStrategicMergePatch(current, body, schema) as KObject;
  } else {
    out = (type === 'json-patch' ? applyJSONPatch(current, body) : applyMergePatch(current, body)) as KObject;
  }
  if (out === null || typeof out !== 'object' || Array.isArray(out)) throw errors.badRequest('the patch did not produce an object');
  checkForeignKind(out, expected);
  checkTypeMeta(out, { group: expected.group, version: expected.version, kind: expected.kind });
  return out;
}
