/**
 * The identity of an item in an associative list: its key fields (containers by name,
 * ports by containerPort+protocol, a missing key taking the field's schema default),
 * or its own value in a set (finalizers). Atomic lists have no item identity.
 */
import { keyElement, valueElement, type PathElement } from '../fieldpath/element.js';
import type { Atom } from './schema.js';

export class ItemError extends Error {}

import { isObject } from '../meta.js';

export { isObject };

export function listItemElement(list: Atom & { kind: 'list' }, item: unknown): PathElement {
  if (list.keys.length > 0) {
    if (item === null) throw new ItemError('associative list with keys may not have a null element');
    if (!isObject(item)) throw new ItemError('associative list with keys may not have non-map elements');
    const elem = list.elem.resolve();
    const fields: [string, unknown][] = [];
    for (const k of list.keys) {
      if (Object.prototype.hasOwnProperty.call(item, k) && item[k] !== undefined) {
        fields.push([k, item[k]]);
        continue;
      }
      const def = elem.kind === 'map' ? elem.defaults.get(k) : undefined;
      if (def === undefined) throw new ItemError(`associative list with keys has an element that omits key field ${JSON.stringify(k)} (and doesn't have default value)`);
      fields.push([k, def]);
    }
    return keyElement(fields);
  }
  if (isObject(item)) throw new ItemError("associative list without keys has an element that's a map type");
  if (Array.isArray(item)) throw new ItemError('not supported: associative list with lists as elements');
  if (item === null) throw new ItemError("associative list without keys has an element that's an explicit null");
  return valueElement(item);
}
