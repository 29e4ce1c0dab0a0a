/**
 * The Job controller (upstream pkg/controller/job, 1.32 behaviour): runs pods until
 * .spec.completions succeed (or, without completions, until one succeeds and the rest
 * finish), at most .spec.parallelism at a time, and fails the Job after more than
 * backoffLimit failures (failed pods, or container restarts under restartPolicy
 * OnFailure) or once activeDeadlineSeconds pass.
 *
 * Pod accounting uses the batch.kubernetes.io/job-tracking finalizer: every pod is
 * created with it; a finished pod's UID first goes into
 * .status.uncountedTerminatedPods (persisted), then the finalizer is removed, then the
 * UID moves into the succeeded/failed counters. A terminal condition is preceded by
 * its interim form (SuccessCriteriaMet before Complete, FailureTarget before Failed)
 * and set once no pod is left terminating.
 *
 * Indexed Jobs give each pod a completion index (annotation and label
 * batch.kubernetes.io/job-completion-index, hostname "<job>-<index>", env
 * JOB_COMPLETION_INDEX) and record .status.completedIndexes. suspend deletes the
 * active pods and keeps the Job from starting new ones.
 */
import type { JobStatus } from 'kubernetes-types/batch/v1.js';
import type { Container } from 'kubernetes-types/core/v1.js';
import { isEverything, matches, type Selector } from '../../apimachinery/labels.js';
import { deepCopy, getControllerOf } from '../../apimachinery/meta.js';
import { isNotFound } from '../../client/errors.js';
import type { EventRecorder } from '../../client/events.js';
import { OWNER_UID_INDEX, ownerUIDIndexFunc, splitMetaNamespaceKey, unwrapTombstone } from '../../client/indexer.js';
import type { SharedInformer } from '../../client/informer.js';
import { claimObjects, newControllerRef, specSelector } from '../common/controllerref.js';
import { ControllerExpectations, UIDExpectations } from '../common/expectations.js';
import { PodControl, SLOW_START_INITIAL_BATCH_SIZE, slowStartBatch } from '../common/podcontrol.js';
import { isPodActive, isPodReady, isPodTerminatingNotTerminal, isTerminating, podFromTemplate, podsPrefix } from '../common/pods.js';
import { KeyWorkers, errorMessage } from '../common/queue.js';
import { setStatus } from '../common/status.js';
import {
  GVR,
  JOB_COMPLETION_INDEX_ANNOTATION,
  JOB_CONTROLLER_UID_LABEL,
  JOB_NAME_LABEL,
  JOB_TRACKING_FINALIZER,
  LEGACY_JOB_CONTROLLER_UID_LABEL,
  LEGACY_JOB_NAME_LABEL,
} from '../common/types.js';
import { rfc3339 } from '../../util/clock.js';
import type { Controller, ControllerContext } from '../types.js';
import { completionIndex, firstPendingIndexes, formatIndexes, hasIndex, parseIndexes, podGenerateNameWithIndex, totalIndexes, UNKNOWN_COMPLETION_INDEX, withIndexes, type Intervals } from './indexes.js';
import {
  MAX_POD_CREATE_DELETE_PER_SYNC,
  MAX_UNCOUNTED_PODS,
  MESSAGE_BACKOFF_LIMIT_EXCEEDED,
  MESSAGE_COMPLETIONS_REACHED,
  MESSAGE_DEADLINE_EXCEEDED,
  REASON_BACKOFF_LIMIT_EXCEEDED,
  REASON_COMPLETIONS_REACHED,
  REASON_DEADLINE_EXCEEDED,
  activeDeadlineRemaining,
  activePodsForRemoval,
  backoffRemaining,
  ensureCondition,
  findCondition,
  hasTrackingFinalizer,
  isIndexed,
  isJobFinished,
  isPodFailed,
  isSuspended,
  newCondition,
  nextBackoffRecord,
  onlyReplaceFailedPods,
  pastActiveDeadline,
  pastBackoffLimitOnFailure,
  wantActive as computeWantActive,
  withJobDefaults,
  type BackoffRecord,
  type JobObj,
  type PodObj,
} from './utils.js';

export const CONTROLLER_NAME = 'job';
const COMPONENT = 'job-controller';
const API_VERSION = 'batch/v1';
const KIND = 'Job';
const ORPHAN_PREFIX = 'orphanpod:';
/** .spec.managedBy value of Jobs this controller syncs (others belong to external controllers). */
export const JOB_CONTROLLER_MANAGED_BY = 'kubernetes.io/job-controller';

type Condition = NonNullable<JobStatus['conditions']>[number];

