/**
 * resource.Quantity (upstream apimachinery pkg/api/resource/quantity.go): parsing,
 * comparison, arithmetic and the canonical string form.
 *
 * A quantity is held exactly as mantissa × 10^exponent (bigint mantissa), never as a
 * float. Parsing keeps precision down to nano (10^-9), rounding any finer non-zero
 * remainder away from zero ("0.9n" → "1n"), and caps binary-SI magnitudes at 2^63-1,
 * as upstream. The suffix family seen on input (DecimalSI "k", BinarySI "Ki",
 * DecimalExponent "e3") is remembered and used again when printing:
 *
 *   canonical("1.5") = "1500m"     canonical("1.5Gi") = "1536Mi"     canonical("2e3") = "2e3"
 */

import { errors, type StatusError } from './errors.js';

export type QuantityFormat = 'DecimalExponent' | 'BinarySI' | 'DecimalSI';

export interface Quantity {
  /** value = mantissa × 10^exponent */
  readonly mantissa: bigint;
  readonly exponent: number;
  readonly format: QuantityFormat;
}

const SPLIT_RE = '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$';
export const ERR_FORMAT_WRONG = `quantities must match the regular expression '${SPLIT_RE}'`;
export const ERR_NUMERIC = 'unable to parse numeric part of quantity';
export const ERR_SUFFIX = "unable to parse quantity's suffix";

const DECIMAL_SUFFIXES: Readonly<Record<string, number>> = {
  n: -9,
  u: -6,
  m: -3,
  '': 0,
  k: 3,
  M: 6,
  G: 9,
  T: 12,
  P: 15,
  E: 18,
};
const DECIMAL_BY_EXP = new Map(Object.entries(DECIMAL_SUFFIXES).map(([s, e]) => [e, s]));
const BINARY_SUFFIXES: Readonly<Record<string, number>> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const BINARY_BY_EXP = new Map(Object.entries(BINARY_SUFFIXES).map(([s, e]) => [e, s]));

const MAX_INT64 = 2n ** 63n - 1n;
const NANO = -9;

/** A parse failure; a StatusError (400 BadRequest) so it can reach a client as upstream's decode error does. */
function fail(message: string): StatusError {
  return errors.badRequest(message);
}

interface Scanned {
  positive: boolean;
  num: string;
  denom: string;
  suffix: string;
}

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

/** The fast scanner of upstream parseQuantityString (its quirks included: "", "." and "Ki" all read as 0). */
function scan(str: string): Scanned {
  let positive = true;
  let pos = 0;
  const end = str.length;
  if (str[0] === '-') {
    positive = false;
    pos++;
  } else if (str[0] === '+') {
    pos++;
  }
  while (pos < end && str[pos] === '0') pos++;
  if (pos >= end) return { positive, num: '0', denom: '', suffix: '' };
  let i = pos;
  while (i < end && isDigit(str[i])) i++;
  let num = str.slice(pos, i);
  if (i >= end) return { positive, num: num === '' ? '0' : num, denom: '', suffix: '' };
  pos = i;
  if (num === '') num = '0';
  let denom = '';
  if (str[pos] === '.') {
    pos++;
    i = pos;
    while (i < end && isDigit(str[i])) i++;
    denom = str.slice(pos, i);
    if (i >= end) return { positive, num, denom, suffix: '' };
    pos = i;
  }
  const suffixStart = pos;
  i = pos;
  while (i < end && 'eEinumkKMGTP'.includes(str[i] as string)) i++;
  if (i >= end) return { positive, num, denom, suffix: str.slice(suffixStart) };
  pos = i;
  if (str[pos] === '-' || str[pos] === '+') pos++;
  i = pos;
  while (i < end && isDigit(str[i])) i++;
  if (i >= end) return { positive, num, denom, suffix: str.slice(suffixStart) };
  throw fail(ERR_FORMAT_WRONG);
}

function interpretSuffix(suffix: string): { base: 10 | 2; exponent: number; format: QuantityFormat } {
  const d = DECIMAL_SUFFIXES[suffix];
  if (d !== undefined) return { base: 10, exponent: d, format: 'DecimalSI' };
  const b = BINARY_SUFFIXES[suffix];
  if (b !== undefined) return { base: 2, exponent: b, format: 'BinarySI' };
  if (suffix.length > 1 && (suffix[0] === 'e' || suffix[0] === 'E')) {
    const rest = suffix.slice(1);
    if (/^[+-]?[0-9]+$/.test(rest)) {
      const n = BigInt(rest);
      if (n >= -(2n ** 63n) && n <= MAX_INT64) {
        // Upstream keeps the exponent as int32 (wrapping); sane inputs never get near.
        return { base: 10, exponent: Number(BigInt.asIntN(32, n)), format: 'DecimalExponent' };
      }
    }
  }
  throw fail(ERR_SUFFIX);
}

