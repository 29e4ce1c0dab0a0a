import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateAs, type Row } from './testing.js';

const rule = { operations: ['CREATE', 'UPDATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['pods'] };
const hook = (extra: object = {}) => ({
  name: 'pods.policy.example.com',
  rules: [rule],
  clientConfig: { service: { name: 'policy', namespace: 'system' } },
  sideEffects: 'None',
  admissionReviewVersions: ['v1'],
  ...extra,
});
const vwc = (...webhooks: object[]) => ({ metadata: { name: 'policy' }, webhooks });
const V = 'admissionregistration.k8s.io/ValidatingWebhookConfiguration';
const M = 'admissionregistration.k8s.io/MutatingWebhookConfiguration';

const rows: Row[] = [
  { name: 'valid', obj: vwc(hook(), hook({ name: 'b.policy.example.com', clientConfig: { url: 'https://hooks.example.com/validate' } })), want: [] },
  {
    name: 'sideEffects required (None or NoneOnDryRun)',
    obj: vwc(hook({ sideEffects: undefined })),
    want: [['FieldValueRequired', 'webhooks[0].sideEffects: Required value: must specify one of None, NoneOnDryRun']],
  },
  {
    name: 'sideEffects Some is refused for new objects',
    obj: vwc(hook({ sideEffects: 'Some' })),
    want: [['FieldValueNotSupported', 'webhooks[0].sideEffects: Unsupported value: "Some": supported values: "None", "NoneOnDryRun"']],
  },
  {
    name: 'names fully qualified and unique',
    obj: vwc(hook({ name: 'policy' }), hook(), hook()),
    want: [
      ['FieldValueInvalid', 'webhooks[0].name: Invalid value: "policy": should be a domain with at least three segments separated by dots'],
      ['FieldValueDuplicate', 'webhooks[2].name: Duplicate value: "pods.policy.example.com"'],
    ],
  },
  {
    name: 'clientConfig: exactly one of url or service',
    obj: vwc(hook({ clientConfig: {} }), hook({ name: 'b.example.com.x', clientConfig: { url: 'https://a.example.com', service: { name: 's', namespace: 'n' } } })),
    want: [
      ['FieldValueRequired', 'webhooks[0].clientConfig: Required value: exactly one of url or service is required'],
      ['FieldValueRequired', 'webhooks[1].clientConfig: Required value: exactly one of url or service is required'],
    ],
  },
  {
    name: 'url: https, no query or fragment or user',
    obj: vwc(hook({ clientConfig: { url: 'http://u@hooks.example.com/x?a=b#c' } })),
    want: [
      ['FieldValueInvalid', `webhooks[0].clientConfig.url: Invalid value: "http": 'https' is the only allowed URL scheme; desired format: https://host[/path]`],
      ['FieldValueInvalid', 'webhooks[0].clientConfig.url: Invalid value: "u": user information is not permitted in the URL'],
      ['FieldValueInvalid', 'webhooks[0].clientConfig.url: Invalid value: "c": fragments are not permitted in the URL'],
      ['FieldValueInvalid', 'webhooks[0].clientConfig.url: Invalid value: "a=b": query parameters are not permitted in the URL'],
    ],
  },
  {
    name: 'service: name, namespace, port, path',
    obj: vwc(hook({ clientConfig: { service: { port: 0, path: 'x//Y' } } })),
    want: [
      ['FieldValueRequired', 'webhooks[0].clientConfig.service.name: Required value: service name is required'],
      ['FieldValueRequired', 'webhooks[0].clientConfig.service.namespace: Required value: service namespace is required'],
      ['FieldValueInvalid', 'webhooks[0].clientConfig.service.port: Invalid value: 0: port is not valid: must be between 1 and 65535, inclusive'],
      ['FieldValueInvalid', `webhooks[0].clientConfig.service.path: Invalid value: "x//Y": must start with a '/'`],
      // Upstream drops the first character whatever it is, so "x//Y" is checked as "//Y".
      ['FieldValueInvalid', 'webhooks[0].clientConfig.service.path: Invalid value: "x//Y": segment[0] may not be empty'],
      ['FieldValueInvalid', 'webhooks[0].clientConfig.service.path: Invalid value: "x//Y": segment[1] may not be empty'],
      [
        'FieldValueInvalid',
        `webhooks[0].clientConfig.service.path: Invalid value: "x//Y": segment[2]: a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
      ],
    ],
  },
  {
    name: 'rules: operations, groups, versions, resources, scope',
    obj: vwc(hook({ rules: [{ operations: ['*', 'PATCH'], apiGroups: ['*', 'apps'], apiVersions: [], resources: ['*', 'pods', '*/*'], scope: 'Global' }] })),
    want: [
      ['FieldValueInvalid', `webhooks[0].rules[0].operations: Invalid value: []admissionregistration.OperationType{"*", "PATCH"}: if '*' is present, must not specify other operations`],
      ['FieldValueNotSupported', 'webhooks[0].rules[0].operations[1]: Unsupported value: "PATCH": supported values: "*", "CONNECT", "CREATE", "DELETE", "UPDATE"'],
      ['FieldValueInvalid', `webhooks[0].rules[0].apiGroups: Invalid value: []string{"*", "apps"}: if '*' is present, must not specify other API groups`],
      ['FieldValueRequired', 'webhooks[0].rules[0].apiVersions: Required value'],
      ['FieldValueInvalid', `webhooks[0].rules[0].resources: Invalid value: []string{"*", "pods", "*/*"}: if '*/*' is present, must not specify other resources`],
      ['FieldValueInvalid', `webhooks[0].rules[0].resources: Invalid value: []string{"*", "pods", "*/*"}: if '*' is present, must not specify other resources without subresources`],
      ['FieldValueNotSupported', 'webhooks[0].rules[0].scope: Unsupported value: "Global": supported values: "*", "Cluster", "Namespaced"'],
    ],
  },
  {
    name: 'enums and timeout',
    obj: vwc(hook({ failurePolicy: 'Retry', matchPolicy: 'Loose', timeoutSeconds: 31 })),
    want: [
      ['FieldValueNotSupported', 'webhooks[0].failurePolicy: Unsupported value: "Retry": supported values: "Fail", "Ignore"'],
      ['FieldValueNotSupported', 'webhooks[0].matchPolicy: Unsupported value: "Loose": supported values: "Equivalent", "Exact"'],
      ['FieldValueInvalid', 'webhooks[0].timeoutSeconds: Invalid value: 31: the timeout value must be between 1 and 30 seconds'],
    ],
  },
  {
    name: 'admissionReviewVersions required and recognized',
    obj: vwc(hook({ admissionReviewVersions: [] }), hook({ name: 'b.example.com.x', admissionReviewVersions: ['v2', 'v2'] })),
    want: [
      ['FieldValueRequired', 'webhooks[0].admissionReviewVersions: Required value: must specify one of v1, v1beta1'],
      ['FieldValueInvalid', 'webhooks[1].admissionReviewVersions[1]: Invalid value: "v2": duplicate version'],
      ['FieldValueInvalid', 'webhooks[1].admissionReviewVersions: Invalid value: []string{"v2", "v2"}: must include at least one of v1, v1beta1'],
    ],
  },
  {
    name: 'update relaxes what the stored object already had',
    old: vwc(hook({ sideEffects: 'Unknown' }), hook({ sideEffects: 'Unknown' })),
    obj: vwc(hook({ sideEffects: 'Unknown', timeoutSeconds: 5 }), hook({ sideEffects: 'Unknown' })),
    want: [],
  },
];

for (const r of rows) test(`ValidatingWebhookConfiguration: ${r.name}`, () => assert.deepEqual(validateAs(V, r.obj, r.old), r.want));

test('MutatingWebhookConfiguration: reinvocationPolicy', () => {
  assert.deepEqual(validateAs(M, vwc(hook({ reinvocationPolicy: 'Always' }))), [
    ['FieldValueNotSupported', 'webhooks[0].reinvocationPolicy: Unsupported value: "Always": supported values: "IfNeeded", "Never"'],
  ]);
  assert.deepEqual(validateAs(M, vwc(hook())), []);
});
