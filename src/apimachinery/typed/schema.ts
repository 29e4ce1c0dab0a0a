/**
 * The shape server-side apply merges by, read from the Swagger definitions the server
 * advertises (generated/openapi/definitions.json), the way upstream converts OpenAPI to
 * structured-merge-diff's schema:
 *
 *  - an object with properties is a struct; `x-kubernetes-map-type: atomic` makes it one
 *    leaf (LabelSelector), otherwise each field is tracked on its own;
 *  - an object with additionalProperties is a map (granular unless map-type atomic);
 *  - an object with neither (RawExtension, FieldsV1) is a map of "deduced" values;
 *  - an array is a list: `x-kubernetes-list-type` atomic | set | map (+ list-map-keys);
 *    without one, a patch strategy containing "merge" makes it associative (keyed by the
 *    patch merge key, or a set without one), anything else is atomic;
 *  - int-or-string and untyped schemas are scalars of any type; "deduced" values take
 *    their shape from the value itself (maps granular, lists atomic).
 *
 * Associative keys missing from an item fall back to the key field's `default`
 * (ContainerPort protocol "TCP").
 */

import { fieldElement, type PathElement } from '../fieldpath/element.js';
import { definitionForKind, type SMPDefinitions } from '../strategicpatch.js';

export interface SwaggerSchema {
  $ref?: string;
  type?: string | string[];
  format?: string;
  properties?: Record<string, SwaggerSchema>;
  additionalProperties?: SwaggerSchema | boolean;
  items?: SwaggerSchema;
  allOf?: SwaggerSchema[];
  default?: unknown;
  'x-kubernetes-patch-strategy'?: string;
  'x-kubernetes-patch-merge-key'?: string;
  'x-kubernetes-list-type'?: string;
  'x-kubernetes-list-map-keys'?: string[];
  'x-kubernetes-map-type'?: string;
  'x-kubernetes-group-version-kind'?: { group: string; version: string; kind: string }[];
}

export type Definitions = Readonly<Record<string, SwaggerSchema>>;

export type ScalarKind = 'string' | 'numeric' | 'boolean' | 'untyped';

export type Atom =
  | { readonly kind: 'scalar'; readonly scalar: ScalarKind }
  | {
      readonly kind: 'map';
      /** Declared fields (a struct); undefined for a plain map. */
      readonly fields: ReadonlyMap<string, TypeRef> | undefined;
      /** The type of undeclared keys; undefined for a closed struct. */
      readonly elem: TypeRef | undefined;
      readonly atomic: boolean;
      /** Defaults of declared fields, for associative keys. */
      readonly defaults: ReadonlyMap<string, unknown>;
      /** The path elements of declared fields, made once (see fieldStep). */
      readonly steps: ReadonlyMap<string, PathElement>;
    }
  | { readonly kind: 'list'; readonly elem: TypeRef; readonly associative: boolean; readonly keys: readonly string[] }
  | { readonly kind: 'deduced' };

/** A lazily resolved reference: recursive schemas (JSONSchemaProps) stay finite. */
export class TypeRef {
  private atom: Atom | undefined;
  constructor(private readonly make: () => Atom) {}
  resolve(): Atom {
    return (this.atom ??= this.make());
  }
}

const DEDUCED: Atom = { kind: 'deduced' };
export const deducedRef = new TypeRef(() => DEDUCED);

export class TypeSchema {
  private readonly named = new Map<string, TypeRef>();

  constructor(private readonly defs: Definitions) {}

  /** The type of a definition by name; undefined when the definitions do not have it. */
  definition(name: string): TypeRef | undefined {
    if (this.defs[name] === undefined) return undefined;
    let ref = this.named.get(name);
    if (ref === undefined) {
      ref = new TypeRef(() => this.atomOf(this.defs[name]!, 0));
      this.named.set(name, ref);
    }
    return ref;
  }

  /** The definition name of a group/version/kind, from x-kubernetes-group-version-kind. */
  definitionForKind(group: string, version: string, kind: string): string | undefined {
    return definitionForKind(this.defs as SMPDefinitions, group, version, kind);
  }

