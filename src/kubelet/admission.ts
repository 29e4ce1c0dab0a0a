/**
 * Pod admission on the node, as upstream's lifecycle/predicate.go: before running a
 * pod the agent checks it against the node and the pods already admitted, and
 * rejects it (phase Failed, reason, "Pod was rejected: <message>") when:
 *
 *   PodOSSelectorNodeLabelDoesNotMatch  the pod's kubernetes.io/os label is not the node's OS
 *   PodOSNotSupported                   spec.os.name is not linux
 *   OutOfpods / OutOfcpu / OutOfmemory / OutOfephemeral-storage / OutOf<resource>
 *        "Node didn't have enough resource: cpu, requested: 5000, used: 0, capacity: 4000"
 *        (cpu in millicores, the rest in units; extended resources the node does not
 *        have are ignored, as upstream)
 *   NodeAffinity   "Predicate NodeAffinity failed: node(s) didn't match Pod's node affinity/selector"
 *   NodeName       the pod names another node
 *   NodePorts      a hostPort is taken by an admitted pod
 *   TaintToleration  an untolerated NoExecute taint (the only effect the kubelet checks)
 *
 * The first failing check gives the reason, resources first, as upstream's
 * AdmissionCheck orders them.
 */
import { podMatchesNodeSelectorAndAffinityTerms } from '../api/nodeaffinity.js';
import type { Container, Node, Pod } from 'kubernetes-types/core/v1.js';
import { findUntoleratedTaint } from '../api/tolerations.js';
import { quantityMilliValue, quantityValue } from '../apimachinery/quantity.js';
import { isSidecar } from './types.js';

export type AdmitResult = { admit: true } | { admit: false; reason: string; message: string };

/** Resource amounts: cpu in millicores, everything else in whole units. */
export type ResourceAmounts = Map<string, number>;

function amount(name: string, q: string | number): number {
  const s = String(q);
  try {
    return name === 'cpu' ? quantityMilliValue(s) : quantityValue(s);
  } catch {
    return 0;
  }
}

function add(into: ResourceAmounts, list: Record<string, string | number> | undefined): void {
  for (const [k, v] of Object.entries(list ?? {})) into.set(k, (into.get(k) ?? 0) + amount(k, v));
}

function max(into: ResourceAmounts, other: ResourceAmounts): void {
  for (const [k, v] of other) if (v > (into.get(k) ?? 0)) into.set(k, v);
}

function requestsOf(c: Container): Record<string, string | number> | undefined {
  return c.resources?.requests as Record<string, string | number> | undefined;
}

/** What a pod asks for (upstream resource.PodRequests): regular + sidecars, or the largest init step, plus overhead. */
export function podRequests(pod: Pod): ResourceAmounts {
  const reqs: ResourceAmounts = new Map();
  for (const c of pod.spec?.containers ?? []) add(reqs, requestsOf(c));
  const sidecars: ResourceAmounts = new Map();
  const initMax: ResourceAmounts = new Map();
  for (const c of pod.spec?.initContainers ?? []) {
    if (isSidecar(c)) {
      add(reqs, requestsOf(c));
      add(sidecars, requestsOf(c));
      max(initMax, sidecars);
    } else {
      const step: ResourceAmounts = new Map(sidecars);
      add(step, requestsOf(c));
      max(initMax, step);
    }
  }
  max(reqs, initMax);
  add(reqs, pod.spec?.overhead as Record<string, string> | undefined);
  return reqs;
}

function nodeAllocatable(node: Node): ResourceAmounts {
  const out: ResourceAmounts = new Map();
  add(out, node.status?.allocatable as Record<string, string> | undefined);
  return out;
}

const STANDARD = ['cpu', 'memory', 'ephemeral-storage'];

/** spec.nodeSelector and required node affinity (upstream RequiredNodeAffinity.Match). */
export const nodeAffinityMatches = podMatchesNodeSelectorAndAffinityTerms;

interface HostPort {
  ip: string;
  protocol: string;
  port: number;
}

