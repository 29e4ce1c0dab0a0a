import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { DEFAULT_KUBECTL, generateSchema, serializeSchema } from './gen-protobuf.js';
import { buildSchemaMessages } from '../src/apimachinery/protobuf/schema.js';
import { extractFileDescriptors, scanGoTags } from '../src/apimachinery/protobuf/extract.js';
import type { SchemaField } from '../src/apimachinery/protobuf/schema.js';

const KUBECTL = process.env['KUBECTL'] || DEFAULT_KUBECTL;
const skip = existsSync(KUBECTL) ? false : `no kubectl at ${KUBECTL}`;

test('the schema read from kubectl', { skip }, () => {
  const binary = readFileSync(KUBECTL);
  const started = process.hrtime.bigint();
  const result = generateSchema(binary, KUBECTL);
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const { schema } = result;
  assert.deepEqual(result.warnings, []);
  assert.deepEqual(result.unmatched, [], 'every message with fields has its Go struct');
  assert.ok(schema.files.length >= 60, `${schema.files.length} files`);
  for (const f of ['k8s.io/api/core/v1/generated.proto', 'k8s.io/api/apps/v1/generated.proto', 'k8s.io/apimachinery/pkg/apis/meta/v1/generated.proto']) {
    assert.ok(schema.files.includes(f), f);
  }
  assert.ok(Object.keys(schema.messages).length > 1000);
  assert.ok(ms < 5000, `generation took ${ms} ms`);

  const field = (message: string, json: string): SchemaField | undefined =>
    schema.messages[message]?.fields.find((f) => f.json === json || (json.startsWith('#') && f.no === Number(json.slice(1))));
  const cases: { name: string; message: string; json: string; want: Partial<SchemaField> & Record<string, unknown> }[] = [
    { name: 'pointer scalar', message: 'k8s.io.api.apps.v1.DeploymentSpec', json: 'replicas', want: { no: 1, type: 'int32', ptr: true } },
    { name: 'omitempty scalar', message: 'k8s.io.api.apps.v1.DeploymentSpec', json: 'minReadySeconds', want: { ptr: undefined, keep: undefined } },
    { name: 'struct', message: 'k8s.io.api.apps.v1.DeploymentSpec', json: 'template', want: { type: 'message', ref: 'k8s.io.api.core.v1.PodTemplateSpec', ptr: undefined } },
    { name: 'no omitempty', message: 'k8s.io.api.scheduling.v1.PriorityClass', json: 'value', want: { keep: true } },
    { name: 'no omitempty string', message: 'k8s.io.api.core.v1.Container', json: 'name', want: { keep: true } },
    { name: 'map of bytes', message: 'k8s.io.api.core.v1.Secret', json: 'data', want: { type: 'map', key: 'string', value: 'bytes' } },
    { name: 'map of quantities', message: 'k8s.io.api.core.v1.ResourceRequirements', json: 'limits', want: { type: 'map', value: 'message', ref: 'k8s.io.apimachinery.pkg.api.resource.Quantity' } },
    { name: 'inline volume source', message: 'k8s.io.api.core.v1.Volume', json: '#2', want: { json: '', inline: true } },
    { name: 'inline probe handler', message: 'k8s.io.api.core.v1.Probe', json: '#1', want: { json: '', inline: true } },
    { name: 'inline without a proto name in its tag', message: 'k8s.io.api.core.v1.EphemeralContainer', json: '#1', want: { json: '', inline: true } },
    { name: 'inline LocalObjectReference', message: 'k8s.io.api.core.v1.SecretKeySelector', json: '#1', want: { json: '', inline: true } },
    { name: 'named although embedded', message: 'k8s.io.api.core.v1.Pod', json: 'metadata', want: { no: 1, inline: undefined } },
    { name: 'json name from the Go tag', message: 'k8s.io.api.networking.v1.IngressClassParametersReference', json: 'apiGroup', want: { no: 1, ptr: true } },
    { name: 'capitalised json name', message: 'k8s.io.api.core.v1.DaemonEndpoint', json: 'Port', want: { no: 1, keep: true } },
  ];
  for (const c of cases) {
    const f = field(c.message, c.json);
    assert.ok(f !== undefined, `${c.name}: ${c.message}.${c.json}`);
    for (const [k, v] of Object.entries(c.want)) assert.equal((f as unknown as Record<string, unknown>)[k], v, `${c.name}: ${k}`);
  }
  const specials: [string, string][] = [
    ['k8s.io.apimachinery.pkg.apis.meta.v1.Time', 'time'],
    ['k8s.io.apimachinery.pkg.apis.meta.v1.MicroTime', 'microtime'],
    ['k8s.io.apimachinery.pkg.apis.meta.v1.Verbs', 'list'],
    ['k8s.io.api.authentication.v1.ExtraValue', 'list'],
    ['k8s.io.apimachinery.pkg.util.intstr.IntOrString', 'intorstring'],
    ['k8s.io.apimachinery.pkg.runtime.RawExtension', 'rawjson'],
  ];
  for (const [name, want] of specials) assert.equal(schema.messages[name]?.special, want, name);

  // Without the Go type data, the loose tags still find every inline field.
  const files = extractFileDescriptors(binary).map((f) => f.descriptor);
  const loose = buildSchemaMessages(files, scanGoTags(binary));
  assert.deepEqual(loose.inline.sort(), [...result.inline].sort());

  const text = serializeSchema(schema);
  assert.deepEqual(JSON.parse(text), JSON.parse(JSON.stringify(schema)));
  assert.equal(serializeSchema(generateSchema(binary, KUBECTL).schema), text, 'same binary, same bytes');
});
