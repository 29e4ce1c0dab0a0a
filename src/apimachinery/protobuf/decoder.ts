/**
 * Kubernetes protobuf bodies (Content-Type: application/vnd.kubernetes.protobuf) into
 * the JSON object the same request would carry as JSON: what Go's encoding/json writes
 * for the object the apiserver would decode.
 *
 * The body is the magic "k8s\0" then a runtime.Unknown: {1 typeMeta {1 apiVersion,
 * 2 kind}, 2 raw, 3 contentEncoding, 4 contentType}; raw is the object's message,
 * found by its group/version/kind in the schema (schema.ts).
 *
 * Zero values. gogo writes every non-pointer field, zero or not, and a pointer field
 * only when set; encoding/json drops zero fields tagged omitempty, always writes
 * structs (`status: {}`, `resources: {}`), and writes a set pointer even when it
 * points at zero (`replicas: 0`). The schema knows which fields are pointers
 * (gogoproto.nullable in the descriptors) and which lack omitempty (the Go struct
 * tags), so the result is what encoding/json writes, with one rule on top: null is
 * never written (a zero Time, an empty RawExtension, a nil list without omitempty),
 * the property is left out instead, as the JSON path's clients mostly do too.
 *   - pointer fields present on the wire are kept, whatever their value;
 *   - non-pointer scalars are dropped when zero unless their tag has no omitempty
 *     (`keep`: PriorityClass value: 0, Container name: "");
 *   - non-pointer structs are always written; so are the special types whose zero is a
 *     value (IntOrString 0, Quantity "0", Duration "0s");
 *   - lists and maps are written when non-empty (the wire cannot tell nil from empty);
 *   - list elements and map values are always written (null stays null there).
 * Map keys come out sorted, as encoding/json writes them; fields in Go struct order.
 */
import { JSONSyntaxError, parseJSON } from '../json.js';
import { messageNameFor, type ProtobufSchema, type SchemaField, type SchemaMessage, type SpecialKind } from './schema.js';
import {
  Reader,
  WIRE_BYTES,
  WIRE_END_GROUP,
  WIRE_FIXED32,
  WIRE_FIXED64,
  WIRE_VARINT,
  WireError,
  asBuffer,
  decodeString,
  float32FromBits,
  float64FromBits,
  toInt32,
  toInt64,
  toUint32,
  toUint64,
  zigzag32,
  zigzag64,
} from './wire.js';

/** "k8s\0": what every Kubernetes protobuf body starts with. */
export const PROTOBUF_MAGIC = Uint8Array.from([0x6b, 0x38, 0x73, 0x00]);

export const PROTOBUF_MEDIA_TYPE = 'application/vnd.kubernetes.protobuf';

export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

/**
 * Why a body could not be decoded:
 *   prefix        not a Kubernetes protobuf body (no magic)
 *   envelope      the runtime.Unknown around the object is malformed
 *   notRegistered no message for the envelope's group/version/kind
 *   message       the object's message is malformed
 *   unavailable   no schema (generated/protobuf/schema.json was not built)
 */
export type ProtobufDecodeReason = 'prefix' | 'envelope' | 'notRegistered' | 'message' | 'unavailable';

export class ProtobufDecodeError extends Error {
  readonly reason: ProtobufDecodeReason;
  /** The group/version/kind the body claimed, when the envelope was readable. */
  readonly gvk: GroupVersionKind | undefined;
  constructor(reason: ProtobufDecodeReason, message: string, gvk?: GroupVersionKind) {
    super(message);
    this.name = 'ProtobufDecodeError';
    this.reason = reason;
    this.gvk = gvk;
  }
}

// ---- compiled schema -------------------------------------------------------------

const enum Kind {
  Scalar,
  Bytes,
  Message,
  Map,
}

interface Field {
  readonly s: SchemaField;
  readonly json: string;
  readonly kind: Kind;
  readonly repeated: boolean;
  readonly ptr: boolean;
  readonly inline: boolean;
  /** No omitempty: a zero scalar is written. */
  readonly keep: boolean;
  /** The wire type a singular value of this field has. */
  readonly wire: number;
  /** Message type of a message field, or of a map's values. */
  msg: Message | undefined;
}

