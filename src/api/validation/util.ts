/** Shared pieces of kind validation: paths, immutability, label selectors, ports. */
import { field, type FieldError } from '../../apimachinery/errors.js';
import { FIELD_IMMUTABLE_ERROR_MSG, IS_NEGATIVE_ERROR_MSG, isQualifiedName, isValidLabelValue, regexError, validateLabels } from '../../apimachinery/validation.js';

export type Obj = Record<string, any>;

export function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function objs(v: unknown): Obj[] {
  return Array.isArray(v) ? (v.map((x) => (isObj(x) ? x : {})) as Obj[]) : [];
}

export function strMap(v: unknown): Record<string, string> {
  if (!isObj(v)) return {};
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(v)) out[k] = typeof x === 'string' ? x : String(x ?? '');
  return out;
}

/** Structural equality of JSON values (absent and null are the same, as for Go's nil). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if ((a === undefined || a === null) && (b === undefined || b === null)) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isObj(a) && isObj(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) if (!deepEqual(a[k], b[k])) return false;
    return true;
  }
  return false;
}

export function immutable(next: unknown, old: unknown, path: string): FieldError[] {
  return deepEqual(next, old) ? [] : [field.invalid(path, next, FIELD_IMMUTABLE_ERROR_MSG)];
}

export function nonNegative(v: unknown, path: string): FieldError[] {
  return typeof v === 'number' && v < 0 ? [field.invalid(path, v, IS_NEGATIVE_ERROR_MSG)] : [];
}

export function positive(v: unknown, path: string): FieldError[] {
  return typeof v === 'number' && v <= 0 ? [field.invalid(path, v, 'must be greater than 0')] : [];
}

export function isValidPortNum(port: number): string[] {
  return Number.isInteger(port) && port >= 1 && port <= 65535 ? [] : ['must be between 1 and 65535, inclusive'];
}

const ianaSvcRe = /^[-a-z0-9]+$/;
const ianaHasLetter = /[a-z]/;

/** IsValidPortName: an IANA_SVC_NAME (at most 15 characters, lower-case alphanumerics and '-'). */
export function isValidPortName(port: string): string[] {
  const errs: string[] = [];
  if (port.length > 15) errs.push('must be no more than 15 characters');
  if (!ianaSvcRe.test(port)) errs.push("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)");
  else if (port.startsWith('-') || port.endsWith('-')) errs.push('must not begin or end with a hyphen');
  else if (port.includes('--')) errs.push('must not contain consecutive hyphens');
  if (port !== '' && !ianaHasLetter.test(port)) errs.push('must contain at least one letter (a-z)');
  return errs;
}

/** metav1validation.ValidateLabelSelector. */
export function validateLabelSelector(sel: unknown, path: string): FieldError[] {
  if (!isObj(sel)) return [];
  const errs: FieldError[] = [];
  errs.push(...validateLabels(strMap(sel.matchLabels), `${path}.matchLabels`));
  objs(sel.matchExpressions).forEach((e, i) => {
    const p = `${path}.matchExpressions[${i}]`;
    const values = Array.isArray(e.values) ? (e.values as unknown[]) : [];
    switch (e.operator) {
      case 'In':
      case 'NotIn':
        if (values.length === 0) errs.push(field.required(`${p}.values`, "must be specified when `operator` is 'In' or 'NotIn'"));
        break;
      case 'Exists':
      case 'DoesNotExist':
        if (values.length > 0) errs.push(field.forbidden(`${p}.values`, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
        break;
      default:
        errs.push(field.invalid(`${p}.operator`, e.operator ?? '', 'not a valid selector operator'));
    }
    const key = typeof e.key === 'string' ? e.key : '';
    for (const m of isQualifiedName(key)) errs.push(field.invalid(`${p}.key`, key, m));
    values.forEach((v, j) => {
      const s = typeof v === 'string' ? v : String(v);
      for (const m of isValidLabelValue(s)) errs.push(field.invalid(`${p}.values[${j}]`, s, m));
    });
  });
  return errs;
}

/** Whether a metav1.LabelSelector matches a label set (an empty selector matches everything). */
export function selectorMatches(sel: unknown, labels: Record<string, string>): boolean {
  if (!isObj(sel)) return false;
  for (const [k, v] of Object.entries(strMap(sel.matchLabels))) if (labels[k] !== v) return false;
  for (const e of objs(sel.matchExpressions)) {
    const key = typeof e.key === 'string' ? e.key : '';
    const values = Array.isArray(e.values) ? (e.values as unknown[]).map(String) : [];
    const has = Object.prototype.hasOwnProperty.call(labels, key);
    switch (e.operator) {
      case 'In':
        if (!has || !values.includes(labels[key] as string)) return false;
        break;
      case 'NotIn':
        if (has && values.includes(labels[key] as string)) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

export function selectorIsEmpty(sel: unknown): boolean {
  if (!isObj(sel)) return true;
  return Object.keys(strMap(sel.matchLabels)).length === 0 && objs(sel.matchExpressions).length === 0;
}

// ---------------------------------------------------------------------------
// Values upstream prints with Go's %#v. field.Error renders a struct, slice or
// intstr.IntOrString value in Go syntax; kubectl users (and scripts) see exactly that,
// so the few messages that carry such values render them the same way.

/** Go's %q / %#v of a string (close enough: JSON and Go agree on printable text). */
export function goQuote(s: string): string {
  return JSON.stringify(s);
}

/** %#v of a []T of strings: `[]string{"a", "b"}`, or `[]string(nil)` when absent. */
export function goStringSlice(v: unknown, elemType = 'string'): string {
  if (!Array.isArray(v)) return `[]${elemType}(nil)`;
  return `[]${elemType}{${v.map((x) => goQuote(typeof x === 'string' ? x : String(x))).join(', ')}}`;
}

/** %#v of an intstr.IntOrString (which has no value-receiver String method). */
export function goIntOrString(v: unknown): string {
  if (typeof v === 'string') return `intstr.IntOrString{Type:1, IntVal:0, StrVal:${goQuote(v)}}`;
  const n = typeof v === 'number' ? v : 0;
  return `intstr.IntOrString{Type:0, IntVal:${n}, StrVal:""}`;
}

/**
 * field.Invalid with a value printed in Go syntax. formatFieldError prints
 * "Invalid value: <detail>" for an Invalid error that carries no value, so the rendered
 * value travels at the head of the detail and the message reads exactly as upstream's.
 */
export function invalidGo(path: string, goValue: string, detail: string): FieldError {
  return { type: 'FieldValueInvalid', field: path, detail: `${goValue}: ${detail}` };
}

const percentRe = /^[0-9]+%$/;
export const PERCENT_ERROR_MSG = regexError("a valid percent string must be a numeric string followed by an ending '%'", '[0-9]+%', '1%', '93%');

/** ValidatePositiveIntOrPercent: a non-negative integer or a "<digits>%" string. */
export function validatePositiveIntOrPercent(v: unknown, path: string): FieldError[] {
  if (typeof v === 'string') return percentRe.test(v) ? [] : [invalidGo(path, goIntOrString(v), PERCENT_ERROR_MSG)];
  if (typeof v === 'number') return nonNegative(v, path);
  return [];
}

/** IsNotMoreThan100Percent: only a valid percent string above 100% fails. */
export function isNotMoreThan100Percent(v: unknown, path: string): FieldError[] {
  if (typeof v !== 'string' || !percentRe.test(v) || parseInt(v, 10) <= 100) return [];
  return [invalidGo(path, goIntOrString(v), 'must not be greater than 100%')];
}

/** A string field's value, or "" (Go's zero value) when absent or not a string. */
export function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}
