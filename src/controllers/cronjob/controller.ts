/**
 * The CronJob controller (upstream pkg/controller/cronjob, controller v2): a sync of a
 * CronJob key reconciles its Jobs with .status.active (finished ones leave it,
 * lastSuccessfulTime follows the newest completion, vanished ones are dropped), prunes
 * finished Jobs beyond the history limits, and, unless suspended, creates the Job for
 * the most recent unmet schedule time: "<cronjob>-<minutes since the epoch>", annotated
 * batch.kubernetes.io/cronjob-scheduled-timestamp, honouring startingDeadlineSeconds and
 * concurrencyPolicy (Allow, Forbid, Replace). It then requeues itself for the next
 * schedule time on the injected clock.
 */
import type { ObjectReference } from 'kubernetes-types/core/v1.js';
import { deepCopy, getControllerOf } from '../../apimachinery/meta.js';
import { isAlreadyExists, isNotFound } from '../../client/errors.js';
import type { EventRecorder } from '../../client/events.js';
import { OWNER_UID_INDEX, ownerUIDIndexFunc, splitMetaNamespaceKey, unwrapTombstone } from '../../client/indexer.js';
import type { SharedInformer } from '../../client/informer.js';
import { isControlledBy } from '../common/controllerref.js';
import { KeyWorkers, errorMessage } from '../common/queue.js';
import { setStatus } from '../common/status.js';
import { GVR } from '../common/types.js';
import { finishedCondition, isJobFinished, type JobObj } from '../job/utils.js';
import type { Controller, ControllerContext } from '../types.js';
import { rfc3339 } from '../../util/clock.js';
import { formatRFC1123Z, isValidTimeZone, parseSchedule, type Schedule } from './cron.js';
import { compareJobStartTime, jobFromTemplate, jobName, mostRecentScheduleTime, nextScheduleTimeDuration, withCronJobDefaults, type CronJobObj } from './utils.js';

export const CONTROLLER_NAME = 'cronjob';
const COMPONENT = 'cronjob-controller';
const KIND = 'CronJob';

function keyOf(obj: { metadata?: { namespace?: string; name?: string } }): string {
  return `${obj.metadata?.namespace ?? ''}/${obj.metadata?.name ?? ''}`;
}

function jobRef(job: JobObj): ObjectReference {
  return {
    kind: 'Job',
    namespace: job.metadata?.namespace ?? '',
    name: job.metadata?.name ?? '',
    uid: job.metadata?.uid ?? '',
    apiVersion: 'batch/v1',
    resourceVersion: job.metadata?.resourceVersion ?? '',
  };
}

export class CronJobController implements Controller {
  readonly name = CONTROLLER_NAME;
  private readonly workers: KeyWorkers;
  private readonly cjInformer: SharedInformer<CronJobObj>;
  private readonly jobInformer: SharedInformer<JobObj>;
  private readonly recorder: EventRecorder;
  private initialized = false;

  constructor(private readonly ctx: ControllerContext) {
    this.workers = new KeyWorkers({ name: CONTROLLER_NAME, ctx, sync: (k) => this.syncKey(k) });
    this.cjInformer = ctx.informers.forResource<CronJobObj>(GVR.cronJobs);
    this.jobInformer = ctx.informers.forResource<JobObj>(GVR.jobs, { indexers: { [OWNER_UID_INDEX]: ownerUIDIndexFunc } });
    this.recorder = ctx.recorder(COMPONENT);
  }

  init(): void {
    if (this.initialized) return;
    this.initialized = true;
    this.cjInformer.addEventHandler({
      onAdd: (cj) => this.workers.add(keyOf(cj)),
      onUpdate: (_o, cj) => this.workers.add(keyOf(cj)),
      onDelete: (o) => this.workers.add(keyOf(unwrapTombstone(o))),
    });
    const jobChanged = (j: JobObj): void => {
      const cj = this.resolve(j);
      if (cj !== undefined) this.workers.add(keyOf(cj));
    };
    this.jobInformer.addEventHandler({
      onAdd: jobChanged,
      onUpdate: (_o, j) => jobChanged(j),
      onDelete: (o) => jobChanged(unwrapTombstone(o)),
    });
  }

  run(workers: number): void {
    this.init();
    this.workers.run(workers);
  }

  async stop(): Promise<void> {
    await this.workers.stop();
  }

  private resolve(job: JobObj): CronJobObj | undefined {
    const ref = getControllerOf(job);
    if (ref === undefined || ref.kind !== KIND) return undefined;
    const cj = this.cjInformer.lister().get(job.metadata?.namespace ?? '', ref.name);
    return cj?.metadata?.uid === ref.uid ? cj : undefined;
  }

  private async syncKey(key: string): Promise<void> {
    const requeueAfter = await this.sync(key);
    if (requeueAfter !== undefined) this.workers.addAfter(key, Math.max(0, requeueAfter));
  }

