import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Compactor, DEFAULT_COMPACTION_INTERVAL_MS } from './compactor.js';
import { isStorageError } from './interface.js';
import { MemoryStore } from './memory/memory.js';
import { FakeClock } from '../util/clock.js';

async function write(s: MemoryStore, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    const cur = (await s.get('/k')).kv;
    if (cur === undefined) await s.create('/k', String(i));
    else await s.update('/k', String(i), cur.modRevision);
  }
}

describe('Compactor', () => {
  it('compacts each interval to the revision seen one interval earlier', async () => {
    const clock = new FakeClock();
    const store = new MemoryStore();
    const compacted: number[] = [];
    const c = new Compactor({ store, clock, onCompacted: (r) => compacted.push(r) });
    c.start();
    const steps: { writes: number; wantCompacted: number }[] = [
      { writes: 10, wantCompacted: 0 }, // first tick only records revision 10
      { writes: 5, wantCompacted: 10 }, // second tick compacts to 10, records 15
      { writes: 0, wantCompacted: 15 }, // third: compacts to 15, records 15
      { writes: 7, wantCompacted: 15 }, // fourth: compacts to 15 again (no-op), records 22
      { writes: 1, wantCompacted: 22 },
    ];
    for (const [i, s] of steps.entries()) {
      await write(store, s.writes);
      clock.advance(DEFAULT_COMPACTION_INTERVAL_MS - 1);
      await c.idle();
      assert.equal(await store.compactedRevision(), i === 0 ? 0 : steps[i - 1]!.wantCompacted, `step ${i}: early`);
      clock.advance(1);
      await c.idle();
      assert.equal(await store.compactedRevision(), s.wantCompacted, `step ${i}`);
    }
    assert.deepEqual(compacted, [10, 15, 15, 22]);
    await c.stop();
    clock.advance(DEFAULT_COMPACTION_INTERVAL_MS * 3);
    assert.equal(clock.pendingTimers(), 0);
    assert.equal(await store.compactedRevision(), 22);
  });

  it('reports a failed tick and keeps ticking', async () => {
    const clock = new FakeClock();
    const store = new MemoryStore();
    const errors: unknown[] = [];
    let fail = true;
    const flaky = {
      currentRevision: () => store.currentRevision(),
      compact: (r: number) => (fail ? Promise.reject(new Error('disk on fire')) : store.compact(r)),
    };
    const c = new Compactor({ store: flaky, clock, intervalMs: 1000, onError: (e) => errors.push(e) });
    c.start();
    await write(store, 3);
    clock.advance(1000);
    await c.idle();
    clock.advance(1000);
    await c.idle();
    assert.equal(errors.length, 1);
    fail = false;
    clock.advance(1000);
    await c.idle();
    assert.equal(await store.compactedRevision(), 3);
    await c.stop();
  });

  it('validates its interval', () => {
    assert.throws(() => new Compactor({ store: new MemoryStore(), intervalMs: 0 }), (e) => isStorageError(e, 'InvalidRequest'));
  });
});