function pow10(n: number): bigint {
  return 10n ** BigInt(n);
}

function abs(n: bigint): bigint {
  return n < 0n ? -n : n;
}

/** Divides exactly by 10 while possible, moving factors into the exponent. */
function normalize(mantissa: bigint, exponent: number): { mantissa: bigint; exponent: number } {
  if (mantissa === 0n) return { mantissa: 0n, exponent: 0 };
  let m = mantissa;
  let e = exponent;
  while (m % 10n === 0n) {
    m /= 10n;
    e++;
  }
  return { mantissa: m, exponent: e };
}

/** Parses a quantity string; throws a 400 StatusError with upstream's message. */
export function parseQuantity(str: string): Quantity {
  if (str.length === 0) throw fail(ERR_FORMAT_WRONG);
  if (str === '0') return { mantissa: 0n, exponent: 0, format: 'DecimalSI' };
  const { positive, num, denom, suffix } = scan(str);
  const { base, exponent, format: parsedFormat } = interpretSuffix(suffix);
  let format = parsedFormat;
  if (!/^[0-9]*$/.test(num + denom)) throw fail(ERR_NUMERIC);

  let mantissa = BigInt(num + denom || '0');
  let exp = -denom.length;
  if (base === 10) {
    exp += exponent;
  } else {
    mantissa *= 2n ** BigInt(exponent);
  }
  // Keep precision only down to nano, rounding the magnitude up (away from zero).
  if (exp < NANO && mantissa !== 0n) {
    const div = pow10(NANO - exp);
    const q = mantissa / div;
    mantissa = mantissa % div === 0n ? q : q + 1n;
    exp = NANO;
  }
  if (format === 'BinarySI') {
    // Binary quantities are capped at 2^63-1; a fraction below one reads as decimal.
    if (compareMagnitude(mantissa, exp, MAX_INT64, 0) > 0) {
      mantissa = MAX_INT64;
      exp = 0;
    }
    if (mantissa !== 0n && compareMagnitude(mantissa, exp, 1n, 0) < 0) format = 'DecimalSI';
  }
  const n = normalize(positive ? mantissa : -mantissa, exp);
  return { mantissa: n.mantissa, exponent: n.exponent, format };
}

/** Returns the 400 StatusError for an invalid quantity string, or undefined when valid. */
export function quantityError(str: string): StatusError | undefined {
  try {
    parseQuantity(str);
    return undefined;
  } catch (e) {
    return e as StatusError;
  }
}

/** Compares |a| and |b| given as mantissa × 10^exp (mantissas non-negative). */
function compareMagnitude(am: bigint, ae: number, bm: bigint, be: number): number {
  const a = abs(am);
  const b = abs(bm);
  if (a === 0n || b === 0n) return a === b ? 0 : a === 0n ? -1 : 1;
  // Compare orders of magnitude first so huge exponent gaps never build huge bigints.
  const ao = a.toString().length + ae;
  const bo = b.toString().length + be;
  if (ao !== bo) return ao < bo ? -1 : 1;
  const e = Math.min(ae, be);
  const x = a * pow10(ae - e);
  const y = b * pow10(be - e);
  return x === y ? 0 : x < y ? -1 : 1;
}

function sign(q: Quantity): number {
  return q.mantissa === 0n ? 0 : q.mantissa < 0n ? -1 : 1;
}

/** -1, 0 or 1 as a < b, a == b, a > b. Accepts strings for convenience. */
export function compareQuantity(a: Quantity | string, b: Quantity | string): number {
  const x = typeof a === 'string' ? parseQuantity(a) : a;
  const y = typeof b === 'string' ? parseQuantity(b) : b;
  const sx = sign(x);
  const sy = sign(y);
  if (sx !== sy) return sx < sy ? -1 : 1;
  if (sx === 0) return 0;
  const c = compareMagnitude(x.mantissa, x.exponent, y.mantissa, y.exponent);
  return sx > 0 ? c : -c;
}

/**
 * Exact arithmetic across a gap of more than this many decimal places would build
 * enormous integers (e.g. "1e999999999" + "1m"); such requests throw RangeError.
 */
export const MAX_EXPONENT_GAP = 4096;

function checkGap(gap: number): void {
  if (gap > MAX_EXPONENT_GAP) throw new RangeError(`quantity exponent gap ${gap} exceeds ${MAX_EXPONENT_GAP}`);
}

