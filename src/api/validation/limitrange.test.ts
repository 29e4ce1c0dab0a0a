import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateAs, type Row } from './testing.js';

const lr = (...limits: object[]) => ({ metadata: { name: 'l', namespace: 'd' }, spec: { limits } });
const Q = (value: number, scale: number, s: string) =>
  `resource.Quantity{i:resource.int64Amount{value:${value}, scale:${scale}}, d:resource.infDecAmount{Dec:(*inf.Dec)(nil)}, s:"${s}", Format:"DecimalSI"}`;

const rows: Row[] = [
  {
    name: 'valid',
    obj: lr(
      { type: 'Container', min: { cpu: '100m' }, max: { cpu: '2' }, default: { cpu: '500m' }, defaultRequest: { cpu: '200m' }, maxLimitRequestRatio: { cpu: '4' } },
      { type: 'Pod', max: { memory: '2Gi' } },
      { type: 'PersistentVolumeClaim', min: { storage: '1Gi' }, max: { storage: '10Gi' } },
    ),
    want: [],
  },
  {
    name: 'type must be a standard type or qualified, and unique',
    obj: lr({ type: 'Node' }, { type: 'Pod' }, { type: 'Pod' }),
    want: [
      ['FieldValueInvalid', 'spec.limits[0].type: Invalid value: "Node": must be a standard limit type or fully qualified'],
      ['FieldValueDuplicate', 'spec.limits[2].type: Duplicate value: "Pod"'],
    ],
  },
  {
    name: 'min above max: the defaults copied from max and min are checked too',
    obj: lr({ type: 'Container', min: { cpu: '2' }, max: { cpu: '1' } }),
    want: [
      ['FieldValueInvalid', `spec.limits[0].min[cpu]: Invalid value: ${Q(2, 0, '2')}: min value 2 is greater than max value 1`],
      ['FieldValueInvalid', `spec.limits[0].defaultRequest[cpu]: Invalid value: ${Q(1, 0, '1')}: min value 2 is greater than default request value 1`],
      ['FieldValueInvalid', `spec.limits[0].default[cpu]: Invalid value: ${Q(2, 0, '2')}: min value 2 is greater than default value 1`],
    ],
  },
  {
    name: 'default above max, default request above default',
    obj: lr({ type: 'Container', max: { memory: '1Gi' }, default: { memory: '2Gi' }, defaultRequest: { memory: '3Gi' } }),
    want: [
      [
        'FieldValueInvalid',
        'spec.limits[0].defaultRequest[memory]: Invalid value: resource.Quantity{i:resource.int64Amount{value:3221225472, scale:0}, d:resource.infDecAmount{Dec:(*inf.Dec)(nil)}, s:"3Gi", Format:"BinarySI"}: default request value 3Gi is greater than max value 1Gi',
      ],
      [
        'FieldValueInvalid',
        'spec.limits[0].defaultRequest[memory]: Invalid value: resource.Quantity{i:resource.int64Amount{value:3221225472, scale:0}, d:resource.infDecAmount{Dec:(*inf.Dec)(nil)}, s:"3Gi", Format:"BinarySI"}: default request value 3Gi is greater than default limit value 2Gi',
      ],
      [
        'FieldValueInvalid',
        'spec.limits[0].default[memory]: Invalid value: resource.Quantity{i:resource.int64Amount{value:1073741824, scale:0}, d:resource.infDecAmount{Dec:(*inf.Dec)(nil)}, s:"1Gi", Format:"BinarySI"}: default value 2Gi is greater than max value 1Gi',
      ],
    ],
  },
  {
    name: 'Pod items take no defaults; PVC items need a storage bound',
    obj: lr({ type: 'Pod', default: { cpu: '1' } }, { type: 'PersistentVolumeClaim', max: { cpu: '1' } }),
    want: [
      ['FieldValueForbidden', "spec.limits[0].default: Forbidden: may not be specified when `type` is 'Pod'"],
      ['FieldValueRequired', 'spec.limits[1].limits: Required value: either minimum or maximum storage value is required, but neither was provided'],
    ],
  },
  {
    name: 'container resource names (also in the defaults copied from max)',
    obj: lr({ type: 'Container', max: { pods: '1' } }),
    want: [
      ['FieldValueInvalid', 'spec.limits[0].max[pods]: Invalid value: "pods": must be a standard resource for containers'],
      ['FieldValueInvalid', 'spec.limits[0].default[pods]: Invalid value: "pods": must be a standard resource for containers'],
      ['FieldValueInvalid', 'spec.limits[0].defaultRequest[pods]: Invalid value: "pods": must be a standard resource for containers'],
    ],
  },
  {
    name: 'ratios',
    obj: lr({ type: 'Container', min: { cpu: '1' }, max: { cpu: '2' }, maxLimitRequestRatio: { cpu: '3' } }, { type: 'Container', maxLimitRequestRatio: { memory: '500m' } }),
    want: [
      ['FieldValueInvalid', `spec.limits[0].maxLimitRequestRatio[cpu]: Invalid value: ${Q(3, 0, '3')}: ratio 3 is greater than max/min = 2.000000`],
      ['FieldValueDuplicate', 'spec.limits[1].type: Duplicate value: "Container"'],
      ['FieldValueInvalid', `spec.limits[1].maxLimitRequestRatio[memory]: Invalid value: ${Q(500, -3, '500m')}: ratio 500m is less than 1`],
    ],
  },
  {
    name: 'resources that cannot overcommit need default == defaultRequest',
    obj: lr({ type: 'Container', default: { 'example.com/gpu': '2' }, defaultRequest: { 'example.com/gpu': '1' } }),
    want: [
      ['FieldValueInvalid', `spec.limits[0].defaultRequest[example.com/gpu]: Invalid value: ${Q(1, 0, '1')}: default value 2 must equal to defaultRequest value 1 in example.com/gpu`],
    ],
  },
];

for (const r of rows) test(`LimitRange: ${r.name}`, () => assert.deepEqual(validateAs('/LimitRange', r.obj, r.old), r.want));
