import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isStatusError } from './errors.js';
import { applyJSONPatch, applyMergePatch, parsePatchType, unsupportedPatchType, type PatchType } from './patch.js';

function errorOf(fn: () => unknown): { code: number; reason: string; message: string } {
  try {
    fn();
  } catch (e) {
    if (isStatusError(e)) return { code: e.code, reason: e.reason, message: e.message };
    throw e;
  }
  throw new Error('expected an error');
}

const REJECTED = { code: 422, reason: 'Invalid', message: 'the server rejected our request due to an error in our request' };

const base = (): Record<string, unknown> => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'a', labels: { x: '1' } },
  data: { k: 'v' },
  list: [1, 2, 3],
});

test('applyJSONPatch: successful operations', () => {
  const cases: { name: string; ops: unknown; want: (d: Record<string, unknown>) => void }[] = [
    { name: 'add', ops: [{ op: 'add', path: '/data/n', value: 'w' }], want: (d) => void ((d['data'] as Record<string, unknown>)['n'] = 'w') },
    { name: 'replace', ops: [{ op: 'replace', path: '/data/k', value: 'z' }], want: (d) => void ((d['data'] as Record<string, unknown>)['k'] = 'z') },
    { name: 'remove', ops: [{ op: 'remove', path: '/metadata/labels/x' }], want: (d) => void delete ((d['metadata'] as Record<string, Record<string, unknown>>)['labels'] as Record<string, unknown>)['x'] },
    { name: 'append with -', ops: [{ op: 'add', path: '/list/-', value: 4 }], want: (d) => void (d['list'] as number[]).push(4) },
    { name: 'passing test then replace', ops: [{ op: 'test', path: '/data/k', value: 'v' }, { op: 'replace', path: '/data/k', value: 'q' }], want: (d) => void ((d['data'] as Record<string, unknown>)['k'] = 'q') },
    { name: 'test of a missing key against null passes (evanphx v4)', ops: [{ op: 'test', path: '/data/missing', value: null }], want: () => undefined },
    { name: 'add without value adds null (evanphx v4)', ops: [{ op: 'add', path: '/data/n' }], want: (d) => void ((d['data'] as Record<string, unknown>)['n'] = null) },
    { name: 'move', ops: [{ op: 'move', from: '/data/k', path: '/data/m' }], want: (d) => void (d['data'] = { m: 'v' }) },
    { name: 'copy', ops: [{ op: 'copy', from: '/data/k', path: '/data/c' }], want: (d) => void ((d['data'] as Record<string, unknown>)['c'] = 'v') },
    { name: 'escaped path', ops: [{ op: 'add', path: '/metadata/labels/a~1b', value: '2' }], want: (d) => void (((d['metadata'] as Record<string, Record<string, unknown>>)['labels'] as Record<string, unknown>)['a/b'] = '2') },
    { name: 'raw body', ops: '[{"op":"add","path":"/data/n","value":"w"}]', want: (d) => void ((d['data'] as Record<string, unknown>)['n'] = 'w') },
    { name: 'null patch is no-op', ops: null, want: () => undefined },
    { name: 'empty patch', ops: [], want: () => undefined },
  ];
  for (const c of cases) {
    const doc = base();
    const want = base();
    c.want(want);
    assert.deepEqual(applyJSONPatch(doc, c.ops), want, c.name);
    assert.deepEqual(doc, base(), `${c.name}: input untouched`);
  }
});

test('applyJSONPatch: errors as the apiserver answers them', () => {
  const cases: { name: string; ops: unknown; want: { code: number; reason: string; message: string } }[] = [
    { name: 'failing test', ops: [{ op: 'test', path: '/data/k', value: 'nope' }], want: REJECTED },
    { name: 'replace missing', ops: [{ op: 'replace', path: '/data/zz', value: 1 }], want: REJECTED },
    { name: 'remove missing', ops: [{ op: 'remove', path: '/nope' }], want: REJECTED },
    { name: 'add under missing parent', ops: [{ op: 'add', path: '/a/b', value: 1 }], want: REJECTED },
    { name: 'index out of range', ops: [{ op: 'add', path: '/list/9', value: 1 }], want: REJECTED },
    { name: 'unknown op', ops: [{ op: 'frob', path: '/data' }], want: REJECTED },
    { name: 'missing path', ops: [{ op: 'add', value: 1 }], want: REJECTED },
    { name: 'root path', ops: [{ op: 'add', path: '', value: {} }], want: REJECTED },
    { name: 'null operation', ops: [null], want: REJECTED },
    { name: 'prototype pollution refused', ops: [{ op: 'add', path: '/__proto__/x', value: 1 }], want: REJECTED },
    {
      name: 'object instead of list',
      ops: { op: 'add' },
      want: { code: 400, reason: 'BadRequest', message: 'json: cannot unmarshal object into Go value of type jsonpatch.Patch' },
    },
    {
      name: 'string operation',
      ops: ['add'],
      want: { code: 400, reason: 'BadRequest', message: 'json: cannot unmarshal string into Go value of type jsonpatch.Operation' },
    },
    {
      name: 'malformed body',
      ops: '[{"op":',
      want: { code: 400, reason: 'BadRequest', message: 'unexpected end of JSON input' },
    },
    {
      name: 'too many operations',
      ops: Array.from({ length: 10001 }, () => ({ op: 'test', path: '/kind', value: 'ConfigMap' })),
      want: {
        code: 413,
        reason: 'RequestEntityTooLarge',
        message: 'Request entity too large: The allowed maximum operations in a JSON patch is 10000, got 10001',
      },
    },
  ];
  for (const c of cases) assert.deepEqual(errorOf(() => applyJSONPatch(base(), c.ops)), c.want, c.name);
});

