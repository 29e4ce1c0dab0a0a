/**
 * Strategic merge patch (application/strategic-merge-patch+json) applied to an object
 * of a known type, with the semantics of k8s.io/apimachinery/pkg/util/strategicpatch
 * as the apiserver runs it (MergeParallelList and IgnoreUnmatchedNulls on):
 *
 *  - maps merge key by key, recursively; a null value deletes the key;
 *  - a list merges only where its field's patch strategy is `merge`: lists of maps by
 *    the field's patch merge key (containers by name, ports by containerPort, ...),
 *    lists of scalars as a set (finalizers); every other list is replaced whole;
 *  - directives: `$patch: replace|delete` in a map, `$patch: replace|delete` as a list
 *    item, `$retainKeys`, `$setElementOrder/<field>`, `$deleteFromPrimitiveList/<field>`;
 *  - the merged list order is upstream's: items named in the patch in patch order,
 *    interleaved with the server-only items in their original order (a new item goes
 *    before the server-only items it has no relative position to).
 *
 * Which strategy a field has comes from a schema: the Swagger definitions the server
 * advertises (generated/openapi/definitions.json, where $ref links types and the
 * `x-kubernetes-patch-strategy` / `-patch-merge-key` extensions are set), so the
 * server merges by the same keys kubectl computed its patch from.
 *
 * Errors as the apiserver reports them (handlers/patch.go interpretStrategicMergePatchError):
 * malformed directives → 400 BadRequest, a patch that contradicts its $retainKeys or a
 * list of lists → 422, any other merge failure (a list item without its merge key, an
 * unknown `$patch`) → 500 with the bare message.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { errors, StatusError } from './errors.js';
import { goJSONKind, JSONSyntaxError, parseJSON } from './json.js';

type JSONMap = Record<string, unknown>;

/** A Swagger 2.0 schema, as far as strategic merge patch reads it. */
export interface SMPSchema {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, SMPSchema>;
  additionalProperties?: SMPSchema | boolean;
  items?: SMPSchema;
  allOf?: SMPSchema[];
  'x-kubernetes-patch-strategy'?: string;
  'x-kubernetes-patch-merge-key'?: string;
  'x-kubernetes-group-version-kind'?: { group: string; version: string; kind: string }[];
}

export type SMPDefinitions = Readonly<Record<string, SMPSchema>>;

const DIRECTIVE = '$patch';
const RETAIN_KEYS = '$retainKeys';
const SET_ELEMENT_ORDER = '$setElementOrder/';
const DELETE_FROM_PRIMITIVE_LIST = '$deleteFromPrimitiveList/';

// mergepatch's sentinel errors.
const ERR_BAD_JSON_DOC = 'invalid JSON document';
const ERR_NO_LIST_OF_LISTS = 'lists of lists are not supported';
const ERR_BAD_PRIMITIVE_LIST = 'invalid patch format of primitive list';
const ERR_BAD_RETAIN_KEYS = 'invalid patch format of retainKeys';
const ERR_BAD_SET_ELEMENT_ORDER = 'invalid patch format of setElementOrder list';
const ERR_NOT_MATCH_RETAIN_KEYS = "patch content doesn't match retainKeys list";

function badRequest(msg: string): StatusError {
  return errors.badRequest(msg);
}
function unprocessable(msg: string): StatusError {
  return new StatusError(422, 'Invalid', msg);
}
/** A plain Go error reaching the apiserver's responder: 500, reason unknown. */
function mergeFailure(msg: string): StatusError {
  return new StatusError(500, '', msg);
}

