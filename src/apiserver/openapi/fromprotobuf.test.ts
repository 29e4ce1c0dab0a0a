import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { SchemaMessage } from '../../apimachinery/protobuf/schema.js';
import { definitionNameForMessage, jsonFields, messageNameForDefinition, supplementFromProtobuf } from './fromprotobuf.js';
import { stableStringify, type Schema } from './schema.js';

const CORE = 'k8s.io.api.core.v1.';
const META = 'k8s.io.apimachinery.pkg.apis.meta.v1.';
const R = '#/definitions/';

/** A small schema in the shape gen-protobuf writes. */
const MESSAGES: Record<string, SchemaMessage> = {
  [META + 'Time']: { special: 'time', fields: [{ no: 1, json: 'seconds', type: 'int64' }] },
  [META + 'Duration']: { special: 'duration', fields: [{ no: 1, json: 'duration', type: 'int64' }] },
  [META + 'ObjectMeta']: { fields: [{ no: 1, json: 'name', type: 'string' }] },
  [META + 'ListMeta']: { fields: [{ no: 1, json: 'resourceVersion', type: 'string' }] },
  ['k8s.io.apimachinery.pkg.api.resource.Quantity']: { special: 'quantity', fields: [{ no: 1, json: 'string', type: 'string' }] },
  ['k8s.io.apimachinery.pkg.api.resource.QuantityValue']: { special: 'quantity', fields: [{ no: 1, json: 'string', type: 'string' }] },
  ['k8s.io.apimachinery.pkg.util.intstr.IntOrString']: { special: 'intorstring', fields: [{ no: 1, json: 'type', type: 'int64' }] },
  ['k8s.io.apimachinery.pkg.runtime.RawExtension']: { special: 'rawjson', fields: [{ no: 1, json: 'raw', type: 'bytes' }] },
  ['k8s.io.api.authentication.v1.ExtraValue']: { special: 'list', fields: [{ no: 1, json: 'items', type: 'string', repeated: true }] },
  [CORE + 'PodSpec']: {
    fields: [
      { no: 1, json: 'nodeName', type: 'string' },
      { no: 40, json: 'resources', type: 'message', ref: CORE + 'ResourceRequirements', ptr: true },
      { no: 41, json: 'extra', type: 'map', key: 'string', value: 'message', ref: 'k8s.io.api.authentication.v1.ExtraValue' },
    ],
  },
  [CORE + 'ResourceRequirements']: { fields: [{ no: 1, json: 'limits', type: 'map', key: 'string', value: 'message', ref: 'k8s.io.apimachinery.pkg.api.resource.Quantity' }] },
  [CORE + 'Volume']: {
    fields: [
      { no: 1, json: 'name', type: 'string', keep: true },
      { no: 2, json: '', type: 'message', ref: CORE + 'VolumeSource', inline: true },
    ],
  },
  [CORE + 'VolumeSource']: {
    fields: [
      { no: 1, json: 'emptyDir', type: 'message', ref: CORE + 'EmptyDirVolumeSource', ptr: true },
      { no: 30, json: 'image', type: 'message', ref: CORE + 'ImageVolumeSource', ptr: true },
    ],
  },
  [CORE + 'EmptyDirVolumeSource']: { fields: [{ no: 2, json: 'sizeLimit', type: 'message', ref: 'k8s.io.apimachinery.pkg.api.resource.Quantity' }] },
  [CORE + 'ImageVolumeSource']: {
    fields: [
      { no: 1, json: 'reference', type: 'string' },
      { no: 2, json: 'pullPolicy', type: 'string' },
      { no: 3, json: 'digest', type: 'bytes' },
      { no: 4, json: 'ratio', type: 'double' },
      { no: 5, json: 'count', type: 'int32' },
      { no: 6, json: 'big', type: 'uint64' },
      { no: 7, json: 'on', type: 'bool' },
      { no: 8, json: 'port', type: 'message', ref: 'k8s.io.apimachinery.pkg.util.intstr.IntOrString' },
      { no: 9, json: 'raw', type: 'message', ref: 'k8s.io.apimachinery.pkg.runtime.RawExtension' },
      { no: 10, json: 'timeout', type: 'message', ref: META + 'Duration' },
      { no: 11, json: 'at', type: 'message', ref: META + 'Time' },
      { no: 12, json: 'tags', type: 'string', repeated: true },
      { no: 13, json: 'labels', type: 'map', key: 'string', value: 'string' },
      { no: 14, json: 'hints', type: 'message', ref: CORE + 'Hint', repeated: true },
      { no: 15, json: 'limit', type: 'message', ref: 'k8s.io.apimachinery.pkg.api.resource.QuantityValue' },
    ],
  },
  [CORE + 'Hint']: { fields: [{ no: 1, json: 'parent', type: 'message', ref: CORE + 'Hint', ptr: true }] },
  [CORE + 'PodResourceClaim']: { fields: [{ no: 1, json: 'name', type: 'string' }, { no: 3, json: 'resourceClaimName', type: 'string', ptr: true }] },
  ['k8s.io.api.demo.v1beta1.Widget']: {
    fields: [
      { no: 1, json: 'metadata', type: 'message', ref: META + 'ObjectMeta' },
      { no: 2, json: 'spec', type: 'message', ref: 'k8s.io.api.demo.v1beta1.WidgetSpec' },
    ],
  },
  ['k8s.io.api.demo.v1beta1.WidgetSpec']: { fields: [{ no: 1, json: 'size', type: 'int64' }] },
  ['k8s.io.api.demo.v1beta1.WidgetList']: {
    fields: [
      { no: 1, json: 'metadata', type: 'message', ref: META + 'ListMeta' },
      { no: 2, json: 'items', type: 'message', ref: 'k8s.io.api.demo.v1beta1.Widget', repeated: true },
    ],
  },
  ['k8s.io.api.demo.v1beta1.Unused']: { fields: [{ no: 1, json: 'x', type: 'string' }] },
};

