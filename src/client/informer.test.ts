import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../util/clock.js';
import { StatusError } from '../apimachinery/errors.js';
import { dropManagedFields, SharedInformer, SharedInformerFactory, waitForCacheSync, type EventHandler } from './informer.js';
import { DeletedFinalStateUnknown, NODE_NAME_INDEX, nodeNameIndexFunc, unwrapTombstone } from './indexer.js';
import { FakeListerWatcher, FakeWatch, obj } from './fakes.js';
import type { KubeObject } from './types.js';
import { eventually, flush, startTestEnv, type TestEnv } from './testenv.js';

/** A handler that writes what it hears as strings. */
function recorder(log: string[], prefix = ''): EventHandler<KubeObject> {
  return {
    onAdd: (o, initial) => log.push(`${prefix}add ${o.metadata?.name}${initial ? ' (initial)' : ''}`),
    onUpdate: (a, b) => log.push(`${prefix}update ${b.metadata?.name} ${a.metadata?.resourceVersion}->${b.metadata?.resourceVersion}`),
    onDelete: (o) => log.push(`${prefix}delete ${unwrapTombstone(o).metadata?.name}${o instanceof DeletedFinalStateUnknown ? ' (tombstone)' : ''}`),
  };
}

function setup(opts: { resyncPeriodMs?: number } = {}) {
  const clock = new FakeClock();
  const lw = new FakeListerWatcher();
  const errors: unknown[] = [];
  const inf = new SharedInformer({
    name: 'test',
    listerWatcher: lw,
    clock,
    ...opts,
    reflector: { random: () => 0, onError: () => undefined },
    onHandlerError: (e) => errors.push(e),
  });
  return { clock, lw, inf, errors };
}

describe('SharedInformer', () => {
  test('handlers hear adds, updates and deletes after the cache has them', async () => {
    const { lw, inf } = setup();
    const log: string[] = [];
    const lister = inf.lister();
    inf.addEventHandler(recorder(log));
    inf.addEventHandler({
      onAdd: (o) => assert.ok(lister.get('default', o.metadata?.name ?? ''), 'cache holds it before onAdd'),
      onDelete: (o) => assert.equal(lister.get('default', unwrapTombstone(o).metadata?.name ?? ''), undefined),
    });
    inf.start();
    assert.equal(inf.hasSynced(), false);
    lw.answerListItems([obj('a', '1'), obj('b', '2')], '2');
    const w = lw.answerWatch() as FakeWatch;
    assert.ok(await inf.waitForCacheSync());
    w.add(obj('c', '3'));
    w.modify(obj('a', '4'));
    w.remove(obj('b', '5'));
    await flush();
    assert.deepEqual(log, ['add a (initial)', 'add b (initial)', 'add c', 'update a 1->4', 'delete b']);
    assert.deepEqual(lister.list().map((o) => o.metadata?.name).sort(), ['a', 'c']);
    assert.equal(inf.lastSyncResourceVersion(), '5');
    await inf.stop();
  });

  test('a relist gives tombstones for what vanished and updates for what stayed', async () => {
    const { lw, inf, clock } = setup();
    const log: string[] = [];
    inf.addEventHandler(recorder(log));
    inf.start();
    lw.answerListItems([obj('a', '1'), obj('b', '2')], '2');
    const w = lw.answerWatch() as FakeWatch;
    await flush();
    w.errorEvent(410, 'Expired');
    await flush();
    lw.answerListItems([obj('a', '1'), obj('c', '7')], '7');
    lw.answerWatch();
    clock.advance(800);
    await flush();
    assert.deepEqual(log.slice(2), ['update a 1->1', 'add c', 'delete b (tombstone)']);
    await inf.stop();
  });

  test('a late handler first gets synthetic adds', async () => {
    const { lw, inf } = setup();
    inf.start();
    lw.answerListItems([obj('a', '1'), obj('b', '2')], '2');
    const w = lw.answerWatch() as FakeWatch;
    await inf.waitForCacheSync();
    const log: string[] = [];
    const reg = inf.addEventHandler(recorder(log));
    assert.ok(reg.hasSynced());
    w.add(obj('c', '3'));
    await flush();
    assert.deepEqual(log.sort(), ['add a (initial)', 'add b (initial)', 'add c'].sort());
    inf.removeEventHandler(reg);
    w.add(obj('d', '4'));
    await flush();
    assert.equal(log.length, 3, 'removed handler hears nothing');
    await inf.stop();
    assert.throws(() => inf.addEventHandler({}), /stopped/);
  });

  test('resync replays the cache as updates on the clock, per handler period', async () => {
    const { lw, inf, clock } = setup({ resyncPeriodMs: 30_000 });
    const slow: string[] = [];
    const fast: string[] = [];
    inf.addEventHandler(recorder(slow));
    inf.addEventHandler(recorder(fast), { resyncPeriodMs: 10 }); // raised to the 1 s minimum
    inf.start();
    lw.answerListItems([obj('a', '1')], '1');
    lw.answerWatch();
    await inf.waitForCacheSync();
    clock.advance(999);
    assert.equal(fast.length, 1);
    clock.advance(1);
    assert.deepEqual(fast, ['add a (initial)', 'update a 1->1']);
    clock.advance(28_000);
    assert.equal(slow.length, 1);
    clock.advance(1000);
    assert.deepEqual(slow, ['add a (initial)', 'update a 1->1']);
    assert.equal(fast.length, 31);
    await inf.stop();
    clock.advance(60_000);
    assert.equal(fast.length, 31, 'no resync after stop');
  });

  test('a throwing handler does not starve the others', async () => {
    const { lw, inf, errors } = setup();
    const log: string[] = [];
    inf.addEventHandler({
      onAdd: () => {
        throw new Error('bad handler');
      },
    });
    inf.addEventHandler(recorder(log));
    inf.start();
    lw.answerListItems([obj('a', '1')], '1');
    lw.answerWatch();
    await inf.waitForCacheSync();
    assert.deepEqual(log, ['add a (initial)']);
    assert.equal(errors.length, 1);
    await inf.stop();
  });

  test('waitForCacheSync times out on the clock; stop answers false', async () => {
    const { lw, inf, clock } = setup();
    inf.start();
    lw.answerList(new StatusError(500, 'InternalError', 'x'));
    const p = inf.waitForCacheSync(5000);
    clock.advance(5000);
    assert.equal(await p, false);
    const q = waitForCacheSync([inf]);
    await inf.stop();
    assert.equal(await q, false);
  });

  test('transform applies before the cache', async () => {
    const lw = new FakeListerWatcher();
    const inf = new SharedInformer({
      listerWatcher: lw,
      clock: new FakeClock(),
      transform: (o) => ({ ...o, metadata: { ...o.metadata, managedFields: undefined, annotations: { seen: 'yes' } } }),
    });
    inf.start();
    lw.answerListItems([obj('a', '1')], '1');
    lw.answerWatch();
    await inf.waitForCacheSync();
    assert.equal(inf.lister().get('default', 'a')?.metadata?.annotations?.['seen'], 'yes');
    await inf.stop();
  });
});

