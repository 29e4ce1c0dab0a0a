/**
 * The TTL-after-finished controller (upstream pkg/controller/ttlafterfinished):
 * deletes a finished Job (Complete or Failed) once .spec.ttlSecondsAfterFinished
 * have passed since it finished, with foreground propagation so its pods go first.
 * Before deleting it re-reads the Job from the server, in case the TTL was changed
 * meanwhile, and deletes with that resourceVersion as a precondition.
 */
import { isNotFound } from '../../client/errors.js';
import { splitMetaNamespaceKey } from '../../client/indexer.js';
import type { SharedInformer } from '../../client/informer.js';
import { KeyWorkers } from '../common/queue.js';
import { GVR } from '../common/types.js';
import { finishedCondition, isJobFinished, type JobObj } from '../job/utils.js';
import type { Controller, ControllerContext } from '../types.js';

export const CONTROLLER_NAME = 'ttl-after-finished';

function keyOf(obj: { metadata?: { namespace?: string; name?: string } }): string {
  return `${obj.metadata?.namespace ?? ''}/${obj.metadata?.name ?? ''}`;
}

/** The Job has a TTL and has finished (and is not already being deleted). */
export function needsCleanup(job: JobObj): boolean {
  const ttl = job.spec?.ttlSecondsAfterFinished;
  return ttl !== undefined && ttl !== null && isJobFinished(job) && (job.metadata?.deletionTimestamp ?? '') === '';
}

/** When the Job finished: its terminal condition's lastTransitionTime. Throws when unknown. */
export function jobFinishTime(job: JobObj): number {
  const c = finishedCondition(job);
  const t = c?.lastTransitionTime ? Date.parse(c.lastTransitionTime) : NaN;
  if (!Number.isFinite(t)) throw new Error(`unable to find the time when the Job ${job.metadata?.namespace}/${job.metadata?.name} finished`);
  return t;
}

/** Time left before the Job expires (<= 0: expired), or undefined when it needs no cleanup. */
export function timeLeft(job: JobObj, now: number): number | undefined {
  if (!needsCleanup(job)) return undefined;
  const expireAt = jobFinishTime(job) + (job.spec?.ttlSecondsAfterFinished ?? 0) * 1000;
  return expireAt - now;
}

export class TTLAfterFinishedController implements Controller {
  readonly name = CONTROLLER_NAME;
  private readonly workers: KeyWorkers;
  private readonly jobInformer: SharedInformer<JobObj>;
  private initialized = false;

  constructor(private readonly ctx: ControllerContext) {
    this.workers = new KeyWorkers({ name: CONTROLLER_NAME, ctx, sync: (k) => this.sync(k) });
    this.jobInformer = ctx.informers.forResource<JobObj>(GVR.jobs);
  }

  init(): void {
    if (this.initialized) return;
    this.initialized = true;
    const changed = (j: JobObj): void => {
      if (needsCleanup(j)) this.workers.add(keyOf(j));
    };
    this.jobInformer.addEventHandler({ onAdd: changed, onUpdate: (_o, j) => changed(j) });
  }

  run(workers: number): void {
    this.init();
    this.workers.run(workers);
  }

  async stop(): Promise<void> {
    await this.workers.stop();
  }

  async sync(key: string): Promise<void> {
    const { namespace, name } = splitMetaNamespaceKey(key);
    const cached = this.jobInformer.lister().get(namespace, name);
    if (cached === undefined) return;
    const left = timeLeft(cached, this.ctx.clock.now());
    if (left === undefined) return;
    if (left > 0) {
      this.workers.addAfter(key, left);
      return;
    }
    // The cache may be stale (the TTL changed): decide on a fresh copy.
    let fresh: JobObj;
    try {
      fresh = await this.ctx.client.get<JobObj>({ ...GVR.jobs, namespace, name });
    } catch (e) {
      if (isNotFound(e)) return;
      throw e;
    }
    const freshLeft = timeLeft(fresh, this.ctx.clock.now());
    if (freshLeft === undefined) return;
    if (freshLeft > 0) {
      this.workers.addAfter(key, freshLeft);
      return;
    }
    this.ctx.log(CONTROLLER_NAME, `cleaning up Job ${key}`);
    try {
      await this.ctx.client.delete(
        { ...GVR.jobs, namespace, name },
        { propagationPolicy: 'Foreground', preconditions: { uid: fresh.metadata?.uid ?? '', resourceVersion: fresh.metadata?.resourceVersion ?? '' } },
      );
    } catch (e) {
      if (isNotFound(e)) return;
      throw e;
    }
  }
}

export function newTTLAfterFinishedController(ctx: ControllerContext): Controller {
  return new TTLAfterFinishedController(ctx);
}
