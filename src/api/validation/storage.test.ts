import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateAs, type Row } from './testing.js';

const sc = (extra: object) => ({ metadata: { name: 's' }, provisioner: 'example.com/disk', ...extra });

const rows: Row[] = [
  { name: 'valid with defaults', obj: sc({}), want: [] },
  {
    name: 'valid with everything',
    obj: sc({
      parameters: { type: 'ssd' },
      reclaimPolicy: 'Retain',
      volumeBindingMode: 'WaitForFirstConsumer',
      allowedTopologies: [{ matchLabelExpressions: [{ key: 'topology.kubernetes.io/zone', values: ['a', 'b'] }] }],
    }),
    want: [],
  },
  { name: 'provisioner required', obj: sc({ provisioner: '' }), want: [['FieldValueRequired', 'provisioner: Required value']] },
  {
    name: 'provisioner is a qualified name',
    obj: sc({ provisioner: 'a/b/c' }),
    want: [
      [
        'FieldValueInvalid',
        `provisioner: Invalid value: "a/b/c": a valid label key must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
      ],
    ],
  },
  {
    name: 'enums',
    obj: sc({ reclaimPolicy: 'Recycle', volumeBindingMode: 'Later' }),
    want: [
      ['FieldValueNotSupported', 'reclaimPolicy: Unsupported value: "Recycle": supported values: "Delete", "Retain"'],
      ['FieldValueNotSupported', 'volumeBindingMode: Unsupported value: "Later": supported values: "Immediate", "WaitForFirstConsumer"'],
    ],
  },
  { name: 'empty parameter key', obj: sc({ parameters: { '': 'x' } }), want: [['FieldValueInvalid', 'parameters: Invalid value: "": field can not be empty.']] },
  {
    name: 'topology requirement',
    obj: sc({ allowedTopologies: [{ matchLabelExpressions: [{ key: 'zone', values: [] }, { key: 'zone', values: ['a', 'a'] }] }] }),
    want: [
      ['FieldValueRequired', 'allowedTopologies[0].matchLabelExpressions[0].values: Required value'],
      ['FieldValueDuplicate', 'allowedTopologies[0].matchLabelExpressions[1].values[1]: Duplicate value: "a"'],
      ['FieldValueDuplicate', 'allowedTopologies[0].matchLabelExpressions[1].key: Duplicate value: "zone"'],
    ],
  },
  {
    name: 'provisioning inputs are immutable',
    old: sc({ parameters: { type: 'ssd' } }),
    obj: sc({ provisioner: 'example.com/other', parameters: { type: 'hdd' }, reclaimPolicy: 'Retain', volumeBindingMode: 'WaitForFirstConsumer' }),
    want: [
      ['FieldValueForbidden', 'parameters: Forbidden: updates to parameters are forbidden.'],
      ['FieldValueForbidden', 'provisioner: Forbidden: updates to provisioner are forbidden.'],
      ['FieldValueForbidden', 'reclaimPolicy: Forbidden: updates to reclaimPolicy are forbidden.'],
      ['FieldValueInvalid', 'volumeBindingMode: Invalid value: "WaitForFirstConsumer": field is immutable'],
    ],
  },
  { name: 'allowVolumeExpansion and mountOptions may change', old: sc({}), obj: sc({ allowVolumeExpansion: true, mountOptions: ['ro'] }), want: [] },
];

for (const r of rows) test(`StorageClass: ${r.name}`, () => assert.deepEqual(validateAs('storage.k8s.io/StorageClass', r.obj, r.old), r.want));
