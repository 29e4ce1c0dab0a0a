/**
 * Reads what a Go binary built with Kubernetes' client libraries (kubectl) carries
 * about the protobuf encoding of the API types:
 *
 * - the FileDescriptorProtos of every generated.proto, which gogo-protobuf registers as
 *   gzip blobs (proto.RegisterFile("k8s.io/api/core/v1/generated.proto", <gzip>));
 * - the Go struct tags of the API types (`json:"name,omitempty" protobuf:"bytes,1,opt,
 *   name=name"`), which Go keeps for reflection. They are the only place that says a
 *   field is embedded with `json:",inline"` (Volume.volumeSource, ...) or that its JSON
 *   name is not its proto name (IngressClassParametersReference.aPIGroup is "apiGroup").
 *
 * Pure functions over the binary's bytes; the build script does the file I/O.
 */
import zlib from 'node:zlib';
import { parseFileDescriptor, type FileDescriptor } from './descriptor.js';

export interface ExtractedDescriptor {
  /** Offset of the gzip member in the binary. */
  offset: number;
  descriptor: FileDescriptor;
  /** The uncompressed FileDescriptorProto. */
  bytes: Uint8Array;
}

const GZIP_MAGIC = Buffer.from([0x1f, 0x8b, 0x08]);

let crcTable: Uint32Array | undefined;

/** CRC-32 (IEEE), as gzip's trailer has it: zlib.crc32 where Node has it (20.15+). */
function crc32(data: Uint8Array): number {
  const native = (zlib as { crc32?: (d: Uint8Array) => number }).crc32;
  if (native !== undefined) return native(data);
  if (crcTable === undefined) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let c = 0xffffffff;
  for (const b of data) c = (crcTable[(c ^ b) & 0xff] as number) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
const FHCRC = 2;
const FEXTRA = 4;
const FNAME = 8;
const FCOMMENT = 16;
/** The largest member inflated; core/v1's descriptor is ~75 KB uncompressed, ~20 KB gzipped. */
const MAX_MEMBER = 1 << 20;

/** Where the deflate stream of a gzip member at `at` starts, or -1 when the header is not plausible. */
function gzipBodyStart(buf: Uint8Array, at: number): number {
  const flags = buf[at + 3];
  if (flags === undefined || (flags & 0xe0) !== 0) return -1;
  let p = at + 10;
  if (flags & FEXTRA) {
    if (p + 2 > buf.length) return -1;
    p += 2 + ((buf[p] as number) | ((buf[p + 1] as number) << 8));
  }
  for (const bit of [FNAME, FCOMMENT]) {
    if (flags & bit) {
      while (p < buf.length && buf[p] !== 0) p++;
      p++;
    }
  }
  if (flags & FHCRC) p += 2;
  return p < buf.length ? p : -1;
}

/**
 * One gzip member at `at`, inflated, checked against its CRC-32 and length trailer
 * (so a false match of the magic bytes is never taken for data), or undefined.
 */
export function gunzipMemberAt(buf: Uint8Array, at: number): Uint8Array | undefined {
  const start = gzipBodyStart(buf, at);
  if (start < 0) return undefined;
  let out: { buffer: Buffer; engine: { bytesWritten: number } };
  try {
    out = zlib.inflateRawSync(buf.subarray(start, Math.min(buf.length, start + MAX_MEMBER)), {
      finishFlush: zlib.constants.Z_SYNC_FLUSH,
      info: true,
    }) as unknown as { buffer: Buffer; engine: { bytesWritten: number } };
  } catch {
    return undefined;
  }
  const trailer = start + out.engine.bytesWritten;
  if (trailer + 8 > buf.length) return undefined;
  const view = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  const crc = view.readUInt32LE(trailer);
  const size = view.readUInt32LE(trailer + 4);
  if (size !== out.buffer.length >>> 0 || crc !== crc32(out.buffer)) return undefined;
  return out.buffer;
}

/**
 * Every gzip member of `buf` that inflates to a FileDescriptorProto whose name passes
 * `accept` (by default: Kubernetes' generated.proto files). When the same file occurs
 * twice, the first is kept.
 */
export function extractFileDescriptors(
  buf: Uint8Array,
  accept: (name: string) => boolean = (n) => n.startsWith('k8s.io/') && n.endsWith('/generated.proto'),
): ExtractedDescriptor[] {
  const out: ExtractedDescriptor[] = [];
  const seen = new Set<string>();
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  let at = 0;
  while ((at = b.indexOf(GZIP_MAGIC, at)) !== -1) {
    const data = gunzipMemberAt(buf, at);
    // A FileDescriptorProto starts with field 1 (name), length-delimited: 0x0a.
    if (data !== undefined && data[0] === 0x0a) {
      let descriptor: FileDescriptor | undefined;
      try {
        descriptor = parseFileDescriptor(data);
      } catch {
        descriptor = undefined;
      }
      if (descriptor !== undefined && accept(descriptor.name) && !seen.has(descriptor.name)) {
        seen.add(descriptor.name);
        out.push({ offset: at, descriptor, bytes: data });
      }
    }
    at += GZIP_MAGIC.length;
  }
  return out;
}

/** One Go struct tag's json and protobuf parts. */
export interface GoFieldTag {
  /** The json tag's name part: "" for `json:",inline"`, "-" for an ignored field. */
  json: string;
  inline: boolean;
  omitempty: boolean;
  /** From the protobuf tag: "bytes", "varint", ... */
  wire: string;
  number: number;
  /** The name= part of the protobuf tag; undefined when the tag has none. */
  protoName: string | undefined;
}

const JSON_TAG = Buffer.from('json:"');

/** Parses `json:"..." protobuf:"..."` (other keys ignored); undefined unless both are present. */
export function parseGoTag(tag: string): GoFieldTag | undefined {
  const json = /(?:^|\s)json:"([^"]*)"/.exec(tag);
  const pb = /(?:^|\s)protobuf:"([^"]*)"/.exec(tag);
  if (json === null || pb === null || json[1] === undefined || pb[1] === undefined) return undefined;
  const jsonParts = json[1].split(',');
  const pbParts = pb[1].split(',');
  const number = Number(pbParts[1]);
  if (!Number.isInteger(number) || number <= 0) return undefined;
  // Tags from proto3 code (gnostic, grpc) describe other messages than the API types.
  if (pbParts.includes('proto3')) return undefined;
  const name = pbParts.find((p) => p.startsWith('name='));
  return {
    json: jsonParts[0] ?? '',
    inline: jsonParts.slice(1).includes('inline'),
    omitempty: jsonParts.slice(1).includes('omitempty'),
    wire: pbParts[0] ?? '',
    number,
    protoName: name === undefined ? undefined : name.slice('name='.length),
  };
}

