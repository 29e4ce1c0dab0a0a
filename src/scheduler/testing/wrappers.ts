/**
 * Test builders for pods and nodes (upstream pkg/scheduler/testing/wrappers.go), plus a
 * fake SchedulerAPI and listers. Test support only: imported by *.test.ts and the bench.
 */
import type {
  Container,
  Namespace,
  Node,
  NodeSelectorRequirement,
  Pod,
  PodAffinityTerm,
  ReplicationController,
  Service,
  Taint,
  Toleration,
  TopologySpreadConstraint,
} from 'kubernetes-types/core/v1.js';
import type { ReplicaSet, StatefulSet } from 'kubernetes-types/apps/v1.js';
import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1.js';
import type { LabelSelector } from 'kubernetes-types/meta/v1.js';
import type { PodConditionUpdate, SchedulerAPI, SchedulerListers } from '../framework/interface.js';

let uidCounter = 0;

export class PodWrapper {
  readonly pod: Pod;
  constructor(name: string) {
    this.pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', uid: `uid-${name}-${++uidCounter}`, labels: {} }, spec: { containers: [] }, status: { phase: 'Pending' } };
  }
  private get spec(): NonNullable<Pod['spec']> {
    return this.pod.spec as NonNullable<Pod['spec']>;
  }
  namespace(ns: string): this {
    this.pod.metadata!.namespace = ns;
    return this;
  }
  uid(uid: string): this {
    (this.pod.metadata as Record<string, unknown>)['uid'] = uid;
    return this;
  }
  label(k: string, v: string): this {
    this.pod.metadata!.labels![k] = v;
    return this;
  }
  labels(l: Record<string, string>): this {
    Object.assign(this.pod.metadata!.labels!, l);
    return this;
  }
  node(name: string): this {
    this.spec.nodeName = name;
    return this;
  }
  priority(p: number): this {
    this.spec.priority = p;
    return this;
  }
  schedulerName(n: string): this {
    this.spec.schedulerName = n;
    return this;
  }
  /** Adds a container with these requests (cpu/memory/...). */
  req(requests: Record<string, string>, extra: Partial<Container> = {}): this {
    this.spec.containers.push({ name: `c${this.spec.containers.length}`, image: 'img', resources: { requests }, ...extra });
    return this;
  }
  container(c: Partial<Container> = {}): this {
    this.spec.containers.push({ name: `c${this.spec.containers.length}`, image: 'img', ...c });
    return this;
  }
  initReq(requests: Record<string, string>, restartPolicy?: 'Always'): this {
    this.spec.initContainers ??= [];
    this.spec.initContainers.push({ name: `i${this.spec.initContainers.length}`, image: 'img', resources: { requests }, ...(restartPolicy ? { restartPolicy } : {}) });
    return this;
  }
  overhead(o: Record<string, string>): this {
    this.spec.overhead = o;
    return this;
  }
  hostPort(port: number, protocol = 'TCP', hostIP = ''): this {
    this.spec.containers.push({ name: `p${this.spec.containers.length}`, image: 'img', ports: [{ containerPort: port, hostPort: port, protocol, ...(hostIP ? { hostIP } : {}) }] });
    return this;
  }
  nodeSelector(s: Record<string, string>): this {
    this.spec.nodeSelector = s;
    return this;
  }
  toleration(t: Toleration): this {
    (this.spec.tolerations ??= []).push(t);
    return this;
  }
  nodeAffinityIn(key: string, values: string[]): this {
    return this.nodeAffinityTerm([{ key, operator: 'In', values }]);
  }
  /** Adds a required node selector term (terms are ORed). */
  nodeAffinityTerm(exprs: NodeSelectorRequirement[], fields: NodeSelectorRequirement[] = []): this {
    const na = ((this.spec.affinity ??= {}).nodeAffinity ??= {});
    const req = (na.requiredDuringSchedulingIgnoredDuringExecution ??= { nodeSelectorTerms: [] });
    req.nodeSelectorTerms.push({ ...(exprs.length ? { matchExpressions: exprs } : {}), ...(fields.length ? { matchFields: fields } : {}) });
    return this;
  }
  preferredNodeAffinity(weight: number, exprs: NodeSelectorRequirement[]): this {
    const na = ((this.spec.affinity ??= {}).nodeAffinity ??= {});
    (na.preferredDuringSchedulingIgnoredDuringExecution ??= []).push({ weight, preference: { matchExpressions: exprs } });
    return this;
  }
  podAffinity(topologyKey: string, selector: LabelSelector, extra: Partial<PodAffinityTerm> = {}): this {
    const pa = ((this.spec.affinity ??= {}).podAffinity ??= {});
    (pa.requiredDuringSchedulingIgnoredDuringExecution ??= []).push({ topologyKey, labelSelector: selector, ...extra });
    return this;
  }
  podAntiAffinity(topologyKey: string, selector: LabelSelector, extra: Partial<PodAffinityTerm> = {}): this {
    const pa = ((this.spec.affinity ??= {}).podAntiAffinity ??= {});
    (pa.requiredDuringSchedulingIgnoredDuringExecution ??= []).push({ topologyKey, labelSelector: selector, ...extra });
    return this;
  }
  preferredPodAffinity(weight: number, topologyKey: string, selector: LabelSelector): this {
    const pa = ((this.spec.affinity ??= {}).podAffinity ??= {});
    (pa.preferredDuringSchedulingIgnoredDuringExecution ??= []).push({ weight, podAffinityTerm: { topologyKey, labelSelector: selector } });
    return this;
  }
  preferredPodAntiAffinity(weight: number, topologyKey: string, selector: LabelSelector): this {
    const pa = ((this.spec.affinity ??= {}).podAntiAffinity ??= {});
    (pa.preferredDuringSchedulingIgnoredDuringExecution ??= []).push({ weight, podAffinityTerm: { topologyKey, labelSelector: selector } });
    return this;
  }
  spread(maxSkew: number, topologyKey: string, when: 'DoNotSchedule' | 'ScheduleAnyway', selector: LabelSelector | undefined, extra: Partial<TopologySpreadConstraint> = {}): this {
    (this.spec.topologySpreadConstraints ??= []).push({ maxSkew, topologyKey, whenUnsatisfiable: when, ...(selector ? { labelSelector: selector } : {}), ...extra });
    return this;
  }
  terminationGracePeriodSeconds(s: number): this {
    this.spec.terminationGracePeriodSeconds = s;
    return this;
  }
  schedulingGates(...names: string[]): this {
    this.spec.schedulingGates = names.map((name) => ({ name }));
    return this;
  }
  preemptionPolicy(p: 'Never' | 'PreemptLowerPriority'): this {
    this.spec.preemptionPolicy = p;
    return this;
  }
  nominatedNodeName(n: string): this {
    this.pod.status!.nominatedNodeName = n;
    return this;
  }
  startTime(iso: string): this {
    this.pod.status!.startTime = iso;
    return this;
  }
  terminating(): this {
    (this.pod.metadata as Record<string, unknown>)['deletionTimestamp'] = '2024-01-01T00:00:00Z';
    return this;
  }
  phase(p: string): this {
    this.pod.status!.phase = p;
    return this;
  }
  ownerReference(kind: string, name: string, apiVersion = 'apps/v1'): this {
    this.pod.metadata!.ownerReferences = [{ apiVersion, kind, name, uid: `owner-${name}`, controller: true }];
    return this;
  }
  obj(): Pod {
    return this.pod;
  }
}