function isMap(v: unknown): v is JSONMap {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Go's %v of a decoded JSON value (maps print sorted, as fmt does). */
export function goFormat(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (Array.isArray(v)) return `[${v.map(goFormat).join(' ')}]`;
  if (isMap(v)) {
    return `map[${Object.keys(v)
      .sort()
      .map((k) => `${k}:${goFormat(v[k])}`)
      .join(' ')}]`;
  }
  return String(v);
}

function errNoMergeKey(m: JSONMap, key: string): StatusError {
  return mergeFailure(`map: ${goFormat(m)} does not contain declared merge key: ${key}`);
}
function errBadPatchType(t: unknown, m: JSONMap): StatusError {
  return mergeFailure(`unknown patch type: ${goFormat(t)} in map: ${goFormat(m)}`);
}

/** The patch metadata of one field plus the schema of its value (or list items). */
interface FieldMeta {
  strategies: string[];
  mergeKey: string;
  schema: Lookup;
}

/**
 * Walks definitions: `field(name)` answers the strategy of a property and the schema
 * below it. An unknown place (no schema) answers no strategy, so lists there are replaced.
 */
export class Lookup {
  constructor(
    private readonly defs: SMPDefinitions,
    private readonly schema: SMPSchema | undefined,
  ) {}

  static forDefinition(defs: SMPDefinitions, name: string): Lookup | undefined {
    return defs[name] === undefined ? undefined : new Lookup(defs, { $ref: `#/definitions/${name}` });
  }

  /** Follows $refs (and a lone allOf) to the schema that carries properties/items. */
  resolve(s: SMPSchema | undefined, depth = 0): SMPSchema | undefined {
    if (s === undefined || depth > 20) return s;
    if (typeof s.$ref === 'string') {
      const name = s.$ref.replace(/^#\/definitions\//, '');
      return this.resolve(this.defs[name], depth + 1);
    }
    if (s.allOf !== undefined && s.allOf.length > 0 && s.properties === undefined) return this.resolve(s.allOf[0], depth + 1);
    return s;
  }

  field(name: string): FieldMeta {
    const s = this.resolve(this.schema);
    let prop: SMPSchema | undefined;
    if (s?.properties !== undefined && Object.prototype.hasOwnProperty.call(s.properties, name)) prop = s.properties[name];
    else if (s !== undefined && isMap(s.additionalProperties)) prop = s.additionalProperties as SMPSchema;
    const strategy = prop?.['x-kubernetes-patch-strategy'] ?? '';
    const mergeKey = prop?.['x-kubernetes-patch-merge-key'] ?? '';
    const resolved = this.resolve(prop);
    const below = resolved?.items !== undefined ? resolved.items : prop;
    return { strategies: strategy === '' ? [] : strategy.split(','), mergeKey, schema: new Lookup(this.defs, below) };
  }
}

/** The definition name of a group/version/kind, from x-kubernetes-group-version-kind. */
export function definitionForKind(defs: SMPDefinitions, group: string, version: string, kind: string): string | undefined {
  for (const [name, d] of Object.entries(defs)) {
    const gvks = d['x-kubernetes-group-version-kind'];
    if (gvks?.some((g) => g.group === group && g.version === version && g.kind === kind)) return name;
  }
  return undefined;
}

/** Decodes a strategic merge patch body as the apiserver does (json.Unmarshal into a map). */
export function decodeStrategicPatch(body: Uint8Array | string): JSONMap {
  let v: unknown;
  try {
    v = parseJSON(body);
  } catch (e) {
    if (e instanceof JSONSyntaxError) throw errors.badRequest(e.message);
    throw e;
  }
  if (v === null) return {};
  if (!isMap(v)) throw errors.badRequest(`json: cannot unmarshal ${goJSONKind(v)} into Go value of type map[string]interface {}`);
  return v;
}

/**
 * Applies `patch` (bytes, a string or an already decoded map) to a copy of `original`,
 * whose type's schema is `schema`.
 */
export function applyStrategicMergePatch(original: JSONMap, patch: unknown, schema: Lookup): JSONMap {
  const p = typeof patch === 'string' || patch instanceof Uint8Array ? decodeStrategicPatch(patch) : patch;
  if (p === null || p === undefined) return structuredClone(original);
  if (!isMap(p)) throw badRequest(ERR_BAD_JSON_DOC);
  return mergeMap(structuredClone(original), structuredClone(p), schema);
}

/** Removes null values from a value taken whole from the patch (IgnoreUnmatchedNulls). */
function discardNulls(v: unknown): void {
  if (Array.isArray(v)) {
    for (const x of v) discardNulls(x);
  } else if (isMap(v)) {
    for (const [k, x] of Object.entries(v)) {
      if (x === null) delete v[k];
      else discardNulls(x);
    }
  }
}

function mergeMap(original: JSONMap, patch: JSONMap, schema: Lookup): JSONMap {
  if (Object.prototype.hasOwnProperty.call(patch, DIRECTIVE)) {
    const d = patch[DIRECTIVE];
    if (d === 'replace') {
      delete patch[DIRECTIVE];
      discardNulls(patch);
      return patch;
    }
    if (d === 'delete') return {};
    throw errBadPatchType(d, patch);
  }

  applyRetainKeys(original, patch);
  applySetElementOrder(original, patch, schema);

  for (const [key, patchV] of Object.entries(patch)) {
    let k = key;
    let isDeleteList = false;
    if (key.startsWith(DELETE_FROM_PRIMITIVE_LIST)) {
      k = key.slice(DELETE_FROM_PRIMITIVE_LIST.length);
      isDeleteList = true;
      if (!Array.isArray(patchV)) throw badRequest(ERR_BAD_PRIMITIVE_LIST);
    } else if (key.startsWith('$')) {
      continue;
    }
    if (patchV === null) {
      delete original[k];
      continue;
    }
    if (!Object.prototype.hasOwnProperty.call(original, k) || original[k] === null) {
      if (!isDeleteList) {
        discardNulls(patchV);
        original[k] = patchV;
      }
      continue;
    }
    const origV = original[k];
    const bothMaps = isMap(origV) && isMap(patchV);
    const bothLists = Array.isArray(origV) && Array.isArray(patchV);
    if (!bothMaps && !bothLists) {
      if (!isDeleteList) {
        discardNulls(patchV);
        original[k] = patchV;
      }
      continue;
    }
    const meta = schema.field(k);
    const strategy = meta.strategies.filter((s) => s !== 'retainKeys')[0] ?? '';
    if (bothMaps) {
      original[k] = strategy === 'replace' ? patchV : mergeMap(origV, patchV, meta.schema);
    } else {
      original[k] =
        strategy === 'merge'
          ? mergeSlice(origV as unknown[], patchV as unknown[], meta.schema, meta.mergeKey, isDeleteList)
          : isDeleteList
            ? origV
            : (discardNulls(patchV), patchV);
    }
  }
  return original;
}

function applyRetainKeys(original: JSONMap, patch: JSONMap): void {
  if (!Object.prototype.hasOwnProperty.call(patch, RETAIN_KEYS)) return;
  const list = patch[RETAIN_KEYS];
  delete patch[RETAIN_KEYS];
  if (!Array.isArray(list)) throw badRequest(ERR_BAD_RETAIN_KEYS);
  const keep = new Set(list.filter((x): x is string => typeof x === 'string'));
  for (const [k, v] of Object.entries(patch)) {
    if (v === null || k.startsWith(DELETE_FROM_PRIMITIVE_LIST) || k.startsWith(SET_ELEMENT_ORDER) || k === DIRECTIVE) continue;
    if (!keep.has(k)) throw unprocessable(ERR_NOT_MATCH_RETAIN_KEYS);
  }
  for (const k of Object.keys(original)) if (!keep.has(k)) delete original[k];
}

function applySetElementOrder(original: JSONMap, patch: JSONMap, schema: Lookup): void {
  for (const key of Object.keys(patch)) {
    if (!key.startsWith(SET_ELEMENT_ORDER)) continue;
    const order = patch[key];
    delete patch[key];
    if (!Array.isArray(order)) throw badRequest(ERR_BAD_SET_ELEMENT_ORDER);
    const field = key.slice(SET_ELEMENT_ORDER.length);
    const meta = schema.field(field);
    const mergeKey = meta.mergeKey;
    const hasOrig = Object.prototype.hasOwnProperty.call(original, field) && original[field] !== null;
    const hasPatch = Object.prototype.hasOwnProperty.call(patch, field);
    const origV = original[field];
    const patchV = patch[field];
    if ((hasOrig && !Array.isArray(origV)) || (hasPatch && patchV !== null && !Array.isArray(patchV))) {
      throw mergeFailure(`expected a []interface{}, but received a ${goJSONKind(hasOrig ? origV : patchV)}`);
    }
    if (hasPatch && patchV === null) continue; // the list is deleted; nothing to order
    if (mergeKey !== '' && order.some((x) => !isMap(x) || !Object.prototype.hasOwnProperty.call(x, mergeKey))) {
      throw badRequest(ERR_BAD_SET_ELEMENT_ORDER);
    }
    let merged: unknown[];
    if (hasOrig && hasPatch) {
      const strategy = meta.strategies.filter((s) => s !== 'retainKeys')[0] ?? '';
      merged = strategy === 'merge' ? mergeSlice(origV as unknown[], patchV as unknown[], meta.schema, mergeKey, false) : (patchV as unknown[]);
    } else if (hasOrig) {
      merged = origV as unknown[];
    } else if (hasPatch) {
      merged = patchV as unknown[];
    } else {
      continue;
    }
    const { inList, notInList } = partition(merged, order, mergeKey);
    original[field] = normalizeElementOrder(inList, notInList, order, hasOrig ? (origV as unknown[]) : [], mergeKey);
    delete patch[field];
  }
}

function sameItem(a: unknown, b: unknown, mergeKey: string): boolean {
  if (mergeKey !== '') return isMap(a) && isMap(b) && deepEqual(a[mergeKey], b[mergeKey]);
  return deepEqual(a, b);
}

function indexIn(list: readonly unknown[], item: unknown, mergeKey: string): number {
  return list.findIndex((x) => sameItem(x, item, mergeKey));
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isMap(a)) {
    if (!isMap(b)) return false;
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual(a[k], b[k]));
  }
  return false;
}

