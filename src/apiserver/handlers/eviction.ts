/**
 * POST pods/<name>/eviction (policy/v1 Eviction): deletes a pod unless that would
 * break its PodDisruptionBudget, in which case the answer is 429 TooManyRequests with
 * a DisruptionBudget cause, which `kubectl drain` retries on. As upstream, a pod that
 * is terminal or already terminating is deleted without consulting budgets, and the
 * budget's disruptionsAllowed is spent (with the pod in status.disruptedPods) before the
 * pod is deleted, so two concurrent evictions cannot both pass.
 */
import { errors, StatusError } from '../../apimachinery/errors.js';
import { selectorFromLabelSelector, matches } from '../../apimachinery/labels.js';
import { findResource } from '../../api/resources.js';
import { rfc3339 } from '../../util/clock.js';
import type { Registry, DeleteOptions } from '../registry/store.js';
import type { KObject } from '../registry/strategy.js';
import { readBody } from '../http/body.js';
import { writeJSON } from '../http/respond.js';
import { decodeObject } from './decode.js';
import type { HandlerContext, ResourceRequest } from './resource.js';

const MAX_RETRIES = 5;

function budgetError(message: string, cause: string): StatusError {
  return new StatusError(429, 'TooManyRequests', message, { causes: [{ reason: 'DisruptionBudget', message: cause }], retryAfterSeconds: 10 });
}

export async function evictPod(ctx: HandlerContext, r: ResourceRequest, pods: Registry): Promise<void> {
  const body = await readBody(r.req);
  const eviction = body.length > 0 ? decodeObject(r.req.headers['content-type'], body, undefined) : {};
  if (eviction.kind !== undefined && eviction.kind !== 'Eviction') throw errors.badRequest(`expected Eviction, got ${String(eviction.kind)}`);
  const name = r.info.name;
  const evictName = eviction.metadata?.name as string | undefined;
  if (evictName !== undefined && evictName !== '' && evictName !== name) {
    throw errors.badRequest(`name in URL does not match name in Eviction object`);
  }
  const ns = r.info.namespace;
  const delOpts: DeleteOptions = {};
  const d = eviction.deleteOptions as Record<string, unknown> | undefined;
  if (d !== undefined && d !== null) {
    if (typeof d.gracePeriodSeconds === 'number') delOpts.gracePeriodSeconds = d.gracePeriodSeconds;
    if (Array.isArray(d.dryRun) && d.dryRun.includes('All')) delOpts.dryRun = true;
    const pre = d.preconditions as Record<string, string> | undefined;
    if (pre) delOpts.preconditions = { ...(pre.uid ? { uid: pre.uid } : {}), ...(pre.resourceVersion ? { resourceVersion: pre.resourceVersion } : {}) };
  }
  if (r.query.getAll('dryRun').includes('All')) delOpts.dryRun = true;

  const pdbs = ctx.registryFor(findResource('policy', 'v1', 'poddisruptionbudgets')!);
  for (let attempt = 0; attempt < MAX_RETRIES; attempt++) {
    const pod = await pods.get(ns, name);
    const phase = (pod.status as Record<string, unknown> | undefined)?.phase;
    const terminating = pod.metadata?.deletionTimestamp !== undefined;
    if (!(phase === 'Succeeded' || phase === 'Failed' || phase === 'Pending' || terminating)) {
      const labels = (pod.metadata?.labels as Record<string, string> | undefined) ?? {};
      const matching = (await pdbs.list({ namespace: ns })).items.filter((p) => {
        const sel = (p.spec as Record<string, unknown> | undefined)?.selector;
        if (sel === undefined || sel === null) return false;
        return matches(selectorFromLabelSelector(sel), labels);
      });
      if (matching.length > 1) {
        throw errors.internal('This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.');
      }
      if (matching.length === 1) {
        const ok = await spendBudget(ctx, pdbs, matching[0]!, name, delOpts.dryRun ?? false);
        if (!ok) continue;
      }
    }
    await pods.delete(ns, name, delOpts);
    writeJSON(r.res, 201, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
    return;
  }
  throw errors.conflict({ group: 'policy', resource: 'poddisruptionbudgets' }, '', 'the budget kept changing; try again');
}

/** Returns false on a write conflict (the caller retries), throws 429 when the budget is spent. */
async function spendBudget(ctx: HandlerContext, pdbs: Registry, pdb: KObject, podName: string, dryRun: boolean): Promise<boolean> {
  const name = pdb.metadata?.name as string;
  const status = (pdb.status ?? {}) as Record<string, any>;
  const generation = (pdb.metadata?.generation as number | undefined) ?? 0;
  if ((status.observedGeneration ?? 0) < generation) {
    throw budgetError('Cannot evict pod as it would violate the pod\'s disruption budget.', `The disruption budget ${name} is still being processed by the server.`);
  }
  const allowed = (status.disruptionsAllowed as number | undefined) ?? 0;
  if (allowed <= 0) {
    throw budgetError(
      'Cannot evict pod as it would violate the pod\'s disruption budget.',
      `The disruption budget ${name} needs ${status.desiredHealthy ?? 0} healthy pods and has ${status.currentHealthy ?? 0} currently`,
    );
  }
  if (dryRun) return true;
  const next = structuredClone(pdb);
  const ns = next.status as Record<string, any>;
  ns.disruptionsAllowed = allowed - 1;
  ns.disruptedPods = { ...(ns.disruptedPods ?? {}), [podName]: rfc3339(ctx.clock.now()) };
  try {
    await pdbs.update(pdb.metadata?.namespace as string, name, next, { subresource: 'status' });
    return true;
  } catch (e) {
    if (e instanceof StatusError && e.reason === 'Conflict') return false;
    throw e;
  }
}
