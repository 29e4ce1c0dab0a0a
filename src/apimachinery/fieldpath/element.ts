/**
 * Path elements of server-side apply's field paths (structured-merge-diff's model): a
 * step into a struct field or map key, into an associative list item by its keys, into
 * a set item by its value, or (only where no better identity exists) by index.
 *
 * Every element has one canonical string, the key it takes in a FieldsV1 document
 * (`f:name`, `k:{"name":"nginx"}`, `v:"a"`, `i:0`); sets use it as their map key, so
 * two elements are equal exactly when their strings are. Ordering follows upstream so
 * FieldsV1 is written in the same order a real apiserver writes it.
 */

export type PathElement =
  | { readonly kind: 'field'; readonly name: string; readonly key?: string }
  /** Key fields sorted by name. */
  | { readonly kind: 'key'; readonly fields: readonly (readonly [string, unknown])[]; readonly key?: string }
  | { readonly kind: 'value'; readonly value: unknown; readonly key?: string }
  | { readonly kind: 'index'; readonly index: number; readonly key?: string };

export type Path = readonly PathElement[];

// The constructors compute an element's FieldsV1 key once, when it is made: sets, list
// indexes and the FieldsV1 codec look elements up by it many times per write. An
// element written as a literal (without `key`) still works; its key is built on use.

export function fieldElement(name: string): PathElement {
  return { kind: 'field', name, key: `f:${name}` };
}

function byName(a: readonly [string, unknown], b: readonly [string, unknown]): number {
  return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0;
}

export function keyElement(fields: Iterable<readonly [string, unknown]>): PathElement {
  const sorted = Array.from(fields);
  // Most lists have one key (name): nothing to sort.
  if (sorted.length > 1) sorted.sort(byName);
  return { kind: 'key', fields: sorted, key: keyFieldsText(sorted) };
}

export function valueElement(value: unknown): PathElement {
  return { kind: 'value', value, key: `v:${canonicalJSON(value)}` };
}

export function indexElement(index: number): PathElement {
  return { kind: 'index', index, key: `i:${index}` };
}

/** JSON with object keys sorted: the canonical text of a value inside `k:` and `v:`. */
export function canonicalJSON(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  if (Array.isArray(v)) return `[${v.map(canonicalJSON).join(',')}]`;
  const keys = Object.keys(v).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJSON((v as Record<string, unknown>)[k])}`).join(',')}}`;
}

// Built for every item of every associative list walked: a plain loop, no map/join.
function keyFieldsText(fields: readonly (readonly [string, unknown])[]): string {
  let text = 'k:{';
  for (let i = 0; i < fields.length; i++) {
    const [n, v] = fields[i]!;
    if (i > 0) text += ',';
    text += `${JSON.stringify(n)}:${canonicalJSON(v)}`;
  }
  return `${text}}`;
}

/** The element's FieldsV1 key. */
export function elementKey(e: PathElement): string {
  if (e.key !== undefined) return e.key;
  switch (e.kind) {
    case 'field':
      return `f:${e.name}`;
    case 'key':
      return keyFieldsText(e.fields);
    case 'value':
      return `v:${canonicalJSON(e.value)}`;
    case 'index':
      return `i:${e.index}`;
  }
}

export class FieldPathError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FieldPathError';
  }
}

// Every write decodes the stored managedFields, whose list-item and set-item keys
// (`k:{"name":"nginx"}`, `v:"a"`) are the same from one write to the next and costly to
// parse (JSON, sorting, canonical text). Their elements are immutable, so parses are
// remembered; keys come from clients, so the memo is bounded in entries and key length.
const parsedKeys = new Map<string, PathElement>();
const MAX_PARSED_KEYS = 4096;
const MAX_PARSED_KEY_LENGTH = 256;

/** Parses a FieldsV1 key back into its element; throws FieldPathError on anything else. */
export function parseElementKey(key: string): PathElement {
  // A field's key is the text it was read from: no need to build it again.
  if (key.startsWith('f:')) return { kind: 'field', name: key.slice(2), key };
  let el = parsedKeys.get(key);
  if (el === undefined) {
    el = parseOtherKey(key);
    if (key.length <= MAX_PARSED_KEY_LENGTH) {
      if (parsedKeys.size >= MAX_PARSED_KEYS) parsedKeys.clear();
      parsedKeys.set(key, el);
    }
  }
  return el;
}

