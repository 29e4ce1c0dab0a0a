/**
 * Label selectors: the string grammar of `?labelSelector=` (upstream
 * apimachinery pkg/labels/selector.go), matching, and conversion from a
 * metav1.LabelSelector object (matchLabels + matchExpressions).
 *
 *   <selector>    ::= <requirement> | <requirement> "," <selector>
 *   <requirement> ::= [!] KEY [ ("in"|"notin") "(" VALUES ")" | ("="|"=="|"!=") VALUE | (">"|"<") INT ]
 *
 * Whitespace (space, tab, CR, LF) separates tokens. A bare KEY means "exists", !KEY
 * "does not exist". Keys must be qualified names, values label values. Parsed
 * requirements are sorted by key and set values are de-duplicated and sorted, as
 * upstream. Errors are 400 BadRequest with upstream's wording.
 */

import { errors, formatFieldError, field, type FieldError, type StatusError } from './errors.js';
import { isQualifiedName, isValidLabelValue } from './validation.js';

/** selection.Operator values. */
export type Operator = '=' | '==' | '!=' | 'in' | 'notin' | 'exists' | '!' | 'gt' | 'lt';

export interface Requirement {
  readonly key: string;
  readonly operator: Operator;
  /** Empty for exists/!; one value for =, ==, !=, gt, lt; one or more for in/notin. */
  readonly values: readonly string[];
}

/**
 * AND of requirements. `nothing` marks the selector that matches no object at all
 * (a nil metav1.LabelSelector); an empty requirement list matches everything.
 */
export interface Selector {
  readonly requirements: readonly Requirement[];
  readonly nothing: boolean;
}

export type Labels = Readonly<Record<string, string>>;

const BINARY_OPERATORS: readonly Operator[] = ['in', 'notin', '=', '==', '!=', 'gt', 'lt'];
const ALL_OPERATORS: readonly Operator[] = [...BINARY_OPERATORS, 'exists', '!'];

export function everything(): Selector {
  return { requirements: [], nothing: false };
}

export function nothing(): Selector {
  return { requirements: [], nothing: true };
}

/** True when the selector does not restrict anything (upstream Empty()). */
export function isEverything(sel: Selector): boolean {
  return !sel.nothing && sel.requirements.length === 0;
}

/** Upstream's utilerrors aggregate: one message alone, several de-duplicated inside "[a, b]". */
function aggregate(msgs: string[]): string {
  const seen: string[] = [];
  for (const m of msgs) if (!seen.includes(m)) seen.push(m);
  if (msgs.length === 1 || seen.length === 1) return seen[0] ?? '';
  return `[${seen.join(', ')}]`;
}

function keyError(key: string, path: string): FieldError | undefined {
  const errs = isQualifiedName(key);
  return errs.length === 0 ? undefined : field.invalid(path, key, errs.join('; '));
}

function isInt64(s: string): boolean {
  if (!/^[+-]?[0-9]+$/.test(s)) return false;
  const n = BigInt(s);
  return n >= -(2n ** 63n) && n < 2n ** 63n;
}

/** Field errors for a requirement, as upstream NewRequirement (paths relative to a nil root). */
function requirementErrors(key: string, op: string, values: readonly string[] | null): FieldError[] {
  const errs: FieldError[] = [];
  const vals = values ?? [];
  const ke = keyError(key, 'key');
  if (ke) errs.push(ke);
  switch (op) {
    case 'in':
    case 'notin':
      if (vals.length === 0) errs.push(field.invalid('values', values, "for 'in', 'notin' operators, values set can't be empty"));
      break;
    case '=':
    case '==':
    case '!=':
      if (vals.length !== 1) errs.push(field.invalid('values', values, 'exact-match compatibility requires one single value'));
      break;
    case 'exists':
    case '!':
      if (vals.length !== 0) errs.push(field.invalid('values', values, 'values set must be empty for exists and does not exist'));
      break;
    case 'gt':
    case 'lt':
      if (vals.length !== 1) errs.push(field.invalid('values', values, "for 'Gt', 'Lt' operators, exactly one value is required"));
      vals.forEach((v, i) => {
        if (!isInt64(v)) errs.push(field.invalid(`values[${i}]`, v, "for 'Gt', 'Lt' operators, the value must be an integer"));
      });
      break;
    default:
      errs.push(field.notSupported('operator', op, [...ALL_OPERATORS]));
  }
  vals.forEach((v, i) => {
    const ve = isValidLabelValue(v);
    if (ve.length > 0) errs.push(field.invalid(`values[${i}][${key}]`, v, ve.join('; ')));
  });
  return errs;
}

