/** The typed walkers over a small schema shaped like the built-in types. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pathString } from '../fieldpath/element.js';
import { TypeSchema, type Definitions } from './schema.js';
import { toFieldSet } from './tofieldset.js';
import { compare, merge, MergeError } from './merge.js';
import { validateTyped, formatTypeErrors } from './validate.js';
import { removeItems, ensureNamedFieldsAreMembers } from './remove.js';
import { FieldSet } from '../fieldpath/set.js';
import { fieldElement as f } from '../fieldpath/element.js';

const defs: Definitions = {
  Obj: {
    type: 'object',
    properties: {
      apiVersion: { type: 'string' },
      kind: { type: 'string' },
      metadata: { $ref: '#/definitions/Meta' },
      spec: { $ref: '#/definitions/Spec' },
    },
  },
  Meta: {
    type: 'object',
    properties: {
      name: { type: 'string' },
      labels: { type: 'object', additionalProperties: { type: 'string' } },
      finalizers: { type: 'array', items: { type: 'string' }, 'x-kubernetes-patch-strategy': 'merge' },
    },
  },
  Spec: {
    type: 'object',
    properties: {
      replicas: { type: 'integer' },
      paused: { type: 'boolean' },
      selector: { $ref: '#/definitions/Selector' },
      args: { type: 'array', items: { type: 'string' } },
      containers: { type: 'array', items: { $ref: '#/definitions/Container' }, 'x-kubernetes-patch-strategy': 'merge', 'x-kubernetes-patch-merge-key': 'name' },
      port: { type: 'string', format: 'int-or-string' },
      raw: { type: 'object' },
    },
  },
  Selector: { type: 'object', properties: { matchLabels: { type: 'object', additionalProperties: { type: 'string' } } }, 'x-kubernetes-map-type': 'atomic' },
  Container: {
    type: 'object',
    properties: {
      name: { type: 'string' },
      image: { type: 'string' },
      ports: { type: 'array', items: { $ref: '#/definitions/Port' }, 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['containerPort', 'protocol'] },
    },
  },
  Port: { type: 'object', properties: { containerPort: { type: 'integer' }, protocol: { type: 'string', default: 'TCP' }, name: { type: 'string' } } },
};

const ts = new TypeSchema(defs);
const obj = ts.definition('Obj')!;
const paths = (s: FieldSet) => s.paths().map(pathString);

test('toFieldSet: leaves, map entries, list items; no "." for struct fields', () => {
  const set = toFieldSet(
    {
      apiVersion: 'v1',
      metadata: { name: 'x', labels: { app: 'a' }, finalizers: ['f1'] },
      spec: { replicas: 1, selector: { matchLabels: { a: 'b' } }, args: ['x'], containers: [{ name: 'c', image: 'i', ports: [{ containerPort: 80 }] }], raw: { any: { thing: 1 } } },
    },
    obj,
  );
  assert.deepEqual(paths(set), [
    '.apiVersion',
    '.metadata.name',
    '.metadata.finalizers[="f1"]',
    '.metadata.labels.app',
    '.spec.args',
    '.spec.replicas',
    '.spec.selector',
    '.spec.containers[name="c"]',
    '.spec.containers[name="c"].image',
    '.spec.containers[name="c"].name',
    '.spec.containers[name="c"].ports[containerPort=80,protocol="TCP"]',
    '.spec.containers[name="c"].ports[containerPort=80,protocol="TCP"].containerPort',
    '.spec.raw.any',
    '.spec.raw.any.thing',
  ]);
});

test('merge: applied scalars win, maps merge, atomic values replace', () => {
  const live = { spec: { replicas: 1, paused: true, selector: { matchLabels: { a: '1', b: '2' } }, args: ['a', 'b'] }, metadata: { labels: { keep: 'x' } } };
  const cfg = { spec: { replicas: 3, selector: { matchLabels: { c: '3' } }, args: ['z'] }, metadata: { labels: { add: 'y' } } };
  assert.deepEqual(merge(live, cfg, obj), {
    spec: { replicas: 3, paused: true, selector: { matchLabels: { c: '3' } }, args: ['z'] },
    metadata: { labels: { keep: 'x', add: 'y' } },
  });
});

test('merge: associative lists merge by key in upstream order', () => {
  const rows = [
    { name: 'new items go after the shared ones they follow', live: ['a', 'b'], cfg: ['b', 'c'], want: ['a', 'b', 'c'] },
    { name: 'applied order wins for shared items', live: ['a', 'b', 'c'], cfg: ['c', 'a'], want: ['b', 'c', 'a'] },
    { name: 'live-only items keep their place', live: ['x', 'a', 'y', 'b'], cfg: ['a', 'n', 'b'], want: ['x', 'a', 'y', 'n', 'b'] },
    { name: 'empty live', live: [], cfg: ['a'], want: ['a'] },
  ];
  for (const r of rows) {
    const out = merge(
      { spec: { containers: r.live.map((name) => ({ name, image: 'live' })) } },
      { spec: { containers: r.cfg.map((name) => ({ name })) } },
      obj,
    ) as { spec: { containers: { name: string }[] } };
    assert.deepEqual(out.spec.containers.map((c) => c.name), r.want, r.name);
  }
  const m = merge({ spec: { containers: [{ name: 'a', image: 'old' }] } }, { spec: { containers: [{ name: 'a', image: 'new' }] } }, obj) as any;
  assert.deepEqual(m.spec.containers, [{ name: 'a', image: 'new' }]);
});

test('merge: an applied list with duplicate keys is refused', () => {
  assert.throws(
    () => merge({}, { spec: { containers: [{ name: 'a' }, { name: 'a' }] } }, obj),
    (e: unknown) => e instanceof MergeError && e.message === 'duplicate entries for key [name="a"]' && e.path === '.spec.containers',
  );
});

test('compare: added, removed and modified paths', () => {
  const c = compare(
    { metadata: { labels: { a: '1', b: '2' } }, spec: { replicas: 1, containers: [{ name: 'x', image: 'i' }] } },
    { metadata: { labels: { a: '1', c: '3' } }, spec: { replicas: 2, containers: [{ name: 'x', image: 'i' }, { name: 'y' }] } },
    obj,
  );
  assert.deepEqual(paths(c.added), ['.metadata.labels.c', '.spec.containers[name="y"]', '.spec.containers[name="y"].name']);
  assert.deepEqual(paths(c.removed), ['.metadata.labels.b']);
  assert.deepEqual(paths(c.modified), ['.spec.replicas']);
});

test('compare: a stored list with duplicate keys is one leaf', () => {
  const c = compare({ spec: { containers: [{ name: 'a' }, { name: 'a' }] } }, { spec: { containers: [{ name: 'a', image: 'x' }] } }, obj);
  assert.deepEqual(paths(c.modified), ['.spec.containers']);
});

test('validateTyped reports what upstream typed conversion reports', () => {
  const rows: { name: string; v: unknown; want: string }[] = [
    { name: 'unknown field', v: { spec: { replicass: 1 } }, want: '.spec.replicass: field not declared in schema' },
    { name: 'string for number', v: { spec: { replicas: '3' } }, want: '.spec.replicas: expected numeric (int or float), got string' },
    { name: 'number for string', v: { metadata: { name: 5 } }, want: '.metadata.name: expected string, got &value.valueUnstructured{Value:5}' },
    { name: 'map for list', v: { spec: { args: { a: 1 } } }, want: '.spec.args: expected list, got &{{"a":1}}' },
    { name: 'missing key', v: { spec: { containers: [{ image: 'x' }] } }, want: '.spec.containers: element 0: associative list with keys has an element that omits key field "name" (and doesn\'t have default value)' },
    { name: 'duplicate', v: { spec: { containers: [{ name: 'a' }, { name: 'a' }] } }, want: '.spec.containers: duplicate entries for key [name="a"]' },
    { name: 'inside a list item', v: { spec: { containers: [{ name: 'a', imagee: 'x' }] } }, want: '.spec.containers[name="a"].imagee: field not declared in schema' },
  ];
  for (const r of rows) assert.equal(formatTypeErrors(validateTyped(r.v, obj)), r.want, r.name);
  assert.deepEqual(validateTyped({ spec: { replicas: null, port: 'http', raw: { x: [1] } } }, obj), []);
  assert.match(formatTypeErrors(validateTyped({ spec: { a: 1, b: 2 } }, obj)), /^errors:\n {2}\.spec\.a: field not declared in schema\n {2}\.spec\.b: /);
});

test('removeItems drops members and keeps emptied containers', () => {
  const v = { spec: { replicas: 1, containers: [{ name: 'a', image: 'i' }, { name: 'b' }] }, metadata: { labels: { x: '1' } } };
  const set = new FieldSet();
  set.insert([f('spec'), f('replicas')]);
  set.insert([f('metadata'), f('labels'), f('x')]);
  set.insert([f('spec'), f('containers'), { kind: 'key', fields: [['name', 'b']] }]);
  assert.deepEqual(removeItems(v, obj, set), { spec: { containers: [{ name: 'a', image: 'i' }] }, metadata: { labels: {} } });
});

test('ensureNamedFieldsAreMembers adds struct fields but not map entries', () => {
  const s = FieldSet.of([f('spec'), f('replicas')], [f('metadata'), f('labels'), f('app')]);
  const e = ensureNamedFieldsAreMembers(s, obj);
  assert.ok(e.has([f('spec')]));
  assert.ok(e.has([f('metadata')]));
  assert.ok(e.has([f('metadata'), f('labels')]));
  assert.ok(!e.has([f('metadata'), f('labels'), f('app'), f('x')]));
  assert.ok(e.has([f('metadata'), f('labels'), f('app')]));
});
