/**
 * Field selectors (`?fieldSelector=`), as upstream apimachinery pkg/fields/selector.go:
 * comma-separated terms `field=value`, `field==value` or `field!=value` (AND). In a
 * value, `\,` `\=` and `\\` are escapes; an unescaped ',' ends the term and an
 * unescaped '=' is refused. The field name is not escaped: the first operator in a
 * term splits it. Terms are sorted and empty terms skipped. Errors are 400 BadRequest
 * with upstream's messages.
 */

import { errors } from './errors.js';

export type FieldOperator = '=' | '!=';

export interface FieldRequirement {
  readonly field: string;
  /** '==' is normalised to '=' (upstream's selection.Equals). */
  readonly op: FieldOperator;
  readonly value: string;
}

/** Splits on unescaped commas; escapes are kept in the terms. */
function splitTerms(selector: string): string[] {
  if (selector.length === 0) return [];
  const terms: string[] = [];
  let start = 0;
  let inSlash = false;
  for (let i = 0; i < selector.length; i++) {
    const c = selector[i];
    if (inSlash) inSlash = false;
    else if (c === '\\') inSlash = true;
    else if (c === ',') {
      terms.push(selector.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(selector.slice(start));
  return terms;
}

const TERM_OPERATORS = ['!=', '==', '='] as const;

function splitTerm(term: string): { lhs: string; op: (typeof TERM_OPERATORS)[number]; rhs: string } | undefined {
  for (let i = 0; i < term.length; i++) {
    for (const op of TERM_OPERATORS) {
      if (term.startsWith(op, i)) return { lhs: term.slice(0, i), op, rhs: term.slice(i + op.length) };
    }
  }
  return undefined;
}

/**
 * Go's `%v` of a rune prints its code point number, so upstream says e.g.
 * "unescaped character in value: 61" for '='. Kept as is.
 */
function unescapeValue(s: string): string {
  if (!/[\\,=]/.test(s)) return s;
  let out = '';
  let inSlash = false;
  for (const c of s) {
    if (inSlash) {
      if (c === '\\' || c === ',' || c === '=') out += c;
      else throw errors.badRequest(`invalid field selector: invalid escape sequence: \\${c}`);
      inSlash = false;
      continue;
    }
    if (c === '\\') inSlash = true;
    else if (c === ',' || c === '=') {
      throw errors.badRequest(`invalid field selector: unescaped character in value: ${c.codePointAt(0) ?? 0}`);
    } else out += c;
  }
  if (inSlash) throw errors.badRequest('invalid field selector: invalid escape sequence: \\');
  return out;
}

/** Escapes a literal value for use in a field selector (upstream EscapeValue). */
export function escapeFieldValue(s: string): string {
  return s.replace(/[\\,=]/g, (c) => `\\${c}`);
}

/** Parses a field selector string into requirements; "" gives []. Throws 400 on errors. */
export function parseFieldSelector(selector: string): FieldRequirement[] {
  const parts = splitTerms(selector).sort();
  const out: FieldRequirement[] = [];
  for (const part of parts) {
    if (part === '') continue;
    const t = splitTerm(part);
    if (t === undefined) throw errors.badRequest(`invalid selector: '${selector}'; can't understand '${part}'`);
    out.push({ field: t.lhs, op: t.op === '!=' ? '!=' : '=', value: unescapeValue(t.rhs) });
  }
  return out;
}

/**
 * True when every requirement holds. The getter returns the object's value for a
 * field; undefined is compared as "" (upstream Fields.Get of a missing key).
 */
export function matchesFields(reqs: readonly FieldRequirement[], getter: (field: string) => string | undefined): boolean {
  for (const r of reqs) {
    const v = getter(r.field) ?? '';
    if (r.op === '=' ? v !== r.value : v === r.value) return false;
  }
  return true;
}

/** The value a selector pins a field to with '=' (upstream RequiresExactMatch). */
export function fieldRequiresExactMatch(reqs: readonly FieldRequirement[], field: string): string | undefined {
  for (const r of reqs) if (r.field === field && r.op === '=') return r.value;
  return undefined;
}

/** Canonical string form: terms joined by ',' with values escaped. */
export function fieldSelectorToString(reqs: readonly FieldRequirement[]): string {
  return reqs.map((r) => `${r.field}${r.op}${escapeFieldValue(r.value)}`).join(',');
}
