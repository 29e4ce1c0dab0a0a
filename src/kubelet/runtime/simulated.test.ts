import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { FakeClock } from '../../util/clock.js';
import { fakeImageID, normalizeImage, SimulatedRuntime } from './simulated.js';
import type { ContainerEvent } from './interface.js';

function pod(name: string, extra: { restartPolicy?: string; annotations?: Record<string, string>; init?: string[]; containers?: string[]; labels?: Record<string, string> } = {}): Pod {
  return {
    metadata: { name, namespace: 'default', uid: `uid-${name}`, annotations: extra.annotations ?? {}, labels: extra.labels ?? {} },
    spec: {
      ...(extra.restartPolicy !== undefined ? { restartPolicy: extra.restartPolicy } : {}),
      ...(extra.init !== undefined ? { initContainers: extra.init.map((n) => ({ name: n, image: 'busybox' })) } : {}),
      containers: (extra.containers ?? ['app']).map((n) => ({ name: n, image: 'nginx' })),
    },
  };
}

const flush = (): Promise<void> => new Promise((r) => setImmediate(r));

test('normalizeImage and fakeImageID follow containerd naming', () => {
  const cases = [
    { name: 'short', in: 'nginx', want: 'docker.io/library/nginx:latest' },
    { name: 'user repo with tag', in: 'bitnami/redis:7', want: 'docker.io/bitnami/redis:7' },
    { name: 'registry with port', in: 'localhost:5000/app', want: 'localhost:5000/app:latest' },
    { name: 'full reference', in: 'registry.k8s.io/pause:3.10', want: 'registry.k8s.io/pause:3.10' },
  ];
  for (const c of cases) assert.equal(normalizeImage(c.in), c.want, c.name);
  assert.match(fakeImageID('nginx'), /^docker\.io\/library\/nginx@sha256:[0-9a-f]{64}$/);
  assert.equal(fakeImageID('nginx'), fakeImageID('docker.io/library/nginx:latest'));
});

test('a container starts after its delay and an Always pod keeps running with no timer pending', async () => {
  const clock = new FakeClock(1_000_000);
  const rt = new SimulatedRuntime({ clock, startDelayMs: 50 });
  const events: ContainerEvent[] = [];
  rt.onContainerEvent((e) => events.push(e));
  const p = pod('a');
  await rt.syncPod(p, { start: ['app'] });
  const st = rt.podStatus('uid-a');
  assert.equal(st?.sandboxReady, true);
  assert.equal(st?.containers[0]?.state.state, 'waiting');
  assert.equal(st?.containers[0]?.image, 'docker.io/library/nginx:latest');
  assert.match(st?.containers[0]?.containerID ?? '', /^simulated:\/\/[0-9a-f]{64}$/);
  clock.advance(49);
  assert.equal(rt.podStatus('uid-a')?.containers[0]?.state.state, 'waiting');
  clock.advance(1);
  const running = rt.podStatus('uid-a')?.containers[0];
  assert.deepEqual(running?.state, { state: 'running', startedAt: 1_000_050 });
  assert.equal(running?.ready, true);
  assert.equal(running?.started, true);
  await flush();
  assert.deepEqual(events, [{ podUID: 'uid-a', container: 'app', type: 'started' }]);
  assert.equal(rt.pendingTransitions, 0);
  assert.equal(clock.pendingTimers(), 0);
  await rt.close();
});

test('restartPolicy Never and OnFailure containers complete with exit 0 after the run time', async () => {
  for (const policy of ['Never', 'OnFailure']) {
    const clock = new FakeClock(0);
    const rt = new SimulatedRuntime({ clock, startDelayMs: 0, completeAfterMs: 2000 });
    await rt.syncPod(pod('j', { restartPolicy: policy }), { start: ['app'] });
    assert.equal(rt.podStatus('uid-j')?.containers[0]?.state.state, 'running', policy);
    clock.advance(1999);
    assert.equal(rt.podStatus('uid-j')?.containers[0]?.state.state, 'running', policy);
    clock.advance(1);
    assert.deepEqual(rt.podStatus('uid-j')?.containers[0]?.state, {
      state: 'terminated',
      exitCode: 0,
      reason: 'Completed',
      startedAt: 0,
      finishedAt: 2000,
      containerID: rt.podStatus('uid-j')?.containers[0]?.containerID,
    });
    await rt.close();
  }
});

test('init containers run to completion; a restart keeps the last termination and counts', async () => {
  const clock = new FakeClock(0);
  const rt = new SimulatedRuntime({ clock, startDelayMs: 0, initRunMs: 100 });
  const p = pod('i', { init: ['setup'] });
  await rt.syncPod(p, { start: ['setup'] });
  clock.advance(100);
  const init = rt.podStatus('uid-i')?.containers[0];
  assert.equal(init?.kind, 'init');
  assert.equal(init?.state.state, 'terminated');
  // the agent decides to run it again (e.g. it had failed): a new attempt
  await rt.syncPod(p, { start: ['setup'] });
  const again = rt.podStatus('uid-i')?.containers[0];
  assert.equal(again?.restartCount, 1);
  assert.equal(again?.lastTermination?.exitCode, 0);
  assert.notEqual(again?.containerID, init?.containerID);
  await rt.close();
});