interface Message {
  readonly name: string;
  readonly short: string;
  readonly special: SpecialKind | undefined;
  readonly fields: Field[];
  /** Field number -> index in fields, -1 for none (numbers are small and dense). */
  readonly byNumber: number[];
}

function wireTypeOf(type: string): number {
  switch (type) {
    case 'string':
    case 'bytes':
    case 'message':
    case 'map':
      return WIRE_BYTES;
    case 'double':
    case 'fixed64':
    case 'sfixed64':
      return WIRE_FIXED64;
    case 'float':
    case 'fixed32':
    case 'sfixed32':
      return WIRE_FIXED32;
    default:
      return WIRE_VARINT;
  }
}

/** A decoder for one schema: compiles messages on first use, then decodes bodies. */
export class KubeProtobufDecoder {
  readonly schema: ProtobufSchema;
  private readonly compiled = new Map<string, Message>();

  constructor(schema: ProtobufSchema) {
    this.schema = schema;
  }

  /** The message name serving a group/version/kind, if any. */
  messageFor(gvk: GroupVersionKind): string | undefined {
    return messageNameFor(this.schema.messages, gvk);
  }

  /**
   * Decodes a whole body (magic + runtime.Unknown). `expected` fills an envelope
   * without apiVersion/kind (as upstream's decoder defaults them from the endpoint).
   * The result has `kind` and `apiVersion` first.
   */
  decode(body: Uint8Array, expected?: Partial<GroupVersionKind>): Record<string, unknown> {
    if (body.length < PROTOBUF_MAGIC.length || !PROTOBUF_MAGIC.every((b, i) => body[i] === b)) {
      throw new ProtobufDecodeError(
        'prefix',
        body.length === 0 ? 'empty data' : `provided data does not appear to be a protobuf message, expected prefix [${PROTOBUF_MAGIC.join(' ')}]`,
      );
    }
    let env: Envelope;
    try {
      env = readEnvelope(asBuffer(body).subarray(PROTOBUF_MAGIC.length));
    } catch (e) {
      if (e instanceof WireError) throw new ProtobufDecodeError('envelope', e.message);
      throw e;
    }
    const gvk = withDefaults(env.apiVersion, env.kind, expected);
    const name = this.messageFor(gvk);
    const gv = gvk.group === '' ? gvk.version : `${gvk.group}/${gvk.version}`;
    if (name === undefined) {
      throw new ProtobufDecodeError('notRegistered', `no kind ${JSON.stringify(gvk.kind)} is registered for version ${JSON.stringify(gv)} in scheme "pkg/runtime/scheme.go:100"`, gvk);
    }
    let obj: Record<string, unknown>;
    try {
      obj = this.decodeMessage(name, env.raw);
    } catch (e) {
      if (e instanceof WireError || e instanceof JSONSyntaxError) throw new ProtobufDecodeError('message', e.message, gvk);
      throw e;
    }
    const out: Record<string, unknown> = {};
    if (gvk.kind !== '') out['kind'] = gvk.kind;
    if (gv !== '') out['apiVersion'] = gv;
    for (const k of Object.keys(obj)) out[k] = obj[k];
    return out;
  }

  /** Decodes one message's bytes (no magic, no envelope) into its JSON object. */
  decodeMessage(name: string, bytes: Uint8Array): Record<string, unknown> {
    const m = this.message(name);
    if (m.special !== undefined) throw new Error(`${name} is a special type, not an object`);
    return this.object(m, asBuffer(bytes), 0, bytes.length);
  }

