/**
 * Watch streaming: initial events, resuming from a resourceVersion, selectors (an
 * object that stops matching is DELETED for that watcher), bookmarks, the watch-list
 * protocol (sendInitialEvents + the initial-events-end bookmark), 410 Expired after
 * compaction, and timeoutSeconds.
 */
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, configMap, pod, type TestServer } from './testharness.js';

let ts: TestServer;
const NS = '/api/v1/namespaces/w';
const CM = `${NS}/configmaps`;

before(async () => {
  ts = await startTestServer({ server: { bookmarkIntervalMs: 50 } });
  await ts.post('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'w' } });
  await ts.post(CM, configMap('pre-1'));
  await ts.post(CM, configMap('pre-2'));
});
after(async () => {
  await ts?.close();
});

const summary = (evs: { type: string; object: any }[]): string[] => evs.map((e) => `${e.type} ${e.object?.metadata?.name ?? ''}`.trim());

describe('watch', () => {
  test('without a resourceVersion: ADDED for what exists, then changes', async () => {
    const w = await ts.watch(`${CM}?watch=true`);
    assert.equal(w.status, 200);
    await w.waitFor(2);
    await ts.post(CM, configMap('live'));
    await ts.patch(`${CM}/live`, { data: { a: 'b' } }, 'application/merge-patch+json');
    await ts.del(`${CM}/live`);
    const evs = await w.waitFor(5);
    w.close();
    assert.deepEqual(summary(evs), ['ADDED pre-1', 'ADDED pre-2', 'ADDED live', 'MODIFIED live', 'DELETED live']);
    assert.equal(evs[2]!.object.kind, 'ConfigMap');
    assert.equal(evs[2]!.object.apiVersion, 'v1');
    assert.deepEqual(evs[3]!.object.data, { a: 'b' });
    assert.ok(Number(evs[4]!.object.metadata.resourceVersion) > Number(evs[3]!.object.metadata.resourceVersion), 'DELETED carries the deletion revision');
  });

  test('resourceVersion=0 also starts with the current state', async () => {
    const w = await ts.watch(`${CM}?watch=true&resourceVersion=0`);
    const evs = await w.waitFor(2);
    w.close();
    assert.deepEqual(summary(evs), ['ADDED pre-1', 'ADDED pre-2']);
  });

  test('from a resourceVersion: only what came after it', async () => {
    const rv = (await ts.get(CM)).json.metadata.resourceVersion as string;
    await ts.post(CM, configMap('after-1'));
    await ts.patch(`${CM}/pre-1`, { data: { x: '1' } }, 'application/merge-patch+json');
    const w = await ts.watch(`${CM}?watch=true&resourceVersion=${rv}`);
    const evs = await w.waitFor(2);
    await new Promise((r) => setTimeout(r, 30));
    w.close();
    assert.deepEqual(summary(w.events), ['ADDED after-1', 'MODIFIED pre-1']);
    assert.equal(evs.length, 2);
    await ts.del(`${CM}/after-1`);
  });

  test('the legacy /watch/ path and a single object', async () => {
    const w = await ts.watch('/api/v1/watch/namespaces/w/configmaps/pre-2');
    assert.equal(w.status, 200);
    await w.waitFor(1);
    await ts.patch(`${CM}/pre-1`, { data: { y: '1' } }, 'application/merge-patch+json');
    await ts.patch(`${CM}/pre-2`, { data: { y: '2' } }, 'application/merge-patch+json');
    await w.waitFor(2);
    w.close();
    assert.deepEqual(summary(w.events), ['ADDED pre-2', 'MODIFIED pre-2']);
  });
});

describe('selectors on watch', () => {
  test('a label selector: objects entering and leaving the selection', async () => {
    const w = await ts.watch(`${CM}?watch=true&labelSelector=app%3Dweb`);
    await ts.post(CM, configMap('sel', {}, { app: 'web' }));
    await ts.post(CM, configMap('other', {}, { app: 'db' }));
    await ts.patch(`${CM}/sel`, { metadata: { labels: { app: 'db' } } }, 'application/merge-patch+json');
    await ts.patch(`${CM}/other`, { metadata: { labels: { app: 'web' } } }, 'application/merge-patch+json');
    await ts.del(`${CM}/other`);
    const evs = await w.waitFor(4);
    w.close();
    assert.deepEqual(summary(evs), ['ADDED sel', 'DELETED sel', 'ADDED other', 'DELETED other']);
    // The DELETED for an object that stopped matching carries the state the watcher last
    // saw, at the revision of the change (upstream's cacheWatcher).
    assert.equal(evs[1]!.object.metadata.labels.app, 'web');
    assert.ok(Number(evs[1]!.object.metadata.resourceVersion) > Number(evs[0]!.object.metadata.resourceVersion));
  });

  test('a field selector on pods', async () => {
    const w = await ts.watch(`${NS}/pods?watch=true&fieldSelector=spec.nodeName%3Dnode-1`);
    await ts.post(`${NS}/pods`, pod('p-a'));
    await ts.post(`${NS}/pods/p-a/binding`, { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'p-a' }, target: { name: 'node-1' } });
    await ts.post(`${NS}/pods`, pod('p-b', {}, { nodeName: 'node-2' }));
    const evs = await w.waitFor(1);
    await new Promise((r) => setTimeout(r, 30));
    w.close();
    assert.deepEqual(summary(evs), ['ADDED p-a']);
    assert.deepEqual(summary(w.events), ['ADDED p-a']);
  });
});

