import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock } from '../util/clock.js';
import { StatusError } from '../apimachinery/errors.js';
import { LeaderElector, LeaseLock, leaseElector, microTime, type LeaderElectionOptions, type LeaderElectionRecord, type ResourceLock } from './leaderelection.js';
import { TransportError } from './errors.js';
import type { KubeObject } from './types.js';
import { eventually, flush, startTestEnv, type TestEnv } from './testenv.js';

/** One lease in memory with resourceVersion checks; each candidate has its own MemoryLock on it. */
class MemoryLease {
  record: LeaderElectionRecord | undefined;
  rv = 0;
  writes = 0;
}

class MemoryLock implements ResourceLock {
  private seen = -1;
  failing = false;
  constructor(private readonly lease: MemoryLease) {}
  async get() {
    if (this.failing) throw new TransportError('ECONNREFUSED', 'down');
    if (this.lease.record === undefined) return undefined;
    this.seen = this.lease.rv;
    return { record: { ...this.lease.record }, raw: JSON.stringify(this.lease.record) };
  }
  async create(r: LeaderElectionRecord) {
    if (this.failing) throw new TransportError('ECONNREFUSED', 'down');
    if (this.lease.record !== undefined) throw new StatusError(409, 'AlreadyExists', 'exists');
    this.write(r);
  }
  async update(r: LeaderElectionRecord) {
    if (this.failing) throw new TransportError('ECONNREFUSED', 'down');
    if (this.seen !== this.lease.rv) throw new StatusError(409, 'Conflict', 'the object has been modified');
    this.write(r);
  }
  private write(r: LeaderElectionRecord) {
    this.lease.record = { ...r };
    this.lease.rv++;
    this.lease.writes++;
    this.seen = this.lease.rv;
  }
  describe() {
    return 'memory/lease';
  }
}

function candidate(id: string, lease: MemoryLease, clock: FakeClock, extra: Partial<LeaderElectionOptions> = {}) {
  const lock = new MemoryLock(lease);
  const log: string[] = [];
  let signal: AbortSignal | undefined;
  const e = new LeaderElector({
    lock,
    identity: id,
    clock,
    random: () => 0,
    log: () => undefined,
    callbacks: {
      onStartedLeading: (s) => {
        signal = s;
        log.push('started');
      },
      onStoppedLeading: () => log.push('stopped'),
      onNewLeader: (l) => log.push(`leader ${l}`),
    },
    ...extra,
  });
  return { e, lock, log, signal: () => signal };
}

describe('options', () => {
  const base = { lock: new MemoryLock(new MemoryLease()), identity: 'a', callbacks: { onStartedLeading: () => undefined, onStoppedLeading: () => undefined } };
  const cases: { name: string; o: Partial<LeaderElectionOptions>; want: RegExp | undefined }[] = [
    { name: 'upstream defaults', o: {}, want: undefined },
    { name: 'lease not longer than renew deadline', o: { leaseDurationMs: 10_000, renewDeadlineMs: 10_000 }, want: /greater than renewDeadline/ },
    { name: 'renew deadline within jittered retry', o: { renewDeadlineMs: 2_400, retryPeriodMs: 2_000 }, want: /JitterFactor/ },
    { name: 'no identity', o: { identity: '' }, want: /identity/ },
  ];
  for (const c of cases) {
    test(c.name, () => {
      if (c.want === undefined) assert.doesNotThrow(() => new LeaderElector({ ...base, ...c.o }));
      else assert.throws(() => new LeaderElector({ ...base, ...c.o } as LeaderElectionOptions), c.want);
    });
  }
  test('microTime', () => assert.equal(microTime(Date.UTC(2024, 0, 2, 3, 4, 5, 678)), '2024-01-02T03:04:05.678000Z'));
});

