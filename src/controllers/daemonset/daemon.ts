/**
 * The DaemonSet's decisions as pure functions (upstream pkg/controller/daemon and
 * daemon/util): which nodes should run a daemon pod, what to create and delete on
 * each node, what a rolling update may replace, and the status counts. The
 * controller (controller.ts) feeds them from its caches and carries out the result.
 */
import type { DaemonSet } from 'kubernetes-types/apps/v1.js';
import type { Affinity, Node, Pod, PodTemplateSpec, Toleration } from 'kubernetes-types/core/v1.js';
import { findUntoleratedTaint } from '../../api/tolerations.js';
import { deepCopy } from '../../apimachinery/meta.js';
import { scaledValue } from '../common/intstr.js';
import { podMatchesNodeSelectorAndAffinityTerms as podFitsNodeAffinity } from '../../api/nodeaffinity.js';
import { isPodAvailable, isPodReady, isTerminating } from '../common/pods.js';
import { addOrUpdateToleration } from '../common/taints.js';
import {
  CONTROLLER_REVISION_HASH_LABEL,
  DAEMONSET_TEMPLATE_GENERATION_ANNOTATION,
  DAEMONSET_TEMPLATE_GENERATION_LABEL,
  type Obj,
} from '../common/types.js';

export type DS = Obj<DaemonSet>;
export type PodObj = Obj<Pod>;

/** DaemonSet spec defaults (apps/v1 SetDefaults_DaemonSet), applied to a copy. */
export function withDaemonSetDefaults(ds: DS): DS {
  const out = deepCopy(ds);
  const spec = (out.spec ??= { selector: {}, template: {} });
  spec.updateStrategy ??= {};
  spec.updateStrategy.type ??= 'RollingUpdate';
  if (spec.updateStrategy.type === 'RollingUpdate') {
    spec.updateStrategy.rollingUpdate ??= {};
    spec.updateStrategy.rollingUpdate.maxUnavailable ??= 1;
    spec.updateStrategy.rollingUpdate.maxSurge ??= 0;
  }
  spec.revisionHistoryLimit ??= 10;
  spec.minReadySeconds ??= 0;
  return out;
}

/** The tolerations every daemon pod gets (util.AddOrUpdateDaemonPodTolerations). */
export function daemonPodTolerations(spec: Pod['spec']): Toleration[] {
  let t = [...(spec?.tolerations ?? [])];
  const add = (key: string, effect: string): void => {
    t = addOrUpdateToleration(t, { key, operator: 'Exists', effect });
  };
  add('node.kubernetes.io/not-ready', 'NoExecute');
  add('node.kubernetes.io/unreachable', 'NoExecute');
  add('node.kubernetes.io/disk-pressure', 'NoSchedule');
  add('node.kubernetes.io/memory-pressure', 'NoSchedule');
  add('node.kubernetes.io/pid-pressure', 'NoSchedule');
  add('node.kubernetes.io/unschedulable', 'NoSchedule');
  if (spec?.hostNetwork === true) add('node.kubernetes.io/network-unavailable', 'NoSchedule');
  return t;
}

/** The pod the DaemonSet would run on node, for the scheduling predicates (NewPod). */
export function newDaemonPod(ds: DS, nodeName: string): Pod {
  const spec = deepCopy(ds.spec?.template?.spec ?? { containers: [] });
  spec.nodeName = nodeName;
  spec.tolerations = daemonPodTolerations(spec);
  return { metadata: { ...deepCopy(ds.spec?.template?.metadata ?? {}), namespace: ds.metadata?.namespace ?? '' }, spec };
}

/**
 * shouldRun: a daemon pod should be created on node if missing. shouldContinueRunning:
 * a daemon pod already there may stay (it tolerates every NoExecute taint).
 */