/** What the typings of an older release give: no PodSpec.resources, no Volume.image, a removed field. */
function oldDefinitions(): Record<string, Schema> {
  return {
    'io.k8s.apimachinery.pkg.apis.meta.v1.Time': { type: 'string', format: 'date-time' },
    'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta': { type: 'object', properties: { name: { type: 'string' } } },
    'io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta': { type: 'object', properties: { resourceVersion: { type: 'string' } } },
    'io.k8s.apimachinery.pkg.api.resource.Quantity': { type: 'string' },
    'io.k8s.apimachinery.pkg.util.intstr.IntOrString': { type: 'string', format: 'int-or-string' },
    'io.k8s.apimachinery.pkg.runtime.RawExtension': { type: 'object' },
    'io.k8s.api.core.v1.PodSpec': { type: 'object', description: 'PodSpec.', properties: { nodeName: { type: 'string', description: 'The node.' } } },
    'io.k8s.api.core.v1.ResourceRequirements': { type: 'object', properties: { limits: { type: 'object', additionalProperties: { $ref: R + 'io.k8s.apimachinery.pkg.api.resource.Quantity' } } } },
    'io.k8s.api.core.v1.Volume': { type: 'object', properties: { name: { type: 'string' }, emptyDir: { $ref: R + 'io.k8s.api.core.v1.EmptyDirVolumeSource' } }, required: ['name'] },
    'io.k8s.api.core.v1.EmptyDirVolumeSource': { type: 'object', properties: { sizeLimit: { $ref: R + 'io.k8s.apimachinery.pkg.api.resource.Quantity' } } },
    'io.k8s.api.core.v1.PodResourceClaim': { type: 'object', properties: { name: { type: 'string' }, source: { type: 'object' } }, required: ['name', 'source'] },
  };
}

