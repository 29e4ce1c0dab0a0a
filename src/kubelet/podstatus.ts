/**
 * The API status of a pod from what the runtime reports, as upstream's
 * generateAPIPodStatus + status/generate.go: container statuses, phase (getPhase),
 * and the conditions the kubelet owns:
 *
 *   PodReadyToStartContainers  True once the sandbox (with its IP) exists
 *   Initialized                True when every init container succeeded (sidecars: started)
 *   Ready                      ContainersReady and every readiness gate True
 *   ContainersReady            True when every container is ready
 *   PodScheduled               True (the pod is on this node)
 *
 * with upstream's reasons and messages (ContainersNotInitialized "containers with
 * incomplete status: [a b]", ContainersNotReady "containers with unready status: [c]",
 * PodCompleted / PodFailed for terminal pods). lastTransitionTime is filled in by the
 * status manager, which knows the previous status.
 */
import type { Container, ContainerState as APIContainerState, ContainerStatus, Pod, PodCondition, PodStatus } from 'kubernetes-types/core/v1.js';
import { rfc3339 } from '../util/clock.js';
import type { BackoffWait } from './podactions.js';
import type { ContainerState, RuntimeContainerStatus, RuntimePodStatus, TerminatedState } from './runtime/interface.js';
import { isSidecar, podRestartPolicy } from './types.js';

/** The conditions the kubelet writes (upstream kubetypes.PodConditionsByKubelet + PodReadyToStartContainers). */
export const KUBELET_POD_CONDITIONS: ReadonlySet<string> = new Set(['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled']);

export const CONTAINER_STATUS_UNKNOWN = 'ContainerStatusUnknown';
export const CONTAINER_STATUS_UNKNOWN_MESSAGE = 'The container could not be located when the pod was terminated';

export interface PodStatusInputs {
  /** Pod IP once the sandbox exists. */
  podIP?: string;
  hostIP: string;
  startTime: string;
  /** Containers waiting out a CrashLoopBackOff. */
  waits?: readonly BackoffWait[];
  /**
   * The pod has finished (deleted and killed, or done and cleaned up): containers that
   * are not terminated are reported as ContainerStatusUnknown (exit 137), and the
   * phase is Succeeded or Failed whatever the restart policy.
   */
  terminal?: boolean;
}

function apiState(s: ContainerState): APIContainerState {
  switch (s.state) {
    case 'waiting':
      return { waiting: { reason: s.reason, ...(s.message !== undefined ? { message: s.message } : {}) } };
    case 'running':
      return { running: { startedAt: rfc3339(s.startedAt) } };
    case 'terminated':
      return { terminated: apiTerminated(s) };
  }
}

function apiTerminated(s: TerminatedState): NonNullable<APIContainerState['terminated']> {
  return {
    exitCode: s.exitCode,
    ...(s.signal !== undefined ? { signal: s.signal } : {}),
    reason: s.reason,
    ...(s.message !== undefined ? { message: s.message } : {}),
    ...(s.startedAt !== undefined ? { startedAt: rfc3339(s.startedAt) } : {}),
    finishedAt: rfc3339(s.finishedAt),
    ...(s.containerID !== undefined ? { containerID: s.containerID } : {}),
  };
}

function volumeMounts(c: Container): ContainerStatus['volumeMounts'] {
  const mounts = c.volumeMounts ?? [];
  if (mounts.length === 0) return undefined;
  return mounts.map((m) => ({ name: m.name, mountPath: m.mountPath, ...(m.readOnly === true ? { readOnly: true, recursiveReadOnly: 'Disabled' } : {}) }));
}

