import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runStoreConformance } from '../conformance.js';
import { MemoryStore } from './memory.js';

runStoreConformance('memory', async () => {
  const store = new MemoryStore();
  return { store, cleanup: () => store.close() };
});

describe('MemoryStore internals', () => {
  it('compaction releases the history of churned and deleted keys', async () => {
    const s = new MemoryStore();
    for (let i = 0; i < 1000; i++) {
      const k = `/churn/${i % 10}`;
      const cur = (await s.get(k)).kv;
      if (cur === undefined) await s.create(k, String(i));
      else if (i % 7 === 0) await s.delete(k);
      else await s.update(k, String(i), cur.modRevision);
    }
    await s.compact(await s.currentRevision());
    const st = s as unknown as { history: Map<string, unknown[]>; log: unknown[] };
    let versions = 0;
    for (const h of st.history.values()) versions += h.length;
    // At most one version per key that exists (or was deleted exactly at the compacted revision).
    assert.ok(versions <= 10, `versions kept: ${versions}`);
    assert.equal(st.log.length, 1);
    await s.close();
  });

  it('serves list from the sorted index: 20k keys, 1k list calls in well under a second', async () => {
    const s = new MemoryStore();
    for (let i = 0; i < 20_000; i++) await s.create(`/registry/pods/ns${i % 100}/p${i}`, 'v');
    const t0 = performance.now();
    for (let i = 0; i < 1000; i++) {
      const r = await s.list(`/registry/pods/ns${i % 100}/`);
      assert.equal(r.kvs.length, 200);
    }
    const ms = performance.now() - t0;
    assert.ok(ms < 2000, `1000 lists took ${ms.toFixed(0)} ms`);
    await s.close();
  });
});
