/**
 * Test support only (imported by *.test.ts): a ControllerContext over a real in-process
 * API server, and a stand-in for the kubelet that marks pods Running and Ready by
 * patching their status, so workload controllers can be driven end to end.
 */
import { EventRecorder } from '../../client/events.js';
import { SharedInformerFactory } from '../../client/informer.js';
import type { RestClient } from '../../client/rest.js';
import { startTestEnv, type TestEnv } from '../../client/testenv.js';
import type { KubeObject } from '../../client/types.js';
import { realClock, rfc3339, type Clock } from '../../util/clock.js';
import type { Controller, ControllerContext } from '../types.js';
import type { Pod } from './podutil.js';

export interface Harness {
  env: TestEnv;
  client: RestClient;
  ctx: ControllerContext;
  logs: string[];
  /** init()s the controllers, starts informers, waits for sync, runs them. */
  run(controllers: Controller[], workers?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startHarness(opts: { clock?: Clock; env?: TestEnv } = {}): Promise<Harness> {
  const env = opts.env ?? (await startTestEnv());
  const client = env.client();
  const clock = opts.clock ?? realClock;
  const informers = new SharedInformerFactory({ client, clock });
  const recorders: EventRecorder[] = [];
  const logs: string[] = [];
  const ctx: ControllerContext = {
    client,
    informers,
    clock,
    recorder(component) {
      const r = new EventRecorder({ client, component, clock, log: () => undefined });
      recorders.push(r);
      return r;
    },
    log: (controller, message) => logs.push(`${controller}: ${message}`),
  };
  const running: Controller[] = [];
  return {
    env,
    client,
    ctx,
    logs,
    async run(controllers, workers = 2) {
      for (const c of controllers) c.init?.();
      informers.start();
      if (!(await informers.waitForCacheSync(10_000))) throw new Error('informers did not sync');
      for (const c of controllers) {
        await c.run(workers);
        running.push(c);
      }
    },
    async close() {
      for (const c of running) await c.stop();
      await informers.shutdown();
      for (const r of recorders) await r.shutdown();
      if (opts.env === undefined) await env.close();
    },
  };
}

export const PODS = { group: '', version: 'v1', resource: 'pods' };

/** Patches a pod's status to Running and Ready (what a kubelet would report). */
export async function makePodReady(client: RestClient, pod: KubeObject, now = Date.now()): Promise<void> {
  await client.patch(
    { ...PODS, namespace: pod.metadata?.namespace, name: pod.metadata?.name ?? '', subresource: 'status' },
    'merge',
    { status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: rfc3339(now) }] } },
  );
}

/**
 * A fake kubelet: every pod that appears (and is not being deleted) is made Running and
 * Ready, unless skip(pod) says otherwise. Returns a stop function.
 */
export function startPodReadier(client: RestClient, skip: (pod: Pod) => boolean = () => false): { stop(): Promise<void>; paused: { value: boolean } } {
  const factory = new SharedInformerFactory({ client });
  const inf = factory.forResource<Pod>(PODS);
  const done = new Set<string>();
  const paused = { value: false };
  const consider = (pod: Pod): void => {
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

/** Lists pods in namespace (optionally by label selector). */
export async function listPods(client: RestClient, namespace: string, labelSelector?: string): Promise<Pod[]> {
  return (await client.list<Pod>({ ...PODS, namespace }, labelSelector !== undefined ? { labelSelector } : {})).items;
}
