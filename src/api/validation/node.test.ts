import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateAs, type Row } from './testing.js';

const node = (spec: object = {}, status: object = {}) => ({ metadata: { name: 'n1' }, spec, status });
const EFFECTS = 'supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"';

const rows: Row[] = [
  {
    name: 'valid',
    obj: node(
      { podCIDR: '10.244.0.0/24', taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }, { key: 'dedicated', effect: 'NoExecute' }] },
      { capacity: { cpu: '4', memory: '8Gi', pods: '110' }, allocatable: { cpu: '3500m' } },
    ),
    want: [],
  },
  { name: 'dual-stack podCIDRs', obj: node({ podCIDRs: ['10.244.0.0/24', 'fd00::/64'] }), want: [] },
  {
    name: 'taint effect required and enumerated, key and value syntax',
    obj: node({ taints: [{ key: 'a' }, { key: 'b', effect: 'Evict' }, { key: 'bad key', value: 'x y', effect: 'NoSchedule' }] }),
    want: [
      ['FieldValueRequired', 'metadata.taints[0].effect: Required value'],
      ['FieldValueNotSupported', `metadata.taints[1].effect: Unsupported value: "Evict": ${EFFECTS}`],
      [
        'FieldValueInvalid',
        `metadata.taints[2].key: Invalid value: "bad key": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`,
      ],
      [
        'FieldValueInvalid',
        `metadata.taints[2].value: Invalid value: "x y": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`,
      ],
    ],
  },
  {
    name: 'duplicate taint (same key and effect)',
    obj: node({ taints: [{ key: 'k', value: 'a', effect: 'NoSchedule' }, { key: 'k', value: 'b', effect: 'NoSchedule' }] }),
    want: [
      [
        'FieldValueDuplicate',
        'metadata.taints[1]: Duplicate value: core.Taint{Key:"k", Value:"b", Effect:"NoSchedule", TimeAdded:(*v1.Time)(nil)}: taints must be unique by key and effect pair',
      ],
    ],
  },
  {
    name: 'podCIDR does not parse',
    obj: node({ podCIDR: '10.244.0.0/33' }),
    want: [['FieldValueInvalid', 'spec.podCIDRs[0]: Invalid value: []string{"10.244.0.0/33"}: must be valid CIDR']],
  },
  {
    name: 'two CIDRs of one family, repeated',
    obj: node({ podCIDRs: ['10.0.0.0/24', '10.0.0.0/24'] }),
    want: [
      ['FieldValueInvalid', 'spec.podCIDRs: Invalid value: []string{"10.0.0.0/24", "10.0.0.0/24"}: may specify no more than one CIDR for each IP family'],
      ['FieldValueDuplicate', 'spec.podCIDRs[1]: Duplicate value: "10.0.0.0/24"'],
    ],
  },
  {
    name: 'negative and fractional status quantities',
    obj: node({}, { capacity: { cpu: '-1', pods: '1.5' } }),
    want: [
      ['FieldValueInvalid', 'status.capacity.cpu: Invalid value: "-1": must be greater than or equal to 0'],
      [
        'FieldValueInvalid',
        'status.capacity.pods: Invalid value: resource.Quantity{i:resource.int64Amount{value:15, scale:-1}, d:resource.infDecAmount{Dec:(*inf.Dec)(nil)}, s:"", Format:"DecimalSI"}: must be an integer',
      ],
    ],
  },
  { name: 'update: podCIDR may be set once', old: node(), obj: node({ podCIDR: '10.244.1.0/24' }), want: [] },
  {
    name: 'update: podCIDR and providerID may not change once set',
    old: node({ podCIDR: '10.244.1.0/24', providerID: 'kubelite://n1' }),
    obj: node({ podCIDR: '10.244.2.0/24', providerID: 'other://n1' }),
    want: [
      ['FieldValueForbidden', 'spec.podCIDRs: Forbidden: node updates may not change podCIDR except from "" to valid'],
      ['FieldValueForbidden', 'spec.providerID: Forbidden: node updates may not change providerID except from "" to valid'],
    ],
  },
  {
    name: 'update: taints, labels and unschedulable may change; a bad taint is reported twice as upstream',
    old: node({}),
    obj: node({ unschedulable: true, taints: [{ key: 'k', effect: 'Never' }] }),
    want: [
      ['FieldValueNotSupported', `metadata.taints[0].effect: Unsupported value: "Never": ${EFFECTS}`],
      ['FieldValueNotSupported', `metadata.taints[0].effect: Unsupported value: "Never": ${EFFECTS}`],
    ],
  },
  {
    name: 'update: duplicate status addresses',
    old: node(),
    obj: node({}, { addresses: [{ type: 'InternalIP', address: '10.0.0.1' }, { type: 'InternalIP', address: '10.0.0.1' }] }),
    want: [['FieldValueDuplicate', 'status.addresses[1]: Duplicate value: core.NodeAddress{Type:"InternalIP", Address:"10.0.0.1"}']],
  },
];

for (const r of rows) test(`Node: ${r.name}`, () => assert.deepEqual(validateAs('/Node', r.obj, r.old), r.want));
