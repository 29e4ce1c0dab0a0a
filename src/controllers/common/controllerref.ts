/**
 * ControllerRef handling (upstream controller_ref_manager.go): a controller owns the
 * objects whose controller ownerReference carries its UID. Claiming a list of
 * candidates keeps the owned ones that still match, adopts matching orphans (after an
 * uncached re-read of the owner proves it is still there and not being deleted),
 * releases owned objects that stopped matching, and ignores objects another controller
 * owns. Adoption and release go through patchOwnerReferences, so a write racing ours is
 * retried from the object's latest state instead of failing the sync.
 */
import type { LabelSelector } from 'kubernetes-types/meta/v1.js';
import { getControllerOf } from '../../apimachinery/meta.js';
import { matches, selectorFromLabelSelector, type Selector } from '../../apimachinery/labels.js';
import { isInvalid, isNotFound } from '../../client/errors.js';
import type { RestClient } from '../../client/rest.js';
import type { GroupVersionResource, KubeObject, OwnerReference } from '../../client/types.js';
import { patchOwnerReferences, type ObjectTarget } from './ownerreferences.js';
import { isTerminating } from './pods.js';
import { errorMessage } from './queue.js';

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

/** The controller ownerReference when it points at kind. */
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

/**
 * A canAdopt check (upstream's RecheckDeletionTimestamp): reads the owner afresh and
 * refuses when it is gone, was replaced (another uid) or is being deleted.
 */
export function recheckDeletionTimestamp(owner: KubeObject, fetch: () => Promise<KubeObject>): () => Promise<void> {
  return async () => {
    const fresh = await fetch();
    const m = owner.metadata ?? {};
    if (fresh.metadata?.uid !== m.uid) {
      throw new Error(`original ${owner.kind ?? 'object'} ${m.namespace ?? ''}/${m.name ?? ''} is gone: got uid ${String(fresh.metadata?.uid)}, wanted ${String(m.uid)}`);
    }
    if (isTerminating(fresh)) {
      throw new Error(`${m.namespace ?? ''}/${m.name ?? ''} has just been deleted at ${String(fresh.metadata?.deletionTimestamp)}`);
    }
  };
}

export interface ClaimOptions<T extends KubeObject> {
  client: RestClient;
  /** The would-be controller, as cached. */
  owner: KubeObject;
  ownerApiVersion: string;
  ownerKind: string;
  /** The dependents' resource (pods, replicasets, controllerrevisions, ...). */
  gvr: GroupVersionResource;
  selector: Selector;
  /** Further condition for a match (StatefulSet: the pod's name belongs to the set). */
  filter?: (obj: T) => boolean;
  /** Finalizers added to adopted objects (Jobs add their tracking finalizer). */
  adoptFinalizers?: readonly string[];
  /**
   * Called once, before the first adoption; throws when the owner may not adopt. By
   * default the owner is re-read from the API server (recheckDeletionTimestamp).
   */
  canAdopt?: () => Promise<void>;
}

/**
 * Claims candidates for owner (upstream's ClaimObject over a list). Resolves with the
 * objects owner controls afterwards: the cached ones it already owned, and the written
 * state of those it adopted. Throws (after trying every candidate) when an adoption or
 * release failed for a reason other than the object being gone, so the caller requeues.
 */
export async function claimObjects<T extends KubeObject>(candidates: readonly T[], o: ClaimOptions<T>): Promise<T[]> {
  const ownerMeta = o.owner.metadata ?? {};
  const ownerUID = ownerMeta.uid ?? '';
  const ownerDeleting = isTerminating(o.owner);
  const ownerNS = ownerMeta.namespace ?? '';
  const match = (obj: KubeObject): boolean => matches(o.selector, obj.metadata?.labels) && (o.filter === undefined || o.filter(obj as T));
  let adoptChecked: Promise<void> | undefined;
  const canAdopt = (): Promise<void> => (adoptChecked ??= (o.canAdopt ?? defaultCanAdopt(o))());
  const claimed: T[] = [];
  const errors: unknown[] = [];
  const target = (obj: KubeObject): ObjectTarget => ({
    gvr: o.gvr,
    namespace: obj.metadata?.namespace ?? '',
    name: obj.metadata?.name ?? '',
    uid: obj.metadata?.uid ?? '',
  });
  for (const obj of candidates) {
    const ref = getControllerOf(obj);
    if (ref !== undefined) {
      if (ref.uid !== ownerUID) continue; // someone else's
      if (match(obj)) {
        claimed.push(obj);
        continue;
      }
      if (ownerDeleting) continue;
      try {
        await patchOwnerReferences(o.client, target(obj), (refs) => (refs.some((r) => r.uid === ownerUID) ? refs.filter((r) => r.uid !== ownerUID) : undefined));
      } catch (e) {
        // Gone, or (422) its owner references changed under us: nothing left to release.
        if (!isNotFound(e) && !isInvalid(e)) errors.push(e);
      }
      continue;
    }
    // An orphan.
    if (ownerDeleting || !match(obj) || isTerminating(obj)) continue;
    if (ownerNS !== '' && (obj.metadata?.namespace ?? '') !== ownerNS) continue;
    try {
      await canAdopt();
    } catch (e) {
      errors.push(e);
      continue;
    }
    try {
      const adopted = await patchOwnerReferences(
        o.client,
        target(obj),
        (refs, latest) => {
          if (getControllerOf(latest) !== undefined || isTerminating(latest) || !match(latest)) return undefined;
          return [...refs.filter((r) => r.uid !== ownerUID), newControllerRef(o.owner, o.ownerApiVersion, o.ownerKind)];
        },
        o.adoptFinalizers !== undefined ? { addFinalizers: o.adoptFinalizers } : {},
      );
      if (adopted !== undefined) claimed.push(adopted as T);
    } catch (e) {
      if (!isNotFound(e)) errors.push(e);
    }
  }
  throwAggregate(errors);
  return claimed;
}

/** Throws the one error (keeping its type), or one aggregating several distinct messages. */
function throwAggregate(errors: readonly unknown[]): void {
  if (errors.length === 0) return;
  const messages = [...new Set(errors.map(errorMessage))];
  if (messages.length === 1) throw errors[0];
  throw new Error(`[${messages.join(', ')}]`);
}

function defaultCanAdopt<T extends KubeObject>(o: ClaimOptions<T>): () => Promise<void> {
  const { group, version } = splitAPIVersion(o.ownerApiVersion);
  const m = o.owner.metadata ?? {};
  const ref = { group, version, resource: pluralOf(o.ownerKind), namespace: m.namespace ?? '', name: m.name ?? '' };
  return recheckDeletionTimestamp({ ...o.owner, kind: o.ownerKind }, () => o.client.get(ref));
}

function splitAPIVersion(av: string): { group: string; version: string } {
  const i = av.indexOf('/');
  return i < 0 ? { group: '', version: av } : { group: av.slice(0, i), version: av.slice(i + 1) };
}

const PLURALS: Readonly<Record<string, string>> = {
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
