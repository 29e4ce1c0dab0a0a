/**
 * The revisioned key-value store every driver (memory, sqlite, later etcd) implements.
 * Its semantics are etcd's, because that is what the API server above it assumes:
 *
 * - One global revision counter, strictly increasing by one per successful write
 *   (create, update or delete). Reads never change it.
 * - Each key carries createRevision (the revision that created it) and modRevision
 *   (the revision of its last write). A key's resourceVersion in the API is its modRevision.
 * - create succeeds only if the key is absent; update and delete are conditioned on the
 *   key's current modRevision (optimistic concurrency), and fail with a distinct error code.
 * - list ranges over keys with a prefix in byte order, optionally at a past revision,
 *   with a limit and a continue key; it reports the revision it read at.
 * - watch delivers every change under a prefix from a start revision (inclusive, as etcd),
 *   in revision order, each change exactly once, with the previous value for updates and
 *   deletes.
 * - compact(rev) discards history below rev; a read or watch at a revision below the
 *   compacted one fails with code 'Compacted'.
 *
 * Values are opaque strings (the API server stores JSON).
 */

export interface KeyValue {
  key: string;
  value: string;
  createRevision: number;
  modRevision: number;
}

export type WatchEventType = 'create' | 'update' | 'delete';

export interface WatchEvent {
  type: WatchEventType;
  /** For create/update: the new value. For delete: the key with the deleted value and modRevision = the delete's revision. */
  kv: KeyValue;
  /** For update/delete: the value before the change. */
  prevKv?: KeyValue;
  /** The revision of this change (equal to kv.modRevision). */
  revision: number;
}

export type StorageErrorCode =
  /** create on a key that exists */
  | 'KeyExists'
  /** get/update/delete on a key that does not exist */
  | 'KeyNotFound'
  /** update/delete whose expected modRevision is not the key's current one */
  | 'Conflict'
  /** read or watch below the compacted revision */
  | 'Compacted'
  /** read at a revision newer than the store has */
  | 'FutureRevision'
  /** the store is closed or unreachable */
  | 'Unavailable'
  /** a request the driver refuses by name (bad arguments) */
  | 'InvalidRequest';

export class StorageError extends Error {
  readonly code: StorageErrorCode;
  readonly key: string | undefined;
  /** For Compacted: the compacted revision. For Conflict: the key's current modRevision. */
  readonly revision: number | undefined;
  /** For Conflict/KeyExists: the current value, so callers can report or retry without a second read. */
  readonly current: KeyValue | undefined;
  constructor(code: StorageErrorCode, message: string, opts: { key?: string; revision?: number; current?: KeyValue } = {}) {
    super(message);
    this.name = 'StorageError';
    this.code = code;
    this.key = opts.key;
    this.revision = opts.revision;
    this.current = opts.current;
  }
}

export function isStorageError(e: unknown, code?: StorageErrorCode): e is StorageError {
  return e instanceof StorageError && (code === undefined || e.code === code);
}

export interface GetResult {
  kv: KeyValue | undefined;
  /** The store revision the read happened at. */
  revision: number;
}

export interface ListOptions {
  /** Maximum number of keys to return; 0 or undefined means all. */
  limit?: number;
  /** Return keys strictly greater than this one (for pagination). Must start with the prefix. */
  after?: string;
  /** Read the state as of this revision; 0 or undefined means the latest. */
  revision?: number;
}

export interface ListResult {
  kvs: KeyValue[];
  /** True when the limit cut the result short. */
  more: boolean;
  /** The revision the list was read at (equal to the requested one when given). */
  revision: number;
}

export interface WriteResult {
  /** The revision of this write. */
  revision: number;
  kv: KeyValue;
}

export interface DeleteResult {
  revision: number;
  /** The value deleted. */
  prevKv: KeyValue;
}

export interface WatchOptions {
  /** First revision to deliver (inclusive). 0 or undefined: only changes after now. */
  startRevision?: number;
}

export interface Watcher {
  /** Stops delivery; no callback runs after stop() returns. Idempotent. */
  stop(): void;
}

export interface WatchCallbacks {
  /** Called with batches of events in revision order. Must not throw. */
  onEvents(events: WatchEvent[]): void;
  /** Called at most once when the watch cannot continue (e.g. Compacted); no events follow. */
  onError(err: StorageError): void;
}

export interface Store {
  /** The latest revision (0 for an empty, never-written store). */
  currentRevision(): Promise<number>;
  /** The revision below which history has been discarded (0 if never compacted). */
  compactedRevision(): Promise<number>;
  get(key: string, opts?: { revision?: number }): Promise<GetResult>;
  list(prefix: string, opts?: ListOptions): Promise<ListResult>;
  /** Number of live keys under prefix at the latest revision. */
  count(prefix: string): Promise<number>;
  /** Fails with KeyExists if the key is present. */
  create(key: string, value: string): Promise<WriteResult>;
  /** Fails with KeyNotFound if absent, Conflict if its modRevision != expectedModRevision. */
  update(key: string, value: string, expectedModRevision: number): Promise<WriteResult>;
  /** Fails with KeyNotFound if absent; with Conflict if expectedModRevision is given and differs. */
  delete(key: string, expectedModRevision?: number): Promise<DeleteResult>;
  /** If startRevision is compacted, onError is called (asynchronously) with code Compacted and `revision` = the compacted revision. */
  watch(prefix: string, opts: WatchOptions, cb: WatchCallbacks): Watcher;
  /** Discards history below revision. Compacting at or below the current compacted revision is a no-op. */
  compact(revision: number): Promise<void>;
  close(): Promise<void>;
}
