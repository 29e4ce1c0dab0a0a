/**
 * Test support only (imported by *.test.ts of the node controllers): an in-process API
 * server whose clock is a FakeClock shared with the controllers, a ControllerContext
 * over it, and small builders for nodes, leases and pods.
 */
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { EventRecorder, type CoreEvent } from '../../client/events.js';
import { SharedInformerFactory } from '../../client/informer.js';
import type { RestClient } from '../../client/rest.js';
import { startTestEnv, type TestEnv } from '../../client/testenv.js';
import type { KubeObject } from '../../client/types.js';
import type { AdmissionPlugin } from '../../apiserver/admission/admission.js';
import { FakeClock, rfc3339 } from '../../util/clock.js';
import type { Controller, ControllerContext } from '../types.js';

export const NODES = { group: '', version: 'v1', resource: 'nodes' } as const;
export const PODS = { group: '', version: 'v1', resource: 'pods' } as const;
export const LEASES = { group: 'coordination.k8s.io', version: 'v1', resource: 'leases' } as const;
export const EVENTS = { group: '', version: 'v1', resource: 'events' } as const;

export interface ControllerTestEnv {
  env: TestEnv;
  clock: FakeClock;
  client: RestClient;
  informers: SharedInformerFactory;
  ctx: ControllerContext;
  logs: string[];
  /** init() every controller, start the informers, wait for sync, run(workers). */
  start(...controllers: Controller[]): Promise<void>;
  close(): Promise<void>;
}

export async function startControllerEnv(opts: { admissionPlugins?: AdmissionPlugin[] } = {}): Promise<ControllerTestEnv> {
  const clock = new FakeClock();
  const env = await startTestEnv({ clock, ...(opts.admissionPlugins ? { admissionPlugins: opts.admissionPlugins } : {}) });
  const client = env.client();
  const informers = new SharedInformerFactory({ client, clock });
  const logs: string[] = [];
  const recorders: EventRecorder[] = [];
  const ctx: ControllerContext = {
    client,
    informers,
    clock,
    recorder(component) {
      const r = new EventRecorder({ client, component, clock, log: (m) => logs.push(`recorder: ${m}`) });
      recorders.push(r);
      return r;
    },
    log(controller, message) {
      logs.push(`${controller}: ${message}`);
    },
  };
  const started: Controller[] = [];
  return {
    env,
    clock,
    client,
    informers,
    ctx,
    logs,
    async start(...controllers) {
      for (const c of controllers) c.init?.();
      informers.start();
      if (!(await informers.waitForCacheSync(5_000))) throw new Error('informers did not sync');
      for (const c of controllers) {
        started.push(c);
        await c.run(2);
      }
    },
    async close() {
      for (const c of started) await c.stop();
      await informers.shutdown();
      for (const r of recorders) await r.shutdown();
      await env.close();
    },
  };
}

export function readyNode(name: string, now: number, extra: { labels?: Record<string, string>; unschedulable?: boolean } = {}): Node {
  const t = rfc3339(now);
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, ...(extra.labels ? { labels: extra.labels } : {}) },
    spec: extra.unschedulable ? { unschedulable: true } : {},
    status: {
      conditions: [
        { type: 'MemoryPressure', status: 'False', reason: 'KubeletHasSufficientMemory', message: 'ok', lastHeartbeatTime: t, lastTransitionTime: t },
        { type: 'DiskPressure', status: 'False', reason: 'KubeletHasNoDiskPressure', message: 'ok', lastHeartbeatTime: t, lastTransitionTime: t },
        { type: 'PIDPressure', status: 'False', reason: 'KubeletHasSufficientPID', message: 'ok', lastHeartbeatTime: t, lastTransitionTime: t },
        { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status', lastHeartbeatTime: t, lastTransitionTime: t },
      ],
    },
  };
}

/** A Lease renewTime (MicroTime) for ms. */
export function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

export async function createNode(c: RestClient, node: Node): Promise<Node> {
  return (await c.create(NODES, node as unknown as KubeObject)) as unknown as Node;
}