  private message(name: string): Message {
    const have = this.compiled.get(name);
    if (have !== undefined) return have;
    const sm: SchemaMessage | undefined = Object.hasOwn(this.schema.messages, name) ? this.schema.messages[name] : undefined;
    if (sm === undefined) throw new Error(`protobuf schema has no message ${name}`);
    const m: Message = {
      name,
      short: name.slice(name.lastIndexOf('.') + 1),
      special: sm.special,
      fields: [],
      byNumber: [],
    };
    this.compiled.set(name, m);
    for (const s of sm.fields) {
      const kind = s.type === 'map' ? Kind.Map : s.type === 'message' ? Kind.Message : s.type === 'bytes' ? Kind.Bytes : Kind.Scalar;
      const f: Field = {
        s,
        json: s.json,
        kind,
        repeated: s.repeated === true,
        ptr: s.ptr === true,
        inline: s.inline === true,
        keep: s.keep === true,
        wire: wireTypeOf(s.type),
        msg: undefined,
      };
      while (m.byNumber.length <= s.no) m.byNumber.push(-1);
      m.byNumber[s.no] = m.fields.length;
      m.fields.push(f);
    }
    // Message types resolve after registering this one, so recursive types terminate.
    for (const f of m.fields) if (f.s.ref !== undefined) f.msg = this.message(f.s.ref);
    return m;
  }

  // ---- objects -------------------------------------------------------------------
  //
  // Messages are read in place: (buf, start, end) ranges of the body, never copies,
  // except when a message field occurs twice and its parts are concatenated (merged).

  private object(m: Message, buf: Buffer, start: number, end: number): Record<string, unknown> {
    const n = m.fields.length;
    // Per field: the last scalar; a list; a map; a bytes field's start; or a singular
    // message's start (its end in `ends`) or merged bytes.
    const values: unknown[] = new Array<unknown>(n);
    let ends: number[] | undefined;
    const r = new Reader(buf, start, end);
    while (r.pos < end) {
      const tag = r.uint32();
      const no = tag >>> 3;
      const wt = tag & 7;
      if (no === 0) throw new WireError(`proto: ${m.short}: illegal tag 0 (wire type ${wt})`);
      if (wt === WIRE_END_GROUP) throw new WireError(`proto: ${m.short}: wiretype end group for non-group`);
      const i = no < m.byNumber.length ? m.byNumber[no] : undefined;
      if (i === undefined || i < 0) {
        r.skip(wt);
        continue;
      }
      const f = m.fields[i] as Field;
      if (f.kind === Kind.Map) {
        if (wt !== WIRE_BYTES) throw wrongWireType(f, wt);
        let map = values[i] as Map<string, unknown> | undefined;
        if (map === undefined) values[i] = map = new Map<string, unknown>();
        const s = r.delimited();
        this.mapEntry(f, buf, s, r.pos, map);
        continue;
      }
      if (f.repeated) {
        let list = values[i] as unknown[] | undefined;
        if (list === undefined) values[i] = list = [];
        if (f.kind === Kind.Scalar && wt === WIRE_BYTES && f.wire !== WIRE_BYTES) {
          // Packed scalars.
          const s = r.delimited();
          const pr = new Reader(buf, s, r.pos);
          while (!pr.done()) list.push(readScalar(pr, f.s.type));
          continue;
        }
        if (wt !== f.wire) throw wrongWireType(f, wt);
        if (f.kind === Kind.Message) {
          const s = r.delimited();
          list.push(this.value(f.msg as Message, buf, s, r.pos));
        } else if (f.kind === Kind.Bytes) {
          const s = r.delimited();
          list.push(buf.toString('base64', s, r.pos));
        } else {
          list.push(readScalar(r, f.s.type));
        }
        continue;
      }
      if (wt !== f.wire) throw wrongWireType(f, wt);
      if (f.kind === Kind.Message) {
        const s = r.delimited();
        const prev = values[i];
        if (prev === undefined) {
          values[i] = s;
          (ends ??= new Array<number>(n))[i] = r.pos;
        } else {
          // A message field seen twice merges, which for protobuf is decoding the concatenation.
          const before = typeof prev === 'number' ? buf.subarray(prev, (ends as number[])[i]) : (prev as Buffer);
          values[i] = Buffer.concat([before, buf.subarray(s, r.pos)]);
        }
      } else if (f.kind === Kind.Bytes) {
        const s = r.delimited();
        values[i] = s;
        (ends ??= new Array<number>(n))[i] = r.pos;
      } else {
        values[i] = readScalar(r, f.s.type);
      }
    }