export function nodeShouldRunDaemonPod(node: Node, ds: DS): { shouldRun: boolean; shouldContinueRunning: boolean } {
  const nodeName = node.metadata?.name ?? '';
  const pinned = ds.spec?.template?.spec?.nodeName ?? '';
  if (pinned !== '' && pinned !== nodeName) return { shouldRun: false, shouldContinueRunning: false };
  const pod = newDaemonPod(ds, nodeName);
  if (!podFitsNodeAffinity(pod, node)) return { shouldRun: false, shouldContinueRunning: false };
  const taints = node.spec?.taints ?? [];
  const untolerated = findUntoleratedTaint(taints, pod.spec?.tolerations, (t) => t.effect === 'NoSchedule' || t.effect === 'NoExecute');
  if (untolerated !== undefined) {
    const noExecute = findUntoleratedTaint(taints, pod.spec?.tolerations, (t) => t.effect === 'NoExecute');
    return { shouldRun: false, shouldContinueRunning: noExecute === undefined };
  }
  return { shouldRun: true, shouldContinueRunning: true };
}

/**
 * Pins a pod to node through required node affinity on metadata.name, replacing any
 * required terms (the controller checked them already) and keeping the rest
 * (util.ReplaceDaemonSetPodNodeNameNodeAffinity), so the scheduler binds it there.
 */
export function replaceNodeNameAffinity(affinity: Affinity | undefined, nodeName: string): Affinity {
  const term = { matchFields: [{ key: 'metadata.name', operator: 'In', values: [nodeName] }] };
  const out: Affinity = deepCopy(affinity ?? {});
  out.nodeAffinity ??= {};
  out.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution = { nodeSelectorTerms: [term] };
  return out;
}

/** The node a daemon pod is for: spec.nodeName, else its metadata.name affinity (util.GetTargetNodeName). */
export function targetNodeName(pod: Pod): string | undefined {
  const n = pod.spec?.nodeName;
  if (typeof n === 'string' && n !== '') return n;
  const terms = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
  for (const t of terms) {
    for (const f of t.matchFields ?? []) {
      if (f.key === 'metadata.name' && f.operator === 'In' && (f.values ?? []).length === 1) return f.values?.[0];
    }
  }
  return undefined;
}

/** The template generation from the deprecated annotation, when present and numeric. */
export function templateGeneration(ds: DS): number | undefined {
  const v = ds.metadata?.annotations?.[DAEMONSET_TEMPLATE_GENERATION_ANNOTATION];
  if (v === undefined) return undefined;
  const n = Number(v);
  return Number.isInteger(n) ? n : undefined;
}

/** The template new pods get: default tolerations and the hash (and generation) labels (util.CreatePodTemplate). */
export function daemonPodTemplate(ds: DS, hash: string): PodTemplateSpec {
  const t = deepCopy(ds.spec?.template ?? {});
  const spec = (t.spec ??= { containers: [] });
  spec.tolerations = daemonPodTolerations(spec);
  const labels = { ...(t.metadata?.labels ?? {}) };
  const gen = templateGeneration(ds);
  if (gen !== undefined) labels[DAEMONSET_TEMPLATE_GENERATION_LABEL] = String(gen);
  if (hash !== '') labels[CONTROLLER_REVISION_HASH_LABEL] = hash;
  t.metadata = { ...(t.metadata ?? {}), labels };
  return t;
}

/** The pod runs the current template (util.IsPodUpdated). */
export function isPodUpdated(pod: Pod, hash: string, generation: number | undefined): boolean {
  const labels = pod.metadata?.labels ?? {};
  const genMatches = generation !== undefined && labels[DAEMONSET_TEMPLATE_GENERATION_LABEL] === String(generation);
  const hashMatches = hash !== '' && labels[CONTROLLER_REVISION_HASH_LABEL] === hash;
  return hashMatches || genMatches;
}

export function surgeCount(ds: DS, desired: number): number {
  if (ds.spec?.updateStrategy?.type !== 'RollingUpdate') return 0;
  const r = ds.spec.updateStrategy.rollingUpdate;
  if (r?.maxSurge === undefined || r.maxSurge === null) return 0;
  return scaledValue(r.maxSurge, desired, true);
}

export function unavailableCount(ds: DS, desired: number): number {
  if (ds.spec?.updateStrategy?.type !== 'RollingUpdate') return 0;
  const r = ds.spec.updateStrategy.rollingUpdate;
  return scaledValue(r?.maxUnavailable ?? 1, desired, true);
}

