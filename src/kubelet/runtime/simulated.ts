/**
 * The simulated runtime: containers that exist only as data, moved through their
 * lives by stages, as kwok simulates nodes (a stage = selector + delay + outcome;
 * kubernetes-sigs/kwok kustomize/stage/pod). Nothing runs; a container "starts"
 * after a delay, "runs" for a while or forever, and "exits" with a code.
 *
 * Behaviour of each container attempt, first match wins:
 *   1. annotations on the pod (kwok-style data on the object itself):
 *        sim.kubelite.io/start-delay-ms, run-ms ("forever" or ms), exit-code,
 *        stop-delay-ms, stop-exit-code; a ".<container>" suffix on the key (e.g.
 *        "sim.kubelite.io/exit-code.app") applies to one container only;
 *   2. the first of options.stages whose selector matches (fields it leaves out
 *      fall through to 3);
 *   3. the defaults: init containers run initRunMs then exit 0; regular containers
 *      of pods with restartPolicy Never or OnFailure run completeAfterMs then exit 0
 *      (reason Completed), so Jobs finish; everything else (restartPolicy Always,
 *      sidecars) runs until stopped.
 * On SIGTERM (killPod) a container exits after stopDelayMs with stopExitCode (0); if
 * the grace period ends first it is SIGKILLed: exit 137, reason Error.
 *
 * Cost: a pod is a few small objects; every pending transition of every pod of one
 * runtime shares ONE clock timer (TimerQueue). Containers that run forever have no
 * pending transition at all. Transitions due at once happen synchronously.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Container, Pod } from 'kubernetes-types/core/v1.js';
import { realClock, type Clock } from '../../util/clock.js';
import { TimerQueue } from '../timerqueue.js';
import { isSidecar, podRestartPolicy, type RestartPolicy } from '../types.js';
import type {
  ContainerEvent,
  ContainerEventListener,
  ContainerKind,
  ContainerRuntime,
  PodSyncActions,
  RuntimeContainerStatus,
  RuntimeInfo,
  RuntimePodStatus,
  TerminatedState,
} from './interface.js';

/** A fixed delay, or a uniform random one in [min, max]. */
export type DelayRange = number | { min: number; max: number };

export interface StageSelector {
  containerKinds?: ContainerKind[];
  restartPolicies?: RestartPolicy[];
  containerNames?: string[];
  namespaces?: string[];
  /** Every label here must be on the pod with this value. */
  podLabels?: Record<string, string>;
}

/** One simulated behaviour; fields left out come from the next matching layer. */
export interface SimulatedStage {
  name: string;
  selector?: StageSelector;
  startDelayMs?: DelayRange;
  /** How long the container runs before exiting by itself; null: until stopped. */
  runMs?: DelayRange | null;
  exitCode?: number;
  /** How long the container takes to exit after SIGTERM, and its exit code then. */
  stopDelayMs?: DelayRange;
  stopExitCode?: number;
}

export interface SimulatedRuntimeOptions {
  clock?: Clock;
  random?: () => number;
  /** From a start request to running (default 0-100 ms). */
  startDelayMs?: DelayRange;
  /** Run time of init containers (default 0-100 ms). */
  initRunMs?: DelayRange;
  /** Run time of regular containers in Never/OnFailure pods (default 1000 ms). */
  completeAfterMs?: DelayRange;
  /** From SIGTERM to exit (default 0-100 ms). */
  stopDelayMs?: DelayRange;
  /** Stages consulted before the defaults, first match wins. */
  stages?: SimulatedStage[];
  /** Where listener failures are reported (default: stderr). */
  log?: (message: string, err?: unknown) => void;
}

export const SIM_ANNOTATION_PREFIX = 'sim.kubelite.io/';
export const SIMULATED_RUNTIME_INFO: RuntimeInfo = { name: 'simulated', version: '0.1' };

interface Behaviour {
  startDelayMs: number;
  runMs: number | undefined;
  exitCode: number;
  stopDelayMs: number;
  stopExitCode: number;
}

