/**
 * Key ordering. etcd (and SQLite's BINARY collation) order keys by their UTF-8 bytes;
 * JavaScript's `<` orders UTF-16 code units, which disagrees for characters above
 * U+FFFF versus U+E000..U+FFFF. Every in-process structure that must agree with the
 * durable drivers sorts with compareKeys.
 */

/** Byte-order (UTF-8) comparison of two well-formed strings; negative, 0 or positive. */
export function compareKeys(a: string, b: string): number {
  if (a === b) return 0;
  const n = a.length < b.length ? a.length : b.length;
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) {
      // Below U+D800 code-unit order is code-point order. Above it, surrogates (which
      // encode code points >= U+10000) must sort after U+E000..U+FFFF.
      if (x >= 0xd800 && y >= 0xd800) return surrogateRank(x) - surrogateRank(y);
      return x - y;
    }
  }
  return a.length - b.length;
}

function surrogateRank(c: number): number {
  return c >= 0xe000 ? c - 0x800 : c + 0x2000;
}

/**
 * The smallest string greater than every string that starts with prefix, or undefined
 * when there is none (the empty prefix). Lets a prefix scan be a half-open range
 * [prefix, prefixEnd) in byte order, which is what SQL indexes and etcd ranges use.
 */
export function prefixEnd(prefix: string): string | undefined {
  const cps = Array.from(prefix);
  for (let i = cps.length - 1; i >= 0; i--) {
    const cp = cps[i]!.codePointAt(0)!;
    if (cp >= 0x10ffff) continue;
    const next = cp + 1 === 0xd800 ? 0xe000 : cp + 1;
    return cps.slice(0, i).join('') + String.fromCodePoint(next);
  }
  return undefined;
}

const loneSurrogate = /\p{Surrogate}/u;

/** True when s has no unpaired surrogate, i.e. it survives a round trip through UTF-8. */
export function isWellFormed(s: string): boolean {
  return !loneSurrogate.test(s);
}
