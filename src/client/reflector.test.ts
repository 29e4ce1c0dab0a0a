import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../util/clock.js';
import { StatusError } from '../apimachinery/errors.js';
import { Backoff } from './backoff.js';
import { Reflector, listWatcherFor, type ReflectorStore } from './reflector.js';
import { FakeListerWatcher, FakeWatch, obj } from './fakes.js';
import { TransportError } from './errors.js';
import type { KubeObject } from './types.js';
import { flush, startTestEnv, eventually, type TestEnv } from './testenv.js';

/** Records what the reflector does to its store. */
class RecordingStore implements ReflectorStore<KubeObject> {
  readonly ops: string[] = [];
  readonly items = new Map<string, KubeObject>();
  replace(items: KubeObject[], rv: string): void {
    this.ops.push(`replace ${items.map((o) => o.metadata?.name).join(',')} @${rv}`);
    this.items.clear();
    for (const o of items) this.items.set(o.metadata?.name ?? '', o);
  }
  add(o: KubeObject): void {
    this.ops.push(`add ${o.metadata?.name}`);
    this.items.set(o.metadata?.name ?? '', o);
  }
  update(o: KubeObject): void {
    this.ops.push(`update ${o.metadata?.name}`);
    this.items.set(o.metadata?.name ?? '', o);
  }
  delete(o: KubeObject): void {
    this.ops.push(`delete ${o.metadata?.name}`);
    this.items.delete(o.metadata?.name ?? '');
  }
}

const gone = (): StatusError => new StatusError(410, 'Expired', 'too old resource version');

function setup(opts: { random?: number; pageSize?: number } = {}) {
  const clock = new FakeClock();
  const lw = new FakeListerWatcher();
  const store = new RecordingStore();
  const errors: unknown[] = [];
  const r = new Reflector({
    name: 'test',
    listerWatcher: lw,
    store,
    clock,
    random: () => opts.random ?? 0,
    pageSize: opts.pageSize ?? 500,
    onError: (e) => errors.push(e),
  });
  return { clock, lw, store, r, errors };
}

describe('Backoff', () => {
  const cases = [
    { name: 'no jitter doubles to the cap', random: 0, want: [800, 1600, 3200, 6400, 12800, 25600, 30000, 30000] },
    { name: 'full jitter adds up to one step', random: 0.5, want: [1200, 2400, 4800, 9600, 19200, 38400, 45000] },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const b = new Backoff({}, new FakeClock(), () => c.random);
      assert.deepEqual(c.want.map(() => b.next()), c.want);
    });
  }
  test('resets after a quiet spell', () => {
    const clock = new FakeClock();
    const b = new Backoff({}, clock, () => 0);
    b.next();
    b.next();
    clock.advance(120_001);
    assert.equal(b.next(), 800);
  });
  test('invalid options are refused', () => assert.throws(() => new Backoff({ initialMs: 0 }, new FakeClock())));
});

