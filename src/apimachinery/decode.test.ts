import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isStatusError } from './errors.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkTypeMeta, decodeBody, mediaTypeOf, parseGroupVersion, summarizeBody } from './decode.js';
import { KubeProtobufDecoder, PROTOBUF_MAGIC } from './protobuf/decoder.js';
import { defaultDecoder, setDefaultDecoder } from './protobuf/load.js';
import { SCHEMA_VERSION, type ProtobufSchema } from './protobuf/schema.js';
import { fixturesDir } from './protobuf/testfixtures.js';
import { Writer } from './protobuf/wire.js';

function errorOf(fn: () => unknown): { code: number; reason: string; message: string } {
  try {
    fn();
  } catch (e) {
    if (isStatusError(e)) return { code: e.code, reason: e.reason, message: e.message };
    throw e;
  }
  throw new Error('expected an error');
}

const FIND_KIND = 'struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }';
const U = 'the object provided is unrecognized (must be of type Pod): ';

test('decodeBody: accepted bodies', () => {
  const cases: { name: string; body: string | Uint8Array; ct: string | undefined; want: unknown }[] = [
    { name: 'json', body: '{"kind":"Pod","metadata":{"name":"a"}}', ct: 'application/json', want: { kind: 'Pod', metadata: { name: 'a' } } },
    { name: 'json with charset', body: '{"a":1}', ct: 'application/json; charset=utf-8', want: { a: 1 } },
    { name: 'no content type is json', body: Buffer.from('{"a":1}'), ct: undefined, want: { a: 1 } },
    { name: 'null is an empty object', body: 'null', ct: 'application/json', want: {} },
    { name: 'yaml', body: 'kind: Pod\nmetadata:\n  name: a\n', ct: 'application/yaml', want: { kind: 'Pod', metadata: { name: 'a' } } },
    {
      name: 'yaml 1.1 scalars as go-yaml v2',
      body: 'a: yes\nb: off\nc: 0777\nd: 2001-12-14\ne: 190:20:30\nf: ~\n',
      ct: 'application/yaml',
      want: { a: true, b: false, c: 511, d: '2001-12-14', e: '190:20:30', f: null },
    },
    { name: 'yaml non-string keys become strings', body: '1: a\ntrue: b\n', ct: 'application/yaml', want: { '1': 'a', true: 'b' } },
    { name: 'yaml single document marker', body: '---\na: 1\n', ct: 'application/yaml', want: { a: 1 } },
    { name: 'yaml empty is an empty object', body: '', ct: 'application/yaml', want: {} },
  ];
  for (const c of cases) assert.deepEqual(decodeBody(c.body, c.ct, { kind: 'Pod' }), c.want, c.name);
});

test('decodeBody: errors', () => {
  setDefaultDecoder(null);
  const cases: { name: string; body: string | Uint8Array; ct: string | undefined; code: number; want: string }[] = [
    {
      name: 'empty json',
      body: '',
      ct: 'application/json',
      code: 400,
      want: `${U}couldn't get version/kind; json parse error: unexpected end of JSON input (<empty>)`,
    },
    {
      name: 'truncated json (upstream example)',
      body: '{\n  "kind": "Pod",\n  "apiVersion": "v1",',
      ct: 'application/json',
      code: 400,
      want: `${U}couldn't get version/kind; json parse error: unexpected end of JSON input ({\n  "kind": "Pod",\n  "apiVersi ...)`,
    },
    {
      name: 'trailing garbage',
      body: '{"kind":"Pod"} x',
      ct: 'application/json',
      code: 400,
      want: `${U}couldn't get version/kind; json parse error: invalid character 'x' after top-level value ({"kind":"Pod"} x)`,
    },
    {
      name: 'array body, summarised as hex',
      body: '[1]',
      ct: 'application/json',
      code: 400,
      want: `${U}couldn't get version/kind; json parse error: json: cannot unmarshal array into Go value of type ${FIND_KIND} (5b315d)`,
    },
    {
      name: 'string body',
      body: '"s"',
      ct: 'application/json',
      code: 400,
      want: `${U}couldn't get version/kind; json parse error: json: cannot unmarshal string into Go value of type ${FIND_KIND} (227322)`,
    },
    {
      name: 'non-string apiVersion',
      body: '{"apiVersion":5}',
      ct: 'application/json',
      code: 400,
      want: `${U}couldn't get version/kind; json parse error: json: cannot unmarshal number into Go struct field .apiVersion of type string ({"apiVersion":5})`,
    },
    {
      name: 'object kind',
      body: '{"kind":{}}',
      ct: 'application/json',
      code: 400,
      want: `${U}couldn't get version/kind; json parse error: json: cannot unmarshal object into Go struct field .kind of type string ({"kind":{}})`,
    },
    {
      name: 'malformed apiVersion',
      body: '{"apiVersion":"a/b/c"}',
      ct: 'application/json',
      code: 400,
      want: `${U}unexpected GroupVersion string: a/b/c ({"apiVersion":"a/b/c"})`,
    },
    {
      name: 'yaml list',
      body: '- a\n',
      ct: 'application/yaml',
      code: 400,
      want: `${U}couldn't get version/kind; json parse error: json: cannot unmarshal array into Go value of type ${FIND_KIND} (2d20610a)`,
    },
    {
      name: 'multi-document yaml refused',
      body: 'a: 1\n---\nb: 2\n',
      ct: 'application/yaml',
      code: 400,
      want: `${U}error converting YAML to JSON: yaml: multiple documents are not supported in a request body (613a20310a2d2d2d0a623a20320a)`,
    },
    {
      name: 'protobuf without a schema',
      body: 'k8s\0',
      ct: 'application/vnd.kubernetes.protobuf',
      code: 415,
      want: 'the body of the request was in an unknown format - accepted media types include: application/json, application/yaml (kubelite cannot decode protobuf: protobuf disabled)',
    },
    {
      name: 'text/plain',
      body: '{}',
      ct: 'text/plain',
      code: 415,
      want: 'the body of the request was in an unknown format - accepted media types include: application/json, application/yaml',
    },
  ];
  for (const c of cases) {
    const got = errorOf(() => decodeBody(c.body, c.ct, { kind: 'Pod' }));
    assert.equal(got.code, c.code, c.name);
    assert.equal(got.reason, c.code === 415 ? 'UnsupportedMediaType' : 'BadRequest', c.name);
    assert.equal(got.message, c.want, c.name);
  }
  const bad = errorOf(() => decodeBody('a: [1\n', 'application/yaml', { kind: 'Pod' }));
  assert.match(bad.message, /^the object provided is unrecognized \(must be of type Pod\): error converting YAML to JSON: yaml: /);
  setDefaultDecoder(undefined);
});

