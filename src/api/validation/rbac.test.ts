import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { validateAs, type Row } from './testing.js';

const G = 'rbac.authorization.k8s.io';
const role = (rules: object[], extra: object = {}) => ({ metadata: { name: 'r', namespace: 'd' }, rules, ...extra });
const binding = (roleRef: object, subjects: object[] = []) => ({ metadata: { name: 'b', namespace: 'd' }, roleRef, subjects });

const roleRows: Row[] = [
  { name: 'valid', obj: role([{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }, { apiGroups: ['apps'], resources: ['deployments'], resourceNames: ['x'], verbs: ['*'] }]), want: [] },
  { name: 'no rules at all', obj: role([]), want: [] },
  {
    name: 'rule missing everything',
    obj: role([{}]),
    want: [
      ['FieldValueRequired', 'rules[0].verbs: Required value: verbs must contain at least one value'],
      ['FieldValueRequired', 'rules[0].apiGroups: Required value: resource rules must supply at least one api group'],
      ['FieldValueRequired', 'rules[0].resources: Required value: resource rules must supply at least one resource'],
    ],
  },
  {
    name: 'namespaced rule with non-resource URLs',
    obj: role([{ nonResourceURLs: ['/healthz'], verbs: ['get'] }]),
    want: [['FieldValueInvalid', 'rules[0].nonResourceURLs: Invalid value: []string{"/healthz"}: namespaced rules cannot apply to non-resource URLs']],
  },
];

const clusterRoleRows: Row[] = [
  { name: 'non-resource URLs', obj: role([{ nonResourceURLs: ['/healthz', '/version'], verbs: ['get'] }]), want: [] },
  { name: 'aggregated', obj: role([], { aggregationRule: { clusterRoleSelectors: [{ matchLabels: { 'rbac.example.com/aggregate': 'true' } }] } }), want: [] },
  {
    name: 'mixed resources and URLs',
    obj: role([{ nonResourceURLs: ['/metrics'], resources: ['pods'], verbs: ['get'] }]),
    want: [['FieldValueInvalid', 'rules[0].nonResourceURLs: Invalid value: []string{"/metrics"}: rules cannot apply to both regular resources and non-resource URLs']],
  },
  {
    name: 'aggregation rule without selectors',
    obj: role([], { aggregationRule: {} }),
    want: [['FieldValueRequired', 'aggregationRule.clusterRoleSelectors: Required value: at least one clusterRoleSelector required if aggregationRule is non-nil']],
  },
  {
    name: 'aggregation selector',
    obj: role([], { aggregationRule: { clusterRoleSelectors: [{ matchExpressions: [{ key: 'a', operator: 'In' }] }] } }),
    want: [['FieldValueRequired', "aggregationRule.clusterRoleSelectors[0].matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'"]],
  },
];

const roleBindingRows: Row[] = [
  {
    name: 'valid, apiGroups defaulted',
    obj: binding({ kind: 'Role', name: 'r' }, [{ kind: 'User', name: 'jane' }, { kind: 'Group', name: 'devs' }, { kind: 'ServiceAccount', name: 'default', namespace: 'd' }, { kind: 'ServiceAccount', name: 'sa' }]),
    want: [],
  },
  {
    name: 'roleRef',
    obj: binding({ apiGroup: 'example.com', kind: 'Secret', name: '' }),
    want: [
      ['FieldValueNotSupported', `roleRef.apiGroup: Unsupported value: "example.com": supported values: "${G}"`],
      ['FieldValueNotSupported', 'roleRef.kind: Unsupported value: "Secret": supported values: "Role", "ClusterRole"'],
      ['FieldValueRequired', 'roleRef.name: Required value'],
    ],
  },
  {
    name: 'roleRef name is a path segment',
    obj: binding({ kind: 'ClusterRole', name: 'a/b' }),
    want: [['FieldValueInvalid', `roleRef.name: Invalid value: "a/b": may not contain '/'`]],
  },
  {
    name: 'subjects',
    obj: binding({ kind: 'Role', name: 'r' }, [{ kind: 'Robot', name: 'x' }, { kind: 'User' }, { kind: 'ServiceAccount', name: 'Bad_SA', apiGroup: G }, { kind: 'Group', name: 'g', apiGroup: 'v1' }]),
    want: [
      ['FieldValueNotSupported', 'subjects[0].kind: Unsupported value: "Robot": supported values: "ServiceAccount", "User", "Group"'],
      ['FieldValueRequired', 'subjects[1].name: Required value'],
      [
        'FieldValueInvalid',
        `subjects[2].name: Invalid value: "Bad_SA": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
      ],
      ['FieldValueNotSupported', `subjects[2].apiGroup: Unsupported value: "${G}": supported values: ""`],
      ['FieldValueNotSupported', `subjects[3].apiGroup: Unsupported value: "v1": supported values: "${G}"`],
    ],
  },
  {
    name: 'roleRef cannot change',
    old: binding({ kind: 'ClusterRole', name: 'view' }),
    obj: binding({ kind: 'ClusterRole', name: 'edit' }),
    want: [['FieldValueInvalid', `roleRef: Invalid value: rbac.RoleRef{APIGroup:"${G}", Kind:"ClusterRole", Name:"edit"}: cannot change roleRef`]],
  },
  {
    name: 'subjects may change',
    old: binding({ kind: 'ClusterRole', name: 'view' }, [{ kind: 'User', name: 'a' }]),
    obj: binding({ kind: 'ClusterRole', name: 'view', apiGroup: G }, [{ kind: 'User', name: 'b' }]),
    want: [],
  },
];

const crb = (roleRef: object, subjects: object[] = []) => ({ metadata: { name: 'b' }, roleRef, subjects });
const clusterRoleBindingRows: Row[] = [
  { name: 'valid', obj: crb({ kind: 'ClusterRole', name: 'view' }, [{ kind: 'ServiceAccount', name: 'sa', namespace: 'd' }]), want: [] },
  {
    name: 'Role is not allowed and a service account needs a namespace',
    obj: crb({ kind: 'Role', name: 'r' }, [{ kind: 'ServiceAccount', name: 'sa' }]),
    want: [
      ['FieldValueNotSupported', 'roleRef.kind: Unsupported value: "Role": supported values: "ClusterRole"'],
      ['FieldValueRequired', 'subjects[0].namespace: Required value'],
    ],
  },
  {
    name: 'roleRef cannot change',
    old: crb({ kind: 'ClusterRole', name: 'view' }),
    obj: crb({ kind: 'ClusterRole', name: 'admin' }),
    want: [['FieldValueInvalid', `roleRef: Invalid value: rbac.RoleRef{APIGroup:"${G}", Kind:"ClusterRole", Name:"admin"}: cannot change roleRef`]],
  },
];

for (const [kind, rows] of [
  [`${G}/Role`, roleRows],
  [`${G}/ClusterRole`, clusterRoleRows],
  [`${G}/RoleBinding`, roleBindingRows],
  [`${G}/ClusterRoleBinding`, clusterRoleBindingRows],
] as const) {
  describe(kind, () => {
    for (const r of rows) test(r.name, () => assert.deepEqual(validateAs(kind, r.obj, r.old), r.want));
  });
}
