/**
 * The JSON of an empty Go object of a built-in kind (what upstream's field manager
 * compares a create against): structs that are not pointers are present (`spec: {}`,
 * `strategy: {}`), zero times are null (`creationTimestamp: null`), slices and maps
 * without omitempty are null (`containers: null`), non-omitempty scalars are zero.
 * Read from the protobuf schema the build extracts from kubectl (generated/protobuf),
 * which records pointers and omitempty per field. Undefined without that schema.
 */
import { defaultDecoder } from '../protobuf/load.js';
import { messageNameFor, type ProtobufSchema, type SchemaField, type SchemaMessage } from '../protobuf/schema.js';

const zeroScalar: Partial<Record<SchemaField['type'], unknown>> = {
  string: '',
  bool: false,
  bytes: null,
};

function specialZero(kind: SchemaMessage['special']): unknown {
  switch (kind) {
    case 'quantity':
      return '0';
    case 'intorstring':
      return 0;
    case 'duration':
      return '0s';
    default:
      // time, microtime, raw JSON and named lists all write null when zero
      return null;
  }
}

function zeroMessage(messages: ProtobufSchema['messages'], name: string, depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const m = messages[name];
  if (m === undefined || depth > 16) return out;
  for (const f of m.fields) {
    if (f.inline === true && f.ref !== undefined) {
      Object.assign(out, zeroMessage(messages, f.ref, depth + 1));
      continue;
    }
    if (f.type === 'map' || f.repeated === true) {
      if (f.keepNull === true) out[f.json] = null;
      continue;
    }
    if (f.ptr === true) continue;
    if (f.type === 'message' && f.ref !== undefined) {
      const ref = messages[f.ref];
      out[f.json] = ref?.special !== undefined ? specialZero(ref.special) : zeroMessage(messages, f.ref, depth + 1);
      continue;
    }
    if (f.keep === true) out[f.json] = f.type in zeroScalar ? zeroScalar[f.type] : 0;
  }
  return out;
}

const cache = new Map<string, Record<string, unknown> | undefined>();

function deepFreeze<T>(v: T): T {
  if (v !== null && typeof v === 'object') {
    for (const x of Object.values(v)) deepFreeze(x);
    Object.freeze(v);
  }
  return v;
}

/**
 * The empty object of a kind, or undefined when the schema is unavailable. Shared and
 * frozen: clone it before changing it.
 */
export function zeroObject(group: string, version: string, kind: string): Readonly<Record<string, unknown>> | undefined {
  const key = `${group}/${version}/${kind}`;
  if (!cache.has(key)) {
    // The schema the protobuf body decoder loaded (read once per process, shared).
    const s = defaultDecoder()?.schema;
    const name = s === undefined ? undefined : messageNameFor(s.messages, { group, version, kind });
    cache.set(key, s === undefined || name === undefined ? undefined : deepFreeze(zeroMessage(s.messages, name, 0)));
  }
  return cache.get(key);
}
