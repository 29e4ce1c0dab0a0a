/**
 * The protobuf wire format, read side: varints, 64-bit, length-delimited and 32-bit
 * values (https://protobuf.dev/programming-guides/encoding/). Groups (wire types 3/4)
 * are refused, as gogo's generated Unmarshal code refuses them.
 *
 * Error texts follow gogo's generated code and encoding/binary, because they end up in
 * the 400 a client sees: "unexpected EOF", "proto: integer overflow",
 * "proto: negative length found during unmarshaling", "proto: illegal wireType 7".
 */

export const WIRE_VARINT = 0;
export const WIRE_FIXED64 = 1;
export const WIRE_BYTES = 2;
export const WIRE_START_GROUP = 3;
export const WIRE_END_GROUP = 4;
export const WIRE_FIXED32 = 5;

/** A malformed protobuf message; the message is Go's text for the same failure. */
export class WireError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WireError';
  }
}

const TWO_32 = 0x1_0000_0000;

/** A cursor over one message's bytes. Reads throw WireError past the end. */
export class Reader {
  readonly buf: Uint8Array;
  pos: number;
  readonly end: number;

  constructor(buf: Uint8Array, start = 0, end = buf.length) {
    this.buf = buf;
    this.pos = start;
    this.end = end;
  }

  done(): boolean {
    return this.pos >= this.end;
  }

  /**
   * A varint as a JS number when it fits 53 bits exactly, else as a bigint (the 64-bit
   * pattern, unsigned). Callers narrow with toInt32/toInt64/...
   */
  varint(): number | bigint {
    let lo = 0;
    let shift = 0;
    let b = 0;
    // Fast path: up to 4 bytes (28 bits) stay in int32 arithmetic.
    for (let i = 0; i < 4; i++) {
      if (this.pos >= this.end) throw new WireError('unexpected EOF');
      b = this.buf[this.pos++] as number;
      lo |= (b & 0x7f) << shift;
      if (b < 0x80) return lo >>> 0;
      shift += 7;
    }
    let v = BigInt(lo >>> 0);
    let s = 28n;
    for (let i = 4; i < 10; i++) {
      if (this.pos >= this.end) throw new WireError('unexpected EOF');
      b = this.buf[this.pos++] as number;
      v |= BigInt(b & 0x7f) << s;
      if (b < 0x80) {
        v = BigInt.asUintN(64, v);
        return v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
      }
      s += 7n;
    }
    throw new WireError('proto: integer overflow');
  }

  /** A varint that must be a non-negative length or tag below 2^31. */
  uint32(): number {
    const v = this.varint();
    if (typeof v === 'bigint' || v > 0x7fffffff) throw new WireError('proto: integer overflow');
    return v;
  }

  /** Little-endian 64 bits as a bigint (unsigned). */
  fixed64(): bigint {
    if (this.pos + 8 > this.end) throw new WireError('unexpected EOF');
    const lo = this.fixed32Unchecked();
    const hi = this.fixed32Unchecked();
    return (BigInt(hi) << 32n) | BigInt(lo);
  }

  /** Little-endian 32 bits, unsigned. */
  fixed32(): number {
    if (this.pos + 4 > this.end) throw new WireError('unexpected EOF');
    return this.fixed32Unchecked();
  }

  private fixed32Unchecked(): number {
    const b = this.buf;
    const p = this.pos;
    this.pos += 4;
    return ((b[p] as number) | ((b[p + 1] as number) << 8) | ((b[p + 2] as number) << 16)) + (b[p + 3] as number) * 0x100_0000;
  }

  /** A length-delimited value: the bytes, as a view (not a copy). */
  bytes(): Uint8Array {
    const start = this.delimited();
    return this.buf.subarray(start, this.pos);
  }

  /**
   * Steps over a length-delimited value and returns where it starts; it ends at the
   * new `pos`. Cheaper than bytes() when the caller reads the range in place.
   */
  delimited(): number {
    const v = this.varint();
    if (typeof v === 'bigint' || v > 0x7fffffff) throw new WireError('proto: negative length found during unmarshaling');
    if (this.pos + v > this.end) throw new WireError('unexpected EOF');
    const start = this.pos;
    this.pos += v;
    return start;
  }

  /** Skips one value of the given wire type (the tag already read). */
  skip(wireType: number): void {
    switch (wireType) {
      case WIRE_VARINT:
        this.varint();
        return;
      case WIRE_FIXED64:
        if (this.pos + 8 > this.end) throw new WireError('unexpected EOF');
        this.pos += 8;
        return;
      case WIRE_BYTES:
        this.bytes();
        return;
      case WIRE_FIXED32:
        if (this.pos + 4 > this.end) throw new WireError('unexpected EOF');
        this.pos += 4;
        return;
      default:
        throw new WireError(`proto: illegal wireType ${wireType}`);
    }
  }
}

