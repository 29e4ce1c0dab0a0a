import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeSwaggerV2 } from './protobuf.js';

/** A minimal protobuf reader: field number -> raw values (numbers for varints, Buffers otherwise). */
type Fields = Map<number, (number | Buffer)[]>;

function decode(buf: Buffer): Fields {
  const out: Fields = new Map();
  let i = 0;
  const varint = (): number => {
    let v = 0;
    let mul = 1;
    for (;;) {
      const b = buf[i++] as number;
      v += (b & 0x7f) * mul;
      if (b < 0x80) return v;
      mul *= 128;
    }
  };
  while (i < buf.length) {
    const key = varint();
    const field = Math.floor(key / 8);
    const wire = key % 8;
    let value: number | Buffer;
    if (wire === 0) value = varint();
    else if (wire === 1) {
      value = buf.subarray(i, i + 8);
      i += 8;
    } else if (wire === 2) {
      const len = varint();
      value = buf.subarray(i, i + len);
      i += len;
    } else throw new Error(`unexpected wire type ${wire}`);
    const list = out.get(field) ?? [];
    list.push(value);
    out.set(field, list);
  }
  return out;
}

const str = (f: Fields, n: number): string | undefined => (f.get(n)?.[0] as Buffer | undefined)?.toString('utf8');
const msg = (f: Fields, n: number): Fields => decode((f.get(n)?.[0] as Buffer | undefined) ?? Buffer.alloc(0));
const msgs = (f: Fields, n: number): Fields[] => (f.get(n) ?? []).map((b) => decode(b as Buffer));
/** repeated Named* { name = 1; value = 2 } as a map. */
const named = (list: Fields[]): Map<string, Fields> => new Map(list.map((x) => [str(x, 1) ?? '', msg(x, 2)]));
/** repeated NamedAny as name -> parsed yaml (JSON) value. */
const extensions = (list: Fields[]): Record<string, unknown> =>
  Object.fromEntries(list.map((x) => [str(x, 1) ?? '', JSON.parse(str(msg(x, 2), 2) ?? 'null') as unknown]));

const doc = {
  swagger: '2.0',
  info: { title: 'Kubernetes', version: 'v1.32.0' },
  paths: {
    '/api/v1/namespaces/{namespace}/pods/{name}': {
      parameters: [{ in: 'path', name: 'name', required: true, type: 'string', uniqueItems: true, description: 'name of the Pod' }],
      patch: {
        consumes: ['application/merge-patch+json'],
        operationId: 'patchCoreV1NamespacedPod',
        parameters: [
          { in: 'body', name: 'body', required: true, schema: { $ref: '#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.Patch' } },
          { in: 'query', name: 'fieldValidation', type: 'string', uniqueItems: true },
        ],
        responses: { '200': { description: 'OK', schema: { $ref: '#/definitions/io.k8s.api.core.v1.Pod' } }, '401': { description: 'Unauthorized' } },
        'x-kubernetes-action': 'patch',
        'x-kubernetes-group-version-kind': { group: '', kind: 'Pod', version: 'v1' },
      },
    },
  },
  definitions: {
    'io.k8s.api.core.v1.Pod': {
      description: 'Pod is a collection of containers.',
      type: 'object',
      required: ['spec'],
      properties: {
        spec: { $ref: '#/definitions/io.k8s.api.core.v1.PodSpec', description: 'the spec' },
        labels: { type: 'object', additionalProperties: { type: 'string' } },
        ports: { type: 'array', items: { type: 'integer', format: 'int32' }, 'x-kubernetes-list-type': 'set' },
        max: { type: 'number', maximum: 1.5 },
      },
      'x-kubernetes-group-version-kind': [{ group: '', kind: 'Pod', version: 'v1' }],
    },
  },
  securityDefinitions: { BearerToken: { type: 'apiKey', name: 'authorization', in: 'header', description: 'Bearer Token authentication' } },
  security: [{ BearerToken: [] }],
};