export function allowsSurge(ds: DS): boolean {
  try {
    return surgeCount(ds, 1) !== 0;
  } catch {
    return false;
  }
}

function ts(s: string | undefined): number {
  const t = s ? Date.parse(s) : NaN;
  return Number.isFinite(t) ? t : 0;
}

/** Scheduled pods first, then oldest first, then by name (podByCreationTimestampAndPhase). */
export function compareDaemonPods(a: Pod, b: Pod): number {
  const an = (a.spec?.nodeName ?? '') !== '';
  const bn = (b.spec?.nodeName ?? '') !== '';
  if (an !== bn) return an ? -1 : 1;
  const at = ts(a.metadata?.creationTimestamp);
  const bt = ts(b.metadata?.creationTimestamp);
  if (at !== bt) return at - bt;
  return (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? '');
}

export interface NodePlan {
  /** The node needs a daemon pod created. */
  create: boolean;
  /** Names of pods to delete on the node. */
  delete: string[];
  /** Failed pods left alone because of backoff; the controller resyncs after this long. */
  backoffDelayMs?: number;
  /** Events to record: [type, reason, message]. */
  events: [type: 'Normal' | 'Warning', reason: string, message: string][];
}

export interface FailedPodBackoff {
  isInBackOff(key: string, now: number): boolean;
  delay(key: string): number;
  next(key: string, now: number): void;
}

/** What to do on one node (podsShouldBeOnNode). */
export function podsShouldBeOnNode(node: Node, daemonPods: readonly PodObj[] | undefined, ds: DS, hash: string, now: number, backoff?: FailedPodBackoff): NodePlan {
  const { shouldRun, shouldContinueRunning } = nodeShouldRunDaemonPod(node, ds);
  const nodeName = node.metadata?.name ?? '';
  const plan: NodePlan = { create: false, delete: [], events: [] };
  const exists = daemonPods !== undefined && daemonPods.length > 0;
  if (shouldRun && !exists) {
    plan.create = true;
    return plan;
  }
  if (shouldContinueRunning) {
    const running: PodObj[] = [];
    for (const pod of daemonPods ?? []) {
      if (isTerminating(pod)) continue;
      const phase = pod.status?.phase;
      const podName = pod.metadata?.name ?? '';
      if (phase === 'Failed') {
        const key = `${ds.metadata?.uid}/${ds.status?.observedGeneration ?? 0}/${nodeName}`;
        if (backoff?.isInBackOff(key, now)) {
          plan.backoffDelayMs = backoff.delay(key);
          continue;
        }
        backoff?.next(key, now);
        plan.events.push(['Warning', 'FailedDaemonPod', `Found failed daemon pod ${pod.metadata?.namespace}/${podName} on node ${nodeName}, will try to kill it`]);
        plan.delete.push(podName);
      } else if (phase === 'Succeeded') {
        plan.events.push(['Normal', 'SucceededDaemonPod', `Found succeeded daemon pod ${pod.metadata?.namespace}/${podName} on node ${nodeName}, will try to delete it`]);
        plan.delete.push(podName);
      } else {
        running.push(pod);
      }
    }
    running.sort(compareDaemonPods);
    if (!allowsSurge(ds)) {
      // Without surge only the oldest pod stays.
      for (const p of running.slice(1)) plan.delete.push(p.metadata?.name ?? '');
      return plan;
    }
    if (running.length <= 1) {
      if (running.length === 0 && shouldRun) plan.create = true;
      return plan;
    }
    // With surge, keep at most the oldest new pod and the oldest old pod.
    let oldestNew: PodObj | undefined;
    let oldestOld: PodObj | undefined;
    for (const p of running) {
      if (p.metadata?.labels?.[CONTROLLER_REVISION_HASH_LABEL] === hash) {
        if (oldestNew === undefined) {
          oldestNew = p;
          continue;
        }
      } else if (oldestOld === undefined) {
        oldestOld = p;
        continue;
      }
      plan.delete.push(p.metadata?.name ?? '');
    }
    if (oldestNew !== undefined && oldestOld !== undefined) {
      if (!isPodReady(oldestOld)) plan.delete.push(oldestOld.metadata?.name ?? '');
      else if (isPodAvailable(oldestNew, ds.spec?.minReadySeconds ?? 0, now)) plan.delete.push(oldestOld.metadata?.name ?? '');
    }
    return plan;
  }
  if (exists) {
    for (const p of daemonPods ?? []) if (!isTerminating(p)) plan.delete.push(p.metadata?.name ?? '');
  }
  return plan;
}