function partition(merged: unknown[], list: readonly unknown[], mergeKey: string): { inList: unknown[]; notInList: unknown[] } {
  const inList: unknown[] = [];
  const notInList: unknown[] = [];
  for (const x of merged) (indexIn(list, x, mergeKey) >= 0 ? inList : notInList).push(x);
  return { inList, notInList };
}

function sortByOrder(items: unknown[], order: readonly unknown[], mergeKey: string): unknown[] {
  const idx = (x: unknown): number => {
    const i = indexIn(order, x, mergeKey);
    return i < 0 ? Number.MAX_SAFE_INTEGER : i;
  };
  return items
    .map((x, i) => ({ x, i, o: idx(x) }))
    .sort((a, b) => a.o - b.o || a.i - b.i)
    .map((e) => e.x);
}

/**
 * Patch items in patch order, server-only items in server order, merged: a server-only
 * item goes first only when both are in the server list and it came first there.
 */
function normalizeElementOrder(patchItems: unknown[], serverOnly: unknown[], patchOrder: readonly unknown[], serverOrder: readonly unknown[], mergeKey: string): unknown[] {
  const right = sortByOrder(patchItems, patchOrder, mergeKey);
  const left = sortByOrder(serverOnly, serverOrder, mergeKey);
  const out: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    if (i >= left.length) out.push(right[j++]);
    else if (j >= right.length) out.push(left[i++]);
    else {
      const li = indexIn(serverOrder, left[i], mergeKey);
      const ri = indexIn(serverOrder, right[j], mergeKey);
      if (li >= 0 && ri >= 0 && li < ri) out.push(left[i++]);
      else out.push(right[j++]);
    }
  }
  return out;
}

