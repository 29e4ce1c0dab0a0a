import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compareKeys, isWellFormed, prefixEnd } from './keys.js';

const alphabet = ['/', '0', 'A', 'a', 'z', '~', '\u007f', 'é', '\u07ff', '\u0800', '\ud7ff', '\ue000', '\uffff', '😀', '\u{10ffff}'];

function randomKey(rnd: () => number): string {
  let s = '';
  const n = Math.floor(rnd() * 5);
  for (let i = 0; i < n; i++) s += alphabet[Math.floor(rnd() * alphabet.length)];
  return s;
}

function lcg(seed: number): () => number {
  let x = seed;
  return () => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x / 2147483648;
  };
}

describe('compareKeys', () => {
  it('orders like the UTF-8 bytes (etcd, SQLite BINARY)', () => {
    const rnd = lcg(42);
    for (let i = 0; i < 20_000; i++) {
      const a = randomKey(rnd);
      const b = randomKey(rnd);
      const want = Math.sign(Buffer.compare(Buffer.from(a), Buffer.from(b)));
      assert.equal(Math.sign(compareKeys(a, b)), want, `${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
    }
  });

  it('differs from UTF-16 order exactly where it must', () => {
    // '😀' is a surrogate pair (0xd83d...) but U+1F600 sorts after U+FFFD in UTF-8.
    assert.ok('😀' < '\ufffd');
    assert.ok(compareKeys('😀', '\ufffd') > 0);
  });
});

describe('prefixEnd', () => {
  const cases: { prefix: string; want: string | undefined }[] = [
    { prefix: '/registry/pods/', want: '/registry/pods0' },
    { prefix: '/a', want: '/b' },
    { prefix: '', want: undefined },
    { prefix: '/\ud7ff', want: '/\ue000' },
    { prefix: '/😀', want: '/😁' },
    { prefix: '/a\u{10ffff}', want: '/b' },
    { prefix: '\u{10ffff}', want: undefined },
  ];
  for (const c of cases) {
    it(`of ${JSON.stringify(c.prefix)}`, () => assert.equal(prefixEnd(c.prefix), c.want));
  }

  it('bounds exactly the keys with the prefix', () => {
    const rnd = lcg(7);
    for (let i = 0; i < 20_000; i++) {
      const p = randomKey(rnd);
      const k = randomKey(rnd) + (rnd() < 0.5 ? p + randomKey(rnd) : '');
      const end = prefixEnd(p);
      const inRange = compareKeys(k, p) >= 0 && (end === undefined || compareKeys(k, end) < 0);
      assert.equal(inRange, k.startsWith(p), `${JSON.stringify(k)} under ${JSON.stringify(p)}`);
    }
  });
});

describe('isWellFormed', () => {
  it('rejects lone surrogates only', () => {
    assert.equal(isWellFormed('/a/😀'), true);
    assert.equal(isWellFormed('/a/\ud83d'), false);
    assert.equal(isWellFormed('/a/\ude00x'), false);
  });
});
