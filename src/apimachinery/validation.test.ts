import { test } from 'node:test';
import assert from 'node:assert/strict';
import { errors, formatFieldError } from './errors.js';
import {
  isDNS1035Label,
  isDNS1123Label,
  isDNS1123Subdomain,
  isQualifiedName,
  isValidLabelValue,
  isValidPathSegmentName,
  isValidPathSegmentPrefix,
  nameValidator,
  validateObjectMeta,
  validateObjectMetaUpdate,
  type ObjectMetaValidationOptions,
} from './validation.js';

const SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL_MSG =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const DNS1035_MSG =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
const KEY_NAME_MSG =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const VALUE_MSG =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

test('name checks return upstream messages', () => {
  const cases: { name: string; fn: (s: string) => string[]; in: string; want: string[] }[] = [
    { name: 'subdomain ok', fn: isDNS1123Subdomain, in: 'example.com', want: [] },
    { name: 'subdomain upper', fn: isDNS1123Subdomain, in: 'Example', want: [SUBDOMAIN_MSG] },
    { name: 'subdomain too long', fn: isDNS1123Subdomain, in: 'a'.repeat(254), want: ['must be no more than 253 characters'] },
    { name: 'subdomain empty', fn: isDNS1123Subdomain, in: '', want: [SUBDOMAIN_MSG] },
    { name: 'label ok', fn: isDNS1123Label, in: '123-abc', want: [] },
    { name: 'label dots', fn: isDNS1123Label, in: 'a.b', want: ['must not contain dots'] },
    { name: 'label underscore', fn: isDNS1123Label, in: 'a_b', want: [LABEL_MSG] },
    { name: 'label too long', fn: isDNS1123Label, in: 'a'.repeat(64), want: ['must be no more than 63 characters'] },
    { name: '1035 ok', fn: isDNS1035Label, in: 'my-svc', want: [] },
    { name: '1035 digit start', fn: isDNS1035Label, in: '1svc', want: [DNS1035_MSG] },
    { name: 'qualified ok', fn: isQualifiedName, in: 'example.com/My_Name-1', want: [] },
    { name: 'qualified bad name', fn: isQualifiedName, in: 'a@b', want: [KEY_NAME_MSG] },
    { name: 'qualified empty prefix', fn: isQualifiedName, in: '/a', want: ['prefix part must be non-empty'] },
    { name: 'qualified bad prefix', fn: isQualifiedName, in: 'Ex/a', want: [`prefix part ${SUBDOMAIN_MSG}`] },
    {
      name: 'qualified empty name',
      fn: isQualifiedName,
      in: 'a/',
      want: ['name part must be non-empty', KEY_NAME_MSG],
    },
    {
      name: 'qualified long name',
      fn: isQualifiedName,
      in: 'a'.repeat(64),
      want: ['name part must be no more than 63 characters'],
    },
    { name: 'label value empty ok', fn: isValidLabelValue, in: '', want: [] },
    { name: 'label value bad', fn: isValidLabelValue, in: '-a', want: [VALUE_MSG] },
    { name: 'path segment dot', fn: isValidPathSegmentName, in: '.', want: ["may not be '.'"] },
    { name: 'path segment dotdot', fn: isValidPathSegmentName, in: '..', want: ["may not be '..'"] },
    { name: 'path segment slash', fn: isValidPathSegmentName, in: 'a/b%c', want: ["may not contain '/'", "may not contain '%'"] },
    { name: 'path prefix dot ok', fn: isValidPathSegmentPrefix, in: '.', want: [] },
    { name: 'path segment colon ok', fn: isValidPathSegmentName, in: 'system:admin', want: [] },
  ];
  for (const c of cases) assert.deepEqual(c.fn(c.in), c.want, c.name);
});

