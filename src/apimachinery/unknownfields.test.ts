import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { SMPDefinitions } from './strategicpatch.js';
import { parseJSONRepeats } from './json.js';
import { decodeFields, decodeFieldsOf, fieldValidationDirective, pruneUnknownFields, strictIssueMessage, unknownFieldsOf, type FieldDecodeOptions } from './unknownfields.js';

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

// A small schema for the decode cases: a struct with a nested struct, maps of scalars
// and of structs, a list of structs, and a free-form object.
const THING_DEFS: SMPDefinitions = {
  Thing: {
    properties: {
      name: { type: 'string' },
      spec: { $ref: '#/definitions/Spec' },
      labels: { type: 'object', additionalProperties: { type: 'string' } },
      items: { type: 'object', additionalProperties: { $ref: '#/definitions/Item' } },
      list: { type: 'array', items: { $ref: '#/definitions/Item' } },
      raw: { type: 'object' },
    },
  },
  Spec: {
    properties: {
      replicas: { type: 'integer' },
      paused: { type: 'boolean' },
      sub: { $ref: '#/definitions/Sub' },
      tags: { type: 'object', additionalProperties: { type: 'string' } },
    },
  },
  Sub: { properties: { a: { type: 'integer' }, b: { type: 'integer' } } },
  Item: { properties: { size: { type: 'integer' } } },
};

/** Decodes JSON text against Thing, with its repeated keys as the request decoder sees them. */
function decodeThing(text: string, opts: FieldDecodeOptions = {}): { value: unknown; issues: string[] } {
  const doc = parseJSONRepeats(text);
  const r = decodeFields(doc?.value ?? JSON.parse(text), THING_DEFS, 'Thing', { ...opts, ...(doc ? { repeated: doc.repeated } : {}) });
  return { value: r.value, issues: r.issues.map(strictIssueMessage) };
}

const decodeCases: { name: string; in: string; opts?: FieldDecodeOptions; value: unknown; issues: string[] }[] = [
  { name: 'a clean object', in: '{"name":"a","spec":{"replicas":1},"labels":{"k":"v"}}', value: { name: 'a', spec: { replicas: 1 }, labels: { k: 'v' } }, issues: [] },
  { name: 'a known field named twice: the last wins', in: '{"name":"a","name":"b"}', value: { name: 'b' }, issues: ['duplicate field "name"'] },
  { name: 'an unknown field named twice is reported once, as unknown', in: '{"x":1,"name":"n","x":2}', value: { name: 'n' }, issues: ['unknown field "x"'] },
  { name: 'a map key named twice is a duplicate', in: '{"labels":{"k":"1","k":"2"}}', value: { labels: { k: '2' } }, issues: ['duplicate field "labels.k"'] },
  {
    name: 'a repeated struct is decoded into the one before it (fields merge)',
    in: '{"spec":{"replicas":1,"sub":{"a":1}},"spec":{"paused":true,"sub":{"b":2}}}',
    value: { spec: { replicas: 1, sub: { a: 1, b: 2 }, paused: true } },
    issues: ['duplicate field "spec"'],
  },
  { name: 'a repeated map keeps the keys before it', in: '{"spec":{"tags":{"x":"1"}},"spec":{"tags":{"y":"2"}}}', value: { spec: { tags: { x: '1', y: '2' } } }, issues: ['duplicate field "spec"'] },
  { name: 'a repeated map entry is replaced whole', in: '{"items":{"a":{"size":1},"a":{}}}', value: { items: { a: {} } }, issues: ['duplicate field "items.a"'] },
  { name: 'a repeated list is replaced whole', in: '{"list":[{"size":1}],"list":[]}', value: { list: [] }, issues: ['duplicate field "list"'] },
  {
    name: 'issues come in document order, a value\'s own issues before the next key',
    in: '{"zz":1,"spec":{"replicas":1,"bad":2,"replicas":3},"name":"n"}',
    value: { spec: { replicas: 3 }, name: 'n' },
    issues: ['unknown field "zz"', 'unknown field "spec.bad"', 'duplicate field "spec.replicas"'],
  },
  {
    name: 'list items are named by index',
    in: '{"list":[{"size":1},{"size":1,"size":2,"sise":3}]}',
    value: { list: [{ size: 1 }, { size: 2 }] },
    issues: ['duplicate field "list[1].size"', 'unknown field "list[1].sise"'],
  },
  { name: 'a free-form object keeps every key and reports nothing', in: '{"raw":{"a":1,"a":{"b":1},"zz":[{"q":1,"q":2}]}}', value: { raw: { a: { b: 1 }, zz: [{ q: 2 }] } }, issues: [] },
  {
    name: 'sortKeys: keys are met in sorted order at every level',
    in: '{"b":1,"spec":{"z":1,"a":2},"a":1}',
    opts: { sortKeys: true },
    value: { spec: {} },
    issues: ['unknown field "a"', 'unknown field "b"', 'unknown field "spec.a"', 'unknown field "spec.z"'],
  },
  { name: 'map keys are in paths by default', in: '{"items":{"k":{"sise":1}}}', value: { items: { k: {} } }, issues: ['unknown field "items.k.sise"'] },
  { name: 'mapKeysInPath false leaves them out', in: '{"items":{"k":{"sise":1}}}', opts: { mapKeysInPath: false }, value: { items: { k: {} } }, issues: ['unknown field "items.sise"'] },
];

