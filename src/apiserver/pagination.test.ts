/**
 * Lists: limit/continue pages that stay consistent (one snapshot) while writes happen,
 * remainingItemCount, the resourceVersion semantics (unset = latest, "0" = any,
 * NotOlderThan, Exact), and label/field selectors.
 */
import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, configMap, pod, type TestServer } from './testharness.js';

let ts: TestServer;
const NS = '/api/v1/namespaces/pages';
const CM = `${NS}/configmaps`;
const names = (r: { json: { items: { metadata: { name: string } }[] } }): string[] => r.json.items.map((i) => i.metadata.name);

before(async () => {
  ts = await startTestServer();
  await ts.post('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'pages' } });
  for (let i = 0; i < 10; i++) {
    const r = await ts.post(CM, configMap(`cm-${i}`, { i: String(i) }, { parity: i % 2 === 0 ? 'even' : 'odd' }));
    assert.equal(r.status, 201, r.text);
  }
});
after(async () => {
  await ts?.close();
});

describe('pagination', () => {
  test('limit/continue walks one snapshot while writes happen', async () => {
    const p1 = await ts.get(`${CM}?limit=4`);
    assert.equal(p1.status, 200, p1.text);
    assert.deepEqual(names(p1), ['cm-0', 'cm-1', 'cm-2', 'cm-3']);
    assert.equal(p1.json.metadata.remainingItemCount, 6);
    const rv = p1.json.metadata.resourceVersion as string;
    assert.ok(p1.json.metadata.continue);

    // Writes between pages are not seen by the rest of the walk.
    await ts.post(CM, configMap('cm-99'));
    await ts.del(`${CM}/cm-5`);
    await ts.patch(`${CM}/cm-6`, { data: { i: 'changed' } }, 'application/merge-patch+json');

    const p2 = await ts.get(`${CM}?limit=4&continue=${encodeURIComponent(p1.json.metadata.continue as string)}`);
    assert.equal(p2.status, 200, p2.text);
    assert.deepEqual(names(p2), ['cm-4', 'cm-5', 'cm-6', 'cm-7']);
    assert.equal(p2.json.metadata.resourceVersion, rv, 'every page reports the snapshot revision');
    assert.equal(p2.json.items[2].data.i, '6');
    assert.equal(p2.json.metadata.remainingItemCount, 2, 'the count is of the snapshot, not of the store now');

    const p3 = await ts.get(`${CM}?limit=4&continue=${encodeURIComponent(p2.json.metadata.continue as string)}`);
    assert.deepEqual(names(p3), ['cm-8', 'cm-9']);
    assert.equal(p3.json.metadata.continue, undefined);
    assert.equal(p3.json.metadata.remainingItemCount, undefined);

    // A new list sees the writes.
    const fresh = await ts.get(CM);
    assert.ok(names(fresh).includes('cm-99'));
    assert.ok(!names(fresh).includes('cm-5'));
    // Restore for the other tests.
    await ts.post(CM, configMap('cm-5', { i: '5' }, { parity: 'odd' }));
    await ts.del(`${CM}/cm-99`);
  });

  test('remainingItemCount on an unchanged store, and its absence with a selector', async () => {
    const p = await ts.get(`${CM}?limit=3`);
    assert.equal(p.json.metadata.remainingItemCount, 7);
    const p2 = await ts.get(`${CM}?limit=3&continue=${encodeURIComponent(p.json.metadata.continue as string)}`);
    assert.equal(p2.json.metadata.remainingItemCount, 4);
    const sel = await ts.get(`${CM}?limit=2&labelSelector=parity%3Deven`);
    assert.deepEqual(names(sel), ['cm-0', 'cm-2']);
    assert.ok(sel.json.metadata.continue);
    assert.equal(sel.json.metadata.remainingItemCount, undefined, 'a filtered list cannot count what remains');
    const sel2 = await ts.get(`${CM}?limit=2&labelSelector=parity%3Deven&continue=${encodeURIComponent(sel.json.metadata.continue as string)}`);
    assert.deepEqual(names(sel2), ['cm-4', 'cm-6']);
  });

  test('a continue token from before a compaction is 410 Expired', async () => {
    const p = await ts.get(`${CM}?limit=2`);
    await ts.patch(`${CM}/cm-0`, { data: { touched: 'yes' } }, 'application/merge-patch+json');
    await ts.store.compact(await ts.store.currentRevision());
    const r = await ts.get(`${CM}?limit=2&continue=${encodeURIComponent(p.json.metadata.continue as string)}`);
    assert.equal(r.status, 410, r.text);
    assert.equal(r.json.reason, 'Expired');
    assert.match(r.json.message, /The provided continue parameter is too old to display a consistent list result/);
  });
});

describe('resourceVersion semantics', () => {
  test('unset, 0, NotOlderThan, Exact', async () => {
    const start = (await ts.get(CM)).json;
    const rv0 = start.metadata.resourceVersion as string;
    await ts.patch(`${CM}/cm-1`, { data: { v: 'new' } }, 'application/merge-patch+json');

    const latest = await ts.get(CM);
    assert.ok(Number(latest.json.metadata.resourceVersion) > Number(rv0));
    const any = await ts.get(`${CM}?resourceVersion=0`);
    assert.equal(any.status, 200);
    assert.ok(Number(any.json.metadata.resourceVersion) >= Number(rv0));

    const not = await ts.get(`${CM}?resourceVersion=${rv0}&resourceVersionMatch=NotOlderThan`);
    assert.equal(not.status, 200, not.text);
    assert.ok(Number(not.json.metadata.resourceVersion) >= Number(rv0));
    assert.equal(not.json.items.find((i: { metadata: { name: string } }) => i.metadata.name === 'cm-1').data.v, 'new');

    const exact = await ts.get(`${CM}?resourceVersion=${rv0}&resourceVersionMatch=Exact`);
    assert.equal(exact.status, 200, exact.text);
    assert.equal(exact.json.metadata.resourceVersion, rv0);
    assert.equal(exact.json.items.find((i: { metadata: { name: string } }) => i.metadata.name === 'cm-1').data.v, undefined, 'Exact reads the past');

    // The legacy form: a resourceVersion with a limit is an exact read too.
    const legacy = await ts.get(`${CM}?resourceVersion=${rv0}&limit=100`);
    assert.equal(legacy.json.metadata.resourceVersion, rv0);

    const future = String(Number(latest.json.metadata.resourceVersion) + 100);
    const tooNew = await ts.get(`${CM}?resourceVersion=${future}&resourceVersionMatch=NotOlderThan`);
    assert.equal(tooNew.status, 504, tooNew.text);
    assert.equal(tooNew.json.reason, 'Timeout');
    assert.match(tooNew.json.message, /^Timeout: Too large resource version: \d+, current: \d+$/);
    assert.deepEqual(tooNew.json.details.causes, [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }]);
  });

  test('Exact below the compacted revision is 410', async () => {
    const before = (await ts.get(CM)).json.metadata.resourceVersion as string;
    await ts.patch(`${CM}/cm-2`, { data: { v: 'x' } }, 'application/merge-patch+json');
    await ts.store.compact(await ts.store.currentRevision());
    const r = await ts.get(`${CM}?resourceVersion=${before}&resourceVersionMatch=Exact`);
    assert.equal(r.status, 410, r.text);
    assert.equal(r.json.reason, 'Expired');
  });

  test('get with a resourceVersion is not-older-than', async () => {
    const g = await ts.get(`${CM}/cm-3?resourceVersion=0`);
    assert.equal(g.status, 200);
    assert.equal(g.json.metadata.name, 'cm-3');
    const old = g.json.metadata.resourceVersion as string;
    await ts.patch(`${CM}/cm-3`, { data: { v: 'newer' } }, 'application/merge-patch+json');
    const g2 = await ts.get(`${CM}/cm-3?resourceVersion=${old}`);
    assert.equal(g2.status, 200);
    assert.equal(g2.json.data.v, 'newer', 'the latest state, not the state at that revision');
    const future = await ts.get(`${CM}/cm-3?resourceVersion=${Number(await ts.revision()) + 50}`);
    assert.equal(future.status, 504);
    assert.equal(future.json.details.causes[0].reason, 'ResourceVersionTooLarge');
  });
});

