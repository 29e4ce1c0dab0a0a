/**
 * Cron schedules as CronJobs use them (robfig/cron v3 ParseStandard, which upstream's
 * controller uses): five fields "minute hour day-of-month month day-of-week" with
 * lists (1,2), ranges (1-5), steps (*\/15, 1-30/5, 10/5 meaning 10-max/5), names
 * (JAN..DEC, SUN..SAT, any case), "?" as "*", the macros @yearly @annually @monthly
 * @weekly @daily @midnight @hourly, and "@every <duration>". Day-of-month and
 * day-of-week combine with OR when both are restricted, AND when either is "*".
 *
 * Times are computed in an IANA time zone (Intl; the default is UTC), walking wall
 * clock fields as robfig does and mapping them back to instants.
 */
import { parseDuration } from '../../util/duration.js';

export interface Schedule {
  /** The first activation strictly after t (ms since the epoch), or undefined when there is none within 5 years. */
  next(t: number): number | undefined;
}

interface Bounds {
  min: number;
  max: number;
  names?: Record<string, number>;
}

const MONTHS: Record<string, number> = { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 };
const DAYS: Record<string, number> = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };
const B_MINUTE: Bounds = { min: 0, max: 59 };
const B_HOUR: Bounds = { min: 0, max: 23 };
const B_DOM: Bounds = { min: 1, max: 31 };
const B_MONTH: Bounds = { min: 1, max: 12, names: MONTHS };
const B_DOW: Bounds = { min: 0, max: 6, names: DAYS };

const MACROS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

export class CronParseError extends Error {
  override readonly name = 'CronParseError';
}

interface Field {
  bits: Set<number>;
  star: boolean;
}

function parseInt_(s: string, b: Bounds): number {
  const named = b.names?.[s.toLowerCase()];
  if (named !== undefined) return named;
  if (!/^[0-9]+$/.test(s)) throw new CronParseError(`failed to parse int from ${s}: strconv.Atoi: parsing ${JSON.stringify(s)}: invalid syntax`);
  return Number(s);
}

function parseRange(expr: string, b: Bounds, field: Field): void {
  const [rangePart, stepPart, ...extra] = expr.split('/');
  if (extra.length > 0 || rangePart === undefined) throw new CronParseError(`too many slashes: ${expr}`);
  const lowHigh = rangePart.split('-');
  let start: number;
  let end: number;
  let star = false;
  if (lowHigh[0] === '*' || lowHigh[0] === '?') {
    if (lowHigh.length > 1) throw new CronParseError(`too many hyphens: ${expr}`);
    start = b.min;
    end = b.max;
    star = true;
  } else {
    if (lowHigh.length > 2) throw new CronParseError(`too many hyphens: ${expr}`);
    start = parseInt_(lowHigh[0] ?? '', b);
    end = lowHigh.length === 2 ? parseInt_(lowHigh[1] ?? '', b) : start;
  }
  let step = 1;
  if (stepPart !== undefined) {
    if (!/^[0-9]+$/.test(stepPart)) throw new CronParseError(`failed to parse int from ${stepPart}: strconv.Atoi: parsing ${JSON.stringify(stepPart)}: invalid syntax`);
    step = Number(stepPart);
    // "N/step" means "N-max/step".
    if (lowHigh.length === 1 && !star) end = b.max;
    if (step > 1) star = false;
  }
  if (start < b.min) throw new CronParseError(`beginning of range (${start}) below minimum (${b.min}): ${expr}`);
  if (end > b.max) throw new CronParseError(`end of range (${end}) above maximum (${b.max}): ${expr}`);
  if (start > end) throw new CronParseError(`beginning of range (${start}) beyond end of range (${end}): ${expr}`);
  if (step === 0) throw new CronParseError(`step of range should be a positive number: ${expr}`);
  for (let i = start; i <= end; i += step) field.bits.add(i);
  if (star) field.star = true;
}