// A two-message schema: enough to see decodeBody route protobuf and map its errors.
const POD_SCHEMA: ProtobufSchema = {
  version: SCHEMA_VERSION,
  source: { path: 'test', bytes: 0, sha256: '' },
  files: [],
  messages: {
    'k8s.io.api.core.v1.Pod': { fields: [{ no: 1, json: 'metadata', type: 'message', ref: 'k8s.io.api.core.v1.Meta' }] },
    'k8s.io.api.core.v1.Meta': { fields: [{ no: 1, json: 'name', type: 'string' }, { no: 2, json: 'replicas', type: 'int32', ptr: true }] },
  },
};

function pb(apiVersion: string, kind: string, raw: Writer): Uint8Array {
  const unk = new Writer().bytes(1, new Writer().string(1, apiVersion).string(2, kind)).bytes(2, raw);
  return Uint8Array.from([...PROTOBUF_MAGIC, ...unk.finish()]);
}

test('decodeBody: protobuf', () => {
  setDefaultDecoder(new KubeProtobufDecoder(POD_SCHEMA));
  try {
    const ct = 'application/vnd.kubernetes.protobuf';
    const pod = pb('v1', 'Pod', new Writer().bytes(1, new Writer().string(1, 'a').varint(2, 0)));
    assert.deepEqual(decodeBody(pod, ct, { kind: 'Pod' }), { kind: 'Pod', apiVersion: 'v1', metadata: { name: 'a', replicas: 0 } });
    assert.deepEqual(decodeBody(pod, `${ct}; charset=binary`, { kind: 'Pod', group: '', version: 'v1' }), {
      kind: 'Pod',
      apiVersion: 'v1',
      metadata: { name: 'a', replicas: 0 },
    });
    const errs: { name: string; body: Uint8Array | string; opts: { kind: string; group?: string; version?: string }; code: number; want: string }[] = [
      {
        name: 'json sent as protobuf',
        body: '{"kind":"Pod"}',
        opts: { kind: 'Pod' },
        code: 400,
        want: 'the object provided is unrecognized (must be of type Pod): provided data does not appear to be a protobuf message, expected prefix [107 56 115 0] ({"kind":"Pod"})',
      },
      {
        name: 'kind not registered',
        body: pb('v1', 'Gadget', new Writer()),
        opts: { kind: 'Pod' },
        code: 400,
        want: 'Gadget in version "v1" cannot be handled as a Pod: no kind "Gadget" is registered for version "v1" in scheme "pkg/runtime/scheme.go:100"',
      },
      {
        name: 'malformed object',
        body: pb('v1', 'Pod', new Writer().bytes(1, new Writer().varint(1, 5))),
        opts: { kind: 'Pod' },
        code: 400,
        want: 'Pod in version "v1" cannot be handled as a Pod: proto: wrong wireType = 0 for field name',
      },
      {
        name: 'a custom resource has no protobuf',
        body: pb('example.com/v1', 'Widget', new Writer()),
        opts: { kind: 'Widget', group: 'example.com', version: 'v1' },
        code: 415,
        want: 'the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf',
      },
    ];
    for (const c of errs) {
      const got = errorOf(() => decodeBody(c.body, ct, c.opts));
      assert.deepEqual(got, { code: c.code, reason: c.code === 415 ? 'UnsupportedMediaType' : 'BadRequest', message: c.want }, c.name);
    }
    const other = errorOf(() => decodeBody('{}', 'text/plain', { kind: 'Pod' }));
    assert.equal(other.message, 'the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf');
    // The decoded object goes through checkTypeMeta like a JSON one: a Pod posted to deployments.
    const posted = decodeBody(pod, ct, { kind: 'Deployment' });
    assert.equal(
      errorOf(() => checkTypeMeta(posted, { group: 'apps', version: 'v1', kind: 'Deployment' })).message,
      'Pod in version "v1" cannot be handled as a Deployment: no kind "Pod" is registered for version "v1" in scheme "pkg/runtime/scheme.go:100"',
    );
  } finally {
    setDefaultDecoder(undefined);
  }
});

