/**
 * The one conformance suite every Store driver runs (memory, sqlite, the watch cache,
 * later etcd): it tests the contract written in interface.ts through the interface
 * alone, so a driver passes it by behaving like etcd, not by being built a certain way.
 *
 * Usage, in a driver's test file:
 *   runStoreConformance('memory', async () => ({ store: new MemoryStore(), cleanup: async () => {} }));
 * A persistent driver also returns `reopen`, which closes the store and opens a new
 * one over the same data; the durability tests then run too.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  isStorageError,
  type KeyValue,
  type Store,
  type StorageError,
  type StorageErrorCode,
  type WatchEvent,
  type Watcher,
} from './interface.js';

export interface StoreUnderTest {
  store: Store;
  /** Closes whatever store is current and removes its data. */
  cleanup: () => Promise<void>;
  /** Persistent drivers: close the current store and open a new one over the same data. */
  reopen?: () => Promise<Store>;
}

const WAIT_MS = 5000;

/** Awaits p and asserts it rejects with a StorageError of the given code; returns the error. */
async function rejectsWith(p: Promise<unknown>, code: StorageErrorCode): Promise<StorageError> {
  try {
    await p;
  } catch (e) {
    assert.ok(isStorageError(e), `expected a StorageError ${code}, got ${String(e)}`);
    assert.equal(e.code, code, `expected code ${code}, got ${e.code}: ${e.message}`);
    return e;
  }
  assert.fail(`expected rejection with ${code}, but the call succeeded`);
}

function kv(key: string, value: string, createRevision: number, modRevision: number): KeyValue {
  return { key, value, createRevision, modRevision };
}

/** Strips anything beyond the interface's fields, so drivers may carry extras. */
function plain(k: KeyValue | undefined): KeyValue | undefined {
  return k === undefined ? undefined : kv(k.key, k.value, k.createRevision, k.modRevision);
}

function plainEvent(e: WatchEvent): { type: string; revision: number; kv: KeyValue; prevKv?: KeyValue } {
  const out: { type: string; revision: number; kv: KeyValue; prevKv?: KeyValue } = {
    type: e.type,
    revision: e.revision,
    kv: plain(e.kv)!,
  };
  if (e.prevKv !== undefined) out.prevKv = plain(e.prevKv)!;
  return out;
}

/** Records what one watch delivers and lets a test wait for it, bounded in time. */
class Recorder {
  readonly events: WatchEvent[] = [];
  batches = 0;
  errors: StorageError[] = [];
  callbackErrors: unknown[] = [];
  readonly watcher: Watcher;
  private waiters: (() => void)[] = [];