describe('bookmarks and watch-list', () => {
  test('allowWatchBookmarks: periodic BOOKMARK events with the current resourceVersion', async () => {
    const rv = (await ts.get(CM)).json.metadata.resourceVersion as string;
    const w = await ts.watch(`${CM}?watch=true&resourceVersion=${rv}&allowWatchBookmarks=true`);
    const evs = await w.waitFor(1, 2000);
    w.close();
    const b = evs[0]!;
    assert.equal(b.type, 'BOOKMARK');
    assert.equal(b.object.kind, 'ConfigMap');
    assert.equal(b.object.apiVersion, 'v1');
    assert.equal(b.object.metadata.resourceVersion, rv);
  });

  test('a filtered watch bookmarks the revision it has seen, not just the ones it matched', async () => {
    const rv = (await ts.get(CM)).json.metadata.resourceVersion as string;
    const w = await ts.watch(`${CM}?watch=true&resourceVersion=${rv}&allowWatchBookmarks=true&labelSelector=app%3Dnobody`);
    const c = await ts.post(CM, configMap('unmatched'));
    const want = c.json.metadata.resourceVersion as string;
    for (let i = 0; i < 100; i++) {
      if (w.events.some((e) => e.type === 'BOOKMARK' && e.object.metadata.resourceVersion === want)) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    w.close();
    assert.ok(w.events.every((e) => e.type === 'BOOKMARK'), JSON.stringify(w.events));
    assert.ok(w.events.some((e) => e.object.metadata.resourceVersion === want), `no bookmark at ${want}: ${JSON.stringify(w.events)}`);
    await ts.del(`${CM}/unmatched`);
  });

  test('without allowWatchBookmarks no bookmark is sent', async () => {
    const rv = (await ts.get(CM)).json.metadata.resourceVersion as string;
    const w = await ts.watch(`${CM}?watch=true&resourceVersion=${rv}`);
    await new Promise((r) => setTimeout(r, 150));
    w.close();
    assert.deepEqual(w.events, []);
  });

  test('sendInitialEvents=false without a resourceVersion starts from now', async () => {
    const w = await ts.watch(`${CM}?watch=true&sendInitialEvents=false&resourceVersionMatch=NotOlderThan`);
    assert.equal(w.status, 200);
    await ts.post(CM, configMap('from-now'));
    const evs = await w.waitFor(1);
    w.close();
    assert.deepEqual(summary(evs), ['ADDED from-now']);
  });

  test('sendInitialEvents: ADDED for the state, then the initial-events-end bookmark', async () => {
    const list = (await ts.get(CM)).json;
    const w = await ts.watch(`${CM}?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true`);
    const n = list.items.length;
    const evs = await w.waitFor(n + 1);
    w.close();
    assert.deepEqual(
      evs.slice(0, n).map((e) => e.type),
      new Array(n).fill('ADDED'),
    );
    const end = evs[n]!;
    assert.equal(end.type, 'BOOKMARK');
    assert.deepEqual(end.object.metadata.annotations, { 'k8s.io/initial-events-end': 'true' });
    assert.ok(Number(end.object.metadata.resourceVersion) >= Number(list.metadata.resourceVersion));
  });
});

describe('expiry and timeouts', () => {
  test('a resourceVersion older than the compacted revision ends with 410 Expired', async () => {
    const old = (await ts.get(CM)).json.metadata.resourceVersion as string;
    await ts.patch(`${CM}/pre-1`, { data: { z: '1' } }, 'application/merge-patch+json');
    await ts.patch(`${CM}/pre-1`, { data: { z: '2' } }, 'application/merge-patch+json');
    await ts.store.compact(await ts.store.currentRevision());
    const w = await ts.watch(`${CM}?watch=true&resourceVersion=${old}`);
    assert.equal(w.status, 200);
    const evs = await w.waitFor(1);
    await w.ended;
    assert.equal(evs.length, 1);
    assert.equal(evs[0]!.type, 'ERROR');
    const st = evs[0]!.object;
    assert.equal(st.kind, 'Status');
    assert.equal(st.code, 410);
    assert.equal(st.reason, 'Expired');
    assert.match(st.message, new RegExp(`^too old resource version: ${old} \\(\\d+\\)$`));
  });

  test('timeoutSeconds ends the watch', async () => {
    const started = Date.now();
    const w = await ts.watch(`${CM}?watch=true&resourceVersion=${await ts.revision()}&timeoutSeconds=1`);
    await w.ended;
    const took = Date.now() - started;
    assert.ok(took >= 900 && took < 3000, `watch lasted ${took} ms`);
  });

  test('timeoutSeconds=0 means the server default, not an immediate end', async () => {
    const w = await ts.watch(`${CM}?watch=true&resourceVersion=${await ts.revision()}&timeoutSeconds=0`);
    await ts.post(CM, configMap('zero-timeout'));
    const evs = await w.waitFor(1);
    w.close();
    assert.deepEqual(summary(evs), ['ADDED zero-timeout']);
  });

  test('Table rendering of watch events', async () => {
    const w = await ts.watch(`${CM}?watch=true&resourceVersion=${await ts.revision()}`, { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' });
    await ts.post(CM, configMap('tabled', { a: '1', b: '2' }));
    const evs = await w.waitFor(1);
    w.close();
    assert.equal(evs[0]!.type, 'ADDED');
    const t = evs[0]!.object;
    assert.equal(t.kind, 'Table');
    assert.equal(t.apiVersion, 'meta.k8s.io/v1');
    assert.equal(t.rows.length, 1);
    assert.equal(t.rows[0].cells[0], 'tabled');
    assert.equal(t.rows[0].object.kind, 'PartialObjectMetadata');
  });
});
