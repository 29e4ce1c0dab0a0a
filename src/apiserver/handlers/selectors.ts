/**
 * Label and field selectors from query parameters into one predicate over stored
 * objects. Unsupported field labels are refused with upstream's 400 before any read.
 */
import { parseSelector, matches, selectorFromLabelSelector, selectorToString as labelSelectorString } from '../../apimachinery/labels.js';
import { parseFieldSelector, matchesFields, type FieldRequirement } from '../../apimachinery/fields.js';
import { fieldGetter, isSupportedField, unsupportedFieldError } from '../../api/fieldselectors.js';
import type { ResourceInfo } from '../../api/types.js';
import type { Filter } from '../registry/store.js';
import type { KObject } from '../registry/strategy.js';

export function buildFilter(resource: ResourceInfo, query: URLSearchParams, name: string): Filter | undefined {
  const preds: Filter[] = [];
  const ls = query.get('labelSelector');
  if (ls !== null && ls.trim() !== '') {
    const sel = parseSelector(ls);
    preds.push((o) => matches(sel, (o.metadata?.labels as Record<string, string> | undefined) ?? {}));
  }
  let reqs: FieldRequirement[] = [];
  const fs = query.get('fieldSelector');
  if (fs !== null && fs.trim() !== '') reqs = parseFieldSelector(fs);
  if (name !== '') reqs.push({ field: 'metadata.name', op: '=', value: name });
  if (reqs.length > 0) {
    for (const r of reqs) {
      if (!isSupportedField(resource.group, resource.resource, r.field)) throw unsupportedFieldError(resource.group, resource.resource, r.field);
    }
    const get = fieldGetter(resource.group, resource.resource);
    if (get !== undefined) preds.push((o: KObject) => matchesFields(reqs, (f) => get(o, f)));
  }
  if (preds.length === 0) return undefined;
  if (preds.length === 1) return preds[0];
  return (o) => preds.every((p) => p(o));
}

/** A metav1.LabelSelector object in its string form (what Scale.status.selector carries). */
export function selectorToString(ls: unknown): string {
  return labelSelectorString(selectorFromLabelSelector(ls));
}