/** Unscheduled pods aimed at nodes that do not exist (getUnscheduledPodsWithoutNode). */
export function unscheduledPodsWithoutNode(nodes: readonly Node[], nodeToPods: ReadonlyMap<string, PodObj[]>): string[] {
  const known = new Set(nodes.map((n) => n.metadata?.name ?? ''));
  const out: string[] = [];
  for (const [n, pods] of nodeToPods) {
    if (known.has(n)) continue;
    for (const p of pods) if ((p.spec?.nodeName ?? '') === '') out.push(p.metadata?.name ?? '');
  }
  return out;
}

/** At most one new and one old non-deleted pod on the node; ok=false when there are more. */
export function findUpdatedPodsOnNode(ds: DS, pods: readonly PodObj[], hash: string): { newPod?: PodObj; oldPod?: PodObj; ok: boolean } {
  let newPod: PodObj | undefined;
  let oldPod: PodObj | undefined;
  const gen = templateGeneration(ds);
  for (const p of pods) {
    if (isTerminating(p)) continue;
    if (isPodUpdated(p, hash, gen)) {
      if (newPod !== undefined) return { ok: false };
      newPod = p;
    } else {
      if (oldPod !== undefined) return { ok: false };
      oldPod = p;
    }
  }
  return { ok: true, ...(newPod ? { newPod } : {}), ...(oldPod ? { oldPod } : {}) };
}

export interface RollingUpdatePlan {
  deletePods: string[];
  createOnNodes: string[];
}

/**
 * The rolling update step (update.go rollingUpdate): without surge, delete old pods
 * while staying within maxUnavailable; with surge, create new pods next to old ones up
 * to maxSurge and delete an old pod once its replacement is available.
 */