export async function getNode(c: RestClient, name: string): Promise<Node> {
  return (await c.get({ ...NODES, name })) as unknown as Node;
}

/** Changes a node with fn (retrying conflicts): the test playing kubelet or kubectl. */
export async function editNode(c: RestClient, name: string, fn: (n: Node) => void, status = false): Promise<Node> {
  for (let i = 0; ; i++) {
    const n = await getNode(c, name);
    fn(n);
    try {
      const ref = status ? { ...NODES, subresource: 'status' } : NODES;
      return (await c.update(ref, n as unknown as KubeObject)) as unknown as Node;
    } catch (e) {
      if (i > 5) throw e;
    }
  }
}

/** Creates or renews the node's Lease in kube-node-lease, as the kubelet does. */
export async function renewLease(c: RestClient, name: string, now: number): Promise<void> {
  const ref = { ...LEASES, namespace: 'kube-node-lease' };
  let lease: KubeObject | undefined;
  try {
    lease = await c.get({ ...ref, name });
  } catch {
    lease = undefined;
  }
  if (lease === undefined) {
    await c.create(ref, {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name, namespace: 'kube-node-lease' },
      spec: { holderIdentity: name, leaseDurationSeconds: 40, renewTime: microTime(now) },
    });
    return;
  }
  (lease['spec'] as Record<string, unknown>)['renewTime'] = microTime(now);
  await c.update(ref, lease);
}

/** The kubelet posting status: every condition's heartbeat moves to now, Ready as given. */
export async function postStatus(c: RestClient, name: string, now: number, ready: 'True' | 'False' = 'True'): Promise<Node> {
  const t = rfc3339(now);
  const healthy: Record<string, string> = { MemoryPressure: 'False', DiskPressure: 'False', PIDPressure: 'False', Ready: ready };
  return editNode(
    c,
    name,
    (n) => {
      for (const cond of n.status?.conditions ?? []) {
        const want = healthy[cond.type];
        if (want === undefined) continue;
        const mut = cond as { status: string; lastHeartbeatTime?: string; lastTransitionTime?: string; reason?: string; message?: string };
        if (mut.status !== want) {
          mut.status = want;
          mut.lastTransitionTime = t;
          mut.reason = cond.type === 'Ready' ? (want === 'True' ? 'KubeletReady' : 'KubeletNotReady') : 'KubeletHasNoPressure';
          mut.message = 'posted by the test';
        }
        mut.lastHeartbeatTime = t;
      }
    },
    true,
  );
}

export function podOn(name: string, nodeName: string, tolerations?: NonNullable<Pod['spec']>['tolerations']): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default' },
    spec: { nodeName, containers: [{ name: 'c', image: 'busybox' }], ...(tolerations ? { tolerations } : {}) },
  };
}

/** Creates a pod bound to a node and, as its kubelet would, marks it Running and Ready. */
export async function createRunningPod(c: RestClient, pod: Pod, now: number): Promise<Pod> {
  const created = await c.create(PODS, pod as unknown as KubeObject);
  const t = rfc3339(now);
  created['status'] = {
    phase: 'Running',
    conditions: [
      { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: t },
      { type: 'Ready', status: 'True', lastProbeTime: null, lastTransitionTime: t },
    ],
  };
  return (await c.updateStatus(PODS, created)) as unknown as Pod;
}

export async function getPod(c: RestClient, name: string): Promise<Pod | undefined> {
  try {
    return (await c.get({ ...PODS, namespace: 'default', name })) as unknown as Pod;
  } catch {
    return undefined;
  }
}

/** Deleted or being deleted. */
export async function podGone(c: RestClient, name: string): Promise<boolean> {
  const p = await getPod(c, name);
  return p === undefined || p.metadata?.deletionTimestamp !== undefined;
}

export async function events(c: RestClient, namespace: string): Promise<CoreEvent[]> {
  return (await c.list<CoreEvent>({ ...EVENTS, namespace })).items;
}
