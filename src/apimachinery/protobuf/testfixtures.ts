/**
 * Test support (not a test): where the captured kubectl bodies live and how their
 * expected JSON is normalized. testdata/<case>.pb is a body kubectl sent;
 * testdata/<case>.json is what the decoder must produce for it.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ProtobufSchema, SchemaField } from './schema.js';
import { PROTOBUF_MAGIC } from './decoder.js';
import { Writer } from './wire.js';

/** src/apimachinery/protobuf/testdata, found from the source or the compiled module. */
export function fixturesDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return join(dir, 'src', 'apimachinery', 'protobuf', 'testdata');
    const up = dirname(dir);
    if (up === dir) throw new Error('no package.json above the protobuf tests');
    dir = up;
  }
}

/** A JSON value without its null-valued object properties (the decoder leaves them out). */
export { dropNulls } from '../json.js';


/**
 * The inverse of the decoder, for tests and benchmarks only: a Go-shaped JSON object
 * into the protobuf body gogo would write (magic + runtime.Unknown). It follows the
 * same schema, so a round trip checks consistency, not upstream truth (kubectl.test.ts
 * does that).
 */
export function encodeForTest(schema: ProtobufSchema, message: string, obj: Record<string, unknown>): Uint8Array {
  const apiVersion = typeof obj['apiVersion'] === 'string' ? obj['apiVersion'] : '';
  const kind = typeof obj['kind'] === 'string' ? obj['kind'] : '';
  const unk = new Writer().bytes(1, new Writer().string(1, apiVersion).string(2, kind)).bytes(2, encodeMessage(schema, message, obj));
  return Uint8Array.from([...PROTOBUF_MAGIC, ...unk.finish()]);
}

function encodeMessage(schema: ProtobufSchema, name: string, obj: unknown): Writer {
  const m = schema.messages[name];
  if (m === undefined) throw new Error(`no message ${name}`);
  const w = new Writer();
  if (m.special !== undefined) return encodeSpecial(m.special, obj);
  const o = obj as Record<string, unknown>;
  for (const f of m.fields) {
    if (f.inline === true) {
      w.bytes(f.no, encodeMessage(schema, f.ref as string, o));
      continue;
    }
    const v = o[f.json];
    if (v === undefined || v === null) continue;
    if (f.type === 'map') {
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
        const e = new Writer().string(1, k);
        encodeValue(schema, e, { no: 2, json: '', type: f.value ?? 'string', ref: f.ref } as SchemaField, x);
        w.bytes(f.no, e);
      }
    } else if (f.repeated === true) {
      for (const x of v as unknown[]) encodeValue(schema, w, f, x);
    } else {
      encodeValue(schema, w, f, v);
    }
  }
  return w;
}

function encodeValue(schema: ProtobufSchema, w: Writer, f: SchemaField, v: unknown): void {
  switch (f.type) {
    case 'string':
      w.string(f.no, v as string);
      return;
    case 'bytes':
      w.bytes(f.no, Buffer.from(v as string, 'base64'));
      return;
    case 'bool':
      w.varint(f.no, v as boolean);
      return;
    case 'message':
      w.bytes(f.no, encodeMessage(schema, f.ref as string, v));
      return;
    default:
      w.varint(f.no, BigInt(v as number));
  }
}

function encodeSpecial(kind: string, v: unknown): Writer {
  const w = new Writer();
  switch (kind) {
    case 'time':
    case 'microtime': {
      const ms = Date.parse(v as string);
      const frac = /\.(\d+)Z$/.exec(v as string)?.[1] ?? '';
      return w.varint(1, Math.floor(ms / 1000)).varint(2, Number(frac.padEnd(9, '0').slice(0, 9) || '0'));
    }
    case 'quantity':
      return w.string(1, v as string);
    case 'intorstring':
      return typeof v === 'string' ? w.varint(1, 1).varint(2, 0).string(3, v) : w.varint(1, 0).varint(2, BigInt(v as number)).string(3, '');
    case 'rawjson':
      return w.bytes(1, Buffer.from(JSON.stringify(v)));
    case 'list':
      for (const s of v as string[]) w.string(1, s);
      return w;
    default:
      throw new Error(`cannot encode ${kind} (duration is not used by the test objects)`);
  }
}
