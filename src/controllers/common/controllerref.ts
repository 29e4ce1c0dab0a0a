/**
 * ControllerRef handling (upstream controller_ref_manager.go): a controller owns the
 * objects whose controller ownerReference carries its UID. Claiming a list of
 * candidates adopts matching orphans (after an uncached re-read of the owner proves it
 * is not being deleted), releases owned objects that no longer match, and ignores
 * objects another controller owns.
 *
 * Patches are JSON merge patches carrying the object's resourceVersion, so a change
 * racing ours is a 409 Conflict and the controller's sync is retried.
 */
import type { LabelSelector } from 'kubernetes-types/meta/v1.js';
import { getControllerOf } from '../../apimachinery/meta.js';
import { matches, selectorFromLabelSelector, type Selector } from '../../apimachinery/labels.js';
import { isNotFound } from '../../client/errors.js';
import type { RestClient } from '../../client/rest.js';
import type { GroupVersionResource, KubeObject, OwnerReference } from '../../client/types.js';
import { isTerminating } from './pods.js';

/** The ownerReference a controller puts on what it creates (metav1.NewControllerRef). */
export function newControllerRef(owner: KubeObject, apiVersion: string, kind: string): OwnerReference {
  return {
    apiVersion,
    kind,
    name: owner.metadata?.name ?? '',
    uid: owner.metadata?.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  };
}

/** The controller ownerReference when it points at kind (and, given one, this uid). */
export function controllerRefOf(obj: KubeObject, kind: string): OwnerReference | undefined {
  const ref = getControllerOf(obj);
  return ref !== undefined && ref.kind === kind ? ref : undefined;
}

/** Whether obj's controller is owner. */
export function isControlledBy(obj: KubeObject, owner: KubeObject): boolean {
  const ref = getControllerOf(obj);
  return ref !== undefined && ref.uid !== '' && ref.uid === owner.metadata?.uid;
}

/**
 * A label selector from a spec field; a missing selector selects nothing, an empty one
 * everything (as metav1.LabelSelectorAsSelector). Throws 400 on an invalid selector.
 */
export function specSelector(sel: LabelSelector | undefined | null): Selector {
  return selectorFromLabelSelector(sel);
}

export interface ClaimOptions<T extends KubeObject> {
  client: RestClient;
  /** The dependents' resource (pods, controllerrevisions, ...). */
  gvr: GroupVersionResource;
  owner: KubeObject;
  ownerApiVersion: string;
  ownerKind: string;
  selector: Selector;
  /** Further condition for a match (StatefulSet: the pod's name belongs to the set). */
  filter?: (obj: T) => boolean;
  /** Finalizers added to adopted objects (Jobs add their tracking finalizer). */
  adoptFinalizers?: string[];
}

/**
 * Claims candidates for owner: returns the objects owner controls after adoption and
 * release (the cached objects, adopted ones included). Throws when a patch fails for a
 * reason other than the object being gone, or when the owner cannot adopt.
 */
export async function claimObjects<T extends KubeObject>(candidates: readonly T[], o: ClaimOptions<T>): Promise<T[]> {
  const ownerUID = o.owner.metadata?.uid ?? '';
  const ownerDeleting = isTerminating(o.owner);
  const ns = o.owner.metadata?.namespace ?? '';
  let adoptChecked: Promise<void> | undefined;
  const canAdopt = (): Promise<void> => (adoptChecked ??= recheckOwner(o));
  const match = (obj: T): boolean => matches(o.selector, obj.metadata?.labels) && (o.filter === undefined || o.filter(obj));
  const claimed: T[] = [];
  const errors: unknown[] = [];
  for (const obj of candidates) {
    const ref = getControllerOf(obj);
    try {
      if (ref !== undefined) {
        if (ref.uid !== ownerUID) continue;
        if (match(obj)) {
          claimed.push(obj);
          continue;
        }
        if (ownerDeleting) continue;
        await release(obj, o);
        continue;
      }
      if (ownerDeleting || !match(obj) || isTerminating(obj)) continue;
      if (ns !== '' && (obj.metadata?.namespace ?? '') !== ns) continue;
      await canAdopt();
      if (await adopt(obj, o)) claimed.push(obj);
    } catch (e) {
      errors.push(e);
    }
  }
  if (errors.length > 0) throw errors[0];
  return claimed;
}

async function recheckOwner<T extends KubeObject>(o: ClaimOptions<T>): Promise<void> {
  const { group, version } = splitAPIVersion(o.ownerApiVersion);
  const fresh = await o.client.get({
    group,
    version,
    resource: pluralOf(o.ownerKind),
    namespace: o.owner.metadata?.namespace ?? '',
    name: o.owner.metadata?.name ?? '',
  });
  if (fresh.metadata?.uid !== o.owner.metadata?.uid) {
    throw new Error(`original ${o.ownerKind} ${o.owner.metadata?.namespace}/${o.owner.metadata?.name} is gone: got uid ${fresh.metadata?.uid}, wanted ${o.owner.metadata?.uid}`);
  }
  if (isTerminating(fresh)) {
    throw new Error(`${o.owner.metadata?.namespace}/${o.owner.metadata?.name} has just been deleted at ${fresh.metadata?.deletionTimestamp}`);
  }
}

async function adopt<T extends KubeObject>(obj: T, o: ClaimOptions<T>): Promise<boolean> {
  const refs = [...(obj.metadata?.ownerReferences ?? []).filter((r) => r.uid !== o.owner.metadata?.uid), newControllerRef(o.owner, o.ownerApiVersion, o.ownerKind)];
  const meta: Record<string, unknown> = { ownerReferences: refs, resourceVersion: obj.metadata?.resourceVersion };
  if (o.adoptFinalizers !== undefined && o.adoptFinalizers.length > 0) {
    const fins = [...(obj.metadata?.finalizers ?? [])];
    for (const f of o.adoptFinalizers) if (!fins.includes(f)) fins.push(f);
    meta['finalizers'] = fins;
  }
  try {
    await o.client.patch({ ...o.gvr, namespace: obj.metadata?.namespace ?? '', name: obj.metadata?.name ?? '' }, 'merge', { metadata: meta });
    return true;
  } catch (e) {
    if (isNotFound(e)) return false;
    throw e;
  }
}

async function release<T extends KubeObject>(obj: T, o: ClaimOptions<T>): Promise<void> {
  const refs = (obj.metadata?.ownerReferences ?? []).filter((r) => r.uid !== o.owner.metadata?.uid);
  try {
    await o.client.patch({ ...o.gvr, namespace: obj.metadata?.namespace ?? '', name: obj.metadata?.name ?? '' }, 'merge', {
      metadata: { ownerReferences: refs.length > 0 ? refs : null, resourceVersion: obj.metadata?.resourceVersion },
    });
  } catch (e) {
    // Gone already, or (422) its owner references changed under us: nothing to release.
    if (isNotFound(e)) return;
    throw e;
  }
}

function splitAPIVersion(av: string): { group: string; version: string } {
  const i = av.indexOf('/');
  return i < 0 ? { group: '', version: av } : { group: av.slice(0, i), version: av.slice(i + 1) };
}

const PLURALS: Record<string, string> = {
  DaemonSet: 'daemonsets',
  StatefulSet: 'statefulsets',
  Job: 'jobs',
  CronJob: 'cronjobs',
  ReplicaSet: 'replicasets',
  Deployment: 'deployments',
  ReplicationController: 'replicationcontrollers',
};

function pluralOf(kind: string): string {
  return PLURALS[kind] ?? `${kind.toLowerCase()}s`;
}