function hostPorts(pod: Pod): HostPort[] {
  const out: HostPort[] = [];
  for (const c of [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])]) {
    for (const p of c.ports ?? []) {
      if (p.hostPort === undefined || p.hostPort <= 0) continue;
      out.push({ ip: p.hostIP === undefined || p.hostIP === '' ? '0.0.0.0' : p.hostIP, protocol: p.protocol ?? 'TCP', port: p.hostPort });
    }
  }
  return out;
}

function portsConflict(a: HostPort, b: HostPort): boolean {
  return a.port === b.port && a.protocol === b.protocol && (a.ip === b.ip || a.ip === '0.0.0.0' || b.ip === '0.0.0.0');
}

/** Checks pod against node and the pods already admitted there (not counting pod itself). */
export function admitPod(pod: Pod, node: Node, admitted: readonly Pod[]): AdmitResult {
  const nodeOS = node.metadata?.labels?.['kubernetes.io/os'] ?? 'linux';
  const podOS = pod.metadata?.labels?.['kubernetes.io/os'];
  if (podOS !== undefined && podOS !== nodeOS) {
    return { admit: false, reason: 'PodOSSelectorNodeLabelDoesNotMatch', message: "Failed to admit pod as the `kubernetes.io/os` label doesn't match node label" };
  }
  const specOS = pod.spec?.os?.name;
  if (specOS !== undefined && specOS !== 'linux') {
    return { admit: false, reason: 'PodOSNotSupported', message: "Failed to admit pod as the OS field doesn't match node OS" };
  }

  const alloc = nodeAllocatable(node);
  // Pod count first, as upstream's fit check.
  const maxPods = alloc.get('pods');
  if (maxPods !== undefined && admitted.length + 1 > maxPods) {
    return insufficient('pods', 1, admitted.length, maxPods);
  }
  const want = podRequests(pod);
  const used: ResourceAmounts = new Map();
  for (const p of admitted) for (const [k, v] of podRequests(p)) used.set(k, (used.get(k) ?? 0) + v);
  const names = [...STANDARD, ...[...want.keys()].filter((k) => !STANDARD.includes(k) && k !== 'pods').sort()];
  for (const r of names) {
    const w = want.get(r) ?? 0;
    if (w <= 0) continue;
    const cap = alloc.get(r);
    if (cap === undefined) {
      if (STANDARD.includes(r)) return insufficient(r, w, used.get(r) ?? 0, 0);
      continue; // an extended resource the node does not have: not the kubelet's business
    }
    const u = used.get(r) ?? 0;
    if (w > cap - u) return insufficient(r, w, u, cap);
  }

  if (!nodeAffinityMatches(pod, node)) return predicate('NodeAffinity', "node(s) didn't match Pod's node affinity/selector");
  const nodeName = pod.spec?.nodeName;
  if (nodeName !== undefined && nodeName !== '' && nodeName !== node.metadata?.name) return predicate('NodeName', "node(s) didn't match the requested node name");
  const mine = hostPorts(pod);
  if (mine.length > 0) {
    const taken = admitted.flatMap(hostPorts);
    if (mine.some((a) => taken.some((b) => portsConflict(a, b)))) return predicate('NodePorts', "node(s) didn't have free ports for the requested pod ports");
  }
  if (findUntoleratedTaint(node.spec?.taints, pod.spec?.tolerations, (t) => t.effect === 'NoExecute') !== undefined) {
    return predicate('TaintToleration', "node(s) had taints that the pod didn't tolerate");
  }
  return { admit: true };
}

function insufficient(resource: string, requested: number, used: number, capacity: number): AdmitResult {
  return {
    admit: false,
    reason: `OutOf${resource}`,
    message: `Node didn't have enough resource: ${resource}, requested: ${requested}, used: ${used}, capacity: ${capacity}`,
  };
}

function predicate(name: string, desc: string): AdmitResult {
  return { admit: false, reason: name, message: `Predicate ${name} failed: ${desc}` };
}