test('encodes a swagger document as gnostic openapi.v2.Document', () => {
  const d = decode(encodeSwaggerV2(doc));
  assert.equal(str(d, 1), '2.0');
  assert.equal(str(msg(d, 2), 1), 'Kubernetes');
  assert.equal(str(msg(d, 2), 2), 'v1.32.0');

  // paths (8) -> NamedPathItem (2) -> PathItem
  const paths = named(msgs(msg(d, 8), 2));
  const item = paths.get('/api/v1/namespaces/{namespace}/pods/{name}');
  assert.ok(item !== undefined);
  // PathItem.parameters (9) -> ParametersItem.parameter (1) -> Parameter.non_body (2) -> path sub-schema (4)
  const pathParam = msg(msg(msg(msgs(item, 9)[0] as Fields, 1), 2), 4);
  assert.equal(str(pathParam, 4), 'name');
  assert.equal(str(pathParam, 5), 'string');
  assert.equal(pathParam.get(1)?.[0], 1, 'required');

  // PathItem.patch (8) -> Operation
  const op = msg(item, 8);
  assert.equal(str(op, 5), 'patchCoreV1NamespacedPod');
  assert.deepEqual((op.get(7) ?? []).map((b) => (b as Buffer).toString()), ['application/merge-patch+json']);
  assert.deepEqual(extensions(msgs(op, 13)), { 'x-kubernetes-action': 'patch', 'x-kubernetes-group-version-kind': { group: '', kind: 'Pod', version: 'v1' } });
  const [body, query] = msgs(op, 8).map((p) => msg(p, 1));
  assert.ok(body !== undefined && query !== undefined);
  const bodyParam = msg(body, 1);
  assert.equal(str(bodyParam, 2), 'body');
  assert.equal(str(msg(bodyParam, 5), 1), '#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.Patch');
  // Query sub-schema (3): name = 4, type = 6 (allow_empty_value takes 5).
  const q = msg(msg(query, 2), 3);
  assert.equal(str(q, 4), 'fieldValidation');
  assert.equal(str(q, 2), 'query');
  assert.equal(str(q, 6), 'string');
  // Responses (9) -> NamedResponseValue -> ResponseValue.response (1) -> schema (2) -> SchemaItem.schema (1)
  const responses = named(msgs(msg(op, 9), 1));
  assert.deepEqual([...responses.keys()], ['200', '401']);
  const ok = msg(responses.get('200') as Fields, 1);
  assert.equal(str(ok, 1), 'OK');
  assert.equal(str(msg(msg(ok, 2), 1), 1), '#/definitions/io.k8s.api.core.v1.Pod');

  // definitions (9) -> NamedSchema (1)
  const defs = named(msgs(msg(d, 9), 1));
  const pod = defs.get('io.k8s.api.core.v1.Pod');
  assert.ok(pod !== undefined);
  assert.equal(str(pod, 4), 'Pod is a collection of containers.');
  assert.equal(str(msg(pod, 22), 1), 'object');
  assert.equal(str(pod, 19), 'spec');
  assert.deepEqual(extensions(msgs(pod, 31)), { 'x-kubernetes-group-version-kind': [{ group: '', kind: 'Pod', version: 'v1' }] });
  const props = named(msgs(msg(pod, 25), 1));
  assert.equal(str(props.get('spec') as Fields, 1), '#/definitions/io.k8s.api.core.v1.PodSpec');
  assert.equal(str(props.get('spec') as Fields, 4), 'the spec');
  // additionalProperties (21) -> AdditionalPropertiesItem.schema (1)
  assert.equal(str(msg(msg(msg(props.get('labels') as Fields, 21), 1), 22), 1), 'string');
  // items (23) -> ItemsItem.schema (1)
  const items = msg(msg(props.get('ports') as Fields, 23), 1);
  assert.equal(str(items, 2), 'int32');
  assert.deepEqual(extensions(msgs(props.get('ports') as Fields, 31)), { 'x-kubernetes-list-type': 'set' });
  // maximum (7) is a double
  assert.equal((props.get('max')?.get(7)?.[0] as Buffer).readDoubleLE(0), 1.5);

  // securityDefinitions (13) -> NamedSecurityDefinitionsItem -> api_key_security (2)
  const sec = named(msgs(msg(d, 13), 1));
  assert.equal(str(msg(sec.get('BearerToken') as Fields, 2), 2), 'authorization');
  // security (12) -> SecurityRequirement -> NamedStringArray
  assert.equal(str(msgs(msgs(d, 12)[0] as Fields, 1)[0] as Fields, 1), 'BearerToken');
});

test('long strings and large documents round-trip their lengths', () => {
  const long = 'x'.repeat(70000);
  const d = decode(encodeSwaggerV2({ swagger: '2.0', info: { title: long, version: 'v' } }));
  assert.equal(str(msg(d, 2), 1)?.length, 70000);
});
