/**
 * Checks an apply configuration against its schema before it is merged, reporting what
 * upstream's typed conversion reports (as `<path>: <problem>`, paths like
 * `.spec.template.spec.containers[name="a"].image`): fields a struct does not declare,
 * values of the wrong shape, associative list items without their keys, duplicate
 * items. Null is accepted anywhere (it asks for the field's removal or zero value).
 */
import { elementKey, indexElement, pathString, type PathElement } from '../fieldpath/element.js';
import { isObject, ItemError, listItemElement } from './items.js';
import { atomFor, fieldStep, fieldType, type TypeRef } from './schema.js';

export interface TypeError {
  path: string;
  message: string;
}

/** Upstream joins several problems under "errors:". */
export function formatTypeErrors(errs: readonly TypeError[]): string {
  const one = (e: TypeError): string => `${e.path}: ${e.message}`;
  if (errs.length === 1) return one(errs[0]!);
  return ['errors:', ...errs.map((e) => `  ${one(e)}`)].join('\n');
}

/** Go's %T of a decoded JSON value. */
function goType(v: unknown): string {
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int64' : 'float64';
  if (Array.isArray(v)) return '[]interface {}';
  if (v === null) return '<nil>';
  return 'map[string]interface {}';
}

/** Go's %v of a value.Value (a pointer to a struct holding the value). */
function goValue(v: unknown): string {
  if (typeof v === 'object' && v !== null) return `&{${JSON.stringify(v)}}`;
  return `&{${String(v)}}`;
}

export function validateTyped(value: unknown, ref: TypeRef): TypeError[] {
  const errs: TypeError[] = [];
  walk(value, ref, [], errs);
  return errs;
}

/**
 * `path` is a stack shared by the whole walk, printed only when there is an error to
 * report (most configurations have none).
 */
function walk(value: unknown, ref: TypeRef, path: PathElement[], errs: TypeError[]): void {
  if (value === null || value === undefined) return;
  const a = atomFor(ref, value);
  let text: string | undefined;
  const at = (): string => (text ??= pathString(path));
  switch (a.kind) {
    case 'deduced':
      return;
    case 'scalar':
      switch (a.scalar) {
        case 'numeric':
          if (typeof value !== 'number') errs.push({ path: at(), message: `expected numeric (int or float), got ${goType(value)}` });
          return;
        case 'string':
          if (typeof value !== 'string') errs.push({ path: at(), message: `expected string, got &value.valueUnstructured{Value:${typeof value === 'object' ? JSON.stringify(value) : String(value)}}` });
          return;
        case 'boolean':
          if (typeof value !== 'boolean') errs.push({ path: at(), message: `expected boolean, got ${goValue(value)}` });
          return;
        case 'untyped':
          if (typeof value === 'object') errs.push({ path: at(), message: `expected any scalar, got ${goValue(value)}` });
          return;
      }
      return;
    case 'list': {
      if (!Array.isArray(value)) {
        errs.push({ path: at(), message: `expected list, got ${goValue(value)}` });
        return;
      }
      if (!a.associative) {
        value.forEach((item, i) => {
          path.push(indexElement(i));
          walk(item, a.elem, path, errs);
          path.pop();
        });
        return;
      }
      const seen = new Set<string>();
      value.forEach((item, i) => {
        let el: PathElement;
        try {
          el = listItemElement(a, item);
        } catch (e) {
          if (e instanceof ItemError) errs.push({ path: at(), message: `element ${i}: ${e.message}` });
          return;
        }
        const k = elementKey(el);
        if (seen.has(k)) {
          errs.push({ path: at(), message: `duplicate entries for key ${pathString([el])}` });
          return;
        }
        seen.add(k);
        path.push(el);
        walk(item, a.elem, path, errs);
        path.pop();
      });
      return;
    }
    case 'map': {
      if (!isObject(value)) {
        errs.push({ path: at(), message: `expected map, got ${goValue(value)}` });
        return;
      }
      for (const k of Object.keys(value)) {
        const t = fieldType(a, k);
        path.push(fieldStep(a, k));
        if (t === undefined) errs.push({ path: pathString(path), message: 'field not declared in schema' });
        else walk(value[k], t, path, errs);
        path.pop();
      }
      return;
    }
  }
}
