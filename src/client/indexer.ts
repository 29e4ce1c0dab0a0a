/**
 * The informer cache: objects by key ("namespace/name", or "name" for cluster-scoped
 * objects) plus secondary indexes, as client-go's thread-safe store + Indexer. JS runs
 * one thing at a time, so every operation here is atomic with respect to the others.
 *
 * Contract:
 *   - Objects in the cache are shared with every reader: never mutate one; deepCopy
 *     (structuredClone) before changing it.
 *   - An index function maps an object to zero or more index values; byIndex(name, v)
 *     returns every object whose function yielded v. Indexes stay current through
 *     add/update/delete/replace, and indexers added later are built over what is there.
 *   - The namespace index ("namespace") is always present. Other packages register
 *     their own with addIndexers (ownerUIDIndexFunc, nodeNameIndexFunc are here to share).
 */
import type { KubeObject } from './types.js';

export type KeyFunc<T> = (obj: T) => string;
export type IndexFunc<T> = (obj: T) => string[];
export type Indexers<T> = Record<string, IndexFunc<T>>;

export const NAMESPACE_INDEX = 'namespace';
export const OWNER_UID_INDEX = 'ownerUID';
export const NODE_NAME_INDEX = 'nodeName';

/**
 * What a delete handler gets when the informer learned of a deletion only by its
 * absence from a relist: the key and the last state the cache held (possibly stale).
 */
export class DeletedFinalStateUnknown<T> {
  constructor(
    readonly key: string,
    readonly obj: T,
  ) {}
}

/** The object itself, or the last known state inside a tombstone. */
export function unwrapTombstone<T>(obj: T | DeletedFinalStateUnknown<T>): T {
  return obj instanceof DeletedFinalStateUnknown ? obj.obj : obj;
}

/** "namespace/name", or "name" for an object without a namespace (client-go's MetaNamespaceKeyFunc). */
export function metaNamespaceKey(obj: KubeObject): string {
  const name = obj.metadata?.name;
  if (typeof name !== 'string' || name === '') throw new Error('object has no metadata.name');
  const ns = obj.metadata?.namespace;
  return typeof ns === 'string' && ns !== '' ? `${ns}/${name}` : name;
}

/** The key of an object or of a tombstone (DeletionHandlingMetaNamespaceKeyFunc). */
export function deletionHandlingKey(obj: KubeObject | DeletedFinalStateUnknown<KubeObject>): string {
  return obj instanceof DeletedFinalStateUnknown ? obj.key : metaNamespaceKey(obj);
}

/** Splits a key into namespace ('' for cluster-scoped) and name. */
export function splitMetaNamespaceKey(key: string): { namespace: string; name: string } {
  const parts = key.split('/');
  if (parts.length === 1) return { namespace: '', name: parts[0] ?? '' };
  if (parts.length === 2) return { namespace: parts[0] ?? '', name: parts[1] ?? '' };
  throw new Error(`unexpected key format: "${key}"`);
}

export function namespaceIndexFunc(obj: KubeObject): string[] {
  return [obj.metadata?.namespace ?? ''];
}

/** Every owner's UID: lets a controller find the objects a deleted owner leaves behind. */
export function ownerUIDIndexFunc(obj: KubeObject): string[] {
  const refs = obj.metadata?.ownerReferences;
  if (!Array.isArray(refs)) return [];
  return refs.map((r) => r.uid).filter((u): u is string => typeof u === 'string' && u !== '');
}

/** spec.nodeName (pods bound to a node); nothing for unscheduled pods. */
export function nodeNameIndexFunc(obj: KubeObject): string[] {
  const spec = obj['spec'];
  const node = typeof spec === 'object' && spec !== null ? (spec as Record<string, unknown>)['nodeName'] : undefined;
  return typeof node === 'string' && node !== '' ? [node] : [];
}

export interface IndexerOptions<T> {
  keyFunc?: KeyFunc<T>;
  indexers?: Indexers<T>;
}

export class Indexer<T extends KubeObject = KubeObject> {
  private readonly items = new Map<string, T>();
  private readonly indexers = new Map<string, IndexFunc<T>>();
  /** index name -> index value -> keys */
  private readonly indices = new Map<string, Map<string, Set<string>>>();
  readonly keyFunc: KeyFunc<T>;

