/**
 * A watch as the client holds it: newline-delimited JSON watch events read from a
 * transport stream. Consume it either as an async iterable (for await ... of) or with
 * callbacks (watchWithHandlers); stop() ends it from either side.
 *
 * Contract: events arrive in server order. An ERROR event (a metav1.Status, e.g. 410
 * Expired) is yielded like any other event; the server ends the stream after it. A
 * line that is not a watch event is turned into an ERROR event (500, "unable to decode
 * an event from the watch stream") and the watch ends. When the stream ends because the
 * connection broke, iteration ends and `error` says why; after stop() or the server's
 * normal end (timeoutSeconds) `error` stays undefined.
 */
import type { Status } from '../apimachinery/errors.js';
import { TransportError } from './errors.js';
import type { TransportStream } from './transport.js';
import type { KubeObject, WatchEvent, WatchEventType } from './types.js';

const TYPES: ReadonlySet<string> = new Set<WatchEventType>(['ADDED', 'MODIFIED', 'DELETED', 'BOOKMARK', 'ERROR']);

function decodeFailure(message: string): WatchEvent<never> {
  const object: Status = {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    code: 500,
    reason: 'InternalError',
    message: `unable to decode an event from the watch stream: ${message}`,
  };
  return { type: 'ERROR', object };
}

/** Parses one line of a watch stream into an event, or the ERROR event that says why it could not. */
export function decodeWatchLine<T extends KubeObject>(line: string): WatchEvent<T> {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch (e) {
    return decodeFailure((e as Error).message);
  }
  if (typeof v !== 'object' || v === null) return decodeFailure('not an object');
  const { type, object } = v as { type?: unknown; object?: unknown };
  if (typeof type !== 'string' || !TYPES.has(type)) return decodeFailure(`unknown event type ${JSON.stringify(type)}`);
  if (typeof object !== 'object' || object === null || Array.isArray(object)) return decodeFailure(`event ${type} carries no object`);
  return { type, object } as WatchEvent<T>;
}

export class Watch<T extends KubeObject = KubeObject> implements AsyncIterable<WatchEvent<T>> {
  private stopped = false;
  private iterated = false;
  private failure: TransportError | undefined;
  private finished = false;

  constructor(private readonly stream: TransportStream) {}

  /** Ends the watch: a pending or later iteration step finishes with done. Idempotent. */
  stop(): void {
    this.stopped = true;
    this.stream.close();
  }

  /** Set when the stream ended because the connection broke (not after stop()). */
  get error(): TransportError | undefined {
    return this.failure;
  }

  /** True once the stream has ended, for whatever reason. */
  get ended(): boolean {
    return this.finished;
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<WatchEvent<T>> {
    if (this.iterated) throw new Error('a watch can be iterated only once');
    this.iterated = true;
    const decoder = new TextDecoder();
    let buf = '';
    try {
      try {
        for await (const chunk of this.stream.body) {
          if (this.stopped) return;
          buf += decoder.decode(chunk, { stream: true });
          let nl: number;
          while ((nl = buf.indexOf('\n')) >= 0) {
            const line = buf.slice(0, nl).trim();
            buf = buf.slice(nl + 1);
            if (line === '') continue;
            const ev = decodeWatchLine<T>(line);
            yield ev;
            if (this.stopped) return;
            if (ev.type === 'ERROR' && ev.object.code === 500 && ev.object.message?.startsWith('unable to decode') === true) return;
          }
        }
      } catch (e) {
        if (this.stopped) return;
        this.failure = e instanceof TransportError ? e : new TransportError('EOTHER', `watch stream: ${(e as Error).message}`, e);
        return;
      }
      const rest = (buf + decoder.decode()).trim();
      if (rest !== '' && !this.stopped) yield decodeWatchLine<T>(rest);
    } finally {
      this.finished = true;
      this.stream.close();
    }
  }
}

export interface WatchHandlers<T extends KubeObject> {
  /** Called for every event, in order. A throw is logged and does not stop the watch. */
  onEvent(event: WatchEvent<T>): void;
  /** Called once when the watch has ended, with the transport error when it broke. */
  onClose?(error: TransportError | undefined): void;
}

export interface WatchHandle {
  stop(): void;
  /** Resolves once the watch has ended and onClose ran. */
  readonly done: Promise<void>;
}

/** Drives a watch with callbacks instead of iteration. */
export function watchWithHandlers<T extends KubeObject>(w: Watch<T>, h: WatchHandlers<T>, log: (msg: string, err: unknown) => void = defaultLog): WatchHandle {
  const done = (async () => {
    for await (const ev of w) {
      try {
        h.onEvent(ev);
      } catch (e) {
        log('watch event handler failed', e);
      }
    }
    try {
      h.onClose?.(w.error);
    } catch (e) {
      log('watch close handler failed', e);
    }
  })();
  return { stop: () => w.stop(), done };
}

function defaultLog(msg: string, err: unknown): void {
  console.error(`kubelite client: ${msg}:`, err);
}
