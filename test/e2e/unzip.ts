/**
 * A minimal zip reader for the tests: find one entry through the central directory and
 * inflate it with node:zlib. Supports stored (0) and deflated (8) entries; no zip64, no
 * encryption (the archives the tests read need neither).
 */
import { readFile, writeFile, chmod } from 'node:fs/promises';
import { inflateRawSync } from 'node:zlib';

const EOCD_SIG = 0x06054b50;
const CENTRAL_SIG = 0x02014b50;
const LOCAL_SIG = 0x04034b50;

export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  localHeaderOffset: number;
}

/** The entries listed in the central directory of `buf`. */
export function listZip(buf: Buffer): ZipEntry[] {
  // The end-of-central-directory record is 22 bytes plus a comment of at most 65535 bytes.
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (buf.readUInt32LE(i) === EOCD_SIG) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error('not a zip file: no end of central directory record');
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  if (count === 0xffff || p === 0xffffffff) throw new Error('zip64 archives are not supported');
  const entries: ZipEntry[] = [];
  for (let i = 0; i < count; i++) {
    if (buf.readUInt32LE(p) !== CENTRAL_SIG) throw new Error(`bad central directory header at ${p}`);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    entries.push({
      method: buf.readUInt16LE(p + 10),
      compressedSize: buf.readUInt32LE(p + 20),
      size: buf.readUInt32LE(p + 24),
      localHeaderOffset: buf.readUInt32LE(p + 42),
      name: buf.toString('utf8', p + 46, p + 46 + nameLen),
    });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}

/** The uncompressed bytes of `entry` in `buf`. */
export function readZipEntry(buf: Buffer, entry: ZipEntry): Buffer {
  const h = entry.localHeaderOffset;
  if (buf.readUInt32LE(h) !== LOCAL_SIG) throw new Error(`bad local header for ${entry.name}`);
  if (entry.compressedSize === 0xffffffff || entry.size === 0xffffffff) throw new Error('zip64 entries are not supported');
  const start = h + 30 + buf.readUInt16LE(h + 26) + buf.readUInt16LE(h + 28);
  const raw = buf.subarray(start, start + entry.compressedSize);
  let out: Buffer;
  if (entry.method === 0) out = Buffer.from(raw);
  else if (entry.method === 8) out = inflateRawSync(raw);
  else throw new Error(`unsupported compression method ${entry.method} for ${entry.name}`);
  if (out.length !== entry.size) throw new Error(`${entry.name}: inflated ${out.length} bytes, expected ${entry.size}`);
  return out;
}

/** Extracts entry `name` of the zip at `zipPath` to `dest`, with file mode `mode`. */
export async function extractZipEntry(zipPath: string, name: string, dest: string, mode = 0o755): Promise<void> {
  const buf = await readFile(zipPath);
  const entry = listZip(buf).find((e) => e.name === name);
  if (!entry) throw new Error(`${zipPath} has no entry ${name}`);
  await writeFile(dest, readZipEntry(buf, entry), { mode });
  await chmod(dest, mode);
}
