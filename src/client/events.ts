/**
 * The event recorder: controllers say what happened to an object
 * (`recorder.event(pod, 'Warning', 'FailedScheduling', '0/3 nodes are available: ...')`)
 * and the recorder writes core/v1 Events, correlating repeats as client-go's
 * tools/record does (events_cache.go):
 *
 *   1. Similar events (same source, object, type and reason, different messages): once
 *      maxSimilarEvents (10) distinct messages were seen within aggregateWindowMs
 *      (10 min), further ones are written as one event whose message is
 *      "(combined from similar events): <latest message>".
 *   2. Repeats (same source, object, type, reason and message) seen within
 *      dedupWindowMs (default 10 min; upstream bounds this only by its LRU cache and
 *      the events' TTL) are not written anew: the existing event is PATCHed with count+1,
 *      lastTimestamp and message. If it is gone (404), a new event is created.
 *   3. A spam filter per source+object: a token bucket of 25 events refilled at one per
 *      5 minutes (upstream's defaults); events over it are dropped.
 *
 * Event names are "<object name>.<event time in ns, hex>", in the object's namespace
 * ("default" for cluster-scoped objects). Writes happen one at a time, in order, in the
 * background; failures to reach the server are retried (12 tries, 10 s apart, first
 * one jittered) on the injected clock, answers from the server are not. event() never
 * throws: problems are logged. flush() waits for the queue to drain.
 */
import { realClock, rfc3339, type Clock } from '../util/clock.js';
import { StatusError } from '../apimachinery/errors.js';
import { isNotFound } from './errors.js';
import type { RestClient } from './rest.js';
import type { KubeObject } from './types.js';
import { Sleeper } from './backoff.js';

export type EventType = 'Normal' | 'Warning';

export interface ObjectReference {
  kind?: string;
  namespace?: string;
  name?: string;
  uid?: string;
  apiVersion?: string;
  resourceVersion?: string;
  fieldPath?: string;
}

export interface EventSource {
  component: string;
  host?: string;
}

/** A core/v1 Event as the recorder writes it. */
export interface CoreEvent extends KubeObject {
  involvedObject: ObjectReference;
  reason: string;
  message: string;
  source: EventSource;
  firstTimestamp: string;
  lastTimestamp: string;
  count: number;
  type: EventType;
  reportingComponent?: string;
  reportingInstance?: string;
}

/** Where events go: usually restEventSink(client). */
export interface EventSink {
  create(namespace: string, event: CoreEvent): Promise<CoreEvent>;
  /** A JSON merge patch of an existing event. */
  patch(namespace: string, name: string, patch: Record<string, unknown>): Promise<CoreEvent>;
}

const EVENTS = { group: '', version: 'v1', resource: 'events' };

export function restEventSink(client: RestClient): EventSink {
  return {
    create: (namespace, event) => client.create<CoreEvent>({ ...EVENTS, namespace }, event),
    patch: (namespace, name, patch) => client.patch<CoreEvent>({ ...EVENTS, namespace, name }, 'merge', patch),
  };
}

export interface EventRecorderOptions {
  /** Where to write; give sink or client. */
  sink?: EventSink;
  client?: RestClient;
  /** source.component, e.g. "default-scheduler". */
  component: string;
  /** source.host, e.g. the node name. */
  host?: string;
  clock?: Clock;
  /** Spam filter bucket per source+object: burst (25) and refill rate per second (1/300). */
  spamBurst?: number;
  spamQps?: number;
  /** Distinct messages per object+reason before they are combined (10). */
  maxSimilarEvents?: number;
  /** Window of the similar-event aggregation (10 min). */
  aggregateWindowMs?: number;
  /** Repeats within this window patch the existing event (10 min). */
  dedupWindowMs?: number;
  /** Entries kept per correlation cache (4096). */
  cacheSize?: number;
  /** Attempts per event when the server cannot be reached (12), and the wait between them (10 s). */
  maxTries?: number;
  retryIntervalMs?: number;
  /** Events waiting to be written beyond which new ones are dropped (1000). */
  maxQueued?: number;
  random?: () => number;
  /** Where problems are reported (default: stderr). */
  log?: (message: string, err?: unknown) => void;
}

