/**
 * A restart on the same data dir resumes the same cluster: same CA, same objects,
 * revisions keep growing. Also: SIGTERM shuts down cleanly (exit 0).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { startCluster } from './harness.js';

test('objects, CA and revisions survive a restart', async () => {
  const first = await startCluster();
  const dataDir = first.dataDir;
  try {
    const caBefore = await readFile(join(dataDir, 'pki', 'ca.crt'), 'utf8');
    await first.kubectl(['create', 'configmap', 'persisted', '--from-literal=k=v']);
    const rv1 = Number((await first.kubectl(['get', 'configmap', 'persisted', '-o', 'jsonpath={.metadata.resourceVersion}'])).stdout);
    assert.ok(rv1 > 0);
    assert.equal(await first.stop({ keepData: true }), 0, 'SIGTERM exits 0');

    const second = await startCluster({ dataDir });
    try {
      assert.equal(await readFile(join(dataDir, 'pki', 'ca.crt'), 'utf8'), caBefore, 'same CA');
      const got = await second.kubectl(['get', 'configmap', 'persisted', '-o', 'jsonpath={.data.k} {.metadata.resourceVersion}']);
      assert.equal(got.stdout, `v ${rv1}`);
      await second.kubectl(['create', 'configmap', 'after-restart']);
      const rv2 = Number((await second.kubectl(['get', 'configmap', 'after-restart', '-o', 'jsonpath={.metadata.resourceVersion}'])).stdout);
      assert.ok(rv2 > rv1, `revision grew: ${rv2} > ${rv1}`);
    } finally {
      await second.stop({ keepData: true });
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
});