  constructor(store: Store, prefix: string, startRevision?: number) {
    this.watcher = store.watch(prefix, startRevision === undefined ? {} : { startRevision }, {
      onEvents: (evs) => {
        this.batches++;
        this.events.push(...evs);
        this.wake();
      },
      onError: (err) => {
        this.errors.push(err);
        this.wake();
      },
    });
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  private async until(cond: () => boolean, what: string, ms = WAIT_MS): Promise<void> {
    const deadline = Date.now() + ms;
    while (!cond()) {
      const left = deadline - Date.now();
      if (left <= 0) assert.fail(`timed out after ${ms} ms waiting for ${what}; got ${this.events.length} events, ${this.errors.length} errors`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** Waits until an event at revision >= rev arrives (typically a sentinel write). */
  async untilRevision(rev: number): Promise<WatchEvent[]> {
    await this.until(() => this.events.some((e) => e.revision >= rev), `revision ${rev}`);
    return this.events;
  }

  async untilError(): Promise<StorageError> {
    await this.until(() => this.errors.length > 0, 'an error');
    return this.errors[0]!;
  }

  revisions(): number[] {
    return this.events.map((e) => e.revision);
  }

  stop(): void {
    this.watcher.stop();
  }
}

async function nextTurns(n = 5): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r));
}

/**
 * persistent: the driver keeps its state across close and reopen (StoreUnderTest.reopen
 * must then be given); the reopen test is registered only for such drivers.
 */
export function runStoreConformance(name: string, open: () => Promise<StoreUnderTest>, opts: { persistent?: boolean } = {}): void {
  /** Runs body against a fresh store and always cleans up. */
  async function withStore(body: (s: Store, h: StoreUnderTest) => Promise<void>): Promise<void> {
    const h = await open();
    try {
      await body(h.store, h);
    } finally {
      await h.cleanup();
    }
  }

  describe(`Store conformance: ${name}`, () => {
    describe('revisions and writes', () => {
      it('starts empty at revision 0', () =>
        withStore(async (s) => {
          assert.equal(await s.currentRevision(), 0);
          assert.equal(await s.compactedRevision(), 0);
          assert.deepEqual(await s.get('/a'), { kv: undefined, revision: 0 });
          const l = await s.list('/');
          assert.deepEqual({ kvs: l.kvs, more: l.more, revision: l.revision }, { kvs: [], more: false, revision: 0 });
          assert.equal(await s.count('/'), 0);
        }));

      it('moves the revision by exactly one per create, update and delete; reads never move it', () =>
        withStore(async (s) => {
          const steps: { name: string; run: () => Promise<{ revision: number }> }[] = [
            { name: 'create /k/a', run: () => s.create('/k/a', 'a1') },
            { name: 'create /k/b', run: () => s.create('/k/b', 'b1') },
            { name: 'update /k/a', run: () => s.update('/k/a', 'a2', 1) },
            { name: 'delete /k/b', run: () => s.delete('/k/b') },
            { name: 'create /k/b again', run: () => s.create('/k/b', 'b2') },
            { name: 'delete /k/a conditioned', run: () => s.delete('/k/a', 3) },
          ];
          let want = 0;
          for (const step of steps) {
            const r = await step.run();
            want++;
            assert.equal(r.revision, want, step.name);
            assert.equal(await s.currentRevision(), want, `${step.name}: currentRevision`);
            await s.get('/k/a');
            await s.list('/k/');
            await s.count('/k/');
            assert.equal(await s.currentRevision(), want, `${step.name}: reads moved the revision`);
          }
        }));

      it('failed writes do not move the revision', () =>
        withStore(async (s) => {
          await s.create('/k/a', 'v');
          await rejectsWith(s.create('/k/a', 'v'), 'KeyExists');
          await rejectsWith(s.update('/k/a', 'v', 99), 'Conflict');
          await rejectsWith(s.update('/k/zz', 'v', 1), 'KeyNotFound');
          await rejectsWith(s.delete('/k/zz'), 'KeyNotFound');
          assert.equal(await s.currentRevision(), 1);
          assert.equal((await s.create('/k/b', 'v')).revision, 2);
        }));

      it('create sets createRevision = modRevision = the write revision', () =>
        withStore(async (s) => {
          await s.create('/k/other', 'x');
          const r = await s.create('/k/a', 'v1');
          assert.deepEqual({ revision: r.revision, kv: plain(r.kv) }, { revision: 2, kv: kv('/k/a', 'v1', 2, 2) });
          assert.deepEqual(plain((await s.get('/k/a')).kv), kv('/k/a', 'v1', 2, 2));
        }));

      it('create refuses an existing key with KeyExists carrying the current value', () =>
        withStore(async (s) => {
          await s.create('/k/a', 'v1');
          await s.update('/k/a', 'v2', 1);
          const e = await rejectsWith(s.create('/k/a', 'other'), 'KeyExists');
          assert.deepEqual(plain(e.current), kv('/k/a', 'v2', 1, 2));
          assert.equal(e.key, '/k/a');
          assert.equal((await s.get('/k/a')).kv?.value, 'v2');
        }));

      it('create after delete starts a new life with a new createRevision', () =>
        withStore(async (s) => {
          await s.create('/k/a', 'v1');
          await s.delete('/k/a');
          const r = await s.create('/k/a', 'v2');
          assert.deepEqual(plain(r.kv), kv('/k/a', 'v2', 3, 3));
        }));

      it('update: conditioned on the current modRevision', async () => {
        interface Case {
          name: string;
          key: string;
          expected: number;
          wantCode?: StorageErrorCode;
          wantCurrent?: KeyValue;
          wantKv?: KeyValue;
        }
        // State before every case: /k/a created at 1, updated at 2; /k/gone created at 3, deleted at 4.
        const cases: Case[] = [
          { name: 'current revision succeeds', key: '/k/a', expected: 2, wantKv: kv('/k/a', 'new', 1, 5) },
          { name: 'stale revision conflicts', key: '/k/a', expected: 1, wantCode: 'Conflict', wantCurrent: kv('/k/a', 'a2', 1, 2) },
          { name: 'future revision conflicts', key: '/k/a', expected: 3, wantCode: 'Conflict', wantCurrent: kv('/k/a', 'a2', 1, 2) },
          { name: 'missing key', key: '/k/none', expected: 1, wantCode: 'KeyNotFound' },
          { name: 'deleted key', key: '/k/gone', expected: 3, wantCode: 'KeyNotFound' },
        ];
        for (const c of cases) {
          await withStore(async (s) => {
            await s.create('/k/a', 'a1');
            await s.update('/k/a', 'a2', 1);
            await s.create('/k/gone', 'g');
            await s.delete('/k/gone');
            if (c.wantCode !== undefined) {
              const e = await rejectsWith(s.update(c.key, 'new', c.expected), c.wantCode);
              if (c.wantCurrent !== undefined) {
                assert.deepEqual(plain(e.current), c.wantCurrent, c.name);
                assert.equal(e.revision, c.wantCurrent.modRevision, c.name);
              }
              assert.equal(await s.currentRevision(), 4, c.name);
            } else {
              const r = await s.update(c.key, 'new', c.expected);
              assert.deepEqual(plain(r.kv), c.wantKv, c.name);
              assert.equal(r.revision, 5, c.name);
              assert.deepEqual(plain((await s.get(c.key)).kv), c.wantKv, c.name);
            }
          });
        }
      });

      it('delete: optionally conditioned, returns the deleted value', async () => {
        interface Case {
          name: string;
          key: string;
          expected?: number;
          wantCode?: StorageErrorCode;
          wantCurrent?: KeyValue;
          wantPrev?: KeyValue;
        }
        // State: /k/a created at 1, updated at 2; /k/gone created at 3, deleted at 4.
        const cases: Case[] = [
          { name: 'unconditional', key: '/k/a', wantPrev: kv('/k/a', 'a2', 1, 2) },
          { name: 'matching revision', key: '/k/a', expected: 2, wantPrev: kv('/k/a', 'a2', 1, 2) },
          { name: 'stale revision conflicts', key: '/k/a', expected: 1, wantCode: 'Conflict', wantCurrent: kv('/k/a', 'a2', 1, 2) },
          { name: 'missing key', key: '/k/none', wantCode: 'KeyNotFound' },
          { name: 'missing key, conditioned', key: '/k/none', expected: 1, wantCode: 'KeyNotFound' },
          { name: 'already deleted', key: '/k/gone', wantCode: 'KeyNotFound' },
        ];
        for (const c of cases) {
          await withStore(async (s) => {
            await s.create('/k/a', 'a1');
            await s.update('/k/a', 'a2', 1);
            await s.create('/k/gone', 'g');
            await s.delete('/k/gone');
            if (c.wantCode !== undefined) {
              const e = await rejectsWith(s.delete(c.key, c.expected), c.wantCode);
              if (c.wantCurrent !== undefined) {
                assert.deepEqual(plain(e.current), c.wantCurrent, c.name);
                assert.equal(e.revision, c.wantCurrent.modRevision, c.name);
              }
              assert.equal(await s.currentRevision(), 4, c.name);
            } else {
              const r = await s.delete(c.key, c.expected);
              assert.equal(r.revision, 5, c.name);
              assert.deepEqual(plain(r.prevKv), c.wantPrev, c.name);
              assert.deepEqual(await s.get(c.key), { kv: undefined, revision: 5 }, c.name);
              await rejectsWith(s.delete(c.key), 'KeyNotFound');
            }
          });
        }
      });

      it('concurrent creates of one key: exactly one wins', () =>
        withStore(async (s) => {
          const results = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => s.create('/k/race', `v${i}`)));
          const won = results.filter((r) => r.status === 'fulfilled');
          assert.equal(won.length, 1);
          for (const r of results) if (r.status === 'rejected') assert.ok(isStorageError(r.reason, 'KeyExists'));
          assert.equal(await s.currentRevision(), 1);
        }));

      it('concurrent updates from the same revision: exactly one wins', () =>
        withStore(async (s) => {
          const { kv: base } = await s.create('/k/race', 'v0');
          const results = await Promise.allSettled(
            Array.from({ length: 10 }, (_, i) => s.update('/k/race', `v${i + 1}`, base.modRevision)),
          );
          const won = results.filter((r) => r.status === 'fulfilled');
          assert.equal(won.length, 1);
          for (const r of results) if (r.status === 'rejected') assert.ok(isStorageError(r.reason, 'Conflict'));
          assert.equal(await s.currentRevision(), 2);
        }));

      it('stores values verbatim (empty, unicode, large)', () =>
        withStore(async (s) => {
          const values = ['', 'ünïcødé ✓ 😀', JSON.stringify({ a: 'x'.repeat(200_000) }), 'line\nbreak\u0000nul'];
          for (const [i, v] of values.entries()) await s.create(`/v/${i}`, v);
          for (const [i, v] of values.entries()) assert.equal((await s.get(`/v/${i}`)).kv?.value, v);
        }));
    });

    describe('reads at past revisions', () => {
      it('get at a past revision returns the value as of that revision', () =>
        withStore(async (s) => {
          await s.create('/k/a', 'a1'); // 1
          await s.create('/k/b', 'b1'); // 2
          await s.update('/k/a', 'a2', 1); // 3
          await s.delete('/k/a'); // 4
          await s.create('/k/a', 'a3'); // 5
          const cases: { name: string; key: string; rev: number; want: KeyValue | undefined }[] = [
            { name: 'created', key: '/k/a', rev: 1, want: kv('/k/a', 'a1', 1, 1) },
            { name: 'unchanged by another key', key: '/k/a', rev: 2, want: kv('/k/a', 'a1', 1, 1) },
            { name: 'before creation', key: '/k/b', rev: 1, want: undefined },
            { name: 'updated', key: '/k/a', rev: 3, want: kv('/k/a', 'a2', 1, 3) },
            { name: 'deleted', key: '/k/a', rev: 4, want: undefined },
            { name: 'recreated', key: '/k/a', rev: 5, want: kv('/k/a', 'a3', 5, 5) },
            { name: 'latest via 0', key: '/k/a', rev: 0, want: kv('/k/a', 'a3', 5, 5) },
            { name: 'never existed', key: '/k/none', rev: 3, want: undefined },
          ];
          for (const c of cases) {
            const r = await s.get(c.key, { revision: c.rev });
            assert.deepEqual(plain(r.kv), c.want, c.name);
            assert.equal(r.revision, c.rev === 0 ? 5 : c.rev, `${c.name}: revision`);
          }
        }));

      it('list at a past revision returns the keys as of that revision', () =>
        withStore(async (s) => {
          await s.create('/k/a', 'a1'); // 1
          await s.create('/k/b', 'b1'); // 2
          await s.update('/k/a', 'a2', 1); // 3
          await s.delete('/k/b'); // 4
          await s.create('/k/c', 'c1'); // 5
          const cases: { rev: number; want: KeyValue[] }[] = [
            { rev: 1, want: [kv('/k/a', 'a1', 1, 1)] },
            { rev: 2, want: [kv('/k/a', 'a1', 1, 1), kv('/k/b', 'b1', 2, 2)] },
            { rev: 3, want: [kv('/k/a', 'a2', 1, 3), kv('/k/b', 'b1', 2, 2)] },
            { rev: 4, want: [kv('/k/a', 'a2', 1, 3)] },
            { rev: 5, want: [kv('/k/a', 'a2', 1, 3), kv('/k/c', 'c1', 5, 5)] },
          ];
          for (const c of cases) {
            const r = await s.list('/k/', { revision: c.rev });
            assert.deepEqual(r.kvs.map(plain), c.want, `rev ${c.rev}`);
            assert.equal(r.revision, c.rev);
            assert.equal(r.more, false);
          }
        }));

      it('reads at a future revision fail with FutureRevision', () =>
        withStore(async (s) => {
          await s.create('/k/a', 'a');
          await rejectsWith(s.get('/k/a', { revision: 2 }), 'FutureRevision');
          await rejectsWith(s.list('/k/', { revision: 2 }), 'FutureRevision');
        }));
    });

    describe('list', () => {
      it('matches prefixes bytewise and returns keys in byte order', () =>
        withStore(async (s) => {
          const keys = [
            '/registry/pods/default/nginx',
            '/registry/pods/default/a',
            '/registry/pods/default2/nginx',
            '/registry/pods/defaul',
            '/registry/pods/kube-system/dns',
            '/a',
            '/ab',
            '/a/b',
            '/a0',
            '/aB',
            '/b',
            '/A',
            '/a/é',
            '/a/z',
            '/a/\uFFFD',
            '/a/😀',
          ];
          for (const k of keys) await s.create(k, k);
          const cases: { prefix: string; want: string[] }[] = [
            { prefix: '/registry/pods/default/', want: ['/registry/pods/default/a', '/registry/pods/default/nginx'] },
            { prefix: '/registry/pods/default2/', want: ['/registry/pods/default2/nginx'] },
            {
              prefix: '/registry/pods/',
              want: [
                '/registry/pods/defaul',
                '/registry/pods/default/a',
                '/registry/pods/default/nginx',
                '/registry/pods/default2/nginx',
                '/registry/pods/kube-system/dns',
              ],
            },
            { prefix: '/registry/pods/nothing/', want: [] },
            // '/' 0x2f < '0' 0x30 < 'B' 0x42 < 'b' 0x62; 'z' 0x7a < 'é' 0xc3a9 < U+FFFD 0xefbfbd < '😀' 0xf09f9880
            { prefix: '/a', want: ['/a', '/a/b', '/a/z', '/a/é', '/a/\uFFFD', '/a/😀', '/a0', '/aB', '/ab'] },
            { prefix: '/a/', want: ['/a/b', '/a/z', '/a/é', '/a/\uFFFD', '/a/😀'] },
            { prefix: '/ab', want: ['/ab'] },
            { prefix: '/A', want: ['/A'] },
          ];
          for (const c of cases) {
            const r = await s.list(c.prefix);
            assert.deepEqual(
              r.kvs.map((x) => x.key),
              c.want,
              `prefix ${c.prefix}`,
            );
            for (const x of r.kvs) assert.equal(x.value, x.key);
            assert.equal(await s.count(c.prefix), c.want.length, `count ${c.prefix}`);
          }
        }));

      it('count counts live keys under the prefix at the latest revision', () =>
        withStore(async (s) => {
          for (let i = 0; i < 7; i++) await s.create(`/c/x/${i}`, 'v');
          await s.create('/c/y/0', 'v');
          await s.create('/c/x0', 'v');
          await s.delete('/c/x/3');
          await s.update('/c/x/4', 'w', 5);
          const cases: { prefix: string; want: number }[] = [
            { prefix: '/c/x/', want: 6 },
            { prefix: '/c/y/', want: 1 },
            { prefix: '/c/', want: 8 },
            { prefix: '/c/x', want: 7 },
            { prefix: '/none/', want: 0 },
          ];
          for (const c of cases) assert.equal(await s.count(c.prefix), c.want, c.prefix);
        }));

      it('limit reports more exactly when keys remain', async () => {
        const cases: { name: string; keys: number; limit: number; wantPages: number[]; wantMore: boolean[] }[] = [
          { name: 'uneven', keys: 7, limit: 3, wantPages: [3, 3, 1], wantMore: [true, true, false] },
          { name: 'exact multiple', keys: 9, limit: 3, wantPages: [3, 3, 3], wantMore: [true, true, false] },
          { name: 'limit above count', keys: 2, limit: 5, wantPages: [2], wantMore: [false] },
          { name: 'limit 0 means all', keys: 4, limit: 0, wantPages: [4], wantMore: [false] },
        ];
        for (const c of cases) {
          await withStore(async (s) => {
            for (let i = 0; i < c.keys; i++) await s.create(`/p/${String(i).padStart(2, '0')}`, String(i));
            await s.create('/q/outside', 'x');
            const pages: number[] = [];
            const mores: boolean[] = [];
            let after: string | undefined;
            for (;;) {
              const r = await s.list('/p/', { limit: c.limit, after });
              pages.push(r.kvs.length);
              mores.push(r.more);
              if (!r.more) break;
              after = r.kvs[r.kvs.length - 1]!.key;
              assert.ok(pages.length < 20, 'runaway pagination');
            }
            assert.deepEqual(pages, c.wantPages, c.name);
            assert.deepEqual(mores, c.wantMore, c.name);
          });
        }
      });

      it('paginates consistently at a fixed revision while writes happen between pages', () =>
        withStore(async (s) => {
          for (let i = 0; i < 10; i++) await s.create(`/p/${String(i).padStart(2, '0')}`, `v${i}`);
          const snapshot = await s.list('/p/');
          const writes = [
            () => s.create('/p/05a', 'new'),
            () => s.delete('/p/07'),
            () => s.update('/p/08', 'changed', 9),
            () => s.create('/p/99', 'new'),
            () => s.delete('/p/00'),
          ];
          const first = await s.list('/p/', { limit: 3 });
          assert.equal(first.revision, snapshot.revision);
          const got = [...first.kvs];
          let page = first;
          let w = 0;
          while (page.more) {
            if (w < writes.length) await writes[w++]!();
            page = await s.list('/p/', { limit: 3, after: got[got.length - 1]!.key, revision: first.revision });
            assert.equal(page.revision, first.revision);
            got.push(...page.kvs);
          }
          while (w < writes.length) await writes[w++]!();
          assert.deepEqual(got.map(plain), snapshot.kvs.map(plain));
          // ...while the latest state did move on.
          assert.deepEqual(
            (await s.list('/p/')).kvs.map((x) => x.key),
            ['/p/01', '/p/02', '/p/03', '/p/04', '/p/05', '/p/05a', '/p/06', '/p/08', '/p/09', '/p/99'],
          );
        }));

      it('refuses a continue key outside the prefix with InvalidRequest', () =>
        withStore(async (s) => {
          await s.create('/p/a', 'v');
          await rejectsWith(s.list('/p/', { after: '/q/a' }), 'InvalidRequest');
          await rejectsWith(s.list('/p/', { limit: -1 }), 'InvalidRequest');
        }));
    });

    describe('watch', () => {
      it('from a past revision replays history in order, then continues live', () =>
        withStore(async (s) => {
          await s.create('/w/a', 'a1'); // 1
          await s.create('/other/x', 'x'); // 2
          await s.update('/w/a', 'a2', 1); // 3
          await s.create('/w/b', 'b1'); // 4
          await s.delete('/w/a', 3); // 5
          const r = new Recorder(s, '/w/', 1);
          await r.untilRevision(5);
          await s.update('/w/b', 'b2', 4); // 6
          await s.create('/other/y', 'y'); // 7
          await s.create('/w/a', 'a3'); // 8
          await r.untilRevision(8);
          r.stop();
          assert.deepEqual(r.events.map(plainEvent), [
            { type: 'create', revision: 1, kv: kv('/w/a', 'a1', 1, 1) },
            { type: 'update', revision: 3, kv: kv('/w/a', 'a2', 1, 3), prevKv: kv('/w/a', 'a1', 1, 1) },
            { type: 'create', revision: 4, kv: kv('/w/b', 'b1', 4, 4) },
            { type: 'delete', revision: 5, kv: kv('/w/a', 'a2', 1, 5), prevKv: kv('/w/a', 'a2', 1, 3) },
            { type: 'update', revision: 6, kv: kv('/w/b', 'b2', 4, 6), prevKv: kv('/w/b', 'b1', 4, 4) },
            { type: 'create', revision: 8, kv: kv('/w/a', 'a3', 8, 8) },
          ]);
          assert.deepEqual(r.errors, []);
        }));

      it('start revision is inclusive', () =>
        withStore(async (s) => {
          for (let i = 1; i <= 6; i++) await s.create(`/w/${i}`, String(i));
          const r = new Recorder(s, '/w/', 4);
          await r.untilRevision(6);
          await s.create('/w/7', '7');
          await r.untilRevision(7);
          r.stop();
          assert.deepEqual(r.revisions(), [4, 5, 6, 7]);
        }));

      it('from 0 delivers only changes after the watch began', () =>
        withStore(async (s) => {
          await s.create('/w/old', 'x');
          await s.update('/w/old', 'y', 1);
          const r = new Recorder(s, '/w/');
          await s.create('/w/new', 'n'); // 3
          await s.delete('/w/old'); // 4
          await r.untilRevision(4);
          r.stop();
          assert.deepEqual(r.events.map(plainEvent), [
            { type: 'create', revision: 3, kv: kv('/w/new', 'n', 3, 3) },
            { type: 'delete', revision: 4, kv: kv('/w/old', 'y', 1, 4), prevKv: kv('/w/old', 'y', 1, 2) },
          ]);
        }));

      it('from a future revision delivers from that revision on', () =>
        withStore(async (s) => {
          await s.create('/w/1', '1');
          const r = new Recorder(s, '/w/', 4);
          await s.create('/w/2', '2');
          await s.create('/w/3', '3');
          await s.create('/w/4', '4');
          await s.create('/w/5', '5');
          await r.untilRevision(5);
          r.stop();
          assert.deepEqual(r.revisions(), [4, 5]);
        }));

      it('filters by prefix bytewise', () =>
        withStore(async (s) => {
          const ra = new Recorder(s, '/a', 1);
          const rslash = new Recorder(s, '/a/', 1);
          for (const k of ['/a', '/a/x', '/ab', '/b', '/A', '/a0']) await s.create(k, 'v');
          await s.create('/a/zz-sentinel', 'v'); // 7
          await ra.untilRevision(7);
          await rslash.untilRevision(7);
          ra.stop();
          rslash.stop();
          assert.deepEqual(
            ra.events.map((e) => e.kv.key),
            ['/a', '/a/x', '/ab', '/a0', '/a/zz-sentinel'],
          );
          assert.deepEqual(
            rslash.events.map((e) => e.kv.key),
            ['/a/x', '/a/zz-sentinel'],
          );
        }));

      it('many concurrent watchers each receive every event exactly once, in order', () =>
        withStore(async (s) => {
          for (let i = 0; i < 10; i++) await s.create(`/m/pre${i}`, 'v');
          const recorders: { r: Recorder; from: number }[] = [];
          for (let i = 0; i < 30; i++) {
            const from = i % 3 === 0 ? 0 : (i % 10) + 1;
            recorders.push({ r: new Recorder(s, '/m/', from === 0 ? undefined : from), from });
          }
          // Writes issued concurrently, as an API server would: the store serializes them.
          const creates = Array.from({ length: 40 }, (_, i) => s.create(`/m/k${i}`, `v${i}`));
          await Promise.all(creates);
          await Promise.all([s.update('/m/k1', 'w', 12), s.delete('/m/k2'), s.update('/m/pre3', 'w', 4), s.delete('/m/k3')]);
          const last = (await s.create('/m/sentinel', 'x')).revision;
          assert.equal(last, 55);
          for (const { r, from } of recorders) {
            await r.untilRevision(last);
            r.stop();
            const first = from === 0 ? r.events[0]!.revision : from;
            const want: number[] = Array.from({ length: last - first + 1 }, (_, j) => first + j);
            if (from === 0) assert.equal(first, 11, 'a watch from 0 must not replay history');
            assert.deepEqual(r.revisions(), want, `watcher from ${from}`);
            for (const e of r.events) assert.equal(e.kv.modRevision, e.revision);
            assert.deepEqual(r.errors, []);
          }
        }));

      it('stop() ends delivery, even of events already committed', () =>
        withStore(async (s) => {
          const stopped = new Recorder(s, '/s/');
          const witness = new Recorder(s, '/s/');
          await s.create('/s/1', 'v');
          stopped.stop();
          stopped.stop(); // idempotent
          await s.create('/s/2', 'v');
          await witness.untilRevision(2);
          await nextTurns();
          witness.stop();
          assert.deepEqual(stopped.events, []);
          assert.deepEqual(stopped.errors, []);
        }));

      it('a watch stopped inside its own callback gets nothing more', () =>
        withStore(async (s) => {
          let seen = 0;
          let firstBatch!: () => void;
          const delivered = new Promise<void>((resolve) => (firstBatch = resolve));
          const w: Watcher = s.watch('/s/', {}, {
            onEvents: (evs) => {
              seen += evs.length;
              w.stop();
              firstBatch();
            },
            onError: () => assert.fail('no error expected'),
          });
          await s.create('/s/1', 'v');
          await delivered;
          const witness = new Recorder(s, '/s/', 1);
          await s.create('/s/2', 'v');
          await witness.untilRevision(2);
          await nextTurns();
          witness.stop();
          assert.equal(seen, 1);
        }));
    });

    describe('compaction', () => {
      /** Revisions: 1 create a, 2 create b, 3 update a, 4 delete b, 5 create c, 6 update a, 7 create d. Compacted at 5. */
      async function compactedStore(s: Store): Promise<void> {
        await s.create('/c/a', 'a1');
        await s.create('/c/b', 'b1');
        await s.update('/c/a', 'a2', 1);
        await s.delete('/c/b');
        await s.create('/c/c', 'c1');
        await s.update('/c/a', 'a3', 3);
        await s.create('/c/d', 'd1');
        await s.compact(5);
      }

      it('reads below the compacted revision fail with Compacted and its revision', () =>
        withStore(async (s) => {
          await compactedStore(s);
          assert.equal(await s.compactedRevision(), 5);
          for (const rev of [1, 2, 4]) {
            const e1 = await rejectsWith(s.get('/c/a', { revision: rev }), 'Compacted');
            assert.equal(e1.revision, 5);
            const e2 = await rejectsWith(s.list('/c/', { revision: rev }), 'Compacted');
            assert.equal(e2.revision, 5);
          }
        }));

      it('reads at and above the compacted revision still see history', () =>
        withStore(async (s) => {
          await compactedStore(s);
          const cases: { rev: number; want: KeyValue[] }[] = [
            { rev: 5, want: [kv('/c/a', 'a2', 1, 3), kv('/c/c', 'c1', 5, 5)] },
            { rev: 6, want: [kv('/c/a', 'a3', 1, 6), kv('/c/c', 'c1', 5, 5)] },
            { rev: 7, want: [kv('/c/a', 'a3', 1, 6), kv('/c/c', 'c1', 5, 5), kv('/c/d', 'd1', 7, 7)] },
          ];
          for (const c of cases) {
            assert.deepEqual((await s.list('/c/', { revision: c.rev })).kvs.map(plain), c.want, `list at ${c.rev}`);
          }
          assert.deepEqual(plain((await s.get('/c/a', { revision: 5 })).kv), kv('/c/a', 'a2', 1, 3));
          assert.equal((await s.get('/c/b', { revision: 5 })).kv, undefined);
          assert.deepEqual((await s.list('/c/')).kvs.map((x) => x.key), ['/c/a', '/c/c', '/c/d']);
          assert.equal(await s.count('/c/'), 3);
        }));

      it('a watch below the compacted revision fails asynchronously with Compacted and no events', () =>
        withStore(async (s) => {
          await compactedStore(s);
          const r = new Recorder(s, '/c/', 2);
          assert.equal(r.errors.length, 0, 'onError must not run inside watch()');
          const err = await r.untilError();
          assert.equal(err.code, 'Compacted');
          assert.equal(err.revision, 5);
          await s.create('/c/later', 'x');
          await nextTurns();
          assert.deepEqual(r.events, []);
          assert.equal(r.errors.length, 1);
          r.stop();
        }));

      it('a watch at the compacted revision replays from it, with prevKv', () =>
        withStore(async (s) => {
          await compactedStore(s);
          const r = new Recorder(s, '/c/', 5);
          await r.untilRevision(7);
          await s.delete('/c/c'); // 8
          await r.untilRevision(8);
          r.stop();
          assert.deepEqual(r.events.map(plainEvent), [
            { type: 'create', revision: 5, kv: kv('/c/c', 'c1', 5, 5) },
            { type: 'update', revision: 6, kv: kv('/c/a', 'a3', 1, 6), prevKv: kv('/c/a', 'a2', 1, 3) },
            { type: 'create', revision: 7, kv: kv('/c/d', 'd1', 7, 7) },
            { type: 'delete', revision: 8, kv: kv('/c/c', 'c1', 5, 8), prevKv: kv('/c/c', 'c1', 5, 5) },
          ]);
        }));

      it('is idempotent and never moves backwards', () =>
        withStore(async (s) => {
          await compactedStore(s);
          await s.compact(5);
          await s.compact(3);
          await s.compact(0);
          assert.equal(await s.compactedRevision(), 5);
          await s.compact(7);
          assert.equal(await s.compactedRevision(), 7);
          await rejectsWith(s.get('/c/a', { revision: 6 }), 'Compacted');
          assert.deepEqual(plain((await s.get('/c/a', { revision: 7 })).kv), kv('/c/a', 'a3', 1, 6));
          assert.equal(await s.currentRevision(), 7);
        }));

      it('refuses a revision beyond the current one with FutureRevision', () =>
        withStore(async (s) => {
          await s.create('/c/a', 'v');
          await rejectsWith(s.compact(2), 'FutureRevision');
          assert.equal(await s.compactedRevision(), 0);
        }));

      it('a key deleted before the compacted revision can be recreated', () =>
        withStore(async (s) => {
          await s.create('/c/a', 'v1'); // 1
          await s.delete('/c/a'); // 2
          await s.create('/c/z', 'z'); // 3
          await s.compact(3);
          assert.equal((await s.get('/c/a')).kv, undefined);
          assert.deepEqual(plain((await s.create('/c/a', 'v2')).kv), kv('/c/a', 'v2', 4, 4));
        }));

      it('keeps serving writes, reads and watches across repeated compactions', () =>
        withStore(async (s) => {
          const r = new Recorder(s, '/r/', 1);
          let rev = 0;
          for (let round = 0; round < 5; round++) {
            for (let i = 0; i < 20; i++) {
              const k = `/r/${i % 5}`;
              const cur = (await s.get(k)).kv;
              rev = cur === undefined ? (await s.create(k, `${round}.${i}`)).revision : (await s.update(k, `${round}.${i}`, cur.modRevision)).revision;
            }
            await s.compact(rev - 3);
          }
          await r.untilRevision(rev);
          r.stop();
          assert.deepEqual(r.revisions(), Array.from({ length: rev }, (_, i) => i + 1));
          assert.equal(await s.count('/r/'), 5);
          const l = await s.list('/r/', { revision: rev - 3 });
          assert.equal(l.kvs.length, 5);
        }));
    });

    describe('lifecycle', () => {
      it('close ends watches with Unavailable and refuses later calls with Unavailable', async () => {
        const h = await open();
        try {
          const r = new Recorder(h.store, '/l/');
          await h.store.create('/l/a', 'v');
          await r.untilRevision(1);
          await h.store.close();
          const err = await r.untilError();
          assert.equal(err.code, 'Unavailable');
          await rejectsWith(h.store.get('/l/a'), 'Unavailable');
          await rejectsWith(h.store.create('/l/b', 'v'), 'Unavailable');
          const late = new Recorder(h.store, '/l/');
          assert.equal((await late.untilError()).code, 'Unavailable');
        } finally {
          await h.cleanup();
        }
      });

      if (opts.persistent === true)
        it('revision, data, history and the compacted revision survive reopen', async () => {
        const h = await open();
        try {
          assert.ok(h.reopen !== undefined, 'a persistent driver under test must offer reopen');
          let s = h.store;
          await s.create('/d/a', 'a1'); // 1
          await s.create('/d/b', 'b1'); // 2
          await s.update('/d/a', 'a2', 1); // 3
          await s.delete('/d/b'); // 4
          await s.create('/d/c', 'c1'); // 5
          await s.compact(3);
          s = await h.reopen();
          assert.equal(await s.currentRevision(), 5);
          assert.equal(await s.compactedRevision(), 3);
          assert.deepEqual((await s.list('/d/')).kvs.map(plain), [kv('/d/a', 'a2', 1, 3), kv('/d/c', 'c1', 5, 5)]);
          assert.deepEqual(plain((await s.get('/d/b', { revision: 3 })).kv), kv('/d/b', 'b1', 2, 2));
          await rejectsWith(s.get('/d/a', { revision: 2 }), 'Compacted');
          const r = new Recorder(s, '/d/', 3);
          assert.equal((await s.update('/d/a', 'a3', 3)).revision, 6);
          await r.untilRevision(6);
          r.stop();
          assert.deepEqual(r.events.map(plainEvent), [
            { type: 'update', revision: 3, kv: kv('/d/a', 'a2', 1, 3), prevKv: kv('/d/a', 'a1', 1, 1) },
            { type: 'delete', revision: 4, kv: kv('/d/b', 'b1', 2, 4), prevKv: kv('/d/b', 'b1', 2, 2) },
            { type: 'create', revision: 5, kv: kv('/d/c', 'c1', 5, 5) },
            { type: 'update', revision: 6, kv: kv('/d/a', 'a3', 1, 6), prevKv: kv('/d/a', 'a2', 1, 3) },
          ]);
          // An empty reopened store, too, keeps its revision (nothing is derived from live keys only).
          await s.delete('/d/a');
          await s.delete('/d/c');
          await s.compact(await s.currentRevision());
          const before = await s.currentRevision();
          s = await h.reopen();
          assert.equal(await s.currentRevision(), before);
          assert.equal((await s.create('/d/z', 'z')).revision, before + 1);
        } finally {
          await h.cleanup();
        }
      });
    });
  });
}
