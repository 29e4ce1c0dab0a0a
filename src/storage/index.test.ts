import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { openStore } from './index.js';
import { isStorageError } from './interface.js';
import { runStoreConformance } from './conformance.js';
import { FakeClock } from '../util/clock.js';

runStoreConformance('openStore(sqlite + watch cache + compactor)', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'kubelite-open-'));
  const open = () => openStore({ driver: 'sqlite', dataDir, watchCache: { prefix: '/' }, clock: new FakeClock() });
  let store = await open();
  return {
    store,
    cleanup: async () => {
      await store.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
    reopen: async () => {
      await store.close();
      store = await open();
      return store;
    },
  };
}, { persistent: true });

describe('openStore', () => {
  it('refuses bad options by name', async () => {
    const cases = [
      { name: 'unknown driver', opts: { driver: 'etcd' as 'memory' } },
      { name: 'sqlite without dataDir', opts: { driver: 'sqlite' as const } },
      { name: 'negative interval', opts: { driver: 'memory' as const, compactionIntervalMs: -5 } },
    ];
    for (const c of cases) {
      await assert.rejects(openStore(c.opts), (e) => isStorageError(e, 'InvalidRequest'), c.name);
    }
  });

  it('runs the compactor on the injected clock and stops it on close', async () => {
    const clock = new FakeClock();
    const s = await openStore({ driver: 'memory', clock, compactionIntervalMs: 1000 });
    await s.create('/registry/a', '1');
    await s.update('/registry/a', '2', 1);
    clock.advance(1000); // records revision 2
    await new Promise((r) => setImmediate(r));
    await s.update('/registry/a', '3', 2);
    clock.advance(1000); // compacts to 2
    for (let i = 0; i < 5 && (await s.compactedRevision()) !== 2; i++) await new Promise((r) => setImmediate(r));
    assert.equal(await s.compactedRevision(), 2);
    await s.close();
    assert.equal(clock.pendingTimers(), 0);
  });

  it('without cache and compactor returns the bare driver', async () => {
    const s = await openStore({ driver: 'memory', watchCache: false, compactionIntervalMs: 0 });
    assert.equal(s.constructor.name, 'MemoryStore');
    await s.close();
  });
});