/** Sum; the result keeps a's format unless a is zero (upstream Add). Throws RangeError past MAX_EXPONENT_GAP. */
export function addQuantity(a: Quantity, b: Quantity): Quantity {
  if (a.mantissa === 0n) return { ...b, format: b.format };
  if (b.mantissa === 0n) return { ...a };
  checkGap(Math.abs(a.exponent - b.exponent));
  const e = Math.min(a.exponent, b.exponent);
  const m = a.mantissa * pow10(a.exponent - e) + b.mantissa * pow10(b.exponent - e);
  const n = normalize(m, e);
  return { ...n, format: a.mantissa === 0n ? b.format : a.format };
}

export function subQuantity(a: Quantity, b: Quantity): Quantity {
  return addQuantity(a, { ...b, mantissa: -b.mantissa });
}

export function negQuantity(q: Quantity): Quantity {
  return { ...q, mantissa: -q.mantissa };
}

export function isZeroQuantity(q: Quantity): boolean {
  return q.mantissa === 0n;
}

/** The value at 10^scale, rounded up away from zero (upstream ScaledValue), as a bigint. Throws RangeError past MAX_EXPONENT_GAP. */
export function scaledValue(q: Quantity, scale: number): bigint {
  if (q.mantissa === 0n) return 0n;
  const shift = q.exponent - scale;
  checkGap(Math.abs(shift));
  if (shift >= 0) return q.mantissa * pow10(shift);
  const div = pow10(-shift);
  const t = q.mantissa / div; // truncates toward zero
  if (q.mantissa % div === 0n) return t;
  return q.mantissa < 0n ? t - 1n : t + 1n;
}

/** scaledValue as a number; ±Infinity beyond float range, 0/±1 for vanishing values rounded up. */
function scaledNumber(q: Quantity, scale: number): number {
  if (q.mantissa === 0n) return 0;
  const order = q.mantissa.toString().replace('-', '').length + q.exponent - scale;
  if (order > 400) return q.mantissa < 0n ? -Infinity : Infinity;
  if (order < -400) return q.mantissa < 0n ? -1 : 1;
  return Number(scaledValue(q, scale));
}

/** Whole units rounded up away from zero (upstream Value), e.g. memory bytes. Beyond 2^53 the number is approximate. */
export function quantityValue(q: Quantity | string): number {
  return scaledNumber(typeof q === 'string' ? parseQuantity(q) : q, 0);
}

/** Thousandths rounded up away from zero (upstream MilliValue), e.g. CPU millicores. */
export function quantityMilliValue(q: Quantity | string): number {
  return scaledNumber(typeof q === 'string' ? parseQuantity(q) : q, -3);
}

/** An approximate float (upstream AsApproximateFloat64). */
export function quantityToNumber(q: Quantity | string): number {
  const x = typeof q === 'string' ? parseQuantity(q) : q;
  return Number(`${x.mantissa}e${x.exponent}`);
}

/** Builds a quantity from an integer count of 10^scale units (upstream NewScaledQuantity; scale -3 = milli). */
export function newScaledQuantity(value: number | bigint, scale: number, format: QuantityFormat = 'DecimalSI'): Quantity {
  const v = typeof value === 'bigint' ? value : BigInt(Math.trunc(value));
  return { ...normalize(v, scale), format };
}

/** Builds a whole-unit quantity (upstream NewQuantity), e.g. newQuantity(1024, 'BinarySI') prints "1Ki". */
export function newQuantity(value: number | bigint, format: QuantityFormat = 'DecimalSI'): Quantity {
  return newScaledQuantity(value, 0, format);
}

/** Upstream's canonical string form. */
export function quantityToString(quantity: Quantity): string {
  if (quantity.mantissa === 0n) return '0';
  const q = { ...normalize(quantity.mantissa, quantity.exponent), format: quantity.format };
  let format = q.format;
  if (format === 'BinarySI') {
    // Small or fractional binary values print as decimal to avoid rounding.
    const small = compareMagnitude(q.mantissa, q.exponent, 1024n, 0) < 0;
    const integral = q.exponent >= 0;
    if (small || !integral) format = 'DecimalSI';
  }
  if (format === 'BinarySI') {
    let m = q.mantissa * pow10(q.exponent);
    let e = 0;
    while (e < 60 && m % 1024n === 0n) {
      m /= 1024n;
      e += 10;
    }
    return `${m}${BINARY_BY_EXP.get(e) ?? ''}`;
  }
  // Move the exponent down to a multiple of 3 (the mantissa has no trailing zeros).
  let m = q.mantissa;
  let e = q.exponent;
  const rem = ((e % 3) + 3) % 3;
  if (rem !== 0) {
    m *= pow10(rem);
    e -= rem;
  }
  if (format === 'DecimalSI') {
    const s = DECIMAL_BY_EXP.get(e);
    if (s !== undefined) return `${m}${s}`;
  }
  return e === 0 ? `${m}` : `${m}e${e}`;
}

/** Parses and re-prints a quantity in canonical form. */
export function canonicalQuantity(str: string): string {
  return quantityToString(parseQuantity(str));
}