describe('SharedInformerFactory over a real API server', () => {
  let env: TestEnv;
  before(async () => {
    env = await startTestEnv();
  });
  after(async () => {
    await env.close();
  });

  test('controllers share one informer per resource and selector', async () => {
    const c = env.client();
    const PODS = { group: '', version: 'v1', resource: 'pods' };
    const spec = (node?: string) => ({ containers: [{ name: 'c', image: 'busybox' }], ...(node ? { nodeName: node } : {}) });
    await c.create({ ...PODS, namespace: 'default' }, { metadata: { name: 'p1', labels: { app: 'a' } }, spec: spec('n1') });
    await c.create({ ...PODS, namespace: 'default' }, { metadata: { name: 'p2', labels: { app: 'b' } }, spec: spec() });

    const f = new SharedInformerFactory({ client: c, clock: new FakeClock(), reflector: { onError: () => undefined } });
    const a = f.forResource(PODS);
    const b = f.forResource(PODS, { indexers: { [NODE_NAME_INDEX]: nodeNameIndexFunc } });
    const onlyA = f.forResource(PODS, { labelSelector: 'app=a' });
    assert.equal(a, b, 'same resource, same informer');
    assert.notEqual(a, onlyA);
    assert.equal(f.all().size, 2);
    const log: string[] = [];
    a.addEventHandler(recorder(log));
    f.start();
    assert.ok(await f.waitForCacheSync());
    assert.deepEqual(a.lister().byIndex(NODE_NAME_INDEX, 'n1').map((p) => p.metadata?.name), ['p1']);
    assert.deepEqual(onlyA.lister().list().map((p) => p.metadata?.name), ['p1']);

    // A third controller arriving late shares the running informer and catches up.
    const late: string[] = [];
    f.forResource(PODS).addEventHandler(recorder(late));
    assert.deepEqual(late.sort(), ['add p1 (initial)', 'add p2 (initial)']);

    await c.patch({ ...PODS, namespace: 'default', name: 'p2' }, 'merge', { metadata: { labels: { app: 'a' } } });
    await c.delete({ ...PODS, namespace: 'default', name: 'p1' }, { gracePeriodSeconds: 0 });
    await eventually(() => onlyA.lister().list().map((p) => p.metadata?.name).join() === 'p2', 3000, 'selector informer to follow');
    await eventually(() => a.lister().get('default', 'p1') === undefined, 3000, 'delete to arrive');
    assert.ok(log.some((l) => l.startsWith('update p2')));
    await f.shutdown();
    assert.throws(() => f.forResource(PODS));
  });

  test('a factory transform (dropManagedFields) applies to every informer, before a request\'s own', async () => {
    const c = env.client();
    const CMS = { group: '', version: 'v1', resource: 'configmaps' };
    await c.create({ ...CMS, namespace: 'default' }, { metadata: { name: 'tracked' }, data: { a: '1' } });
    const f = new SharedInformerFactory({ client: c, clock: new FakeClock(), reflector: { onError: () => undefined }, transform: dropManagedFields });
    const plain = f.forResource(CMS);
    const marked = f.forResource(CMS, { labelSelector: '!nothing', transform: (o) => ({ ...o, metadata: { ...o.metadata, annotations: { seen: String('managedFields' in (o.metadata ?? {})) } } }) });
    f.start();
    assert.ok(await f.waitForCacheSync());
    const stored = await c.get({ ...CMS, namespace: 'default', name: 'tracked' });
    assert.ok(Array.isArray(stored.metadata?.managedFields), 'the server keeps managedFields');
    assert.equal(plain.lister().get('default', 'tracked')?.metadata?.managedFields, undefined);
    assert.equal(marked.lister().get('default', 'tracked')?.metadata?.annotations?.seen, 'false', 'the factory transform ran first');
    await f.shutdown();
  });
});
