import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../util/clock.js';
import { TimerQueue } from './timerqueue.js';

test('TimerQueue: deadlines fire in order on one clock timer; rescheduling and cancel work', () => {
  const clock = new FakeClock(0);
  const fired: [string, number][] = [];
  const q = new TimerQueue(clock, (k, at) => fired.push([k, at]));
  q.schedule('b', 200);
  q.schedule('a', 100);
  q.schedule('c', 300);
  q.schedule('b', 50);
  q.cancel('c');
  assert.equal(clock.pendingTimers(), 1);
  assert.equal(q.size, 2);
  clock.advance(1000);
  assert.deepEqual(fired, [
    ['b', 50],
    ['a', 100],
  ]);
  q.schedule('late', clock.now());
  assert.equal(fired.length, 2, 'never fires inside schedule()');
  clock.advance(0);
  assert.deepEqual(fired.at(-1), ['late', 1000]);
  q.close();
  assert.equal(clock.pendingTimers(), 0);
});
