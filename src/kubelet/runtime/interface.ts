/**
 * The container runtime as the node agent sees it (upstream's kubecontainer.Runtime,
 * cut down): the agent decides WHAT should run (which containers to start, when to
 * restart, when to kill a pod) and the runtime makes it so and reports what it sees.
 * Drivers: runtime/simulated.ts today; a process runtime (runc/containerd) later.
 *
 * Contract:
 *   - Pods are identified by metadata.uid; a runtime keeps what it knows about a pod
 *     (containers, their attempts and exit states) until removePod(uid).
 *   - syncPod(pod, actions) creates the pod sandbox if it has none (podStatus then
 *     reports sandboxReady) and creates+starts exactly the containers named in
 *     actions.start, in that order. Containers already running are kept. Before
 *     syncPod resolves, each started container is visible in podStatus(), at least as
 *     `waiting` (reason ContainerCreating) with restartCount raised for a restart, so
 *     a caller never starts one twice. A pod being killed is not restarted.
 *   - killPod(pod, gracePeriodSeconds) stops every container (SIGTERM, then SIGKILL
 *     once the grace period ran out) and removes the sandbox; it resolves when all
 *     containers have terminated. A second call while a kill runs may shorten the
 *     grace period and resolves with the first.
 *   - podStatus(uid) is synchronous and cheap: the runtime's current view, or
 *     undefined for a pod it does not know. Containers it never created are absent.
 *   - onContainerEvent(listener) reports every state change the runtime makes on its
 *     own (a container started running, a container exited), after the state is
 *     visible in podStatus(). Listeners run asynchronously, never inside a call into
 *     the runtime, and should only schedule work (the agent re-syncs the pod).
 *   - Times are milliseconds since the epoch on the runtime's injected Clock.
 */
import type { Pod } from 'kubernetes-types/core/v1.js';

/** Which list of the pod spec a container comes from; a sidecar is an init container with restartPolicy Always. */
export type ContainerKind = 'init' | 'sidecar' | 'regular';

export interface WaitingState {
  state: 'waiting';
  /** ContainerCreating, PodInitializing, CrashLoopBackOff, ErrImagePull, ... */
  reason: string;
  message?: string;
}

export interface RunningState {
  state: 'running';
  startedAt: number;
}

export interface TerminatedState {
  state: 'terminated';
  exitCode: number;
  /** Completed (exit 0), Error, OOMKilled, ContainerCannotRun, ... */
  reason: string;
  message?: string;
  signal?: number;
  startedAt?: number;
  finishedAt: number;
  /** The attempt this state belongs to ("<runtime>://<id>"). */
  containerID?: string;
}

export type ContainerState = WaitingState | RunningState | TerminatedState;

export interface RuntimeContainerStatus {
  name: string;
  kind: ContainerKind;
  /** "<runtime>://<id>" of the current attempt. */
  containerID: string;
  /** The image as the runtime resolved it, e.g. docker.io/library/nginx:latest. */
  image: string;
  /** The image's content address, e.g. docker.io/library/nginx@sha256:... */
  imageID: string;
  state: ContainerState;
  /** How the previous attempt ended, once the container has been restarted. */
  lastTermination?: TerminatedState;
  /** Attempts after the first. */
  restartCount: number;
  /** Running and passing readiness (the simulated runtime: running). */
  ready: boolean;
  /** Running and past its startup probe (the simulated runtime: running). */
  started: boolean;
}

export interface RuntimePodStatus {
  uid: string;
  /** A sandbox with its network exists (the PodReadyToStartContainers condition). */
  sandboxReady: boolean;
  /** A kill is in progress or done. */
  killing: boolean;
  /** Containers the runtime has created at least once, init and sidecar ones first. */
  containers: RuntimeContainerStatus[];
}

export interface PodSyncActions {
  /** Containers to create and start now, in order. */
  start: string[];
  /** The address the sandbox gets (the agent allocates pod IPs). */
  podIP?: string;
}

export type ContainerEventType = 'started' | 'exited';

export interface ContainerEvent {
  podUID: string;
  container: string;
  type: ContainerEventType;
}

export type ContainerEventListener = (e: ContainerEvent) => void;

export interface RuntimeInfo {
  /** e.g. "simulated", "containerd"; containerIDs are "<name>://<id>". */
  name: string;
  version: string;
}

export interface ContainerRuntime {
  readonly info: RuntimeInfo;
  syncPod(pod: Pod, actions: PodSyncActions): Promise<void>;
  killPod(pod: Pod, gracePeriodSeconds: number): Promise<void>;
  podStatus(podUID: string): RuntimePodStatus | undefined;
  /** UIDs of every pod the runtime knows (the agent kills and removes orphans). */
  listPods(): string[];
  /** Forgets a pod (after it was killed); a no-op for unknown pods. */
  removePod(podUID: string): void;
  /** Adds a listener; returns the function that removes it. */
  onContainerEvent(listener: ContainerEventListener): () => void;
  /** Stops every timer and process of the runtime. */
  close(): Promise<void>;
}

/** "containerRuntimeVersion" as the node reports it: "<name>://<version>". */
export function runtimeVersionString(info: RuntimeInfo): string {
  return `${info.name}://${info.version}`;
}