function containerStatus(c: Container, rt: RuntimeContainerStatus | undefined, defaultWaiting: string, wait: BackoffWait | undefined, terminal: boolean, init: boolean): ContainerStatus {
  const vm = volumeMounts(c);
  if (rt === undefined) {
    const unknown = terminal && !init;
    return {
      name: c.name,
      state: unknown
        ? { terminated: { exitCode: 137, reason: CONTAINER_STATUS_UNKNOWN, message: CONTAINER_STATUS_UNKNOWN_MESSAGE } }
        : { waiting: { reason: defaultWaiting } },
      lastState: {},
      ready: false,
      restartCount: 0,
      image: c.image ?? '',
      imageID: '',
      started: false,
      ...(vm !== undefined ? { volumeMounts: vm } : {}),
    };
  }
  let state: APIContainerState = apiState(rt.state);
  let lastState: APIContainerState = rt.lastTermination !== undefined ? { terminated: apiTerminated(rt.lastTermination) } : {};
  if (wait !== undefined && rt.state.state === 'terminated' && !terminal) {
    // Waiting out the backoff: the last run becomes lastState.
    lastState = { terminated: apiTerminated(rt.state) };
    state = { waiting: { reason: 'CrashLoopBackOff', message: wait.message } };
  }
  if (terminal && rt.state.state !== 'terminated') {
    if (rt.state.state === 'running' || rt.lastTermination !== undefined || !init) {
      state = { terminated: { exitCode: 137, reason: CONTAINER_STATUS_UNKNOWN, message: CONTAINER_STATUS_UNKNOWN_MESSAGE } };
    }
  }
  const running = state.running !== undefined;
  // A regular init container is "ready" once it completed (upstream convertToAPIContainerStatuses).
  const ready = init && !isSidecar(c) ? state.terminated?.exitCode === 0 : running && rt.ready;
  return {
    name: c.name,
    state,
    lastState,
    ready,
    restartCount: rt.restartCount,
    image: rt.image,
    imageID: rt.imageID,
    containerID: rt.containerID,
    started: running && rt.started,
    ...(vm !== undefined ? { volumeMounts: vm } : {}),
  };
}

/** upstream getPhase: the phase from the spec and the API container statuses. */
export function podPhase(pod: Pod, init: readonly ContainerStatus[], regular: readonly ContainerStatus[], podIsTerminal: boolean): string {
  const spec = pod.spec;
  const policy = podRestartPolicy(pod);
  const find = (list: readonly ContainerStatus[], name: string): ContainerStatus | undefined => list.find((s) => s.name === name);
  let pendingInit = 0;
  let pendingSidecars = 0;
  let failedInit = 0;
  for (const c of spec?.initContainers ?? []) {
    if (isSidecar(c)) continue;
    const s = find(init, c.name);
    if (s === undefined) {
      pendingInit++;
      continue;
    }
    if (s.state?.running !== undefined) pendingInit++;
    else if (s.state?.terminated !== undefined) {
      if (s.state.terminated.exitCode !== 0) failedInit++;
    } else if (s.state?.waiting !== undefined) {
      if (s.lastState?.terminated !== undefined) {
        if (s.lastState.terminated.exitCode !== 0) failedInit++;
      } else pendingInit++;
    } else pendingInit++;
  }
  let unknown = 0;
  let running = 0;
  let waiting = 0;
  let stopped = 0;
  let succeeded = 0;
  for (const c of spec?.initContainers ?? []) {
    if (!isSidecar(c)) continue;
    const s = find(init, c.name);
    if (s === undefined) {
      unknown++;
      continue;
    }
    if (s.state?.running !== undefined) {
      if (s.started !== true) pendingSidecars++;
      running++;
    } else if (s.state?.terminated !== undefined) {
      // neither running nor stopped
    } else if (s.state?.waiting !== undefined) {
      if (s.lastState?.terminated === undefined) {
        pendingSidecars++;
        waiting++;
      }
    } else {
      pendingSidecars++;
      unknown++;
    }
  }
  for (const c of spec?.containers ?? []) {
    const s = find(regular, c.name);
    if (s === undefined) {
      unknown++;
      continue;
    }
    if (s.state?.running !== undefined) running++;
    else if (s.state?.terminated !== undefined) {
      stopped++;
      if (s.state.terminated.exitCode === 0) succeeded++;
    } else if (s.state?.waiting !== undefined) {
      if (s.lastState?.terminated !== undefined) stopped++;
      else waiting++;
    } else unknown++;
  }
  if (failedInit > 0 && policy === 'Never') return 'Failed';
  const anyRegularStarted = regular.some((s) => s.state?.running !== undefined || s.state?.terminated !== undefined || s.lastState?.terminated !== undefined);
  if (pendingInit > 0 || (pendingSidecars > 0 && !anyRegularStarted) || waiting > 0) return 'Pending';
  if (running > 0 && unknown === 0) return 'Running';
  if (running === 0 && stopped > 0 && unknown === 0) {
    if (podIsTerminal) return stopped === succeeded ? 'Succeeded' : 'Failed';
    if (policy === 'Always') return 'Running';
    if (stopped === succeeded) return 'Succeeded';
    if (policy === 'Never') return 'Failed';
    return 'Running';
  }
  return 'Pending';
}