/**
 * The Go struct tags in a Go binary that carry both a json and a protobuf key. Go
 * stores a field's tag in its reflect name data as <varint length><bytes>, so a
 * candidate is taken only when the byte(s) before `json:"` give a length whose last
 * byte is the closing quote. Go's linker stores equal strings once, so this is a set.
 */
export function scanGoTags(buf: Uint8Array): GoFieldTag[] {
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  const seen = new Set<string>();
  const out: GoFieldTag[] = [];
  let at = 0;
  while ((at = b.indexOf(JSON_TAG, at)) !== -1) {
    const start = at;
    at += JSON_TAG.length;
    const b1 = b[start - 1];
    const b2 = b[start - 2];
    if (b1 === undefined) continue;
    const lengths: number[] = [];
    if (b1 < 0x80) lengths.push(b1);
    if (b2 !== undefined && b2 >= 0x80 && b1 < 0x80) lengths.push((b2 & 0x7f) | (b1 << 7));
    for (const len of lengths) {
      if (len < JSON_TAG.length + 1 || start + len > b.length || b[start + len - 1] !== 0x22) continue;
      const text = b.toString('latin1', start, start + len);
      if (!text.includes('protobuf:"') || seen.has(text)) continue;
      seen.add(text);
      const tag = parseGoTag(text);
      if (tag !== undefined) out.push(tag);
      break;
    }
  }
  return out;
}

// ---- Go runtime type data ------------------------------------------------------------

/** A field of a Go struct type, as reflect sees it. */
export interface GoStructField {
  name: string;
  embedded: boolean;
  tag: string;
}

/** A named Go struct type with at least one protobuf-tagged field. */
export interface GoStructType {
  /** Package path, e.g. k8s.io/api/apps/v1. */
  pkgPath: string;
  /** Type name without the package, e.g. DeploymentSpec. */
  name: string;
  fields: GoStructField[];
}

interface ElfSection {
  name: string;
  type: number;
  addr: number;
  offset: number;
  size: number;
}

const SHT_NOBITS = 8;

function readElfSections(b: Buffer): ElfSection[] | undefined {
  // ELF64, little-endian: what Go builds for linux/amd64 and linux/arm64.
  if (b.length < 64 || b.readUInt32BE(0) !== 0x7f454c46 || b[4] !== 2 || b[5] !== 1) return undefined;
  const shoff = Number(b.readBigUInt64LE(0x28));
  const shentsize = b.readUInt16LE(0x3a);
  const shnum = b.readUInt16LE(0x3c);
  const shstrndx = b.readUInt16LE(0x3e);
  if (shoff + shnum * shentsize > b.length || shentsize < 64) return undefined;
  const raw: (ElfSection & { nameOff: number })[] = [];
  for (let i = 0; i < shnum; i++) {
    const o = shoff + i * shentsize;
    raw.push({
      name: '',
      nameOff: b.readUInt32LE(o),
      type: b.readUInt32LE(o + 4),
      addr: Number(b.readBigUInt64LE(o + 16)),
      offset: Number(b.readBigUInt64LE(o + 24)),
      size: Number(b.readBigUInt64LE(o + 32)),
    });
  }
  const strtab = raw[shstrndx];
  if (strtab === undefined) return undefined;
  for (const s of raw) {
    const start = strtab.offset + s.nameOff;
    const end = b.indexOf(0, start);
    s.name = end < 0 ? '' : b.toString('latin1', start, end);
  }
  return raw;
}

