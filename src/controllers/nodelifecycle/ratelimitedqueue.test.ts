import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../util/clock.js';
import { RateLimitedTimedQueue, TokenBucket } from './ratelimitedqueue.js';

describe('TokenBucket', () => {
  test('burst, then qps on the clock', () => {
    const clock = new FakeClock();
    const b = new TokenBucket(0.1, 1, clock);
    assert.equal(b.tryAccept(), true);
    assert.equal(b.tryAccept(), false);
    clock.advance(9_999);
    assert.equal(b.tryAccept(), false);
    clock.advance(1);
    assert.equal(b.tryAccept(), true);
  });
});

describe('RateLimitedTimedQueue', () => {
  test('a value is queued once, and not again after success until removed', async () => {
    const clock = new FakeClock();
    const q = new RateLimitedTimedQueue(clock, 100);
    assert.equal(q.add('a', 'u1'), true);
    assert.equal(q.add('a', 'u1'), false);
    const seen: string[] = [];
    await q.try(async (v) => {
      seen.push(v.value);
      return { done: true, waitMs: 0 };
    });
    assert.deepEqual(seen, ['a']);
    assert.deepEqual(q.waiting(), []);
    assert.equal(q.add('a', 'u1'), false, 'processed values stay known');
    assert.equal(q.remove('a'), true);
    assert.equal(q.add('a', 'u1'), true);
  });

  test('the limiter paces the queue (0.1 qps, burst 1: one now, the next 10 s later)', async () => {
    const clock = new FakeClock();
    const q = new RateLimitedTimedQueue(clock, 0.1);
    q.add('a', '');
    q.add('b', '');
    const seen: string[] = [];
    const fn = async (v: { value: string }) => {
      seen.push(v.value);
      return { done: true, waitMs: 0 };
    };
    await q.try(fn);
    assert.deepEqual(seen, ['a']);
    clock.advance(5_000);
    await q.try(fn);
    assert.deepEqual(seen, ['a']);
    clock.advance(5_000);
    await q.try(fn);
    assert.deepEqual(seen, ['a', 'b']);
  });

  test('a failed attempt waits its retry delay; qps 0 stops everything', async () => {
    const clock = new FakeClock();
    const q = new RateLimitedTimedQueue(clock, 1000);
    q.add('a', '');
    let calls = 0;
    const fail = async () => {
      calls++;
      return { done: false, waitMs: 50 };
    };
    await q.try(fail);
    assert.equal(calls, 1);
    clock.advance(10);
    await q.try(fail);
    assert.equal(calls, 1, 'not due yet');
    clock.advance(100);
    await q.try(fail);
    assert.equal(calls, 2);
    q.swapLimiter(0);
    clock.advance(1_000);
    await q.try(fail);
    assert.equal(calls, 2, 'a never-limiter stops tainting');
  });
});