interface SyncCtx {
  job: JobObj;
  pods: PodObj[];
  activePods: PodObj[];
  ready: number;
  terminating: number;
  succeeded: number;
  failed: number;
  uncountedSucceeded: Set<string>;
  uncountedFailed: Set<string>;
  expectedRmFinalizers: ReadonlySet<string>;
  finished?: Condition;
  prevSucceededIndexes: Intervals;
  succeededIndexes: Intervals;
  newBackoff: BackoffRecord;
}

function keyOf(obj: { metadata?: { namespace?: string; name?: string } }): string {
  return `${obj.metadata?.namespace ?? ''}/${obj.metadata?.name ?? ''}`;
}

function addCompletionIndexEnv(c: Container): void {
  const env = c.env ?? [];
  if (env.some((e) => e.name === 'JOB_COMPLETION_INDEX')) return;
  c.env = [...env, { name: 'JOB_COMPLETION_INDEX', valueFrom: { fieldRef: { fieldPath: `metadata.labels['${JOB_COMPLETION_INDEX_ANNOTATION}']` } } }];
}

export class JobController implements Controller {
  readonly name = CONTROLLER_NAME;
  private readonly workers: KeyWorkers;
  private readonly jobInformer: SharedInformer<JobObj>;
  private readonly podInformer: SharedInformer<PodObj>;
  private readonly expectations: ControllerExpectations;
  private readonly finalizerExpectations = new UIDExpectations();
  private readonly backoffs = new Map<string, BackoffRecord>();
  private readonly recorder: EventRecorder;
  private readonly podControl: PodControl;
  private initialized = false;

  constructor(private readonly ctx: ControllerContext) {
    this.workers = new KeyWorkers({ name: CONTROLLER_NAME, ctx, sync: (k) => (k.startsWith(ORPHAN_PREFIX) ? this.syncOrphanPod(k.slice(ORPHAN_PREFIX.length)) : this.sync(k)) });
    this.jobInformer = ctx.informers.forResource<JobObj>(GVR.jobs);
    this.podInformer = ctx.informers.forResource<PodObj>(GVR.pods, { indexers: { [OWNER_UID_INDEX]: ownerUIDIndexFunc } });
    this.expectations = new ControllerExpectations(ctx.clock);
    this.recorder = ctx.recorder(COMPONENT);
    this.podControl = new PodControl(ctx.client, this.recorder);
  }

  init(): void {
    if (this.initialized) return;
    this.initialized = true;
    this.jobInformer.addEventHandler({
      onAdd: (j) => this.enqueueJob(j),
      onUpdate: (_o, j) => this.enqueueJob(j),
      onDelete: (o) => this.deleteJob(unwrapTombstone(o)),
    });
    this.podInformer.addEventHandler({
      onAdd: (p) => this.addPod(p),
      onUpdate: (o, p) => this.updatePod(o, p),
      onDelete: (o) => this.deletePod(unwrapTombstone(o), true),
    });
  }

  run(workers: number): void {
    this.init();
    this.workers.run(workers);
  }

  async stop(): Promise<void> {
    await this.workers.stop();
  }

  // ---- event handlers -------------------------------------------------------

  private enqueueJob(job: JobObj): void {
    if (managedByOther(job)) return;
    this.workers.add(keyOf(job));
  }

  private enqueueOrphan(pod: PodObj): void {
    this.workers.add(ORPHAN_PREFIX + keyOf(pod));
  }

  private resolve(pod: PodObj): JobObj | undefined {
    const ref = getControllerOf(pod);
    if (ref === undefined || ref.kind !== KIND) return undefined;
    const job = this.jobInformer.lister().get(pod.metadata?.namespace ?? '', ref.name);
    return job?.metadata?.uid === ref.uid ? job : undefined;
  }

  private jobsForPod(pod: PodObj): JobObj[] {
    const labels = pod.metadata?.labels ?? {};
    if (Object.keys(labels).length === 0) return [];
    return this.jobInformer
      .lister()
      .namespace(pod.metadata?.namespace ?? '')
      .list()
      .filter((j) => {
        try {
          const sel = specSelector(withJobDefaults(j).spec?.selector);
          return !isEverything(sel) && matches(sel, labels);
        } catch {
          return false;
        }
      });
  }

