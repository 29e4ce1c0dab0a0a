import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isStatusError } from './errors.js';
import {
  deepCopy,
  ensureMetadata,
  generateName,
  getAnnotations,
  getControllerOf,
  getFinalizers,
  getGeneration,
  getLabels,
  getName,
  getNamespace,
  getOwnerReferences,
  getResourceVersion,
  MAX_GENERATED_NAME_PREFIX_LENGTH,
  metadataOf,
  NAME_ALPHABET,
  newUID,
  parseResourceVersion,
  setAnnotation,
  setLabel,
  setMetaField,
  setName,
  setNamespace,
  setResourceVersion,
} from './meta.js';

test('getters tolerate unknown input', () => {
  const cases: { name: string; obj: unknown; want: { name: string; ns: string; rv: string; gen: number; labels: Record<string, string> } }[] = [
    { name: 'undefined', obj: undefined, want: { name: '', ns: '', rv: '', gen: 0, labels: {} } },
    { name: 'string', obj: 'pod', want: { name: '', ns: '', rv: '', gen: 0, labels: {} } },
    { name: 'metadata not object', obj: { metadata: [] }, want: { name: '', ns: '', rv: '', gen: 0, labels: {} } },
    { name: 'wrong field types', obj: { metadata: { name: 1, labels: { a: 2, b: 'x' }, generation: 'x' } }, want: { name: '', ns: '', rv: '', gen: 0, labels: { b: 'x' } } },
    {
      name: 'normal',
      obj: { metadata: { name: 'a', namespace: 'n', resourceVersion: '7', generation: 3, labels: { app: 'web' } } },
      want: { name: 'a', ns: 'n', rv: '7', gen: 3, labels: { app: 'web' } },
    },
  ];
  for (const c of cases) {
    assert.deepEqual(
      { name: getName(c.obj), ns: getNamespace(c.obj), rv: getResourceVersion(c.obj), gen: getGeneration(c.obj), labels: getLabels(c.obj) },
      c.want,
      c.name,
    );
  }
  const obj = {
    metadata: {
      annotations: { a: 'b' },
      finalizers: ['f', 3],
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'u', controller: true }, 'junk'],
    },
  };
  assert.deepEqual(getAnnotations(obj), { a: 'b' });
  assert.deepEqual(getFinalizers(obj), ['f']);
  assert.equal(getOwnerReferences(obj).length, 1);
  assert.equal(getControllerOf(obj)?.name, 'rs');
  assert.equal(metadataOf({}), undefined);
});

test('setters create metadata when needed', () => {
  const obj: Record<string, unknown> = { metadata: 'broken' };
  setName(obj, 'a');
  setNamespace(obj, 'n');
  setResourceVersion(obj, '5');
  setLabel(obj, 'app', 'web');
  setAnnotation(obj, 'k', 'v');
  setMetaField(obj, 'generation', 1);
  assert.deepEqual(obj, {
    metadata: { name: 'a', namespace: 'n', resourceVersion: '5', labels: { app: 'web' }, annotations: { k: 'v' }, generation: 1 },
  });
  setNamespace(obj, undefined);
  assert.equal('namespace' in ensureMetadata(obj), false);
});

test('deepCopy is deep', () => {
  const a = { metadata: { labels: { x: '1' } }, list: [1, { y: 2 }] };
  const b = deepCopy(a);
  assert.deepEqual(b, a);
  (b.metadata.labels as Record<string, string>)['x'] = '2';
  assert.equal(a.metadata.labels.x, '1');
});

test('newUID', () => {
  const u = newUID();
  assert.match(u, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.notEqual(newUID(), u);
});

test('parseResourceVersion', () => {
  const ok: { name: string; in: string; want: number }[] = [
    { name: 'empty', in: '', want: 0 },
    { name: 'zero', in: '0', want: 0 },
    { name: 'number', in: '12345', want: 12345 },
    { name: 'leading zeros', in: '007', want: 7 },
  ];
  for (const c of ok) assert.equal(parseResourceVersion(c.in), c.want, c.name);

  const bad: { name: string; in: string; want: string }[] = [
    {
      name: 'letters',
      in: 'abc',
      want: 'invalid resource version: resourceVersion: Invalid value: "abc": strconv.ParseUint: parsing "abc": invalid syntax',
    },
    {
      name: 'negative',
      in: '-1',
      want: 'invalid resource version: resourceVersion: Invalid value: "-1": strconv.ParseUint: parsing "-1": invalid syntax',
    },
    {
      name: 'overflow',
      in: '18446744073709551616',
      want: 'invalid resource version: resourceVersion: Invalid value: "18446744073709551616": strconv.ParseUint: parsing "18446744073709551616": value out of range',
    },
  ];
  for (const c of bad) {
    try {
      parseResourceVersion(c.in);
      assert.fail(`${c.name}: expected an error`);
    } catch (e) {
      assert.ok(isStatusError(e), c.name);
      assert.equal(e.code, 400, c.name);
      assert.equal(e.reason, 'BadRequest', c.name);
      assert.equal(e.message, c.want, c.name);
    }
  }
});

test('generateName', () => {
  const cases: { name: string; prefix: string; want: string }[] = [
    { name: 'short prefix', prefix: 'web-', want: 'web-bbbbb' },
    { name: 'empty prefix', prefix: '', want: 'bbbbb' },
    { name: 'long prefix cut to 58', prefix: 'x'.repeat(70), want: `${'x'.repeat(MAX_GENERATED_NAME_PREFIX_LENGTH)}bbbbb` },
  ];
  for (const c of cases) assert.equal(generateName(c.prefix, () => 0), c.want, c.name);
  assert.equal(generateName('a-', (n) => n - 1), 'a-99999');
  const random = generateName('pod-');
  assert.match(random, new RegExp(`^pod-[${NAME_ALPHABET}]{5}$`));
  assert.equal(NAME_ALPHABET, 'bcdfghjklmnpqrstvwxz2456789');
});
