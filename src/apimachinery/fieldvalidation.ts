/**
 * fieldValidation (Strict / Warn / Ignore) for each kind of write body, as upstream's
 * handlers run it for built-in kinds (endpoints/handlers create.go, update.go, patch.go):
 *
 * create and update: the body is decoded strictly into the Go struct.
 *  - JSON: sigs.k8s.io/json reports unknown and duplicate fields in document order:
 *    `duplicate field "metadata.name", unknown field "spec.unknown1", duplicate field "spec.paused"`.
 *  - YAML: go-yaml's strict complaints about repeated keys come first, as one error
 *    `yaml: unmarshal errors:\n  line 12: key "paused" already set in map`; then the
 *    unknown fields of the JSON sigs.k8s.io/yaml converted it to, whose keys are sorted.
 *  Strict: 400 `<Kind> in version "<v>" cannot be handled as a <Kind>: strict decoding error: <errors, ", ">`.
 *
 * patch: the patch body is checked on its own, then the patched object is decoded.
 *  - JSON patch: the operations as []jsonPatchOp{op, path, from, value}: `json patch unknown
 *    field "[0].foo"`, `json patch duplicate field "[1].path"`;
 *  - merge and strategic merge patch: the body as a map, so every repeated key is a
 *    duplicate: `duplicate field "spec.paused"`;
 *  - then the unknown fields of the patched object: sorted by key at each level for JSON
 *    and merge patch (evanphx/json-patch re-encodes Go maps), sorted by message and with
 *    map keys left out of paths for strategic merge patch (the unstructured converter).
 *  Strict: 422 Invalid, ` "" is invalid: patch: Invalid value: "<the patched object's
 *  JSON, or the patch map as %+v for strategic merge patch>": strict decoding error: ...`.
 *
 * Warn: one Warning per error; a YAML error gives one per complaint line, without its
 * `yaml: unmarshal errors:` heading. Ignore: nothing. Under every directive the object
 * written is the decoded one: unknown fields dropped, repeated keys resolved as Go does.
 *
 * Checks that fail on the body's shape rather than its fields (a JSON patch that is not a
 * list, a value of the wrong type) are left to the decoders, which answer them as before.
 */
import { errors, field, type StatusError } from './errors.js';
import { mediaTypeOf } from './decode.js';
import { parseJSON, parseJSONRepeats, type JSONEntries } from './json.js';
import { parsePatchType } from './patch.js';
import { goFormat, type SMPSchema } from './strategicpatch.js';
import { ANY_SCHEMA, decodeFieldsOf, decodeValue, kindDefinition, strictIssueMessage, warningHeader, type FieldValidation } from './unknownfields.js';
import { applyPatchStrictYAMLError, yamlUnmarshalStrictError } from './yaml.js';

interface GVK {
  group: string;
  version: string;
  kind: string;
}

type JSONMap = Record<string, unknown>;