test('annotations and stages are data: first match wins, annotations first', async () => {
  const clock = new FakeClock(0);
  const rt = new SimulatedRuntime({
    clock,
    startDelayMs: 0,
    stages: [{ name: 'crashy-web', selector: { podLabels: { app: 'web' }, containerKinds: ['regular'] }, runMs: 500, exitCode: 3 }],
  });
  await rt.syncPod(pod('w', { labels: { app: 'web' } }), { start: ['app'] });
  clock.advance(500);
  const st = rt.podStatus('uid-w')?.containers[0]?.state;
  assert.equal(st?.state, 'terminated');
  assert.equal(st?.state === 'terminated' ? st.exitCode : -1, 3);
  assert.equal(st?.state === 'terminated' ? st.reason : '', 'Error');

  await rt.syncPod(pod('x', { annotations: { 'sim.kubelite.io/run-ms': '300', 'sim.kubelite.io/exit-code.side': '7' }, containers: ['app', 'side'] }), { start: ['app', 'side'] });
  clock.advance(300);
  const [app, side] = rt.podStatus('uid-x')?.containers ?? [];
  assert.equal(app?.state.state === 'terminated' ? app.state.exitCode : -1, 0);
  assert.equal(side?.state.state === 'terminated' ? side.state.exitCode : -1, 7);
  await rt.close();
});

test('killPod: containers exit after their stop delay, or are SIGKILLed when the grace period ends', async () => {
  const clock = new FakeClock(0);
  const rt = new SimulatedRuntime({ clock, startDelayMs: 0, stopDelayMs: 1000 });
  await rt.syncPod(pod('k'), { start: ['app'] });
  let done = false;
  const p = rt.killPod(pod('k'), 30).then(() => (done = true));
  clock.advance(999);
  await flush();
  assert.equal(done, false);
  clock.advance(1);
  await p;
  const st = rt.podStatus('uid-k');
  assert.equal(st?.sandboxReady, false);
  assert.equal(st?.killing, true);
  assert.deepEqual(st?.containers[0]?.state.state === 'terminated' ? [st.containers[0].state.exitCode, st.containers[0].state.reason] : [], [0, 'Completed']);

  await rt.syncPod(pod('s', { annotations: { 'sim.kubelite.io/stop-delay-ms': '60000' } }), { start: ['app'] });
  const killed = rt.killPod(pod('s'), 2);
  clock.advance(2000);
  await killed;
  const t = rt.podStatus('uid-s')?.containers[0]?.state;
  assert.deepEqual(t?.state === 'terminated' ? [t.exitCode, t.reason, t.signal, t.finishedAt] : [], [137, 'Error', 9, 3000]);
  // syncPod of a killed pod starts nothing
  await rt.syncPod(pod('s'), { start: ['app'] });
  assert.equal(rt.podStatus('uid-s')?.containers[0]?.state.state, 'terminated');
  rt.removePod('uid-s');
  assert.equal(rt.podStatus('uid-s'), undefined);
  await rt.close();
});

test('a second killPod with a shorter grace period cuts the wait', async () => {
  const clock = new FakeClock(0);
  const rt = new SimulatedRuntime({ clock, startDelayMs: 0, stopDelayMs: 100_000 });
  await rt.syncPod(pod('g'), { start: ['app'] });
  const first = rt.killPod(pod('g'), 60);
  clock.advance(1000);
  const second = rt.killPod(pod('g'), 0);
  await Promise.all([first, second]);
  const t = rt.podStatus('uid-g')?.containers[0]?.state;
  assert.equal(t?.state === 'terminated' ? t.finishedAt : -1, 1000);
  await rt.close();
});

test('thousands of pods share one clock timer', async () => {
  const clock = new FakeClock(0);
  const rt = new SimulatedRuntime({ clock, startDelayMs: { min: 10, max: 100 }, random: () => 0.5 });
  for (let i = 0; i < 2000; i++) await rt.syncPod(pod(`p${i}`), { start: ['app'] });
  assert.equal(rt.pendingTransitions, 2000);
  assert.equal(clock.pendingTimers(), 1);
  clock.advance(100);
  assert.equal(rt.pendingTransitions, 0);
  assert.equal(clock.pendingTimers(), 0);
  assert.equal(rt.podStatus('uid-p1999')?.containers[0]?.state.state, 'running');
  await rt.close();
});

test('invalid options are refused', () => {
  assert.throws(() => new SimulatedRuntime({ startDelayMs: -1 }), /startDelayMs/);
  assert.throws(() => new SimulatedRuntime({ stages: [{ name: '' }] }), /needs a name/);
  assert.throws(() => new SimulatedRuntime({ completeAfterMs: { min: 5, max: 1 } }), /completeAfterMs/);
});
