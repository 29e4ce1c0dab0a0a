import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod, PodCondition } from 'kubernetes-types/core/v1.js';
import { generatePodStatus, podPhase, rejectedPodStatus } from './podstatus.js';
import type { ContainerKind, ContainerState, RuntimeContainerStatus, RuntimePodStatus } from './runtime/interface.js';

const T = Date.UTC(2025, 0, 1);

function pod(policy: string, init: string[], containers: string[], status: Pod['status'] = { phase: 'Pending', qosClass: 'BestEffort' }): Pod {
  return {
    metadata: { name: 'p', namespace: 'ns', uid: 'u1' },
    spec: {
      restartPolicy: policy,
      ...(init.length > 0 ? { initContainers: init.map((name) => ({ name, image: 'busybox' })) } : {}),
      containers: containers.map((name) => ({ name, image: 'nginx', volumeMounts: [{ name: 'kube-api-access', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', readOnly: true }] })),
    },
    status,
  };
}

const running: ContainerState = { state: 'running', startedAt: T };
const exited = (code: number): ContainerState => ({ state: 'terminated', exitCode: code, reason: code === 0 ? 'Completed' : 'Error', startedAt: T, finishedAt: T + 1000 });

function c(name: string, kind: ContainerKind, state: ContainerState): RuntimeContainerStatus {
  const up = state.state === 'running';
  return { name, kind, containerID: `simulated://${name}`, image: 'docker.io/library/nginx:latest', imageID: 'docker.io/library/nginx@sha256:00', state, restartCount: 0, ready: up, started: up };
}

function rt(sandboxReady: boolean, ...containers: RuntimeContainerStatus[]): RuntimePodStatus {
  return { uid: 'u1', sandboxReady, killing: false, containers };
}

const inputs = { hostIP: '172.18.0.2', podIP: '10.244.0.2', startTime: '2025-01-01T00:00:00Z' };

function conds(cs: PodCondition[] | undefined): string[] {
  return (cs ?? []).map((x) => [x.type, x.status, x.reason, x.message].filter((v) => v !== undefined).join(' '));
}

test('generatePodStatus: phase and conditions through a pod life', () => {
  const cases: { name: string; pod: Pod; rt?: RuntimePodStatus; terminal?: boolean; phase: string; conditions: string[] }[] = [
    {
      name: 'nothing created yet',
      pod: pod('Always', [], ['a']),
      phase: 'Pending',
      conditions: [
        'PodReadyToStartContainers False',
        'Initialized True',
        'Ready False ContainersNotReady containers with unready status: [a]',
        'ContainersReady False ContainersNotReady containers with unready status: [a]',
        'PodScheduled True',
      ],
    },
    {
      name: 'init container running',
      pod: pod('Always', ['i1', 'i2'], ['a', 'b']),
      rt: rt(true, c('i1', 'init', running)),
      phase: 'Pending',
      conditions: [
        'PodReadyToStartContainers True',
        'Initialized False ContainersNotInitialized containers with incomplete status: [i1 i2]',
        'Ready False ContainersNotReady containers with unready status: [a b]',
        'ContainersReady False ContainersNotReady containers with unready status: [a b]',
        'PodScheduled True',
      ],
    },
    {
      name: 'running and ready',
      pod: pod('Always', ['i1'], ['a']),
      rt: rt(true, c('i1', 'init', exited(0)), c('a', 'regular', running)),
      phase: 'Running',
      conditions: ['PodReadyToStartContainers True', 'Initialized True', 'Ready True', 'ContainersReady True', 'PodScheduled True'],
    },
    {
      name: 'Never pod completed',
      pod: pod('Never', [], ['a']),
      rt: rt(false, c('a', 'regular', exited(0))),
      phase: 'Succeeded',
      conditions: ['PodReadyToStartContainers False', 'Initialized True PodCompleted', 'Ready False PodCompleted', 'ContainersReady False PodCompleted', 'PodScheduled True'],
    },
    {
      name: 'Never pod failed',
      pod: pod('Never', [], ['a', 'b']),
      rt: rt(true, c('a', 'regular', exited(0)), c('b', 'regular', exited(2))),
      phase: 'Failed',
      conditions: ['PodReadyToStartContainers True', 'Initialized True', 'Ready False PodFailed', 'ContainersReady False PodFailed', 'PodScheduled True'],
    },
    {
      name: 'Always pod whose containers all exited is still Running (restarting)',
      pod: pod('Always', [], ['a']),
      rt: rt(true, c('a', 'regular', exited(0))),
      phase: 'Running',
      conditions: [
        'PodReadyToStartContainers True',
        'Initialized True',
        'Ready False ContainersNotReady containers with unready status: [a]',
        'ContainersReady False ContainersNotReady containers with unready status: [a]',
        'PodScheduled True',
      ],
    },
    {
      name: 'deleted Always pod, killed: terminal phase by exit codes',
      pod: pod('Always', [], ['a']),
      rt: rt(false, c('a', 'regular', exited(0))),
      terminal: true,
      phase: 'Succeeded',
      conditions: ['PodReadyToStartContainers False', 'Initialized True PodCompleted', 'Ready False PodCompleted', 'ContainersReady False PodCompleted', 'PodScheduled True'],
    },
    {
      name: 'deleted before its container started: ContainerStatusUnknown, Failed',
      pod: pod('Always', [], ['a']),
      rt: rt(false),
      terminal: true,
      phase: 'Failed',
      conditions: ['PodReadyToStartContainers False', 'Initialized True', 'Ready False PodFailed', 'ContainersReady False PodFailed', 'PodScheduled True'],
    },
  ];
  for (const tc of cases) {
    const s = generatePodStatus(tc.pod, tc.rt, { ...inputs, terminal: tc.terminal ?? false });
    assert.equal(s.phase, tc.phase, tc.name);
    assert.deepEqual(conds(s.conditions), tc.conditions, tc.name);
    assert.equal(s.qosClass, 'BestEffort', tc.name);
  }
});

test('generatePodStatus: container status fields', () => {
  const s = generatePodStatus(pod('Always', ['i1'], ['a']), rt(true, c('i1', 'init', exited(0)), c('a', 'regular', running)), inputs);
  assert.deepEqual(s.containerStatuses, [
    {
      name: 'a',
      state: { running: { startedAt: '2025-01-01T00:00:00Z' } },
      lastState: {},
      ready: true,
      restartCount: 0,
      image: 'docker.io/library/nginx:latest',
      imageID: 'docker.io/library/nginx@sha256:00',
      containerID: 'simulated://a',
      started: true,
      volumeMounts: [{ name: 'kube-api-access', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', readOnly: true, recursiveReadOnly: 'Disabled' }],
    },
  ]);
  assert.equal(s.initContainerStatuses?.[0]?.ready, true, 'a completed init container is ready, as upstream');
  assert.deepEqual(s.initContainerStatuses?.[0]?.state, {
    terminated: { exitCode: 0, reason: 'Completed', startedAt: '2025-01-01T00:00:00Z', finishedAt: '2025-01-01T00:00:01Z' },
  });
  assert.deepEqual([s.hostIP, s.hostIPs, s.podIP, s.podIPs, s.startTime], ['172.18.0.2', [{ ip: '172.18.0.2' }], '10.244.0.2', [{ ip: '10.244.0.2' }], '2025-01-01T00:00:00Z']);

  const waitingInit = generatePodStatus(pod('Always', ['i1'], ['a']), undefined, inputs);
  assert.deepEqual(waitingInit.containerStatuses?.[0]?.state, { waiting: { reason: 'PodInitializing' } });
  const creating = generatePodStatus(pod('Always', [], ['a']), undefined, inputs);
  assert.deepEqual(creating.containerStatuses?.[0]?.state, { waiting: { reason: 'ContainerCreating' } });
});

test('generatePodStatus: CrashLoopBackOff shows the last run as lastState', () => {
  const s = generatePodStatus(pod('Always', [], ['a']), rt(true, c('a', 'regular', exited(1))), {
    ...inputs,
    waits: [{ container: 'a', until: T + 11_000, message: 'back-off 10s restarting failed container=a pod=p_ns(u1)' }],
  });
  const cs = s.containerStatuses?.[0];
  assert.deepEqual(cs?.state, { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 10s restarting failed container=a pod=p_ns(u1)' } });
  assert.equal(cs?.lastState?.terminated?.exitCode, 1);
  assert.equal(s.phase, 'Running');
});

test('generatePodStatus keeps conditions of other components and a terminal phase', () => {
  const other: PodCondition = { type: 'DisruptionTarget', status: 'True', reason: 'EvictionByEvictionAPI' };
  const s = generatePodStatus(pod('Always', [], ['a'], { phase: 'Failed', reason: 'Evicted', message: 'gone', conditions: [other] }), rt(true, c('a', 'regular', running)), inputs);
  assert.equal(s.phase, 'Failed');
  assert.equal(s.reason, 'Evicted');
  assert.deepEqual(s.conditions?.[0], other);
});

test('podPhase: restartable init containers (sidecars)', () => {
  const p: Pod = { spec: { initContainers: [{ name: 's', restartPolicy: 'Always' }], containers: [{ name: 'a' }] } };
  const st = (name: string, state: object, started = false): object => ({ name, state, started, ready: started, restartCount: 0, image: '', imageID: '' });
  assert.equal(podPhase(p, [st('s', { running: {} }) as never], [], false), 'Pending');
  assert.equal(podPhase(p, [st('s', { running: {} }, true) as never], [st('a', { running: {} }, true) as never], false), 'Running');
});

test('rejectedPodStatus is upstream rejectPod', () => {
  const s = rejectedPodStatus(pod('Always', [], ['a'], { phase: 'Pending', qosClass: 'Burstable', conditions: [{ type: 'PodScheduled', status: 'True' }] }), 'OutOfcpu', 'Node didn\'t have enough resource: cpu, requested: 5000, used: 0, capacity: 4000', '2025-01-01T00:00:00Z');
  assert.deepEqual(s, {
    phase: 'Failed',
    reason: 'OutOfcpu',
    message: "Pod was rejected: Node didn't have enough resource: cpu, requested: 5000, used: 0, capacity: 4000",
    startTime: '2025-01-01T00:00:00Z',
    conditions: [],
    qosClass: 'Burstable',
  });
});