  private addPod(pod: PodObj): void {
    if (isTerminating(pod)) {
      this.deletePod(pod, false);
      return;
    }
    if (getControllerOf(pod) !== undefined) {
      const job = this.resolve(pod);
      if (job === undefined) {
        if (hasTrackingFinalizer(pod)) this.enqueueOrphan(pod);
        return;
      }
      this.expectations.creationObserved(keyOf(job));
      this.enqueueJob(job);
      return;
    }
    if (hasTrackingFinalizer(pod)) this.enqueueOrphan(pod);
    for (const j of this.jobsForPod(pod)) this.enqueueJob(j);
  }

  private updatePod(old: PodObj, cur: PodObj): void {
    if (old.metadata?.resourceVersion === cur.metadata?.resourceVersion) return;
    if (isTerminating(cur)) {
      this.deletePod(cur, false);
      return;
    }
    const finalizerRemoved = !hasTrackingFinalizer(cur);
    const curRef = getControllerOf(cur);
    const oldRef = getControllerOf(old);
    if (oldRef !== undefined && oldRef.uid !== curRef?.uid) {
      const job = this.resolve(old);
      if (job !== undefined) {
        if (finalizerRemoved) this.finalizerExpectations.observed(keyOf(job), cur.metadata?.uid ?? '');
        this.enqueueJob(job);
      }
    }
    if (curRef !== undefined) {
      const job = this.resolve(cur);
      if (job === undefined) {
        if (hasTrackingFinalizer(cur)) this.enqueueOrphan(cur);
        return;
      }
      if (finalizerRemoved) this.finalizerExpectations.observed(keyOf(job), cur.metadata?.uid ?? '');
      this.enqueueJob(job);
      return;
    }
    if (hasTrackingFinalizer(cur)) this.enqueueOrphan(cur);
    for (const j of this.jobsForPod(cur)) this.enqueueJob(j);
  }

  private deletePod(pod: PodObj, final: boolean): void {
    const ref = getControllerOf(pod);
    const hasFinalizer = hasTrackingFinalizer(pod);
    if (ref === undefined) {
      if (hasFinalizer && !final) this.enqueueOrphan(pod);
      return;
    }
    const job = this.resolve(pod);
    if (job === undefined || isJobFinished(job)) {
      if (hasFinalizer && !final) this.enqueueOrphan(pod);
      return;
    }
    const key = keyOf(job);
    this.expectations.deletionObserved(key);
    if (final) this.finalizerExpectations.observed(key, pod.metadata?.uid ?? '');
    this.enqueueJob(job);
  }

  private deleteJob(job: JobObj): void {
    this.workers.add(keyOf(job));
    // Pods left with our finalizer would never go away: release them.
    for (const p of this.podInformer.lister().byIndex(OWNER_UID_INDEX, job.metadata?.uid ?? '')) {
      if (hasTrackingFinalizer(p)) this.enqueueOrphan(p);
    }
  }

  // ---- orphans --------------------------------------------------------------

  /** Removes the tracking finalizer from a pod no unfinished Job controls (syncOrphanPod). */
  private async syncOrphanPod(key: string): Promise<void> {
    const { namespace, name } = splitMetaNamespaceKey(key);
    const pod = this.podInformer.lister().get(namespace, name);
    if (pod === undefined) return;
    const ref = getControllerOf(pod);
    if (ref !== undefined) {
      if (ref.kind !== KIND || ref.apiVersion !== API_VERSION) return;
      const job = this.resolve(pod);
      if (job !== undefined && managedByOther(job)) return;
      if (job !== undefined && !isJobFinished(job)) return;
    }
    await this.removeFinalizer(pod);
  }

