/**
 * Listers read an informer's cache: no request ever reaches the server. What they
 * return is shared with the cache (see indexer.ts): deepCopy before changing anything.
 * get() answers undefined for a missing object (client-go answers a NotFound error).
 */
import { matches, parseSelector, type Selector } from '../apimachinery/labels.js';
import { Indexer, NAMESPACE_INDEX } from './indexer.js';
import type { KubeObject } from './types.js';

function toSelector(sel: Selector | string | undefined): Selector | undefined {
  if (sel === undefined) return undefined;
  return typeof sel === 'string' ? parseSelector(sel) : sel;
}

function select<T extends KubeObject>(items: T[], sel: Selector | string | undefined): T[] {
  const s = toSelector(sel);
  if (s === undefined) return items;
  return items.filter((o) => matches(s, o.metadata?.labels));
}

export class Lister<T extends KubeObject = KubeObject> {
  constructor(readonly indexer: Indexer<T>) {}

  /** Every cached object whose labels match selector (a Selector or its string form); all without one. */
  list(selector?: Selector | string): T[] {
    return select(this.indexer.list(), selector);
  }

  /** The object namespace/name (namespace '' for cluster-scoped objects), or undefined. */
  get(namespace: string, name: string): T | undefined {
    return this.indexer.getByKey(namespace === '' ? name : `${namespace}/${name}`);
  }

  byIndex(indexName: string, value: string): T[] {
    return this.indexer.byIndex(indexName, value);
  }

  /** The same cache seen through one namespace. */
  namespace(namespace: string): NamespaceLister<T> {
    return new NamespaceLister(this.indexer, namespace);
  }
}

export class NamespaceLister<T extends KubeObject = KubeObject> {
  constructor(
    readonly indexer: Indexer<T>,
    readonly ns: string,
  ) {}

  list(selector?: Selector | string): T[] {
    return select(this.indexer.byIndex(NAMESPACE_INDEX, this.ns), selector);
  }

  get(name: string): T | undefined {
    return this.indexer.getByKey(this.ns === '' ? name : `${this.ns}/${name}`);
  }
}
