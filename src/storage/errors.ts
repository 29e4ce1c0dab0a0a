/**
 * Constructors for the StorageErrors every driver raises, so that the same condition
 * carries the same code, message and fields whichever driver reports it. Messages
 * follow etcd's wording where etcd has one, because operators will grep for it.
 */
import { StorageError, type KeyValue } from './interface.js';

export const storageErrors = {
  keyExists(key: string, current: KeyValue): StorageError {
    return new StorageError('KeyExists', `key already exists: ${key}`, { key, current, revision: current.modRevision });
  },
  keyNotFound(key: string): StorageError {
    return new StorageError('KeyNotFound', `key not found: ${key}`, { key });
  },
  conflict(key: string, expected: number, current: KeyValue): StorageError {
    return new StorageError(
      'Conflict',
      `conflict on ${key}: expected modRevision ${expected}, current is ${current.modRevision}`,
      { key, revision: current.modRevision, current },
    );
  },
  compacted(requested: number, compactRevision: number): StorageError {
    return new StorageError(
      'Compacted',
      `mvcc: required revision ${requested} has been compacted (compacted revision ${compactRevision})`,
      { revision: compactRevision },
    );
  },
  futureRevision(requested: number, current: number): StorageError {
    return new StorageError(
      'FutureRevision',
      `mvcc: required revision ${requested} is a future revision (current revision ${current})`,
      { revision: current },
    );
  },
  unavailable(why: string): StorageError {
    return new StorageError('Unavailable', `storage unavailable: ${why}`);
  },
  invalid(why: string): StorageError {
    return new StorageError('InvalidRequest', `invalid storage request: ${why}`);
  },
};
