/**
 * IntOrString fields (maxUnavailable, maxSurge, minAvailable): an absolute number or
 * a percentage of a total (upstream intstr.GetScaledValueFromIntOrPercent).
 */

/** Scales v against total; percentages round up or down. Throws on a malformed value. */
export function scaledValue(v: number | string | undefined | null, total: number, roundUp: boolean, fallback = 0): number {
  if (v === undefined || v === null) return fallback;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new Error(`invalid value for IntOrString: ${v}`);
    return Math.trunc(v);
  }
  const m = /^(-?[0-9]+)%$/.exec(v);
  if (m === null) {
    // A plain number in string form is an error upstream too ("invalid value for IntOrString").
    throw new Error(`invalid value for IntOrString: invalid type: string is not a percentage`);
  }
  const pct = Number(m[1]);
  const raw = (pct * total) / 100;
  return roundUp ? Math.ceil(raw) : Math.floor(raw);
}

export function isPercent(v: number | string | undefined | null): boolean {
  return typeof v === 'string' && v.endsWith('%');
}
