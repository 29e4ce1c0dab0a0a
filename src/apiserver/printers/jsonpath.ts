/**
 * The subset of Kubernetes JSONPath that CRD additionalPrinterColumns use in practice:
 * `.a.b`, `.a['b.c']`, `.a[0]`, `.a[-1]`, `.a[*]`, `.a[1:3]`, `\.` escapes in names,
 * and filters `[?(@.type=="Ready")]` (==, !=, <, <=, >, >=, or bare existence).
 * Anything else (recursive descent, unions, functions) is refused by name: compile
 * returns undefined and the cell is empty, as upstream leaves a cell whose path
 * does not evaluate.
 */

type Step =
  | { kind: 'field'; name: string }
  | { kind: 'index'; index: number }
  | { kind: 'wildcard' }
  | { kind: 'slice'; start: number | undefined; end: number | undefined }
  | { kind: 'filter'; path: Step[]; op: string | undefined; literal: unknown };

export type CompiledPath = Step[];

/** Compiles a path such as ".status.conditions[?(@.type==\"Ready\")].status"; undefined when unsupported. */
export function compileJSONPath(path: string): CompiledPath | undefined {
  let p = path.trim();
  if (p.startsWith('{') && p.endsWith('}')) p = p.slice(1, -1).trim();
  if (p.startsWith('$')) p = p.slice(1);
  return parseSteps(p);
}

function parseSteps(p: string): Step[] | undefined {
  const steps: Step[] = [];
  let i = 0;
  while (i < p.length) {
    const c = p[i];
    if (c === '.') {
      if (p[i + 1] === '.') return undefined; // recursive descent
      i++;
      let name = '';
      while (i < p.length && p[i] !== '.' && p[i] !== '[') {
        if (p[i] === '\\' && p[i + 1] === '.') {
          name += '.';
          i += 2;
          continue;
        }
        name += p[i];
        i++;
      }
      if (name === '') {
        if (i >= p.length) break; // a lone "." selects the whole object
        continue;
      }
      steps.push(name === '*' ? { kind: 'wildcard' } : { kind: 'field', name });
    } else if (c === '[') {
      const close = matchingBracket(p, i);
      if (close < 0) return undefined;
      const step = parseBracket(p.slice(i + 1, close).trim());
      if (!step) return undefined;
      steps.push(step);
      i = close + 1;
    } else {
      return undefined;
    }
  }
  return steps;
}

function matchingBracket(p: string, open: number): number {
  let depth = 0;
  let quote: string | undefined;
  for (let i = open; i < p.length; i++) {
    const c = p[i];
    if (quote) {
      if (c === quote) quote = undefined;
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === '[' || c === '(') depth++;
    else if (c === ']' || c === ')') {
      depth--;
      if (depth === 0 && c === ']') return i;
    }
  }
  return -1;
}

function parseBracket(inner: string): Step | undefined {
  if (inner === '*') return { kind: 'wildcard' };
  if (/^-?\d+$/.test(inner)) return { kind: 'index', index: Number(inner) };
  const slice = /^(-?\d*):(-?\d*)$/.exec(inner);
  if (slice) {
    return {
      kind: 'slice',
      start: slice[1] === '' ? undefined : Number(slice[1]),
      end: slice[2] === '' ? undefined : Number(slice[2]),
    };
  }
  const quoted = /^(['"])(.*)\1$/.exec(inner);
  if (quoted) return { kind: 'field', name: quoted[2] ?? '' };
  const filter = /^\?\((.*)\)$/.exec(inner);
  if (filter) return parseFilter((filter[1] ?? '').trim());
  return undefined;
}

function parseFilter(expr: string): Step | undefined {
  const m = /^@((?:\.[^=!<>\s]+|\[[^\]]*\])*)\s*(?:(==|!=|<=|>=|<|>)\s*(.+))?$/.exec(expr);
  if (!m) return undefined;
  const path = parseSteps(m[1] ?? '');
  if (!path) return undefined;
  if (m[2] === undefined) return { kind: 'filter', path, op: undefined, literal: undefined };
  const literal = parseLiteral((m[3] ?? '').trim());
  if (literal === undefined) return undefined;
  return { kind: 'filter', path, op: m[2], literal: literal.value };
}

function parseLiteral(s: string): { value: unknown } | undefined {
  const quoted = /^(['"])(.*)\1$/.exec(s);
  if (quoted) return { value: quoted[2] ?? '' };
  if (/^-?\d+(\.\d+)?$/.test(s)) return { value: Number(s) };
  if (s === 'true' || s === 'false') return { value: s === 'true' };
  if (s === 'nil' || s === 'null') return { value: null };
  return undefined;
}

function compare(a: unknown, op: string, b: unknown): boolean {
  switch (op) {
    case '==':
      return a === b;
    case '!=':
      return a !== b;
  }
  if (typeof a === 'number' && typeof b === 'number') {
    if (op === '<') return a < b;
    if (op === '<=') return a <= b;
    if (op === '>') return a > b;
    if (op === '>=') return a >= b;
  }
  return false;
}

function children(v: unknown): unknown[] {
  if (Array.isArray(v)) return v;
  if (v !== null && typeof v === 'object') return Object.values(v);
  return [];
}

/** Every value the path selects, in document order; missing keys select nothing. */
export function evaluateJSONPath(path: CompiledPath, root: unknown): unknown[] {
  let current: unknown[] = [root];
  for (const step of path) {
    const next: unknown[] = [];
    for (const v of current) {
      switch (step.kind) {
        case 'field':
          if (v !== null && typeof v === 'object' && !Array.isArray(v) && Object.hasOwn(v, step.name)) {
            next.push((v as Record<string, unknown>)[step.name]);
          }
          break;
        case 'index':
          if (Array.isArray(v)) {
            const i = step.index < 0 ? v.length + step.index : step.index;
            if (i >= 0 && i < v.length) next.push(v[i]);
          }
          break;
        case 'wildcard':
          next.push(...children(v));
          break;
        case 'slice':
          if (Array.isArray(v)) next.push(...v.slice(step.start, step.end));
          break;
        case 'filter':
          for (const item of children(v)) {
            const found = evaluateJSONPath(step.path, item);
            if (step.op === undefined ? found.length > 0 : found.some((f) => compare(f, step.op ?? '==', step.literal))) {
              next.push(item);
            }
          }
          break;
      }
    }
    current = next;
  }
  return current;
}

/**
 * A JSON number as upstream prints it: integers decode to int64 and print plainly;
 * other numbers are float64, which Go's %v prints in shortest form, switching to
 * exponent form ("1.5e+06", "1e-05") when the exponent is below -4 or at least 6.
 */
function goNumber(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 2 ** 63) return String(n);
  const [mantissa = '', expText = '0'] = n.toExponential().split('e');
  const exp = Number(expText);
  if (exp < -4 || exp >= 6) {
    const sign = exp < 0 ? '-' : '+';
    return `${mantissa}e${sign}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  return String(n);
}

/** A JSON value as upstream's JSONPath text output prints it (Go fmt %v). */
export function printValue(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return goNumber(v);
  if (typeof v === 'boolean') return String(v);
  const inner = (x: unknown): string => (x === null || x === undefined ? '<nil>' : (printValue(x) ?? ''));
  if (Array.isArray(v)) return `[${v.map(inner).join(' ')}]`;
  if (typeof v === 'object') {
    const keys = Object.keys(v).sort();
    return `map[${keys.map((k) => `${k}:${inner((v as Record<string, unknown>)[k])}`).join(' ')}]`;
  }
  return String(v);
}
