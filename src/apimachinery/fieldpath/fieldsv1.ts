/**
 * FieldsV1, the JSON form of a field set in metadata.managedFields[].fieldsV1:
 *
 *   {"f:metadata":{"f:labels":{".":{},"f:app":{}}},"f:spec":{"f:containers":{"k:{\"name\":\"c\"}":{...}}}}
 *
 * Each key is an element's canonical string; its value is `{}` for a member with
 * nothing below it, else the object of what is below, with "." when the element itself
 * is also a member. Keys are written in upstream's element order, "." first.
 */
import { elementKey, parseElementKey, FieldPathError } from './element.js';
import { FieldSet } from './set.js';

export type FieldsV1 = Record<string, unknown>;

export function toFieldsV1(set: FieldSet): FieldsV1 {
  return emit(set, false);
}

function emit(set: FieldSet, self: boolean): FieldsV1 {
  const out: FieldsV1 = {};
  if (self) out['.'] = {};
  for (const { el, member, child } of set.elements()) {
    const key = elementKey(el);
    out[key] = child === undefined ? {} : emit(child, member);
  }
  return out;
}


/** Parses FieldsV1; throws FieldPathError with upstream-like text when it is malformed. */
export function fromFieldsV1(doc: unknown): FieldSet {
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) throw new FieldPathError('expected an object for FieldsV1');
  const set = new FieldSet();
  read(doc as Record<string, unknown>, set);
  return set;
}

function read(obj: Record<string, unknown>, into: FieldSet): void {
  for (const [key, v] of Object.entries(obj)) {
    if (key === '.') continue;
    const el = parseElementKey(key);
    if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new FieldPathError(`expected an object for ${JSON.stringify(key)}`);
    const inner = v as Record<string, unknown>;
    const keys = Object.keys(inner);
    if (keys.length === 0) {
      into.addMember(el);
      continue;
    }
    if (Object.prototype.hasOwnProperty.call(inner, '.')) into.addMember(el);
    const child = new FieldSet();
    read(inner, child);
    into.setChild(el, child);
  }
}
