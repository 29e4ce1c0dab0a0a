/**
 * Request-body decoding by Content-Type, with upstream's error shapes
 * (apiserver endpoints/handlers create.go/update.go, transformDecodeError, and the
 * JSON serializer's "couldn't get version/kind" step):
 *
 *   400 the object provided is unrecognized (must be of type Pod): couldn't get
 *       version/kind; json parse error: unexpected end of JSON input (<empty>)
 *   415 the body of the request was in an unknown format - accepted media types include: ...
 *
 * application/vnd.kubernetes.protobuf bodies are decoded with the schema built from
 * kubectl's descriptors (src/apimachinery/protobuf/, scripts/gen-protobuf.ts) into the
 * same JSON object shape; without that schema they stay 415.
 *
 * Then checkTypeMeta fills a missing apiVersion/kind from the endpoint and refuses a
 * mismatch as upstream does.
 */

import { errors } from './errors.js';
import { goJSONKind, JSONSyntaxError, parseJSON } from './json.js';
import { PROTOBUF_MEDIA_TYPE, ProtobufDecodeError } from './protobuf/decoder.js';
import { defaultDecoder, schemaProblem } from './protobuf/load.js';
import { yamlToJSONValue } from './yaml.js';

export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

/** The media types a body may always be decoded from. */
export const DECODABLE_MEDIA_TYPES = ['application/json', 'application/yaml'] as const;

/** The media types accepted now: protobuf too when its schema was built. */
export function acceptedMediaTypes(): string[] {
  const out: string[] = [...DECODABLE_MEDIA_TYPES];
  if (defaultDecoder() !== undefined) out.push(PROTOBUF_MEDIA_TYPE);
  return out;
}

/** Go's %v of the anonymous struct the JSON serializer decodes apiVersion/kind into. */
const FIND_KIND_TYPE = 'struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }';

/** "application/json; charset=utf-8" → "application/json" (lower-cased, trimmed). */
export function mediaTypeOf(contentType: string | undefined | null): string {
  if (contentType === undefined || contentType === null) return '';
  const i = contentType.indexOf(';');
  return (i >= 0 ? contentType.slice(0, i) : contentType).trim().toLowerCase();
}

/** Upstream summarizeData: '{'-led bodies as text, others as hex, both cut at 30 bytes. */
export function summarizeBody(body: Uint8Array, maxLength = 30): string {
  if (body.length === 0) return '<empty>';
  const cut = body.length > maxLength;
  const head = Buffer.from(body.subarray(0, maxLength));
  const s = body[0] === 0x7b ? head.toString('utf8') : head.toString('hex');
  return cut ? `${s} ...` : s;
}

function unrecognized(kind: string, cause: string, body: Uint8Array) {
  return errors.badRequest(`the object provided is unrecognized (must be of type ${kind}): ${cause} (${summarizeBody(body)})`);
}

/** Splits apiVersion as schema.ParseGroupVersion. */
export function parseGroupVersion(apiVersion: string): { group: string; version: string } {
  if (apiVersion === '' || apiVersion === '/') return { group: '', version: '' };
  const parts = apiVersion.split('/');
  if (parts.length === 1) return { group: '', version: apiVersion };
  if (parts.length === 2) return { group: parts[0] ?? '', version: parts[1] ?? '' };
  throw new Error(`unexpected GroupVersion string: ${apiVersion}`);
}

/** "apps/v1", or "v1" for the core group. */
export function groupVersionString(gv: { group: string; version: string }): string {
  if (gv.group === '') return gv.version;
  return `${gv.group}/${gv.version}`;
}

/** The Go "couldn't get version/kind" checks on an already parsed value; returns the cause text or undefined. */
function findKindError(v: unknown): string | undefined {
  if (v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) {
    return `couldn't get version/kind; json parse error: json: cannot unmarshal ${goJSONKind(v)} into Go value of type ${FIND_KIND_TYPE}`;
  }
  // encoding/json matches keys case-insensitively and reports the first type error.
  for (const [k, val] of Object.entries(v)) {
    const lk = k.toLowerCase();
    if ((lk === 'apiversion' || lk === 'kind') && val !== null && typeof val !== 'string') {
      const f = lk === 'kind' ? 'kind' : 'apiVersion';
      return `couldn't get version/kind; json parse error: json: cannot unmarshal ${goJSONKind(val)} into Go struct field .${f} of type string`;
    }
  }
  const av = (v as Record<string, unknown>)['apiVersion'];
  if (typeof av === 'string') {
    try {
      parseGroupVersion(av);
    } catch (e) {
      return (e as Error).message;
    }
  }
  return undefined;
}

export interface DecodeOptions {
  /** The Kind the endpoint serves; named in "must be of type X" messages. */
  kind: string;
  /**
   * The endpoint's group and version (optional). A protobuf body whose envelope lacks
   * apiVersion/kind is read as this type, and an endpoint whose type has no protobuf
   * message (a custom resource) answers protobuf with 415, as upstream.
   */
  group?: string;
  version?: string;
}

