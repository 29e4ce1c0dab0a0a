import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fieldElement as f, keyElement, valueElement, indexElement, pathString, parseElementKey, elementKey, compareElements, type Path } from './element.js';
import { FieldSet } from './set.js';
import { fromFieldsV1, toFieldsV1 } from './fieldsv1.js';

const k = (o: Record<string, unknown>) => keyElement(Object.entries(o));

test('element keys round-trip through their FieldsV1 strings', () => {
  const cases = [
    { el: f('spec'), key: 'f:spec' },
    { el: k({ name: 'nginx' }), key: 'k:{"name":"nginx"}' },
    { el: k({ protocol: 'TCP', containerPort: 80 }), key: 'k:{"containerPort":80,"protocol":"TCP"}' },
    { el: valueElement('foregroundDeletion'), key: 'v:"foregroundDeletion"' },
    { el: valueElement(3), key: 'v:3' },
    { el: indexElement(2), key: 'i:2' },
  ];
  for (const c of cases) {
    assert.equal(elementKey(c.el), c.key);
    assert.equal(elementKey(parseElementKey(c.key)), c.key);
  }
  assert.throws(() => parseElementKey('x:foo'), /unknown path element type/);
  assert.throws(() => parseElementKey('k:{bad'), /parsing JSON/);
});

test('paths print as upstream prints them in conflict messages', () => {
  const p: Path = [f('spec'), f('template'), f('spec'), f('containers'), k({ name: 'nginx' }), f('ports'), k({ containerPort: 80, protocol: 'TCP' })];
  assert.equal(pathString(p), '.spec.template.spec.containers[name="nginx"].ports[containerPort=80,protocol="TCP"]');
  assert.equal(pathString([f('metadata'), f('finalizers'), valueElement('a')]), '.metadata.finalizers[="a"]');
});

test('elements order fields, then keys, then values, then indexes', () => {
  const els = [indexElement(0), valueElement('a'), k({ name: 'b' }), f('z'), f('a')];
  assert.deepEqual(
    els.sort(compareElements).map(elementKey),
    ['f:a', 'f:z', 'k:{"name":"b"}', 'v:"a"', 'i:0'],
  );
});

test('set algebra treats every path independently', () => {
  const a = FieldSet.of([f('spec')], [f('spec'), f('replicas')], [f('metadata'), f('labels'), f('app')]);
  const b = FieldSet.of([f('spec')]);
  const d = a.difference(b);
  assert.equal(d.has([f('spec')]), false);
  assert.equal(d.has([f('spec'), f('replicas')]), true, 'removing spec does not remove spec.replicas');
  assert.equal(a.intersection(b).size(), 1);
  assert.equal(a.union(b).size(), 3);
  assert.ok(a.difference(a).empty());
  assert.ok(FieldSet.of([f('a'), f('b')]).equals(FieldSet.of([f('a'), f('b')])));
  const prefixed = a.withoutPrefixes(FieldSet.of([f('spec')]));
  assert.deepEqual(prefixed.paths().map(pathString), ['.metadata.labels.app']);
});

test('paths iterate members of a level before what is below', () => {
  const s = FieldSet.of([f('b'), f('x')], [f('a')], [f('b')], [f('c')]);
  assert.deepEqual(s.paths().map(pathString), ['.a', '.b', '.c', '.b.x']);
});

test('FieldsV1 writes "." for a member with children and reads it back', () => {
  const s = FieldSet.of(
    [f('metadata'), f('labels')],
    [f('metadata'), f('labels'), f('app')],
    [f('spec'), f('containers'), k({ name: 'c' })],
    [f('spec'), f('containers'), k({ name: 'c' }), f('image')],
    [f('spec'), f('replicas')],
  );
  const doc = toFieldsV1(s);
  assert.equal(
    JSON.stringify(doc),
    '{"f:metadata":{"f:labels":{".":{},"f:app":{}}},"f:spec":{"f:containers":{"k:{\\"name\\":\\"c\\"}":{".":{},"f:image":{}}},"f:replicas":{}}}',
  );
  assert.ok(fromFieldsV1(doc).equals(s));
  assert.throws(() => fromFieldsV1({ 'f:a': [] }), /expected an object/);
  assert.throws(() => fromFieldsV1([]), /expected an object/);
});

