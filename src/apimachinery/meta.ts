/**
 * Small ObjectMeta helpers for objects held as plain JSON: safe getters/setters that
 * tolerate unknown input, deep copy, UIDs, resourceVersion parsing and name
 * generation (upstream apiserver storage.APIObjectVersioner, names.SimpleNameGenerator).
 */

import { randomInt, randomUUID } from 'node:crypto';
import { errors, field, formatFieldError } from './errors.js';

export type JSONObject = Record<string, unknown>;

export function isObject(v: unknown): v is JSONObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * `o` without metadata.managedFields, copying only the top level and metadata (the rest
 * is shared, so treat the result as read-only where `o` is).
 */
export function withoutManagedFields<T extends { metadata?: object }>(o: T): T {
  if (o.metadata === undefined || !('managedFields' in o.metadata)) return o;
  const { managedFields: _mf, ...metadata } = o.metadata as Record<string, unknown>;
  return { ...o, metadata };
}

/** A deep copy of a JSON value (structuredClone). */
export function deepCopy<T>(v: T): T {
  return structuredClone(v);
}

/** The object's metadata map, or undefined when absent or not an object. */
export function metadataOf(obj: unknown): JSONObject | undefined {
  if (!isObject(obj)) return undefined;
  const m = obj['metadata'];
  return isObject(m) ? m : undefined;
}

/** The object's metadata map, created (and replacing a non-object) when needed. */
export function ensureMetadata(obj: JSONObject): JSONObject {
  const m = obj['metadata'];
  if (isObject(m)) return m;
  const fresh: JSONObject = {};
  obj['metadata'] = fresh;
  return fresh;
}

function metaString(obj: unknown, key: string): string {
  const v = metadataOf(obj)?.[key];
  return typeof v === 'string' ? v : '';
}

export const getName = (obj: unknown): string => metaString(obj, 'name');
export const getGenerateName = (obj: unknown): string => metaString(obj, 'generateName');
export const getNamespace = (obj: unknown): string => metaString(obj, 'namespace');
export const getUID = (obj: unknown): string => metaString(obj, 'uid');
export const getResourceVersion = (obj: unknown): string => metaString(obj, 'resourceVersion');
export const getCreationTimestamp = (obj: unknown): string => metaString(obj, 'creationTimestamp');
export const getDeletionTimestamp = (obj: unknown): string => metaString(obj, 'deletionTimestamp');

/** metadata.generation, 0 when absent or not a number. */
export function getGeneration(obj: unknown): number {
  const v = metadataOf(obj)?.['generation'];
  return typeof v === 'number' && Number.isFinite(v) ? v : 0;
}

function stringMap(obj: unknown, key: string): Record<string, string> {
  const v = metadataOf(obj)?.[key];
  const out: Record<string, string> = {};
  if (!isObject(v)) return out;
  for (const [k, val] of Object.entries(v)) if (typeof val === 'string') out[k] = val;
  return out;
}

/** A copy of metadata.labels (string values only); {} when absent. */
export const getLabels = (obj: unknown): Record<string, string> => stringMap(obj, 'labels');
/** A copy of metadata.annotations (string values only); {} when absent. */
export const getAnnotations = (obj: unknown): Record<string, string> => stringMap(obj, 'annotations');

/** A copy of metadata.finalizers (strings only); [] when absent. */
export function getFinalizers(obj: unknown): string[] {
  const v = metadataOf(obj)?.['finalizers'];
  return Array.isArray(v) ? v.filter((f): f is string => typeof f === 'string') : [];
}

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

/** metadata.ownerReferences entries that are objects; [] when absent. */
export function getOwnerReferences(obj: unknown): OwnerReference[] {
  const v = metadataOf(obj)?.['ownerReferences'];
  if (!Array.isArray(v)) return [];
  return v.filter(isObject).map((r) => {
    const ref: OwnerReference = {
      apiVersion: typeof r['apiVersion'] === 'string' ? r['apiVersion'] : '',
      kind: typeof r['kind'] === 'string' ? r['kind'] : '',
      name: typeof r['name'] === 'string' ? r['name'] : '',
      uid: typeof r['uid'] === 'string' ? r['uid'] : '',
    };
    if (typeof r['controller'] === 'boolean') ref.controller = r['controller'];
    if (typeof r['blockOwnerDeletion'] === 'boolean') ref.blockOwnerDeletion = r['blockOwnerDeletion'];
    return ref;
  });
}

