/**
 * Human-readable durations and ages, as `kubectl get` shows them in AGE, DURATION,
 * LAST SEEN and the "(5m ago)" restart suffix.
 *
 * Facts from upstream apimachinery `util/duration.HumanDuration` (about two or three
 * significant figures): a slack of just under two seconds in the past still reads "0s"
 * (clock skew), anything further in the future is "<invalid>"; below 2m whole seconds;
 * below 10m minutes+seconds; below 3h minutes; below 8h hours+minutes; below 2d hours;
 * below 8d days+hours; below 2y days; below 8y years+days; then years. A year is 365 days.
 * Every step truncates toward zero, as Go's integer division does.
 */

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** `ms` rendered with upstream's HumanDuration rules. */
export function humanDuration(ms: number): string {
  const seconds = Math.trunc(ms / SECOND);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 2 * 60) return `${seconds}s`;

  const minutes = Math.floor(ms / MINUTE);
  if (minutes < 10) return withRest(minutes, 'm', seconds % 60, 's');
  if (minutes < 3 * 60) return `${minutes}m`;

  const hours = Math.floor(ms / HOUR);
  if (hours < 8) return withRest(hours, 'h', minutes % 60, 'm');
  if (hours < 48) return `${hours}h`;

  const days = Math.floor(hours / 24);
  if (hours < 8 * 24) return withRest(days, 'd', hours % 24, 'h');
  if (hours < 2 * 365 * 24) return `${days}d`;

  const years = Math.floor(days / 365);
  if (hours < 8 * 365 * 24) return withRest(years, 'y', days % 365, 'd');
  return `${years}y`;
}

function withRest(major: number, majorUnit: string, minor: number, minorUnit: string): string {
  return minor === 0 ? `${major}${majorUnit}` : `${major}${majorUnit}${minor}${minorUnit}`;
}

/**
 * Parses an RFC 3339 timestamp (metav1.Time or MicroTime) to epoch milliseconds.
 * Missing, unparsable and Go's zero time ("0001-01-01T00:00:00Z") all give undefined,
 * which is what upstream's `IsZero()` checks amount to.
 */
export function parseTimestamp(ts: unknown): number | undefined {
  if (typeof ts !== 'string' || ts === '') return undefined;
  const ms = Date.parse(ts);
  if (Number.isNaN(ms)) return undefined;
  if (new Date(ms).getUTCFullYear() <= 1) return undefined;
  return ms;
}

/** Time since `creationTimestamp` (or any timestamp), "<unknown>" when it is missing: upstream translateTimestampSince. */
export function age(creationTimestamp: string | undefined, now: number): string {
  const t = parseTimestamp(creationTimestamp);
  return t === undefined ? '<unknown>' : humanDuration(now - t);
}

/** Time until a timestamp, "<unknown>" when it is missing: upstream translateTimestampUntil. */
export function until(timestamp: string | undefined, now: number): string {
  const t = parseTimestamp(timestamp);
  return t === undefined ? '<unknown>' : humanDuration(t - now);
}

/**
 * A timestamp as Go's `time.RFC3339` prints it in UTC: whole seconds, "Z" suffix.
 * A missing timestamp prints as Go's zero time, as the default table convertor does.
 */
export function rfc3339(timestamp: string | undefined): string {
  const t = parseTimestamp(timestamp);
  if (t === undefined) return '0001-01-01T00:00:00Z';
  return new Date(Math.floor(t / SECOND) * SECOND).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