interface SimContainer {
  status: RuntimeContainerStatus;
  behaviour: Behaviour;
  /** The transition its timer (key "<uid>/<name>") will make, and when. */
  pending?: Transition;
  pendingAt?: number;
}

interface SimPod {
  uid: string;
  namespace: string;
  name: string;
  restartPolicy: RestartPolicy;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  sandboxReady: boolean;
  containers: Map<string, SimContainer>;
  kill?: { deadline: number; done: Promise<void>; resolve: () => void };
}

function validRange(r: DelayRange | undefined | null, what: string): void {
  if (r === undefined || r === null) return;
  const ok = typeof r === 'number' ? r >= 0 && Number.isFinite(r) : r.min >= 0 && r.max >= r.min && Number.isFinite(r.max);
  if (!ok) throw new Error(`SimulatedRuntimeOptions: ${what} must be a non-negative delay or {min <= max}, got ${JSON.stringify(r)}`);
}

/** docker.io/library/nginx:latest for "nginx", as containerd normalises references. */
export function normalizeImage(image: string): string {
  let ref = image.trim();
  if (ref === '') return ref;
  const slash = ref.indexOf('/');
  const first = slash < 0 ? '' : ref.slice(0, slash);
  const hasRegistry = first.includes('.') || first.includes(':') || first === 'localhost';
  if (!hasRegistry) ref = `docker.io/${slash < 0 ? 'library/' : ''}${ref}`;
  const lastSlash = ref.lastIndexOf('/');
  const tail = ref.slice(lastSlash + 1);
  if (!tail.includes(':') && !ref.includes('@')) ref += ':latest';
  return ref;
}

/** A stable fake content address for an image: "<repo>@sha256:<hash of the reference>". */
export function fakeImageID(image: string): string {
  const norm = normalizeImage(image);
  const at = norm.indexOf('@');
  if (at >= 0) return norm;
  const lastSlash = norm.lastIndexOf('/');
  const colon = norm.indexOf(':', lastSlash + 1);
  const repo = colon >= 0 ? norm.slice(0, colon) : norm;
  return `${repo}@sha256:${createHash('sha256').update(norm).digest('hex')}`;
}

export class SimulatedRuntime implements ContainerRuntime {
  readonly info = SIMULATED_RUNTIME_INFO;
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly defaults: { startDelayMs: DelayRange; initRunMs: DelayRange; completeAfterMs: DelayRange; stopDelayMs: DelayRange };
  private readonly stages: SimulatedStage[];
  private readonly log: (message: string, err?: unknown) => void;
  private readonly pods = new Map<string, SimPod>();
  private readonly listeners = new Set<ContainerEventListener>();
  private readonly timers: TimerQueue;
  private closed = false;

  constructor(opts: SimulatedRuntimeOptions = {}) {
    this.clock = opts.clock ?? realClock;
    this.random = opts.random ?? Math.random;
    this.defaults = {
      startDelayMs: opts.startDelayMs ?? { min: 0, max: 100 },
      initRunMs: opts.initRunMs ?? { min: 0, max: 100 },
      completeAfterMs: opts.completeAfterMs ?? 1000,
      stopDelayMs: opts.stopDelayMs ?? { min: 0, max: 100 },
    };
    for (const [k, v] of Object.entries(this.defaults)) validRange(v, k);
    this.stages = [...(opts.stages ?? [])];
    for (const s of this.stages) {
      if (typeof s.name !== 'string' || s.name === '') throw new Error('SimulatedRuntimeOptions: every stage needs a name');
      validRange(s.startDelayMs, `stage ${s.name} startDelayMs`);
      validRange(s.runMs, `stage ${s.name} runMs`);
      validRange(s.stopDelayMs, `stage ${s.name} stopDelayMs`);
    }
    this.log = opts.log ?? ((m, e) => console.error(`kubelite simulated runtime: ${m}`, e ?? ''));
    this.timers = new TimerQueue(this.clock, (key, at) => this.onDue(key, at), (e) => this.log('transition failed', e));
  }