/** The value of a varint as Go's int32(x): the low 32 bits, signed. */
export function toInt32(v: number | bigint): number {
  if (typeof v === 'bigint') return Number(BigInt.asIntN(32, v));
  return v | 0;
}

/** The value of a varint as Go's uint32(x). */
export function toUint32(v: number | bigint): number {
  if (typeof v === 'bigint') return Number(BigInt.asUintN(32, v));
  return v % TWO_32;
}

/** Go's int64(x), as a JS number (exact below 2^53, rounded beyond, as JSON.parse does). */
export function toInt64(v: number | bigint): number {
  if (typeof v === 'bigint') return Number(BigInt.asIntN(64, v));
  return v;
}

/** Go's uint64(x), as a JS number. */
export function toUint64(v: number | bigint): number {
  return typeof v === 'bigint' ? Number(v) : v;
}

/** Zigzag-decoded 32-bit value (sint32). */
export function zigzag32(v: number | bigint): number {
  const u = toUint32(v);
  return u % 2 === 0 ? u / 2 : -(u + 1) / 2;
}

/** Zigzag-decoded 64-bit value (sint64), as a JS number. */
export function zigzag64(v: number | bigint): number {
  const u = BigInt.asUintN(64, BigInt(v));
  return Number((u >> 1n) ^ -(u & 1n));
}

/** IEEE-754 double from the 8 little-endian bytes of a fixed64 value. */
export function float64FromBits(v: bigint): number {
  const dv = new DataView(new ArrayBuffer(8));
  dv.setBigUint64(0, v, true);
  return dv.getFloat64(0, true);
}

/** IEEE-754 float from the 4 little-endian bytes of a fixed32 value. */
export function float32FromBits(v: number): number {
  const dv = new DataView(new ArrayBuffer(4));
  dv.setUint32(0, v, true);
  return dv.getFloat32(0, true);
}

/** Go string(bytes): invalid UTF-8 becomes U+FFFD once encoded as JSON, as here. */
export function decodeString(b: Uint8Array): string {
  return asBuffer(b).toString('utf8');
}

/** A Buffer view of the same memory (no copy). */
export function asBuffer(b: Uint8Array): Buffer {
  return Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength);
}

/**
 * The write side, for tests and fixtures: builds a message field by field. Only what
 * tests need: varints (non-negative numbers or bigints), fixed widths, bytes, strings
 * and nested messages.
 */
export class Writer {
  private chunks: number[] = [];

  tag(field: number, wireType: number): this {
    return this.rawVarint(BigInt(field * 8 + wireType));
  }

  rawVarint(v: bigint): this {
    let x = BigInt.asUintN(64, v);
    while (x > 0x7fn) {
      this.chunks.push(Number(x & 0x7fn) | 0x80);
      x >>= 7n;
    }
    this.chunks.push(Number(x));
    return this;
  }

  varint(field: number, v: number | bigint | boolean): this {
    const n = typeof v === 'boolean' ? (v ? 1n : 0n) : BigInt(v);
    return this.tag(field, WIRE_VARINT).rawVarint(n);
  }

  fixed64(field: number, v: bigint): this {
    this.tag(field, WIRE_FIXED64);
    let x = BigInt.asUintN(64, v);
    for (let i = 0; i < 8; i++) {
      this.chunks.push(Number(x & 0xffn));
      x >>= 8n;
    }
    return this;
  }

  fixed32(field: number, v: number): this {
    this.tag(field, WIRE_FIXED32);
    const x = v >>> 0;
    this.chunks.push(x & 0xff, (x >>> 8) & 0xff, (x >>> 16) & 0xff, (x >>> 24) & 0xff);
    return this;
  }

  bytes(field: number, b: Uint8Array | Writer): this {
    const data = b instanceof Writer ? b.finish() : b;
    this.tag(field, WIRE_BYTES).rawVarint(BigInt(data.length));
    for (const x of data) this.chunks.push(x);
    return this;
  }

  string(field: number, s: string): this {
    return this.bytes(field, Buffer.from(s, 'utf8'));
  }

  raw(b: Uint8Array): this {
    for (const x of b) this.chunks.push(x);
    return this;
  }

  finish(): Uint8Array {
    return Uint8Array.from(this.chunks);
  }
}