    const out: Record<string, unknown> = {};
    for (let i = 0; i < n; i++) {
      const f = m.fields[i] as Field;
      const v = values[i];
      switch (f.kind) {
        case Kind.Scalar:
          if (f.repeated) {
            if (v !== undefined && (v as unknown[]).length > 0) out[f.json] = v;
          } else if (v !== undefined) {
            if (f.ptr || f.keep || !isZeroScalar(v)) out[f.json] = v;
          } else if (f.keep) {
            out[f.json] = zeroScalar(f.s.type);
          }
          break;
        case Kind.Bytes:
          if (f.repeated) {
            if (v !== undefined && (v as unknown[]).length > 0) out[f.json] = v;
          } else if (v !== undefined) {
            const e = (ends as number[])[i] as number;
            if (e > (v as number) || f.keep) out[f.json] = buf.toString('base64', v as number, e);
          }
          break;
        case Kind.Map: {
          const map = v as Map<string, unknown> | undefined;
          if (map !== undefined && map.size > 0) out[f.json] = sortedObject(map);
          break;
        }
        case Kind.Message: {
          if (f.repeated) {
            if (v !== undefined && (v as unknown[]).length > 0) out[f.json] = v;
            break;
          }
          if (v === undefined && f.ptr) break;
          let b = buf;
          let s = 0;
          let e = 0;
          if (typeof v === 'number') {
            s = v;
            e = (ends as number[])[i] as number;
          } else if (v !== undefined) {
            b = v as Buffer;
            e = b.length;
          }
          const msg = f.msg as Message;
          if (msg.special !== undefined) {
            const sv = this.special(msg, b, s, e);
            if (sv !== null) out[f.json] = sv;
          } else if (f.inline) {
            const inner = this.object(msg, b, s, e);
            for (const k in inner) out[k] = inner[k];
          } else {
            out[f.json] = this.object(msg, b, s, e);
          }
          break;
        }
      }
    }
    return out;
  }

  /** A message value in a list or a map. */
  private value(m: Message, buf: Buffer, start: number, end: number): unknown {
    if (m.special === undefined) return this.object(m, buf, start, end);
    return this.special(m, buf, start, end);
  }

  private mapEntry(f: Field, buf: Buffer, start: number, end: number, map: Map<string, unknown>): void {
    const keyType = f.s.key ?? 'string';
    const valueType = f.s.value ?? 'string';
    let key: unknown;
    let value: unknown;
    let vs = 0;
    let ve = 0;
    let merged: Buffer | undefined;
    let seen = false;
    const r = new Reader(buf, start, end);
    while (r.pos < end) {
      const tag = r.uint32();
      const no = tag >>> 3;
      const wt = tag & 7;
      if (no === 1) {
        if (wt !== wireTypeOf(keyType)) throw new WireError(`proto: wrong wireType = ${wt} for field ${f.s.json} key`);
        if (keyType === 'string') {
          const s = r.delimited();
          key = buf.toString('utf8', s, r.pos);
        } else key = readScalar(r, keyType);
      } else if (no === 2) {
        if (wt !== wireTypeOf(valueType)) throw new WireError(`proto: wrong wireType = ${wt} for field ${f.s.json} value`);
        if (valueType === 'message') {
          const s = r.delimited();
          if (seen) merged = Buffer.concat([merged ?? buf.subarray(vs, ve), buf.subarray(s, r.pos)]);
          vs = s;
          ve = r.pos;
          seen = true;
        } else if (valueType === 'bytes') {
          const s = r.delimited();
          value = buf.toString('base64', s, r.pos);
        } else if (valueType === 'string') {
          const s = r.delimited();
          value = buf.toString('utf8', s, r.pos);
        } else value = readScalar(r, valueType);
      } else {
        r.skip(wt);
      }
    }
    if (valueType === 'message') {
      value = merged !== undefined ? this.value(f.msg as Message, merged, 0, merged.length) : this.value(f.msg as Message, buf, vs, ve);
    } else if (value === undefined) value = zeroScalar(valueType);
    if (key === undefined) key = zeroScalar(keyType);
    map.set(String(key), value);
  }

