/**
 * The StatefulSet controller (upstream pkg/controller/statefulset): pods with stable
 * names "<set>-<ordinal>", stable storage (PVCs "<claim>-<set>-<ordinal>" from
 * volumeClaimTemplates, kept on scale down unless the retention policy says Delete),
 * ordered or parallel scaling, RollingUpdate with partition or OnDelete, and
 * ControllerRevisions recording each template (`kubectl rollout history|undo`).
 *
 * A sync claims the set's pods and revisions, finds (or records) the current and
 * update revisions, runs one reconciliation step (control.ts), writes status and
 * prunes history beyond revisionHistoryLimit.
 */
import type { StatefulSetStatus } from 'kubernetes-types/apps/v1.js';
import { isEverything, matches, type Selector } from '../../apimachinery/labels.js';
import { getControllerOf } from '../../apimachinery/meta.js';
import { isAlreadyExists, isConflict, isNotFound } from '../../client/errors.js';
import type { EventRecorder } from '../../client/events.js';
import { OWNER_UID_INDEX, ownerUIDIndexFunc, splitMetaNamespaceKey, unwrapTombstone, type DeletedFinalStateUnknown } from '../../client/indexer.js';
import type { SharedInformer } from '../../client/informer.js';
import type { OwnerReference } from '../../client/types.js';
import { claimObjects, newControllerRef, specSelector } from '../common/controllerref.js';
import { isPodReady, isTerminating, timeUntilAvailable } from '../common/pods.js';
import { KeyWorkers, errorMessage } from '../common/queue.js';
import { canonicalJSON, equalRevisionData, hashRevisionData, nextRevisionNumber, revisionData, revisionName, sortRevisions } from '../common/revision.js';
import { setStatus, updateStatusWithRetry } from '../common/status.js';
import { CONTROLLER_HASH_LABEL, GVR } from '../common/types.js';
import type { Controller, ControllerContext } from '../types.js';
import { updateStatefulSet, type StatefulPodControl } from './control.js';
import {
  completeRollingUpdate,
  getOrdinal,
  identityMatches,
  inconsistentStatus,
  isMemberOf,
  persistentVolumeClaims,
  podInOrdinalRange,
  podRevision,
  storageMatches,
  updateIdentity,
  updateStorage,
  withStatefulSetDefaults,
  type CR,
  type PodObj,
  type PVC,
  type SS,
} from './stateful.js';

export const CONTROLLER_NAME = 'statefulset';
const COMPONENT = 'statefulset-controller';
const API_VERSION = 'apps/v1';
const KIND = 'StatefulSet';

function keyOf(obj: { metadata?: { namespace?: string; name?: string } }): string {
  return `${obj.metadata?.namespace ?? ''}/${obj.metadata?.name ?? ''}`;
}

/** The claim owner references the retention policy wants for pod (updateClaimOwnerRefForSetAndPod). */
export function desiredClaimOwners(set: SS, pod: PodObj): { set: boolean; pod: boolean } {
  const policy = set.spec?.persistentVolumeClaimRetentionPolicy ?? {};
  const scaledDown = !podInOrdinalRange(pod, set);
  const whenDeleted = policy.whenDeleted ?? 'Retain';
  const whenScaled = policy.whenScaled ?? 'Retain';
  const wantPod = whenScaled === 'Delete' && scaledDown;
  const wantSet = whenDeleted === 'Delete' && !wantPod;
  return { set: wantSet, pod: wantPod };
}

function ownerRefsFor(claim: PVC, set: SS, pod: PodObj | undefined, want: { set: boolean; pod: boolean }): OwnerReference[] {
  const setUID = set.metadata?.uid ?? '';
  const podUID = pod?.metadata?.uid ?? '';
  const refs = (claim.metadata?.ownerReferences ?? []).filter((r) => r.uid !== setUID && (podUID === '' || r.uid !== podUID));
  if (want.set) refs.push({ apiVersion: API_VERSION, kind: KIND, name: set.metadata?.name ?? '', uid: setUID });
  if (want.pod && pod !== undefined && podUID !== '') refs.push({ apiVersion: 'v1', kind: 'Pod', name: pod.metadata?.name ?? '', uid: podUID });
  return refs;
}