/**
 * The named struct types of a Go ELF binary that have protobuf-tagged fields, keyed
 * "<pkgPath>.<Name>". Undefined when the binary is not a Go ELF64 little-endian file
 * this reader understands (callers then fall back to scanGoTags).
 *
 * Walks the runtime type data as reflect does (internal/abi, Go 1.17+): every type in
 * .typelink (int32 offsets from the start of .rodata, where the linker puts
 * runtime.types), then the element/key/field types reachable from them.
 *   abi.Type (48 bytes): TFlag @20, Kind @23 (low 5 bits), Str NameOff @40
 *   struct: PkgPath @48, Fields slice @56 (ptr, len, cap); StructField = {Name, Typ, Offset}
 *   uncommon (TFlag & 1) after a struct's 80 bytes: PkgPath NameOff @0
 *   pointer/slice/array/chan: Elem @48; map: Key @48, Elem @56
 *   name data: flags (2 = has tag, 8 = embedded), varint length, bytes, [varint length, tag]
 */
export function readGoStructTypes(buf: Uint8Array): Map<string, GoStructType> | undefined {
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  const sections = readElfSections(b);
  if (sections === undefined) return undefined;
  const rodata = sections.find((s) => s.name === '.rodata');
  const typelink = sections.find((s) => s.name === '.typelink');
  if (rodata === undefined || typelink === undefined) return undefined;
  const mapped = sections.filter((s) => s.addr !== 0 && s.type !== SHT_NOBITS && s.offset + s.size <= b.length);
  const base = rodata.addr;

  const toOffset = (addr: number): number => {
    for (const s of mapped) if (addr >= s.addr && addr < s.addr + s.size) return s.offset + (addr - s.addr);
    return -1;
  };
  const u64 = (o: number): number => b.readUInt32LE(o) + b.readUInt32LE(o + 4) * 0x1_0000_0000;
  const varint = (o: number): [number, number] => {
    let v = 0;
    let mul = 1;
    for (let i = 0; i < 5; i++) {
      const c = b[o++];
      if (c === undefined) return [-1, o];
      v += (c & 0x7f) * mul;
      if (c < 0x80) return [v, o];
      mul *= 128;
    }
    return [-1, o];
  };
  const nameAt = (addr: number): { name: string; tag: string; embedded: boolean } | undefined => {
    const o = toOffset(addr);
    if (o < 0) return undefined;
    const flags = b[o] as number;
    const [n, p] = varint(o + 1);
    if (n < 0 || p + n > b.length) return undefined;
    const name = b.toString('latin1', p, p + n);
    let tag = '';
    if (flags & 2) {
      const [tn, q] = varint(p + n);
      if (tn < 0 || q + tn > b.length) return undefined;
      tag = b.toString('latin1', q, q + tn);
    }
    return { name, tag, embedded: (flags & 8) !== 0 };
  };

  const out = new Map<string, GoStructType>();
  const seen = new Set<number>();
  const queue: number[] = [];
  for (let i = 0; i + 4 <= typelink.size; i += 4) queue.push(base + b.readInt32LE(typelink.offset + i));
  while (queue.length > 0) {
    const t = queue.pop() as number;
    if (seen.has(t)) continue;
    seen.add(t);
    const o = toOffset(t);
    if (o < 0 || o + 88 > b.length) continue;
    const tflag = b[o + 20] as number;
    const kind = (b[o + 23] as number) & 0x1f;
    switch (kind) {
      case 17: // array
      case 18: // chan
      case 22: // pointer
      case 23: // slice
        queue.push(u64(o + 48));
        continue;
      case 21: // map
        queue.push(u64(o + 48), u64(o + 56));
        continue;
      case 25: // struct
        break;
      default:
        continue;
    }
    const fieldsAt = toOffset(u64(o + 56));
    const count = u64(o + 64);
    if (fieldsAt < 0 || count > 10_000 || fieldsAt + count * 24 > b.length) continue;
    const fields: GoStructField[] = [];
    let tagged = false;
    for (let j = 0; j < count; j++) {
      const e = fieldsAt + j * 24;
      queue.push(u64(e + 8));
      const n = nameAt(u64(e));
      if (n === undefined) break;
      if (n.tag.includes('protobuf:"')) tagged = true;
      fields.push({ name: n.name, embedded: n.embedded, tag: n.tag });
    }
    // Only named types (with an uncommon section) carry a package path and a name.
    if (!tagged || fields.length !== count || (tflag & 1) === 0) continue;
    const str = nameAt(base + b.readInt32LE(o + 40));
    const pkg = nameAt(base + b.readInt32LE(o + 80));
    if (str === undefined || pkg === undefined) continue;
    // TFlagExtraStar (2): the string is "*pkg.Name".
    const full = tflag & 2 ? str.name.slice(1) : str.name;
    const name = full.slice(full.lastIndexOf('.') + 1);
    const key = `${pkg.name}.${name}`;
    if (!out.has(key)) out.set(key, { pkgPath: pkg.name, name, fields });
  }
  return out.size > 0 ? out : undefined;
}
