/**
 * The field set of a value (upstream's TypedValue.ToFieldSet): what an applier owns when
 * it sends this configuration. Scalars, atomic lists/maps and list items are members;
 * a map key is a member when its value is null or an empty map, or when it is a map
 * entry rather than a declared struct field (labels' keys). An undeclared field is
 * tracked by its value's shape and a list item without its keys is skipped; validate.ts
 * refuses both in apply configurations.
 */
import { type PathElement } from '../fieldpath/element.js';
import { FieldSet } from '../fieldpath/set.js';
import { isObject, listItemElement } from './items.js';
import { atomFor, deducedRef, fieldStep, fieldType, type TypeRef } from './schema.js';

export function toFieldSet(value: unknown, ref: TypeRef): FieldSet {
  const set = new FieldSet();
  walk(value, ref, [], set);
  return set;
}

/** `path` is a stack shared by the whole walk; FieldSet.insert copies what it keeps. */
function walk(value: unknown, ref: TypeRef, path: PathElement[], set: FieldSet): void {
  const a = atomFor(ref, value);
  switch (a.kind) {
    case 'scalar':
    case 'deduced':
      set.insert(path);
      return;
    case 'list':
      if (!a.associative) {
        set.insert(path);
        return;
      }
      if (!Array.isArray(value)) return;
      for (const item of value) {
        let el: PathElement;
        try {
          el = listItemElement(a, item);
        } catch {
          continue;
        }
        path.push(el);
        walk(item, a.elem, path, set);
        set.insert(path);
        path.pop();
      }
      return;
    case 'map':
      if (a.atomic) {
        set.insert(path);
        return;
      }
      if (!isObject(value)) return;
      for (const k of Object.keys(value)) {
        const v = value[k];
        const t = fieldType(a, k) ?? deducedRef;
        path.push(fieldStep(a, k));
        walk(v, t, path, set);
        if (v === null || (isObject(v) && Object.keys(v).length === 0) || a.fields?.has(k) !== true) set.insert(path);
        path.pop();
      }
      return;
  }
}