/** Builds one validated requirement; throws 400 with the aggregated field errors. */
export function newRequirement(key: string, operator: Operator, values: readonly string[]): Requirement {
  const errs = requirementErrors(key, operator, values);
  if (errs.length > 0) throw errors.badRequest(aggregate(errs.map(formatFieldError)));
  return { key, operator, values: [...values] };
}

// ---------------------------------------------------------------------------
// Lexer

type Tok =
  | 'error'
  | 'eos'
  | 'closePar'
  | 'comma'
  | 'doesNotExist'
  | 'doubleEquals'
  | 'equals'
  | 'gt'
  | 'ident'
  | 'in'
  | 'lt'
  | 'notEquals'
  | 'notIn'
  | 'openPar';

const LITERALS: Readonly<Record<string, Tok>> = {
  ')': 'closePar',
  ',': 'comma',
  '!': 'doesNotExist',
  '==': 'doubleEquals',
  '=': 'equals',
  '>': 'gt',
  in: 'in',
  '<': 'lt',
  '!=': 'notEquals',
  notin: 'notIn',
  '(': 'openPar',
};

interface Item {
  tok: Tok;
  lit: string;
}

function isWhitespace(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\r' || c === '\n';
}

function isSpecial(c: string): boolean {
  return c === '=' || c === '!' || c === '(' || c === ')' || c === ',' || c === '>' || c === '<';
}

function lex(input: string): Item[] {
  const items: Item[] = [];
  let pos = 0;
  // A NUL ends the input, as in upstream's byte lexer.
  const at = (i: number): string => (i < input.length && input[i] !== '\0' ? (input[i] as string) : '');
  for (;;) {
    while (at(pos) !== '' && isWhitespace(at(pos))) pos++;
    const c = at(pos);
    if (c === '') {
      items.push({ tok: 'eos', lit: '' });
      return items;
    }
    if (isSpecial(c)) {
      // Longest run of special characters that still forms a known operator.
      let buf = '';
      let last: Item | undefined;
      while (at(pos) !== '' && isSpecial(at(pos))) {
        buf += at(pos);
        const t = LITERALS[buf];
        if (t !== undefined) {
          last = { tok: t, lit: buf };
          pos++;
        } else if (last !== undefined) {
          break;
        } else {
          pos++;
        }
      }
      items.push(last ?? { tok: 'error', lit: `error expected: keyword found '${buf}'` });
      continue;
    }
    let buf = '';
    while (at(pos) !== '' && !isSpecial(at(pos)) && !isWhitespace(at(pos))) buf += at(pos++);
    const t = LITERALS[buf];
    items.push({ tok: t ?? 'ident', lit: buf });
  }
}

// ---------------------------------------------------------------------------
// Parser

class ParseError extends Error {}

class Parser {
  private pos = 0;
  constructor(private readonly items: Item[]) {}

  /** In value context the keywords in/notin are plain identifiers. */
  private static ctx(it: Item, values: boolean): Item {
    if (values && (it.tok === 'in' || it.tok === 'notIn')) return { tok: 'ident', lit: it.lit };
    return it;
  }
  lookahead(values: boolean): Item {
    return Parser.ctx(this.items[Math.min(this.pos, this.items.length - 1)] as Item, values);
  }
  consume(values: boolean): Item {
    const it = this.lookahead(values);
    this.pos++;
    return it;
  }

  parse(): Requirement[] {
    const reqs: Requirement[] = [];
    for (;;) {
      const { tok, lit } = this.lookahead(true);
      switch (tok) {
        case 'ident':
        case 'doesNotExist': {
          let r: Requirement;
          try {
            r = this.parseRequirement();
          } catch (e) {
            if (e instanceof ParseError) throw new ParseError(`unable to parse requirement: ${e.message}`);
            throw e;
          }
          reqs.push(r);
          const next = this.consume(true);
          if (next.tok === 'eos') return reqs;
          if (next.tok === 'comma') {
            const after = this.lookahead(true);
            if (after.tok !== 'ident' && after.tok !== 'doesNotExist') {
              throw new ParseError(`found '${after.lit}', expected: identifier after ','`);
            }
            break;
          }
          throw new ParseError(`found '${next.lit}', expected: ',' or 'end of string'`);
        }
        case 'eos':
          return reqs;
        default:
          throw new ParseError(`found '${lit}', expected: !, identifier, or 'end of string'`);
      }
    }
  }