function isMap(v: unknown): v is JSONMap {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** What a write gets from field validation: the object to go on with, and an error to throw or Warning headers to send. */
export interface FieldValidationResult<T> {
  object: T;
  error?: StatusError;
  /** Values for Warning headers (`299 - "..."`). */
  warnings: string[];
}

// The beginnings of go-yaml strict errors that handlers/rest.go parseYAMLWarnings splits.
const SHORT_YAML_PREFIX = 'yaml: unmarshal errors:\n';
const LONG_YAML_PREFIX = 'error converting YAML to JSON: yaml: unmarshal errors:\n';

/** The warning texts of strict errors: one per error, a YAML error split into its complaint lines. */
export function strictDecodingWarnings(errs: readonly string[]): string[] {
  const out: string[] = [];
  for (const e of errs) {
    const prefix = e.startsWith(SHORT_YAML_PREFIX) ? SHORT_YAML_PREFIX : e.startsWith(LONG_YAML_PREFIX) ? LONG_YAML_PREFIX : undefined;
    if (prefix === undefined) out.push(e);
    else out.push(...e.slice(prefix.length).split('\n').map((l) => l.trim()));
  }
  return out;
}

function warned<T>(object: T, errs: readonly string[]): FieldValidationResult<T> {
  return { object, warnings: strictDecodingWarnings(errs).map(warningHeader) };
}

/**
 * A create or update body, already decoded into `obj` (type meta checked) from `body`
 * of `contentType`: the object to store and what the directive makes of its strict errors.
 */
export function validateBodyFields(
  directive: FieldValidation,
  obj: JSONMap,
  body: Uint8Array,
  contentType: string | undefined,
  gvk: GVK,
): FieldValidationResult<JSONMap> {
  if (kindDefinition(gvk) === undefined) return { object: obj, warnings: [] };
  const mt = mediaTypeOf(contentType);
  const errs: string[] = [];
  let decoded: JSONMap;
  if (mt === 'application/yaml') {
    if (directive !== 'Ignore') {
      const y = yamlUnmarshalStrictError(Buffer.from(body).toString('utf8'));
      if (y !== undefined) errs.push(y);
    }
    const r = decodeFieldsOf(obj, gvk, { sortKeys: true });
    decoded = r.value as JSONMap;
    errs.push(...r.issues.map(strictIssueMessage));
  } else {
    const doc = mt === '' || mt === 'application/json' ? parseJSONRepeats(body) : undefined;
    if (doc !== undefined && isMap(doc.value)) {
      const r = decodeFieldsOf(doc.value, gvk, { repeated: doc.repeated });
      // The type meta decodeObject checked and filled in.
      decoded = { ...(r.value as JSONMap), apiVersion: obj['apiVersion'], kind: obj['kind'] };
      errs.push(...r.issues.map(strictIssueMessage));
    } else {
      const r = decodeFieldsOf(obj, gvk);
      decoded = r.value as JSONMap;
      errs.push(...r.issues.map(strictIssueMessage));
    }
  }
  if (errs.length === 0 || directive === 'Ignore') return { object: decoded, warnings: [] };
  if (directive === 'Warn') return warned(decoded, errs);
  const message = `${gvk.kind} in version ${JSON.stringify(gvk.version)} cannot be handled as a ${gvk.kind}: strict decoding error: ${errs.join(', ')}`;
  return { object: decoded, error: errors.badRequest(message), warnings: [] };
}

/** handlers/patch.go jsonPatchOp: what a JSON patch operation is strictly decoded into. */
const JSON_PATCH_OPS: SMPSchema = { items: { properties: { op: {}, path: {}, from: {}, value: ANY_SCHEMA } } };

/** The patch body decoded as upstream decodes it for strictness: its value and strict errors. */
function patchBodyErrors(type: string | undefined, body: Uint8Array): { value: unknown; errs: string[] } {
  let value: unknown;
  let repeated: ReadonlyMap<object, JSONEntries> = new Map();
  try {
    const doc = parseJSONRepeats(body);
    if (doc !== undefined) ({ value, repeated } = doc);
    else value = parseJSON(body);
  } catch {
    return { value: undefined, errs: [] };
  }
  if (type === 'json-patch') {
    if (!Array.isArray(value) || !value.every((op) => op === null || isMap(op))) return { value, errs: [] };
    const r = decodeValue(value, JSON_PATCH_OPS, {}, { repeated });
    return { value, errs: r.issues.map((i) => `json patch ${strictIssueMessage(i)}`) };
  }
  if (!isMap(value)) return { value, errs: [] };
  return { value, errs: decodeValue(value, ANY_SCHEMA, {}, { repeated }).issues.map(strictIssueMessage) };
}

/** Go's sort of strings: by bytes. */
function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

/**
 * A JSON, merge or strategic merge patch: `patched` is the current object with the patch
 * (`body`, of `contentType`) applied. Returns the object to store and what the directive
 * makes of the strict errors of the body and of the patched object.
 */
export function validatePatchFields<T>(directive: FieldValidation, contentType: string | undefined, body: Uint8Array, patched: T, gvk: GVK): FieldValidationResult<T> {
  if (kindDefinition(gvk) === undefined) return { object: patched, warnings: [] };
  const type = parsePatchType(contentType);
  const smp = type === 'strategic-merge-patch';
  const r = decodeFieldsOf(patched, gvk, smp ? { mapKeysInPath: false } : { sortKeys: true });
  const object = r.value as T;
  if (directive === 'Ignore') return { object, warnings: [] };
  const fromBody = patchBodyErrors(type, body);
  const fromObject = r.issues.map(strictIssueMessage);
  if (smp) fromObject.sort(byteOrder);
  const errs = [...fromBody.errs, ...fromObject];
  if (errs.length === 0) return { object, warnings: [] };
  if (directive === 'Warn') return warned(object, errs);
  const shown = smp ? goFormat(fromBody.value) : JSON.stringify(patched);
  return { object, error: errors.invalid('', '', '', [field.invalid('patch', shown, `strict decoding error: ${errs.join(', ')}`)]), warnings: [] };
}

/**
 * A server-side apply body under a directive: Strict answers a body that repeats a key
 * with 400 BadRequest (applyPatchStrictYAMLError's text); Warn sends one Warning per
 * repeated key; Ignore, or a clean body, gets nothing.
 */
export function validateApplyPatchFields(directive: FieldValidation, body: Uint8Array | string): { error?: StatusError; warnings: string[] } {
  if (directive === 'Ignore') return { warnings: [] };
  const text = applyPatchStrictYAMLError(body);
  if (text === undefined) return { warnings: [] };
  if (directive === 'Strict') return { error: errors.badRequest(text), warnings: [] };
  return { warnings: strictDecodingWarnings([text.slice('error strict decoding YAML: '.length)]).map(warningHeader) };
}
