/**
 * Writing a status subresource the way upstream controllers do: PUT the object we
 * read with the new status; on 409 Conflict re-read it and try again (a few times),
 * since only the status is ours to set.
 */
import { isConflict } from '../../client/errors.js';
import type { RestClient } from '../../client/rest.js';
import type { GroupVersionResource, KubeObject } from '../../client/types.js';

export const STATUS_UPDATE_RETRIES = 1;

export async function updateStatusWithRetry<T extends KubeObject>(
  client: RestClient,
  gvr: GroupVersionResource,
  obj: T,
  setStatus: (o: T) => void,
  retries = STATUS_UPDATE_RETRIES,
): Promise<T> {
  let cur = structuredClone(obj);
  for (let attempt = 0; ; attempt++) {
    setStatus(cur);
    try {
      return await client.updateStatus<T>({ ...gvr, namespace: cur.metadata?.namespace ?? '', name: cur.metadata?.name ?? '' }, cur);
    } catch (e) {
      if (!isConflict(e) || attempt >= retries) throw e;
      cur = await client.get<T>({ ...gvr, namespace: obj.metadata?.namespace ?? '', name: obj.metadata?.name ?? '' });
      if (cur.metadata?.uid !== obj.metadata?.uid) throw e;
    }
  }
}

/** Sets .status on an object whose typings mark it read-only (kubernetes-types does). */
export function setStatus<T extends KubeObject>(obj: T, status: unknown): void {
  (obj as { status?: unknown }).status = status;
}
