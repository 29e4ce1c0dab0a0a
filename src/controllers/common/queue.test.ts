import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { StatusError } from '../../client/errors.js';
import { flush } from '../../client/testenv.js';
import { RateLimitingQueue } from '../../client/workqueue.js';
import { FakeClock } from '../../util/clock.js';
import { KeyWorkers, QueueWorkers, RequeueAfter } from './queue.js';
import type { ControllerContext } from '../types.js';

function setup(sync: (key: string) => Promise<void>, maxRetries?: number) {
  const clock = new FakeClock();
  const queue = new RateLimitingQueue<string>({ clock });
  const logs: string[] = [];
  const w = new QueueWorkers({ queue, sync, log: (m) => logs.push(m), ...(maxRetries !== undefined ? { maxRetries } : {}) });
  return { clock, queue, logs, w };
}

describe('QueueWorkers', () => {
  const cases: { name: string; outcome: () => Promise<void>; advanceMs: number; wantCalls: number; wantLog?: RegExp }[] = [
    { name: 'success: synced once', outcome: async () => undefined, advanceMs: 10_000, wantCalls: 1 },
    { name: 'RequeueAfter: synced again after the wait', outcome: async () => Promise.reject(new RequeueAfter(5_000)), advanceMs: 5_000, wantCalls: 2 },
    { name: 'error: retried with backoff and logged', outcome: async () => Promise.reject(new Error('boom')), advanceMs: 5, wantCalls: 2, wantLog: /error syncing "k": boom/ },
  ];
  for (const c of cases) {
    test(c.name, async () => {
      let calls = 0;
      const { clock, queue, logs, w } = setup(async () => {
        calls++;
        if (calls === 1) await c.outcome();
      });
      w.run(2);
      queue.add('k');
      await flush();
      clock.advance(c.advanceMs);
      await flush();
      assert.equal(calls, c.wantCalls);
      if (c.wantLog) assert.match(logs.join('\n'), c.wantLog);
      await w.stop();
    });
  }

  test('maxRetries drops a key that keeps failing', async () => {
    let calls = 0;
    const { clock, queue, logs, w } = setup(async () => {
      calls++;
      throw new Error('nope');
    }, 2);
    w.run(1);
    queue.add('k');
    for (let i = 0; i < 10; i++) {
      await flush();
      clock.advance(1000);
    }
    await flush();
    assert.equal(calls, 3, 'first try + 2 retries');
    assert.match(logs.at(-1) ?? '', /dropping k out of the queue after 2 retries: nope/);
    await w.stop();
  });

  test('stop waits for the sync in progress and drops queued keys', async () => {
    let release: () => void = () => undefined;
    const seen: string[] = [];
    const { queue, w } = setup(async (k) => {
      seen.push(k);
      if (k === 'a') await new Promise<void>((r) => (release = r));
    });
    w.run(1);
    queue.add('a');
    await flush();
    queue.add('b');
    const stopping = w.stop();
    release();
    await stopping;
    assert.deepEqual(seen, ['a']);
  });
});

describe('KeyWorkers', () => {
  const cases: { name: string; err: Error; wantLogs: string[] }[] = [
    { name: 'an error is logged under the controller name', err: new Error('boom'), wantLogs: ['ctl: error syncing "ns/a": boom'] },
    { name: 'a conflict is retried quietly', err: new StatusError(409, 'Conflict', 'the object has been modified'), wantLogs: [] },
  ];
  for (const c of cases) {
    test(c.name, async () => {
      const clock = new FakeClock();
      const logs: string[] = [];
      const ctx = { clock, log: (name: string, m: string) => logs.push(`${name}: ${m}`) } as unknown as ControllerContext;
      let calls = 0;
      const w = new KeyWorkers({
        name: 'ctl',
        ctx,
        sync: async () => {
          calls++;
          if (calls === 1) throw c.err;
        },
      });
      w.run(1);
      w.add('ns/a');
      await flush();
      clock.advance(1000);
      await flush();
      assert.equal(calls, 2, 'retried');
      assert.deepEqual(logs, c.wantLogs);
      await w.stop();
    });
  }
});
