import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PERCENT_ERROR_MSG } from './util.js';
import { validateAs, type Row } from './testing.js';

const pdb = (spec: object) => ({ metadata: { name: 'p', namespace: 'd' }, spec });
const sel = { matchLabels: { app: 'a' } };

const rows: Row[] = [
  { name: 'minAvailable int', obj: pdb({ minAvailable: 1, selector: sel }), want: [] },
  { name: 'maxUnavailable percent', obj: pdb({ maxUnavailable: '25%', selector: sel, unhealthyPodEvictionPolicy: 'AlwaysAllow' }), want: [] },
  { name: 'neither (the controller treats it as maxUnavailable 0)', obj: pdb({ selector: sel }), want: [] },
  {
    name: 'both minAvailable and maxUnavailable',
    obj: pdb({ minAvailable: 1, maxUnavailable: 1, selector: sel }),
    want: [
      [
        'FieldValueInvalid',
        'spec: Invalid value: policy.PodDisruptionBudgetSpec{MinAvailable:(*intstr.IntOrString)(0xc000a10000), Selector:(*v1.LabelSelector)(0xc000a10020), MaxUnavailable:(*intstr.IntOrString)(0xc000a10040), UnhealthyPodEvictionPolicy:(*policy.UnhealthyPodEvictionPolicyType)(nil)}: minAvailable and maxUnavailable cannot be both set',
      ],
    ],
  },
  {
    name: 'negative',
    obj: pdb({ minAvailable: -1 }),
    want: [['FieldValueInvalid', 'spec.minAvailable: Invalid value: -1: must be greater than or equal to 0']],
  },
  {
    name: 'not a percent',
    obj: pdb({ maxUnavailable: '50' }),
    want: [['FieldValueInvalid', `spec.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"50"}: ${PERCENT_ERROR_MSG}`]],
  },
  {
    name: 'more than 100%',
    obj: pdb({ minAvailable: '150%' }),
    want: [['FieldValueInvalid', 'spec.minAvailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:"150%"}: must not be greater than 100%']],
  },
  {
    name: 'selector',
    obj: pdb({ minAvailable: 1, selector: { matchLabels: { 'a b': 'c' } } }),
    want: [
      [
        'FieldValueInvalid',
        `spec.selector.matchLabels: Invalid value: "a b": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`,
      ],
    ],
  },
  {
    name: 'unhealthyPodEvictionPolicy',
    obj: pdb({ minAvailable: 1, unhealthyPodEvictionPolicy: 'Sometimes' }),
    want: [['FieldValueNotSupported', 'spec.unhealthyPodEvictionPolicy: Unsupported value: "Sometimes": supported values: "AlwaysAllow", "IfHealthyBudget"']],
  },
  { name: 'spec may change on update', old: pdb({ minAvailable: 1 }), obj: pdb({ minAvailable: 2 }), want: [] },
];

for (const r of rows) test(`PodDisruptionBudget: ${r.name}`, () => assert.deepEqual(validateAs('policy/PodDisruptionBudget', r.obj, r.old), r.want));

test('the percent message is upstream RegexError', () => {
  assert.equal(PERCENT_ERROR_MSG, "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')");
});
