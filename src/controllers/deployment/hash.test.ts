import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalJSON, computeHash, fnv32a, safeEncodeString } from './hash.js';

describe('hash', () => {
  test('fnv32a matches the reference vectors', () => {
    const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
    assert.equal(fnv32a(enc('')), 0x811c9dc5);
    assert.equal(fnv32a(enc('a')), 0xe40c292c);
    assert.equal(fnv32a(enc('foobar')), 0xbf9cf968);
  });

  test('safeEncodeString maps bytes into upstream alphabet', () => {
    // '0' is 48: 48 % 27 = 21 -> '4'; '9' is 57: 57 % 27 = 3 -> 'f'.
    assert.equal(safeEncodeString('0123456789'), '456789bcdf');
  });

  const tpl = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx:1', resources: {} }] } };
  const cases: { name: string; a: unknown; b: unknown; equal: boolean }[] = [
    { name: 'key order does not matter', a: tpl, b: { spec: tpl.spec, metadata: tpl.metadata }, equal: true },
    { name: 'null and empty values do not matter', a: tpl, b: { metadata: { labels: { app: 'web' }, creationTimestamp: null }, spec: { containers: [{ image: 'nginx:1', name: 'c' }] } }, equal: true },
    { name: 'an image change matters', a: tpl, b: { ...tpl, spec: { containers: [{ name: 'c', image: 'nginx:2' }] } }, equal: false },
  ];
  for (const c of cases) {
    test(c.name, () => {
      assert.equal(computeHash(c.a) === computeHash(c.b), c.equal);
    });
  }

  test('collisionCount changes the hash; the shape is upstream-like', () => {
    const h0 = computeHash(tpl);
    assert.match(h0, /^[bcdfghjklmnpqrstvwxz2456789]{1,10}$/);
    assert.equal(computeHash(tpl), h0, 'deterministic');
    assert.notEqual(computeHash(tpl, 1), computeHash(tpl));
    assert.notEqual(computeHash(tpl, 1), computeHash(tpl, 2));
    assert.equal(canonicalJSON({ b: 1, a: [] }), '{"b":1}');
  });
});