for (const c of decodeCases) {
  test(`decodeFields: ${c.name}`, () => {
    const r = decodeThing(c.in, c.opts);
    assert.deepEqual(r.value, c.value);
    assert.deepEqual(r.issues, c.issues);
  });
}

test('decodeFields: at most 100 issues, each text once', () => {
  const members = Array.from({ length: 150 }, (_, i) => `"u${i}":1`).join(',');
  const r = decodeThing(`{${members},"u0":2}`);
  assert.equal(r.issues.length, 100);
  assert.equal(new Set(r.issues).size, 100);
  assert.equal(r.issues[0], 'unknown field "u0"');
  assert.deepEqual(r.value, {});
});

test('decodeFields prunes copy-on-write: untouched input is returned as is, touched input is not mutated', () => {
  const clean = { name: 'a', spec: { replicas: 1 }, raw: { anything: 1 } };
  assert.equal(decodeFields(clean, THING_DEFS, 'Thing').value, clean);
  const dirty = { name: 'a', spec: { replicas: 1, bad: true }, list: [{ size: 1 }] };
  const before = structuredClone(dirty);
  const out = decodeFields(dirty, THING_DEFS, 'Thing').value as typeof dirty;
  assert.deepEqual(dirty, before, 'the input is unchanged');
  assert.deepEqual(out, { name: 'a', spec: { replicas: 1 }, list: [{ size: 1 }] });
  assert.equal(out.list, dirty.list, 'an untouched subtree is shared');
});

const prunes: { name: string; gvk: { group: string; version: string; kind: string }; in: Record<string, unknown>; want: Record<string, unknown> }[] = [
  {
    name: 'unknown fields at every depth of a Deployment',
    gvk: DEPLOY,
    in: deployment((d) => {
      d.top = 1;
      spec(d).replicass = 2;
      podSpec(d).containers[0]!.imagee = 'x';
    }),
    want: deployment(),
  },
  {
    name: 'free-form places keep everything: annotations, managedFields fieldsV1, ControllerRevision data',
    gvk: { group: 'apps', version: 'v1', kind: 'ControllerRevision' },
    in: { metadata: { name: 'r', annotations: { any: 'x' }, managedFields: [{ manager: 'm', fieldsV1: { 'f:x': {} } }] }, data: { whatever: { deep: 1 } }, revision: 1 },
    want: { metadata: { name: 'r', annotations: { any: 'x' }, managedFields: [{ manager: 'm', fieldsV1: { 'f:x': {} } }] }, data: { whatever: { deep: 1 } }, revision: 1 },
  },
  { name: 'a kind without a schema is left alone', gvk: { group: 'example.com', version: 'v1', kind: 'Widget' }, in: { spec: { anything: 1 } }, want: { spec: { anything: 1 } } },
];

for (const c of prunes) {
  test(`pruneUnknownFields: ${c.name}`, () => {
    assert.deepEqual(pruneUnknownFields(c.in, c.gvk), c.want);
  });
}

test('decodeFieldsOf a Deployment body with repeats: Go\'s value and sigs.k8s.io/json\'s issues', () => {
  const text = JSON.stringify(deployment()).replace('"replicas":1', '"replicas":1,"replicas":3').replace('"image":"nginx"', '"image":"nginx","imagee":"x","image":"busybox"');
  const doc = parseJSONRepeats(text);
  assert.ok(doc !== undefined);
  const r = decodeFieldsOf(doc.value, DEPLOY, { repeated: doc.repeated });
  assert.deepEqual(r.issues.map(strictIssueMessage), ['duplicate field "spec.replicas"', 'unknown field "spec.template.spec.containers[0].imagee"', 'duplicate field "spec.template.spec.containers[0].image"']);
  const want = deployment((d) => {
    spec(d).replicas = 3;
    podSpec(d).containers[0]!.image = 'busybox';
  });
  assert.deepEqual(r.value, want);
});
