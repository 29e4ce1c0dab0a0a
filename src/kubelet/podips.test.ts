import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fakePodSubnet, FAKE_POD_SUBNETS, PodIPAllocator } from './podips.js';

test('PodIPAllocator hands out .2 upwards, keeps an owner\'s address, reuses released ones last', () => {
  const a = new PodIPAllocator('10.244.3.0/29');
  assert.deepEqual(['p1', 'p2', 'p3', 'p4', 'p5'].map((p) => a.allocate(p)), ['10.244.3.2', '10.244.3.3', '10.244.3.4', '10.244.3.5', '10.244.3.6']);
  assert.equal(a.allocate('p6'), undefined, '.0 .1 and .7 are never handed out');
  assert.equal(a.allocate('p1'), '10.244.3.2');
  a.release('p2');
  assert.equal(a.allocate('p7'), '10.244.3.3');
  assert.equal(a.allocated, 5);
  const b = new PodIPAllocator('10.244.3.0/24');
  assert.equal(b.claim('x', '10.244.3.77'), true);
  assert.equal(b.claim('y', '10.244.3.77'), false);
  assert.equal(b.claim('z', '10.9.9.9'), false);
});

test('fakePodSubnet: one /24 per node index within 10.244.0.0-10.255.255.0', () => {
  assert.equal(fakePodSubnet(0), '10.244.0.0/24');
  assert.equal(fakePodSubnet(257), '10.245.1.0/24');
  assert.equal(fakePodSubnet(FAKE_POD_SUBNETS - 1), '10.255.255.0/24');
  assert.equal(fakePodSubnet(FAKE_POD_SUBNETS), '10.244.0.0/24');
});