function goList(names: string[]): string {
  return `[${names.join(' ')}]`;
}

function cond(type: string, status: 'True' | 'False', reason?: string, message?: string): PodCondition {
  return {
    type,
    status,
    lastProbeTime: null as unknown as string,
    ...(reason !== undefined && reason !== '' ? { reason } : {}),
    ...(message !== undefined && message !== '' ? { message } : {}),
  };
}

function initializedCondition(pod: Pod, statuses: readonly ContainerStatus[], regular: readonly ContainerStatus[], phase: string): PodCondition {
  const unknown: string[] = [];
  const incomplete: string[] = [];
  for (const c of pod.spec?.initContainers ?? []) {
    const s = statuses.find((x) => x.name === c.name);
    if (s === undefined) {
      unknown.push(c.name);
      continue;
    }
    const ok = isSidecar(c) ? s.started === true : s.ready;
    if (!ok) incomplete.push(c.name);
  }
  if (phase === 'Succeeded' && unknown.length === 0) return cond('Initialized', 'True', 'PodCompleted');
  const anyRegularStarted = regular.some((s) => s.state?.running !== undefined || s.state?.terminated !== undefined || s.lastState?.terminated !== undefined);
  if (anyRegularStarted) return cond('Initialized', 'True');
  const msgs: string[] = [];
  if (unknown.length > 0) msgs.push(`containers with unknown status: ${goList(unknown)}`);
  if (incomplete.length > 0) msgs.push(`containers with incomplete status: ${goList(incomplete)}`);
  if (msgs.length > 0) return cond('Initialized', 'False', 'ContainersNotInitialized', msgs.join(', '));
  return cond('Initialized', 'True');
}

function containersReadyCondition(pod: Pod, init: readonly ContainerStatus[], regular: readonly ContainerStatus[], phase: string): PodCondition {
  const unknown: string[] = [];
  const unready: string[] = [];
  for (const c of pod.spec?.initContainers ?? []) {
    if (!isSidecar(c)) continue;
    const s = init.find((x) => x.name === c.name);
    if (s === undefined) unknown.push(c.name);
    else if (!s.ready) unready.push(c.name);
  }
  for (const c of pod.spec?.containers ?? []) {
    const s = regular.find((x) => x.name === c.name);
    if (s === undefined) unknown.push(c.name);
    else if (!s.ready) unready.push(c.name);
  }
  if (phase === 'Succeeded' && unknown.length === 0) return cond('ContainersReady', 'False', 'PodCompleted');
  if (phase === 'Failed') return cond('ContainersReady', 'False', 'PodFailed');
  const msgs: string[] = [];
  if (unknown.length > 0) msgs.push(`containers with unknown status: ${goList(unknown)}`);
  if (unready.length > 0) msgs.push(`containers with unready status: ${goList(unready)}`);
  if (msgs.length > 0) return cond('ContainersReady', 'False', 'ContainersNotReady', msgs.join(', '));
  return cond('ContainersReady', 'True');
}

function readyCondition(pod: Pod, containersReady: PodCondition, otherConditions: readonly PodCondition[]): PodCondition {
  if (containersReady.status !== 'True') return cond('Ready', containersReady.status as 'False', containersReady.reason, containersReady.message);
  const msgs: string[] = [];
  for (const g of pod.spec?.readinessGates ?? []) {
    const c = otherConditions.find((x) => x.type === g.conditionType);
    if (c === undefined) msgs.push(`corresponding condition of pod readiness gate "${g.conditionType}" does not exist.`);
    else if (c.status !== 'True') msgs.push(`the status of pod readiness gate "${g.conditionType}" is not "True", but ${c.status}`);
  }
  if (msgs.length > 0) return cond('Ready', 'False', 'ReadinessGatesNotReady', msgs.join(', '));
  return cond('Ready', 'True');
}