  private parseRequirement(): Requirement {
    const { key, operator } = this.parseKeyAndInferOperator();
    if (operator === 'exists' || operator === '!') return this.build(key, operator, []);
    const op = this.parseOperator();
    const values = op === 'in' || op === 'notin' ? this.parseValues() : this.parseExactValue();
    return this.build(key, op, [...values].sort());
  }

  private build(key: string, op: Operator, values: string[]): Requirement {
    const errs = requirementErrors(key, op, values);
    if (errs.length > 0) throw new ParseError(aggregate(errs.map(formatFieldError)));
    return { key, operator: op, values };
  }

  private parseKeyAndInferOperator(): { key: string; operator: Operator | '' } {
    let operator: Operator | '' = '';
    let it = this.consume(true);
    if (it.tok === 'doesNotExist') {
      operator = '!';
      it = this.consume(true);
    }
    if (it.tok !== 'ident') throw new ParseError(`found '${it.lit}', expected: identifier`);
    const ke = keyError(it.lit, '<nil>');
    if (ke) throw new ParseError(formatFieldError(ke));
    const next = this.lookahead(true).tok;
    if ((next === 'eos' || next === 'comma') && operator !== '!') operator = 'exists';
    return { key: it.lit, operator };
  }

  private parseOperator(): Operator {
    const { tok, lit } = this.consume(false);
    switch (tok) {
      case 'in':
        return 'in';
      case 'equals':
        return '=';
      case 'doubleEquals':
        return '==';
      case 'gt':
        return 'gt';
      case 'lt':
        return 'lt';
      case 'notIn':
        return 'notin';
      case 'notEquals':
        return '!=';
      default:
        throw new ParseError(`found '${lit}', expected: ${BINARY_OPERATORS.join(', ')}`);
    }
  }

  private parseValues(): Set<string> {
    const open = this.consume(true);
    if (open.tok !== 'openPar') throw new ParseError(`found '${open.lit}' expected: '('`);
    const { tok, lit } = this.lookahead(true);
    switch (tok) {
      case 'ident':
      case 'comma': {
        const s = this.parseIdentifiersList();
        if (this.consume(true).tok !== 'closePar') throw new ParseError(`found '${lit}', expected: ')'`);
        return s;
      }
      case 'closePar':
        this.consume(true);
        return new Set(['']);
      default:
        throw new ParseError(`found '${lit}', expected: ',', ')' or identifier`);
    }
  }

  private parseIdentifiersList(): Set<string> {
    const s = new Set<string>();
    for (;;) {
      const { tok, lit } = this.consume(true);
      if (tok === 'ident') {
        s.add(lit);
        const next = this.lookahead(true);
        if (next.tok === 'comma') continue;
        if (next.tok === 'closePar') return s;
        throw new ParseError(`found '${next.lit}', expected: ',' or ')'`);
      }
      if (tok === 'comma') {
        // "(," ",)" and ",," all contribute the empty value.
        if (s.size === 0) s.add('');
        const next = this.lookahead(true).tok;
        if (next === 'closePar') {
          s.add('');
          return s;
        }
        if (next === 'comma') {
          this.consume(true);
          s.add('');
        }
        continue;
      }
      throw new ParseError(`found '${lit}', expected: ',', or identifier`);
    }
  }

  private parseExactValue(): Set<string> {
    const next = this.lookahead(true).tok;
    if (next === 'eos' || next === 'comma') return new Set(['']);
    const { tok, lit } = this.consume(true);
    if (tok === 'ident') return new Set([lit]);
    throw new ParseError(`found '${lit}', expected: identifier`);
  }
}

function byKey(reqs: Requirement[]): Requirement[] {
  return reqs
    .map((r, i) => ({ r, i }))
    .sort((a, b) => (a.r.key < b.r.key ? -1 : a.r.key > b.r.key ? 1 : a.i - b.i))
    .map((x) => x.r);
}

/** Parses a label selector string; throws 400 BadRequest with upstream's message. */
export function parseSelector(selector: string): Selector {
  try {
    return { requirements: byKey(new Parser(lex(selector)).parse()), nothing: false };
  } catch (e) {
    if (e instanceof ParseError) throw errors.badRequest(e.message);
    throw e;
  }
}

/** Like parseSelector but returns the StatusError instead of throwing. */
export function tryParseSelector(selector: string): Selector | StatusError {
  try {
    return parseSelector(selector);
  } catch (e) {
    return e as StatusError;
  }
}

// ---------------------------------------------------------------------------
// Matching

function has(labels: Labels, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(labels, key);
}