  private refOf(s: SwaggerSchema): TypeRef {
    if (s.$ref !== undefined && s['x-kubernetes-map-type'] === undefined) {
      const named = this.definition(s.$ref.replace(/^#\/definitions\//, ''));
      if (named !== undefined) return named;
    }
    return new TypeRef(() => this.atomOf(s, 0));
  }

  private atomOf(s: SwaggerSchema, depth: number): Atom {
    if (depth > 32) return DEDUCED;
    if (s.$ref !== undefined) {
      const target = this.defs[s.$ref.replace(/^#\/definitions\//, '')];
      if (target === undefined) return DEDUCED;
      const base = this.atomOf(target, depth + 1);
      // A property may make a referenced struct atomic (x-kubernetes-map-type on the use).
      if (base.kind === 'map' && s['x-kubernetes-map-type'] !== undefined) return { ...base, atomic: s['x-kubernetes-map-type'] === 'atomic' };
      return base;
    }
    if (s.allOf !== undefined && s.allOf.length === 1 && s.properties === undefined) {
      return this.atomOf({ ...s.allOf[0]!, ...withoutAllOf(s) }, depth + 1);
    }
    const type = Array.isArray(s.type) ? s.type[0] : s.type;
    if (s.format === 'int-or-string') return { kind: 'scalar', scalar: 'untyped' };
    switch (type) {
      case 'string':
        return { kind: 'scalar', scalar: 'string' };
      case 'integer':
      case 'number':
        return { kind: 'scalar', scalar: 'numeric' };
      case 'boolean':
        return { kind: 'scalar', scalar: 'boolean' };
      case 'array':
        return this.listOf(s);
      case 'object':
        return this.mapOf(s);
      default:
        if (s.properties !== undefined) return this.mapOf(s);
        return DEDUCED;
    }
  }

  private mapOf(s: SwaggerSchema): Atom {
    const atomic = s['x-kubernetes-map-type'] === 'atomic';
    if (s.properties !== undefined) {
      const fields = new Map<string, TypeRef>();
      const defaults = new Map<string, unknown>();
      const steps = new Map<string, PathElement>();
      for (const [k, p] of Object.entries(s.properties)) {
        fields.set(k, this.refOf(p));
        if (p.default !== undefined) defaults.set(k, p.default);
        steps.set(k, Object.freeze(fieldElement(k)));
      }
      const elem = typeof s.additionalProperties === 'object' ? this.refOf(s.additionalProperties) : s.additionalProperties === true ? deducedRef : undefined;
      return { kind: 'map', fields, elem, atomic, defaults, steps };
    }
    if (typeof s.additionalProperties === 'object') return { kind: 'map', fields: undefined, elem: this.refOf(s.additionalProperties), atomic, defaults: new Map(), steps: new Map() };
    return { kind: 'map', fields: undefined, elem: deducedRef, atomic, defaults: new Map(), steps: new Map() };
  }

  private listOf(s: SwaggerSchema): Atom {
    const elem = s.items !== undefined ? this.refOf(s.items) : deducedRef;
    const listType = s['x-kubernetes-list-type'];
    if (listType === 'atomic') return { kind: 'list', elem, associative: false, keys: [] };
    if (listType === 'set') return { kind: 'list', elem, associative: true, keys: [] };
    if (listType === 'map') return { kind: 'list', elem, associative: true, keys: s['x-kubernetes-list-map-keys'] ?? [] };
    const strategy = s['x-kubernetes-patch-strategy'] ?? '';
    if (strategy.split(',').includes('merge')) {
      const key = s['x-kubernetes-patch-merge-key'];
      return { kind: 'list', elem, associative: true, keys: key !== undefined && key !== '' ? [key] : [] };
    }
    return { kind: 'list', elem, associative: false, keys: [] };
  }
}

function withoutAllOf(s: SwaggerSchema): SwaggerSchema {
  const { allOf: _allOf, ...rest } = s;
  return rest;
}

// Atoms are read-only, so the three shapes of deduced values are made once rather than
// per value walked.
const DEDUCED_LIST: Atom = { kind: 'list', elem: deducedRef, associative: false, keys: [] };
const DEDUCED_MAP: Atom = { kind: 'map', fields: undefined, elem: deducedRef, atomic: false, defaults: new Map(), steps: new Map() };
const DEDUCED_SCALAR: Atom = { kind: 'scalar', scalar: 'untyped' };

/** The shape a value of a deduced type takes. */
export function deducedAtom(v: unknown): Atom {
  if (Array.isArray(v)) return DEDUCED_LIST;
  if (v !== null && typeof v === 'object') return DEDUCED_MAP;
  return DEDUCED_SCALAR;
}

/** The atom to walk a value with: deduced types take the value's shape. */
export function atomFor(ref: TypeRef, v: unknown): Atom {
  const a = ref.resolve();
  return a.kind === 'deduced' ? deducedAtom(v) : a;
}

/** The type of a map/struct key: a declared field's, else the element type; undefined when neither. */
export function fieldType(a: Atom & { kind: 'map' }, key: string): TypeRef | undefined {
  return a.fields?.get(key) ?? a.elem;
}

/**
 * The path element of key `key` of a map: the schema's own for a declared field (made
 * once, so its key text is built and hashed once, not per walk), else a new one.
 */
export function fieldStep(a: Atom & { kind: 'map' }, key: string): PathElement {
  return a.steps.get(key) ?? fieldElement(key);
}