test('nameValidator masks a trailing dash for prefixes (upstream drops two characters)', () => {
  const cases: { name: string; kind: Parameters<typeof nameValidator>[0]; in: string; prefix: boolean; want: number }[] = [
    { name: 'subdomain prefix with dash', kind: 'dns1123-subdomain', in: 'web-', prefix: true, want: 0 },
    { name: 'subdomain name with dash', kind: 'dns1123-subdomain', in: 'web-', prefix: false, want: 1 },
    { name: 'label prefix', kind: 'dns1123-label', in: 'ns-', prefix: true, want: 0 },
    { name: '1035 prefix', kind: 'dns1035-label', in: 'svc-', prefix: true, want: 0 },
    { name: 'path prefix', kind: 'path-segment', in: '..', prefix: true, want: 0 },
    { name: 'path name', kind: 'path-segment', in: '..', prefix: false, want: 1 },
  ];
  for (const c of cases) assert.equal(nameValidator(c.kind)(c.in, c.prefix).length, c.want, c.name);
});

const ns: ObjectMetaValidationOptions = { namespaced: true, nameValidation: 'dns1123-subdomain' };
const cluster: ObjectMetaValidationOptions = { namespaced: false, nameValidation: 'dns1123-label' };

test('validateObjectMeta', () => {
  const cases: { name: string; meta: unknown; opts: ObjectMetaValidationOptions; want: string[] }[] = [
    { name: 'valid namespaced', meta: { name: 'web', namespace: 'default' }, opts: ns, want: [] },
    { name: 'valid cluster', meta: { name: 'kube-system' }, opts: cluster, want: [] },
    {
      name: 'missing name and namespace',
      meta: {},
      opts: ns,
      want: ['metadata.name: Required value: name or generateName is required', 'metadata.namespace: Required value'],
    },
    { name: 'missing metadata', meta: undefined, opts: cluster, want: ['metadata.name: Required value: name or generateName is required'] },
    { name: 'bad name', meta: { name: 'Web', namespace: 'a' }, opts: ns, want: [`metadata.name: Invalid value: "Web": ${SUBDOMAIN_MSG}`] },
    {
      name: 'bad generateName',
      meta: { generateName: 'Web-', name: 'web-abcde', namespace: 'a' },
      opts: ns,
      want: [`metadata.generateName: Invalid value: "Web-": ${SUBDOMAIN_MSG}`],
    },
    {
      name: 'bad namespace',
      meta: { name: 'a', namespace: 'a.b' },
      opts: ns,
      want: ['metadata.namespace: Invalid value: "a.b": must not contain dots'],
    },
    {
      name: 'namespace on cluster kind',
      meta: { name: 'a', namespace: 'x' },
      opts: cluster,
      want: ['metadata.namespace: Forbidden: not allowed on this type'],
    },
    {
      name: 'negative generation',
      meta: { name: 'a', generation: -1 },
      opts: cluster,
      want: ['metadata.generation: Invalid value: -1: must be greater than or equal to 0'],
    },
    {
      name: 'labels key and value',
      meta: { name: 'a', labels: { 'a@': 'ok', good: '-bad' } },
      opts: cluster,
      want: [`metadata.labels: Invalid value: "a@": ${KEY_NAME_MSG}`, `metadata.labels: Invalid value: "-bad": ${VALUE_MSG}`],
    },
    {
      name: 'annotation keys are case-insensitive but checked',
      meta: { name: 'a', annotations: { 'Example.COM/Key': 'x', 'bad key': 'y' } },
      opts: cluster,
      want: [`metadata.annotations: Invalid value: "bad key": ${KEY_NAME_MSG}`],
    },
    {
      name: 'annotations too large',
      meta: { name: 'a', annotations: { big: 'x'.repeat(256 * 1024) } },
      opts: cluster,
      want: ['metadata.annotations: Too long: may not be more than 262144 bytes'],
    },
    {
      name: 'owner references',
      meta: { name: 'a', ownerReferences: [{ apiVersion: 'apps/', kind: '', name: '', uid: '' }] },
      opts: cluster,
      want: [
        'metadata.ownerReferences.apiVersion: Invalid value: "apps/": version must not be empty',
        'metadata.ownerReferences.kind: Invalid value: "": must not be empty',
        'metadata.ownerReferences.name: Invalid value: "": must not be empty',
        'metadata.ownerReferences.uid: Invalid value: "": must not be empty',
      ],
    },
    {
      name: 'event owner',
      meta: { name: 'a', ownerReferences: [{ apiVersion: 'v1', kind: 'Event', name: 'e', uid: 'u' }] },
      opts: cluster,
      want: [
        'metadata.ownerReferences: Invalid value: {"apiVersion":"v1","kind":"Event","name":"e","uid":"u"}: /v1, Kind=Event is disallowed from being an owner',
      ],
    },
    {
      name: 'two controllers',
      meta: {
        name: 'a',
        ownerReferences: [
          { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'r1', uid: '1', controller: true },
          { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'r2', uid: '2', controller: true },
        ],
      },
      opts: cluster,
      want: [
        'metadata.ownerReferences: Invalid value: [{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"r1","uid":"1","controller":true},{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"r2","uid":"2","controller":true}]: Only one reference can have Controller set to true. Found "true" in references for ReplicaSet/r1 and ReplicaSet/r2',
      ],
    },
    {
      name: 'finalizers',
      meta: { name: 'a', finalizers: ['kubernetes.io/pv-protection', 'bad finalizer', 'orphan', 'foregroundDeletion'] },
      opts: cluster,
      want: [
        `metadata.finalizers: Invalid value: "bad finalizer": ${KEY_NAME_MSG}`,
        'metadata.finalizers: Invalid value: ["kubernetes.io/pv-protection","bad finalizer","orphan","foregroundDeletion"]: finalizer orphan and foregroundDeletion cannot be both set',
      ],
    },
    {
      name: 'path-segment names',
      meta: { name: 'system:node:a/b' },
      opts: { namespaced: false, nameValidation: 'path-segment' },
      want: ['metadata.name: Invalid value: "system:node:a/b": may not contain \'/\''],
    },
    {
      name: 'wrong types',
      meta: { name: 5, labels: { a: 1 } },
      opts: cluster,
      want: [
        'metadata.name: Invalid value: 5: must be of type string',
        'metadata.labels[a]: Invalid value: 1: must be of type string',
      ],
    },
  ];
  for (const c of cases) {
    assert.deepEqual(validateObjectMeta(c.meta, c.opts).map(formatFieldError), c.want, c.name);
  }
});

