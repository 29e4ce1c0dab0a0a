import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultStorageClass } from './storage.js';

test('StorageClass: reclaimPolicy Delete and volumeBindingMode Immediate unless given', () => {
  const sc: any = { provisioner: 'x.io/p' };
  defaultStorageClass(sc);
  assert.equal(sc.reclaimPolicy, 'Delete');
  assert.equal(sc.volumeBindingMode, 'Immediate');
  const given: any = { provisioner: 'x.io/p', reclaimPolicy: 'Retain', volumeBindingMode: 'WaitForFirstConsumer' };
  defaultStorageClass(given);
  assert.equal(given.reclaimPolicy, 'Retain');
  assert.equal(given.volumeBindingMode, 'WaitForFirstConsumer');
});