test('message and definition names map to each other', () => {
  const cases = [
    { message: 'k8s.io.api.core.v1.Pod', def: 'io.k8s.api.core.v1.Pod' },
    { message: 'k8s.io.apimachinery.pkg.apis.meta.v1.Time', def: 'io.k8s.apimachinery.pkg.apis.meta.v1.Time' },
    { message: 'k8s.io.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSON', def: 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSON' },
  ];
  for (const c of cases) {
    assert.equal(definitionNameForMessage(c.message), c.def);
    assert.equal(messageNameForDefinition(c.def), c.message);
  }
});

test('embedded structs contribute their fields in place', () => {
  assert.deepEqual(
    jsonFields(MESSAGES, CORE + 'Volume').map((f) => f.json),
    ['name', 'emptyDir', 'image'],
  );
  assert.deepEqual(jsonFields(MESSAGES, 'k8s.io.api.none.v1.Missing'), []);
});

test('adds the fields the definitions lack, typed like upstream', () => {
  const defs = oldDefinitions();
  const r = supplementFromProtobuf(defs, MESSAGES, { removedProperties: ['io.k8s.api.core.v1.PodResourceClaim.source'] });
  assert.deepEqual(r.warnings, []);
  assert.deepEqual(r.addedProperties, [
    'io.k8s.api.core.v1.PodResourceClaim.resourceClaimName',
    'io.k8s.api.core.v1.PodSpec.extra',
    'io.k8s.api.core.v1.PodSpec.resources',
    'io.k8s.api.core.v1.Volume.image',
  ]);
  assert.deepEqual(r.addedDefinitions, ['io.k8s.api.core.v1.Hint', 'io.k8s.api.core.v1.ImageVolumeSource']);
  assert.deepEqual(r.removedProperties, ['io.k8s.api.core.v1.PodResourceClaim.source']);

  const spec = defs['io.k8s.api.core.v1.PodSpec'] as Schema;
  assert.equal(spec.description, 'PodSpec.', 'what the typings said stays');
  assert.deepEqual(spec.properties?.['nodeName'], { type: 'string', description: 'The node.' });
  assert.deepEqual(spec.properties?.['resources'], { $ref: R + 'io.k8s.api.core.v1.ResourceRequirements' });
  assert.deepEqual(spec.properties?.['extra'], { type: 'object', additionalProperties: { type: 'array', items: { type: 'string' } } });
  assert.deepEqual(defs['io.k8s.api.core.v1.Volume']?.properties?.['image'], { $ref: R + 'io.k8s.api.core.v1.ImageVolumeSource' });

  const image = defs['io.k8s.api.core.v1.ImageVolumeSource']?.properties ?? {};
  const cases: { field: string; want: Schema }[] = [
    { field: 'reference', want: { type: 'string' } },
    { field: 'digest', want: { type: 'string', format: 'byte' } },
    { field: 'ratio', want: { type: 'number', format: 'double' } },
    { field: 'count', want: { type: 'integer', format: 'int32' } },
    { field: 'big', want: { type: 'integer', format: 'int64' } },
    { field: 'on', want: { type: 'boolean' } },
    { field: 'port', want: { $ref: R + 'io.k8s.apimachinery.pkg.util.intstr.IntOrString' } },
    { field: 'raw', want: { $ref: R + 'io.k8s.apimachinery.pkg.runtime.RawExtension' } },
    { field: 'timeout', want: { type: 'string' } },
    { field: 'at', want: { $ref: R + 'io.k8s.apimachinery.pkg.apis.meta.v1.Time' } },
    { field: 'tags', want: { type: 'array', items: { type: 'string' } } },
    { field: 'labels', want: { type: 'object', additionalProperties: { type: 'string' } } },
    { field: 'hints', want: { type: 'array', items: { $ref: R + 'io.k8s.api.core.v1.Hint' } } },
    { field: 'limit', want: { $ref: R + 'io.k8s.apimachinery.pkg.api.resource.Quantity' } },
  ];
  for (const c of cases) assert.deepEqual(image[c.field], c.want, c.field);
  assert.deepEqual(defs['io.k8s.api.core.v1.Hint'], { type: 'object', properties: { parent: { $ref: R + 'io.k8s.api.core.v1.Hint' } } }, 'a self-reference resolves');

  const claim = defs['io.k8s.api.core.v1.PodResourceClaim'] as Schema;
  assert.deepEqual(Object.keys(claim.properties ?? {}).sort(), ['name', 'resourceClaimName']);
  assert.deepEqual(claim.required, ['name'], 'a removed field is no longer required');
  assert.equal(defs['io.k8s.api.demo.v1beta1.Unused'], undefined, 'messages nothing refers to are not published');
});

test('a field the schema lacks is reported unless it is listed as removed', () => {
  const defs = oldDefinitions();
  const r = supplementFromProtobuf(defs, MESSAGES, { removedProperties: ['io.k8s.api.core.v1.PodSpec.nodeName'] });
  assert.deepEqual(r.removedProperties, []);
  assert.deepEqual(r.warnings, [
    'io.k8s.api.core.v1.PodResourceClaim.source: not a field of k8s.io.api.core.v1.PodResourceClaim in the protobuf schema (removed upstream? list it to drop it)',
    'removed property io.k8s.api.core.v1.PodSpec.nodeName: still a field upstream, or no such definition',
  ]);
  assert.ok(defs['io.k8s.api.core.v1.PodResourceClaim']?.properties?.['source'] !== undefined, 'an unlisted field is kept');
});

test('new kinds are published with their List, TypeMeta and group-version-kind', () => {
  const defs = oldDefinitions();
  const r = supplementFromProtobuf(defs, MESSAGES, {
    newKinds: [{ group: 'demo.k8s.io', version: 'v1beta1', kind: 'Widget', package: 'k8s.io.api.demo.v1beta1' }],
    removedProperties: ['io.k8s.api.core.v1.PodResourceClaim.source'],
  });
  assert.deepEqual(r.warnings, []);
  for (const name of ['Widget', 'WidgetList', 'WidgetSpec']) assert.ok(r.addedDefinitions.includes(`io.k8s.api.demo.v1beta1.${name}`), name);
  const widget = defs['io.k8s.api.demo.v1beta1.Widget'] as Schema;
  assert.deepEqual(widget['x-kubernetes-group-version-kind'], [{ group: 'demo.k8s.io', kind: 'Widget', version: 'v1beta1' }]);
  assert.deepEqual(Object.keys(widget.properties ?? {}).sort(), ['apiVersion', 'kind', 'metadata', 'spec']);
  assert.deepEqual(widget.properties?.['metadata'], { $ref: R + 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta' });
  const list = defs['io.k8s.api.demo.v1beta1.WidgetList'] as Schema;
  assert.deepEqual(list['x-kubernetes-group-version-kind'], [{ group: 'demo.k8s.io', kind: 'WidgetList', version: 'v1beta1' }]);
  assert.deepEqual(list.properties?.['items'], { type: 'array', items: { $ref: R + 'io.k8s.api.demo.v1beta1.Widget' } });
  assert.equal(defs['io.k8s.api.demo.v1beta1.WidgetSpec']?.['x-kubernetes-group-version-kind'], undefined);
});

test('a listed kind the schema lacks, or one already defined, is reported', () => {
  const defs = oldDefinitions();
  const r = supplementFromProtobuf(defs, MESSAGES, {
    newKinds: [
      { group: 'demo.k8s.io', version: 'v1', kind: 'Gadget', package: 'k8s.io.api.demo.v1' },
      { group: '', version: 'v1', kind: 'Volume', package: 'k8s.io.api.core.v1' },
    ],
    removedProperties: ['io.k8s.api.core.v1.PodResourceClaim.source'],
  });
  assert.deepEqual(r.warnings, [
    'new kind demo.k8s.io/v1 Gadget: no message k8s.io.api.demo.v1.Gadget in the protobuf schema',
    'new kind demo.k8s.io/v1 GadgetList: no message k8s.io.api.demo.v1.GadgetList in the protobuf schema',
    'new kind Volume: definition io.k8s.api.core.v1.Volume already exists',
    'new kind v1 VolumeList: no message k8s.io.api.core.v1.VolumeList in the protobuf schema',
  ]);
});

test('the same inputs give the same definitions', () => {
  const a = oldDefinitions();
  const b = oldDefinitions();
  const opts = { removedProperties: ['io.k8s.api.core.v1.PodResourceClaim.source'] };
  supplementFromProtobuf(a, MESSAGES, opts);
  // The same messages listed in another order.
  supplementFromProtobuf(b, Object.fromEntries(Object.entries(MESSAGES).reverse()), opts);
  assert.equal(stableStringify(a), stableStringify(b));
});