function checkElementTypes(original: unknown[], patch: unknown[]): 'map' | 'scalar' {
  let kind: 'map' | 'scalar' | undefined;
  for (const x of [...original, ...patch]) {
    if (Array.isArray(x)) throw unprocessable(ERR_NO_LIST_OF_LISTS);
    const k = isMap(x) ? 'map' : 'scalar';
    if (kind !== undefined && kind !== k) throw mergeFailure(`mismatched types in list: ${goFormat(original)} and ${goFormat(patch)}`);
    kind = k;
  }
  return kind ?? 'scalar';
}

function mergeSlice(original: unknown[], patch: unknown[], schema: Lookup, mergeKey: string, isDeleteList: boolean): unknown[] {
  if (original.length === 0 && patch.length === 0) return original;
  const kind = checkElementTypes(original, patch);
  let merged: unknown[];
  let orig = original;
  let p = patch;
  if (kind === 'scalar') {
    if (isDeleteList) return original.filter((x) => !patch.some((y) => deepEqual(x, y)));
    merged = [...original];
    for (const x of patch) if (!merged.some((y) => deepEqual(x, y))) merged.push(x);
  } else {
    if (mergeKey === '') throw mergeFailure('cannot merge lists without merge key');
    [orig, p] = mergeSpecialElements(original as JSONMap[], patch as JSONMap[], mergeKey);
    merged = [...orig];
    for (const item of p as JSONMap[]) {
      if (!Object.prototype.hasOwnProperty.call(item, mergeKey)) throw errNoMergeKey(item, mergeKey);
      const at = merged.findIndex((x) => isMap(x) && deepEqual(x[mergeKey], item[mergeKey]));
      if (at >= 0) merged[at] = mergeMap(merged[at] as JSONMap, item, schema);
      else {
        discardNulls(item);
        merged.push(item);
      }
    }
  }
  const { inList, notInList } = partition(merged, p, kind === 'map' ? mergeKey : '');
  return normalizeElementOrder(inList, notInList, p, orig, kind === 'map' ? mergeKey : '');
}

