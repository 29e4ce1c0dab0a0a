import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isStatusError } from './errors.js';
import type { SMPDefinitions } from './strategicpatch.js';
import { fieldValidationDirective, fieldValidationOutcome, unknownFieldsOf } from './unknownfields.js';

const DEPLOY = { group: 'apps', version: 'v1', kind: 'Deployment' };
const POD = { group: '', version: 'v1', kind: 'Pod' };

function deployment(extra: (d: Record<string, unknown>) => void = () => {}): Record<string, unknown> {
  const d: Record<string, unknown> = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', labels: { app: 'web' }, annotations: { 'a/b': 'c' } },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: { containers: [{ name: 'c', image: 'nginx', resources: { limits: { cpu: '1' } }, ports: [{ containerPort: 80 }] }] },
      },
    },
  };
  extra(d);
  return d;
}
const spec = (d: Record<string, unknown>) => d.spec as Record<string, unknown>;
const podSpec = (d: Record<string, unknown>) => (spec(d).template as { spec: { containers: Record<string, unknown>[] } }).spec;

// Table: object → unknown field paths, against the server's generated definitions.
const cases: { name: string; gvk: { group: string; version: string; kind: string }; obj: unknown; want: string[] }[] = [
  { name: 'a valid Deployment', gvk: DEPLOY, obj: deployment(), want: [] },
  { name: 'a misspelt spec field', gvk: DEPLOY, obj: deployment((d) => (spec(d).replicass = 2)), want: ['spec.replicass'] },
  {
    name: 'several, in document order',
    gvk: DEPLOY,
    obj: deployment((d) => {
      d.a = 1;
      spec(d).b = 2;
    }),
    want: ['spec.b', 'a'],
  },
  {
    name: 'a list item field has its index',
    gvk: DEPLOY,
    obj: deployment((d) => {
      const cs = podSpec(d).containers;
      cs.push({ name: 'd', image: 'busybox', imagee: 'x' });
      (cs[0] as { ports: Record<string, unknown>[] }).ports[0]!.hostPortt = 1;
    }),
    want: ['spec.template.spec.containers[0].ports[0].hostPortt', 'spec.template.spec.containers[1].imagee'],
  },
  { name: 'metadata is checked against ObjectMeta', gvk: DEPLOY, obj: deployment((d) => ((d.metadata as Record<string, unknown>).labelz = {})), want: ['metadata.labelz'] },
  { name: 'string maps (labels, annotations) take any key', gvk: POD, obj: { metadata: { labels: { anything: 'x' } }, spec: { nodeSelector: { k: 'v' } } }, want: [] },
  { name: 'Quantity maps take any key', gvk: POD, obj: { spec: { overhead: { 'example.com/gpu': '1' } } }, want: [] },
  { name: 'managedFields.fieldsV1 is free-form', gvk: POD, obj: { metadata: { managedFields: [{ manager: 'm', fieldsV1: { 'f:spec': { 'f:x': {} } } }] } }, want: [] },
  { name: 'a RawExtension is not descended into', gvk: { group: 'apps', version: 'v1', kind: 'ControllerRevision' }, obj: { data: { whatever: { deep: 1 } } }, want: [] },
  { name: 'status fields are checked too', gvk: POD, obj: { status: { phase: 'Running', phaze: 'x' } }, want: ['status.phaze'] },
  { name: 'nulls are fine', gvk: POD, obj: { metadata: null, spec: { containers: null } }, want: [] },
  { name: 'a kind without a schema is not checked', gvk: { group: 'example.com', version: 'v1', kind: 'Widget' }, obj: { spec: { anything: 1 } }, want: [] },
];

for (const c of cases) {
  test(`unknownFieldsOf: ${c.name}`, () => {
    assert.deepEqual(unknownFieldsOf(c.obj, c.gvk), c.want);
  });
}

test('unknownFieldsOf with given definitions: typed map values are checked, free-form ones are not', () => {
  const defs: SMPDefinitions = {
    Thing: {
      properties: { items: { type: 'object', additionalProperties: { $ref: '#/definitions/Item' } }, raw: { type: 'object' } },
      'x-kubernetes-group-version-kind': [{ group: 'x', version: 'v1', kind: 'Thing' }],
    },
    Item: { allOf: [{ $ref: '#/definitions/ItemBody' }] },
    ItemBody: { properties: { size: { type: 'integer' } } },
  };
  const obj = { items: { a: { size: 1 }, b: { sise: 2 } }, raw: { free: { form: true } } };
  assert.deepEqual(unknownFieldsOf(obj, { group: 'x', version: 'v1', kind: 'Thing' }, defs), ['items.b.sise']);
});

test('fieldValidationDirective: absent and empty are Warn, as upstream defaults', () => {
  const d = (q: string) => fieldValidationDirective(new URLSearchParams(q));
  assert.equal(d(''), 'Warn');
  assert.equal(d('fieldValidation='), 'Warn');
  assert.equal(d('fieldValidation=Warn'), 'Warn');
  assert.equal(d('fieldValidation=Strict'), 'Strict');
  assert.equal(d('fieldValidation=Ignore'), 'Ignore');
});

const outcomes: { name: string; directive: 'Strict' | 'Warn' | 'Ignore'; paths: string[]; as?: { version: string; kind: string }; error?: string; warnings?: string[] }[] = [
  {
    name: 'Strict on create',
    directive: 'Strict',
    paths: ['spec.replicass'],
    as: { version: 'v1', kind: 'Deployment' },
    error: 'Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.replicass"',
  },
  { name: 'Strict on patch, several', directive: 'Strict', paths: ['a', 'b'], error: 'strict decoding error: unknown field "a", unknown field "b"' },
  { name: 'Warn', directive: 'Warn', paths: ['a', 'spec.b'], warnings: ['299 - "unknown field \\"a\\""', '299 - "unknown field \\"spec.b\\""'] },
  { name: 'Ignore', directive: 'Ignore', paths: ['a'], warnings: [] },
  { name: 'Strict without unknown fields', directive: 'Strict', paths: [], warnings: [] },
];

for (const c of outcomes) {
  test(`fieldValidationOutcome: ${c.name}`, () => {
    const o = fieldValidationOutcome(c.directive, c.paths, c.as);
    if (c.error !== undefined) {
      assert.ok(isStatusError(o.error));
      assert.equal(o.error.code, 400);
      assert.equal(o.error.reason, 'BadRequest');
      assert.equal(o.error.message, c.error);
    } else {
      assert.equal(o.error, undefined);
      assert.deepEqual(o.warnings, c.warnings);
    }
  });
}