describe('Reflector', () => {
  test('lists, watches from the list version, applies events, renews a finished watch', async () => {
    const { lw, store, r } = setup();
    r.start();
    lw.answerListItems([obj('a', '5'), obj('b', '6')], '10');
    const w1 = lw.answerWatch() as FakeWatch;
    await flush();
    assert.ok(r.hasSynced());
    assert.deepEqual(lw.lists[0], { resourceVersion: '0' });
    assert.equal(lw.watches[0]?.resourceVersion, '10');
    assert.equal(lw.watches[0]?.allowWatchBookmarks, true);
    const t = lw.watches[0]?.timeoutSeconds ?? 0;
    assert.ok(t >= 300 && t < 600, `timeoutSeconds ${t}`);
    w1.add(obj('c', '11'));
    w1.modify(obj('a', '12'));
    w1.remove(obj('b', '13'));
    w1.bookmark('20');
    await flush();
    assert.deepEqual(store.ops, ['replace a,b @10', 'add c', 'update a', 'delete b']);
    assert.equal(r.lastSyncResourceVersion(), '20');
    lw.answerWatch();
    w1.end();
    await flush();
    assert.equal(lw.watches.length, 2, 'renewed at once, no clock needed');
    assert.equal(lw.watches[1]?.resourceVersion, '20');
    assert.equal(lw.lists.length, 1, 'no relist');
    await r.stop();
    assert.ok(lw.openWatches[1]?.stopped);
  });

  test('410 as an ERROR event: relist with a consistent read after backoff', async () => {
    const { lw, store, r, clock } = setup();
    r.start();
    lw.answerListItems([obj('a', '5'), obj('b', '6')], '10');
    const w1 = lw.answerWatch() as FakeWatch;
    await flush();
    w1.errorEvent(410, 'Expired');
    await flush();
    assert.equal(lw.lists.length, 1);
    clock.advance(799);
    await flush();
    assert.equal(lw.lists.length, 1, 'still backing off');
    clock.advance(1);
    await flush();
    assert.equal(lw.lists.length, 2);
    assert.equal(lw.lists[1]?.resourceVersion, '', 'consistent read after 410');
    lw.answerListItems([obj('a', '15')], '16');
    lw.answerWatch();
    await flush();
    assert.deepEqual(store.ops, ['replace a,b @10', 'replace a @16']);
    assert.equal(lw.watches[1]?.resourceVersion, '16');
    await r.stop();
  });

  test('410 refusing the watch start also relists', async () => {
    const { lw, r, clock } = setup();
    r.start();
    lw.answerListItems([], '10');
    lw.answerWatch(gone());
    await flush();
    clock.advance(800);
    await flush();
    assert.equal(lw.lists[1]?.resourceVersion, '');
    await r.stop();
  });

  test('list failures back off exponentially with jitter on the clock', async () => {
    const { lw, r, clock, errors } = setup({ random: 0.25 });
    r.start();
    const waits = [1000, 2000, 4000]; // 800, 1600, 3200 plus a quarter
    lw.answerList(new TransportError('ECONNREFUSED', 'refused'));
    for (const [i, ms] of waits.entries()) {
      await flush();
      assert.equal(lw.lists.length, i + 1);
      clock.advance(ms - 1);
      await flush();
      assert.equal(lw.lists.length, i + 1, `attempt ${i + 2} not before ${ms} ms`);
      lw.answerList(new StatusError(500, 'InternalError', 'boom'));
      clock.advance(1);
    }
    await flush();
    assert.equal(lw.lists.length, 4);
    assert.equal(errors.length, 4);
    assert.equal(r.hasSynced(), false);
    await r.stop();
  });

  test('a broken watch re-watches from the last version after backoff, without relisting', async () => {
    const { lw, r, clock } = setup();
    r.start();
    lw.answerListItems([], '10');
    const w1 = lw.answerWatch() as FakeWatch;
    await flush();
    w1.add(obj('x', '11'));
    w1.fail(new TransportError('ECONNRESET', 'reset'));
    await flush();
    lw.answerWatch(new TransportError('ECONNREFUSED', 'refused'));
    clock.advance(800);
    await flush();
    assert.equal(lw.watches.length, 2);
    assert.equal(lw.watches[1]?.resourceVersion, '11');
    lw.answerWatch();
    clock.advance(1600);
    await flush();
    assert.equal(lw.watches.length, 3);
    assert.equal(lw.watches[2]?.resourceVersion, '11');
    assert.equal(lw.lists.length, 1);
    await r.stop();
  });

  test('a watch that ends at once with nothing backs off (very short watch)', async () => {
    const { lw, r, clock } = setup();
    r.start();
    lw.answerListItems([], '10');
    (lw.answerWatch() as FakeWatch).end();
    lw.answerWatch();
    await flush();
    assert.equal(lw.watches.length, 1);
    clock.advance(800);
    await flush();
    assert.equal(lw.watches.length, 2);
    await r.stop();
  });

  test('other ERROR events relist (from the last version) after backoff', async () => {
    const { lw, r, clock } = setup({ pageSize: 2 });
    r.start();
    lw.answerListItems([], '10');
    const w1 = lw.answerWatch() as FakeWatch;
    await flush();
    w1.errorEvent(500, 'InternalError');
    await flush();
    clock.advance(800);
    await flush();
    // Paged relist from the last version; the continue token carries on.
    assert.deepEqual(lw.lists[1], { resourceVersion: '10', limit: 2 });
    lw.answerListItems([obj('a', '3'), obj('b', '4')], '12', 'next');
    await flush();
    assert.deepEqual(lw.lists[2], { continue: 'next', limit: 2 });
    lw.answerList(gone());
    await flush();
    // A continue token that expired: a consistent list at once.
    assert.deepEqual(lw.lists[3], { resourceVersion: '', limit: 2 });
    lw.answerListItems([obj('z', '30')], '30');
    lw.answerWatch();
    await flush();
    assert.equal(lw.watches[1]?.resourceVersion, '30');
    await r.stop();
  });

  test('stop() during a backoff wait returns promptly; waitForSync() answers false', async () => {
    const { lw, r } = setup();
    r.start();
    const synced = r.waitForSync();
    lw.answerList(new Error('nope'));
    await flush();
    await r.stop();
    assert.equal(await synced, false);
  });
});

describe('Reflector against a real API server', () => {
  let env: TestEnv;
  before(async () => {
    env = await startTestEnv();
  });
  after(async () => {
    await env.close();
  });

  test('mirrors the server into the store', async () => {
    const c = env.client();
    const CM = { group: '', version: 'v1', resource: 'configmaps', namespace: 'default' };
    await c.create(CM, { metadata: { name: 'pre' } });
    const store = new RecordingStore();
    const r = new Reflector({ name: 'configmaps', listerWatcher: listWatcherFor(c, CM), store, clock: new FakeClock(), onError: () => undefined });
    r.start();
    assert.ok(await r.waitForSync());
    assert.ok(store.items.has('pre'));
    await c.create(CM, { metadata: { name: 'later' } });
    await c.delete({ ...CM, name: 'pre' });
    await eventually(() => store.items.has('later') && !store.items.has('pre'), 3000, 'store to follow the server');
    await r.stop();
  });
});
