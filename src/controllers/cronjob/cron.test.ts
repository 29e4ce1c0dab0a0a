import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CronParseError, formatRFC1123Z, formatRFC3339, isValidTimeZone, parseSchedule } from './cron.js';

const iso = (s: string): number => Date.parse(s);
const out = (t: number | undefined): string | undefined => (t === undefined ? undefined : new Date(t).toISOString().replace('.000Z', 'Z'));

test('next activation of standard schedules (UTC)', () => {
  const cases: { spec: string; from: string; want: string }[] = [
    { spec: '* * * * *', from: '2024-01-01T10:00:30Z', want: '2024-01-01T10:01:00Z' },
    { spec: '* * * * *', from: '2024-01-01T10:00:00Z', want: '2024-01-01T10:01:00Z' },
    { spec: '*/15 * * * *', from: '2024-01-01T10:07:00Z', want: '2024-01-01T10:15:00Z' },
    { spec: '5 * * * *', from: '2024-01-01T10:07:00Z', want: '2024-01-01T11:05:00Z' },
    { spec: '0 0 * * *', from: '2024-01-31T23:59:59Z', want: '2024-02-01T00:00:00Z' },
    { spec: '30 6-16/4 * * 1-5', from: '2024-01-05T15:00:00Z', want: '2024-01-08T06:30:00Z' },
    { spec: '0 9 * * MON-FRI', from: '2024-01-06T00:00:00Z', want: '2024-01-08T09:00:00Z' },
    { spec: '0 0 1 jan *', from: '2024-03-01T00:00:00Z', want: '2025-01-01T00:00:00Z' },
    { spec: '0 0 29 2 *', from: '2024-03-01T00:00:00Z', want: '2028-02-29T00:00:00Z' },
    { spec: '0 12 1,15 * *', from: '2024-01-02T00:00:00Z', want: '2024-01-15T12:00:00Z' },
    { spec: '10/20 * * * *', from: '2024-01-01T10:31:00Z', want: '2024-01-01T10:50:00Z' },
    { spec: '0 0 13 * 5', from: '2024-01-01T00:00:00Z', want: '2024-01-05T00:00:00Z' },
    { spec: '0 0 ? * SUN', from: '2024-01-01T00:00:00Z', want: '2024-01-07T00:00:00Z' },
    { spec: '@hourly', from: '2024-01-01T10:30:00Z', want: '2024-01-01T11:00:00Z' },
    { spec: '@daily', from: '2024-01-01T10:30:00Z', want: '2024-01-02T00:00:00Z' },
    { spec: '@midnight', from: '2024-01-01T10:30:00Z', want: '2024-01-02T00:00:00Z' },
    { spec: '@weekly', from: '2024-01-01T10:30:00Z', want: '2024-01-07T00:00:00Z' },
    { spec: '@monthly', from: '2024-01-01T10:30:00Z', want: '2024-02-01T00:00:00Z' },
    { spec: '@yearly', from: '2024-01-01T10:30:00Z', want: '2025-01-01T00:00:00Z' },
    { spec: '@annually', from: '2024-01-01T10:30:00Z', want: '2025-01-01T00:00:00Z' },
    { spec: '@every 90s', from: '2024-01-01T10:00:00.400Z', want: '2024-01-01T10:01:30Z' },
  ];
  for (const c of cases) assert.equal(out(parseSchedule(c.spec).next(iso(c.from))), c.want, `${c.spec} after ${c.from}`);
});

test('schedules in a time zone, across DST', () => {
  const cases: { spec: string; tz: string; from: string; want: string }[] = [
    { spec: '0 9 * * *', tz: 'Europe/Berlin', from: '2024-01-01T00:00:00Z', want: '2024-01-01T08:00:00Z' },
    { spec: '0 9 * * *', tz: 'Europe/Berlin', from: '2024-07-01T00:00:00Z', want: '2024-07-01T07:00:00Z' },
    { spec: '0 9 * * *', tz: 'America/New_York', from: '2024-03-09T15:00:00Z', want: '2024-03-10T13:00:00Z' },
    { spec: '0 0 * * *', tz: 'Asia/Kolkata', from: '2024-01-01T00:00:00Z', want: '2024-01-01T18:30:00Z' },
    { spec: '30 2 * * *', tz: 'Europe/Berlin', from: '2024-03-30T12:00:00Z', want: '2024-04-01T00:30:00Z' },
    { spec: 'CRON_TZ=Asia/Tokyo 0 9 * * *', tz: 'UTC', from: '2024-01-01T01:00:00Z', want: '2024-01-02T00:00:00Z' },
  ];
  for (const c of cases) assert.equal(out(parseSchedule(c.spec, c.tz).next(iso(c.from))), c.want, `${c.spec} in ${c.tz}`);
});

test('invalid schedules are refused', () => {
  const bad = ['', '* * * *', '* * * * * *', '60 * * * *', '* 24 * * *', '* * 0 * *', '* * * 13 *', '* * * * 7', '5-1 * * * *', '*/0 * * * *', 'a * * * *', '@sometimes', '1-2-3 * * * *', '@every x'];
  for (const s of bad) assert.throws(() => parseSchedule(s), CronParseError, JSON.stringify(s));
  assert.throws(() => parseSchedule('* * * * *', 'Mars/Olympus'), CronParseError);
});

test('time zones and time formats', () => {
  assert.equal(isValidTimeZone('Europe/Paris'), true);
  assert.equal(isValidTimeZone('Etc/UTC'), true);
  assert.equal(isValidTimeZone('Local'), false);
  assert.equal(isValidTimeZone('Not/AZone'), false);
  assert.equal(formatRFC3339(iso('2024-01-01T10:00:00Z'), 'UTC'), '2024-01-01T10:00:00Z');
  assert.equal(formatRFC3339(iso('2024-01-01T10:00:00Z'), 'Europe/Berlin'), '2024-01-01T11:00:00+01:00');
  assert.equal(formatRFC3339(iso('2024-01-01T10:00:00Z'), 'America/New_York'), '2024-01-01T05:00:00-05:00');
  assert.equal(formatRFC3339(iso('2024-01-01T10:00:00Z'), 'Asia/Kolkata'), '2024-01-01T15:30:00+05:30');
  assert.equal(formatRFC1123Z(iso('2024-01-01T10:00:00Z')), 'Mon, 01 Jan 2024 10:00:00 +0000');
});