export function rollingUpdatePlan(ds: DS, nodes: readonly Node[], nodeToPodsIn: ReadonlyMap<string, PodObj[]>, hash: string, now: number): RollingUpdatePlan {
  const nodeToPods = new Map(nodeToPodsIn);
  let desired = 0;
  const nodeByName = new Map<string, Node>();
  for (const n of nodes) {
    const name = n.metadata?.name ?? '';
    nodeByName.set(name, n);
    if (!nodeShouldRunDaemonPod(n, ds).shouldRun) continue;
    desired++;
    if (!nodeToPods.has(name)) nodeToPods.set(name, []);
  }
  let maxUnavailable = unavailableCount(ds, desired);
  const maxSurge = surgeCount(ds, desired);
  if (desired > 0 && maxUnavailable === 0 && maxSurge === 0) maxUnavailable = 1;
  const minReady = ds.spec?.minReadySeconds ?? 0;
  const available = (p: PodObj): boolean => isPodAvailable(p, minReady, now);
  const shouldRunOn = (nodeName: string): boolean => {
    const n = nodeByName.get(nodeName);
    return n !== undefined && nodeShouldRunDaemonPod(n, ds).shouldRun;
  };
  const names = [...nodeToPods.keys()].sort();

  if (maxSurge === 0) {
    let numUnavailable = 0;
    const replacements: string[] = [];
    const candidates: string[] = [];
    for (const nodeName of names) {
      const { newPod, oldPod, ok } = findUpdatedPodsOnNode(ds, nodeToPods.get(nodeName) ?? [], hash);
      if (!ok) {
        numUnavailable++;
        continue;
      }
      if ((oldPod === undefined && newPod === undefined) || (oldPod !== undefined && newPod !== undefined)) {
        numUnavailable++;
      } else if (newPod !== undefined) {
        if (!available(newPod)) numUnavailable++;
      } else if (oldPod !== undefined) {
        if (!available(oldPod)) {
          replacements.push(oldPod.metadata?.name ?? '');
          numUnavailable++;
        } else if (numUnavailable < maxUnavailable) {
          candidates.push(oldPod.metadata?.name ?? '');
        }
      }
    }
    const remaining = Math.min(Math.max(0, maxUnavailable - numUnavailable), candidates.length);
    return { deletePods: [...replacements, ...candidates.slice(0, remaining)], createOnNodes: [] };
  }

  const deletePods: string[] = [];
  const shouldNotRun: string[] = [];
  const candidateNodes: string[] = [];
  const allowedNodes: string[] = [];
  let numSurge = 0;
  let numAvailable = 0;
  for (const nodeName of names) {
    const { newPod, oldPod, ok } = findUpdatedPodsOnNode(ds, nodeToPods.get(nodeName) ?? [], hash);
    if (!ok) {
      numSurge++;
      continue;
    }
    if (oldPod !== undefined) {
      if (available(oldPod)) numAvailable++;
    } else if (newPod !== undefined && available(newPod)) numAvailable++;
    if (oldPod === undefined) continue;
    if (newPod === undefined) {
      if (!available(oldPod)) {
        if (!shouldRunOn(nodeName)) {
          deletePods.push(oldPod.metadata?.name ?? '');
          continue;
        }
        allowedNodes.push(nodeName);
      } else {
        if (!shouldRunOn(nodeName)) {
          shouldNotRun.push(oldPod.metadata?.name ?? '');
          continue;
        }
        if (numSurge >= maxSurge) continue;
        candidateNodes.push(nodeName);
      }
    } else {
      if (!available(newPod)) {
        numSurge++;
        continue;
      }
      deletePods.push(oldPod.metadata?.name ?? '');
    }
  }
  const deletable = Math.min(numAvailable - desired, shouldNotRun.length);
  if (deletable > 0) deletePods.push(...shouldNotRun.slice(0, deletable));
  const remainingSurge = Math.min(Math.max(0, maxSurge - numSurge), candidateNodes.length);
  return { deletePods, createOnNodes: [...allowedNodes, ...candidateNodes.slice(0, remainingSurge)] };
}

export interface DaemonSetCounts {
  desiredNumberScheduled: number;
  currentNumberScheduled: number;
  numberMisscheduled: number;
  numberReady: number;
  updatedNumberScheduled: number;
  numberAvailable: number;
  numberUnavailable: number;
}

/** The status counts (updateDaemonSetStatus). */
export function computeDaemonSetCounts(ds: DS, nodes: readonly Node[], nodeToPods: ReadonlyMap<string, PodObj[]>, hash: string, now: number): DaemonSetCounts {
  const c: DaemonSetCounts = {
    desiredNumberScheduled: 0,
    currentNumberScheduled: 0,
    numberMisscheduled: 0,
    numberReady: 0,
    updatedNumberScheduled: 0,
    numberAvailable: 0,
    numberUnavailable: 0,
  };
  const gen = templateGeneration(ds);
  for (const node of nodes) {
    const { shouldRun } = nodeShouldRunDaemonPod(node, ds);
    const pods = nodeToPods.get(node.metadata?.name ?? '') ?? [];
    const scheduled = pods.length > 0;
    if (shouldRun) {
      c.desiredNumberScheduled++;
      if (!scheduled) continue;
      c.currentNumberScheduled++;
      const pod = [...pods].sort(compareDaemonPods)[0] as PodObj;
      if (isPodReady(pod)) {
        c.numberReady++;
        if (isPodAvailable(pod, ds.spec?.minReadySeconds ?? 0, now)) c.numberAvailable++;
      }
      if (isPodUpdated(pod, hash, gen)) c.updatedNumberScheduled++;
    } else if (scheduled) {
      c.numberMisscheduled++;
    }
  }
  c.numberUnavailable = c.desiredNumberScheduled - c.numberAvailable;
  return c;
}