export const makePod = (name: string): PodWrapper => new PodWrapper(name);

export class NodeWrapper {
  readonly node: Node;
  constructor(name: string) {
    this.node = {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name, labels: { 'kubernetes.io/hostname': name } },
      spec: {},
      status: { allocatable: { pods: '110' }, capacity: { pods: '110' } },
    };
  }
  label(k: string, v: string): this {
    this.node.metadata!.labels![k] = v;
    return this;
  }
  labels(l: Record<string, string>): this {
    Object.assign(this.node.metadata!.labels!, l);
    return this;
  }
  /** Sets allocatable (and capacity); pods defaults to 110 unless given. */
  capacity(c: Record<string, string>): this {
    const all = { pods: '110', ...c };
    this.node.status!.allocatable = { ...all };
    this.node.status!.capacity = { ...all };
    return this;
  }
  taint(t: Taint): this {
    (this.node.spec!.taints ??= []).push(t);
    return this;
  }
  unschedulable(u = true): this {
    this.node.spec!.unschedulable = u;
    return this;
  }
  zone(z: string): this {
    return this.label('topology.kubernetes.io/zone', z);
  }
  obj(): Node {
    return this.node;
  }
}

export const makeNode = (name: string): NodeWrapper => new NodeWrapper(name);

export interface RecordedEvent {
  pod: string;
  type: string;
  reason: string;
  message: string;
}

