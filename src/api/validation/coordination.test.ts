import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateAs, type Row } from './testing.js';

const lease = (spec: object) => ({ metadata: { name: 'n', namespace: 'kube-node-lease' }, spec });

const rows: Row[] = [
  { name: 'a node lease', obj: lease({ holderIdentity: 'node-1', leaseDurationSeconds: 40, renewTime: '2024-01-01T00:00:00.000000Z' }), want: [] },
  { name: 'empty spec', obj: lease({}), want: [] },
  {
    name: 'durations',
    obj: lease({ leaseDurationSeconds: 0, leaseTransitions: -1 }),
    want: [
      ['FieldValueInvalid', 'spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0'],
      ['FieldValueInvalid', 'spec.leaseTransitions: Invalid value: -1: must be greater than or equal to 0'],
    ],
  },
];

for (const r of rows) test(`Lease: ${r.name}`, () => assert.deepEqual(validateAs('coordination.k8s.io/Lease', r.obj, r.old), r.want));