  private async removeFinalizer(pod: PodObj): Promise<void> {
    const fins = pod.metadata?.finalizers ?? [];
    const i = fins.indexOf(JOB_TRACKING_FINALIZER);
    if (i < 0) return;
    try {
      await this.ctx.client.patch({ ...GVR.pods, namespace: pod.metadata?.namespace ?? '', name: pod.metadata?.name ?? '' }, 'json', [
        { op: 'test', path: `/metadata/finalizers/${i}`, value: JOB_TRACKING_FINALIZER },
        { op: 'remove', path: `/metadata/finalizers/${i}` },
      ]);
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }

  // ---- sync -----------------------------------------------------------------

  async sync(key: string): Promise<void> {
    const { namespace, name } = splitMetaNamespaceKey(key);
    if (namespace === '' || name === '') throw new Error(`invalid job key "${key}": either namespace or name is missing`);
    const cached = this.jobInformer.lister().get(namespace, name);
    if (cached === undefined) {
      this.expectations.delete(key);
      this.finalizerExpectations.delete(key);
      this.backoffs.delete(key);
      return;
    }
    if (managedByOther(cached)) return;
    if (isJobFinished(cached)) {
      this.backoffs.delete(key);
      return;
    }
    const job = withJobDefaults(cached);
    const mode = job.spec?.completionMode;
    if (mode !== 'NonIndexed' && mode !== 'Indexed') {
      this.recorder.event(job, 'Warning', 'UnknownCompletionMode', 'Skipped Job sync because completion mode is unknown');
      return;
    }
    if (isIndexed(job) && (job.spec?.completions === undefined || job.spec.completions === null)) {
      this.recorder.event(job, 'Warning', 'InvalidJob', 'Indexed Jobs need .spec.completions');
      return;
    }
    const status: JobStatus = deepCopy(job.status ?? {});
    status.uncountedTerminatedPods ??= {};
    setStatus(job, status);
    const now = this.ctx.clock.now();

    const satisfied = this.expectations.satisfied(key);
    const pods = await this.podsForJob(job);
    const activePods = pods.filter(isPodActive);
    const uncountedSucceeded = new Set((status.uncountedTerminatedPods.succeeded ?? []).map(String));
    const uncountedFailed = new Set((status.uncountedTerminatedPods.failed ?? []).map(String));
    const expectedRmFinalizers = this.finalizerExpectations.expectedUIDs(key);
    const sc: SyncCtx = {
      job,
      pods,
      activePods,
      ready: activePods.filter(isPodReady).length,
      terminating: pods.filter(isPodTerminatingNotTerminal).length,
      succeeded: 0,
      failed: 0,
      uncountedSucceeded,
      uncountedFailed,
      expectedRmFinalizers,
      prevSucceededIndexes: [],
      succeededIndexes: [],
      newBackoff: { failuresAfterLastSuccess: 0 },
    };
    let active = activePods.length;
    const { newSucceeded, newFailed } = this.newFinishedPods(sc);
    sc.succeeded = (status.succeeded ?? 0) + newSucceeded.length + uncountedSucceeded.size;
    sc.failed = (status.failed ?? 0) + newFailed.length + uncountedFailed.size;

    if (status.startTime === undefined && !isSuspended(job)) status.startTime = rfc3339(now);
    sc.newBackoff = nextBackoffRecord(this.backoffs.get(key), newSucceeded, newFailed, now);

    const backoffLimit = job.spec?.backoffLimit ?? 6;
    const successMet = status.conditions?.find((c) => c.type === 'SuccessCriteriaMet' && c.status === 'True');
    if (successMet !== undefined) sc.finished = successMet;
    if (sc.finished === undefined) {
      const target = findCondition(job, 'FailureTarget');
      if (target !== undefined && target.status === 'True') sc.finished = newCondition('Failed', 'True', target.reason ?? '', target.message ?? '', now);
    }
    if (sc.finished === undefined) {
      if (sc.failed > backoffLimit || pastBackoffLimitOnFailure(job, pods)) {
        sc.finished = newCondition('FailureTarget', 'True', REASON_BACKOFF_LIMIT_EXCEEDED, MESSAGE_BACKOFF_LIMIT_EXCEEDED, now);
      } else if (pastActiveDeadline(job, now)) {
        sc.finished = newCondition('FailureTarget', 'True', REASON_DEADLINE_EXCEEDED, MESSAGE_DEADLINE_EXCEEDED, now);
      } else {
        const left = activeDeadlineRemaining(job, now);
        if (left !== undefined) this.workers.addAfter(key, Math.max(left, 1));
      }
    }
    if (isIndexed(job)) {
      const completions = job.spec?.completions ?? 0;
      sc.prevSucceededIndexes = parseIndexes(status.completedIndexes, completions);
      const fresh: number[] = [];
      for (const p of pods) {
        const ix = completionIndex(p);
        if (p.status?.phase === 'Succeeded' && ix !== UNKNOWN_COMPLETION_INDEX && ix < completions && hasTrackingFinalizer(p)) fresh.push(ix);
      }
      sc.succeededIndexes = withIndexes(sc.prevSucceededIndexes, fresh);
      sc.succeeded = totalIndexes(sc.succeededIndexes);
    }

    let suspendChanged = false;
    let manageErr: unknown;
    if (sc.finished !== undefined) {
      const { deleted, deletedReady, error } = await this.deleteActivePods(job, activePods);
      if (deleted !== active || !satisfied) sc.finished = undefined;
      active -= deleted;
      sc.terminating += deleted;
      sc.ready -= deletedReady;
      manageErr = error;
    } else {
      let manageCalled = false;
      if (satisfied && !isTerminating(job)) {
        const r = await this.manageJob(job, sc, key, now);
        active = r.active;
        manageErr = r.error;
        manageCalled = true;
      }
      const completions = job.spec?.completions;
      const complete = completions === undefined || completions === null ? sc.succeeded > 0 && active === 0 : sc.succeeded >= completions && active === 0;
      if (complete) {
        sc.finished = newCondition('SuccessCriteriaMet', 'True', REASON_COMPLETIONS_REACHED, MESSAGE_COMPLETIONS_REACHED, now);
      } else if (manageCalled) {
        const conds = (status.conditions ??= []);
        if (isSuspended(job)) {
          if (ensureCondition(conds, 'Suspended', 'True', 'JobSuspended', 'Job suspended', now)) {
            suspendChanged = true;
            this.recorder.event(job, 'Normal', 'Suspended', 'Job suspended');
          }
        } else if (ensureCondition(conds, 'Suspended', 'False', 'JobResumed', 'Job resumed', now)) {
          suspendChanged = true;
          this.recorder.event(job, 'Normal', 'Resumed', 'Job resumed');
          // ActiveDeadlineSeconds counts time continuously active: restart it.
          status.startTime = rfc3339(now);
        }
        if (conds.length === 0) delete status.conditions;
      }
    }

    const needsUpdate = suspendChanged || active !== (status.active ?? 0) || sc.ready !== status.ready || sc.terminating !== status.terminating;
    status.active = active;
    status.ready = sc.ready;
    status.terminating = sc.terminating;
    await this.trackStatusAndRemoveFinalizers(sc, key, needsUpdate, now);
    if (manageErr !== undefined) throw manageErr;
  }

  private async podsForJob(job: JobObj): Promise<PodObj[]> {
    const selector: Selector = specSelector(job.spec?.selector);
    const all = this.podInformer.lister().namespace(job.metadata?.namespace ?? '').list();
    // Adopted pods come back as written, tracking finalizer included.
    return claimObjects(all, {
      client: this.ctx.client,
      gvr: GVR.pods,
      owner: job,
      ownerApiVersion: API_VERSION,
      ownerKind: KIND,
      selector,
      adoptFinalizers: [JOB_TRACKING_FINALIZER],
    });
  }

  /** Finished pods not yet counted: they still have the finalizer and are not in uncounted. */
  private newFinishedPods(sc: SyncCtx): { newSucceeded: PodObj[]; newFailed: PodObj[] } {
    const valid = (p: PodObj, uncounted: Set<string>): boolean => {
      const uid = p.metadata?.uid ?? '';
      if (!hasTrackingFinalizer(p) || uncounted.has(uid) || sc.expectedRmFinalizers.has(uid)) return false;
      if (isIndexed(sc.job)) {
        const ix = completionIndex(p);
        if (ix === UNKNOWN_COMPLETION_INDEX || ix >= (sc.job.spec?.completions ?? 0)) return false;
      }
      return true;
    };
    return {
      newSucceeded: sc.pods.filter((p) => valid(p, sc.uncountedSucceeded) && p.status?.phase === 'Succeeded'),
      newFailed: sc.pods.filter((p) => valid(p, sc.uncountedFailed) && isPodFailed(p, sc.job)),
    };
  }

  /** Deletes active pods keeping their finalizers (the Job is finishing): deleted and deleted-ready counts. */
  private async deleteActivePods(job: JobObj, pods: PodObj[]): Promise<{ deleted: number; deletedReady: number; error?: unknown }> {
    let deleted = 0;
    let deletedReady = 0;
    let error: unknown;
    await Promise.all(
      pods.map(async (p) => {
        try {
          await this.podControl.deletePod(job, p.metadata?.namespace ?? '', p.metadata?.name ?? '');
          deleted++;
        } catch (e) {
          if (isNotFound(e)) deleted++;
          else error ??= e;
        }
        if (isPodReady(p)) deletedReady++;
      }),
    );
    return { deleted, deletedReady, ...(error !== undefined ? { error } : {}) };
  }

  /** Removes the finalizer, then deletes: pods taken away by a scale-down or suspend are not counted. */
  private async deleteJobPods(job: JobObj, key: string, pods: PodObj[]): Promise<{ removed: number; removedReady: number; error?: unknown }> {
    let removed = 0;
    let removedReady = 0;
    let error: unknown;
    await Promise.all(
      pods.map(async (p) => {
        try {
          await this.removeFinalizer(p);
          await this.podControl.deletePod(job, p.metadata?.namespace ?? '', p.metadata?.name ?? '');
          removed++;
          if (isPodReady(p)) removedReady++;
        } catch (e) {
          this.expectations.deletionObserved(key);
          if (!isNotFound(e)) error ??= e;
          else removed++;
        }
      }),
    );
    return { removed, removedReady, ...(error !== undefined ? { error } : {}) };
  }

  private async manageJob(job: JobObj, sc: SyncCtx, key: string, now: number): Promise<{ active: number; error?: unknown }> {
    let active = sc.activePods.length;
    if (isSuspended(job)) {
      const toDelete = activePodsForRemoval(job, sc.activePods, active);
      this.expectations.expectDeletions(key, toDelete.length);
      const r = await this.deleteJobPods(job, key, toDelete);
      active -= r.removed;
      sc.terminating += r.removed;
      sc.ready -= r.removedReady;
      return { active, ...(r.error !== undefined ? { error: r.error } : {}) };
    }
    const want = computeWantActive(job, sc.succeeded, active);
    const rmAtLeast = Math.max(0, active - want);
    const toDelete = activePodsForRemoval(job, sc.activePods, rmAtLeast).slice(0, MAX_POD_CREATE_DELETE_PER_SYNC);
    if (toDelete.length > 0) {
      this.expectations.expectDeletions(key, toDelete.length);
      const r = await this.deleteJobPods(job, key, toDelete);
      active -= r.removed;
      sc.terminating += r.removed;
      sc.ready -= r.removedReady;
      return { active, ...(r.error !== undefined ? { error: r.error } : {}) };
    }
    const terminating = onlyReplaceFailedPods(job) ? sc.terminating : 0;
    let diff = want - terminating - active;
    if (diff <= 0) return { active };
    const wait = backoffRemaining(sc.newBackoff, now);
    if (wait > 0) {
      this.workers.addAfter(key, wait);
      return { active };
    }
    diff = Math.min(diff, MAX_POD_CREATE_DELETE_PER_SYNC);
    let indexes: number[] = [];
    if (isIndexed(job)) {
      indexes = firstPendingIndexes(sc.succeededIndexes, sc.activePods, diff, job.spec?.completions ?? 0);
      diff = indexes.length;
      if (diff === 0) return { active };
    }
    this.expectations.expectCreations(key, diff);
    const template = deepCopy(job.spec?.template ?? {});
    const jobName = job.metadata?.name ?? '';
    const uid = job.metadata?.uid ?? '';
    template.metadata = {
      ...(template.metadata ?? {}),
      labels: {
        [JOB_CONTROLLER_UID_LABEL]: uid,
        [JOB_NAME_LABEL]: jobName,
        [LEGACY_JOB_CONTROLLER_UID_LABEL]: uid,
        [LEGACY_JOB_NAME_LABEL]: jobName,
        ...(template.metadata?.labels ?? {}),
      },
      finalizers: [...new Set([...(template.metadata?.finalizers ?? []), JOB_TRACKING_FINALIZER])],
    };
    if (isIndexed(job) && template.spec !== undefined) {
      for (const c of template.spec.containers ?? []) addCompletionIndexEnv(c);
      for (const c of template.spec.initContainers ?? []) addCompletionIndexEnv(c);
    }
    const ref = newControllerRef(job, API_VERSION, KIND);
    const ns = job.metadata?.namespace ?? '';
    active += diff;
    const { skipped, error } = await slowStartBatch(diff, SLOW_START_INITIAL_BATCH_SIZE, async (i) => {
      const ix = indexes[i];
      let pod: PodObj;
      if (ix !== undefined) {
        const t = deepCopy(template);
        t.metadata = {
          ...t.metadata,
          annotations: { ...(t.metadata?.annotations ?? {}), [JOB_COMPLETION_INDEX_ANNOTATION]: String(ix) },
          labels: { ...(t.metadata?.labels ?? {}), [JOB_COMPLETION_INDEX_ANNOTATION]: String(ix) },
        };
        if (t.spec !== undefined) t.spec.hostname = `${jobName}-${ix}`;
        pod = podFromTemplate(t, ns, podGenerateNameWithIndex(jobName, ix), ref);
      } else {
        pod = podFromTemplate(template, ns, podsPrefix(jobName), ref);
      }
      try {
        await this.podControl.createPod(job, pod);
      } catch (e) {
        this.expectations.creationObserved(key);
        active--;
        throw e;
      }
    });
    if (skipped > 0) {
      active -= skipped;
      this.expectations.lower(key, skipped, 0);
    }
    return { active, ...(error !== undefined ? { error } : {}) };
  }

  /**
   * Adds finished pods to uncountedTerminatedPods, removes their finalizers, moves
   * them into the counters, and sets the terminal condition when due
   * (trackJobStatusAndRemoveFinalizers).
   */
  private async trackStatusAndRemoveFinalizers(sc: SyncCtx, key: string, needsFlushIn: boolean, now: number): Promise<void> {
    let needsFlush = needsFlushIn;
    const job = sc.job;
    const status = job.status as JobStatus;
    const uncounted = (status.uncountedTerminatedPods ??= {});
    const indexed = isIndexed(job);
    const completions = job.spec?.completions ?? 0;
    const podsToRemoveFinalizer: PodObj[] = [];
    const newSucceededIndexes: number[] = [];
    const pods = indexed ? [...sc.pods].sort((a, b) => completionIndex(a) - completionIndex(b)) : sc.pods;
    const uidsWithFinalizer = new Set<string>();
    for (const p of pods) {
      const uid = p.metadata?.uid ?? '';
      if (hasTrackingFinalizer(p) && !sc.expectedRmFinalizers.has(uid)) uidsWithFinalizer.add(uid);
    }
    if (cleanUncounted(status, uidsWithFinalizer)) needsFlush = true;
    let reachedMax = false;
    for (const p of pods) {
      const uid = p.metadata?.uid ?? '';
      if (!hasTrackingFinalizer(p) || sc.expectedRmFinalizers.has(uid)) continue;
      const failed = isPodFailed(p, job);
      const canRemove = isTerminating(job) || sc.finished !== undefined || p.status?.phase === 'Succeeded' || failed;
      if (!canRemove) continue;
      podsToRemoveFinalizer.push(p);
      if (p.status?.phase === 'Succeeded' && !sc.uncountedFailed.has(uid)) {
        if (indexed) {
          const ix = completionIndex(p);
          if (ix !== UNKNOWN_COMPLETION_INDEX && ix < completions && !hasIndex(sc.prevSucceededIndexes, ix)) {
            newSucceededIndexes.push(ix);
            needsFlush = true;
          }
        } else if (!sc.uncountedSucceeded.has(uid)) {
          uncounted.succeeded = [...(uncounted.succeeded ?? []), uid];
          needsFlush = true;
        }
      } else if (failed || (sc.finished !== undefined && sc.finished.type !== 'SuccessCriteriaMet' && sc.finished.type !== 'Complete')) {
        const ix = completionIndex(p);
        if (!sc.uncountedFailed.has(uid) && (!indexed || (ix !== UNKNOWN_COMPLETION_INDEX && ix < completions))) {
          uncounted.failed = [...(uncounted.failed ?? []), uid];
          needsFlush = true;
        }
      }
      if (newSucceededIndexes.length + (uncounted.succeeded?.length ?? 0) + (uncounted.failed?.length ?? 0) >= MAX_UNCOUNTED_PODS) {
        reachedMax = true;
        break;
      }
    }
    if (indexed) {
      sc.succeededIndexes = withIndexes(sc.succeededIndexes, newSucceededIndexes);
      const s = formatIndexes(sc.succeededIndexes);
      if (s !== (status.completedIndexes ?? '')) needsFlush = true;
      status.succeeded = totalIndexes(sc.succeededIndexes);
      status.completedIndexes = s;
    }
    const conds = (status.conditions ??= []);
    if (sc.finished !== undefined && sc.finished.type === 'FailureTarget') {
      conds.push(sc.finished);
      needsFlush = true;
      sc.finished = newCondition('Failed', 'True', sc.finished.reason ?? '', sc.finished.message ?? '', now);
    }
    if (sc.finished !== undefined && sc.finished.type === 'SuccessCriteriaMet') {
      if (!conds.some((c) => c.type === 'SuccessCriteriaMet' && c.status === 'True')) {
        conds.push(sc.finished);
        needsFlush = true;
      }
      sc.finished = newCondition('Complete', 'True', sc.finished.reason ?? '', sc.finished.message ?? '', now);
    }
    if (conds.length === 0) delete status.conditions;

    // 1. Persist the uncounted UIDs (and interim conditions) before touching finalizers.
    if (needsFlush) {
      sc.job = await this.writeStatus(sc.job);
      this.backoffs.set(key, sc.newBackoff);
      needsFlush = false;
    }
    // 2. Remove finalizers.
    let rmErr: unknown;
    if (podsToRemoveFinalizer.length > 0) {
      this.finalizerExpectations.expect(key, podsToRemoveFinalizer.map((p) => p.metadata?.uid ?? ''));
      await Promise.all(
        podsToRemoveFinalizer.map(async (p) => {
          try {
            await this.removeFinalizer(p);
            uidsWithFinalizer.delete(p.metadata?.uid ?? '');
          } catch (e) {
            this.finalizerExpectations.observed(key, p.metadata?.uid ?? '');
            rmErr ??= e;
          }
        }),
      );
    }
    // 3. Count the pods whose finalizers are gone.
    const st = sc.job.status as JobStatus;
    if (cleanUncounted(st, uidsWithFinalizer)) needsFlush = true;
    if (rmErr !== undefined) {
      if (needsFlush) sc.job = await this.writeStatus(sc.job);
      throw rmErr;
    }
    // 4. The terminal condition, once nothing is left uncounted or terminating.
    let finished = false;
    if (!reachedMax && sc.finished !== undefined) {
      const un = st.uncountedTerminatedPods ?? {};
      if ((un.succeeded?.length ?? 0) + (un.failed?.length ?? 0) === 0 && sc.terminating === 0) {
        const c = (st.conditions ??= []);
        ensureCondition(c, sc.finished.type, sc.finished.status, sc.finished.reason ?? '', sc.finished.message ?? '', now);
        if (sc.finished.type === 'Complete') st.completionTime = sc.finished.lastTransitionTime ?? rfc3339(now);
        finished = true;
        needsFlush = true;
      }
    }
    if (needsFlush) {
      sc.job = await this.writeStatus(sc.job);
      this.backoffs.set(key, sc.newBackoff);
      if (finished) this.recordFinished(sc.job, sc.finished as Condition);
    }
  }

  private recordFinished(job: JobObj, cond: Condition): void {
    if (cond.type === 'Complete') {
      const completions = job.spec?.completions;
      if (completions !== undefined && completions !== null && (job.status?.succeeded ?? 0) > completions) {
        this.recorder.event(job, 'Warning', 'TooManySucceededPods', 'Too many succeeded pods running after completion count reached');
      }
      this.recorder.event(job, 'Normal', 'Completed', 'Job completed');
    } else {
      this.recorder.event(job, 'Warning', cond.reason ?? 'Failed', cond.message ?? '');
    }
  }

  /** PUTs the status; the returned Job (new resourceVersion) carries on, with our in-memory spec defaults. */
  private async writeStatus(job: JobObj): Promise<JobObj> {
    const body = deepCopy(job);
    const st = deepCopy(body.status ?? {});
    if (st.uncountedTerminatedPods !== undefined) {
      const u = st.uncountedTerminatedPods;
      if (u.succeeded !== undefined && u.succeeded.length === 0) delete u.succeeded;
      if (u.failed !== undefined && u.failed.length === 0) delete u.failed;
    }
    setStatus(body, st);
    try {
      const out = await this.ctx.client.updateStatus<JobObj>({ ...GVR.jobs, namespace: job.metadata?.namespace ?? '' }, body);
      const merged = deepCopy(job);
      merged.metadata = { ...merged.metadata, resourceVersion: out.metadata?.resourceVersion ?? merged.metadata?.resourceVersion };
      const outStatus = deepCopy(out.status ?? {});
      outStatus.uncountedTerminatedPods ??= {};
      setStatus(merged, outStatus);
      return merged;
    } catch (e) {
      throw new Error(`updating status of Job ${job.metadata?.namespace}/${job.metadata?.name}: ${errorMessage(e)}`, { cause: e });
    }
  }
}

/** Moves UIDs whose finalizer is gone from uncountedTerminatedPods into the counters. */
function cleanUncounted(status: JobStatus, uidsWithFinalizer: ReadonlySet<string>): boolean {
  const u = (status.uncountedTerminatedPods ??= {});
  let changed = false;
  const keepS = (u.succeeded ?? []).filter((x) => uidsWithFinalizer.has(x));
  if (keepS.length !== (u.succeeded ?? []).length) {
    status.succeeded = (status.succeeded ?? 0) + (u.succeeded ?? []).length - keepS.length;
    u.succeeded = keepS;
    changed = true;
  }
  const keepF = (u.failed ?? []).filter((x) => uidsWithFinalizer.has(x));
  if (keepF.length !== (u.failed ?? []).length) {
    status.failed = (status.failed ?? 0) + (u.failed ?? []).length - keepF.length;
    u.failed = keepF;
    changed = true;
  }
  return changed;
}

function managedByOther(job: JobObj): boolean {
  const m = job.spec?.managedBy;
  return m !== undefined && m !== null && m !== '' && m !== JOB_CONTROLLER_MANAGED_BY;
}

export function newJobController(ctx: ControllerContext): Controller {
  return new JobController(ctx);
}
