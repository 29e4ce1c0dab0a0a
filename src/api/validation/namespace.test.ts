import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateAs, type Row } from './testing.js';

const ns = (finalizers?: unknown[]) => ({ metadata: { name: 'team' }, spec: finalizers === undefined ? {} : { finalizers } });

const rows: Row[] = [
  { name: 'no finalizers', obj: ns(), want: [] },
  { name: 'standard and qualified finalizers', obj: ns(['kubernetes', 'example.com/cleanup']), want: [] },
  {
    name: 'unqualified custom finalizer',
    obj: ns(['cleanup']),
    want: [['FieldValueInvalid', 'spec.finalizers: Invalid value: "cleanup": name is neither a standard finalizer name nor is it fully qualified']],
  },
  {
    name: 'not a qualified name',
    obj: ns(['example.com/a b']),
    want: [
      [
        'FieldValueInvalid',
        `spec.finalizers: Invalid value: "example.com/a b": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`,
      ],
    ],
  },
];

for (const r of rows) test(`Namespace: ${r.name}`, () => assert.deepEqual(validateAs('/Namespace', r.obj, r.old), r.want));