/** An in-memory SchedulerAPI that records what the scheduler did. */
export class FakeAPI implements SchedulerAPI {
  bindings: { pod: string; node: string }[] = [];
  statusUpdates: { pod: string; condition?: PodConditionUpdate; nominatedNodeName?: string }[] = [];
  deleted: string[] = [];
  events: RecordedEvent[] = [];
  /** Make bind fail with this error once set. */
  bindError: Error | undefined;
  /** Called after each successful bind/delete/status write (to feed informer-like events back). */
  onBind: ((pod: Pod, node: string) => void) | undefined;
  onDelete: ((pod: Pod) => void) | undefined;
  onStatus: ((pod: Pod, u: { condition?: PodConditionUpdate; nominatedNodeName?: string }) => void) | undefined;

  bind(pod: Pod, nodeName: string): Promise<void> {
    if (this.bindError !== undefined) return Promise.reject(this.bindError);
    this.bindings.push({ pod: key(pod), node: nodeName });
    this.onBind?.(pod, nodeName);
    return Promise.resolve();
  }
  updatePodStatus(pod: Pod, u: { condition?: PodConditionUpdate; nominatedNodeName?: string }): Promise<void> {
    this.statusUpdates.push({ pod: key(pod), ...u });
    this.onStatus?.(pod, u);
    return Promise.resolve();
  }
  deletePod(pod: Pod): Promise<void> {
    this.deleted.push(key(pod));
    this.onDelete?.(pod);
    return Promise.resolve();
  }
  event(regarding: Pod, _related: Pod | undefined, type: 'Normal' | 'Warning', reason: string, _action: string, message: string): void {
    this.events.push({ pod: key(regarding), type, reason, message });
  }
}

function key(p: Pod): string {
  return `${p.metadata?.namespace ?? ''}/${p.metadata?.name ?? ''}`;
}

/** Listers over plain arrays. */
export class FakeListers implements SchedulerListers {
  pods = new Map<string, Pod>();
  pdbList: PodDisruptionBudget[] = [];
  namespaceList: Namespace[] = [];
  serviceList: Service[] = [];
  replicaSets: ReplicaSet[] = [];
  statefulSets: StatefulSet[] = [];
  rcs: ReplicationController[] = [];

  setPod(p: Pod): void {
    this.pods.set(key(p), p);
  }
  deletePod(p: Pod): void {
    this.pods.delete(key(p));
  }
  pod(namespace: string, name: string): Pod | undefined {
    return this.pods.get(`${namespace}/${name}`);
  }
  pdbs(): readonly PodDisruptionBudget[] {
    return this.pdbList;
  }
  namespace(name: string): Namespace | undefined {
    return this.namespaceList.find((n) => n.metadata?.name === name);
  }
  namespaces(): readonly Namespace[] {
    return this.namespaceList;
  }
  services(namespace: string): readonly Service[] {
    return this.serviceList.filter((s) => (s.metadata?.namespace ?? '') === namespace);
  }
  replicaSet(namespace: string, name: string): ReplicaSet | undefined {
    return this.replicaSets.find((s) => s.metadata?.namespace === namespace && s.metadata?.name === name);
  }
  statefulSet(namespace: string, name: string): StatefulSet | undefined {
    return this.statefulSets.find((s) => s.metadata?.namespace === namespace && s.metadata?.name === name);
  }
  replicationController(namespace: string, name: string): ReplicationController | undefined {
    return this.rcs.find((s) => s.metadata?.namespace === namespace && s.metadata?.name === name);
  }
}
