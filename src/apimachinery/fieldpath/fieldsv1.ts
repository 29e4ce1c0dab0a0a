/**
 * FieldsV1, the JSON form of a field set in metadata.managedFields[].fieldsV1:
 *
 *   {"f:metadata":{"f:labels":{".":{},"f:app":{}}},"f:spec":{"f:containers":{"k:{\"name\":\"c\"}":{...}}}}
 *
 * Each key is an element's canonical string; its value is `{}` for a member with
 * nothing below it, else the object of what is below, with "." when the element itself
 * is also a member. Keys are written in upstream's element order, "." first.
 */
import { parseElementKey, FieldPathError } from './element.js';
import { FieldSet } from './set.js';

export type FieldsV1 = Record<string, unknown>;

export function toFieldsV1(set: FieldSet): FieldsV1 {
  return emit(set, false);
}

function emit(set: FieldSet, self: boolean): FieldsV1 {
  const out: FieldsV1 = {};
  if (self) out['.'] = {};
  for (const { key, member, child } of set.elements()) out[key] = child === undefined ? {} : emit(child, member);
  return out;
}

/** Parses FieldsV1; throws FieldPathError with upstream-like text when it is malformed. */
export function fromFieldsV1(doc: unknown): FieldSet {
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) throw new FieldPathError('expected an object for FieldsV1');
  const set = new FieldSet();
  read(doc as Record<string, unknown>, Object.keys(doc), set);
  return set;
}

/** `keys` are obj's own keys, which the caller has already listed. */
function read(obj: Record<string, unknown>, keys: readonly string[], into: FieldSet): void {
  for (const key of keys) {
    if (key === '.') continue;
    const v = obj[key];
    const el = parseElementKey(key);
    if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new FieldPathError(`expected an object for ${JSON.stringify(key)}`);
    const inner = v as Record<string, unknown>;
    const innerKeys = Object.keys(inner);
    if (innerKeys.length === 0) {
      into.addMember(el);
      continue;
    }
    if (Object.prototype.hasOwnProperty.call(inner, '.')) into.addMember(el);
    const child = new FieldSet();
    read(inner, innerKeys, child);
    into.setChild(el, child);
  }
}
