import { test } from 'node:test';
import assert from 'node:assert/strict';
import zlib, { gzipSync } from 'node:zlib';
import { GOGO_CUSTOMNAME, GOGO_GOPROTO_STRINGER, GOGO_NULLABLE, LABEL_OPTIONAL, LABEL_REPEATED, parseFileDescriptor } from './descriptor.js';
import { extractFileDescriptors, gunzipMemberAt, parseGoTag, readGoStructTypes, scanGoTags, type GoStructType } from './extract.js';
import { buildSchemaMessages, messageNameFor, protoPackage } from './schema.js';
import { Writer } from './wire.js';

// ---- synthetic descriptors -------------------------------------------------------------

const TYPES: Record<string, number> = { int32: 5, int64: 3, bool: 8, string: 9, message: 11, bytes: 12 };

interface F {
  name: string;
  no: number;
  type: string;
  ref?: string;
  repeated?: boolean;
  nonNullable?: boolean;
  customName?: string;
}

function field(f: F): Writer {
  const w = new Writer()
    .string(1, f.name)
    .varint(3, f.no)
    .varint(4, f.repeated === true ? LABEL_REPEATED : LABEL_OPTIONAL)
    .varint(5, TYPES[f.type] ?? 0);
  if (f.ref !== undefined) w.string(6, `.${f.ref}`);
  const opts = new Writer();
  if (f.nonNullable === true) opts.varint(GOGO_NULLABLE, false);
  if (f.customName !== undefined) opts.string(GOGO_CUSTOMNAME, f.customName);
  w.bytes(8, opts).string(10, f.name);
  return w;
}

function message(name: string, fields: F[], extra?: (w: Writer) => void): Writer {
  const w = new Writer().string(1, name);
  for (const f of fields) w.bytes(2, field(f));
  extra?.(w);
  return w;
}

function mapEntry(name: string, value: F): Writer {
  return message(name, [{ name: 'key', no: 1, type: 'string' }, { ...value, name: 'value', no: 2 }], (w) => w.bytes(7, new Writer().varint(7, true)));
}

const P = 'k8s.io.api.widgets.v1';

function widgetsFile(): Uint8Array {
  const w = new Writer().string(1, 'k8s.io/api/widgets/v1/generated.proto').string(2, P).string(3, 'github.com/gogo/protobuf/gogoproto/gogo.proto');
  w.bytes(
    4,
    message(
      'WidgetSpec',
      [
        { name: 'replicas', no: 1, type: 'int32', customName: 'Replicas' },
        { name: 'paused', no: 2, type: 'bool', nonNullable: true, customName: 'Paused' },
        { name: 'value', no: 3, type: 'int32', nonNullable: true, customName: 'Value' },
        { name: 'labels', no: 4, type: 'message', ref: `${P}.WidgetSpec.LabelsEntry`, repeated: true, nonNullable: true },
        { name: 'data', no: 5, type: 'bytes' },
        { name: 'args', no: 6, type: 'string', repeated: true },
        { name: 'ref', no: 7, type: 'message', ref: `${P}.Ref`, nonNullable: true, customName: 'Ref' },
        { name: 'handler', no: 8, type: 'message', ref: `${P}.Handler`, nonNullable: true, customName: 'Handler' },
        { name: 'target', no: 9, type: 'message', ref: `${P}.Ref`, customName: 'Target' },
        { name: 'aPIGroup', no: 10, type: 'string', customName: 'APIGroup' },
        { name: 'uid', no: 11, type: 'string', nonNullable: true, customName: 'UID' },
      ],
      (m) => m.bytes(3, mapEntry('LabelsEntry', { name: 'value', no: 2, type: 'string' })),
    ),
  );
  w.bytes(4, message('Ref', [{ name: 'name', no: 1, type: 'string', nonNullable: true }]));
  w.bytes(4, message('Handler', [{ name: 'exec', no: 1, type: 'string' }]));
  w.bytes(4, message('Words', [{ name: 'items', no: 1, type: 'string', repeated: true }], (m) => m.bytes(7, new Writer().varint(GOGO_GOPROTO_STRINGER, false))));
  return w.finish();
}