function parseField(s: string, b: Bounds): Field {
  const f: Field = { bits: new Set(), star: false };
  for (const part of s.split(',')) parseRange(part, b, f);
  return f;
}

/** Wall-clock fields of an instant in a zone. */
interface Wall {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  weekday: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const WEEKDAYS: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      weekday: 'short',
    });
    formatters.set(tz, f);
  }
  return f;
}

function isUTC(tz: string): boolean {
  return tz === 'UTC' || tz === 'Etc/UTC';
}

/** Wall-clock fields of instant t in zone tz. */
export function wallClock(t: number, tz: string): Wall {
  if (isUTC(tz)) {
    const d = new Date(t);
    return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds(), weekday: d.getUTCDay() };
  }
  const w: Wall = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0, weekday: 0 };
  for (const p of formatter(tz).formatToParts(new Date(t))) {
    switch (p.type) {
      case 'year':
        w.year = Number(p.value);
        break;
      case 'month':
        w.month = Number(p.value);
        break;
      case 'day':
        w.day = Number(p.value);
        break;
      case 'hour':
        w.hour = Number(p.value);
        break;
      case 'minute':
        w.minute = Number(p.value);
        break;
      case 'second':
        w.second = Number(p.value);
        break;
      case 'weekday':
        w.weekday = WEEKDAYS[p.value] ?? 0;
        break;
      default:
        break;
    }
  }
  return w;
}

/** The zone's offset from UTC at instant t, in ms. */
export function zoneOffset(t: number, tz: string): number {
  if (isUTC(tz)) return 0;
  const w = wallClock(t, tz);
  const asUTC = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUTC - (t - (((t % 1000) + 1000) % 1000));
}

/** The instant of a wall-clock time in tz (time.Date): fields may overflow and are normalized. */
export function fromWall(year: number, month: number, day: number, hour: number, minute: number, second: number, tz: string): number {
  const naive = Date.UTC(year, month - 1, day, hour, minute, second);
  if (isUTC(tz)) return naive;
  const off1 = zoneOffset(naive, tz);
  let t = naive - off1;
  const off2 = zoneOffset(t, tz);
  if (off2 !== off1) t = naive - off2;
  return t;
}

