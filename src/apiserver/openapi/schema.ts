/**
 * The JSON-Schema shapes the OpenAPI code passes around, and the one serializer both
 * the generator and the server use, so the same definitions always give the same bytes
 * (the documents' ETags and the v3 index's `?hash=` depend on it).
 */

/** A (Swagger 2.0 / OpenAPI 3.0) schema object. Loose on purpose: extensions are `x-*` keys. */
export interface Schema {
  $ref?: string;
  type?: string;
  format?: string;
  description?: string;
  properties?: Record<string, Schema>;
  additionalProperties?: Schema | boolean;
  items?: Schema;
  required?: string[];
  allOf?: Schema[];
  oneOf?: Schema[];
  [extension: string]: unknown;
}

/** One entry of `x-kubernetes-group-version-kind`. Key order is upstream's. */
export interface GVKExtension {
  group: string;
  kind: string;
  version: string;
}

/**
 * What scripts/gen-openapi.ts writes to generated/openapi/definitions.json: Swagger 2.0
 * style definitions (refs are `#/definitions/<name>`), keyed by upstream's names
 * (io.k8s.api.core.v1.Pod, io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta, ...).
 */
export interface DefinitionsFile {
  /** Where the definitions came from, e.g. 'kubernetes-types@1.30.0'. */
  source: string;
  definitions: Record<string, Schema>;
}

export const DEFINITIONS_REF_PREFIX = '#/definitions/';
export const COMPONENTS_REF_PREFIX = '#/components/schemas/';

/**
 * JSON with every object's keys sorted (arrays keep their order). Deterministic for a
 * given value, whatever order the keys were inserted in.
 */
export function stableStringify(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[k];
      if (v !== undefined) out[k] = sortKeys(v);
    }
    return out;
  }
  return value;
}

/** Visits every `$ref` string in a schema tree (including nested properties/items/allOf...). */
export function forEachRef(value: unknown, visit: (ref: string) => void): void {
  if (Array.isArray(value)) {
    for (const v of value) forEachRef(v, visit);
    return;
  }
  if (value === null || typeof value !== 'object') return;
  for (const [k, v] of Object.entries(value)) {
    if (k === '$ref' && typeof v === 'string') visit(v);
    else if (typeof v === 'object') forEachRef(v, visit);
  }
}