  // ---- special types -------------------------------------------------------------

  /** The JSON of a special message, as its Go type's MarshalJSON writes it (null included). */
  private special(m: Message, buf: Buffer, start: number, end: number): unknown {
    switch (m.special) {
      case 'time':
      case 'microtime': {
        // metav1.Time marshals its zero value as no bytes at all; JSON shows it as null.
        if (end === start) return null;
        const { a: seconds, b: nanos } = readPair(buf, start, end);
        return formatTime(seconds, nanos, m.special === 'microtime');
      }
      case 'duration':
        return goDuration(readDuration(buf, start, end));
      case 'quantity': {
        // A zero Quantity prints as "0".
        const s = readString(buf, start, end, 1);
        return s === '' ? '0' : s;
      }
      case 'intorstring': {
        let type = 0;
        let intVal = 0;
        let strVal = '';
        const r = new Reader(buf, start, end);
        while (r.pos < end) {
          const tag = r.uint32();
          const no = tag >>> 3;
          const wt = tag & 7;
          if (no === 1 && wt === WIRE_VARINT) type = toInt64(r.varint());
          else if (no === 2 && wt === WIRE_VARINT) intVal = toInt32(r.varint());
          else if (no === 3 && wt === WIRE_BYTES) {
            const s = r.delimited();
            strVal = buf.toString('utf8', s, r.pos);
          } else if (no >= 1 && no <= 3) throw new WireError(`proto: wrong wireType = ${wt} for field ${['Type', 'IntVal', 'StrVal'][no - 1]}`);
          else r.skip(wt);
        }
        return type === 1 ? strVal : intVal;
      }
      case 'rawjson': {
        const raw = readBytes(buf, start, end, 1);
        if (raw === undefined || raw.length === 0) return null;
        if (raw.length >= PROTOBUF_MAGIC.length && PROTOBUF_MAGIC.every((b, i) => raw[i] === b)) {
          try {
            return this.decode(raw);
          } catch (e) {
            if (e instanceof ProtobufDecodeError) throw new WireError(`embedded object: ${e.message}`);
            throw e;
          }
        }
        return parseJSON(raw);
      }
      case 'list': {
        const items: string[] = [];
        const r = new Reader(buf, start, end);
        while (r.pos < end) {
          const tag = r.uint32();
          if (tag >>> 3 === 1 && (tag & 7) === WIRE_BYTES) {
            const s = r.delimited();
            items.push(buf.toString('utf8', s, r.pos));
          } else if (tag >>> 3 === 1) throw new WireError(`proto: wrong wireType = ${tag & 7} for field Items`);
          else r.skip(tag & 7);
        }
        // A nil slice: nothing on the wire tells it from an empty one.
        return items.length === 0 ? null : items;
      }
      default:
        return this.object(m, buf, start, end);
    }
  }
}

// ---- envelope ----------------------------------------------------------------------

interface Envelope {
  apiVersion: string;
  kind: string;
  raw: Buffer;
}

function readEnvelope(buf: Buffer): Envelope {
  const env: Envelope = { apiVersion: '', kind: '', raw: buf.subarray(0, 0) };
  const r = new Reader(buf);
  while (!r.done()) {
    const tag = r.uint32();
    const no = tag >>> 3;
    const wt = tag & 7;
    if (no === 1 && wt === WIRE_BYTES) {
      const tm = new Reader(r.bytes());
      while (!tm.done()) {
        const t = tm.uint32();
        if (t >>> 3 === 1 && (t & 7) === WIRE_BYTES) env.apiVersion = decodeString(tm.bytes());
        else if (t >>> 3 === 2 && (t & 7) === WIRE_BYTES) env.kind = decodeString(tm.bytes());
        else tm.skip(t & 7);
      }
    } else if (no === 2 && wt === WIRE_BYTES) {
      env.raw = asBuffer(r.bytes());
    } else if (no >= 1 && no <= 4 && wt !== WIRE_BYTES) {
      throw new WireError(`proto: wrong wireType = ${wt} for field ${['TypeMeta', 'Raw', 'ContentEncoding', 'ContentType'][no - 1]}`);
    } else {
      // contentEncoding and contentType: clients send neither; upstream ignores them too.
      r.skip(wt);
    }
  }
  return env;
}

