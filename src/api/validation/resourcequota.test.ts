import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateAs, type Row } from './testing.js';

const rq = (spec: object) => ({ metadata: { name: 'q', namespace: 'd' }, spec });
const ScopeSlice = (...s: string[]) => `[]core.ResourceQuotaScope{${s.map((x) => `"${x}"`).join(', ')}}`;

const rows: Row[] = [
  {
    name: 'valid',
    obj: rq({ hard: { pods: '10', 'requests.cpu': '4', 'limits.memory': '8Gi', 'count/deployments.apps': '5', 'requests.nvidia.com/gpu': '2', 'hugepages-2Mi': '1Gi' } }),
    want: [],
  },
  { name: 'valid scopes', obj: rq({ hard: { pods: '5', cpu: '2' }, scopes: ['NotTerminating', 'NotBestEffort'] }), want: [] },
  {
    name: 'valid scope selector',
    obj: rq({ hard: { pods: '5' }, scopeSelector: { matchExpressions: [{ scopeName: 'PriorityClass', operator: 'In', values: ['high'] }] } }),
    want: [],
  },
  {
    name: 'resource names',
    obj: rq({ hard: { storage: '1Gi', foo: '1', 'a b': '1' } }),
    want: [
      [
        'FieldValueInvalid',
        `spec.hard[a b]: Invalid value: "a b": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`,
      ],
      ['FieldValueInvalid', 'spec.hard[a b]: Invalid value: "a b": must be a standard resource for quota'],
      ['FieldValueInvalid', 'spec.hard[foo]: Invalid value: "foo": must be a standard resource type or fully qualified'],
      ['FieldValueInvalid', 'spec.hard[foo]: Invalid value: "foo": must be a standard resource for quota'],
      ['FieldValueInvalid', 'spec.hard[storage]: Invalid value: "storage": must be a standard resource for quota'],
    ],
  },
  {
    name: 'negative and fractional quantities',
    obj: rq({ hard: { cpu: '-2', pods: '500m' } }),
    want: [
      ['FieldValueInvalid', 'spec.hard[cpu]: Invalid value: "-2": must be greater than or equal to 0'],
      [
        'FieldValueInvalid',
        'spec.hard[pods]: Invalid value: resource.Quantity{i:resource.int64Amount{value:500, scale:-3}, d:resource.infDecAmount{Dec:(*inf.Dec)(nil)}, s:"500m", Format:"DecimalSI"}: must be an integer',
      ],
    ],
  },
  {
    name: 'scopes: unknown, not valid for a resource, conflicting',
    obj: rq({ hard: { secrets: '1', pods: '1' }, scopes: ['Tenant', 'BestEffort', 'NotBestEffort'] }),
    want: [
      ['FieldValueInvalid', `spec.scopes: Invalid value: ${ScopeSlice('Tenant', 'BestEffort', 'NotBestEffort')}: unsupported scope`],
      ['FieldValueInvalid', `spec.scopes: Invalid value: ${ScopeSlice('Tenant', 'BestEffort', 'NotBestEffort')}: unsupported scope applied to resource`],
      ['FieldValueInvalid', `spec.scopes: Invalid value: ${ScopeSlice('Tenant', 'BestEffort', 'NotBestEffort')}: unsupported scope applied to resource`],
      ['FieldValueInvalid', `spec.scopes: Invalid value: ${ScopeSlice('Tenant', 'BestEffort', 'NotBestEffort')}: conflicting scopes`],
    ],
  },
  {
    name: 'scope selector operators and values',
    obj: rq({
      hard: { pods: '1' },
      scopeSelector: {
        matchExpressions: [
          { scopeName: 'Terminating', operator: 'In', values: ['x'] },
          { scopeName: 'PriorityClass', operator: 'NotIn' },
          { scopeName: 'PriorityClass', operator: 'Matches' },
        ],
      },
    }),
    want: [
      [
        'FieldValueInvalid',
        `spec.scopeSelector.matchExpressions.operator: Invalid value: "In": must be 'Exist' when scope is any of ResourceQuotaScopeTerminating, ResourceQuotaScopeNotTerminating, ResourceQuotaScopeBestEffort, ResourceQuotaScopeNotBestEffort or ResourceQuotaScopeCrossNamespacePodAffinity`,
      ],
      ['FieldValueRequired', "spec.scopeSelector.matchExpressions.values: Required value: must be at least one value when `operator` is 'In' or 'NotIn' for scope selector"],
      ['FieldValueInvalid', 'spec.scopeSelector.matchExpressions.operator: Invalid value: "Matches": not a valid selector operator'],
    ],
  },
  {
    name: 'scopes may not change on update',
    old: rq({ hard: { pods: '1' }, scopes: ['Terminating'] }),
    obj: rq({ hard: { pods: '2' }, scopes: ['NotTerminating'] }),
    want: [['FieldValueInvalid', `spec.scopes: Invalid value: ${ScopeSlice('NotTerminating')}: field is immutable`]],
  },
  { name: 'hard limits may change on update', old: rq({ hard: { pods: '1' } }), obj: rq({ hard: { pods: '20' } }), want: [] },
];

for (const r of rows) test(`ResourceQuota: ${r.name}`, () => assert.deepEqual(validateAs('/ResourceQuota', r.obj, r.old), r.want));
