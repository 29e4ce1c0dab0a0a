/**
 * SchedulerAPI over the client layer: bindings, status writes and deletions through the
 * REST client, events through the client's EventRecorder.
 */
import type { Pod, PodCondition } from 'kubernetes-types/core/v1.js';
import { rfc3339, type Clock } from '../util/clock.js';
import type { EventRecorder } from '../client/events.js';
import { isConflict, isInvalid, isNotFound } from '../client/errors.js';
import type { RestClient } from '../client/rest.js';
import { resourcePath } from '../client/types.js';
import type { PodConditionUpdate, SchedulerAPI } from './framework/interface.js';

const PODS = { group: '', version: 'v1', resource: 'pods' } as const;

type PatchOp = { op: 'add' | 'replace' | 'test' | 'remove'; path: string; value?: unknown };

/** JSON-patch operations that set the condition (by type) and the nominated node on the pod as we know it. */
export function statusPatch(pod: Pod, update: { condition?: PodConditionUpdate; nominatedNodeName?: string }, now: number): PatchOp[] {
  const ops: PatchOp[] = [];
  if (pod.status === undefined || pod.status === null) ops.push({ op: 'add', path: '/status', value: {} });
  const c = update.condition;
  if (c !== undefined) {
    const conds = pod.status?.conditions;
    const idx = conds === undefined ? -1 : conds.findIndex((x) => x.type === c.type);
    const old = idx >= 0 ? (conds as PodCondition[])[idx] : undefined;
    const value: PodCondition = {
      type: c.type,
      status: c.status,
      lastProbeTime: null as unknown as string,
      lastTransitionTime: old !== undefined && old.status === c.status && old.lastTransitionTime !== undefined ? old.lastTransitionTime : rfc3339(now),
      ...(c.reason !== undefined ? { reason: c.reason } : {}),
      ...(c.message !== undefined ? { message: c.message } : {}),
    };
    if (conds === undefined || conds === null) ops.push({ op: 'add', path: '/status/conditions', value: [value] });
    else if (idx < 0) ops.push({ op: 'add', path: '/status/conditions/-', value });
    else ops.push({ op: 'test', path: `/status/conditions/${idx}/type`, value: c.type }, { op: 'replace', path: `/status/conditions/${idx}`, value });
  }
  if (update.nominatedNodeName !== undefined) ops.push({ op: 'add', path: '/status/nominatedNodeName', value: update.nominatedNodeName });
  return ops;
}

export interface ClientSchedulerAPIOptions {
  client: RestClient;
  clock: Clock;
  recorder?: EventRecorder;
}

function ref(pod: Pod): { namespace: string; name: string } {
  return { namespace: pod.metadata?.namespace ?? '', name: pod.metadata?.name ?? '' };
}

export function clientSchedulerAPI(o: ClientSchedulerAPIOptions): SchedulerAPI {
  const { client, clock, recorder } = o;
  return {
    async bind(pod, nodeName) {
      const { namespace, name } = ref(pod);
      // create() posts to a collection; the binding subresource is addressed by pod name.
      await client.request('POST', resourcePath({ ...PODS, namespace, name, subresource: 'binding' }), {
        body: {
          apiVersion: 'v1',
          kind: 'Binding',
          metadata: { name, namespace, ...(pod.metadata?.uid !== undefined ? { uid: pod.metadata.uid } : {}) },
          target: { apiVersion: 'v1', kind: 'Node', name: nodeName },
        },
      });
    },

    async updatePodStatus(pod, update) {
      const { namespace, name } = ref(pod);
      const target = { ...PODS, namespace, name, subresource: 'status' };
      try {
        await client.patch(target, 'json', statusPatch(pod, update, clock.now()));
      } catch (e) {
        if (isNotFound(e)) return;
        if (!isInvalid(e) && !isConflict(e)) throw e;
        // Our copy was stale (a test op failed): patch against the current pod once.
        let fresh: Pod;
        try {
          fresh = (await client.get({ ...PODS, namespace, name })) as unknown as Pod;
        } catch (e2) {
          if (isNotFound(e2)) return;
          throw e2;
        }
        await client.patch(target, 'json', statusPatch(fresh, update, clock.now()));
      }
    },

    async deletePod(pod) {
      const { namespace, name } = ref(pod);
      try {
        await client.delete({ ...PODS, namespace, name });
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
    },

    event(regarding, _related, type, reason, _action, message) {
      if (recorder === undefined) return;
      const m = regarding.metadata ?? {};
      recorder.event(
        {
          kind: 'Pod',
          apiVersion: 'v1',
          ...(m.namespace !== undefined ? { namespace: m.namespace } : {}),
          ...(m.name !== undefined ? { name: m.name } : {}),
          ...(m.uid !== undefined ? { uid: m.uid } : {}),
          ...(m.resourceVersion !== undefined ? { resourceVersion: m.resourceVersion } : {}),
        },
        type,
        reason,
        message,
      );
    },
  };
}