class RealStatefulPodControl implements StatefulPodControl {
  constructor(
    private readonly ctx: ControllerContext,
    private readonly recorder: EventRecorder,
    private readonly pvcInformer: SharedInformer<PVC>,
  ) {}

  private podEvent(verb: string, set: SS, pod: PodObj, err?: unknown): void {
    const name = pod.metadata?.name ?? '';
    const setName = set.metadata?.name ?? '';
    if (err === undefined) this.recorder.event(set, 'Normal', `Successful${verb}`, `${verb.toLowerCase()} Pod ${name} in StatefulSet ${setName} successful`);
    else this.recorder.event(set, 'Warning', `Failed${verb}`, `${verb.toLowerCase()} Pod ${name} in StatefulSet ${setName} failed error: ${errorMessage(err)}`);
  }

  private claimEvent(verb: string, set: SS, pod: PodObj, claim: PVC, err?: unknown): void {
    const what = `${verb.toLowerCase()} Claim ${claim.metadata?.name ?? ''} Pod ${pod.metadata?.name ?? ''} in StatefulSet ${set.metadata?.name ?? ''}`;
    if (err === undefined) this.recorder.event(set, 'Normal', `Successful${verb}`, `${what} success`);
    else this.recorder.event(set, 'Warning', `Failed${verb}`, `${what} failed error: ${errorMessage(err)}`);
  }

  private async createClaims(set: SS, pod: PodObj): Promise<void> {
    const ns = set.metadata?.namespace ?? '';
    const errors: unknown[] = [];
    for (const claim of persistentVolumeClaims(set, getOrdinal(pod)).values()) {
      const name = claim.metadata?.name ?? '';
      const existing = this.pvcInformer.lister().get(ns, name);
      if (existing !== undefined) {
        if (isTerminating(existing)) errors.push(new Error(`pvc ${name} is being deleted`));
        continue;
      }
      const want = desiredClaimOwners(set, pod);
      const refs = ownerRefsFor(claim, set, undefined, { set: want.set, pod: false });
      if (refs.length > 0) claim.metadata = { ...claim.metadata, ownerReferences: refs };
      try {
        await this.ctx.client.create({ ...GVR.persistentVolumeClaims, namespace: ns }, claim);
        this.claimEvent('Create', set, pod, claim);
      } catch (e) {
        if (isAlreadyExists(e)) continue;
        this.claimEvent('Create', set, pod, claim, e);
        errors.push(new Error(`failed to create PVC ${name}: ${errorMessage(e)}`));
      }
    }
    if (errors.length > 0) throw errors[0];
  }

  async createStatefulPod(set: SS, pod: PodObj): Promise<void> {
    await this.createClaims(set, pod);
    try {
      await this.ctx.client.create({ ...GVR.pods, namespace: set.metadata?.namespace ?? '' }, pod);
      this.podEvent('Create', set, pod);
    } catch (e) {
      this.podEvent('Create', set, pod, e);
      throw e;
    }
  }

  async createMissingPersistentVolumeClaims(set: SS, pod: PodObj): Promise<void> {
    await this.createClaims(set, pod);
  }

  async updateStatefulPod(set: SS, pod: PodObj): Promise<void> {
    let cur = pod;
    for (let attempt = 0; ; attempt++) {
      let consistent = true;
      if (!identityMatches(set, cur)) {
        updateIdentity(set, cur);
        consistent = false;
      }
      if (!storageMatches(set, cur)) {
        updateStorage(set, cur);
        consistent = false;
        await this.createClaims(set, cur);
      }
      if (!this.claimsMatchRetentionPolicy(set, cur)) await this.updatePodClaimForRetentionPolicy(set, cur);
      if (consistent) return;
      try {
        await this.ctx.client.update({ ...GVR.pods, namespace: set.metadata?.namespace ?? '' }, cur);
        this.podEvent('Update', set, cur);
        return;
      } catch (e) {
        if (!isConflict(e) || attempt >= 2) {
          this.podEvent('Update', set, cur, e);
          throw e;
        }
        cur = await this.ctx.client.get<PodObj>({ ...GVR.pods, namespace: set.metadata?.namespace ?? '', name: cur.metadata?.name ?? '' });
      }
    }
  }

