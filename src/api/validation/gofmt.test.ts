import { test } from 'node:test';
import assert from 'node:assert/strict';
import { goBytes, goQuantity, goResourceList } from './gofmt.js';

const q = (value: string, scale: number, s: string, format = 'DecimalSI', dec = 'nil') =>
  `resource.Quantity{i:resource.int64Amount{value:${value}, scale:${scale}}, d:resource.infDecAmount{Dec:(*inf.Dec)(${dec})}, s:"${s}", Format:"${format}"}`;

// What Go's ParseQuantity keeps: the cached string only for canonical inputs.
const cases: [unknown, string][] = [
  ['0', q('0', 0, '0')],
  ['-1', q('-1', 0, '-1')],
  ['100m', q('100', -3, '100m')],
  ['1000', q('1000', 0, '')],
  ['0.5', q('5', -1, '')],
  ['1e3', q('1', 3, '1e3', 'DecimalExponent')],
  ['1Gi', q('1073741824', 0, '1Gi', 'BinarySI')],
  ['8Gi', q('8589934592', 0, '', 'BinarySI')],
  ['1.5Gi', q('0', 0, '', 'BinarySI', '0xc000a10080')],
  [2, q('2', 0, '2')],
];

for (const [input, want] of cases) test(`goQuantity(${JSON.stringify(input)})`, () => assert.equal(goQuantity(input), want));

test('goBytes', () => {
  assert.equal(goBytes(undefined), '[]byte(nil)');
  assert.equal(goBytes(Buffer.alloc(0)), '[]byte{}');
  assert.equal(goBytes(Buffer.from('-a\n')), '[]byte{0x2d, 0x61, 0xa}');
});

test('goResourceList sorts keys', () => {
  assert.equal(goResourceList(undefined), 'core.ResourceList(nil)');
  assert.equal(goResourceList({ b: '1', a: '2' }), `core.ResourceList{"a":${q('2', 0, '2')}, "b":${q('1', 0, '1')}}`);
});