  constructor(opts: IndexerOptions<T> = {}) {
    this.keyFunc = opts.keyFunc ?? metaNamespaceKey;
    this.addIndexers({ [NAMESPACE_INDEX]: namespaceIndexFunc, ...(opts.indexers ?? {}) });
  }

  /** Registers more indexes, built at once over the cached objects. A name already taken is an error. */
  addIndexers(indexers: Indexers<T>): void {
    for (const name of Object.keys(indexers)) if (this.indexers.has(name)) throw new Error(`indexer "${name}" already exists`);
    for (const [name, fn] of Object.entries(indexers)) {
      this.indexers.set(name, fn);
      const index = new Map<string, Set<string>>();
      this.indices.set(name, index);
      for (const [key, obj] of this.items) for (const v of fn(obj)) addTo(index, v, key);
    }
  }

  /** The names of the registered indexes. */
  indexNames(): string[] {
    return [...this.indexers.keys()];
  }

  get size(): number {
    return this.items.size;
  }

  /** Adds or replaces obj; returns the object it replaced, if any. */
  add(obj: T): T | undefined {
    return this.put(this.keyFunc(obj), obj);
  }

  update(obj: T): T | undefined {
    return this.put(this.keyFunc(obj), obj);
  }

  /** Removes obj (by key); returns what was cached under that key. */
  delete(obj: T): T | undefined {
    return this.deleteByKey(this.keyFunc(obj));
  }

  deleteByKey(key: string): T | undefined {
    const old = this.items.get(key);
    if (old === undefined) return undefined;
    this.unindex(key, old);
    this.items.delete(key);
    return old;
  }

  get(obj: T): T | undefined {
    return this.items.get(this.keyFunc(obj));
  }

  getByKey(key: string): T | undefined {
    return this.items.get(key);
  }

  list(): T[] {
    return [...this.items.values()];
  }

  listKeys(): string[] {
    return [...this.items.keys()];
  }

  /** Replaces the whole content with items, rebuilding the indexes. */
  replace(items: readonly T[]): void {
    this.items.clear();
    for (const index of this.indices.values()) index.clear();
    for (const obj of items) this.put(this.keyFunc(obj), obj);
  }

  /** Objects sharing any index value with obj under the named index. */
  index(indexName: string, obj: T): T[] {
    const fn = this.indexFunc(indexName);
    const keys = new Set<string>();
    const index = this.indices.get(indexName);
    for (const v of fn(obj)) for (const k of index?.get(v) ?? []) keys.add(k);
    return this.objects(keys);
  }

  /** Objects whose index function yielded value under the named index. */
  byIndex(indexName: string, value: string): T[] {
    this.indexFunc(indexName);
    return this.objects(this.indices.get(indexName)?.get(value) ?? []);
  }

  indexKeys(indexName: string, value: string): string[] {
    this.indexFunc(indexName);
    return [...(this.indices.get(indexName)?.get(value) ?? [])];
  }

  /** Every value the named index currently holds. */
  listIndexValues(indexName: string): string[] {
    this.indexFunc(indexName);
    return [...(this.indices.get(indexName)?.keys() ?? [])];
  }

  private indexFunc(indexName: string): IndexFunc<T> {
    const fn = this.indexers.get(indexName);
    if (fn === undefined) throw new Error(`index "${indexName}" does not exist`);
    return fn;
  }

  private objects(keys: Iterable<string>): T[] {
    const out: T[] = [];
    for (const k of keys) {
      const o = this.items.get(k);
      if (o !== undefined) out.push(o);
    }
    return out;
  }

  private put(key: string, obj: T): T | undefined {
    const old = this.items.get(key);
    if (old !== undefined) this.unindex(key, old);
    this.items.set(key, obj);
    for (const [name, fn] of this.indexers) {
      const index = this.indices.get(name);
      if (index !== undefined) for (const v of fn(obj)) addTo(index, v, key);
    }
    return old;
  }

  private unindex(key: string, obj: T): void {
    for (const [name, fn] of this.indexers) {
      const index = this.indices.get(name);
      if (index === undefined) continue;
      for (const v of fn(obj)) {
        const set = index.get(v);
        if (set === undefined) continue;
        set.delete(key);
        if (set.size === 0) index.delete(v);
      }
    }
  }
}

function addTo(index: Map<string, Set<string>>, value: string, key: string): void {
  let set = index.get(value);
  if (set === undefined) {
    set = new Set();
    index.set(value, set);
  }
  set.add(key);
}