  async deleteStatefulPod(set: SS, pod: PodObj): Promise<void> {
    try {
      await this.ctx.client.delete({ ...GVR.pods, namespace: set.metadata?.namespace ?? '', name: pod.metadata?.name ?? '' });
      this.podEvent('Delete', set, pod);
    } catch (e) {
      if (!isNotFound(e)) this.podEvent('Delete', set, pod, e);
      throw e;
    }
  }

  claimsMatchRetentionPolicy(set: SS, pod: PodObj): boolean {
    const want = desiredClaimOwners(set, pod);
    const ns = set.metadata?.namespace ?? '';
    for (const c of persistentVolumeClaims(set, getOrdinal(pod)).values()) {
      const claim = this.pvcInformer.lister().get(ns, c.metadata?.name ?? '');
      if (claim === undefined) continue;
      const refs = claim.metadata?.ownerReferences ?? [];
      const hasSet = refs.some((r) => r.uid === set.metadata?.uid);
      const hasPod = refs.some((r) => r.uid === pod.metadata?.uid);
      if (hasSet !== want.set || (pod.metadata?.uid !== undefined && hasPod !== want.pod)) return false;
    }
    return true;
  }

  async updatePodClaimForRetentionPolicy(set: SS, pod: PodObj): Promise<void> {
    const want = desiredClaimOwners(set, pod);
    const ns = set.metadata?.namespace ?? '';
    for (const c of persistentVolumeClaims(set, getOrdinal(pod)).values()) {
      const claim = this.pvcInformer.lister().get(ns, c.metadata?.name ?? '');
      if (claim === undefined) continue;
      const refs = ownerRefsFor(claim, set, pod, want);
      if (canonicalJSON(refs) === canonicalJSON(claim.metadata?.ownerReferences ?? [])) continue;
      try {
        await this.ctx.client.patch({ ...GVR.persistentVolumeClaims, namespace: ns, name: claim.metadata?.name ?? '' }, 'merge', {
          metadata: { ownerReferences: refs.length > 0 ? refs : null, resourceVersion: claim.metadata?.resourceVersion },
        });
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
    }
  }
}

export class StatefulSetController implements Controller {
  readonly name = CONTROLLER_NAME;
  private readonly workers: KeyWorkers;
  private readonly setInformer: SharedInformer<SS>;
  private readonly podInformer: SharedInformer<PodObj>;
  private readonly pvcInformer: SharedInformer<PVC>;
  private readonly historyInformer: SharedInformer<CR>;
  private readonly recorder: EventRecorder;
  private readonly podControl: RealStatefulPodControl;
  private initialized = false;

  constructor(private readonly ctx: ControllerContext) {
    this.workers = new KeyWorkers({ name: CONTROLLER_NAME, ctx, sync: (k) => this.sync(k) });
    this.setInformer = ctx.informers.forResource<SS>(GVR.statefulSets);
    this.podInformer = ctx.informers.forResource<PodObj>(GVR.pods, { indexers: { [OWNER_UID_INDEX]: ownerUIDIndexFunc } });
    this.pvcInformer = ctx.informers.forResource<PVC>(GVR.persistentVolumeClaims);
    this.historyInformer = ctx.informers.forResource<CR>(GVR.controllerRevisions, { indexers: { [OWNER_UID_INDEX]: ownerUIDIndexFunc } });
    this.recorder = ctx.recorder(COMPONENT);
    this.podControl = new RealStatefulPodControl(ctx, this.recorder, this.pvcInformer);
  }

  init(): void {
    if (this.initialized) return;
    this.initialized = true;
    this.setInformer.addEventHandler({
      onAdd: (s) => this.enqueue(s),
      onUpdate: (_o, s) => this.enqueue(s),
      onDelete: (o) => this.enqueue(unwrapTombstone(o)),
    });
    this.podInformer.addEventHandler({
      onAdd: (p) => this.podChanged(undefined, p),
      onUpdate: (o, p) => this.podChanged(o, p),
      onDelete: (o) => this.podDeleted(o),
    });
  }

