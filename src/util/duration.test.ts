import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDuration, formatDuration } from './duration.js';

test('parseDuration', () => {
  const cases: { name: string; in: string; want: number | 'error' }[] = [
    { name: 'seconds', in: '40s', want: 40_000 },
    { name: 'minutes', in: '5m', want: 300_000 },
    { name: 'compound', in: '1h30m', want: 5_400_000 },
    { name: 'millis', in: '300ms', want: 300 },
    { name: 'fraction', in: '1.5s', want: 1500 },
    { name: 'zero', in: '0', want: 0 },
    { name: 'no unit', in: '10', want: 'error' },
    { name: 'garbage', in: '5x', want: 'error' },
    { name: 'empty', in: '', want: 'error' },
  ];
  for (const c of cases) {
    if (c.want === 'error') assert.throws(() => parseDuration(c.in), /invalid duration/, c.name);
    else assert.equal(parseDuration(c.in), c.want, c.name);
  }
});

test('formatDuration', () => {
  assert.equal(formatDuration(300_000), '5m');
  assert.equal(formatDuration(5_400_000), '1h30m');
  assert.equal(formatDuration(1500), '1.5s');
  assert.equal(formatDuration(0), '0s');
});