test('results of set operations stay independent of their operands', () => {
  // Results share unchanged subtrees with their operands; changing either side
  // afterwards must not show through on the other.
  const base = (): FieldSet =>
    FieldSet.of(
      [f('spec'), f('containers'), k({ name: 'c' }), f('image')],
      [f('spec'), f('replicas')],
      [f('metadata'), f('labels'), f('app')],
    );
  const other = (): FieldSet => FieldSet.of([f('spec'), f('replicas')], [f('status'), f('phase')]);
  const ops: { name: string; run: (a: FieldSet, b: FieldSet) => FieldSet }[] = [
    { name: 'union', run: (a, b) => a.union(b) },
    { name: 'difference', run: (a, b) => a.difference(b) },
    { name: 'intersection', run: (a, b) => a.intersection(b) },
    { name: 'withoutPrefixes', run: (a, b) => a.withoutPrefixes(b) },
    { name: 'clone', run: (a) => a.clone() },
    { name: 'addAll', run: (a, b) => new FieldSet().addAll(a).addAll(b) },
  ];
  const deep: Path[] = [
    [f('spec'), f('containers'), k({ name: 'c' }), f('ports')],
    [f('metadata'), f('labels'), f('extra')],
    [f('status'), f('phase'), f('x')],
  ];
  const text = (s: FieldSet): string => JSON.stringify(toFieldsV1(s));
  for (const op of ops) {
    const a = base();
    const b = other();
    const r = op.run(a, b);
    const want = { a: text(a), b: text(b), r: text(r) };
    for (const p of deep) r.insert(p);
    r.addAll(FieldSet.of([f('spec'), f('containers'), k({ name: 'c' }), f('env')]));
    assert.equal(text(a), want.a, `${op.name}: changing the result changed its first operand`);
    assert.equal(text(b), want.b, `${op.name}: changing the result changed its second operand`);
    const changed = text(r);
    for (const p of deep) {
      a.insert(p);
      b.insert(p);
    }
    a.addAll(FieldSet.of([f('metadata'), f('labels'), f('more')]));
    assert.equal(text(r), changed, `${op.name}: changing the operands changed the result`);
    assert.ok(r.has(deep[0]!), `${op.name}: the result keeps what was added to it`);
  }
});

test('sets decoded from FieldsV1 can be changed without changing the document or other decodes', () => {
  const doc = { 'f:spec': { 'f:containers': { 'k:{"name":"c"}': { '.': {}, 'f:image': {} } } } };
  const before = JSON.stringify(doc);
  const one = fromFieldsV1(doc);
  const two = fromFieldsV1(doc);
  one.insert([f('spec'), f('containers'), k({ name: 'c' }), f('ports')]);
  assert.equal(JSON.stringify(doc), before);
  assert.equal(two.has([f('spec'), f('containers'), k({ name: 'c' }), f('ports')]), false);
  assert.ok(one.has([f('spec'), f('containers'), k({ name: 'c' }), f('ports')]));
});

test('parsed keys come back in canonical form however they were written', () => {
  const rows = [
    { key: 'k:{"protocol":"TCP","containerPort":80}', want: 'k:{"containerPort":80,"protocol":"TCP"}' },
    { key: 'k:{ "name" : "a" }', want: 'k:{"name":"a"}' },
    { key: 'v:{"b":1,"a":2}', want: 'v:{"a":2,"b":1}' },
    { key: 'i:007', want: 'i:7' },
  ];
  for (const r of rows) {
    // twice: the second parse of the same text must give the same answer as the first
    assert.equal(elementKey(parseElementKey(r.key)), r.want, r.key);
    assert.equal(elementKey(parseElementKey(r.key)), r.want, r.key);
  }
  const doc = { 'k:{"protocol":"TCP","containerPort":80}': { '.': {}, 'f:name': {} }, 'f:a': { '.': {} } };
  assert.equal(JSON.stringify(toFieldsV1(fromFieldsV1(doc))), '{"f:a":{},"k:{\\"containerPort\\":80,\\"protocol\\":\\"TCP\\"}":{".":{},"f:name":{}}}');
});
