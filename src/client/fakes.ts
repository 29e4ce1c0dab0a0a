/**
 * Test support only: scriptable stand-ins for the server side of a reflector
 * (a ListerWatcher whose lists and watches the test answers by hand).
 */
import type { Status } from '../apimachinery/errors.js';
import type { ListOptions, WatchOptions } from './rest.js';
import type { ListerWatcher, WatchLike } from './reflector.js';
import type { KubeObject, ObjectList, WatchEvent } from './types.js';

/** A watch the test drives: push events, end it, or break it. */
export class FakeWatch<T extends KubeObject = KubeObject> implements WatchLike<T> {
  private queue: (WatchEvent<T> | 'end')[] = [];
  private waiter: (() => void) | undefined;
  stopped = false;
  error: unknown = undefined;

  push(ev: WatchEvent<T>): void {
    this.queue.push(ev);
    this.waiter?.();
  }
  add(obj: T): void {
    this.push({ type: 'ADDED', object: obj });
  }
  modify(obj: T): void {
    this.push({ type: 'MODIFIED', object: obj });
  }
  remove(obj: T): void {
    this.push({ type: 'DELETED', object: obj });
  }
  bookmark(rv: string): void {
    this.push({ type: 'BOOKMARK', object: { metadata: { resourceVersion: rv } } as T });
  }
  errorEvent(code: number, reason: Status['reason'], message = 'm'): void {
    this.push({ type: 'ERROR', object: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', code, reason, message } });
  }
  /** Ends the stream normally (a server-side timeout). */
  end(): void {
    this.queue.push('end');
    this.waiter?.();
  }
  /** Ends the stream as a broken connection. */
  fail(err: unknown): void {
    this.error = err;
    this.end();
  }
  stop(): void {
    this.stopped = true;
    this.end();
  }
  async *[Symbol.asyncIterator](): AsyncGenerator<WatchEvent<T>> {
    for (;;) {
      const next = this.queue.shift();
      if (next === undefined) {
        await new Promise<void>((r) => (this.waiter = r));
        this.waiter = undefined;
        continue;
      }
      if (next === 'end') return;
      yield next;
    }
  }
}

/** Waits to be woken through waiters, or rejects when signal aborts. */
function waitOrAbort(waiters: (() => void)[], signal: AbortSignal | undefined): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted === true) return reject(new Error('aborted'));
    const onAbort = (): void => reject(new Error('aborted'));
    signal?.addEventListener('abort', onAbort, { once: true });
    waiters.push(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    });
  });
}

type Answer<R> = R | Error | (() => R | Error);

/** A ListerWatcher whose answers are queued by the test; calls without a queued answer wait for one. */
export class FakeListerWatcher<T extends KubeObject = KubeObject> implements ListerWatcher<T> {
  readonly lists: ListOptions[] = [];
  readonly watches: WatchOptions[] = [];
  readonly openWatches: FakeWatch<T>[] = [];
  private listAnswers: Answer<ObjectList<T>>[] = [];
  private watchAnswers: Answer<FakeWatch<T>>[] = [];
  private listWaiters: (() => void)[] = [];
  private watchWaiters: (() => void)[] = [];

  answerList(a: Answer<ObjectList<T>>): void {
    this.listAnswers.push(a);
    for (const w of this.listWaiters.splice(0)) w();
  }
  answerListItems(items: T[], rv: string, cont?: string): void {
    this.answerList({ metadata: { resourceVersion: rv, ...(cont ? { continue: cont } : {}) }, items });
  }
  answerWatch(a: Answer<FakeWatch<T>> = new FakeWatch<T>()): FakeWatch<T> | undefined {
    this.watchAnswers.push(a);
    for (const w of this.watchWaiters.splice(0)) w();
    return a instanceof FakeWatch ? a : undefined;
  }

  async list(opts: ListOptions): Promise<ObjectList<T>> {
    const { signal, ...rest } = opts;
    this.lists.push(rest);
    while (this.listAnswers.length === 0) await waitOrAbort(this.listWaiters, signal);
    const a = this.listAnswers.shift() as Answer<ObjectList<T>>;
    const v = typeof a === 'function' ? a() : a;
    if (v instanceof Error) throw v;
    return structuredClone(v);
  }

  async watch(opts: WatchOptions): Promise<WatchLike<T>> {
    const { signal, ...rest } = opts;
    this.watches.push(rest);
    while (this.watchAnswers.length === 0) await waitOrAbort(this.watchWaiters, signal);
    const a = this.watchAnswers.shift() as Answer<FakeWatch<T>>;
    const v = typeof a === 'function' ? a() : a;
    if (v instanceof Error) throw v;
    this.openWatches.push(v);
    return v;
  }
}

export function obj(name: string, rv: string, extra: Partial<KubeObject> & { namespace?: string; labels?: Record<string, string> } = {}): KubeObject {
  const { namespace, labels, ...rest } = extra;
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: namespace ?? 'default', resourceVersion: rv, uid: `uid-${name}`, ...(labels ? { labels } : {}) }, ...rest };
}
