/**
 * The scale subresource: an autoscaling/v1 Scale view of a workload's replicas, so
 * `kubectl scale` and autoscalers work without knowing the workload's kind.
 */
import { errors } from '../../apimachinery/errors.js';
import type { Registry } from '../registry/store.js';
import type { KObject } from '../registry/strategy.js';
import { readBody } from '../http/body.js';
import { writeJSON } from '../http/respond.js';
import type { ResourceRequest } from './resource.js';
import { decodeObject, applyPatchBody, checkBodyMediaType, patchTypeOf } from './decode.js';
import { parseWriteOptions, methodNotAllowed, managerOf } from './options.js';
import { selectorToString } from './selectors.js';

export function toScale(obj: KObject): KObject {
  const m = obj.metadata ?? {};
  const spec = (obj.spec ?? {}) as Record<string, unknown>;
  const status = (obj.status ?? {}) as Record<string, unknown>;
  const sel = spec.selector;
  let selector = '';
  if (sel !== undefined && sel !== null && typeof sel === 'object') {
    // ReplicationControllers use a plain map; apps kinds use a LabelSelector.
    const s = sel as Record<string, unknown>;
    selector = s.matchLabels !== undefined || s.matchExpressions !== undefined ? selectorToString(s) : selectorToString({ matchLabels: s });
  }
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: {
      name: m.name,
      namespace: m.namespace,
      uid: m.uid,
      resourceVersion: m.resourceVersion,
      creationTimestamp: m.creationTimestamp,
    },
    spec: { replicas: (spec.replicas as number | undefined) ?? 0 },
    status: { replicas: (status.replicas as number | undefined) ?? 0, selector },
  };
}

export async function scaleHandler(r: ResourceRequest, registry: Registry, verb: string): Promise<void> {
  const ns = r.info.namespace;
  const name = r.info.name;
  if (verb === 'get') {
    writeJSON(r.res, 200, toScale(await registry.get(ns, name)));
    return;
  }
  if (verb !== 'update' && verb !== 'patch') throw methodNotAllowed();
  const contentType = r.req.headers['content-type'];
  if (verb === 'update') checkBodyMediaType(contentType);
  else patchTypeOf(contentType);
  const body = await readBody(r.req);
  const { dryRun } = parseWriteOptions(verb === 'update' ? 'UpdateOptions' : 'PatchOptions', r.query);
  const scaleInfo = { ...r.resource, group: 'autoscaling', version: 'v1', kind: 'Scale' };
  const out = await registry.guaranteedUpdate(
    ns,
    name,
    (cur) => {
      const current = toScale(cur);
      const desired = verb === 'update' ? decodeObject(contentType, body, scaleInfo) : applyPatchBody(contentType, body, current, scaleInfo);
      const rv = desired.metadata?.resourceVersion as string | undefined;
      const replicas = (desired.spec as Record<string, unknown> | undefined)?.replicas;
      if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) {
        throw errors.invalid('autoscaling', 'Scale', name, [
          { type: 'FieldValueInvalid', field: 'spec.replicas', value: replicas ?? null, detail: 'must be greater than or equal to 0' },
        ]);
      }
      (cur.spec as Record<string, unknown>).replicas = replicas;
      cur.metadata!.resourceVersion = rv !== undefined && rv !== '' ? rv : cur.metadata!.resourceVersion;
      return cur;
    },
    // Recorded as the writer's entry on the scale subresource, as upstream does.
    { dryRun, manager: managerOf(r.query, r.req.headers['user-agent']), subresource: 'scale' },
  );
  writeJSON(r.res, 200, toScale(out));
}