  async syncPod(pod: Pod, actions: PodSyncActions): Promise<void> {
    if (this.closed) throw new Error('simulated runtime is closed');
    const uid = pod.metadata?.uid;
    if (uid === undefined || uid === '') throw new Error('syncPod: pod has no metadata.uid');
    let sp = this.pods.get(uid);
    if (sp === undefined) {
      sp = {
        uid,
        namespace: pod.metadata?.namespace ?? '',
        name: pod.metadata?.name ?? '',
        restartPolicy: podRestartPolicy(pod),
        labels: { ...(pod.metadata?.labels ?? {}) },
        annotations: { ...(pod.metadata?.annotations ?? {}) },
        sandboxReady: true,
        containers: new Map(),
      };
      this.pods.set(uid, sp);
    }
    if (sp.kill !== undefined) return;
    sp.annotations = { ...(pod.metadata?.annotations ?? {}) };
    sp.sandboxReady = true;
    const now = this.clock.now();
    for (const name of actions.start) {
      const found = findContainer(pod, name);
      if (found === undefined) throw new Error(`syncPod: pod ${sp.namespace}/${sp.name} has no container ${name}`);
      this.startAttempt(sp, found.container, found.kind, now);
    }
  }

  async killPod(pod: Pod, gracePeriodSeconds: number): Promise<void> {
    const uid = pod.metadata?.uid ?? '';
    const sp = this.pods.get(uid);
    if (sp === undefined) return;
    const now = this.clock.now();
    const deadline = now + Math.max(0, gracePeriodSeconds) * 1000;
    if (sp.kill !== undefined) {
      if (deadline < sp.kill.deadline) {
        sp.kill.deadline = deadline;
        for (const [name, c] of sp.containers) {
          if (c.status.state.state !== 'running' || (c.pendingAt !== undefined && c.pendingAt <= deadline)) continue;
          if (deadline <= now) this.transition(sp, name, c, 'sigkill', now);
          else this.later(sp, name, c, 'sigkill', deadline);
        }
      }
      this.maybeKilled(sp);
      return sp.kill.done;
    }
    let resolve!: () => void;
    const done = new Promise<void>((r) => (resolve = r));
    sp.kill = { deadline, done, resolve };
    for (const [name, c] of [...sp.containers]) {
      const st = c.status;
      if (st.state.state === 'running') this.scheduleStop(sp, name, c, now);
      else if (st.state.state === 'waiting') {
        // Never started this attempt: it simply is not created.
        this.timers.cancel(timerKey(uid, name));
        c.pending = undefined;
        c.pendingAt = undefined;
        if (st.lastTermination !== undefined) {
          st.state = st.lastTermination;
          st.lastTermination = undefined;
          st.restartCount = Math.max(0, st.restartCount - 1);
        } else sp.containers.delete(name);
      }
    }
    this.maybeKilled(sp);
    return done;
  }

  podStatus(podUID: string): RuntimePodStatus | undefined {
    const sp = this.pods.get(podUID);
    if (sp === undefined) return undefined;
    const containers: RuntimeContainerStatus[] = [];
    for (const c of sp.containers.values()) {
      const s = c.status;
      containers.push({
        ...s,
        state: { ...s.state },
        ...(s.lastTermination !== undefined ? { lastTermination: { ...s.lastTermination } } : {}),
      });
    }
    containers.sort((a, b) => kindOrder(a.kind) - kindOrder(b.kind));
    return { uid: podUID, sandboxReady: sp.sandboxReady, killing: sp.kill !== undefined, containers };
  }

  listPods(): string[] {
    return [...this.pods.keys()];
  }

  removePod(podUID: string): void {
    const sp = this.pods.get(podUID);
    if (sp === undefined) return;
    for (const name of sp.containers.keys()) this.timers.cancel(timerKey(podUID, name));
    sp.kill?.resolve();
    this.pods.delete(podUID);
  }

  onContainerEvent(listener: ContainerEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.timers.close();
    for (const sp of this.pods.values()) sp.kill?.resolve();
    this.pods.clear();
    this.listeners.clear();
  }

  /** Pods known, for tests and metrics. */
  get size(): number {
    return this.pods.size;
  }

  /** Pending transitions (for tests: a steady cluster of long-running pods has none). */
  get pendingTransitions(): number {
    return this.timers.size;
  }

