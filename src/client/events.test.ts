import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../util/clock.js';
import { StatusError } from '../apimachinery/errors.js';
import { EventRecorder, referenceOf, type CoreEvent, type EventSink } from './events.js';
import { TransportError } from './errors.js';
import type { KubeObject } from './types.js';
import { flush, startTestEnv, type TestEnv } from './testenv.js';

/** An in-memory event store behind the sink interface, with scriptable failures. */
class MemorySink implements EventSink {
  readonly events = new Map<string, CoreEvent>();
  readonly calls: string[] = [];
  failures: Error[] = [];
  async create(ns: string, ev: CoreEvent): Promise<CoreEvent> {
    this.calls.push(`create ${ns}/${ev.metadata?.name}`);
    const f = this.failures.shift();
    if (f) throw f;
    const stored = structuredClone(ev);
    this.events.set(`${ns}/${ev.metadata?.name}`, stored);
    return stored;
  }
  async patch(ns: string, name: string, patch: Record<string, unknown>): Promise<CoreEvent> {
    this.calls.push(`patch ${ns}/${name} ${JSON.stringify(patch)}`);
    const f = this.failures.shift();
    if (f) throw f;
    const cur = this.events.get(`${ns}/${name}`);
    if (!cur) throw new StatusError(404, 'NotFound', `events "${name}" not found`);
    Object.assign(cur, patch);
    return cur;
  }
}

const pod: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web-1', namespace: 'prod', uid: 'u-1', resourceVersion: '7' } };
const node: KubeObject = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1', uid: 'u-n' } };

function setup(extra: Partial<ConstructorParameters<typeof EventRecorder>[0]> = {}) {
  const clock = new FakeClock(Date.UTC(2024, 0, 1, 12, 0, 0));
  const sink = new MemorySink();
  const logs: string[] = [];
  const r = new EventRecorder({ sink, component: 'kubelite-test', host: 'h1', clock, random: () => 0, log: (m) => logs.push(m), ...extra });
  return { clock, sink, logs, r };
}

describe('referenceOf', () => {
  const cases = [
    { name: 'object', in: pod, want: { kind: 'Pod', namespace: 'prod', name: 'web-1', uid: 'u-1', apiVersion: 'v1', resourceVersion: '7' } },
    { name: 'cluster-scoped', in: node, want: { kind: 'Node', name: 'n1', uid: 'u-n', apiVersion: 'v1' } },
    { name: 'reference', in: { kind: 'Pod', name: 'x', namespace: 'a', fieldPath: 'spec.containers{c}' }, want: { kind: 'Pod', name: 'x', namespace: 'a', fieldPath: 'spec.containers{c}' } },
    { name: 'no kind', in: { metadata: { name: 'x' } } as KubeObject, want: undefined },
  ];
  for (const c of cases) test(c.name, () => assert.deepEqual(referenceOf(c.in), c.want));
});

