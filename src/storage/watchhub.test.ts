import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { StorageError, WatchEvent } from './interface.js';
import { storageErrors } from './errors.js';
import { WatchHub } from './watchhub.js';

function ev(revision: number, key = '/k'): WatchEvent {
  return { type: 'update', revision, kv: { key, value: '', createRevision: 1, modRevision: revision } };
}

function recorder() {
  const batches: number[][] = [];
  const errors: StorageError[] = [];
  return {
    batches,
    errors,
    cb: { onEvents: (evs: WatchEvent[]) => batches.push(evs.map((e) => e.revision)), onError: (e: StorageError) => errors.push(e) },
  };
}

const turn = () => new Promise((r) => setImmediate(r));

describe('WatchHub', () => {
  it('delivers asynchronously, batched, from the start revision, under the prefix', async () => {
    const hub = new WatchHub();
    const r = recorder();
    hub.subscribe('/k', 3, r.cb);
    hub.publish([ev(2), ev(3), ev(4, '/other')]);
    hub.publish([ev(5)]);
    assert.deepEqual(r.batches, []);
    await turn();
    assert.deepEqual(r.batches, [[3, 5]]);
  });

  it('holds live events during catch-up and drops what the backlog already gave', async () => {
    const hub = new WatchHub();
    const r = recorder();
    const sub = hub.subscribe('/k', 1, r.cb, true);
    hub.publish([ev(4), ev(5)]);
    sub.backlog([ev(1), ev(2), ev(3), ev(4)]);
    sub.caughtUp();
    hub.publish([ev(6)]);
    await turn();
    assert.deepEqual(r.batches.flat(), [1, 2, 3, 4, 5, 6]);
  });

  it('fail delivers what is queued, then one error, then nothing', async () => {
    const hub = new WatchHub();
    const r = recorder();
    const sub = hub.subscribe('/k', 1, r.cb);
    hub.publish([ev(1)]);
    sub.fail(storageErrors.compacted(1, 5));
    sub.fail(storageErrors.unavailable('again'));
    hub.publish([ev(2)]);
    await turn();
    assert.deepEqual(r.batches, [[1]]);
    assert.deepEqual(r.errors.map((e) => e.code), ['Compacted']);
    assert.equal(hub.size, 0);
  });

  it('stop prevents any later callback, including queued ones', async () => {
    const hub = new WatchHub();
    const r = recorder();
    const sub = hub.subscribe('/k', 1, r.cb);
    hub.publish([ev(1)]);
    sub.stop();
    hub.failAll(storageErrors.unavailable('closed'));
    await turn();
    assert.deepEqual(r.batches, []);
    assert.deepEqual(r.errors, []);
  });
});
