/**
 * Go's %#v of the values some upstream messages carry that JSON cannot show: a
 * resource.Quantity (whose String method has a pointer receiver, so field.Error prints
 * the struct), a []byte and a ResourceList. Users and scripts read these verbatim, e.g.
 * "Invalid value: resource.Quantity{i:resource.int64Amount{value:-1, scale:0}, ...}".
 */
import { parseQuantity } from '../../apimachinery/quantity.js';
import { goQuote } from './util.js';

/** Go prints a heap address for a set pointer; any fixed one reads the same and keeps messages stable. */
const DEC_ADDRESS = '0xc000a10080';

const DECIMAL_EXP: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY_EXP: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const MAX_INT64 = 2n ** 63n - 1n;

interface Parsed {
  positive: boolean;
  num: string;
  denom: string;
  suffix: string;
}

/** parseQuantityString's split of an already valid quantity (leading zeros dropped, "0" when none is left). */
function split(s: string): Parsed {
  const m = /^([+-]?)(0*)([0-9]*)(?:\.([0-9]*))?(.*)$/.exec(s);
  const sign = m?.[1] ?? '';
  const rest = m?.[3] ?? '';
  // An all-zero numerator ends the scan: upstream reads "-000" as "0" with nothing after it.
  if (rest === '' && m?.[4] === undefined && (m?.[5] ?? '') === '') return { positive: sign !== '-', num: '0', denom: '', suffix: '' };
  return { positive: sign !== '-', num: rest === '' ? '0' : rest, denom: m?.[4] ?? '', suffix: m?.[5] ?? '' };
}

function format(suffix: string): { format: string; exponent: number; binary: boolean } {
  if (suffix in DECIMAL_EXP) return { format: 'DecimalSI', exponent: DECIMAL_EXP[suffix] as number, binary: false };
  if (suffix in BINARY_EXP) return { format: 'BinarySI', exponent: BINARY_EXP[suffix] as number, binary: true };
  return { format: 'DecimalExponent', exponent: Number(suffix.slice(1)), binary: false };
}

function struct(value: bigint, scale: number, dec: boolean, s: string, fmt: string): string {
  const d = dec ? `(*inf.Dec)(${DEC_ADDRESS})` : '(*inf.Dec)(nil)';
  return `resource.Quantity{i:resource.int64Amount{value:${value}, scale:${scale}}, d:resource.infDecAmount{Dec:${d}}, s:${goQuote(s)}, Format:${goQuote(fmt)}}`;
}

/**
 * %#v of the resource.Quantity that ParseQuantity(raw) returns: the int64 fast path with
 * its cached string when upstream keeps one, else the inf.Dec form.
 */
export function goQuantity(raw: unknown): string {
  const s = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw.trim() : '';
  if (s === '0') return struct(0n, 0, false, '0', 'DecimalSI');
  try {
    parseQuantity(s);
  } catch {
    return struct(0n, 0, false, '', '');
  }
  const { positive, num, denom, suffix } = split(s);
  const f = format(suffix);
  let precision: number;
  let scale = 0;
  let mantissa = 1n;
  if (!f.binary) {
    scale = f.exponent;
    precision = 18 - (num.length + denom.length);
  } else if (f.exponent >= 0 && denom.length === 0) {
    mantissa = 1n << BigInt(f.exponent);
    precision = 15 - num.length - Math.trunc((f.exponent * 3) / 10) - 1;
  } else precision = -1;
  if (precision >= 0) {
    scale -= denom.length;
    if (scale >= -9) {
      const shifted = num + denom;
      const value = BigInt(shifted);
      const product = value * mantissa;
      if (product <= MAX_INT64) {
        const result = positive ? product : -product;
        const canonical = f.binary ? f.exponent % 10 === 0 && (value & 7n) !== 0n : scale % 3 === 0 && !shifted.endsWith('000') && shifted[0] !== '0';
        return struct(result, scale, false, canonical ? s : '', f.format);
      }
    }
  }
  return struct(0n, 0, true, '', f.format);
}

/** %#v of a []byte: `[]byte{0x2d, 0x2d}`, `[]byte{}` for an empty one, `[]byte(nil)` when absent. */
export function goBytes(data: Buffer | undefined): string {
  if (data === undefined) return '[]byte(nil)';
  return `[]byte{${[...data].map((b) => `0x${b.toString(16)}`).join(', ')}}`;
}

/** %#v of a core.ResourceList (a map, printed with its keys sorted as fmt does). */
export function goResourceList(list: unknown): string {
  if (typeof list !== 'object' || list === null || Array.isArray(list)) return 'core.ResourceList(nil)';
  const entries = Object.entries(list as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `core.ResourceList{${entries.map(([k, v]) => `${goQuote(k)}:${goQuantity(v)}`).join(', ')}}`;
}
