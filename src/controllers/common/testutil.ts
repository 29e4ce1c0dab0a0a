/**
 * Test support only (imported by *.test.ts): a real in-process API server plus a
 * ControllerContext over it, so a controller test creates objects, runs the controller
 * and waits for the cluster to converge; and a stand-in for the kubelet that marks pods
 * Running and Ready.
 */
import { isConflict } from '../../client/errors.js';
import { EventRecorder } from '../../client/events.js';
import { SharedInformerFactory } from '../../client/informer.js';
import type { RestClient } from '../../client/rest.js';
import { startTestEnv, type TestEnv } from '../../client/testenv.js';
import type { GroupVersionResource, KubeObject } from '../../client/types.js';
import { realClock, rfc3339, type Clock } from '../../util/clock.js';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { Controller, ControllerContext } from '../types.js';
import { GVR, type Obj } from './types.js';

export interface ControllerTestEnv {
  env: TestEnv;
  client: RestClient;
  factory: SharedInformerFactory;
  ctx: ControllerContext;
  logs: string[];
  /** init()s the controllers, starts informers, waits for sync, runs them (with opts.workers workers each). */
  start(...controllers: Controller[]): Promise<void>;
  close(): Promise<void>;
}

export async function startControllerTestEnv(opts: { clock?: Clock; quiet?: boolean; workers?: number } = {}): Promise<ControllerTestEnv> {
  const env = await startTestEnv();
  const client = env.client();
  const clock = opts.clock ?? realClock;
  const factory = new SharedInformerFactory({ client });
  const logs: string[] = [];
  const recorders: EventRecorder[] = [];
  const controllers: Controller[] = [];
  const ctx: ControllerContext = {
    client,
    informers: factory,
    clock,
    recorder(component) {
      const r = new EventRecorder({ client, component, clock: realClock, log: () => {} });
      recorders.push(r);
      return r;
    },
    log(controller, message) {
      logs.push(`${controller}: ${message}`);
      if (opts.quiet === false) console.error(`${controller}: ${message}`);
    },
  };
  return {
    env,
    client,
    factory,
    ctx,
    logs,
    async start(...cs) {
      for (const c of cs) c.init?.();
      factory.start();
      if (!(await factory.waitForCacheSync(10_000))) throw new Error('informers did not sync');
      for (const c of cs) {
        controllers.push(c);
        await c.run(opts.workers ?? 2);
      }
    },
    async close() {
      for (const c of controllers) await c.stop();
      await factory.shutdown();
      for (const r of recorders) await r.shutdown();
      await env.close();
    },
  };
}

/** Polls fn until it returns a value other than undefined/false; throws after timeoutMs. */
export async function waitFor<T>(fn: () => T | undefined | false | Promise<T | undefined | false>, what: string, timeoutMs = 5_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined && v !== false) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export async function listObjects<T extends KubeObject>(client: RestClient, gvr: GroupVersionResource, namespace?: string, labelSelector?: string): Promise<T[]> {
  const l = await client.list<T>({ ...gvr, ...(namespace !== undefined ? { namespace } : {}) }, labelSelector ? { labelSelector } : undefined);
  return l.items;
}

/** Makes a pod Running and Ready (or not) through the status subresource, as a kubelet would. */
export async function setPodStatus(
  client: RestClient,
  namespace: string,
  name: string,
  s: { phase?: string; ready?: boolean; podIP?: string; restartCount?: number; readySince?: string },
): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    const pod = await client.get({ group: '', version: 'v1', resource: 'pods', namespace, name });
    const status = { ...((pod['status'] as Record<string, unknown> | undefined) ?? {}) };
    if (s.phase !== undefined) status['phase'] = s.phase;
    if (s.podIP !== undefined) {
      status['podIP'] = s.podIP;
      status['podIPs'] = [{ ip: s.podIP }];
    }
    if (s.ready !== undefined) {
      const t = s.readySince ?? new Date().toISOString().replace(/\.\d+Z$/, 'Z');
      status['conditions'] = [{ type: 'Ready', status: s.ready ? 'True' : 'False', lastTransitionTime: t }];
    }
    if (s.restartCount !== undefined) status['containerStatuses'] = [{ name: 'c', ready: s.ready ?? false, restartCount: s.restartCount, image: 'x', imageID: '' }];
    try {
      await client.updateStatus({ group: '', version: 'v1', resource: 'pods', namespace, name }, { ...pod, status });
      return;
    } catch (e) {
      // A controller changed the pod meanwhile (a finalizer, an owner): read it again.
      if (!isConflict(e) || attempt >= 5) throw e;
    }
  }
}

/** Patches a pod's status to Running and Ready (what a kubelet would report). */
export async function makePodReady(client: RestClient, pod: KubeObject, now = Date.now()): Promise<void> {
  await client.patch(
    { ...GVR.pods, namespace: pod.metadata?.namespace, name: pod.metadata?.name ?? '', subresource: 'status' },
    'merge',
    { status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: rfc3339(now) }] } },
  );
}

/**
 * A fake kubelet: every pod that appears (and is not being deleted) is made Running and
 * Ready, unless skip(pod) says otherwise. paused.value = true holds it back for a while.
 */
export function startPodReadier(client: RestClient, skip: (pod: Obj<Pod>) => boolean = () => false): { stop(): Promise<void>; paused: { value: boolean } } {
  const factory = new SharedInformerFactory({ client });
  const inf = factory.forResource<Obj<Pod>>(GVR.pods);
  const done = new Set<string>();
  const paused = { value: false };
  const consider = (pod: Obj<Pod>): void => {
    const uid = pod.metadata?.uid ?? '';
    if (paused.value || done.has(uid) || pod.metadata?.deletionTimestamp !== undefined || skip(pod)) return;
    if (pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')) return;
    done.add(uid);
    makePodReady(client, pod).catch(() => done.delete(uid));
  };
  inf.addEventHandler({ onAdd: consider, onUpdate: (_o, n) => consider(n) });
  factory.start();
  return { stop: () => factory.shutdown(), paused };
}
