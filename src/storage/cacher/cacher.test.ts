import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runStoreConformance } from '../conformance.js';
import type { Store, StorageError, WatchCallbacks, WatchEvent, WatchOptions, Watcher } from '../interface.js';
import { storageErrors } from '../errors.js';
import { MemoryStore } from '../memory/memory.js';
import { Cacher } from './cacher.js';
import { FakeClock } from '../../util/clock.js';

runStoreConformance('cacher(memory)', async () => {
  const store = new Cacher(new MemoryStore(), { prefix: '/' });
  await store.start();
  return { store, cleanup: () => store.close() };
});

runStoreConformance('cacher(memory) with a 4-event ring', async () => {
  // A tiny ring forces most past-revision watches through to the store.
  const store = new Cacher(new MemoryStore(), { prefix: '/', capacity: 4 });
  await store.start();
  return { store, cleanup: () => store.close() };
});

/**
 * A MemoryStore whose watch can be counted, paused (events held back) and broken, to
 * drive the cacher through its slow and failure paths.
 */
class ControlledStore extends MemoryStore {
  watchCalls = 0;
  paused = false;
  private held: (() => void)[] = [];
  private watches: { cb: WatchCallbacks; inner: Watcher }[] = [];

  override watch(prefix: string, opts: WatchOptions, cb: WatchCallbacks): Watcher {
    this.watchCalls++;
    const entry = {
      cb,
      inner: super.watch(prefix, opts, {
        onEvents: (evs: WatchEvent[]) => {
          if (this.paused) this.held.push(() => cb.onEvents(evs));
          else cb.onEvents(evs);
        },
        onError: (e: StorageError) => cb.onError(e),
      }),
    };
    this.watches.push(entry);
    return {
      stop: () => {
        entry.inner.stop();
        this.watches = this.watches.filter((x) => x !== entry);
      },
    };
  }

  resume(): void {
    this.paused = false;
    const h = this.held;
    this.held = [];
    for (const f of h) f();
  }

  /** Ends every watch with an error, as a broken connection would. */
  breakWatches(): void {
    const l = this.watches;
    this.watches = [];
    this.held = [];
    for (const e of l) {
      e.inner.stop();
      e.cb.onError(storageErrors.unavailable('connection lost'));
    }
  }
}

function collect(store: Store, prefix: string, startRevision?: number) {
  const events: WatchEvent[] = [];
  const errors: StorageError[] = [];
  const w = store.watch(prefix, startRevision === undefined ? {} : { startRevision }, {
    onEvents: (evs) => events.push(...evs),
    onError: (e) => errors.push(e),
  });
  return { events, errors, stop: () => w.stop() };
}

