/**
 * Unconditional writes (no resourceVersion in the request) never fail with 409, however
 * many race: the registry retries read-modify-write on conflicts, using the value that
 * won rather than a possibly stale cached read.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, configMap, type TestServer } from './testharness.js';

let ts: TestServer;
before(async () => {
  ts = await startTestServer();
});
after(async () => {
  await ts?.close();
});

test('concurrent merge patches and a delete: no Conflict', async () => {
  const CM = '/api/v1/namespaces/default/configmaps';
  for (let round = 0; round < 5; round++) {
    const name = `race-${round}`;
    assert.equal((await ts.post(CM, configMap(name))).status, 201);
    const writes = Array.from({ length: 30 }, (_, i) => ts.patch(`${CM}/${name}`, { data: { [`k${i}`]: String(i) } }, 'application/merge-patch+json'));
    const patched = await Promise.all(writes);
    for (const r of patched) assert.equal(r.status, 200, r.text);
    const got = await ts.get(`${CM}/${name}`);
    assert.equal(Object.keys(got.json.data).length, 30, 'every patch landed');
    const racing = [ts.del(`${CM}/${name}`), ...Array.from({ length: 10 }, (_, i) => ts.patch(`${CM}/${name}`, { data: { [`z${i}`]: 'x' } }, 'application/merge-patch+json'))];
    const results = await Promise.all(racing);
    assert.equal(results[0]!.status, 200, results[0]!.text);
    for (const r of results.slice(1)) assert.ok(r.status === 200 || r.status === 404, `patch during delete: ${r.status} ${r.text}`);
  }
});
