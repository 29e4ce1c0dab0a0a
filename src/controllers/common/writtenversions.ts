/**
 * Remembers, per object, the resourceVersions the controller's own writes replaced, so
 * a sync can tell that its informer has not yet caught up with those writes (the cache
 * still holds a replaced version) and wait for the watch event instead of acting on
 * stale state and failing with a 409. Versions are only compared for equality.
 */
export class WrittenVersions {
  private readonly m = new Map<string, Set<string>>();

  /** The object at key was written over version rv. */
  wrote(key: string, rv: string | undefined): void {
    if (rv === undefined || rv === '') return;
    let s = this.m.get(key);
    if (s === undefined) {
      s = new Set();
      this.m.set(key, s);
    }
    s.add(rv);
  }

  /** True while the cache holds a version one of our writes replaced; otherwise forgets key. */
  stale(key: string, cachedRV: string | undefined): boolean {
    const s = this.m.get(key);
    if (s === undefined) return false;
    if (cachedRV !== undefined && s.has(cachedRV)) return true;
    this.m.delete(key);
    return false;
  }

  forget(key: string): void {
    this.m.delete(key);
  }
}