async function until(cond: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!cond()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

describe('Cacher', () => {
  it('serves many watchers from one store watch', async () => {
    const store = new ControlledStore();
    const c = new Cacher(store, { prefix: '/registry/' });
    await c.start();
    const watchers = Array.from({ length: 100 }, (_, i) => collect(c, i % 2 === 0 ? '/registry/' : '/registry/pods/'));
    for (let i = 0; i < 20; i++) await c.create(`/registry/${i % 2 === 0 ? 'pods' : 'nodes'}/${i}`, 'v');
    await until(() => watchers.every((w, i) => w.events.length === (i % 2 === 0 ? 20 : 10)), 'events at every watcher');
    assert.equal(store.watchCalls, 1);
    assert.equal(c.watcherCount, 100);
    for (const [i, w] of watchers.entries()) {
      assert.equal(w.events.length, i % 2 === 0 ? 20 : 10);
      w.stop();
    }
    assert.equal(c.watcherCount, 0);
    await c.close();
  });

  it('replays from the ring while it holds the start revision, else asks the store', async () => {
    const store = new ControlledStore();
    const c = new Cacher(store, { prefix: '/registry/', capacity: 5 });
    await c.start();
    for (let i = 1; i <= 12; i++) await c.create(`/registry/k${i}`, 'v');
    const cases = [
      { name: 'inside the ring', start: 9, wantStoreWatch: false },
      { name: 'oldest held', start: 8, wantStoreWatch: false },
      { name: 'evicted', start: 7, wantStoreWatch: true },
      { name: 'from the beginning', start: 1, wantStoreWatch: true },
    ];
    for (const tc of cases) {
      const before = store.watchCalls;
      const w = collect(c, '/registry/', tc.start);
      await until(() => w.events.length === 13 - tc.start, tc.name);
      assert.deepEqual(
        w.events.map((e) => e.revision),
        Array.from({ length: 13 - tc.start }, (_, i) => tc.start + i),
        tc.name,
      );
      assert.equal(store.watchCalls - before, tc.wantStoreWatch ? 1 : 0, tc.name);
      w.stop();
    }
    await c.close();
  });

  it('passes keys outside its prefix and reads at other revisions to the store', async () => {
    const store = new ControlledStore();
    const c = new Cacher(store, { prefix: '/registry/' });
    await c.start();
    await c.create('/other/a', 'o'); // 1
    await c.create('/registry/a', 'r1'); // 2
    await c.update('/registry/a', 'r2', 2); // 3
    assert.equal((await c.get('/other/a')).kv?.value, 'o');
    assert.deepEqual((await c.list('/other/')).kvs.map((k) => k.key), ['/other/a']);
    assert.equal(await c.count('/other/'), 1);
    assert.equal((await c.get('/registry/a', { revision: 2 })).kv?.value, 'r1');
    assert.equal((await c.list('/registry/', { revision: 2 })).kvs[0]?.value, 'r1');
    // A list wider than the cached prefix cannot come from the cache.
    assert.deepEqual((await c.list('/')).kvs.map((k) => k.key), ['/other/a', '/registry/a']);
    assert.equal(store.watchCalls, 1);
    await c.close();
  });

  it('loads existing data at start, in pages', async () => {
    const store = new MemoryStore();
    for (let i = 0; i < 25; i++) await store.create(`/registry/k${String(i).padStart(2, '0')}`, String(i));
    await store.delete('/registry/k03');
    const c = new Cacher(store, { prefix: '/registry/', listPageSize: 4 });
    await c.start();
    assert.ok(c.serving);
    assert.equal(c.revision, 26);
    assert.equal(await c.count('/registry/'), 24);
    const l = await c.list('/registry/', { limit: 5, after: '/registry/k02' });
    assert.deepEqual(l.kvs.map((k) => k.key), ['/registry/k04', '/registry/k05', '/registry/k06', '/registry/k07', '/registry/k08']);
    assert.equal(l.more, true);
    await c.close();
  });

  it('read-your-writes: a write resolves only after the cache has applied it', async () => {
    const store = new ControlledStore();
    const c = new Cacher(store, { prefix: '/registry/' });
    await c.start();
    store.paused = true;
    let resolved = false;
    const write = c.create('/registry/a', 'v').then((r) => {
      resolved = true;
      return r;
    });
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(resolved, false, 'write resolved before the cache saw it');
    store.resume();
    const r = await write;
    assert.ok(c.revision >= r.revision);
    assert.equal((await c.get('/registry/a')).kv?.value, 'v');
    await c.close();
  });

  it('read-your-writes holds when the cache is too slow: reads go to the store until it catches up', async () => {
    const clock = new FakeClock();
    const store = new ControlledStore();
    const c = new Cacher(store, { prefix: '/registry/', clock, writeWaitMs: 1000 });
    await c.start();
    store.paused = true;
    const write = c.create('/registry/a', 'v');
    await new Promise((r) => setImmediate(r));
    clock.advance(1000);
    await write;
    assert.equal(c.serving, false);
    assert.equal((await c.get('/registry/a')).kv?.value, 'v');
    assert.equal((await c.list('/registry/')).kvs.length, 1);
    store.resume();
    await until(() => c.serving, 'the cache to catch up');
    assert.equal((await c.get('/registry/a')).kv?.value, 'v');
    await c.close();
  });

  it('re-lists after its store watch breaks; its watchers are told to re-watch', async () => {
    const clock = new FakeClock();
    const store = new ControlledStore();
    const c = new Cacher(store, { prefix: '/registry/', clock, retryMinMs: 100 });
    await c.start();
    await c.create('/registry/a', 'v1');
    const w = collect(c, '/registry/');
    store.breakWatches();
    await until(() => w.errors.length === 1, 'the watcher error');
    assert.equal(w.errors[0]!.code, 'Unavailable');
    assert.equal(c.serving, false);
    // While re-listing, everything still works through the store.
    await c.update('/registry/a', 'v2', 1);
    await c.create('/registry/b', 'v');
    assert.equal((await c.get('/registry/a')).kv?.value, 'v2');
    clock.advance(100);
    await until(() => c.serving, 're-list');
    assert.equal(store.watchCalls, 2);
    assert.deepEqual((await c.list('/registry/')).kvs.map((k) => [k.key, k.value]), [
      ['/registry/a', 'v2'],
      ['/registry/b', 'v'],
    ]);
    const w2 = collect(c, '/registry/', 2);
    await until(() => w2.events.length === 2, 'replay after re-list');
    w2.stop();
    await c.close();
  });
});
