/**
 * Port ranges as the --service-node-port-range flag spells them ("30000-32767",
 * "30000+2767" = base plus size minus one, or a single port), and the two-band
 * pick that upstream's allocators use for dynamic values (KEP-3070 for IPs,
 * KEP-3668 for node ports): the lower band of a range is left for values users ask
 * for explicitly, dynamic picks start at a random point in the upper band and fall
 * back to the lower band only when the upper one is full.
 */

export interface PortRange {
  base: number;
  /** Number of ports; the range is [base, base + size). */
  size: number;
}

export function parsePortRange(s: string): PortRange {
  const text = s.trim();
  let m = /^([0-9]{1,5})-([0-9]{1,5})$/.exec(text);
  let lo: number;
  let hi: number;
  if (m !== null) {
    lo = Number(m[1]);
    hi = Number(m[2]);
  } else if ((m = /^([0-9]{1,5})\+([0-9]{1,5})$/.exec(text)) !== null) {
    lo = Number(m[1]);
    hi = lo + Number(m[2]);
  } else if (/^[0-9]{1,5}$/.test(text)) {
    lo = hi = Number(text);
  } else {
    throw new Error(`invalid port range "${s}": expected "<first>-<last>"`);
  }
  if (lo < 1 || hi > 65535 || lo > hi) throw new Error(`invalid port range "${s}": ports must be within 1-65535, first <= last`);
  return { base: lo, size: hi - lo + 1 };
}

export function formatPortRange(r: PortRange): string {
  return `${r.base}-${r.base + r.size - 1}`;
}

export function portRangeContains(r: PortRange, port: number): boolean {
  return Number.isInteger(port) && port >= r.base && port < r.base + r.size;
}

/**
 * The size of the lower (static) band: min(max(lo, size/step), hi), and 0 for a
 * range of `lo` or fewer values. IPs use (16, 256, 16), node ports (16, 128, 32).
 */
export function staticBandSize(size: number, lo: number, hi: number, step: number): number {
  if (size <= lo) return 0;
  return Math.min(Math.max(lo, Math.floor(size / step)), hi);
}

/**
 * Picks a free offset in [0, size): first from [band, size) starting at a random
 * point and scanning forward (wrapping), then the same in [0, band). Returns
 * undefined when every offset is taken. `taken(offset)` says whether one is in use.
 */
export function pickFree(size: number, band: number, taken: (offset: number) => boolean, random: () => number): number | undefined {
  const scan = (from: number, to: number): number | undefined => {
    const n = to - from;
    if (n <= 0) return undefined;
    const start = Math.min(n - 1, Math.floor(random() * n));
    for (let i = 0; i < n; i++) {
      const off = from + ((start + i) % n);
      if (!taken(off)) return off;
    }
    return undefined;
  };
  return scan(band, size) ?? scan(0, band);
}