describe('EventRecorder', () => {
  test('writes a core/v1 Event named <obj>.<hex ns>', async () => {
    const { r, sink, clock } = setup();
    r.event(pod, 'Normal', 'Scheduled', 'Successfully assigned prod/web-1 to n1');
    await r.flush();
    const [ev] = [...sink.events.values()];
    assert.ok(ev);
    const nanos = (BigInt(clock.now()) * 1_000_000n).toString(16);
    assert.equal(ev.metadata?.name, `web-1.${nanos}`);
    assert.equal(ev.metadata?.namespace, 'prod');
    assert.deepEqual(ev.involvedObject, { kind: 'Pod', namespace: 'prod', name: 'web-1', uid: 'u-1', apiVersion: 'v1', resourceVersion: '7' });
    assert.deepEqual(ev.source, { component: 'kubelite-test', host: 'h1' });
    assert.equal(ev.count, 1);
    assert.equal(ev.type, 'Normal');
    assert.equal(ev.firstTimestamp, '2024-01-01T12:00:00Z');
    assert.equal(ev.lastTimestamp, '2024-01-01T12:00:00Z');
  });

  test('repeats patch count and lastTimestamp; other messages get their own event', async () => {
    const { r, sink, clock } = setup();
    r.event(pod, 'Warning', 'BackOff', 'Back-off restarting failed container');
    clock.advance(5000);
    r.event(pod, 'Warning', 'BackOff', 'Back-off restarting failed container');
    clock.advance(5000);
    r.event(pod, 'Warning', 'BackOff', 'Back-off restarting failed container');
    r.event(pod, 'Warning', 'BackOff', 'something else');
    await r.flush();
    assert.equal(sink.events.size, 2);
    const ev = [...sink.events.values()].find((e) => e.message.startsWith('Back-off'));
    assert.equal(ev?.count, 3);
    assert.equal(ev?.lastTimestamp, '2024-01-01T12:00:10Z');
    assert.equal(ev?.firstTimestamp, '2024-01-01T12:00:00Z');
    assert.deepEqual(sink.calls.map((c) => c.split(' ')[0]), ['create', 'patch', 'patch', 'create']);
  });

  test('repeats outside the dedup window start a new event', async () => {
    const { r, sink, clock } = setup();
    r.event(pod, 'Normal', 'Pulled', 'pulled');
    await r.flush();
    clock.advance(600_001);
    r.event(pod, 'Normal', 'Pulled', 'pulled');
    await r.flush();
    assert.equal(sink.events.size, 2);
  });

  test('from the 10th similar message on, they are combined into one event', async () => {
    const { r, sink } = setup();
    for (let i = 0; i < 12; i++) r.event(pod, 'Warning', 'FailedMount', `volume ${i} failed`);
    await r.flush();
    const msgs = [...sink.events.values()].map((e) => `${e.count} ${e.message}`);
    assert.equal(msgs.length, 10);
    assert.ok(msgs.includes('1 volume 8 failed'));
    assert.ok(msgs.includes('3 (combined from similar events): volume 11 failed'), msgs.join('\n'));
  });

  test('cluster-scoped objects get events in default', async () => {
    const { r, sink } = setup();
    r.event(node, 'Normal', 'NodeReady', 'ready');
    await r.flush();
    assert.ok([...sink.events.keys()][0]?.startsWith('default/n1.'));
  });

  test('a patched event that vanished is created anew', async () => {
    const { r, sink } = setup();
    r.event(pod, 'Normal', 'X', 'm');
    await r.flush();
    sink.events.clear();
    r.event(pod, 'Normal', 'X', 'm');
    await r.flush();
    assert.deepEqual(sink.calls.map((c) => c.split(' ')[0]), ['create', 'patch', 'create']);
    assert.equal([...sink.events.values()][0]?.count, 1);
  });

  test('spam filter: 25 per object, then one per 5 minutes', async () => {
    const { r, sink, clock, logs } = setup();
    for (let i = 0; i < 30; i++) r.event(pod, 'Normal', `R${i}`, 'm');
    await r.flush();
    assert.equal(sink.calls.length, 25);
    assert.equal(logs.filter((l) => l.includes('spam')).length, 5);
    r.event(node, 'Normal', 'Other', 'other objects have their own bucket');
    clock.advance(300_000);
    r.event(pod, 'Normal', 'Later', 'm');
    await r.flush();
    assert.equal(sink.calls.length, 27);
  });

  test('unreachable server: retried on the clock; a server refusal is not retried', async () => {
    const { r, sink, clock } = setup({ maxTries: 3 });
    sink.failures = [new TransportError('ECONNREFUSED', 'refused'), new TransportError('ECONNREFUSED', 'refused')];
    r.event(pod, 'Normal', 'A', 'm');
    await flush();
    assert.equal(sink.calls.length, 1);
    clock.advance(0); // first retry is jittered; random() = 0
    await flush();
    assert.equal(sink.calls.length, 2);
    clock.advance(10_000);
    await r.flush();
    assert.equal(sink.calls.length, 3);
    assert.equal(sink.events.size, 1);

    sink.failures = [new StatusError(403, 'Forbidden', 'no')];
    r.event(pod, 'Normal', 'B', 'm');
    await r.flush();
    assert.equal(sink.calls.length, 4);
    assert.equal(sink.events.size, 1);
  });

  test('never throws: bad type, no reference, broken sink', async () => {
    const logs: string[] = [];
    const r = new EventRecorder({
      sink: {
        create: () => {
          throw new Error('sync throw');
        },
        patch: () => Promise.reject(new Error('x')),
      },
      component: 'c',
      clock: new FakeClock(),
      maxTries: 1,
      log: (m) => logs.push(m),
    });
    r.event(pod, 'Bogus' as 'Normal', 'R', 'm');
    r.event({ metadata: {} }, 'Normal', 'R', 'm');
    r.event(pod, 'Normal', 'R', 'm');
    await r.flush();
    assert.equal(logs.length, 3, logs.join('\n'));
    await r.shutdown();
    r.event(pod, 'Normal', 'R', 'after shutdown');
    await r.flush();
    assert.equal(logs.length, 3);
  });
});

describe('EventRecorder against a real API server', () => {
  let env: TestEnv;
  before(async () => {
    env = await startTestEnv();
  });
  after(async () => {
    await env.close();
  });

  test('creates, then patches the count', async () => {
    const c = env.client();
    const cm = await c.create<KubeObject>({ group: '', version: 'v1', resource: 'configmaps', namespace: 'default' }, { metadata: { name: 'evt' } });
    const clock = new FakeClock();
    const r = new EventRecorder({ client: c, component: 'test-controller', host: 'h', clock, log: (m, e) => assert.fail(`${m} ${String(e)}`) });
    r.event({ ...cm, kind: 'ConfigMap', apiVersion: 'v1' }, 'Normal', 'Synced', 'synced ok');
    clock.advance(2000);
    r.event({ ...cm, kind: 'ConfigMap', apiVersion: 'v1' }, 'Normal', 'Synced', 'synced ok');
    await r.flush();
    const list = await c.list<CoreEvent>({ group: '', version: 'v1', resource: 'events', namespace: 'default' });
    assert.equal(list.items.length, 1);
    const ev = list.items[0];
    assert.equal(ev?.count, 2);
    assert.equal(ev?.involvedObject.uid, cm.metadata?.uid);
    assert.equal(ev?.reason, 'Synced');
    assert.match(ev?.metadata?.name ?? '', /^evt\.[0-9a-f]+$/);
    assert.notEqual(ev?.firstTimestamp, ev?.lastTimestamp);
    await r.shutdown();
  });
});
