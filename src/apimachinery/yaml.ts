/**
 * YAML as sigs.k8s.io/yaml reads it for the apiserver (go-yaml v2 underneath):
 *
 *  - `yamlToJSONValue` is YAMLToJSON: YAML 1.1 (yes/no/on/off are booleans, 0777 is
 *    octal; timestamps and base-60 numbers stay strings), one document, the last of a
 *    repeated key wins;
 *  - `yamlDuplicateKeys` / `yamlUnmarshalStrictError` are what YAMLToJSONStrict and
 *    UnmarshalStrict add: go-yaml's strict mode refuses a key a mapping names twice,
 *    `line 12: key "paused" already set in map`, where the line is that of the repeated
 *    key's value and the key is printed with Go's %#v (a string quoted, a number or bool
 *    bare). The complaints come in go-yaml's decoding order: depth first, a mapping's
 *    repeated key after everything inside its value.
 *  - `applyPatchStrictYAMLError` is the server-side apply check built on them.
 */
import YAML, { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, type Document, type Node, type Pair } from 'yaml';
import { goQuote } from './json.js';

// timestamp is dropped: go-yaml v2 into interface{} keeps timestamps as strings.
const DROPPED_YAML_TAGS = new Set(['tag:yaml.org,2002:timestamp']);

function parseOptions(lineCounter?: LineCounter): YAML.ParseOptions & YAML.DocumentOptions & YAML.SchemaOptions {
  return {
    version: '1.1',
    uniqueKeys: false,
    customTags: (tags) =>
      tags.filter((t) => {
        const tag = t as { tag?: string; format?: string };
        return !DROPPED_YAML_TAGS.has(tag.tag ?? '') && tag.format !== 'TIME';
      }),
    ...(lineCounter !== undefined ? { lineCounter } : {}),
  };
}

/** The one document of a request body as JSON-able data; throws Error("yaml: ...") as go-yaml words it. */
export function yamlToJSONValue(text: string): unknown {
  const docs = YAML.parseAllDocuments(text, parseOptions());
  if (!Array.isArray(docs)) throw new Error('yaml: unexpected document stream');
  if (docs.length > 1) throw new Error('yaml: multiple documents are not supported in a request body');
  const doc = docs[0];
  if (doc === undefined) return null;
  const first = doc.errors[0];
  if (first !== undefined) {
    const line = first.linePos?.[0]?.line;
    const msg = first.message.split(' at line ')[0]?.split('\n')[0] ?? first.message;
    throw new Error(line !== undefined ? `yaml: line ${line}: ${msg}` : `yaml: ${msg}`);
  }
  const value = doc.toJS({ maxAliasCount: 1000 }) as unknown;
  return toJSONable(value);
}

/** Coerces YAML values into what sigs.k8s.io/yaml's JSON would carry. */
function toJSONable(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (Array.isArray(v)) return v.map(toJSONable);
  if (v instanceof Map) {
    const out: Record<string, unknown> = {};
    for (const [k, val] of v) out[String(k)] = toJSONable(val);
    return out;
  }
  if (v instanceof Uint8Array) return Buffer.from(v).toString('base64');
  if (typeof v === 'number' && !Number.isFinite(v)) {
    throw new Error(`json: unsupported value: ${Number.isNaN(v) ? 'NaN' : v > 0 ? '+Inf' : '-Inf'}`);
  }
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, val] of Object.entries(v)) out[k] = toJSONable(val);
    return out;
  }
  return v;
}

const MAX_ALIAS_DEPTH = 100;

/** A key as go-yaml's map[interface{}]interface{} tells keys apart: by Go type and value. */
function keyIdentity(key: unknown): string | undefined {
  if (!isScalar(key)) return undefined; // complex keys: go-yaml fails on them before strictness matters
  const v = key.value;
  if (typeof v === 'number') {
    const float = /[.eE]|inf|nan/i.test(String(key.source ?? v));
    return `${float ? 'float' : 'int'}:${v}`;
  }
  return `${v === null ? 'null' : typeof v}:${String(v)}`;
}

