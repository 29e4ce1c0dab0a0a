import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../../util/clock.js';
import { TimedWorkerQueue } from './timedworkers.js';

function setup(fail = false) {
  const clock = new FakeClock();
  const fired: string[] = [];
  const errors: string[] = [];
  const q = new TimedWorkerQueue(
    clock,
    async (key) => {
      fired.push(`${key}@${clock.now()}`);
      if (fail) throw new Error('boom');
    },
    (key) => errors.push(key),
  );
  return { clock, q, fired, errors, t0: clock.now() };
}

describe('TimedWorkerQueue', () => {
  test('due work runs at once, later work at its moment', async () => {
    const { clock, q, fired, t0 } = setup();
    q.add('now', t0, t0);
    q.add('later', t0, t0 + 300_000);
    await q.idle();
    assert.deepEqual(fired, [`now@${t0}`]);
    clock.advance(299_999);
    await q.idle();
    assert.equal(fired.length, 1);
    clock.advance(1);
    await q.idle();
    assert.deepEqual(fired, [`now@${t0}`, `later@${t0 + 300_000}`]);
  });

  test('a key is scheduled once; done work stays until cancelled', async () => {
    const { clock, q, fired, t0 } = setup();
    q.add('a', t0, t0 + 10);
    q.add('a', t0, t0 + 5);
    assert.equal(q.get('a')?.fireAt, t0 + 10);
    clock.advance(10);
    await q.idle();
    assert.equal(q.get('a')?.state, 'done');
    q.add('a', t0, t0);
    await q.idle();
    assert.equal(fired.length, 1, 'not run twice');
    assert.equal(q.cancel('a'), false, 'cancelling done work reports nothing to cancel');
    assert.equal(q.get('a'), undefined);
  });

  test('cancel stops pending work', async () => {
    const { clock, q, fired, t0 } = setup();
    q.add('a', t0, t0 + 10);
    assert.deepEqual(q.pending(), ['a']);
    assert.equal(q.cancel('a'), true);
    clock.advance(100);
    await q.idle();
    assert.deepEqual(fired, []);
    assert.equal(clock.pendingTimers(), 0);
  });

  test('failed work is forgotten so it can be scheduled again', async () => {
    const { q, errors, t0 } = setup(true);
    q.add('a', t0, t0);
    await q.idle();
    assert.deepEqual(errors, ['a']);
    assert.equal(q.get('a'), undefined);
  });
});
