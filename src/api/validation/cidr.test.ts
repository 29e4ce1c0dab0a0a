import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCIDR, parseIP } from './cidr.js';

test('parseCIDR accepts both families and rejects junk', () => {
  const cases: [string, { v6: boolean; prefix: number } | undefined][] = [
    ['10.0.0.0/8', { v6: false, prefix: 8 }],
    ['010.0.0.1/32', { v6: false, prefix: 32 }],
    ['0.0.0.0/0', { v6: false, prefix: 0 }],
    ['fd00::/8', { v6: true, prefix: 8 }],
    ['::ffff:10.0.0.0/104', { v6: true, prefix: 104 }],
    ['2001:db8::1/128', { v6: true, prefix: 128 }],
    ['10.0.0.0', undefined],
    ['10.0.0.256/8', undefined],
    ['10.0.0.0/33', undefined],
    ['fd00::/129', undefined],
    ['10.0.0.0/-1', undefined],
    ['x/8', undefined],
  ];
  for (const [s, want] of cases) {
    const got = parseCIDR(s);
    assert.deepEqual(got === undefined ? undefined : { v6: got.v6, prefix: got.prefix }, want, s);
  }
});

test('contains compares the network bits of the same family only', () => {
  const net = parseCIDR('10.1.0.0/16');
  assert.ok(net);
  const ip = (s: string) => {
    const p = parseIP(s);
    assert.ok(p, s);
    return p;
  };
  assert.equal(net.contains(ip('10.1.255.3')), true);
  assert.equal(net.contains(ip('10.2.0.0')), false);
  assert.equal(net.contains(ip('::a01:0')), false);
  const v6 = parseCIDR('fd00:1::/32');
  assert.ok(v6);
  assert.equal(v6.contains(ip('fd00:1:ffff::1')), true);
  assert.equal(v6.contains(ip('fd00:2::')), false);
  assert.equal(ip('::ffff:1.2.3.4').value, 0xffff01020304n);
});