/** upstream gvkWithDefaults: fill the kind, then the group/version, from the endpoint. */
function withDefaults(apiVersion: string, kind: string, expected: Partial<GroupVersionKind> | undefined): GroupVersionKind {
  let group = '';
  let version = '';
  const parts = apiVersion.split('/');
  if (apiVersion === '' || apiVersion === '/') {
    // neither
  } else if (parts.length === 1) {
    version = apiVersion;
  } else if (parts.length === 2) {
    group = parts[0] ?? '';
    version = parts[1] ?? '';
  } else {
    throw new ProtobufDecodeError('envelope', `unexpected GroupVersion string: ${apiVersion}`);
  }
  const out = { group, version, kind };
  if (out.kind === '') out.kind = expected?.kind ?? '';
  if (out.version === '' && out.group === '') {
    out.group = expected?.group ?? '';
    out.version = expected?.version ?? '';
  }
  if (out.version === '' && out.group === (expected?.group ?? '')) out.version = expected?.version ?? '';
  return out;
}

// ---- helpers -----------------------------------------------------------------------

function wrongWireType(f: Field, wt: number): WireError {
  return new WireError(`proto: wrong wireType = ${wt} for field ${f.json === '' ? (f.s.ref ?? '') : f.json}`);
}

function isZeroScalar(v: unknown): boolean {
  return v === 0 || v === '' || v === false;
}

function zeroScalar(type: string): unknown {
  return type === 'string' ? '' : type === 'bool' ? false : 0;
}

function readScalar(r: Reader, type: string): unknown {
  switch (type) {
    case 'string': {
      const s = r.delimited();
      return asBuffer(r.buf).toString('utf8', s, r.pos);
    }
    case 'bool':
      return r.varint() !== 0;
    case 'int32':
    case 'enum':
      return toInt32(r.varint());
    case 'int64':
      return toInt64(r.varint());
    case 'uint32':
      return toUint32(r.varint());
    case 'uint64':
      return toUint64(r.varint());
    case 'sint32':
      return zigzag32(r.varint());
    case 'sint64':
      return zigzag64(r.varint());
    case 'fixed32':
      return r.fixed32();
    case 'sfixed32':
      return r.fixed32() | 0;
    case 'float':
      return float32FromBits(r.fixed32());
    case 'fixed64':
      return Number(r.fixed64());
    case 'sfixed64':
      return Number(BigInt.asIntN(64, r.fixed64()));
    case 'double':
      return float64FromBits(r.fixed64());
    default:
      throw new WireError(`proto: unsupported field type ${type}`);
  }
}

function sortedObject(map: Map<string, unknown>): Record<string, unknown> {
  const keys = [...map.keys()].sort(compareGoStrings);
  const out: Record<string, unknown> = {};
  for (const k of keys) out[k] = map.get(k);
  return out;
}