/** Whether tz names a zone Intl knows ("Local" is refused, as upstream validation does). */
export function isValidTimeZone(tz: string): boolean {
  if (tz === '' || tz === 'Local') return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

class SpecSchedule implements Schedule {
  constructor(
    private readonly minute: Field,
    private readonly hour: Field,
    private readonly dom: Field,
    private readonly month: Field,
    private readonly dow: Field,
    private readonly tz: string,
  ) {}

  private dayMatches(w: Wall): boolean {
    const domMatch = this.dom.bits.has(w.day);
    const dowMatch = this.dow.bits.has(w.weekday);
    if (this.dom.star || this.dow.star) return domMatch && dowMatch;
    return domMatch || dowMatch;
  }

  next(from: number): number | undefined {
    const tz = this.tz;
    // Start at the next whole second.
    let t = Math.floor(from / 1000) * 1000 + 1000;
    let added = false;
    const yearLimit = wallClock(t, tz).year + 5;
    wrap: for (;;) {
      let w = wallClock(t, tz);
      if (w.year > yearLimit) return undefined;
      while (!this.month.bits.has(w.month)) {
        if (!added) {
          added = true;
          t = fromWall(w.year, w.month, 1, 0, 0, 0, tz);
          w = wallClock(t, tz);
        }
        t = fromWall(w.year, w.month + 1, 1, 0, 0, 0, tz);
        w = wallClock(t, tz);
        if (w.month === 1) continue wrap;
      }
      while (!this.dayMatches(w)) {
        if (!added) {
          added = true;
          t = fromWall(w.year, w.month, w.day, 0, 0, 0, tz);
          w = wallClock(t, tz);
        }
        t = fromWall(w.year, w.month, w.day + 1, 0, 0, 0, tz);
        w = wallClock(t, tz);
        if (w.day === 1) continue wrap;
      }
      while (!this.hour.bits.has(w.hour)) {
        if (!added) {
          added = true;
          t = fromWall(w.year, w.month, w.day, w.hour, 0, 0, tz);
        }
        t += 3_600_000;
        w = wallClock(t, tz);
        if (w.hour === 0) continue wrap;
      }
      while (!this.minute.bits.has(w.minute)) {
        if (!added) {
          added = true;
          t = Math.floor(t / 60_000) * 60_000;
        }
        t += 60_000;
        w = wallClock(t, tz);
        if (w.minute === 0) continue wrap;
      }
      if (w.second !== 0) {
        // Only second 0 matches in the five-field form.
        t += (60 - w.second) * 1000;
        added = true;
        continue wrap;
      }
      return t;
    }
  }
}

class EverySchedule implements Schedule {
  constructor(private readonly delayMs: number) {}
  next(t: number): number {
    return Math.floor(t / 1000) * 1000 + this.delayMs;
  }
}

/**
 * Parses a standard schedule; tz is the zone the fields are read in ("TZ=..." or
 * "CRON_TZ=..." at the front overrides it, as robfig allows). Throws CronParseError.
 */
export function parseSchedule(spec: string, tz = 'UTC'): Schedule {
  let s = spec.trim();
  if (s === '') throw new CronParseError('empty spec string');
  const m = /^(?:CRON_TZ|TZ)=(\S+)\s+(.*)$/.exec(s);
  if (m !== null) {
    tz = m[1] ?? tz;
    s = (m[2] ?? '').trim();
  }
  if (!isValidTimeZone(tz) && !isUTC(tz)) throw new CronParseError(`provided bad location ${tz}: unknown time zone ${tz}`);
  if (s.startsWith('@')) {
    if (s.startsWith('@every ')) {
      let ms: number;
      try {
        ms = parseDuration(s.slice('@every '.length).trim());
      } catch (e) {
        throw new CronParseError(`failed to parse duration ${s}: ${e instanceof Error ? e.message : String(e)}`);
      }
      // robfig: at least one second, truncated to whole seconds.
      ms = ms < 1000 ? 1000 : ms - (ms % 1000);
      return new EverySchedule(ms);
    }
    const macro = MACROS[s];
    if (macro === undefined) throw new CronParseError(`unrecognized descriptor: ${s}`);
    s = macro;
  }
  const fields = s.split(/\s+/);
  if (fields.length !== 5) throw new CronParseError(`expected exactly 5 fields, found ${fields.length}: [${fields.join(' ')}]`);
  const [mi, h, dom, mo, dow] = fields as [string, string, string, string, string];
  return new SpecSchedule(parseField(mi, B_MINUTE), parseField(h, B_HOUR), parseField(dom, B_DOM), parseField(mo, B_MONTH), parseField(dow, B_DOW), tz);
}

function pad(n: number, w = 2): string {
  return String(Math.abs(n)).padStart(w, '0');
}

/** RFC 3339 of t in zone tz, as Go formats it ("Z" for a zero offset, else "+01:00"). */
export function formatRFC3339(t: number, tz: string): string {
  const w = wallClock(t, tz);
  const off = Math.round(zoneOffset(t, tz) / 60_000);
  const zone = off === 0 ? 'Z' : `${off < 0 ? '-' : '+'}${pad(Math.floor(Math.abs(off) / 60))}:${pad(Math.abs(off) % 60)}`;
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}${zone}`;
}

/** RFC 1123 with numeric zone, in UTC ("Mon, 01 Jan 2024 10:00:00 +0000"). */
export function formatRFC1123Z(t: number): string {
  const d = new Date(t);
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  return `${days[d.getUTCDay()]}, ${pad(d.getUTCDate())} ${months[d.getUTCMonth()]} ${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
}
