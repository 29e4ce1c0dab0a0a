/**
 * What to do with a pod's containers now, from its spec and what the runtime reports
 * (upstream kuberuntime computePodActions, reduced to what a runtime-agnostic agent
 * decides): start init containers one at a time, in order; once they are done start
 * the regular containers; restart exited ones as restartPolicy says, with
 * CrashLoopBackOff; report when the pod has nothing left to run.
 *
 * Rules:
 *   - Regular init containers run in spec order, each to exit 0 before the next
 *     starts. A failed one is restarted (restartPolicy OnFailure/Always, with backoff)
 *     or, with Never, fails the pod.
 *   - A sidecar (init container with restartPolicy Always) is started in its place in
 *     the order and must be started before the next init container; it is restarted
 *     whenever it exits while the pod runs.
 *   - Once every init container is done (or any regular container has ever started),
 *     missing regular containers are started; exited ones restart under Always, or
 *     under OnFailure when the exit code is not 0.
 *   - A restart waits while the container is in backoff (RestartBackoff keyed
 *     "<uid>/<container>"); the wait is reported so the caller can show
 *     CrashLoopBackOff and wake up when it ends.
 */
import type { Container, Pod } from 'kubernetes-types/core/v1.js';
import type { RuntimeContainerStatus, RuntimePodStatus } from './runtime/interface.js';
import type { RestartBackoff } from './restartbackoff.js';
import { formatPod, goDuration, isSidecar, podRestartPolicy } from './types.js';

export interface BackoffWait {
  container: string;
  /** When the backoff ends (ms on the clock). */
  until: number;
  /** upstream's "back-off 10s restarting failed container=c pod=name_ns(uid)". */
  message: string;
}

export interface PodActions {
  /** Containers to start now, in order. */
  start: string[];
  /** Containers that would restart but are in backoff. */
  waits: BackoffWait[];
  /** An init container failed under restartPolicy Never: the pod has failed. */
  initFailed: boolean;
  /** Every regular container has terminated and none will restart: the pod is done. */
  done: boolean;
}

export function backoffKey(uid: string, container: string): string {
  return `${uid}/${container}`;
}

/**
 * Decides the actions. Calls backoff.next() for every restart it returns, so call it
 * once per sync and pass the result to the runtime.
 */
export function computePodActions(pod: Pod, status: RuntimePodStatus | undefined, backoff: RestartBackoff, now: number): PodActions {
  const uid = pod.metadata?.uid ?? '';
  const policy = podRestartPolicy(pod);
  const byName = new Map<string, RuntimeContainerStatus>();
  for (const c of status?.containers ?? []) byName.set(c.name, c);
  const out: PodActions = { start: [], waits: [], initFailed: false, done: false };

  const restart = (c: Container, st: RuntimeContainerStatus): void => {
    const finishedAt = st.state.state === 'terminated' ? st.state.finishedAt : now;
    const key = backoffKey(uid, c.name);
    if (backoff.isInBackOffSince(key, finishedAt)) {
      const ms = backoff.get(key);
      out.waits.push({ container: c.name, until: finishedAt + ms, message: `back-off ${goDuration(ms)} restarting failed container=${c.name} pod=${formatPod(pod)}` });
      return;
    }
    backoff.next(key, finishedAt);
    out.start.push(c.name);
  };

  const regular = pod.spec?.containers ?? [];
  const anyRegularStarted = regular.some((c) => byName.has(c.name));
  const sidecars: Container[] = [];

  // Init containers, in order, until one is still in progress.
  let initDone = true;
  if (!anyRegularStarted) {
    for (const c of pod.spec?.initContainers ?? []) {
      const st = byName.get(c.name);
      if (isSidecar(c)) {
        sidecars.push(c);
        if (st === undefined) {
          out.start.push(c.name);
          initDone = false;
          break;
        }
        if (st.state.state === 'terminated') {
          restart(c, st);
          initDone = false;
          break;
        }
        if (!st.started) {
          initDone = false;
          break;
        }
        continue;
      }
      if (st === undefined) {
        out.start.push(c.name);
        initDone = false;
        break;
      }
      if (st.state.state === 'terminated') {
        if (st.state.exitCode === 0) continue;
        if (policy === 'Never') {
          out.initFailed = true;
          out.done = true;
          return out;
        }
        restart(c, st);
      }
      initDone = false;
      break;
    }
  } else {
    for (const c of pod.spec?.initContainers ?? []) if (isSidecar(c)) sidecars.push(c);
  }
  if (!initDone) return out;

  // Regular containers.
  let allDone = regular.length > 0;
  for (const c of regular) {
    const st = byName.get(c.name);
    if (st === undefined) {
      out.start.push(c.name);
      allDone = false;
      continue;
    }
    if (st.state.state !== 'terminated') {
      allDone = false;
      continue;
    }
    const again = policy === 'Always' || (policy === 'OnFailure' && st.state.exitCode !== 0);
    if (again) {
      allDone = false;
      restart(c, st);
    }
  }
  out.done = allDone;
  // Sidecars keep running while the pod does.
  if (!allDone) {
    for (const c of sidecars) {
      const st = byName.get(c.name);
      if (st !== undefined && st.state.state === 'terminated' && !out.start.includes(c.name)) restart(c, st);
    }
  }
  return out;
}