  private startAttempt(sp: SimPod, spec: Container, kind: ContainerKind, now: number): void {
    const name = spec.name;
    const prev = sp.containers.get(name);
    if (prev !== undefined && prev.status.state.state !== 'terminated') return; // already being started or running
    const image = normalizeImage(spec.image ?? '');
    const behaviour = this.behaviourFor(sp, spec, kind);
    const status: RuntimeContainerStatus = {
      name,
      kind,
      containerID: `${this.info.name}://${randomBytes(32).toString('hex')}`,
      image,
      imageID: fakeImageID(spec.image ?? ''),
      state: { state: 'waiting', reason: 'ContainerCreating' },
      restartCount: prev === undefined ? 0 : prev.status.restartCount + 1,
      ready: false,
      started: false,
    };
    if (prev !== undefined && prev.status.state.state === 'terminated') status.lastTermination = prev.status.state;
    const c: SimContainer = { status, behaviour };
    sp.containers.set(name, c);
    if (behaviour.startDelayMs <= 0) this.transition(sp, name, c, 'start', now);
    else this.later(sp, name, c, 'start', now + behaviour.startDelayMs);
  }

  private scheduleStop(sp: SimPod, name: string, c: SimContainer, now: number): void {
    const kill = sp.kill;
    if (kill === undefined) return;
    const graceful = now + c.behaviour.stopDelayMs;
    if (graceful <= kill.deadline) {
      if (graceful <= now) this.transition(sp, name, c, 'stop', now);
      else this.later(sp, name, c, 'stop', graceful);
    } else if (kill.deadline <= now) this.transition(sp, name, c, 'sigkill', now);
    else this.later(sp, name, c, 'sigkill', kill.deadline);
  }

  private later(sp: SimPod, name: string, c: SimContainer, what: Transition, at: number): void {
    c.pending = what;
    c.pendingAt = at;
    this.timers.schedule(timerKey(sp.uid, name), at);
  }

  private onDue(key: string, at: number): void {
    const slash = key.indexOf('/');
    const sp = this.pods.get(key.slice(0, slash));
    const c = sp?.containers.get(key.slice(slash + 1));
    if (sp === undefined || c === undefined || c.pending === undefined) return;
    const what = c.pending;
    c.pending = undefined;
    c.pendingAt = undefined;
    this.transition(sp, key.slice(slash + 1), c, what, at);
  }

  private transition(sp: SimPod, name: string, c: SimContainer, what: Transition, at: number): void {
    const st = c.status;
    switch (what) {
      case 'start': {
        if (st.state.state !== 'waiting' || sp.kill !== undefined) return;
        st.state = { state: 'running', startedAt: at };
        st.ready = true;
        st.started = true;
        this.emit({ podUID: sp.uid, container: name, type: 'started' });
        const run = c.behaviour.runMs;
        if (run !== undefined) {
          if (run <= 0) this.transition(sp, name, c, 'exit', at);
          else this.later(sp, name, c, 'exit', at + run);
        }
        return;
      }
      case 'exit':
      case 'stop':
      case 'sigkill': {
        if (st.state.state !== 'running') return;
        const startedAt = st.state.startedAt;
        this.timers.cancel(timerKey(sp.uid, name));
        c.pending = undefined;
        c.pendingAt = undefined;
        let exitCode: number;
        let signal: number | undefined;
        if (what === 'exit') exitCode = c.behaviour.exitCode;
        else if (what === 'stop') exitCode = c.behaviour.stopExitCode;
        else {
          exitCode = 137;
          signal = 9;
        }
        const term: TerminatedState = {
          state: 'terminated',
          exitCode,
          reason: exitCode === 0 ? 'Completed' : 'Error',
          startedAt,
          finishedAt: at,
          containerID: st.containerID,
          ...(signal !== undefined ? { signal } : {}),
        };
        st.state = term;
        st.ready = false;
        st.started = false;
        this.emit({ podUID: sp.uid, container: name, type: 'exited' });
        this.maybeKilled(sp);
        return;
      }
    }
  }