  run(workers: number): void {
    this.init();
    this.workers.run(workers);
  }

  async stop(): Promise<void> {
    await this.workers.stop();
  }

  private enqueue(set: SS): void {
    this.workers.add(keyOf(set));
  }

  private resolve(pod: PodObj): SS | undefined {
    const ref = getControllerOf(pod);
    if (ref === undefined || ref.kind !== KIND) return undefined;
    const set = this.setInformer.lister().get(pod.metadata?.namespace ?? '', ref.name);
    return set?.metadata?.uid === ref.uid ? set : undefined;
  }

  private setsForPod(pod: PodObj): SS[] {
    const labels = pod.metadata?.labels ?? {};
    if (Object.keys(labels).length === 0) return [];
    return this.setInformer
      .lister()
      .namespace(pod.metadata?.namespace ?? '')
      .list()
      .filter((s) => {
        try {
          const sel = specSelector(s.spec?.selector);
          return !isEverything(sel) && matches(sel, labels);
        } catch {
          return false;
        }
      });
  }

  private podChanged(old: PodObj | undefined, pod: PodObj): void {
    if (old !== undefined && old.metadata?.resourceVersion === pod.metadata?.resourceVersion) return;
    const oldRef = old !== undefined ? getControllerOf(old) : undefined;
    const curRef = getControllerOf(pod);
    if (old !== undefined && oldRef !== undefined && oldRef.uid !== curRef?.uid) {
      const s = this.resolve(old);
      if (s !== undefined) this.enqueue(s);
    }
    if (curRef !== undefined) {
      const s = this.resolve(pod);
      if (s === undefined) return;
      this.enqueue(s);
      const minReady = s.spec?.minReadySeconds ?? 0;
      if (old !== undefined && !isPodReady(old) && isPodReady(pod) && minReady > 0) this.workers.addAfter(keyOf(s), minReady * 1000 + 1000);
      return;
    }
    for (const s of this.setsForPod(pod)) this.enqueue(s);
  }

  private podDeleted(obj: PodObj | DeletedFinalStateUnknown<PodObj>): void {
    const s = this.resolve(unwrapTombstone(obj));
    if (s !== undefined) this.enqueue(s);
  }

  async sync(key: string): Promise<void> {
    const { namespace, name } = splitMetaNamespaceKey(key);
    const cached = this.setInformer.lister().get(namespace, name);
    if (cached === undefined) return;
    let selector: Selector;
    try {
      selector = specSelector(cached.spec?.selector);
    } catch (e) {
      this.recorder.event(cached, 'Warning', 'InvalidSelector', `Error parsing selector: ${errorMessage(e)}`);
      return;
    }
    const set = withStatefulSetDefaults(cached);
    const claimBase = { client: this.ctx.client, owner: set, ownerApiVersion: API_VERSION, ownerKind: KIND, selector };
    const revisions = sortRevisions(await claimObjects(this.historyInformer.lister().namespace(namespace).list(), { ...claimBase, gvr: GVR.controllerRevisions }));
    const pods = await claimObjects(this.podInformer.lister().namespace(namespace).list(), { ...claimBase, gvr: GVR.pods, filter: (p) => isMemberOf(set, p) });

    const { currentRevision, updateRevision, collisionCount } = await this.getRevisions(set, revisions);
    const now = this.ctx.clock.now();
    const result = await updateStatefulSet(set, currentRevision, updateRevision, collisionCount, pods, this.podControl, newControllerRef(set, API_VERSION, KIND), now);
    let err = result.error;
    try {
      await this.updateStatus(set, result.status);
    } catch (e) {
      err ??= e;
    }
    try {
      await this.truncateHistory(set, pods, revisions, currentRevision, updateRevision);
    } catch (e) {
      err ??= e;
    }
    if (err !== undefined) throw err;
    const minReady = set.spec?.minReadySeconds ?? 0;
    if (minReady > 0) {
      let soonest: number | undefined;
      for (const p of pods) {
        const left = timeUntilAvailable(p, minReady, now);
        if (left !== undefined) soonest = Math.min(soonest ?? left, left);
      }
      if (soonest !== undefined) this.workers.addAfter(key, soonest);
    }
  }