function parseOtherKey(key: string): PathElement {
  const kind = key.slice(0, 2);
  const rest = key.slice(2);
  switch (kind) {
    case 'k:': {
      let parsed: unknown;
      try {
        parsed = JSON.parse(rest);
      } catch {
        throw new FieldPathError(`parsing JSON: ${JSON.stringify(rest)}`);
      }
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
        throw new FieldPathError(`expected key value pairs but got ${rest}`);
      }
      const el = keyElement(Object.entries(parsed as Record<string, unknown>));
      // Shared through the memo: make sure no one can change it.
      if (el.kind === 'key') Object.freeze(el.fields);
      return Object.freeze(el);
    }
    case 'v:': {
      try {
        return Object.freeze(valueElement(JSON.parse(rest)));
      } catch {
        throw new FieldPathError(`parsing JSON: ${JSON.stringify(rest)}`);
      }
    }
    case 'i:': {
      if (!/^-?[0-9]+$/.test(rest)) throw new FieldPathError(`parsing index: ${JSON.stringify(rest)}`);
      return Object.freeze(indexElement(Number(rest)));
    }
    default:
      throw new FieldPathError(`unknown path element type: ${JSON.stringify(key)}`);
  }
}

function typeRank(v: unknown): number {
  if (typeof v === 'number') return 0;
  if (typeof v === 'string') return 1;
  if (typeof v === 'boolean') return 2;
  if (Array.isArray(v)) return 3;
  if (v !== null && typeof v === 'object') return 4;
  return 5; // null sorts last, as upstream's value.Compare
}

/** A total order over JSON values: numbers < strings < bools < lists < maps < null. */
export function compareValues(a: unknown, b: unknown): number {
  const ra = typeRank(a);
  const rb = typeRank(b);
  if (ra !== rb) return ra - rb;
  switch (ra) {
    case 0:
      return (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0;
    case 1:
      return (a as string) < (b as string) ? -1 : (a as string) > (b as string) ? 1 : 0;
    case 2:
      return a === b ? 0 : a === false ? -1 : 1;
    case 3: {
      const la = a as unknown[];
      const lb = b as unknown[];
      for (let i = 0; i < Math.min(la.length, lb.length); i++) {
        const c = compareValues(la[i], lb[i]);
        if (c !== 0) return c;
      }
      return la.length - lb.length;
    }
    case 4: {
      const ka = Object.keys(a as object).sort();
      const kb = Object.keys(b as object).sort();
      for (let i = 0; i < Math.min(ka.length, kb.length); i++) {
        if (ka[i]! !== kb[i]!) return ka[i]! < kb[i]! ? -1 : 1;
        const c = compareValues((a as Record<string, unknown>)[ka[i]!], (b as Record<string, unknown>)[kb[i]!]);
        if (c !== 0) return c;
      }
      return ka.length - kb.length;
    }
    default:
      return 0;
  }
}

const kindRank = { field: 0, key: 1, value: 2, index: 3 } as const;

/** Upstream's PathElement order: fields by name, then keys, then values, then indexes. */
export function compareElements(a: PathElement, b: PathElement): number {
  if (a.kind !== b.kind) return kindRank[a.kind] - kindRank[b.kind];
  switch (a.kind) {
    case 'field': {
      const bn = (b as { name: string }).name;
      return a.name < bn ? -1 : a.name > bn ? 1 : 0;
    }
    case 'key': {
      const bf = (b as { fields: readonly (readonly [string, unknown])[] }).fields;
      if (a.fields.length !== bf.length) return a.fields.length - bf.length;
      for (let i = 0; i < a.fields.length; i++) {
        const [an, av] = a.fields[i]!;
        const [bn, bv] = bf[i]!;
        if (an !== bn) return an < bn ? -1 : 1;
        const c = compareValues(av, bv);
        if (c !== 0) return c;
      }
      return 0;
    }
    case 'value':
      return compareValues(a.value, (b as { value: unknown }).value);
    case 'index':
      return a.index - (b as { index: number }).index;
  }
}

/** How upstream prints a value inside a path: strings quoted, other scalars bare. */
function valueText(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (v === null) return 'null';
  if (typeof v === 'object') return canonicalJSON(v);
  return String(v);
}

/** One element as upstream prints paths in messages: `.name`, `[name="nginx"]`, `[="a"]`, `[0]`. */
export function elementString(e: PathElement): string {
  switch (e.kind) {
    case 'field':
      return `.${e.name}`;
    case 'key':
      return `[${e.fields.map(([n, v]) => `${n}=${valueText(v)}`).join(',')}]`;
    case 'value':
      return `[=${valueText(e.value)}]`;
    case 'index':
      return `[${e.index}]`;
  }
}

export function pathString(p: Path): string {
  return p.map(elementString).join('');
}