/** The owner reference with controller=true, if any. */
export function getControllerOf(obj: unknown): OwnerReference | undefined {
  return getOwnerReferences(obj).find((r) => r.controller === true);
}

/** Sets (or, with undefined, deletes) one metadata field, creating metadata when needed. */
export function setMetaField(obj: JSONObject, key: string, value: unknown): void {
  const m = ensureMetadata(obj);
  if (value === undefined) delete m[key];
  else m[key] = value;
}

export const setName = (obj: JSONObject, v: string): void => setMetaField(obj, 'name', v);
export const setNamespace = (obj: JSONObject, v: string | undefined): void => setMetaField(obj, 'namespace', v);
export const setUID = (obj: JSONObject, v: string): void => setMetaField(obj, 'uid', v);
export const setResourceVersion = (obj: JSONObject, v: string | undefined): void =>
  setMetaField(obj, 'resourceVersion', v);

/** Sets one label, creating metadata.labels when needed. */
export function setLabel(obj: JSONObject, key: string, value: string): void {
  const m = ensureMetadata(obj);
  const l = isObject(m['labels']) ? m['labels'] : (m['labels'] = {});
  (l as JSONObject)[key] = value;
}

/** Sets one annotation, creating metadata.annotations when needed. */
export function setAnnotation(obj: JSONObject, key: string, value: string): void {
  const m = ensureMetadata(obj);
  const a = isObject(m['annotations']) ? m['annotations'] : (m['annotations'] = {});
  (a as JSONObject)[key] = value;
}

/** A random RFC 4122 v4 UID. */
export function newUID(): string {
  return randomUUID();
}

const MAX_UINT64 = 2n ** 64n - 1n;

/**
 * Parses a resourceVersion as upstream's APIObjectVersioner: "" and "0" are 0, other
 * values must be a base-10 uint64. Otherwise throws 400 BadRequest:
 *   invalid resource version: resourceVersion: Invalid value: "abc": strconv.ParseUint: parsing "abc": invalid syntax
 * Values above 2^53 come back as an approximate number.
 */
export function parseResourceVersion(rv: string): number {
  if (rv === '' || rv === '0') return 0;
  let problem: string | undefined;
  if (!/^[0-9]+$/.test(rv)) problem = 'invalid syntax';
  else if (BigInt(rv) > MAX_UINT64) problem = 'value out of range';
  if (problem !== undefined) {
    const fe = field.invalid('resourceVersion', rv, `strconv.ParseUint: parsing ${JSON.stringify(rv)}: ${problem}`);
    throw errors.badRequest(`invalid resource version: ${formatFieldError(fe)}`);
  }
  return Number(rv);
}

/** Upstream utilrand's alphabet: no vowels (no words) and no confusable 0/1/3. */
export const NAME_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
const MAX_NAME_LENGTH = 63;
const RANDOM_LENGTH = 5;
export const MAX_GENERATED_NAME_PREFIX_LENGTH = MAX_NAME_LENGTH - RANDOM_LENGTH;

/**
 * generateName: the prefix (cut to 58 characters) plus 5 random characters from
 * NAME_ALPHABET. `rand(n)` returns an integer in [0, n); injectable for tests.
 */
export function generateName(prefix: string, rand: (n: number) => number = randomInt): string {
  const base = prefix.length > MAX_GENERATED_NAME_PREFIX_LENGTH ? prefix.slice(0, MAX_GENERATED_NAME_PREFIX_LENGTH) : prefix;
  let suffix = '';
  for (let i = 0; i < RANDOM_LENGTH; i++) suffix += NAME_ALPHABET[rand(NAME_ALPHABET.length)] ?? 'x';
  return base + suffix;
}
