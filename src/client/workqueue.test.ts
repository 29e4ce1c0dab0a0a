import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../util/clock.js';
import {
  BucketRateLimiter,
  DelayingQueue,
  ItemExponentialFailureRateLimiter,
  MaxOfRateLimiter,
  RateLimitingQueue,
  WorkQueue,
  defaultControllerRateLimiter,
} from './workqueue.js';
import { flush } from './testenv.js';

describe('WorkQueue', () => {
  test('FIFO and de-duplication of waiting items', async () => {
    const q = new WorkQueue<string>();
    for (const k of ['a', 'b', 'a', 'c', 'b']) q.add(k);
    assert.equal(q.len(), 3);
    assert.deepEqual([await q.get(), await q.get(), await q.get()], ['a', 'b', 'c']);
  });

  test('an item re-added while processing is processed again after done, never twice at once', async () => {
    const q = new WorkQueue<string>();
    q.add('k');
    const first = await q.get();
    assert.equal(first, 'k');
    q.add('k');
    q.add('k');
    assert.equal(q.len(), 0, 'held back while processing');
    let second: string | undefined;
    void q.get().then((v) => (second = v));
    await flush();
    assert.equal(second, undefined, 'a second worker must not get it');
    q.done('k');
    await flush();
    assert.equal(second, 'k');
    q.done('k');
    assert.equal(q.len(), 0, 'processed once more, not twice');
  });

  test('waiting workers are woken in order', async () => {
    const q = new WorkQueue<number>();
    const got: (number | undefined)[] = [];
    const workers = [q.get(), q.get()].map((p) => p.then((v) => got.push(v)));
    q.add(1);
    q.add(2);
    await Promise.all(workers);
    assert.deepEqual(got, [1, 2]);
  });

  test('shutDown drains what is queued, then answers undefined; adds are ignored', async () => {
    const q = new WorkQueue<string>();
    const idle = q.get();
    q.add('x');
    assert.equal(await idle, 'x');
    q.add('y');
    q.shutDown();
    q.add('z');
    assert.equal(await q.get(), 'y');
    assert.equal(await q.get(), undefined);
    assert.ok(q.shuttingDown());
  });

  test('a worker waiting at shutdown gets undefined', async () => {
    const q = new WorkQueue<string>();
    const p = q.get();
    q.shutDown();
    assert.equal(await p, undefined);
  });

  test('shutDownWithDrain waits for items in flight', async () => {
    const q = new WorkQueue<string>();
    q.add('a');
    const a = await q.get();
    let drained = false;
    const p = q.shutDownWithDrain().then(() => (drained = true));
    await flush();
    assert.equal(drained, false);
    q.done(a as string);
    await p;
    assert.ok(drained);
  });

  test('workers over a shared queue never overlap on one key', async () => {
    const q = new WorkQueue<string>();
    const active = new Set<string>();
    let overlaps = 0;
    let processed = 0;
    const worker = async (): Promise<void> => {
      for (;;) {
        const k = await q.get();
        if (k === undefined) return;
        if (active.has(k)) overlaps++;
        active.add(k);
        await flush(1);
        if (processed < 40) q.add(k); // keep re-adding while it is in flight
        processed++;
        active.delete(k);
        q.done(k);
      }
    };
    const ws = [worker(), worker(), worker()];
    for (const k of ['a', 'b', 'a', 'c', 'a', 'b']) q.add(k);
    while (processed < 40) await flush(1);
    q.shutDown();
    await Promise.all(ws);
    assert.equal(overlaps, 0);
  });
});

describe('DelayingQueue', () => {
  test('addAfter waits on the clock; an earlier deadline wins', async () => {
    const clock = new FakeClock();
    const q = new DelayingQueue<string>({ clock });
    q.addAfter('a', 1000);
    q.addAfter('a', 500);
    q.addAfter('a', 2000); // later: ignored
    q.addAfter('b', 0); // at once
    assert.equal(q.len(), 1);
    assert.equal(q.numWaiting(), 1);
    clock.advance(499);
    assert.equal(q.len(), 1);
    clock.advance(1);
    assert.equal(q.len(), 2);
    assert.equal(q.numWaiting(), 0);
    clock.advance(5000);
    assert.equal(q.len(), 2, 'the superseded timers were cancelled');
  });

  test('shutdown cancels waiting items', () => {
    const clock = new FakeClock();
    const q = new DelayingQueue<string>({ clock });
    q.addAfter('a', 10);
    q.shutDown();
    assert.equal(clock.pendingTimers(), 0);
    q.addAfter('b', 10);
    assert.equal(clock.pendingTimers(), 0);
  });
});

describe('rate limiters', () => {
  test('per-item exponential: 5 ms doubling to 1000 s', () => {
    const l = new ItemExponentialFailureRateLimiter<string>();
    const want = [5, 10, 20, 40, 80];
    assert.deepEqual(want.map(() => l.when('a')), want);
    assert.equal(l.when('b'), 5, 'items are independent');
    assert.equal(l.numRequeues('a'), 5);
    for (let i = 0; i < 100; i++) l.when('a');
    assert.equal(l.when('a'), 1_000_000);
    l.forget('a');
    assert.equal(l.numRequeues('a'), 0);
    assert.equal(l.when('a'), 5);
  });

  test('bucket: burst 100 free, then 10 per second', () => {
    const clock = new FakeClock();
    const l = new BucketRateLimiter<string>(10, 100, clock);
    for (let i = 0; i < 100; i++) assert.equal(l.when(`k${i}`), 0);
    assert.equal(l.when('x'), 100);
    assert.equal(l.when('y'), 200);
    clock.advance(1000);
    assert.equal(l.when('z'), 0, 'refilled ten tokens, owed two');
  });

  const cases = [
    { name: 'per-item dominates with a full bucket', fails: 10, want: 5 * 2 ** 9 },
    { name: 'first failure is 5 ms', fails: 1, want: 5 },
  ];
  for (const c of cases) {
    test(`default: ${c.name}`, () => {
      const l = defaultControllerRateLimiter<string>(new FakeClock());
      let last = 0;
      for (let i = 0; i < c.fails; i++) last = l.when('a');
      assert.equal(last, c.want);
    });
  }

  test('max-of forgets in every limiter', () => {
    const a = new ItemExponentialFailureRateLimiter<string>(1, 100);
    const b = new ItemExponentialFailureRateLimiter<string>(3, 100);
    const m = new MaxOfRateLimiter(a, b);
    assert.equal(m.when('k'), 3);
    assert.equal(m.when('k'), 6);
    m.forget('k');
    assert.equal(m.numRequeues('k'), 0);
  });
});

describe('RateLimitingQueue', () => {
  test('addRateLimited backs off per item; forget resets', async () => {
    const clock = new FakeClock();
    const q = new RateLimitingQueue<string>({ clock });
    q.addRateLimited('k');
    assert.equal(q.len(), 0);
    clock.advance(5);
    assert.equal(await q.get(), 'k');
    q.done('k');
    q.addRateLimited('k');
    clock.advance(9);
    assert.equal(q.len(), 0);
    clock.advance(1);
    assert.equal(q.len(), 1);
    assert.equal(q.numRequeues('k'), 2);
    q.forget('k');
    assert.equal(q.numRequeues('k'), 0);
    q.shutDown();
  });
});