  /** One reconciliation; resolves with when to look again (undefined: only on changes). */
  async sync(key: string): Promise<number | undefined> {
    const { namespace, name } = splitMetaNamespaceKey(key);
    const cached = this.cjInformer.lister().get(namespace, name);
    if (cached === undefined) return undefined;
    const jobs = this.jobInformer
      .lister()
      .byIndex(OWNER_UID_INDEX, cached.metadata?.uid ?? '')
      .filter((j) => isControlledBy(j, cached));
    const cj = withCronJobDefaults(cached);
    const status = deepCopy(cj.status ?? {});
    setStatus(cj, status);
    const cleaned = await this.cleanupFinishedJobs(cj, jobs);
    let res: { requeueAfter?: number; update: boolean; error?: unknown };
    try {
      res = await this.syncCronJob(cj, jobs);
    } catch (e) {
      res = { update: false, error: e };
    }
    if (cleaned || res.update) {
      const body = deepCopy(cached);
      setStatus(body, cj.status);
      await this.ctx.client.updateStatus({ ...GVR.cronJobs, namespace }, body);
    }
    if (res.requeueAfter !== undefined) return res.requeueAfter;
    if (res.error !== undefined) throw res.error;
    return undefined;
  }

  private async syncCronJob(cj: CronJobObj, jobs: JobObj[]): Promise<{ requeueAfter?: number; update: boolean }> {
    const now = this.ctx.clock.now();
    const status = cj.status as NonNullable<CronJobObj['status']>;
    let update = false;
    const inActive = (uid: string | undefined): boolean => (status.active ?? []).some((r) => r.uid === uid);
    const removeActive = (uid: string | undefined): void => {
      status.active = (status.active ?? []).filter((r) => r.uid !== uid);
      if (status.active.length === 0) delete status.active;
    };
    const children = new Set<string>();
    for (const j of jobs) {
      children.add(j.metadata?.uid ?? '');
      const found = inActive(j.metadata?.uid);
      if (!found && !isJobFinished(j)) {
        this.recorder.event(cj, 'Warning', 'UnexpectedJob', `Saw a job that the controller did not create or forgot: ${j.metadata?.name}`);
      } else if (found && isJobFinished(j)) {
        const c = finishedCondition(j);
        removeActive(j.metadata?.uid);
        this.recorder.event(cj, 'Normal', 'SawCompletedJob', `Saw completed job: ${j.metadata?.name}, condition: ${c?.type}`);
        update = true;
      }
      const ct = j.status?.completionTime;
      if (isJobFinished(j) && finishedCondition(j)?.type === 'Complete' && ct !== undefined) {
        const last = status.lastSuccessfulTime;
        if (last === undefined || Date.parse(ct) > Date.parse(last)) {
          status.lastSuccessfulTime = ct;
          update = true;
        }
      }
    }
    for (const ref of [...(status.active ?? [])]) {
      if (children.has(ref.uid ?? '')) continue;
      try {
        await this.ctx.client.get({ ...GVR.jobs, namespace: ref.namespace ?? cj.metadata?.namespace ?? '', name: ref.name ?? '' });
      } catch (e) {
        if (!isNotFound(e)) throw e;
        this.recorder.event(cj, 'Normal', 'MissingJob', `Active job went missing: ${ref.name}`);
        removeActive(ref.uid);
        update = true;
      }
    }
    if ((cj.metadata?.deletionTimestamp ?? '') !== '') return { update };

    const tz = cj.spec?.timeZone ?? 'UTC';
    if (cj.spec?.timeZone !== undefined && cj.spec.timeZone !== null && !isValidTimeZone(cj.spec.timeZone)) {
      this.recorder.event(cj, 'Warning', 'UnknownTimeZone', `invalid timeZone: ${JSON.stringify(cj.spec.timeZone)}: unknown time zone ${cj.spec.timeZone}`);
      return { update };
    }
    if (cj.spec?.suspend === true) return { update };

    const schedule = cj.spec?.schedule ?? '';
    if (/(^|\s)(CRON_)?TZ=/.test(schedule)) {
      this.recorder.event(cj, 'Warning', 'UnsupportedSchedule', `CRON_TZ or TZ used in schedule "${schedule}" is not officially supported, see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/ for more details`);
    }
    let sched: Schedule;
    try {
      sched = parseSchedule(schedule, tz);
    } catch (e) {
      this.recorder.event(cj, 'Warning', 'UnparseableSchedule', `unparseable schedule: ${JSON.stringify(schedule)} : ${errorMessage(e)}`);
      return { update };
    }
    let scheduled: number | undefined;
    try {
      const r = mostRecentScheduleTime(cj, now, sched, true);
      if (r.missed === 'many') {
        this.recorder.event(cj, 'Warning', 'TooManyMissedTimes', 'too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew');
      }
      scheduled = r.mostRecent;
    } catch (e) {
      this.recorder.event(cj, 'Warning', 'InvalidSchedule', `invalid schedule: ${schedule} : ${errorMessage(e)}`);
      return { update };
    }
    const next = (): number | undefined => nextScheduleTimeDuration(cj, now, sched);
    if (scheduled === undefined) return { requeueAfter: next(), update };

    const sds = cj.spec?.startingDeadlineSeconds;
    if (sds !== undefined && sds !== null && scheduled + sds * 1000 < now) {
      this.recorder.event(cj, 'Warning', 'MissSchedule', `Missed scheduled time to start a job: ${formatRFC1123Z(scheduled)}`);
      return { requeueAfter: next(), update };
    }
    const name = jobName(cj, scheduled);
    const last = status.lastScheduleTime !== undefined ? Date.parse(status.lastScheduleTime) : NaN;
    if ((status.active ?? []).some((r) => r.name === name) || last === scheduled) return { requeueAfter: next(), update };
    if (cj.spec?.concurrencyPolicy === 'Forbid' && (status.active ?? []).length > 0) {
      this.recorder.event(cj, 'Normal', 'JobAlreadyActive', 'Not starting job because prior execution is running and concurrency policy is Forbid');
      return { requeueAfter: next(), update };
    }
    if (cj.spec?.concurrencyPolicy === 'Replace') {
      for (const ref of [...(status.active ?? [])]) {
        let job: JobObj;
        try {
          job = await this.ctx.client.get<JobObj>({ ...GVR.jobs, namespace: ref.namespace ?? '', name: ref.name ?? '' });
        } catch (e) {
          this.recorder.event(cj, 'Warning', 'FailedGet', `Get job: ${errorMessage(e)}`);
          throw e;
        }
        if (!(await this.deleteJob(cj, job))) throw new Error(`could not replace job ${job.metadata?.namespace}/${job.metadata?.name}`);
        update = true;
      }
    }

    const req = jobFromTemplate(cj, scheduled, tz);
    let created: JobObj;
    let existed = false;
    try {
      created = await this.ctx.client.create<JobObj>({ ...GVR.jobs, namespace: cj.metadata?.namespace ?? '' }, req);
    } catch (e) {
      if (!isAlreadyExists(e)) {
        this.recorder.event(cj, 'Warning', 'FailedCreate', `Error creating job: ${errorMessage(e)}`);
        throw e;
      }
      existed = true;
      created = await this.ctx.client.get<JobObj>({ ...GVR.jobs, namespace: cj.metadata?.namespace ?? '', name });
      // Someone else's Job, or one we already track: nothing more to record.
      if (!isControlledBy(created, cj) || inActive(created.metadata?.uid)) return { update };
    }
    if (!existed) this.recorder.event(cj, 'Normal', 'SuccessfulCreate', `Created job ${created.metadata?.name}`);
    status.active = [...(status.active ?? []), jobRef(created)];
    status.lastScheduleTime = rfc3339(scheduled);
    return { requeueAfter: next(), update: true };
  }