/** Go compares strings bytewise (UTF-8); JS's default sort compares UTF-16 units. */
function compareGoStrings(a: string, b: string): number {
  if (a === b) return 0;
  // Same order unless a surrogate pair meets a BMP character at or above U+E000.
  // eslint-disable-next-line no-control-regex
  if (/^[\u0000-\ud7ff]*$/.test(a) && /^[\u0000-\ud7ff]*$/.test(b)) return a < b ? -1 : 1;
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** Time/MicroTime {1 seconds int64, 2 nanos int32}. */
function readPair(buf: Buffer, start: number, end: number): { a: number; b: number } {
  let a = 0;
  let b = 0;
  const r = new Reader(buf, start, end);
  while (r.pos < end) {
    const tag = r.uint32();
    const no = tag >>> 3;
    const wt = tag & 7;
    if ((no === 1 || no === 2) && wt !== WIRE_VARINT) throw new WireError(`proto: wrong wireType = ${wt} for field ${no === 1 ? 'Seconds' : 'Nanos'}`);
    if (no === 1) a = toInt64(r.varint());
    else if (no === 2) b = toInt32(r.varint());
    else r.skip(wt);
  }
  return { a, b };
}

/** Duration {1 duration int64}, exact. */
function readDuration(buf: Buffer, start: number, end: number): bigint {
  let d = 0n;
  const r = new Reader(buf, start, end);
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag >>> 3 === 1 && (tag & 7) !== WIRE_VARINT) throw new WireError(`proto: wrong wireType = ${tag & 7} for field Duration`);
    if (tag >>> 3 === 1) d = BigInt.asIntN(64, BigInt(r.varint()));
    else r.skip(tag & 7);
  }
  return d;
}

function readString(buf: Buffer, start: number, end: number, no: number): string {
  const b = readBytes(buf, start, end, no);
  return b === undefined ? '' : b.toString('utf8');
}

function readBytes(buf: Buffer, start: number, end: number, no: number): Buffer | undefined {
  let out: Buffer | undefined;
  const r = new Reader(buf, start, end);
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag >>> 3 === no) {
      if ((tag & 7) !== WIRE_BYTES) throw new WireError(`proto: wrong wireType = ${tag & 7} for field ${no}`);
      const s = r.delimited();
      out = buf.subarray(s, r.pos);
    } else r.skip(tag & 7);
  }
  return out;
}

/** RFC 3339 in UTC as metav1.Time (whole seconds) or MicroTime (6 digits) marshal it. */
export function formatTime(seconds: number, nanos: number, micro: boolean): string {
  // time.Unix normalizes nanos into [0, 1e9).
  let sec = seconds + Math.floor(nanos / 1e9);
  const ns = ((nanos % 1e9) + 1e9) % 1e9;
  const days = Math.floor(sec / 86400);
  sec -= days * 86400;
  // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  if (!Number.isFinite(year) || year < 0 || year > 9999) throw new WireError('Time.MarshalJSON: year outside of range [0,9999]');
  const hh = Math.floor(sec / 3600);
  const mm = Math.floor((sec % 3600) / 60);
  const ss = sec % 60;
  const base = `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}T${pad(hh, 2)}:${pad(mm, 2)}:${pad(ss, 2)}`;
  return micro ? `${base}.${pad(Math.floor(ns / 1000), 6)}Z` : `${base}Z`;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** Go's time.Duration.String(): "0s", "1.5s", "2m0s", "1h0m0s", "300ms", "1µs", "5ns". */
export function goDuration(ns: bigint): string {
  if (ns === 0n) return '0s';
  const neg = ns < 0n;
  let u = neg ? -ns : ns;
  let out: string;
  if (u < 1_000_000_000n) {
    if (u < 1000n) out = `${u}ns`;
    else if (u < 1_000_000n) out = `${fraction(u, 1000n)}µs`;
    else out = `${fraction(u, 1_000_000n)}ms`;
  } else {
    const h = u / 3_600_000_000_000n;
    u %= 3_600_000_000_000n;
    const m = u / 60_000_000_000n;
    u %= 60_000_000_000n;
    out = `${fraction(u, 1_000_000_000n)}s`;
    if (h > 0n) out = `${h}h${m}m${out}`;
    else if (m > 0n) out = `${m}m${out}`;
  }
  return neg ? `-${out}` : out;
}

function fraction(v: bigint, unit: bigint): string {
  const whole = v / unit;
  const rest = v % unit;
  if (rest === 0n) return `${whole}`;
  const digits = String(unit).length - 1;
  return `${whole}.${String(rest).padStart(digits, '0').replace(/0+$/, '')}`;
}
