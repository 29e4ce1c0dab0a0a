import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SortedKeys } from './sortedkeys.js';

describe('SortedKeys', () => {
  it('keeps keys unique and in byte order through inserts and removals', () => {
    const s = new SortedKeys();
    for (const k of ['/b', '/a/x', '/a', '/ab', '/a0', '/a', '/😀', '/\ufffd']) s.insert(k);
    assert.equal(s.size, 7);
    assert.deepEqual([...s.scan('')], ['/a', '/a/x', '/a0', '/ab', '/b', '/\ufffd', '/😀']);
    assert.equal(s.remove('/a0'), true);
    assert.equal(s.remove('/a0'), false);
    assert.equal(s.has('/ab'), true);
    assert.equal(s.has('/a0'), false);
  });

  it('scans a prefix, optionally after a key', () => {
    const s = new SortedKeys();
    for (const k of ['/p/a', '/p/b', '/p/c', '/p0', '/q/a', '/o/z']) s.insert(k);
    const cases: { prefix: string; after?: string; want: string[] }[] = [
      { prefix: '/p/', want: ['/p/a', '/p/b', '/p/c'] },
      { prefix: '/p', want: ['/p/a', '/p/b', '/p/c', '/p0'] },
      { prefix: '/p/', after: '/p/a', want: ['/p/b', '/p/c'] },
      { prefix: '/p/', after: '/p/aa', want: ['/p/b', '/p/c'] },
      { prefix: '/p/', after: '/p/c', want: [] },
      { prefix: '/x/', want: [] },
    ];
    for (const c of cases) assert.deepEqual([...s.scan(c.prefix, c.after)], c.want, `${c.prefix} after ${c.after}`);
  });
});