  /** Deletes finished Jobs beyond the history limits, oldest first (cleanupFinishedJobs). */
  private async cleanupFinishedJobs(cj: CronJobObj, jobs: JobObj[]): Promise<boolean> {
    const succeeded: JobObj[] = [];
    const failed: JobObj[] = [];
    for (const j of jobs) {
      const c = finishedCondition(j);
      if (c?.type === 'Complete') succeeded.push(j);
      else if (c?.type === 'Failed') failed.push(j);
    }
    let update = false;
    const prune = async (list: JobObj[], limit: number | undefined | null): Promise<void> => {
      if (limit === undefined || limit === null) return;
      const n = list.length - limit;
      if (n <= 0) return;
      list.sort(compareJobStartTime);
      for (const j of list.slice(0, n)) if (await this.deleteJob(cj, j)) update = true;
    };
    await prune(succeeded, cj.spec?.successfulJobsHistoryLimit);
    await prune(failed, cj.spec?.failedJobsHistoryLimit);
    return update;
  }

  private async deleteJob(cj: CronJobObj, job: JobObj): Promise<boolean> {
    try {
      await this.ctx.client.delete({ ...GVR.jobs, namespace: job.metadata?.namespace ?? '', name: job.metadata?.name ?? '' }, { propagationPolicy: 'Background' });
    } catch (e) {
      if (!isNotFound(e)) {
        this.recorder.event(cj, 'Warning', 'FailedDelete', `Deleted job: ${errorMessage(e)}`);
        return false;
      }
    }
    const st = cj.status as NonNullable<CronJobObj['status']>;
    st.active = (st.active ?? []).filter((r) => r.uid !== job.metadata?.uid);
    if (st.active.length === 0) delete st.active;
    this.recorder.event(cj, 'Normal', 'SuccessfulDelete', `Deleted job ${job.metadata?.name}`);
    return true;
  }
}

export function newCronJobController(ctx: ControllerContext): Controller {
  return new CronJobController(ctx);
}