describe('LeaderElector', () => {
  test('acquires a free lease, renews every retry period, keeps acquireTime', async () => {
    const clock = new FakeClock();
    const lease = new MemoryLease();
    const a = candidate('a', lease, clock);
    const done = a.e.run();
    await flush();
    assert.deepEqual(a.log, ['leader a', 'started']);
    assert.ok(a.e.isLeader());
    const first = { ...lease.record };
    assert.equal(first.holderIdentity, 'a');
    assert.equal(first.leaseDurationSeconds, 15);
    assert.equal(first.leaseTransitions, 0);
    assert.equal(first.acquireTime, first.renewTime);
    clock.advance(2000);
    await flush();
    assert.equal(lease.record?.acquireTime, first.acquireTime);
    assert.equal(lease.record?.renewTime, microTime(clock.now()));
    assert.equal(lease.writes, 3, 'create, the immediate first renewal (as upstream), one more at 2 s');
    await a.e.stop();
    await done;
    assert.deepEqual(a.log, ['leader a', 'started', 'stopped']);
    assert.ok(a.signal()?.aborted);
  });

  test('a follower takes over only after the lease expires on its own clock', async () => {
    const clock = new FakeClock();
    const lease = new MemoryLease();
    const a = candidate('a', lease, clock);
    const b = candidate('b', lease, clock);
    void a.e.run();
    await flush();
    void b.e.run();
    await flush();
    assert.deepEqual(b.log, ['leader a']);
    // The leader dies: its lock stops working. b's view of the record stops changing.
    a.lock.failing = true;
    for (let t = 0; t < 14_000; t += 2000) {
      clock.advance(2000);
      await flush();
    }
    assert.ok(!b.log.includes('started'), 'not before 15 s of silence');
    clock.advance(2000);
    await flush();
    clock.advance(2000);
    await flush();
    assert.deepEqual(b.log, ['leader a', 'leader b', 'started']);
    assert.equal(lease.record?.leaseTransitions, 1);
    assert.equal(lease.record?.holderIdentity, 'b');
    // a gave up at its renew deadline (10 s) before b took over.
    assert.ok(a.log.includes('stopped'));
    assert.ok(a.signal()?.aborted);
    await Promise.all([a.e.stop(), b.e.stop()]);
  });

  test('the leader stops leading when it cannot renew for renewDeadline', async () => {
    const clock = new FakeClock();
    const lease = new MemoryLease();
    const a = candidate('a', lease, clock);
    const done = a.e.run();
    await flush();
    a.lock.failing = true;
    clock.advance(2000); // renew attempt at 2 s fails; retries at 4, 6, 8, 10; the deadline is 12 s
    await flush();
    for (let i = 0; i < 5; i++) {
      assert.ok(!a.log.includes('stopped'), `still leading after ${2 + 2 * i} s`);
      clock.advance(2000);
      await flush();
    }
    assert.ok(a.log.includes('stopped'));
    await done;
  });

  test('releaseOnCancel empties the lease so a follower takes it at its next try', async () => {
    const clock = new FakeClock();
    const lease = new MemoryLease();
    const a = candidate('a', lease, clock, { releaseOnCancel: true });
    const b = candidate('b', lease, clock);
    void a.e.run();
    await flush();
    void b.e.run();
    await flush();
    await a.e.stop();
    assert.equal(lease.record?.holderIdentity, '');
    assert.equal(lease.record?.leaseDurationSeconds, 1);
    clock.advance(2000);
    await flush();
    assert.ok(b.e.isLeader());
    assert.equal(lease.record?.leaseTransitions, 1);
    await b.e.stop();
  });

  test('two candidates racing for a free lease: one wins', async () => {
    const clock = new FakeClock();
    const lease = new MemoryLease();
    lease.record = { holderIdentity: '', leaseDurationSeconds: 1, acquireTime: '', renewTime: '', leaseTransitions: 3 };
    const cs = ['a', 'b', 'c'].map((id) => candidate(id, lease, clock));
    for (const c of cs) void c.e.run();
    await flush();
    const leaders = cs.filter((c) => c.log.includes('started'));
    assert.equal(leaders.length, 1);
    assert.equal(lease.record?.leaseTransitions, 4);
    await Promise.all(cs.map((c) => c.e.stop()));
  });
});

describe('leader election against a real API server', () => {
  let env: TestEnv;
  before(async () => {
    env = await startTestEnv();
    await env.client().create({ group: '', version: 'v1', resource: 'namespaces' }, { metadata: { name: 'kube-system' } });
  });
  after(async () => {
    await env.close();
  });

  test('a Lease is created, renewed, released and taken over', async () => {
    const clock = new FakeClock();
    const events: string[] = [];
    const mk = (id: string) =>
      leaseElector({
        client: env.client(),
        namespace: 'kube-system',
        name: 'kube-scheduler',
        identity: id,
        clock,
        random: () => 0,
        releaseOnCancel: true,
        log: () => undefined,
        callbacks: { onStartedLeading: () => void events.push(`${id} started`), onStoppedLeading: () => void events.push(`${id} stopped`) },
      });
    const a = mk('node-a');
    const b = mk('node-b');
    void a.run();
    await eventually(() => a.isLeader(), 3000, 'a to lead');
    void b.run();
    await eventually(() => b.getLeader() === 'node-a', 3000, 'b to see a');
    const c = env.client();
    const ref = { group: 'coordination.k8s.io', version: 'v1', resource: 'leases', namespace: 'kube-system', name: 'kube-scheduler' };
    const l1 = await c.get<KubeObject & { spec: Record<string, unknown> }>(ref);
    assert.equal(l1.spec['holderIdentity'], 'node-a');
    assert.equal(l1.spec['leaseDurationSeconds'], 15);
    clock.advance(2000);
    await eventually(async () => (await c.get<KubeObject & { spec: Record<string, unknown> }>(ref)).spec['renewTime'] === microTime(clock.now()), 3000, 'a renewal');
    assert.ok(!b.isLeader());
    await a.stop();
    clock.advance(2000);
    await eventually(() => b.isLeader(), 3000, 'b to take over');
    const l2 = await c.get<KubeObject & { spec: Record<string, unknown> }>(ref);
    assert.equal(l2.spec['holderIdentity'], 'node-b');
    assert.equal(l2.spec['leaseTransitions'], 1);
    await b.stop();
    assert.deepEqual(events, ['node-a started', 'node-a stopped', 'node-b started', 'node-b stopped']);
    assert.ok(new LeaseLock({ client: c, namespace: 'x', name: 'y' }).describe() === 'x/y');
  });
});