/**
 * The status the kubelet would post. Fields the kubelet does not own (conditions of
 * other components, nominatedNodeName, qosClass, resourceClaimStatuses) are kept from
 * pod.status; lastTransitionTime is left for the status manager.
 */
export function generatePodStatus(pod: Pod, rt: RuntimePodStatus | undefined, inputs: PodStatusInputs): PodStatus {
  const old = pod.status ?? {};
  const terminal = inputs.terminal === true;
  const byName = new Map<string, RuntimeContainerStatus>();
  for (const c of rt?.containers ?? []) byName.set(c.name, c);
  const waits = new Map<string, BackoffWait>();
  for (const w of inputs.waits ?? []) waits.set(w.container, w);
  const initSpecs = pod.spec?.initContainers ?? [];
  const defaultWaiting = initSpecs.length > 0 ? 'PodInitializing' : 'ContainerCreating';
  const initStatuses = initSpecs.map((c) => containerStatus(c, byName.get(c.name), defaultWaiting, waits.get(c.name), terminal, true));
  const statuses = (pod.spec?.containers ?? []).map((c) => containerStatus(c, byName.get(c.name), defaultWaiting, waits.get(c.name), terminal, false));

  let phase = podPhase(pod, initStatuses, statuses, terminal);
  // A terminal phase never goes back (upstream keeps the old one).
  if ((old.phase === 'Succeeded' || old.phase === 'Failed') && phase !== old.phase) phase = old.phase;

  const others = (old.conditions ?? []).filter((c) => !KUBELET_POD_CONDITIONS.has(c.type));
  const containersReady = containersReadyCondition(pod, initStatuses, statuses, phase);
  const conditions: PodCondition[] = [
    ...others,
    cond('PodReadyToStartContainers', rt?.sandboxReady === true ? 'True' : 'False'),
    initializedCondition(pod, initStatuses, statuses, phase),
    readyCondition(pod, containersReady, others),
    containersReady,
    cond('PodScheduled', 'True'),
  ];

  const status: PodStatus = {
    phase,
    conditions,
    hostIP: inputs.hostIP,
    hostIPs: [{ ip: inputs.hostIP }],
    ...(inputs.podIP !== undefined ? { podIP: inputs.podIP, podIPs: [{ ip: inputs.podIP }] } : {}),
    startTime: inputs.startTime,
    ...(initStatuses.length > 0 ? { initContainerStatuses: initStatuses } : {}),
    containerStatuses: statuses,
    ...(old.qosClass !== undefined ? { qosClass: old.qosClass } : {}),
    ...(old.nominatedNodeName !== undefined ? { nominatedNodeName: old.nominatedNodeName } : {}),
    ...(old.resourceClaimStatuses !== undefined ? { resourceClaimStatuses: old.resourceClaimStatuses } : {}),
  };
  // Reason and message belong to a terminal phase someone set (e.g. Evicted): keep them.
  if ((old.phase === 'Succeeded' || old.phase === 'Failed') && old.reason !== undefined) {
    status.reason = old.reason;
    if (old.message !== undefined) status.message = old.message;
  }
  return status;
}

/** The status of a pod the agent refused to admit (upstream rejectPod). */
export function rejectedPodStatus(pod: Pod, reason: string, message: string, startTime: string): PodStatus {
  const old = pod.status ?? {};
  return {
    phase: 'Failed',
    reason,
    message: `Pod was rejected: ${message}`,
    startTime: old.startTime ?? startTime,
    // Conditions of other components stay; the kubelet's own are dropped, as upstream's mergePodStatus.
    conditions: (old.conditions ?? []).filter((c) => !KUBELET_POD_CONDITIONS.has(c.type)),
    ...(old.qosClass !== undefined ? { qosClass: old.qosClass } : {}),
  };
}

/** True for Succeeded and Failed. */
export function isTerminalPhase(phase: string | undefined): boolean {
  return phase === 'Succeeded' || phase === 'Failed';
}