describe('selectors on list', () => {
  test('label selectors: equality, set, existence', async () => {
    assert.equal(names(await ts.get(`${CM}?labelSelector=parity%3Dodd`)).length, 5);
    assert.equal(names(await ts.get(`${CM}?labelSelector=${encodeURIComponent('parity in (odd,even)')}`)).length, 10);
    assert.equal(names(await ts.get(`${CM}?labelSelector=${encodeURIComponent('!parity')}`)).length, 0);
    assert.equal(names(await ts.get(`${CM}?labelSelector=${encodeURIComponent('parity!=odd')}`)).length, 5);
  });

  test('field selectors: metadata.name and a pod field', async () => {
    assert.deepEqual(names(await ts.get(`${CM}?fieldSelector=metadata.name%3Dcm-4`)), ['cm-4']);
    await ts.post(`${NS}/pods`, pod('on-a', {}, { nodeName: 'node-a' }));
    await ts.post(`${NS}/pods`, pod('on-b', {}, { nodeName: 'node-b' }));
    await ts.post(`${NS}/pods`, pod('pending'));
    assert.deepEqual(names(await ts.get(`${NS}/pods?fieldSelector=spec.nodeName%3Dnode-a`)), ['on-a']);
    assert.deepEqual(names(await ts.get(`${NS}/pods?fieldSelector=${encodeURIComponent('spec.nodeName=')}`)), ['pending']);
    assert.deepEqual(names(await ts.get(`/api/v1/pods?fieldSelector=${encodeURIComponent('status.phase=Pending,spec.nodeName!=node-b')}`)), ['on-a', 'pending']);
  });

  test('a list across all namespaces', async () => {
    const all = await ts.get('/api/v1/configmaps');
    assert.equal(all.status, 200);
    assert.ok(all.json.items.every((i: { metadata: { namespace: string } }) => i.metadata.namespace === 'pages'));
    assert.equal(all.json.kind, 'ConfigMapList');
    assert.equal(all.json.apiVersion, 'v1');
  });
});
