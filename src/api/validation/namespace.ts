/**
 * core/v1 Namespace: spec.finalizers are qualified names, and one without a domain
 * prefix must be a standard one (upstream's validateFinalizerName). The name itself is
 * checked by the registry's metadata validation.
 */
import { field, type FieldError } from '../../apimachinery/errors.js';
import { isQualifiedName } from '../../apimachinery/validation.js';
import { isObj, type Obj } from './util.js';

const STANDARD_FINALIZERS = ['kubernetes', 'orphan', 'foregroundDeletion'];

/** validateFinalizerName: errors are reported on the list's path, without an index, as upstream. */
export function validateFinalizerName(name: string, path: string): FieldError[] {
  const errs = isQualifiedName(name).map((m) => field.invalid(path, name, m));
  if (!name.includes('/') && !STANDARD_FINALIZERS.includes(name)) {
    errs.push(field.invalid(path, name, 'name is neither a standard finalizer name nor is it fully qualified'));
  }
  return errs;
}

export function validateNamespace(ns: Obj): FieldError[] {
  const spec: Obj = isObj(ns.spec) ? ns.spec : {};
  const finalizers = Array.isArray(spec.finalizers) ? (spec.finalizers as unknown[]) : [];
  return finalizers.flatMap((f) => validateFinalizerName(typeof f === 'string' ? f : String(f), 'spec.finalizers'));
}
