import { test } from 'node:test';
import assert from 'node:assert/strict';
import { firstServiceIP, parseCIDR, formatIPv4, parseIPv4 } from './cidr.js';

test('firstServiceIP', () => {
  const cases = [
    { name: 'default range', in: '10.96.0.0/12', want: '10.96.0.1' },
    { name: 'unaligned base is masked', in: '10.43.7.9/16', want: '10.43.0.1' },
    { name: 'small', in: '192.168.5.0/30', want: '192.168.5.1' },
  ];
  for (const c of cases) assert.equal(firstServiceIP(c.in), c.want, c.name);
  assert.throws(() => firstServiceIP('10.0.0.0/31'), /too small/);
  assert.throws(() => parseCIDR('10.0.0.0'), /invalid CIDR/);
  assert.throws(() => parseIPv4('300.1.1.1'), /invalid IPv4/);
  assert.equal(formatIPv4(parseIPv4('1.2.3.4')), '1.2.3.4');
});