/** A Map kept to a size by dropping the least recently used entry. */
class LRU<K, V> {
  private readonly m = new Map<K, V>();
  constructor(private readonly max: number) {}
  get(k: K): V | undefined {
    const v = this.m.get(k);
    if (v !== undefined) {
      this.m.delete(k);
      this.m.set(k, v);
    }
    return v;
  }
  set(k: K, v: V): void {
    this.m.delete(k);
    this.m.set(k, v);
    if (this.m.size > this.max) {
      const oldest = this.m.keys().next();
      if (oldest.done !== true) this.m.delete(oldest.value);
    }
  }
}

interface Observed {
  name: string;
  count: number;
  firstTimestamp: string;
  lastSeen: number;
}

interface Pending {
  event: CoreEvent;
  at: number;
}

const COMBINED_PREFIX = '(combined from similar events): ';

export class EventRecorder {
  private dropped = 0;
  private lastDropLog = 0;
  private readonly sink: EventSink;
  private readonly source: EventSource;
  private readonly clock: Clock;
  private readonly o: Required<Omit<EventRecorderOptions, 'sink' | 'client' | 'component' | 'host' | 'clock' | 'random' | 'log'>>;
  private readonly random: () => number;
  private readonly log: (message: string, err?: unknown) => void;
  private readonly similar: LRU<string, { messages: Set<string>; last: number }>;
  private readonly observed: LRU<string, Observed>;
  private readonly spam: LRU<string, { tokens: number; last: number }>;
  private readonly queue: Pending[] = [];
  private readonly sleeper: Sleeper;
  private pumping: Promise<void> | undefined;
  private closed = false;
  private lastNanos = 0n;

  constructor(opts: EventRecorderOptions) {
    const sink = opts.sink ?? (opts.client ? restEventSink(opts.client) : undefined);
    if (sink === undefined) throw new Error('EventRecorderOptions needs a sink or a client');
    if (typeof opts.component !== 'string' || opts.component === '') throw new Error('EventRecorderOptions.component is required');
    this.sink = sink;
    this.source = { component: opts.component, ...(opts.host ? { host: opts.host } : {}) };
    this.clock = opts.clock ?? realClock;
    this.random = opts.random ?? Math.random;
    this.log = opts.log ?? ((m, e) => console.error(`kubelite events (${opts.component}): ${m}`, e ?? ''));
    this.o = {
      spamBurst: opts.spamBurst ?? 25,
      spamQps: opts.spamQps ?? 1 / 300,
      maxSimilarEvents: opts.maxSimilarEvents ?? 10,
      aggregateWindowMs: opts.aggregateWindowMs ?? 600_000,
      dedupWindowMs: opts.dedupWindowMs ?? 600_000,
      cacheSize: opts.cacheSize ?? 4096,
      maxTries: opts.maxTries ?? 12,
      retryIntervalMs: opts.retryIntervalMs ?? 10_000,
      maxQueued: opts.maxQueued ?? 1000,
    };
    this.similar = new LRU(this.o.cacheSize);
    this.observed = new LRU(this.o.cacheSize);
    this.spam = new LRU(this.o.cacheSize);
    this.sleeper = new Sleeper(this.clock);
  }

  /** Records an event about obj (an object with kind and metadata, or an ObjectReference). Never throws. */
  event(obj: KubeObject | ObjectReference, type: EventType, reason: string, message: string): void {
    this.annotatedEvent(obj, undefined, type, reason, message);
  }

