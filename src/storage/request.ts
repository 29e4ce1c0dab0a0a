/**
 * Argument checks shared by the drivers, so that a bad request is refused by name
 * (InvalidRequest) the same way everywhere instead of being half-served.
 */
import type { ListOptions } from './interface.js';
import { storageErrors } from './errors.js';
import { isWellFormed } from './keys.js';

export function checkKey(key: unknown): asserts key is string {
  if (typeof key !== 'string' || key === '') throw storageErrors.invalid('key must be a non-empty string');
  if (!isWellFormed(key)) throw storageErrors.invalid(`key ${JSON.stringify(key)} is not well-formed UTF-16`);
}

export function checkPrefix(prefix: unknown): asserts prefix is string {
  if (typeof prefix !== 'string') throw storageErrors.invalid('prefix must be a string');
  if (!isWellFormed(prefix)) throw storageErrors.invalid(`prefix ${JSON.stringify(prefix)} is not well-formed UTF-16`);
}

export function checkValue(value: unknown): asserts value is string {
  if (typeof value !== 'string') throw storageErrors.invalid('value must be a string');
  // Durable drivers store UTF-8; an unpaired surrogate would silently become U+FFFD.
  if (!isWellFormed(value)) throw storageErrors.invalid('value is not well-formed UTF-16');
}

/** A revision argument: a non-negative safe integer (0 meaning "latest" where allowed). */
export function checkRevision(what: string, rev: unknown): asserts rev is number {
  if (typeof rev !== 'number' || !Number.isSafeInteger(rev) || rev < 0) {
    throw storageErrors.invalid(`${what} must be a non-negative integer, got ${String(rev)}`);
  }
}

/** An expected modRevision: a positive integer (a key's modRevision is never 0). */
export function checkExpected(rev: unknown): asserts rev is number {
  if (typeof rev !== 'number' || !Number.isSafeInteger(rev) || rev <= 0) {
    throw storageErrors.invalid(`expected modRevision must be a positive integer, got ${String(rev)}`);
  }
}

export interface NormalizedList {
  limit: number;
  after: string | undefined;
  revision: number;
}

export function checkListOptions(prefix: string, opts: ListOptions | undefined): NormalizedList {
  checkPrefix(prefix);
  const limit = opts?.limit ?? 0;
  if (typeof limit !== 'number' || !Number.isSafeInteger(limit) || limit < 0) {
    throw storageErrors.invalid(`limit must be a non-negative integer, got ${String(limit)}`);
  }
  const revision = opts?.revision ?? 0;
  checkRevision('revision', revision);
  const after = opts?.after === '' ? undefined : opts?.after;
  if (after !== undefined) {
    if (typeof after !== 'string' || !after.startsWith(prefix)) {
      throw storageErrors.invalid(`continue key ${JSON.stringify(after)} is not under prefix ${JSON.stringify(prefix)}`);
    }
    if (!isWellFormed(after)) throw storageErrors.invalid('continue key is not well-formed UTF-16');
  }
  return { limit, after, revision };
}
