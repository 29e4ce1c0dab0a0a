import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { WatchEvent } from '../interface.js';
import { EventRing } from './ring.js';

function ev(revision: number): WatchEvent {
  return { type: 'create', revision, kv: { key: `/k${revision}`, value: '', createRevision: revision, modRevision: revision } };
}

describe('EventRing', () => {
  it('keeps the newest events and knows from where it holds all of them', () => {
    const r = new EventRing(3, 1);
    const cases: { push: number; wantFirst: number; wantRevs: number[] }[] = [
      { push: 1, wantFirst: 1, wantRevs: [1] },
      { push: 2, wantFirst: 1, wantRevs: [1, 2] },
      { push: 4, wantFirst: 1, wantRevs: [1, 2, 4] },
      { push: 7, wantFirst: 2, wantRevs: [2, 4, 7] },
      { push: 8, wantFirst: 3, wantRevs: [4, 7, 8] },
    ];
    for (const c of cases) {
      r.push(ev(c.push));
      assert.equal(r.first, c.wantFirst, `after ${c.push}`);
      assert.deepEqual(r.since(0).map((e) => e.revision), c.wantRevs, `after ${c.push}`);
    }
    assert.deepEqual(r.since(5).map((e) => e.revision), [7, 8]);
    assert.deepEqual(r.since(9), []);
  });

  it('trims below a compacted revision and resets', () => {
    const r = new EventRing(10, 5);
    for (const rev of [5, 6, 9, 10]) r.push(ev(rev));
    r.trimBelow(8);
    assert.equal(r.first, 8);
    assert.deepEqual(r.since(0).map((e) => e.revision), [9, 10]);
    r.trimBelow(3);
    assert.equal(r.first, 8);
    r.reset(20);
    assert.equal(r.size, 0);
    assert.equal(r.first, 20);
  });

  it('refuses a useless capacity', () => {
    assert.throws(() => new EventRing(0), RangeError);
  });
});