/** Go's %#v of a scalar key. */
function keyText(key: unknown): string {
  const v = isScalar(key) ? key.value : key;
  if (v === null || v === undefined) return '<nil>';
  if (typeof v === 'string') return goQuote(v);
  return String(v);
}

function isMergeKey(pair: Pair): boolean {
  // The YAML 1.1 schema resolves a plain << to a symbol.
  return isScalar(pair.key) && typeof pair.key.value === 'symbol';
}

/**
 * go-yaml v2's strict complaints about repeated mapping keys in one YAML document,
 * each `line <n>: key <%#v> already set in map`; [] when there are none or the text is
 * not YAML (the non-strict decode reports that).
 */
export function yamlDuplicateKeys(text: string): string[] {
  const lc = new LineCounter();
  const docs = YAML.parseAllDocuments(text, parseOptions(lc));
  if (!Array.isArray(docs)) return [];
  const doc = docs[0];
  if (doc === undefined || doc.errors.length > 0) return [];
  const out: string[] = [];
  const lineOf = (n: Node | null | undefined, fallback: Node | null | undefined): number => {
    const at = (n ?? fallback)?.range?.[0];
    return at === undefined ? 0 : lc.linePos(at).line;
  };
  const walk = (n: unknown, depth: number): void => {
    if (depth > MAX_ALIAS_DEPTH) return;
    if (isAlias(n)) {
      walk(n.resolve(doc as Document), depth + 1);
      return;
    }
    if (isSeq(n)) {
      for (const item of n.items) walk(item, depth);
      return;
    }
    if (!isMap(n)) return;
    const seen = new Set<string>();
    const add = (pair: Pair, d: number): void => {
      if (isMergeKey(pair)) {
        // A merge key sets the merged mapping's keys here, as if written in place.
        const merged: unknown[] = isSeq(pair.value) ? pair.value.items : [pair.value];
        for (const m of merged) {
          const target = isAlias(m) ? m.resolve(doc as Document) : m;
          if (isMap(target) && d <= MAX_ALIAS_DEPTH) for (const p of target.items) if (isPair(p)) add(p, d + 1);
        }
        return;
      }
      walk(pair.value, d);
      const id = keyIdentity(pair.key);
      if (id === undefined) return;
      if (seen.has(id)) out.push(`line ${lineOf(pair.value as Node | null, pair.key as Node | null)}: key ${keyText(pair.key)} already set in map`);
      else seen.add(id);
    };
    for (const pair of n.items) add(pair, depth);
  };
  walk(doc.contents, 0);
  return out;
}

/** The error go-yaml's UnmarshalStrict returns for a body (`yaml: unmarshal errors:\n  line ...`), or undefined. */
export function yamlUnmarshalStrictError(text: string): string | undefined {
  const lines = yamlDuplicateKeys(text);
  return lines.length === 0 ? undefined : `yaml: unmarshal errors:\n  ${lines.join('\n  ')}`;
}

/**
 * The strict check of a server-side apply body (Content-Type application/apply-patch+yaml,
 * YAML or JSON text), as upstream's applyPatcher runs it under fieldValidation Strict or
 * Warn: undefined when the body names no key twice, else exactly
 *
 *   error strict decoding YAML: error converting YAML to JSON: yaml: unmarshal errors:
 *     line 10: key "paused" already set in map
 *     line 27: key "imagePullPolicy" already set in map
 *
 * (lines joined by "\n", each complaint indented two spaces). Under Strict upstream
 * answers it as a 400 BadRequest with this message; under Warn it sends one Warning per
 * complaint, `line 10: key "paused" already set in map` (see strictDecodingWarnings in
 * fieldvalidation.ts). A body that is not YAML at all gives undefined: the apply's own
 * decode (`error decoding YAML: ...`) reports it first.
 */
export function applyPatchStrictYAMLError(body: Uint8Array | string): string | undefined {
  const text = typeof body === 'string' ? body : Buffer.from(body).toString('utf8');
  const err = yamlUnmarshalStrictError(text);
  return err === undefined ? undefined : `error strict decoding YAML: error converting YAML to JSON: ${err}`;
}
