import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateAs, type Row } from './testing.js';

const pc = (name: string, value: number, extra: object = {}) => ({ metadata: { name }, value, ...extra });

const rows: Row[] = [
  { name: 'valid', obj: pc('high', 1000), want: [] },
  { name: 'highest user value', obj: pc('top', 1_000_000_000, { globalDefault: true, preemptionPolicy: 'Never' }), want: [] },
  { name: 'system class as bootstrapped', obj: pc('system-node-critical', 2_000_001_000), want: [] },
  {
    name: 'user value too high',
    obj: pc('too-high', 1_000_000_001),
    want: [['FieldValueForbidden', 'value: Forbidden: maximum allowed value of a user defined priority is 1000000000']],
  },
  {
    name: 'unknown system- name',
    obj: pc('system-mine', 10),
    want: [['FieldValueForbidden', "metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only. error: system-mine is not a known system priority class"]],
  },
  {
    name: 'system class with the wrong value',
    obj: pc('system-cluster-critical', 5),
    want: [['FieldValueForbidden', "metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only. error: value of system-cluster-critical PriorityClass must be 2000000000"]],
  },
  {
    name: 'preemptionPolicy',
    obj: pc('p', 1, { preemptionPolicy: 'Always' }),
    want: [['FieldValueNotSupported', 'preemptionPolicy: Unsupported value: "Always": supported values: "PreemptLowerPriority", "Never"']],
  },
  { name: 'empty preemptionPolicy', obj: pc('p', 1, { preemptionPolicy: '' }), want: [['FieldValueRequired', 'preemptionPolicy: Required value']] },
  {
    name: 'value is immutable',
    old: pc('p', 1),
    obj: pc('p', 2),
    want: [['FieldValueForbidden', 'value: Forbidden: may not be changed in an update.']],
  },
  {
    name: 'preemptionPolicy is immutable (defaulted before)',
    old: pc('p', 1),
    obj: pc('p', 1, { preemptionPolicy: 'Never' }),
    want: [['FieldValueInvalid', 'preemptionPolicy: Invalid value: "Never": field is immutable']],
  },
  { name: 'description and globalDefault may change', old: pc('p', 1), obj: pc('p', 1, { description: 'x', globalDefault: true }), want: [] },
];

for (const r of rows) test(`PriorityClass: ${r.name}`, () => assert.deepEqual(validateAs('scheduling.k8s.io/PriorityClass', r.obj, r.old), r.want));
