/**
 * Removing owned fields from an object, as server-side apply's pruning does when an
 * applier stops sending a field nobody else owns (upstream's RemoveItems and
 * EnsureNamedFieldsAreMembers).
 */
import { type PathElement } from '../fieldpath/element.js';
import { FieldSet } from '../fieldpath/set.js';
import { isObject, listItemElement } from './items.js';
import { atomFor, deducedRef, fieldStep, fieldType, type TypeRef } from './schema.js';

/**
 * `value` without the members of `toRemove`. Containers that lose everything below a
 * removed path are kept empty rather than dropped (the field itself was not removed).
 */
export function removeItems(value: unknown, ref: TypeRef, toRemove: FieldSet): unknown {
  if (toRemove.empty()) return value;
  const a = atomFor(ref, value);
  if (a.kind === 'list') {
    if (!Array.isArray(value) || value.length === 0 || !a.associative) return value;
    const out: unknown[] = [];
    for (const item of value) {
      let el: PathElement;
      try {
        el = listItemElement(a, item);
      } catch {
        out.push(item);
        continue;
      }
      if (toRemove.hasMember(el)) continue;
      const sub = toRemove.child(el);
      out.push(sub.empty() ? item : removeItems(item, a.elem, sub));
    }
    return out;
  }
  if (a.kind === 'map') {
    if (!isObject(value) || a.atomic) return value;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const el = fieldStep(a, k);
      if (toRemove.hasMember(el)) continue;
      const sub = toRemove.child(el);
      out[k] = sub.empty() ? v : removeItems(v, fieldType(a, k) ?? deducedRef, sub);
    }
    return out;
  }
  return value;
}

/**
 * The set plus every declared struct field that has owned paths below it, as a member:
 * owning `spec.replicas` then also means owning the `spec` field (but not a map entry
 * or list item on the way).
 */
export function ensureNamedFieldsAreMembers(set: FieldSet, ref: TypeRef): FieldSet {
  const out = new FieldSet();
  const a = ref.resolve();
  // Building a set: the order of the elements does not matter, so they are not sorted.
  for (const { el, member, child } of set.unordered()) {
    if (member) out.addMember(el);
    if (child === undefined) continue;
    let below: TypeRef = deducedRef;
    if (a.kind === 'map' && el.kind === 'field') {
      if (a.fields?.has(el.name) === true) out.addMember(el);
      below = fieldType(a, el.name) ?? deducedRef;
    } else if (a.kind === 'list') {
      below = a.elem;
    }
    out.setChild(el, ensureNamedFieldsAreMembers(child, below));
  }
  return out;
}
