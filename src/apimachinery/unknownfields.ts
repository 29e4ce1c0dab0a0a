/**
 * Server-side field validation (the `fieldValidation` query parameter of create,
 * update and patch) for built-in kinds, as upstream's decoders do it: the object is
 * walked against its kind's Swagger schema (generated/openapi/definitions.json, the
 * same definitions strategic merge patch reads), and every key the schema does not
 * declare is an unknown field, named by its path the way sigs.k8s.io/json names it:
 * `spec.replicass`, `spec.template.spec.containers[0].imagee`, `metadata.labelz`.
 *
 * Free-form places are not descended into: a schema without properties (RawExtension,
 * apiextensions JSON, FieldsV1, type: object maps of scalars) accepts any key. Maps
 * whose values are typed structs (additionalProperties with properties) are checked
 * below each key. Kinds without a schema (custom resources) are not checked at all.
 *
 * What the directive does with the unknown fields (handlers/rest.go fieldValidation):
 *  - Strict: 400 BadRequest, `strict decoding error: unknown field "a", unknown field "b"`
 *    (create and update prefix it with `<Kind> in version "<v>" cannot be handled as a <Kind>: `);
 *  - Warn (also the default when the parameter is absent): one
 *    `Warning: 299 - "unknown field \"a\""` header per field, the request goes on;
 *  - Ignore: nothing.
 */
import { errors, type StatusError } from './errors.js';
import { definitionForKind, loadDefinitions, Lookup, type SMPDefinitions, type SMPSchema } from './strategicpatch.js';

export type FieldValidation = 'Ignore' | 'Warn' | 'Strict';

/** Upstream's fieldValidation(): an absent or empty directive is Warn. */
export function fieldValidationDirective(q: URLSearchParams): FieldValidation {
  const v = q.get('fieldValidation');
  return v === 'Ignore' || v === 'Strict' ? v : 'Warn';
}

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * The paths of the fields of `obj` its schema does not declare, in document order.
 * `definition` names the kind's definition in `defs`.
 */
export function unknownFields(obj: unknown, defs: SMPDefinitions, definition: string): string[] {
  const lookup = new Lookup(defs, undefined);
  const out: string[] = [];
  const walk = (value: unknown, schema: SMPSchema | undefined, path: string): void => {
    const s = lookup.resolve(schema);
    if (s === undefined || value === null || typeof value !== 'object') return;
    if (Array.isArray(value)) {
      if (s.items === undefined) return;
      value.forEach((item, i) => walk(item, s.items, `${path}[${i}]`));
      return;
    }
    const at = (key: string): string => (path === '' ? key : `${path}.${key}`);
    if (s.properties !== undefined) {
      for (const [key, v] of Object.entries(value)) {
        if (Object.prototype.hasOwnProperty.call(s.properties, key)) walk(v, s.properties[key], at(key));
        else out.push(at(key));
      }
      return;
    }
    // A map whose values are typed: check each value; a free-form object is left alone.
    if (isMap(s.additionalProperties)) {
      const values = s.additionalProperties;
      for (const [key, v] of Object.entries(value)) walk(v, values, at(key));
    }
  };
  walk(obj, { $ref: `#/definitions/${definition}` }, '');
  return out;
}

const definitionNames = new Map<string, string | undefined>();

/**
 * The unknown fields of an object of a built-in kind; [] for kinds without a schema.
 * `defs` defaults to the server's definitions (the kind's definition name is cached).
 */
export function unknownFieldsOf(obj: unknown, gvk: { group: string; version: string; kind: string }, defs?: SMPDefinitions): string[] {
  if (defs !== undefined) {
    const name = definitionForKind(defs, gvk.group, gvk.version, gvk.kind);
    return name === undefined ? [] : unknownFields(obj, defs, name);
  }
  const all = loadDefinitions();
  const key = `${gvk.group}/${gvk.version}/${gvk.kind}`;
  if (!definitionNames.has(key)) definitionNames.set(key, definitionForKind(all, gvk.group, gvk.version, gvk.kind));
  const name = definitionNames.get(key);
  return name === undefined ? [] : unknownFields(obj, all, name);
}

/** sigs.k8s.io/json's strict error of one field. */
export function unknownFieldError(path: string): string {
  return `unknown field ${JSON.stringify(path)}`;
}

/** runtime.StrictDecodingError's message. */
export function strictDecodingMessage(paths: readonly string[]): string {
  return `strict decoding error: ${paths.map(unknownFieldError).join(', ')}`;
}

/** The value of one Warning header (RFC 7234 warn-code 299, agent "-"), as upstream's recorder writes it. */
export function warningHeader(text: string): string {
  return `299 - ${JSON.stringify(text)}`;
}

/** What a write with these unknown fields gets: an error to throw, or the Warning headers to send. */
export type FieldValidationOutcome = { error: StatusError; warnings: [] } | { error: undefined; warnings: string[] };

/**
 * Applies the directive to the unknown fields found. `decodedAs` (create and update)
 * adds transformDecodeError's prefix, `<Kind> in version "<v>" cannot be handled as a <Kind>: `;
 * patch errors are the bare strict decoding error, as upstream's patcher returns them.
 */
export function fieldValidationOutcome(directive: FieldValidation, paths: readonly string[], decodedAs?: { version: string; kind: string }): FieldValidationOutcome {
  if (paths.length === 0 || directive === 'Ignore') return { error: undefined, warnings: [] };
  if (directive === 'Warn') return { error: undefined, warnings: paths.map((p) => warningHeader(unknownFieldError(p))) };
  const msg = strictDecodingMessage(paths);
  const full = decodedAs === undefined ? msg : `${decodedAs.kind} in version ${JSON.stringify(decodedAs.version)} cannot be handled as a ${decodedAs.kind}: ${msg}`;
  return { error: errors.badRequest(full), warnings: [] };
}
