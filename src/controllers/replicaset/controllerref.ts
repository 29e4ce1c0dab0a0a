/**
 * ControllerRef handling shared by the workload controllers (upstream's
 * controller_ref_manager.go): a controller claims the objects its selector matches,
 * adopting orphans (adding an ownerReference with controller: true) and releasing the
 * objects it owns that no longer match. Owner references are rewritten from the
 * object's latest state with a JSON merge patch carrying its resourceVersion, so a
 * concurrent change is never overwritten (a conflict is retried from a fresh read).
 */
import { StatusError } from '../../apimachinery/errors.js';
import { matches, type Selector } from '../../apimachinery/labels.js';
import { isConflict, isInvalid, isNotFound } from '../../client/errors.js';
import type { RestClient } from '../../client/rest.js';
import type { GroupVersionResource, KubeObject, OwnerReference } from '../../client/types.js';
import { errorMessage } from './worker.js';

/** The ownerReference with controller: true, if any. */
export function getControllerOf(obj: KubeObject | undefined): OwnerReference | undefined {
  const refs = obj?.metadata?.ownerReferences;
  if (!Array.isArray(refs)) return undefined;
  return refs.find((r) => r.controller === true);
}

/** An ownerReference making owner the controller of an object (upstream's NewControllerRef). */
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

/** True when err is a StatusError carrying a cause with this reason (apierrors.HasStatusCause). */
export function hasStatusCause(err: unknown, cause: string): boolean {
  return err instanceof StatusError && (err.details?.causes ?? []).some((c) => c.reason === cause);
}

/** The cause the API server gives a create refused in a terminating namespace. */
export const NAMESPACE_TERMINATING_CAUSE = 'NamespaceTerminating';

export interface ObjectTarget {
  gvr: GroupVersionResource;
  namespace: string;
  name: string;
  /** When given, an object with another uid (deleted and recreated) is left alone. */
  uid?: string;
}

/**
 * Rewrites an object's ownerReferences from its latest state. mutate gets the current
 * references and object and returns the new list, or undefined to leave it unchanged.
 * Resolves with the written object, or undefined when nothing was written (unchanged, or
 * the object is a different one now). A NotFound error propagates.
 */
export async function patchOwnerReferences(
  client: RestClient,
  target: ObjectTarget,
  mutate: (refs: OwnerReference[], latest: KubeObject) => OwnerReference[] | undefined,
): Promise<KubeObject | undefined> {
  const ref = { ...target.gvr, ...(target.namespace !== '' ? { namespace: target.namespace } : {}), name: target.name };
  let lastErr: unknown;
  for (let attempt = 0; attempt < 5; attempt++) {
    const latest = await client.get(ref);
    if (target.uid !== undefined && latest.metadata?.uid !== target.uid) return undefined;
    const refs = [...(latest.metadata?.ownerReferences ?? [])];
    const next = mutate(refs, latest);
    if (next === undefined) return undefined;
    const patch = { metadata: { ownerReferences: next.length > 0 ? next : null, resourceVersion: latest.metadata?.resourceVersion } };
    try {
      return await client.patch(ref, 'merge', patch);
    } catch (e) {
      if (!isConflict(e)) throw e;
      lastErr = e;
    }
  }
  throw lastErr;
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
    if (fresh.metadata?.deletionTimestamp !== undefined) {
      throw new Error(`${m.namespace ?? ''}/${m.name ?? ''} has just been deleted at ${fresh.metadata.deletionTimestamp}`);
    }
  };
}

export interface ClaimOptions {
  client: RestClient;
  /** The would-be controller, as cached. */
  owner: KubeObject;
  ownerApiVersion: string;
  ownerKind: string;
  /** The resource of the objects being claimed. */
  gvr: GroupVersionResource;
  selector: Selector;
  /** Called once, before the first adoption; throws when the owner may not adopt. */
  canAdopt: () => Promise<void>;
}

/**
 * Claims objects for owner (upstream's ClaimObject over a list): keeps those it controls
 * and that match, adopts matching orphans, releases owned ones that stopped matching.
 * Resolves with the claimed objects; throws (after trying every object) when an adoption
 * or release failed, so the caller requeues.
 */
export async function claimObjects<T extends KubeObject>(objs: readonly T[], o: ClaimOptions): Promise<T[]> {
  const ownerMeta = o.owner.metadata ?? {};
  const ownerUID = ownerMeta.uid ?? '';
  const ownerDeleting = ownerMeta.deletionTimestamp !== undefined;
  const match = (obj: KubeObject): boolean => matches(o.selector, obj.metadata?.labels);
  let canAdopt: Promise<void> | undefined;
  const claimed: T[] = [];
  const errs: string[] = [];
  const target = (obj: KubeObject): ObjectTarget => ({
    gvr: o.gvr,
    namespace: obj.metadata?.namespace ?? '',
    name: obj.metadata?.name ?? '',
    uid: obj.metadata?.uid ?? '',
  });
  for (const obj of objs) {
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
        if (!isNotFound(e) && !isInvalid(e)) errs.push(errorMessage(e));
      }
      continue;
    }
    // An orphan.
    if (ownerDeleting || !match(obj) || obj.metadata?.deletionTimestamp !== undefined) continue;
    if (ownerMeta.namespace !== undefined && ownerMeta.namespace !== '' && ownerMeta.namespace !== obj.metadata?.namespace) continue;
    try {
      canAdopt ??= o.canAdopt();
      await canAdopt;
      const adopted = await patchOwnerReferences(o.client, target(obj), (refs, latest) => {
        if (getControllerOf(latest) !== undefined || latest.metadata?.deletionTimestamp !== undefined || !match(latest)) return undefined;
        return [...refs.filter((r) => r.uid !== ownerUID), newControllerRef(o.owner, o.ownerApiVersion, o.ownerKind)];
      });
      if (adopted !== undefined) claimed.push(adopted as T);
    } catch (e) {
      if (!isNotFound(e)) errs.push(errorMessage(e));
    }
  }
  const uniq = [...new Set(errs)];
  if (uniq.length > 0) throw new Error(uniq.length === 1 ? uniq[0] : `[${uniq.join(', ')}]`);
  return claimed;
}