const STRUCTS = new Map<string, GoStructType>([
  [
    'k8s.io/api/widgets/v1.WidgetSpec',
    {
      pkgPath: 'k8s.io/api/widgets/v1',
      name: 'WidgetSpec',
      fields: [
        { name: 'Replicas', embedded: false, tag: 'json:"replicas,omitempty" protobuf:"varint,1,opt,name=replicas"' },
        { name: 'Paused', embedded: false, tag: 'json:"paused,omitempty" protobuf:"varint,2,opt,name=paused"' },
        { name: 'Value', embedded: false, tag: 'json:"value" protobuf:"varint,3,opt,name=value"' },
        { name: 'Labels', embedded: false, tag: 'json:"labels,omitempty" protobuf:"bytes,4,rep,name=labels"' },
        { name: 'Data', embedded: false, tag: 'json:"data,omitempty" protobuf:"bytes,5,opt,name=data"' },
        { name: 'Args', embedded: false, tag: 'json:"args" protobuf:"bytes,6,rep,name=args"' },
        { name: 'Ref', embedded: true, tag: 'json:",inline" protobuf:"bytes,7,opt,name=ref"' },
        { name: 'Handler', embedded: true, tag: 'json:",inline" protobuf:"bytes,8,opt,name=handler"' },
        { name: 'Target', embedded: false, tag: 'json:"target,omitempty" protobuf:"bytes,9,opt,name=target"' },
        { name: 'APIGroup', embedded: false, tag: 'json:"apiGroup,omitempty" protobuf:"bytes,10,opt,name=aPIGroup"' },
        { name: 'UID', embedded: false, tag: 'protobuf:"bytes,11,opt,name=uid"' },
      ],
    },
  ],
  ['k8s.io/api/widgets/v1.Ref', { pkgPath: 'k8s.io/api/widgets/v1', name: 'Ref', fields: [{ name: 'Name', embedded: false, tag: 'json:"name" protobuf:"bytes,1,opt,name=name"' }] }],
]);

test('parseFileDescriptor reads messages, nested map entries and gogoproto options', () => {
  const file = parseFileDescriptor(widgetsFile());
  assert.equal(file.name, 'k8s.io/api/widgets/v1/generated.proto');
  assert.equal(file.package, P);
  assert.deepEqual(
    file.messages.map((m) => [m.fullName, m.mapEntry, m.customStringer]),
    [
      [`${P}.WidgetSpec`, false, false],
      [`${P}.WidgetSpec.LabelsEntry`, true, false],
      [`${P}.Ref`, false, false],
      [`${P}.Handler`, false, false],
      [`${P}.Words`, false, true],
    ],
  );
  const spec = file.messages[0];
  assert.deepEqual(
    spec?.fields.slice(0, 4).map((f) => [f.name, f.number, f.type, f.nullable, f.customName, f.typeName]),
    [
      ['replicas', 1, 'int32', undefined, 'Replicas', ''],
      ['paused', 2, 'bool', false, 'Paused', ''],
      ['value', 3, 'int32', false, 'Value', ''],
      ['labels', 4, 'message', false, undefined, `${P}.WidgetSpec.LabelsEntry`],
    ],
  );
});

test('buildSchemaMessages: pointers, maps, lists, and what the Go structs say', () => {
  const file = parseFileDescriptor(widgetsFile());
  const withStructs = buildSchemaMessages([file], [], STRUCTS);
  assert.deepEqual(withStructs.warnings, []);
  assert.deepEqual(withStructs.messages[`${P}.WidgetSpec`]?.fields, [
    { no: 1, json: 'replicas', type: 'int32', ptr: true },
    { no: 2, json: 'paused', type: 'bool' },
    { no: 3, json: 'value', type: 'int32', keep: true },
    { no: 4, json: 'labels', type: 'map', key: 'string', value: 'string' },
    { no: 5, json: 'data', type: 'bytes' },
    // No omitempty on a list: an empty Go object writes it as null.
    { no: 6, json: 'args', type: 'string', repeated: true, keepNull: true },
    { no: 7, json: '', type: 'message', ref: `${P}.Ref`, inline: true },
    { no: 8, json: '', type: 'message', ref: `${P}.Handler`, inline: true },
    { no: 9, json: 'target', type: 'message', ref: `${P}.Ref`, ptr: true },
    { no: 10, json: 'apiGroup', type: 'string', ptr: true },
    // No json tag: encoding/json names it after the Go field.
    { no: 11, json: 'UID', type: 'string', keep: true },
  ]);
  assert.equal(withStructs.messages[`${P}.WidgetSpec.LabelsEntry`], undefined);
  assert.equal(withStructs.messages[`${P}.Words`]?.special, 'list');
  assert.equal(withStructs.matched, 2);
  assert.deepEqual(withStructs.unmatched, [`${P}.Handler`]);

  // Without Go type data: loose tags give JSON names and inline fields, no omitempty.
  const tags = [...STRUCTS.values()].flatMap((s) => s.fields.map((f) => parseGoTag(f.tag))).filter((t) => t !== undefined);
  const loose = buildSchemaMessages([file], tags);
  const byNo = new Map(loose.messages[`${P}.WidgetSpec`]?.fields.map((f) => [f.no, f]));
  assert.equal(byNo.get(3)?.keep, undefined);
  assert.equal(byNo.get(7)?.inline, true);
  assert.equal(byNo.get(8)?.inline, true);
  assert.equal(byNo.get(10)?.json, 'apiGroup');
  // With nothing: proto names, known fix-ups, and embedded-looking fields stay named.
  const bare = buildSchemaMessages([file], []);
  const bareByNo = new Map(bare.messages[`${P}.WidgetSpec`]?.fields.map((f) => [f.no, f]));
  assert.equal(bareByNo.get(10)?.json, 'apiGroup');
  assert.equal(bareByNo.get(7)?.inline, undefined);
});