function unsupported(mt: string, extra = ''): never {
  throw errors.unsupportedMediaType(
    mt,
    `the body of the request was in an unknown format - accepted media types include: ${acceptedMediaTypes().join(', ')}${extra}`,
  );
}

/** A protobuf body as upstream's protobuf serializer + transformDecodeError report it. */
function decodeProtobuf(bytes: Uint8Array, mt: string, opts: DecodeOptions): Record<string, unknown> {
  const decoder = defaultDecoder();
  if (decoder === undefined) unsupported(mt, ` (kubelite cannot decode protobuf: ${schemaProblem()})`);
  const expected = opts.group !== undefined && opts.version !== undefined ? { group: opts.group, version: opts.version, kind: opts.kind } : undefined;
  if (expected !== undefined && decoder.messageFor(expected) === undefined) unsupported(mt);
  try {
    return decoder.decode(bytes, expected ?? { kind: opts.kind });
  } catch (e) {
    if (!(e instanceof ProtobufDecodeError)) throw e;
    if (e.gvk !== undefined && e.gvk.kind !== '') {
      throw errors.badRequest(`${e.gvk.kind} in version ${JSON.stringify(e.gvk.version)} cannot be handled as a ${opts.kind}: ${e.message}`);
    }
    throw unrecognized(opts.kind, e.message, bytes);
  }
}

/**
 * Decodes a request body into a JSON object. application/json (also an empty
 * Content-Type) is parsed strictly with Go's error wording; application/yaml holds
 * exactly one document; application/vnd.kubernetes.protobuf is a runtime.Unknown
 * envelope decoded with the built schema (415 without one); anything else is 415. A
 * body that is not an object (array, scalar) is 400; `null` decodes as {} as upstream
 * (which then fills the kind and fails validation).
 */
export function decodeBody(
  body: Uint8Array | string,
  contentType: string | undefined | null,
  opts: DecodeOptions,
): Record<string, unknown> {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  const mt = mediaTypeOf(contentType);
  let value: unknown;
  if (mt === '' || mt === 'application/json') {
    try {
      value = parseJSON(bytes);
    } catch (e) {
      if (e instanceof JSONSyntaxError) {
        throw unrecognized(opts.kind, `couldn't get version/kind; json parse error: ${e.message}`, bytes);
      }
      throw e;
    }
  } else if (mt === 'application/yaml') {
    try {
      value = yamlToJSONValue(Buffer.from(bytes).toString('utf8'));
    } catch (e) {
      throw unrecognized(opts.kind, `error converting YAML to JSON: ${(e as Error).message}`, bytes);
    }
  } else if (mt === PROTOBUF_MEDIA_TYPE) {
    return decodeProtobuf(bytes, mt, opts);
  } else {
    unsupported(mt);
  }
  const cause = findKindError(value);
  if (cause !== undefined) throw unrecognized(opts.kind, cause, bytes);
  if (value === null) return {};
  return value as Record<string, unknown>;
}

/**
 * Applies the endpoint's group/version/kind to a decoded object, as upstream's JSON
 * serializer defaults a missing kind/apiVersion from the request path, then refuses:
 *  - another kind: `Deployment in version "v1" cannot be handled as a Pod: no kind
 *    "Deployment" is registered for version "apps/v1" in scheme "pkg/runtime/scheme.go:100"`
 *  - another group/version: `the API version in the data (apps/v1beta1) does not match
 *    the expected API version (apps/v1)`
 * Both are 400 BadRequest. Mutates and returns obj.
 */
export function checkTypeMeta(obj: Record<string, unknown>, expected: GroupVersionKind): Record<string, unknown> {
  const rawAV = typeof obj['apiVersion'] === 'string' ? obj['apiVersion'] : '';
  const rawKind = typeof obj['kind'] === 'string' ? obj['kind'] : '';
  let gv: { group: string; version: string };
  try {
    gv = parseGroupVersion(rawAV);
  } catch (e) {
    throw errors.badRequest(
      `the object provided is unrecognized (must be of type ${expected.kind}): ${(e as Error).message}`,
    );
  }
  // gvkWithDefaults
  const kind = rawKind === '' ? expected.kind : rawKind;
  let { group, version } = gv;
  if (version === '' && group === '') {
    group = expected.group;
    version = expected.version;
  }
  if (version === '' && group === expected.group) version = expected.version;
  if (version === '') {
    throw errors.badRequest(
      `${kind} in version "" cannot be handled as a ${expected.kind}: Object 'apiVersion' is missing in '${JSON.stringify(obj)}'`,
    );
  }
  if (kind !== expected.kind) {
    throw errors.badRequest(
      `${kind} in version ${JSON.stringify(version)} cannot be handled as a ${expected.kind}: no kind ${JSON.stringify(kind)} is registered for version ${JSON.stringify(groupVersionString({ group, version }))} in scheme "pkg/runtime/scheme.go:100"`,
    );
  }
  if (group !== expected.group || version !== expected.version) {
    throw errors.badRequest(
      `the API version in the data (${groupVersionString({ group, version })}) does not match the expected API version (${groupVersionString(expected)})`,
    );
  }
  obj['apiVersion'] = groupVersionString(expected);
  obj['kind'] = expected.kind;
  return obj;
}