test('decodeBody: a protobuf body kubectl sent, with the built schema', { skip: defaultDecoder() === undefined ? 'no protobuf schema (npm run build)' : false }, () => {
  const body = readFileSync(join(fixturesDir(), 'deployment-replicas-0.pb'));
  const obj = checkTypeMeta(decodeBody(body, 'application/vnd.kubernetes.protobuf', { kind: 'Deployment' }), { group: 'apps', version: 'v1', kind: 'Deployment' });
  assert.deepEqual((obj['spec'] as Record<string, unknown>)['replicas'], 0);
  assert.deepEqual(obj['metadata'], { name: 'web', labels: { app: 'web' } });
});

test('checkTypeMeta', () => {
  const pod = { group: '', version: 'v1', kind: 'Pod' };
  const deploy = { group: 'apps', version: 'v1', kind: 'Deployment' };
  const ok: { name: string; obj: Record<string, unknown>; gvk: typeof pod; want: Record<string, unknown> }[] = [
    { name: 'fills both', obj: {}, gvk: pod, want: { apiVersion: 'v1', kind: 'Pod' } },
    { name: 'fills kind', obj: { apiVersion: 'apps/v1' }, gvk: deploy, want: { apiVersion: 'apps/v1', kind: 'Deployment' } },
    { name: 'fills apiVersion', obj: { kind: 'Deployment' }, gvk: deploy, want: { apiVersion: 'apps/v1', kind: 'Deployment' } },
    { name: 'group without version', obj: { apiVersion: 'apps/', kind: 'Deployment' }, gvk: deploy, want: { apiVersion: 'apps/v1', kind: 'Deployment' } },
    { name: 'exact', obj: { apiVersion: 'v1', kind: 'Pod' }, gvk: pod, want: { apiVersion: 'v1', kind: 'Pod' } },
  ];
  for (const c of ok) assert.deepEqual(checkTypeMeta(c.obj, c.gvk), c.want, c.name);

  const bad: { name: string; obj: Record<string, unknown>; gvk: typeof pod; want: string }[] = [
    {
      name: 'other version',
      obj: { apiVersion: 'apps/v1beta1', kind: 'Deployment' },
      gvk: deploy,
      want: 'the API version in the data (apps/v1beta1) does not match the expected API version (apps/v1)',
    },
    {
      name: 'other group',
      obj: { apiVersion: 'apps/v1', kind: 'Pod' },
      gvk: pod,
      want: 'the API version in the data (apps/v1) does not match the expected API version (v1)',
    },
    {
      name: 'other kind',
      obj: { apiVersion: 'v1', kind: 'pod' },
      gvk: pod,
      want: 'pod in version "v1" cannot be handled as a Pod: no kind "pod" is registered for version "v1" in scheme "pkg/runtime/scheme.go:100"',
    },
    {
      name: 'malformed apiVersion',
      obj: { apiVersion: 'a/b/c' },
      gvk: pod,
      want: 'the object provided is unrecognized (must be of type Pod): unexpected GroupVersion string: a/b/c',
    },
  ];
  for (const c of bad) assert.deepEqual(errorOf(() => checkTypeMeta(c.obj, c.gvk)), { code: 400, reason: 'BadRequest', message: c.want }, c.name);
});

test('helpers', () => {
  const mts: { name: string; in: string | undefined; want: string }[] = [
    { name: 'plain', in: 'application/json', want: 'application/json' },
    { name: 'params and case', in: 'Application/YAML ; charset=utf-8', want: 'application/yaml' },
    { name: 'missing', in: undefined, want: '' },
  ];
  for (const c of mts) assert.equal(mediaTypeOf(c.in), c.want, c.name);
  assert.equal(summarizeBody(Buffer.from('')), '<empty>');
  assert.equal(summarizeBody(Buffer.from('{"a":1}')), '{"a":1}');
  assert.equal(summarizeBody(Buffer.from('x'.repeat(31))), `${'78'.repeat(30)} ...`);
  assert.deepEqual(parseGroupVersion('apps/v1'), { group: 'apps', version: 'v1' });
  assert.deepEqual(parseGroupVersion('v1'), { group: '', version: 'v1' });
  assert.throws(() => parseGroupVersion('a/b/c'), /unexpected GroupVersion string: a\/b\/c/);
});
