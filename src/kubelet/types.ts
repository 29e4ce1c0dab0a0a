/**
 * Object shapes the node agent reads and writes: the upstream core/v1 and
 * coordination/v1 types (types only, from kubernetes-types) joined with the client
 * layer's KubeObject so they flow through informers and the REST client unchanged.
 */
import type { Container, Node, Pod } from 'kubernetes-types/core/v1.js';
import type { Lease } from 'kubernetes-types/coordination/v1.js';
import type { KubeObject } from '../client/types.js';
import { KUBE_GIT_VERSION } from '../apiserver/version.js';

export type PodObject = Pod & KubeObject;
export type NodeObject = Node & KubeObject;
export type LeaseObject = Lease & KubeObject;

export const PODS = { group: '', version: 'v1', resource: 'pods' } as const;
export const NODES = { group: '', version: 'v1', resource: 'nodes' } as const;
export const LEASES = { group: 'coordination.k8s.io', version: 'v1', resource: 'leases' } as const;

/** The namespace node heartbeat Leases live in (upstream's kube-node-lease). */
export const NODE_LEASE_NAMESPACE = 'kube-node-lease';

/** What the agent calls itself in events (source.component), as upstream. */
export const KUBELET_COMPONENT = 'kubelet';

/** The version the node reports (status.nodeInfo.kubeletVersion): the one kubelite version. */
export const KUBELET_VERSION = KUBE_GIT_VERSION;

export type RestartPolicy = 'Always' | 'OnFailure' | 'Never';

/** spec.restartPolicy with upstream's default (Always). */
export function podRestartPolicy(pod: Pod): RestartPolicy {
  const p = pod.spec?.restartPolicy;
  return p === 'OnFailure' || p === 'Never' ? p : 'Always';
}

/** An init container with restartPolicy Always: a native sidecar. */
export function isSidecar(c: Container): boolean {
  return c.restartPolicy === 'Always';
}

/** "namespace/name" of a pod. */
export function podKey(pod: Pod): string {
  return `${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''}`;
}

/** upstream's format.Pod: "name_namespace(uid)". */
export function formatPod(pod: Pod): string {
  return `${pod.metadata?.name ?? ''}_${pod.metadata?.namespace ?? ''}(${pod.metadata?.uid ?? ''})`;
}

/** True when a's resourceVersion is known to be newer than b's (numeric versions only; otherwise false). */
export function newerThan(a: KubeObject | undefined, b: KubeObject | undefined): boolean {
  const ra = a?.metadata?.resourceVersion;
  const rb = b?.metadata?.resourceVersion;
  if (ra === undefined) return false;
  if (rb === undefined) return true;
  if (!/^[0-9]+$/.test(ra) || !/^[0-9]+$/.test(rb)) return false;
  return BigInt(ra) > BigInt(rb);
}

/** The newer of two copies of one object (by resourceVersion); a when undecidable. */
export function newest<T extends KubeObject>(a: T | undefined, b: T | undefined): T | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return newerThan(b, a) ? b : a;
}

/** Go's time.Duration String() for whole milliseconds: "10s", "1m20s", "5m0s", "500ms". */
export function goDuration(ms: number): string {
  if (ms === 0) return '0s';
  if (ms < 1000) return `${ms}ms`;
  const totalSec = ms / 1000;
  const h = Math.floor(totalSec / 3600);
  const m = Math.floor((totalSec % 3600) / 60);
  const s = totalSec % 60;
  const sec = Number.isInteger(s) ? `${s}s` : `${Number(s.toFixed(3))}s`;
  if (h > 0) return `${h}h${m}m${sec}`;
  if (m > 0) return `${m}m${sec}`;
  return sec;
}