/** `$patch: delete|replace` items of a list of maps; returns the new original and the plain patch items. */
function mergeSpecialElements(original: JSONMap[], patch: JSONMap[], mergeKey: string): [JSONMap[], JSONMap[]] {
  const plain: JSONMap[] = [];
  let replace = false;
  let orig = original;
  for (const item of patch) {
    if (!Object.prototype.hasOwnProperty.call(item, DIRECTIVE)) {
      plain.push(item);
      continue;
    }
    const d = item[DIRECTIVE];
    if (d === 'delete') {
      if (!Object.prototype.hasOwnProperty.call(item, mergeKey)) throw errNoMergeKey(item, mergeKey);
      orig = orig.filter((x) => !deepEqual(x[mergeKey], item[mergeKey]));
    } else if (d === 'replace') {
      replace = true;
    } else if (d === 'merge') {
      throw mergeFailure('merging lists cannot yet be specified in the patch');
    } else {
      throw errBadPatchType(d, item);
    }
  }
  if (replace) {
    for (const x of plain) discardNulls(x);
    return [plain, []];
  }
  return [orig, plain];
}

let loadedDefinitions: SMPDefinitions | undefined;
const loadedFiles = new Map<string, SMPDefinitions>();
/**
 * The definitions of generated/openapi/definitions.json (written at build time by
 * scripts/gen-openapi.ts), found upward from this module, or of the given file. Each file
 * is parsed once per process and the result is shared by every reader (strategic merge
 * patch, unknown-field checks, the served OpenAPI documents), so callers must not modify
 * it. Empty when the default file is missing: callers then treat every kind as one
 * without a schema. A given file that cannot be read or parsed throws.
 */
export function loadDefinitions(file?: string): SMPDefinitions {
  if (file !== undefined) {
    let defs = loadedFiles.get(file);
    if (defs === undefined) {
      defs = (JSON.parse(readFileSync(file, 'utf8')) as { definitions?: SMPDefinitions }).definitions ?? {};
      loadedFiles.set(file, defs);
    }
    return defs;
  }
  if (loadedDefinitions !== undefined) return loadedDefinitions;
  const found = findDefinitionsFile();
  loadedDefinitions = found === undefined ? {} : loadDefinitions(found);
  return loadedDefinitions;
}

/** The nearest generated/openapi/definitions.json above this module, if any. */
export function findDefinitionsFile(): string | undefined {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'generated', 'openapi', 'definitions.json');
    if (existsSync(candidate)) return candidate;
    const up = dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}