test('protoPackage and messageNameFor follow upstream package names', () => {
  const cases: { group: string; version: string; want: string }[] = [
    { group: '', version: 'v1', want: 'k8s.io.api.core.v1' },
    { group: 'apps', version: 'v1', want: 'k8s.io.api.apps.v1' },
    { group: 'rbac.authorization.k8s.io', version: 'v1', want: 'k8s.io.api.rbac.v1' },
    { group: 'internal.apiserver.k8s.io', version: 'v1alpha1', want: 'k8s.io.api.apiserverinternal.v1alpha1' },
    { group: 'meta.k8s.io', version: 'v1', want: 'k8s.io.apimachinery.pkg.apis.meta.v1' },
  ];
  for (const c of cases) assert.equal(protoPackage(c.group, c.version), c.want, `${c.group}/${c.version}`);
  const messages = { 'k8s.io.api.apps.v1.Deployment': {}, 'k8s.io.apimachinery.pkg.apis.meta.v1.DeleteOptions': {} };
  assert.equal(messageNameFor(messages, { group: 'apps', version: 'v1', kind: 'Deployment' }), 'k8s.io.api.apps.v1.Deployment');
  assert.equal(messageNameFor(messages, { group: 'apps', version: 'v1', kind: 'DeleteOptions' }), 'k8s.io.apimachinery.pkg.apis.meta.v1.DeleteOptions');
  assert.equal(messageNameFor(messages, { group: 'apps', version: 'v1', kind: 'Pod' }), undefined);
  assert.equal(messageNameFor(messages, { group: 'apps', version: 'v1', kind: 'toString' }), undefined);
});

// ---- extraction from a binary ----------------------------------------------------------

test('gunzipMemberAt takes one gzip member and checks its trailer', () => {
  const a = gzipSync(Buffer.from('first'));
  const b = gzipSync(Buffer.from('second'));
  const buf = Buffer.concat([Buffer.from('junk'), a, b]);
  assert.equal(Buffer.from(gunzipMemberAt(buf, 4) ?? []).toString(), 'first');
  assert.equal(Buffer.from(gunzipMemberAt(buf, 4 + a.length) ?? []).toString(), 'second');
  const bad = Buffer.from(a);
  bad.writeUInt32LE((bad.readUInt32LE(bad.length - 8) ^ 1) >>> 0, bad.length - 8);
  assert.equal(gunzipMemberAt(bad, 0), undefined);
  assert.equal(gunzipMemberAt(Buffer.from([0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 0, 0, 1, 2]), 0), undefined);
  // Node before 20.15 has no zlib.crc32: the table fallback gives the same answers.
  const z = zlib as { crc32?: unknown };
  const native = z.crc32;
  z.crc32 = undefined;
  try {
    assert.equal(Buffer.from(gunzipMemberAt(buf, 4) ?? []).toString(), 'first');
    assert.equal(gunzipMemberAt(bad, 0), undefined);
  } finally {
    z.crc32 = native;
  }
});

test('extractFileDescriptors finds gzipped descriptors among other bytes', () => {
  const desc = widgetsFile();
  const other = new Writer().string(1, 'google/protobuf/other.proto').string(2, 'google.protobuf').finish();
  const buf = Buffer.concat([Buffer.from([0x1f, 0x8b, 0x08, 0xff]), gzipSync(desc), Buffer.from('x'), gzipSync(other), gzipSync(desc), gzipSync(Buffer.from('not a descriptor'))]);
  const found = extractFileDescriptors(buf);
  assert.deepEqual(
    found.map((f) => f.descriptor.name),
    ['k8s.io/api/widgets/v1/generated.proto'],
  );
  assert.equal(found[0]?.offset, 4);
});

test('parseGoTag and scanGoTags', () => {
  const cases: { tag: string; want: unknown }[] = [
    { tag: 'json:"name,omitempty" protobuf:"bytes,1,opt,name=name"', want: { json: 'name', inline: false, omitempty: true, wire: 'bytes', number: 1, protoName: 'name' } },
    { tag: 'json:",inline" protobuf:"bytes,1,req"', want: { json: '', inline: true, omitempty: false, wire: 'bytes', number: 1, protoName: undefined } },
    { tag: 'json:"x" patchStrategy:"merge" protobuf:"varint,12,rep,name=x,casttype=Foo"', want: { json: 'x', inline: false, omitempty: false, wire: 'varint', number: 12, protoName: 'x' } },
    { tag: 'json:"a"', want: undefined },
    { tag: 'json:"a" protobuf:"bytes,1,opt,name=a,proto3"', want: undefined },
  ];
  for (const c of cases) assert.deepEqual(parseGoTag(c.tag), c.want, c.tag);
  const tag = 'json:"replicas,omitempty" protobuf:"varint,1,opt,name=replicas"';
  const buf = Buffer.concat([Buffer.from([0x03, 0x08]), Buffer.from('Replicas'), Buffer.from([tag.length]), Buffer.from(tag), Buffer.from('json:"nope"')]);
  assert.deepEqual(scanGoTags(buf), [parseGoTag(tag)]);
  assert.equal(readGoStructTypes(buf), undefined);
});
