/**
 * Go-style durations ("300ms", "40s", "5m", "1h30m"), because every upstream flag we
 * mirror (--node-monitor-grace-period, --etcd-compaction-interval ...) takes one.
 */
const UNITS: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Parses a duration to milliseconds; throws with a flag-friendly message. */
export function parseDuration(s: string): number {
  const str = s.trim();
  if (str === '0') return 0;
  const re = /([0-9]*\.?[0-9]+)(ns|us|µs|ms|s|m|h)/gy;
  let total = 0;
  let pos = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(str)) !== null) {
    total += Number(m[1]) * UNITS[m[2]!]!;
    pos = re.lastIndex;
  }
  if (pos !== str.length || str === '') throw new Error(`invalid duration "${s}" (examples: 300ms, 40s, 5m, 1h30m)`);
  return total;
}

export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  const parts: string[] = [];
  let rest = ms;
  const h = Math.floor(rest / 3_600_000);
  rest -= h * 3_600_000;
  const m = Math.floor(rest / 60_000);
  rest -= m * 60_000;
  if (h > 0) parts.push(`${h}h`);
  if (m > 0 || (h > 0 && rest > 0)) parts.push(`${m}m`);
  if (rest > 0 || parts.length === 0) parts.push(`${Number((rest / 1000).toFixed(3))}s`);
  return parts.join('');
}
