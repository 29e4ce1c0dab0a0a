import { test } from 'node:test';
import assert from 'node:assert/strict';
import { age, humanDuration, rfc3339, until } from './duration.js';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;
const Y = 365 * D;

test('humanDuration: upstream TestHumanDuration cases', () => {
  const cases: { name: string; ms: number; want: string }[] = [
    { name: '1s', ms: S, want: '1s' },
    { name: '70s', ms: 70 * S, want: '70s' },
    { name: '190s', ms: 190 * S, want: '3m10s' },
    { name: '70m', ms: 70 * M, want: '70m' },
    { name: '47h', ms: 47 * H, want: '47h' },
    { name: '49h', ms: 49 * H, want: '2d1h' },
    { name: '8d2h', ms: (8 * 24 + 2) * H, want: '8d' },
    { name: '367d', ms: 367 * D, want: '367d' },
    { name: '2y1d1h', ms: (365 * 2 * 24 + 25) * H, want: '2y1d' },
    { name: '8y2h', ms: (365 * 8 * 24 + 2) * H, want: '8y' },
  ];
  for (const c of cases) assert.equal(humanDuration(c.ms), c.want, c.name);
});

test('humanDuration: upstream TestHumanDurationBoundaries cases', () => {
  const cases: { name: string; ms: number; want: string }[] = [
    { name: '-2s', ms: -2 * S, want: '<invalid>' },
    { name: 'just under -2s', ms: -2 * S + 1, want: '0s' },
    { name: 'zero', ms: 0, want: '0s' },
    { name: '999ms', ms: S - 1, want: '0s' },
    { name: 'just under 2m', ms: 2 * M - 1, want: '119s' },
    { name: '2m', ms: 2 * M, want: '2m' },
    { name: '2m1s', ms: 2 * M + S, want: '2m1s' },
    { name: 'just under 10m', ms: 10 * M - 1, want: '9m59s' },
    { name: '10m', ms: 10 * M, want: '10m' },
    { name: '10m1s', ms: 10 * M + S, want: '10m' },
    { name: 'just under 3h', ms: 3 * H - 1, want: '179m' },
    { name: '3h', ms: 3 * H, want: '3h' },
    { name: '3h1m', ms: 3 * H + M, want: '3h1m' },
    { name: 'just under 8h', ms: 8 * H - 1, want: '7h59m' },
    { name: '8h', ms: 8 * H, want: '8h' },
    { name: '8h59m', ms: 8 * H + 59 * M, want: '8h' },
    { name: 'just under 2d', ms: 2 * D - 1, want: '47h' },
    { name: '2d', ms: 2 * D, want: '2d' },
    { name: '2d1h', ms: 2 * D + H, want: '2d1h' },
    { name: 'just under 8d', ms: 8 * D - 1, want: '7d23h' },
    { name: '8d', ms: 8 * D, want: '8d' },
    { name: '8d23h', ms: 8 * D + 23 * H, want: '8d' },
    { name: 'just under 2y', ms: 2 * Y - 1, want: '729d' },
    { name: '2y', ms: 2 * Y, want: '2y' },
    { name: '2y23h', ms: 2 * Y + 23 * H, want: '2y' },
    { name: '2y23h59m', ms: 2 * Y + 23 * H + 59 * M, want: '2y' },
    { name: 'just under 2y1d', ms: 2 * Y + D - 1, want: '2y' },
    { name: '2y1d', ms: 2 * Y + D, want: '2y1d' },
    { name: '3y', ms: 3 * Y, want: '3y' },
    { name: '4y', ms: 4 * Y, want: '4y' },
    { name: '5y', ms: 5 * Y, want: '5y' },
    { name: '6y', ms: 6 * Y, want: '6y' },
    { name: '7y', ms: 7 * Y, want: '7y' },
    { name: 'just under 8y', ms: 8 * Y - 1, want: '7y364d' },
    { name: '8y', ms: 8 * Y, want: '8y' },
    { name: '8y364d', ms: 8 * Y + 364 * D, want: '8y' },
    { name: '9y', ms: 9 * Y, want: '9y' },
  ];
  for (const c of cases) assert.equal(humanDuration(c.ms), c.want, c.name);
});

test('humanDuration: the examples kubectl users see', () => {
  const cases: { name: string; ms: number; want: string }[] = [
    { name: '45s', ms: 45 * S, want: '45s' },
    { name: '5m30s', ms: 5 * M + 30 * S, want: '5m30s' },
    { name: '5m exactly drops the seconds', ms: 5 * M, want: '5m' },
    { name: '10y', ms: 10 * Y + 100 * D, want: '10y' },
  ];
  for (const c of cases) assert.equal(humanDuration(c.ms), c.want, c.name);
});

test('age: time since a timestamp, <unknown> when missing (translateTimestampSince)', () => {
  const now = Date.parse('2024-06-01T12:00:00Z');
  const cases: { name: string; ts: string | undefined; want: string }[] = [
    { name: 'missing', ts: undefined, want: '<unknown>' },
    { name: 'empty', ts: '', want: '<unknown>' },
    { name: 'unparsable', ts: 'yesterday-ish', want: '<unknown>' },
    { name: 'go zero time', ts: '0001-01-01T00:00:00Z', want: '<unknown>' },
    { name: 'now', ts: '2024-06-01T12:00:00Z', want: '0s' },
    { name: 'a second ahead is skew', ts: '2024-06-01T12:00:01Z', want: '0s' },
    { name: 'well ahead', ts: '2024-06-01T12:00:05Z', want: '<invalid>' },
    { name: '3h ago', ts: '2024-06-01T09:00:00Z', want: '3h' },
    { name: 'offset zone', ts: '2024-06-01T13:55:00+02:00', want: '5m' },
    { name: 'micro time', ts: '2024-06-01T11:59:15.123456Z', want: '44s' },
  ];
  for (const c of cases) assert.equal(age(c.ts, now), c.want, c.name);
});

test('until and rfc3339', () => {
  const now = Date.parse('2024-06-01T12:00:00Z');
  assert.equal(until('2024-06-01T13:00:00Z', now), '60m');
  assert.equal(until(undefined, now), '<unknown>');
  assert.equal(rfc3339('2024-06-01T12:00:00.789Z'), '2024-06-01T12:00:00Z');
  assert.equal(rfc3339('2024-06-01T14:00:00+02:00'), '2024-06-01T12:00:00Z');
  assert.equal(rfc3339(undefined), '0001-01-01T00:00:00Z');
});
