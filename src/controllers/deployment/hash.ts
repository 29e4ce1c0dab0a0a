/**
 * The pod-template-hash: upstream's controller.ComputeHash is FNV-32a over a
 * go-spew dump of the PodTemplateSpec Go struct, then the collision count as 8 bytes
 * (little-endian uint32 + 4 zero bytes), then the decimal sum rendered through
 * rand.SafeEncodeString (each character mapped into "bcdfghjklmnpqrstvwxz2456789").
 *
 * kubelite keeps everything but the first input: it hashes a canonical JSON encoding
 * of the template instead (keys sorted; null, {} and [] dropped, so that semantically
 * equal templates hash equally). The hash is deterministic and has upstream's shape
 * (up to 10 characters of the same alphabet), but its value differs from what a real
 * kube-controller-manager would compute for the same template: that would need the
 * full Go type layout of PodTemplateSpec (every field, including zero values and
 * pointer types) to reproduce spew's output.
 */

/** Upstream's rand alphanums: no vowels, no 0/1/3 (avoids words and look-alikes). */
export const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

export function safeEncodeString(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) out += SAFE_ALPHABET[s.charCodeAt(i) % SAFE_ALPHABET.length];
  return out;
}

const FNV32_OFFSET = 0x811c9dc5;
const FNV32_PRIME = 0x01000193;

/** FNV-1a, 32 bit, over bytes; continues from h when given. */
export function fnv32a(bytes: Uint8Array, h = FNV32_OFFSET): number {
  let hash = h >>> 0;
  for (const b of bytes) {
    hash ^= b;
    hash = Math.imul(hash, FNV32_PRIME) >>> 0;
  }
  return hash >>> 0;
}

/**
 * Drops what Go's semantic equality and omitempty treat as absent: null, undefined,
 * empty objects and empty arrays (recursively). Returns undefined when nothing is left.
 */
export function prune(v: unknown): unknown {
  if (v === null || v === undefined) return undefined;
  if (Array.isArray(v)) {
    const arr = v.map((x) => {
      const p = prune(x);
      return p === undefined ? null : p;
    });
    return arr.length === 0 ? undefined : arr;
  }
  if (typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v as Record<string, unknown>).sort()) {
      const p = prune((v as Record<string, unknown>)[k]);
      if (p !== undefined) out[k] = p;
    }
    return Object.keys(out).length === 0 ? undefined : out;
  }
  return v;
}

/** JSON with object keys sorted at every level, after prune(). */
export function canonicalJSON(v: unknown): string {
  return JSON.stringify(prune(v) ?? {});
}

/** The pod-template-hash label value for a template and the deployment's status.collisionCount. */
export function computeHash(template: unknown, collisionCount?: number): string {
  let h = fnv32a(new TextEncoder().encode(canonicalJSON(template)));
  if (collisionCount !== undefined && collisionCount !== null) {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setUint32(0, collisionCount >>> 0, true);
    h = fnv32a(b, h);
  }
  return safeEncodeString(String(h));
}
