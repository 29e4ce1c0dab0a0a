/**
 * A Transport that keeps at most maxInFlight requests open at once, serving waiting
 * requests from two FIFO lanes: heartbeats first (Lease writes and Node reads and
 * writes), then everything else (events, pod status). Thousands of simulated agents
 * sharing one client then never open thousands of connections at once, and a burst of
 * events cannot starve the heartbeats that keep nodes Ready; the client-side analogue
 * of the node-high priority level upstream's API Priority and Fairness gives
 * kubelets. Watches (stream()) are not limited: they stay open.
 */
import type { Transport, TransportRequest, TransportResponse, TransportStream } from '../client/transport.js';

export interface LimitedTransportOptions {
  /** Requests open at once (default 64). */
  maxInFlight?: number;
  /** Which requests jump the queue (default: heartbeats, see isHeartbeat). */
  priority?: (req: TransportRequest) => boolean;
}

/** Lease writes and Node requests: what keeps a node Ready. */
export function isHeartbeat(req: TransportRequest): boolean {
  return req.path.startsWith('/apis/coordination.k8s.io/') || req.path.startsWith('/api/v1/nodes');
}

export class LimitedTransport implements Transport {
  private readonly max: number;
  private readonly priority: (req: TransportRequest) => boolean;
  private inFlight = 0;
  private readonly high: (() => void)[] = [];
  private readonly low: (() => void)[] = [];
  /** Most requests that ever waited at once (metrics). */
  maxQueued = 0;

  constructor(
    private readonly inner: Transport,
    opts: LimitedTransportOptions = {},
  ) {
    this.max = opts.maxInFlight ?? 64;
    if (!Number.isInteger(this.max) || this.max < 1) throw new Error(`LimitedTransport: maxInFlight must be >= 1, got ${String(opts.maxInFlight)}`);
    this.priority = opts.priority ?? isHeartbeat;
  }

  async request(req: TransportRequest): Promise<TransportResponse> {
    if (this.inFlight >= this.max) {
      await new Promise<void>((resolve) => (this.priority(req) ? this.high : this.low).push(resolve));
      this.maxQueued = Math.max(this.maxQueued, this.high.length + this.low.length + 1);
    } else this.inFlight++;
    try {
      return await this.inner.request(req);
    } finally {
      const next = this.high.shift() ?? this.low.shift();
      // The slot passes straight to the next waiter.
      if (next !== undefined) next();
      else this.inFlight--;
    }
  }

  stream(req: TransportRequest): Promise<TransportStream> {
    return this.inner.stream(req);
  }

  close(): void {
    this.inner.close();
  }

  /** Requests waiting for a slot. */
  get queued(): number {
    return this.high.length + this.low.length;
  }
}