  /** event() with annotations on the Event object. */
  annotatedEvent(obj: KubeObject | ObjectReference, annotations: Record<string, string> | undefined, type: EventType, reason: string, message: string): void {
    try {
      if (this.closed) return;
      if (type !== 'Normal' && type !== 'Warning') {
        this.log(`unsupported event type "${String(type)}"; event dropped`);
        return;
      }
      const ref = referenceOf(obj);
      if (ref === undefined) {
        this.log(`cannot reference the object for event ${reason}: it needs kind and name; event dropped`);
        return;
      }
      if (this.queue.length >= this.o.maxQueued) {
        // Under a burst this happens thousands of times: log the first drop, then a count
        // at most once a minute, instead of a line per event.
        this.dropped++;
        const now = this.clock.now();
        if (this.dropped === 1 || now - this.lastDropLog >= 60_000) {
          this.log(`event queue full (${this.o.maxQueued}); ${this.dropped} event(s) dropped so far, latest ${reason}`);
          this.lastDropLog = now;
        }
        return;
      }
      const at = this.clock.now();
      const t = rfc3339(at);
      const event: CoreEvent = {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name: this.eventName(ref.name ?? '', at), namespace: ref.namespace || 'default', ...(annotations ? { annotations: { ...annotations } } : {}) },
        involvedObject: ref,
        reason,
        message,
        source: { ...this.source },
        firstTimestamp: t,
        lastTimestamp: t,
        count: 1,
        type,
        reportingComponent: this.source.component,
        reportingInstance: this.source.host ?? '',
      };
      this.queue.push({ event, at });
      this.pumping ??= this.pump();
    } catch (e) {
      this.log('recording an event failed', e);
    }
  }

  /** Resolves when every event recorded so far has been written (or given up on). */
  async flush(): Promise<void> {
    while (this.pumping !== undefined) await this.pumping;
  }

  /** Stops accepting events, abandons retry waits, and waits for the write in progress. */
  async shutdown(): Promise<void> {
    this.closed = true;
    this.queue.length = 0;
    this.sleeper.interrupt();
    await this.flush();
  }

  /** "<name>.<ns hex>", strictly increasing per recorder so two events never share a name. */
  private eventName(objName: string, at: number): string {
    let ns = BigInt(at) * 1_000_000n;
    if (ns <= this.lastNanos) ns = this.lastNanos + 1n;
    this.lastNanos = ns;
    return `${objName}.${ns.toString(16)}`;
  }

  private async pump(): Promise<void> {
    try {
      for (;;) {
        const next = this.queue.shift();
        if (next === undefined) break;
        try {
          await this.write(next);
        } catch (e) {
          this.log('writing an event failed', e);
        }
      }
    } finally {
      this.pumping = undefined;
    }
  }

  /** Correlates one event (aggregate, dedup, spam filter) and writes it. */
  private async write(p: Pending): Promise<void> {
    const { event: ev, key } = this.aggregate(p);
    const prior = this.observed.get(key);
    let patch: Record<string, unknown> | undefined;
    if (prior !== undefined && p.at - prior.lastSeen <= this.o.dedupWindowMs) {
      ev.metadata = { ...ev.metadata, name: prior.name };
      ev.count = prior.count + 1;
      ev.firstTimestamp = prior.firstTimestamp;
      patch = { count: ev.count, lastTimestamp: ev.lastTimestamp, message: ev.message };
    }
    this.observed.set(key, { name: ev.metadata?.name ?? '', count: ev.count, firstTimestamp: ev.firstTimestamp, lastSeen: p.at });
    if (!this.allowSpam(ev, p.at)) {
      this.log(`event ${ev.reason} on ${ev.involvedObject.kind}/${ev.involvedObject.name} dropped by the spam filter`);
      return;
    }
    const ns = ev.metadata?.namespace ?? 'default';
    for (let attempt = 1; ; attempt++) {
      try {
        let written: CoreEvent | undefined;
        if (patch !== undefined) {
          try {
            written = await this.sink.patch(ns, ev.metadata?.name ?? '', patch);
          } catch (e) {
            if (!isNotFound(e)) throw e;
            // The event expired or was deleted: start a new one.
            ev.count = 1;
            ev.firstTimestamp = ev.lastTimestamp;
            patch = undefined;
          }
        }
        written ??= await this.sink.create(ns, { ...ev, metadata: { ...ev.metadata, resourceVersion: undefined } });
        this.observed.set(key, {
          name: written.metadata?.name ?? ev.metadata?.name ?? '',
          count: typeof written.count === 'number' ? written.count : ev.count,
          firstTimestamp: written.firstTimestamp ?? ev.firstTimestamp,
          lastSeen: p.at,
        });
        return;
      } catch (e) {
        if (e instanceof StatusError) {
          // The server answered: retrying would get the same answer.
          if (e.reason !== 'AlreadyExists') this.log(`server rejected event ${ev.reason} (${ev.metadata?.name}); not retrying`, e);
          return;
        }
        if (attempt >= this.o.maxTries || this.closed) {
          this.log(`unable to write event ${ev.reason} (${ev.metadata?.name}) after ${attempt} tries; giving up`, e);
          return;
        }
        const wait = attempt === 1 ? this.random() * this.o.retryIntervalMs : this.o.retryIntervalMs;
        await this.sleeper.sleep(wait);
        if (this.closed) return;
      }
    }
  }

  /** Similar-event aggregation: the event to write and the key its repeats share. */
  private aggregate(p: Pending): { event: CoreEvent; key: string } {
    const ev = p.event;
    const io = ev.involvedObject;
    const aggKey = [ev.source.component, ev.source.host ?? '', io.kind, io.namespace, io.name, io.uid, io.apiVersion, ev.type, ev.reason].join('\u0000');
    const fullKey = `${aggKey}\u0000${ev.message}`;
    let rec = this.similar.get(aggKey);
    if (rec === undefined || p.at - rec.last > this.o.aggregateWindowMs) rec = { messages: new Set(), last: p.at };
    rec.messages.add(ev.message);
    rec.last = p.at;
    this.similar.set(aggKey, rec);
    if (rec.messages.size < this.o.maxSimilarEvents) return { event: ev, key: fullKey };
    // Keep the set bounded, as upstream pops one.
    const first = rec.messages.values().next();
    if (first.done !== true) rec.messages.delete(first.value);
    return { event: { ...ev, message: COMBINED_PREFIX + ev.message }, key: aggKey };
  }

  private allowSpam(ev: CoreEvent, at: number): boolean {
    const io = ev.involvedObject;
    const key = [ev.source.component, ev.source.host ?? '', io.kind, io.namespace, io.name, io.uid, io.apiVersion].join('\u0000');
    let b = this.spam.get(key);
    if (b === undefined) b = { tokens: this.o.spamBurst, last: at };
    b.tokens = Math.min(this.o.spamBurst, b.tokens + ((at - b.last) / 1000) * this.o.spamQps);
    b.last = at;
    const ok = b.tokens >= 1;
    if (ok) b.tokens -= 1;
    this.spam.set(key, b);
    return ok;
  }
}

/** The ObjectReference of an object (kind, apiVersion, name, namespace, uid, resourceVersion), or of a reference. */
export function referenceOf(obj: KubeObject | ObjectReference): ObjectReference | undefined {
  let ref: ObjectReference;
  if (typeof (obj as KubeObject).metadata === 'object' && (obj as KubeObject).metadata !== null) {
    const o = obj as KubeObject;
    const m = o.metadata ?? {};
    ref = {
      kind: o.kind,
      namespace: m.namespace,
      name: m.name,
      uid: m.uid,
      apiVersion: o.apiVersion,
      resourceVersion: m.resourceVersion,
    };
  } else {
    ref = { ...(obj as ObjectReference) };
  }
  if (typeof ref.kind !== 'string' || ref.kind === '' || typeof ref.name !== 'string' || ref.name === '') return undefined;
  for (const k of Object.keys(ref) as (keyof ObjectReference)[]) if (ref[k] === undefined || ref[k] === '') delete ref[k];
  return ref;
}