test('applyMergePatch', () => {
  const cases: { name: string; patch: unknown; want: Record<string, unknown> }[] = [
    { name: 'set field', patch: { data: { n: 'w' } }, want: { ...base(), data: { k: 'v', n: 'w' } } },
    { name: 'null deletes', patch: { data: { k: null } }, want: { ...base(), data: {} } },
    { name: 'delete top-level', patch: { list: null }, want: (({ list: _l, ...rest }) => rest)(base()) },
    { name: 'arrays replace', patch: { list: [9] }, want: { ...base(), list: [9] } },
    { name: 'nested nulls pruned in new values', patch: { spec: { a: 1, b: null, c: [1, null] } }, want: { ...base(), spec: { a: 1, c: [1] } } },
    { name: 'scalar replaces object', patch: { data: 'x' }, want: { ...base(), data: 'x' } },
    { name: 'deleting a missing key is fine', patch: { nope: null }, want: base() },
    { name: 'raw body', patch: '{"metadata":{"labels":{"y":"2"}}}', want: { ...base(), metadata: { name: 'a', labels: { x: '1', y: '2' } } } },
    { name: 'empty patch', patch: {}, want: base() },
  ];
  for (const c of cases) assert.deepEqual(applyMergePatch(base(), c.patch), c.want, c.name);

  const errs: { name: string; patch: unknown; want: { code: number; reason: string; message: string } }[] = [
    { name: 'null', patch: null, want: { code: 400, reason: 'BadRequest', message: 'Invalid JSON Patch' } },
    { name: 'scalar', patch: 5, want: { code: 400, reason: 'BadRequest', message: 'Invalid JSON Patch' } },
    { name: 'malformed', patch: '{"a":', want: { code: 400, reason: 'BadRequest', message: 'Invalid JSON Patch' } },
    {
      name: 'array',
      patch: [1, null],
      want: {
        code: 422,
        reason: 'Invalid',
        message:
          ' "" is invalid: patch: Invalid value: "[1]": couldn\'t get version/kind; json parse error: json: cannot unmarshal array into Go value of type struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }',
      },
    },
  ];
  for (const c of errs) assert.deepEqual(errorOf(() => applyMergePatch(base(), c.patch)), c.want, c.name);
});

test('parsePatchType', () => {
  const cases: { name: string; in: string | undefined; want: PatchType | undefined }[] = [
    { name: 'json patch', in: 'application/json-patch+json', want: 'json-patch' },
    { name: 'merge patch', in: 'application/merge-patch+json', want: 'merge-patch' },
    { name: 'strategic', in: 'application/strategic-merge-patch+json', want: 'strategic-merge-patch' },
    { name: 'apply yaml', in: 'application/apply-patch+yaml', want: 'apply-patch' },
    { name: 'apply cbor', in: 'application/apply-patch+cbor', want: 'apply-patch-cbor' },
    { name: 'charset ignored', in: 'application/merge-patch+json; charset=utf-8', want: 'merge-patch' },
    { name: 'plain json is not a patch', in: 'application/json', want: undefined },
    { name: 'missing', in: undefined, want: undefined },
  ];
  for (const c of cases) assert.equal(parsePatchType(c.in), c.want, c.name);
  const e = unsupportedPatchType('text/plain', ['json-patch', 'merge-patch', 'apply-patch']);
  assert.equal(e.code, 415);
  assert.equal(
    e.message,
    'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml',
  );
});