export function requirementMatches(r: Requirement, labels: Labels): boolean {
  const present = has(labels, r.key);
  const value = present ? labels[r.key] : undefined;
  switch (r.operator) {
    case 'in':
    case '=':
    case '==':
      return present && r.values.includes(value as string);
    case 'notin':
    case '!=':
      return !present || !r.values.includes(value as string);
    case 'exists':
      return present;
    case '!':
      return !present;
    case 'gt':
    case 'lt': {
      if (!present || r.values.length !== 1) return false;
      const lv = value as string;
      const rv = r.values[0] as string;
      if (!isInt64(lv) || !isInt64(rv)) return false;
      return r.operator === 'gt' ? BigInt(lv) > BigInt(rv) : BigInt(lv) < BigInt(rv);
    }
  }
}

/** True when every requirement matches (and the selector is not "nothing"). */
export function matches(sel: Selector, labels: Labels | undefined | null): boolean {
  if (sel.nothing) return false;
  const l = labels ?? {};
  return sel.requirements.every((r) => requirementMatches(r, l));
}

/** If the selector pins `key` to one value (=, ==, or a one-value in), returns it. */
export function requiresExactMatch(sel: Selector, key: string): string | undefined {
  for (const r of sel.requirements) {
    if (r.key !== key) continue;
    if ((r.operator === '=' || r.operator === '==' || r.operator === 'in') && r.values.length === 1) return r.values[0];
    return undefined;
  }
  return undefined;
}

// ---------------------------------------------------------------------------
// Construction and printing

/** A selector matching exactly the given labels (no validation, as SelectorFromSet). */
export function selectorFromSet(set: Labels | undefined | null): Selector {
  const reqs = Object.entries(set ?? {}).map(([k, v]): Requirement => ({ key: k, operator: '=', values: [v] }));
  return { requirements: byKey(reqs), nothing: false };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const EXPRESSION_OPERATORS: Readonly<Record<string, Operator>> = {
  In: 'in',
  NotIn: 'notin',
  Exists: 'exists',
  DoesNotExist: '!',
};

/**
 * Converts a metav1.LabelSelector (upstream LabelSelectorAsSelector): null/undefined
 * matches nothing, an empty selector everything. Throws 400 on an unknown operator
 * or an invalid requirement.
 */
export function selectorFromLabelSelector(ls: unknown): Selector {
  if (ls === undefined || ls === null) return nothing();
  if (!isRecord(ls)) throw errors.badRequest('label selector must be an object');
  const matchLabels = isRecord(ls['matchLabels']) ? ls['matchLabels'] : {};
  const exprs = Array.isArray(ls['matchExpressions']) ? (ls['matchExpressions'] as unknown[]) : [];
  const reqs: Requirement[] = [];
  for (const [k, v] of Object.entries(matchLabels)) {
    reqs.push(newRequirement(k, '=', [typeof v === 'string' ? v : String(v ?? '')]));
  }
  for (const e of exprs) {
    const expr = isRecord(e) ? e : {};
    const opName = typeof expr['operator'] === 'string' ? expr['operator'] : '';
    const op = EXPRESSION_OPERATORS[opName];
    if (op === undefined) throw errors.badRequest(`${JSON.stringify(opName)} is not a valid label selector operator`);
    const key = typeof expr['key'] === 'string' ? expr['key'] : '';
    const raw = Array.isArray(expr['values']) ? (expr['values'] as unknown[]) : [];
    const values = raw.map((v) => (typeof v === 'string' ? v : String(v)));
    // Upstream copies values into a nil slice, so an empty list reports as null.
    const errs = requirementErrors(key, op, values.length === 0 ? null : values);
    if (errs.length > 0) throw errors.badRequest(aggregate(errs.map(formatFieldError)));
    reqs.push({ key, operator: op, values });
  }
  return { requirements: byKey(reqs), nothing: false };
}

const OP_TEXT: Readonly<Record<Operator, string>> = {
  '=': '=',
  '==': '==',
  '!=': '!=',
  in: ' in ',
  notin: ' notin ',
  gt: '>',
  lt: '<',
  exists: '',
  '!': '',
};

export function requirementToString(r: Requirement): string {
  let s = r.operator === '!' ? `!${r.key}` : r.key;
  if (r.operator === 'exists' || r.operator === '!') return s;
  s += OP_TEXT[r.operator];
  const vals = r.values.length === 1 ? (r.values[0] as string) : [...r.values].sort().join(',');
  return r.operator === 'in' || r.operator === 'notin' ? `${s}(${vals})` : s + vals;
}

/** The canonical string form (requirements comma-joined); "" for everything and nothing. */
export function selectorToString(sel: Selector): string {
  if (sel.nothing) return '';
  return sel.requirements.map(requirementToString).join(',');
}