  private async updateStatus(set: SS, status: StatefulSetStatus): Promise<void> {
    completeRollingUpdate(set, status);
    if (!inconsistentStatus(set, status)) return;
    const cached = this.setInformer.lister().get(set.metadata?.namespace ?? '', set.metadata?.name ?? '') ?? set;
    await updateStatusWithRetry(this.ctx.client, GVR.statefulSets, cached, (o) => {
      const s: StatefulSetStatus = { ...(o.status ?? { replicas: 0 }), ...status };
      setStatus(o, s);
    });
  }

  /** The revision the set's template is at, and the current one (getStatefulSetRevisions). */
  private async getRevisions(set: SS, revisions: CR[]): Promise<{ currentRevision: CR; updateRevision: CR; collisionCount: number }> {
    let collisionCount = set.status?.collisionCount ?? 0;
    const build = (cc: number): CR => {
      const data = revisionData(set.spec?.template);
      const hash = hashRevisionData(canonicalJSON(data), cc);
      return {
        apiVersion: 'apps/v1',
        kind: 'ControllerRevision',
        metadata: {
          name: revisionName(set.metadata?.name ?? '', hash),
          namespace: set.metadata?.namespace ?? '',
          labels: { ...(set.spec?.template?.metadata?.labels ?? {}), [CONTROLLER_HASH_LABEL]: hash },
          annotations: { ...(set.metadata?.annotations ?? {}) },
          ownerReferences: [newControllerRef(set, API_VERSION, KIND)],
        },
        data,
        revision: nextRevisionNumber(revisions),
      };
    };
    let updateRevision = build(collisionCount);
    const equal = revisions.filter((r) => equalRevisionData(r, updateRevision));
    const last = revisions[revisions.length - 1];
    const lastEqual = equal[equal.length - 1];
    const ns = set.metadata?.namespace ?? '';
    if (lastEqual !== undefined && last !== undefined && equalRevisionData(last, lastEqual)) {
      updateRevision = last;
    } else if (lastEqual !== undefined) {
      const upd = structuredClone(lastEqual);
      upd.revision = updateRevision.revision;
      updateRevision = await this.ctx.client.update<CR>({ ...GVR.controllerRevisions, namespace: ns }, upd);
    } else {
      for (;;) {
        const candidate = build(collisionCount);
        try {
          updateRevision = await this.ctx.client.create<CR>({ ...GVR.controllerRevisions, namespace: ns }, candidate);
          break;
        } catch (e) {
          if (!isAlreadyExists(e)) throw e;
          const existing = await this.ctx.client.get<CR>({ ...GVR.controllerRevisions, namespace: ns, name: candidate.metadata?.name ?? '' });
          if (equalRevisionData(existing, candidate)) {
            updateRevision = existing;
            break;
          }
          collisionCount++;
        }
      }
    }
    const currentRevision = revisions.find((r) => r.metadata?.name === set.status?.currentRevision) ?? updateRevision;
    return { currentRevision, updateRevision, collisionCount };
  }

  private async truncateHistory(set: SS, pods: PodObj[], revisions: CR[], current: CR, update: CR): Promise<void> {
    const live = new Set<string>([current.metadata?.name ?? '', update.metadata?.name ?? '']);
    for (const p of pods) live.add(podRevision(p));
    const limit = set.spec?.revisionHistoryLimit ?? 10;
    if (revisions.length <= limit) return;
    for (const r of revisions.slice(0, revisions.length - limit)) {
      if (live.has(r.metadata?.name ?? '')) continue;
      try {
        await this.ctx.client.delete({ ...GVR.controllerRevisions, namespace: set.metadata?.namespace ?? '', name: r.metadata?.name ?? '' });
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
    }
  }
}

export function newStatefulSetController(ctx: ControllerContext): Controller {
  return new StatefulSetController(ctx);
}
