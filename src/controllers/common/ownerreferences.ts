/**
 * Rewriting an object's ownerReferences (adoption, release, the garbage collector's
 * orphaning and dangling-reference removal). The new list is computed from the object's
 * latest state and written with a JSON merge patch carrying that resourceVersion, so a
 * concurrent change is never overwritten; on a 409 the object is read again and the
 * rewrite recomputed, which is why callers do not fail on unrelated concurrent writes.
 */
import { isConflict } from '../../client/errors.js';
import type { RestClient } from '../../client/rest.js';
import type { GroupVersionResource, KubeObject, OwnerReference } from '../../client/types.js';

/** Conflicts tolerated before the last one is given up on. */
const MAX_ATTEMPTS = 5;

export interface ObjectTarget {
  gvr: GroupVersionResource;
  namespace: string;
  name: string;
  /** When given, an object with another uid (deleted and recreated) is left alone. */
  uid?: string;
}

export interface PatchOwnerReferencesOptions {
  /** Finalizers the same write adds when missing (a Job adopting a pod adds its tracking finalizer). */
  addFinalizers?: readonly string[];
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
  opts: PatchOwnerReferencesOptions = {},
): Promise<KubeObject | undefined> {
  const ref = { ...target.gvr, ...(target.namespace !== '' ? { namespace: target.namespace } : {}), name: target.name };
  let lastErr: unknown;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const latest = await client.get(ref);
    if (target.uid !== undefined && latest.metadata?.uid !== target.uid) return undefined;
    const refs = [...(latest.metadata?.ownerReferences ?? [])];
    const next = mutate(refs, latest);
    if (next === undefined) return undefined;
    const metadata: Record<string, unknown> = { ownerReferences: next.length > 0 ? next : null, resourceVersion: latest.metadata?.resourceVersion };
    const finalizers = withFinalizers(latest.metadata?.finalizers, opts.addFinalizers);
    if (finalizers !== undefined) metadata['finalizers'] = finalizers;
    try {
      return await client.patch(ref, 'merge', { metadata });
    } catch (e) {
      if (!isConflict(e)) throw e;
      lastErr = e;
    }
  }
  throw lastErr;
}

/** The finalizer list with add appended, or undefined when nothing is missing. */
function withFinalizers(current: readonly string[] | undefined, add: readonly string[] | undefined): string[] | undefined {
  const missing = (add ?? []).filter((f) => !(current ?? []).includes(f));
  return missing.length > 0 ? [...(current ?? []), ...new Set(missing)] : undefined;
}
