/**
 * Server-side field validation (the `fieldValidation` query parameter of create,
 * update and patch) for built-in kinds: the object is walked against its kind's
 * Swagger schema (generated/openapi/definitions.json, the same definitions strategic
 * merge patch reads) the way upstream's strict decoders walk the Go struct, and
 *
 *  - every key the schema does not declare is an unknown field, named by its path as
 *    sigs.k8s.io/json names it (`spec.replicass`, `spec.template.spec.containers[0].imagee`,
 *    `metadata.labelz`), and dropped from the decoded object: a Go struct has nowhere to
 *    keep it, so upstream never stores it, whatever the directive;
 *  - a key a JSON object names twice is a duplicate field: reported where the schema
 *    has a field (a struct field, or any key of a map), decoded as Go decodes it (the
 *    last value wins; a struct or map value is decoded into the one before it, so their
 *    fields merge). An unknown key named twice is reported once, as unknown.
 *
 * Free-form places are not descended into: a schema without properties (RawExtension,
 * apiextensions JSON, FieldsV1, type: object) accepts and keeps any key. Maps whose
 * values are typed are checked below each key. Kinds without a schema (custom
 * resources) are not checked at all.
 *
 * Errors are deduplicated by text and capped at 100, as sigs.k8s.io/json saves them.
 *
 * What the directive (Strict / Warn / Ignore) makes of them for each kind of request
 * body is fieldvalidation.ts.
 */
import { goQuote, type JSONEntries } from './json.js';
import { definitionForKind, loadDefinitions, Lookup, type SMPDefinitions, type SMPSchema } from './strategicpatch.js';

export type FieldValidation = 'Ignore' | 'Warn' | 'Strict';

/** Upstream's fieldValidation(): an absent or empty directive is Warn. */
export function fieldValidationDirective(q: URLSearchParams): FieldValidation {
  const v = q.get('fieldValidation');
  return v === 'Ignore' || v === 'Strict' ? v : 'Warn';
}

type JSONMap = Record<string, unknown>;