  private maybeKilled(sp: SimPod): void {
    const kill = sp.kill;
    if (kill === undefined) return;
    for (const c of sp.containers.values()) if (c.status.state.state !== 'terminated') return;
    sp.sandboxReady = false;
    kill.resolve();
  }

  private emit(e: ContainerEvent): void {
    if (this.listeners.size === 0) return;
    // Listeners never run inside a call into the runtime.
    queueMicrotask(() => {
      for (const l of this.listeners) {
        try {
          l(e);
        } catch (err) {
          this.log('container event listener failed', err);
        }
      }
    });
  }

  private behaviourFor(sp: SimPod, spec: Container, kind: ContainerKind): Behaviour {
    const name = spec.name;
    const ann = (key: string): string | undefined => sp.annotations[`${SIM_ANNOTATION_PREFIX}${key}.${name}`] ?? sp.annotations[`${SIM_ANNOTATION_PREFIX}${key}`];
    const stage = this.stages.find((s) => stageMatches(s.selector, sp, name, kind));
    const runsToCompletion = kind === 'init' || (kind === 'regular' && sp.restartPolicy !== 'Always');
    const defaultRun: DelayRange | null = kind === 'init' ? this.defaults.initRunMs : runsToCompletion ? this.defaults.completeAfterMs : null;

    const startDelay = numberAnn(ann('start-delay-ms')) ?? this.pick(stage?.startDelayMs ?? this.defaults.startDelayMs);
    let runMs: number | undefined;
    const runAnn = ann('run-ms');
    if (runAnn === 'forever') runMs = undefined;
    else if (numberAnn(runAnn) !== undefined) runMs = numberAnn(runAnn);
    else {
      const r = stage !== undefined && stage.runMs !== undefined ? stage.runMs : defaultRun;
      runMs = r === null ? undefined : this.pick(r);
    }
    return {
      startDelayMs: startDelay,
      runMs,
      exitCode: intAnn(ann('exit-code')) ?? stage?.exitCode ?? 0,
      stopDelayMs: numberAnn(ann('stop-delay-ms')) ?? this.pick(stage?.stopDelayMs ?? this.defaults.stopDelayMs),
      stopExitCode: intAnn(ann('stop-exit-code')) ?? stage?.stopExitCode ?? 0,
    };
  }

  private pick(r: DelayRange): number {
    if (typeof r === 'number') return r;
    return Math.round(r.min + this.random() * (r.max - r.min));
  }
}

type Transition = 'start' | 'exit' | 'stop' | 'sigkill';

function timerKey(uid: string, name: string): string {
  return `${uid}/${name}`;
}

function kindOrder(k: ContainerKind): number {
  return k === 'regular' ? 1 : 0;
}

function numberAnn(v: string | undefined): number | undefined {
  if (v === undefined || v.trim() === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}

function intAnn(v: string | undefined): number | undefined {
  if (v === undefined || !/^-?[0-9]+$/.test(v.trim())) return undefined;
  return Number(v);
}

function stageMatches(sel: StageSelector | undefined, sp: SimPod, name: string, kind: ContainerKind): boolean {
  if (sel === undefined) return true;
  if (sel.containerKinds !== undefined && !sel.containerKinds.includes(kind)) return false;
  if (sel.restartPolicies !== undefined && !sel.restartPolicies.includes(sp.restartPolicy)) return false;
  if (sel.containerNames !== undefined && !sel.containerNames.includes(name)) return false;
  if (sel.namespaces !== undefined && !sel.namespaces.includes(sp.namespace)) return false;
  if (sel.podLabels !== undefined) for (const [k, v] of Object.entries(sel.podLabels)) if (sp.labels[k] !== v) return false;
  return true;
}

/** The container named name in the pod spec, with its kind. */
export function findContainer(pod: Pod, name: string): { container: Container; kind: ContainerKind } | undefined {
  for (const c of pod.spec?.initContainers ?? []) if (c.name === name) return { container: c, kind: isSidecar(c) ? 'sidecar' : 'init' };
  for (const c of pod.spec?.containers ?? []) if (c.name === name) return { container: c, kind: 'regular' };
  return undefined;
}
