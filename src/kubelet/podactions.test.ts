import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from 'kubernetes-types/core/v1.js';
import { FakeClock } from '../util/clock.js';
import { computePodActions } from './podactions.js';
import { RestartBackoff } from './restartbackoff.js';
import type { ContainerKind, ContainerState, RuntimeContainerStatus, RuntimePodStatus } from './runtime/interface.js';

const T0 = 1_000_000;

function pod(policy: string, init: { name: string; sidecar?: boolean }[], containers: string[]): Pod {
  return {
    metadata: { name: 'p', namespace: 'ns', uid: 'u1' },
    spec: {
      restartPolicy: policy,
      initContainers: init.map((c) => ({ name: c.name, image: 'busybox', ...(c.sidecar === true ? { restartPolicy: 'Always' } : {}) })),
      containers: containers.map((name) => ({ name, image: 'nginx' })),
    },
  };
}

const running: ContainerState = { state: 'running', startedAt: T0 - 5000 };
const waiting: ContainerState = { state: 'waiting', reason: 'ContainerCreating' };
const exited = (code: number, at = T0 - 1000): ContainerState => ({ state: 'terminated', exitCode: code, reason: code === 0 ? 'Completed' : 'Error', finishedAt: at });

function c(name: string, kind: ContainerKind, state: ContainerState, started = state.state === 'running'): RuntimeContainerStatus {
  return { name, kind, containerID: `simulated://${name}`, image: 'x', imageID: 'y', state, restartCount: 0, ready: started, started };
}

function status(...containers: RuntimeContainerStatus[]): RuntimePodStatus {
  return { uid: 'u1', sandboxReady: true, killing: false, containers };
}

test('computePodActions', () => {
  const cases: { name: string; pod: Pod; status?: RuntimePodStatus; want: { start: string[]; waits?: string[]; done?: boolean; initFailed?: boolean } }[] = [
    { name: 'new pod without init: start every container', pod: pod('Always', [], ['a', 'b']), want: { start: ['a', 'b'] } },
    { name: 'new pod with init: only the first init container', pod: pod('Always', [{ name: 'i1' }, { name: 'i2' }], ['a']), want: { start: ['i1'] } },
    { name: 'init running: wait', pod: pod('Always', [{ name: 'i1' }, { name: 'i2' }], ['a']), status: status(c('i1', 'init', running)), want: { start: [] } },
    { name: 'first init done: the next', pod: pod('Always', [{ name: 'i1' }, { name: 'i2' }], ['a']), status: status(c('i1', 'init', exited(0))), want: { start: ['i2'] } },
    { name: 'all init done: regular containers', pod: pod('Always', [{ name: 'i1' }], ['a', 'b']), status: status(c('i1', 'init', exited(0))), want: { start: ['a', 'b'] } },
    { name: 'failed init with Never fails the pod', pod: pod('Never', [{ name: 'i1' }], ['a']), status: status(c('i1', 'init', exited(1))), want: { start: [], done: true, initFailed: true } },
    { name: 'failed init with OnFailure restarts it', pod: pod('OnFailure', [{ name: 'i1' }], ['a']), status: status(c('i1', 'init', exited(1))), want: { start: ['i1'] } },
    { name: 'sidecar must be started before the next init', pod: pod('Always', [{ name: 's', sidecar: true }, { name: 'i1' }], ['a']), status: status(c('s', 'sidecar', waiting)), want: { start: [] } },
    { name: 'sidecar started: next init', pod: pod('Always', [{ name: 's', sidecar: true }, { name: 'i1' }], ['a']), status: status(c('s', 'sidecar', running)), want: { start: ['i1'] } },
    { name: 'running containers are kept', pod: pod('Always', [], ['a']), status: status(c('a', 'regular', running)), want: { start: [] } },
    { name: 'Always restarts an exited container (exit 0 too)', pod: pod('Always', [], ['a']), status: status(c('a', 'regular', exited(0))), want: { start: ['a'] } },
    { name: 'OnFailure does not restart exit 0: done', pod: pod('OnFailure', [], ['a']), status: status(c('a', 'regular', exited(0))), want: { start: [], done: true } },
    { name: 'OnFailure restarts a failure', pod: pod('OnFailure', [], ['a']), status: status(c('a', 'regular', exited(2))), want: { start: ['a'] } },
    { name: 'Never: done when all exited', pod: pod('Never', [], ['a', 'b']), status: status(c('a', 'regular', exited(0)), c('b', 'regular', exited(1))), want: { start: [], done: true } },
    { name: 'Never: not done while one runs', pod: pod('Never', [], ['a', 'b']), status: status(c('a', 'regular', exited(0)), c('b', 'regular', running)), want: { start: [] } },
    {
      name: 'a sidecar that exits while the pod runs is restarted',
      pod: pod('Never', [{ name: 's', sidecar: true }], ['a']),
      status: status(c('s', 'sidecar', exited(1)), c('a', 'regular', running)),
      want: { start: ['s'] },
    },
  ];
  for (const tc of cases) {
    const got = computePodActions(tc.pod, tc.status, new RestartBackoff(new FakeClock(T0)), T0);
    assert.deepEqual(got.start, tc.want.start, tc.name);
    assert.deepEqual(
      got.waits.map((w) => w.container),
      tc.want.waits ?? [],
      tc.name,
    );
    assert.equal(got.done, tc.want.done ?? false, tc.name);
    assert.equal(got.initFailed, tc.want.initFailed ?? false, tc.name);
  }
});

test('CrashLoopBackOff: the first restart is immediate, then 10 s, 20 s, ... up to 5 min', () => {
  const clock = new FakeClock(T0);
  const backoff = new RestartBackoff(clock);
  const p = pod('Always', [], ['a']);
  const crashAt = (at: number): RuntimePodStatus => status(c('a', 'regular', exited(1, at)));

  // first crash: restart at once
  assert.deepEqual(computePodActions(p, crashAt(clock.now()), backoff, clock.now()).start, ['a']);
  // it crashes again right away: 10 s backoff, with upstream's message
  clock.advance(1000);
  let got = computePodActions(p, crashAt(clock.now()), backoff, clock.now());
  assert.deepEqual(got.start, []);
  assert.equal(got.waits[0]?.until, clock.now() + 10_000);
  assert.equal(got.waits[0]?.message, 'back-off 10s restarting failed container=a pod=p_ns(u1)');
  const finished = clock.now();
  clock.advance(10_000);
  assert.deepEqual(computePodActions(p, crashAt(finished), backoff, clock.now()).start, ['a']);
  // the backoff doubles
  const steps: string[] = [];
  for (let i = 0; i < 7; i++) {
    const at = clock.now();
    got = computePodActions(p, crashAt(at), backoff, clock.now());
    steps.push(got.waits[0]?.message.split(' ')[1] ?? '');
    clock.advance(backoff.get('u1/a'));
    assert.deepEqual(computePodActions(p, crashAt(at), backoff, clock.now()).start, ['a']);
  }
  assert.deepEqual(steps, ['20s', '40s', '1m20s', '2m40s', '5m0s', '5m0s', '5m0s']);
  // a container that ran stably for more than 10 minutes starts over at 10 s
  clock.advance(11 * 60_000);
  assert.deepEqual(computePodActions(p, crashAt(clock.now()), backoff, clock.now()).start, ['a']);
  assert.equal(backoff.get('u1/a'), 10_000);
});