function isMap(v: unknown): v is JSONMap {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const hasOwn = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

function setMember(obj: JSONMap, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
  else obj[key] = value;
}

/** One strict decoding complaint. */
export interface StrictIssue {
  type: 'unknown field' | 'duplicate field';
  path: string;
}

/** sigs.k8s.io/json's text of one strict error: `unknown field "spec.x"`. */
export function strictIssueMessage(i: StrictIssue): string {
  return `${i.type} ${goQuote(i.path)}`;
}

export interface FieldDecodeOptions {
  /** Objects (of the walked value) that named a key twice, with all their members in document order. */
  repeated?: ReadonlyMap<object, JSONEntries>;
  /**
   * Visit keys in sorted order: the walked value stands for JSON that Go encoded from
   * a map (YAML converted by sigs.k8s.io/yaml, the result of a JSON or merge patch).
   */
  sortKeys?: boolean;
  /** Whether a map's key is part of the path below it: yes for sigs.k8s.io/json, no for the unstructured converter. */
  mapKeysInPath?: boolean;
}

export interface FieldDecodeResult {
  /** The value as the Go struct would hold it: unknown fields dropped, repeated keys merged. The input itself when nothing changed. */
  value: unknown;
  /** In the order the decoder meets them; deduplicated, at most 100. */
  issues: StrictIssue[];
}

const MAX_STRICT_ERRORS = 100;

function byKey(a: readonly [string, unknown], b: readonly [string, unknown]): number {
  return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0;
}

class FieldDecoder {
  readonly issues: StrictIssue[] = [];
  private readonly reported = new Set<string>();
  private readonly mapKeysInPath: boolean;

  constructor(
    private readonly lookup: Lookup,
    private readonly opts: FieldDecodeOptions,
  ) {
    this.mapKeysInPath = opts.mapKeysInPath ?? true;
  }

  private report(type: StrictIssue['type'], path: string): void {
    const issue = { type, path };
    const key = strictIssueMessage(issue);
    if (this.issues.length >= MAX_STRICT_ERRORS || this.reported.has(key)) return;
    this.reported.add(key);
    this.issues.push(issue);
  }

  /** The members of obj in the order the decoder reads them. */
  private members(obj: JSONMap): JSONEntries {
    const list = this.opts.repeated?.get(obj) ?? Object.entries(obj);
    return this.opts.sortKeys ? [...list].sort(byKey) : list;
  }

  value(v: unknown, schema: SMPSchema | undefined, path: string): unknown {
    const s = this.lookup.resolve(schema);
    if (s === undefined || v === null || typeof v !== 'object') return v;
    if (Array.isArray(v)) return s.items === undefined ? v : this.list(v, s.items, path);
    if (s.properties !== undefined) return this.object(v as JSONMap, path, s.properties, undefined);
    if (isMap(s.additionalProperties)) return this.object(v as JSONMap, path, undefined, s.additionalProperties);
    return v;
  }

  private list(v: unknown[], items: SMPSchema, path: string): unknown[] {
    let out: unknown[] | undefined;
    v.forEach((item, i) => {
      const w = this.value(item, items, `${path}[${i}]`);
      if (w !== item) (out ??= v.slice())[i] = w;
    });
    return out ?? v;
  }

  /** A struct (props) or a map (values): checks, prunes and merges its members. */
  private object(obj: JSONMap, path: string, props: Record<string, SMPSchema> | undefined, values: SMPSchema | undefined): JSONMap {
    const at = (key: string): string => (path === '' ? key : `${path}.${key}`);
    const repeats = this.opts.repeated?.has(obj) ?? false;
    const seen = repeats ? new Set<string>() : undefined;
    const decoded = new Map<string, unknown>();
    let changed = repeats;
    for (const [key, v] of this.members(obj)) {
      const known = props === undefined || hasOwn(props, key);
      if (!known) {
        this.report('unknown field', at(key));
        changed = true;
        continue;
      }
      if (seen !== undefined) {
        if (seen.has(key)) this.report('duplicate field', at(key));
        else seen.add(key);
      }
      const schema = props !== undefined ? props[key] : values;
      const w = this.value(v, schema, props === undefined && !this.mapKeysInPath ? path : at(key));
      if (w !== v) changed = true;
      // Go decodes a repeated struct field into the value before it; a map entry is replaced.
      decoded.set(key, decoded.has(key) && props !== undefined ? this.merge(decoded.get(key), w, schema) : w);
    }
    if (!changed) return obj;
    const out: JSONMap = {};
    for (const key of Object.keys(obj)) if (decoded.has(key)) setMember(out, key, decoded.get(key));
    return out;
  }

  /** `next` decoded into `prev` by encoding/json: structs keep the fields next lacks, maps the keys. */
  private merge(prev: unknown, next: unknown, schema: SMPSchema | undefined): unknown {
    const s = this.lookup.resolve(schema);
    if (s === undefined || !isMap(prev) || !isMap(next)) return next;
    if (s.properties !== undefined) {
      const out: JSONMap = { ...prev };
      for (const [k, v] of Object.entries(next)) setMember(out, k, hasOwn(prev, k) ? this.merge(prev[k], v, s.properties[k]) : v);
      return out;
    }
    if (isMap(s.additionalProperties)) {
      const out: JSONMap = { ...prev };
      for (const [k, v] of Object.entries(next)) setMember(out, k, v);
      return out;
    }
    return next;
  }
}

/**
 * Decodes `value` against `schema` (whose $refs point into `defs`) as upstream's strict
 * decoder would: the value Go would hold (pruned, repeated keys merged) and the strict
 * errors met on the way.
 */
export function decodeValue(value: unknown, schema: SMPSchema, defs: SMPDefinitions, opts: FieldDecodeOptions = {}): FieldDecodeResult {
  const d = new FieldDecoder(new Lookup(defs, undefined), opts);
  const out = d.value(value, schema, '');
  return { value: out, issues: d.issues };
}

/** decodeValue against the definition named `definition`. */
export function decodeFields(value: unknown, defs: SMPDefinitions, definition: string, opts: FieldDecodeOptions = {}): FieldDecodeResult {
  return decodeValue(value, { $ref: `#/definitions/${definition}` }, defs, opts);
}

/**
 * Go's interface{}: any object is a map (every key is known, a repeated one is a
 * duplicate) and anything below is interface{} again.
 */
export const ANY_SCHEMA: SMPSchema = (() => {
  const any: SMPSchema = {};
  any.additionalProperties = any;
  any.items = any;
  return any;
})();

const definitionNames = new Map<string, string | undefined>();

/** The server's definitions and the name of a built-in kind's definition; undefined for kinds without one. */
export function kindDefinition(gvk: { group: string; version: string; kind: string }): { defs: SMPDefinitions; name: string } | undefined {
  const all = loadDefinitions();
  const key = `${gvk.group}/${gvk.version}/${gvk.kind}`;
  if (!definitionNames.has(key)) definitionNames.set(key, definitionForKind(all, gvk.group, gvk.version, gvk.kind));
  const name = definitionNames.get(key);
  return name === undefined ? undefined : { defs: all, name };
}

/** decodeFields for an object of a built-in kind; the object unchanged and no issues for kinds without a schema. */
export function decodeFieldsOf(obj: unknown, gvk: { group: string; version: string; kind: string }, opts: FieldDecodeOptions = {}): FieldDecodeResult {
  const k = kindDefinition(gvk);
  return k === undefined ? { value: obj, issues: [] } : decodeFields(obj, k.defs, k.name, opts);
}

/**
 * The paths of the fields of `obj` its schema does not declare, in document order.
 * `definition` names the kind's definition in `defs`.
 */
export function unknownFields(obj: unknown, defs: SMPDefinitions, definition: string): string[] {
  return decodeFields(obj, defs, definition)
    .issues.filter((i) => i.type === 'unknown field')
    .map((i) => i.path);
}

/**
 * The unknown fields of an object of a built-in kind; [] for kinds without a schema.
 * `defs` defaults to the server's definitions (the kind's definition name is cached).
 */
export function unknownFieldsOf(obj: unknown, gvk: { group: string; version: string; kind: string }, defs?: SMPDefinitions): string[] {
  if (defs !== undefined) {
    const name = definitionForKind(defs, gvk.group, gvk.version, gvk.kind);
    return name === undefined ? [] : unknownFields(obj, defs, name);
  }
  const k = kindDefinition(gvk);
  return k === undefined ? [] : unknownFields(obj, k.defs, k.name);
}

/** The object as a Go struct of its kind would keep it: unknown fields dropped (a copy when any were). */
export function pruneUnknownFields<T>(obj: T, gvk: { group: string; version: string; kind: string }): T {
  return decodeFieldsOf(obj, gvk).value as T;
}

/** The value of one Warning header (RFC 7234 warn-code 299, agent "-"), as upstream's recorder writes it. */
export function warningHeader(text: string): string {
  return `299 - ${JSON.stringify(text)}`;
}
