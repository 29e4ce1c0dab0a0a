/**
 * A set of keys kept in byte order, for prefix scans with a start key. A sorted array
 * with binary search: lookups are O(log n), inserts and removals move O(n) pointers,
 * which for the key counts a control plane holds (1e5) is a few microseconds of memmove
 * and far cheaper in constants and memory than a balanced tree.
 */
import { compareKeys } from './keys.js';

export class SortedKeys {
  private readonly keys: string[] = [];

  get size(): number {
    return this.keys.length;
  }

  /** Index of the first key >= k. */
  lowerBound(k: string): number {
    let lo = 0;
    let hi = this.keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareKeys(this.keys[mid]!, k) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Index of the first key > k. */
  upperBound(k: string): number {
    const i = this.lowerBound(k);
    return i < this.keys.length && this.keys[i] === k ? i + 1 : i;
  }

  has(k: string): boolean {
    const i = this.lowerBound(k);
    return i < this.keys.length && this.keys[i] === k;
  }

  /** Adds k; returns false if it was present. */
  insert(k: string): boolean {
    const i = this.lowerBound(k);
    if (i < this.keys.length && this.keys[i] === k) return false;
    this.keys.splice(i, 0, k);
    return true;
  }

  /** Removes k; returns false if it was absent. */
  remove(k: string): boolean {
    const i = this.lowerBound(k);
    if (i >= this.keys.length || this.keys[i] !== k) return false;
    this.keys.splice(i, 1);
    return true;
  }

  at(i: number): string | undefined {
    return this.keys[i];
  }

  /**
   * Keys that start with prefix, in order, beginning after `after` when given
   * (exclusive). Keys with a common prefix are contiguous in byte order, so the scan
   * stops at the first key that does not match.
   */
  *scan(prefix: string, after?: string): Generator<string> {
    let i = after !== undefined && compareKeys(after, prefix) >= 0 ? this.upperBound(after) : this.lowerBound(prefix);
    for (; i < this.keys.length; i++) {
      const k = this.keys[i]!;
      if (!k.startsWith(prefix)) return;
      yield k;
    }
  }
}