test('validateObjectMeta errors become upstream Invalid status', () => {
  const errs = validateObjectMeta({ name: 'Web', namespace: 'default' }, ns);
  const st = errors.invalid('', 'Pod', 'Web', errs);
  assert.equal(st.code, 422);
  assert.equal(st.message, `Pod "Web" is invalid: metadata.name: Invalid value: "Web": ${SUBDOMAIN_MSG}`);
});

test('validateObjectMetaUpdate', () => {
  const old = { name: 'a', namespace: 'n', uid: 'u1', resourceVersion: '5', generation: 2, creationTimestamp: '2024-01-01T00:00:00Z' };
  const cases: { name: string; next: unknown; old?: unknown; want: string[] }[] = [
    { name: 'unchanged', next: { ...old }, want: [] },
    { name: 'missing resourceVersion', next: { ...old, resourceVersion: '' }, want: ['metadata.resourceVersion: Invalid value: "": must be specified for an update'] },
    { name: 'generation decremented', next: { ...old, generation: 1 }, want: ['metadata.generation: Invalid value: 1: must not be decremented'] },
    { name: 'name immutable', next: { ...old, name: 'b' }, want: ['metadata.name: Invalid value: "b": field is immutable'] },
    { name: 'uid immutable', next: { ...old, uid: 'u2' }, want: ['metadata.uid: Invalid value: "u2": field is immutable'] },
    {
      name: 'no new finalizers while deleting',
      old: { ...old, deletionTimestamp: '2024-01-02T00:00:00Z', finalizers: ['a'] },
      next: { ...old, deletionTimestamp: '2024-01-02T00:00:00Z', finalizers: ['a', 'c', 'b'] },
      want: ['metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{"b", "c"}'],
    },
  ];
  for (const c of cases) {
    assert.deepEqual(validateObjectMetaUpdate(c.next, c.old ?? old).map(formatFieldError), c.want, c.name);
  }
});
