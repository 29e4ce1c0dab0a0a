/**
 * Pod predicates and pod-from-template construction shared by the workload
 * controllers (upstream pkg/api/v1/pod and pkg/controller/controller_utils.go).
 */
import type { Pod, PodCondition, PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import type { KubeObject, OwnerReference } from '../../client/types.js';
import { deepCopy } from '../../apimachinery/meta.js';
import type { Obj } from './types.js';

/** "namespace/name", how expectations name a pod. */
export function podKey(pod: KubeObject): string {
  return `${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''}`;
}

export function podReadyCondition(pod: Pod): PodCondition | undefined {
  return pod.status?.conditions?.find((c) => c.type === 'Ready');
}

/** The Ready condition is True. */
export function isPodReady(pod: Pod): boolean {
  return podReadyCondition(pod)?.status === 'True';
}

/** Ready for at least minReadySeconds at now (upstream podutil.IsPodAvailable). */
export function isPodAvailable(pod: Pod, minReadySeconds: number, now: number): boolean {
  if (!isPodReady(pod)) return false;
  if (!(minReadySeconds > 0)) return true;
  const c = podReadyCondition(pod);
  const t = c?.lastTransitionTime ? Date.parse(c.lastTransitionTime) : NaN;
  return Number.isFinite(t) && t + minReadySeconds * 1000 < now;
}

/** Time left until a ready pod becomes available, or undefined when not ready or already available. */
export function timeUntilAvailable(pod: Pod, minReadySeconds: number, now: number): number | undefined {
  if (!isPodReady(pod) || !(minReadySeconds > 0)) return undefined;
  const c = podReadyCondition(pod);
  const t = c?.lastTransitionTime ? Date.parse(c.lastTransitionTime) : NaN;
  if (!Number.isFinite(t)) return undefined;
  const left = t + minReadySeconds * 1000 - now;
  return left >= 0 ? left + 1 : undefined;
}

export function isTerminating(pod: { metadata?: { deletionTimestamp?: string } }): boolean {
  const d = pod.metadata?.deletionTimestamp;
  return typeof d === 'string' && d !== '';
}

export function podPhase(pod: Pod): string {
  return pod.status?.phase ?? '';
}

/** Neither Succeeded nor Failed, and not being deleted (upstream controller.IsPodActive). */
export function isPodActive(pod: Pod): boolean {
  const p = podPhase(pod);
  return p !== 'Succeeded' && p !== 'Failed' && !isTerminating(pod);
}

/** The active pods (upstream controller.FilterActivePods). */
export function filterActivePods<T extends Pod>(pods: readonly T[]): T[] {
  return pods.filter(isPodActive);
}

export function isPodTerminal(pod: Pod): boolean {
  const p = podPhase(pod);
  return p === 'Succeeded' || p === 'Failed';
}

/** Being deleted but not yet terminal (upstream controller.CountTerminatingPods counts these). */
export function isPodTerminatingNotTerminal(pod: Pod): boolean {
  return isTerminating(pod) && !isPodTerminal(pod);
}

/** A new pod from a template (upstream GetPodFromTemplate), owned by controllerRef. */
export function podFromTemplate(template: PodTemplateSpec | undefined, namespace: string, generateNamePrefix: string, controllerRef?: OwnerReference): Obj<Pod> {
  const t = deepCopy(template ?? {});
  const meta = t.metadata ?? {};
  const pod: Obj<Pod> = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      namespace,
      generateName: generateNamePrefix,
      ...(meta.labels ? { labels: { ...meta.labels } } : {}),
      ...(meta.annotations ? { annotations: { ...meta.annotations } } : {}),
      ...(meta.finalizers ? { finalizers: [...meta.finalizers] } : {}),
      ...(controllerRef ? { ownerReferences: [controllerRef] } : {}),
    },
    spec: t.spec ?? { containers: [] },
  };
  return pod;
}

/** "name-", the pods' generateName (the API server cuts long prefixes, as upstream's). */
export function podsPrefix(controllerName: string): string {
  return `${controllerName}-`;
}
