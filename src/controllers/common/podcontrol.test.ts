import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { slowStartBatch } from './podcontrol.js';

describe('slowStartBatch', () => {
  const cases: { name: string; count: number; failOn?: number; want: { calls: number; successes: number; skipped: number; error?: string } }[] = [
    { name: 'all succeed in batches of 1, 2, 4, 3', count: 10, want: { calls: 10, successes: 10, skipped: 0 } },
    // Batch 1 (call 1) succeeds; batch 2 (calls 2, 3) has a failure: stop there.
    { name: 'stops after the first failing batch', count: 10, failOn: 3, want: { calls: 3, successes: 2, skipped: 7, error: 'boom' } },
    { name: 'nothing to do', count: 0, want: { calls: 0, successes: 0, skipped: 0 } },
  ];
  for (const c of cases) {
    test(c.name, async () => {
      let calls = 0;
      const r = await slowStartBatch(c.count, 1, async () => {
        calls++;
        if (calls === c.failOn) throw new Error('boom');
      });
      assert.equal(calls, c.want.calls);
      assert.equal(r.successes, c.want.successes);
      assert.equal(r.skipped, c.want.skipped);
      assert.equal(r.error instanceof Error ? r.error.message : r.error, c.want.error);
    });
  }
});
