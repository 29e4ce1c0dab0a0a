import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatQuantity } from './quantity.js';

test('formatQuantity: canonical quantity strings as upstream Quantity.String()', () => {
  const cases: { name: string; in: unknown; want: string }[] = [
    { name: 'missing is zero', in: undefined, want: '0' },
    { name: 'binary kept', in: '10Gi', want: '10Gi' },
    { name: 'binary fraction moves down a unit', in: '1.5Gi', want: '1536Mi' },
    { name: 'binary regrouped', in: '2048Mi', want: '2Gi' },
    { name: 'small binary prints decimal', in: '0.5Ki', want: '512' },
    { name: 'decimal regrouped', in: '1000', want: '1k' },
    { name: 'milli to unit', in: '1000m', want: '1' },
    { name: 'fraction to milli', in: '0.5', want: '500m' },
    { name: 'not a multiple of the next unit', in: '1500', want: '1500' },
    { name: 'exponent form kept', in: '2e3', want: '2e3' },
    { name: 'json number', in: 5, want: '5' },
    { name: 'garbage passes through', in: 'lots', want: 'lots' },
  ];
  for (const c of cases) assert.equal(formatQuantity(c.in), c.want, c.name);
});
