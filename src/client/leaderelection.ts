/**
 * Leader election on a coordination.k8s.io/v1 Lease, as client-go's
 * tools/leaderelection: of all candidates sharing a lease, one leads at a time;
 * the others wait to take over when it stops renewing.
 *
 * Contract:
 *   - A candidate tries to acquire every retryPeriod (2 s, jittered by up to 1.2x as
 *     upstream). The lease is free when it has no holder, or when its record has not
 *     changed for leaseDurationSeconds (15 s) as measured on this candidate's own clock
 *     from when it first saw that record (not from renewTime: clocks may differ).
 *   - Every write carries the resourceVersion last read, so two candidates racing for
 *     a free lease cannot both win: the loser gets 409 Conflict and keeps waiting.
 *   - The leader renews every retryPeriod. If it cannot renew for renewDeadline (10 s),
 *     it stops leading: the AbortSignal handed to onStartedLeading aborts and
 *     onStoppedLeading runs. leaseDuration > renewDeadline, so a leader that lost the
 *     lease stops acting before anyone else may start.
 *   - acquireTime is set when a candidate takes the lease, renewTime on every write;
 *     leaseTransitions counts changes of holder.
 *   - stop() ends the election; with releaseOnCancel the leader then writes an empty
 *     holder (leaseDurationSeconds 1) so a successor need not wait out the lease.
 *   - onStoppedLeading runs only for a candidate that led (upstream runs it on every exit).
 *   - All waits use the injected Clock.
 */
import { realClock, type Clock } from '../util/clock.js';
import { isNotFound } from './errors.js';
import type { RestClient } from './rest.js';
import type { KubeObject } from './types.js';
import { Sleeper } from './backoff.js';

export interface LeaderElectionRecord {
  holderIdentity: string;
  leaseDurationSeconds: number;
  /** RFC 3339 with microseconds (metav1.MicroTime). */
  acquireTime: string;
  renewTime: string;
  leaseTransitions: number;
}

/** Where the record lives. Writes must fail (with a 409) when the lock changed since get(). */
export interface ResourceLock {
  /** The current record and a raw form to detect change; undefined when the lock does not exist. */
  get(o?: { timeoutMs?: number }): Promise<{ record: LeaderElectionRecord; raw: string } | undefined>;
  create(record: LeaderElectionRecord, o?: { timeoutMs?: number }): Promise<void>;
  update(record: LeaderElectionRecord, o?: { timeoutMs?: number }): Promise<void>;
  /** e.g. "kube-system/kube-scheduler" */
  describe(): string;
}

/** metav1.MicroTime: 2024-01-01T12:00:00.123000Z */
export function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

interface LeaseSpec {
  holderIdentity?: string;
  leaseDurationSeconds?: number;
  acquireTime?: string;
  renewTime?: string;
  leaseTransitions?: number;
}

type Lease = KubeObject & { spec?: LeaseSpec };

const LEASES = { group: 'coordination.k8s.io', version: 'v1', resource: 'leases' };

function recordFromLease(l: Lease): LeaderElectionRecord {
  const s = l.spec ?? {};
  return {
    holderIdentity: s.holderIdentity ?? '',
    leaseDurationSeconds: s.leaseDurationSeconds ?? 0,
    acquireTime: s.acquireTime ?? '',
    renewTime: s.renewTime ?? '',
    leaseTransitions: s.leaseTransitions ?? 0,
  };
}

function specFromRecord(r: LeaderElectionRecord): LeaseSpec {
  return {
    holderIdentity: r.holderIdentity,
    leaseDurationSeconds: r.leaseDurationSeconds,
    acquireTime: r.acquireTime,
    renewTime: r.renewTime,
    leaseTransitions: r.leaseTransitions,
  };
}

export interface LeaseLockOptions {
  client: RestClient;
  namespace: string;
  name: string;
  /** Labels put on the Lease when this lock creates it. */
  labels?: Record<string, string>;
}

/** A ResourceLock on a coordination.k8s.io/v1 Lease, written with optimistic concurrency. */
export class LeaseLock implements ResourceLock {
  private lease: Lease | undefined;
  constructor(private readonly o: LeaseLockOptions) {
    if (!o.namespace || !o.name) throw new Error('LeaseLock needs namespace and name');
  }

  async get(opt: { timeoutMs?: number } = {}): Promise<{ record: LeaderElectionRecord; raw: string } | undefined> {
    try {
      this.lease = await this.o.client.get<Lease>({ ...LEASES, namespace: this.o.namespace, name: this.o.name }, opt);
    } catch (e) {
      if (isNotFound(e)) {
        this.lease = undefined;
        return undefined;
      }
      throw e;
    }
    const record = recordFromLease(this.lease);
    return { record, raw: JSON.stringify(record) };
  }

  async create(record: LeaderElectionRecord, opt: { timeoutMs?: number } = {}): Promise<void> {
    this.lease = await this.o.client.create<Lease>(
      { ...LEASES, namespace: this.o.namespace },
      {
        apiVersion: 'coordination.k8s.io/v1',
        kind: 'Lease',
        metadata: { name: this.o.name, namespace: this.o.namespace, ...(this.o.labels ? { labels: { ...this.o.labels } } : {}) },
        spec: specFromRecord(record),
      },
      opt,
    );
  }

  async update(record: LeaderElectionRecord, opt: { timeoutMs?: number } = {}): Promise<void> {
    if (this.lease === undefined) throw new Error(`lease ${this.describe()} not read yet; get or create it first`);
    // The resourceVersion of the last read rides along: a stale write is a 409 Conflict.
    this.lease = await this.o.client.update<Lease>({ ...LEASES, namespace: this.o.namespace, name: this.o.name }, { ...this.lease, spec: specFromRecord(record) }, opt);
  }

  describe(): string {
    return `${this.o.namespace}/${this.o.name}`;
  }
}

export interface LeaderCallbacks {
  /** Called when this candidate becomes leader; signal aborts when it stops leading. */
  onStartedLeading(signal: AbortSignal): void | Promise<void>;
  /** Called when this candidate stops leading (lost the lease or stopped). */
  onStoppedLeading(): void;
  /** Called when the observed leader changes (including to this candidate). */
  onNewLeader?(identity: string): void;
}

export interface LeaderElectionOptions {
  lock: ResourceLock;
  /** This candidate's unique identity (e.g. hostname + "_" + a random suffix). */
  identity: string;
  callbacks: LeaderCallbacks;
  /** How long a lease is good for without renewal (15 s). */
  leaseDurationMs?: number;
  /** How long the leader keeps retrying to renew before it gives up (10 s). */
  renewDeadlineMs?: number;
  /** Wait between attempts (2 s). */
  retryPeriodMs?: number;
  /** On stop(), the leader empties the lease so a successor need not wait (false). */
  releaseOnCancel?: boolean;
  clock?: Clock;
  random?: () => number;
  /** Default: stderr. */
  log?: (message: string, err?: unknown) => void;
}

/** Upstream's JitterFactor for acquire retries. */
export const JITTER_FACTOR = 1.2;

export class LeaderElector {
  private readonly lock: ResourceLock;
  private readonly identity: string;
  private readonly cb: LeaderCallbacks;
  private readonly leaseMs: number;
  private readonly renewDeadlineMs: number;
  private readonly retryMs: number;
  private readonly release: boolean;
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly log: (message: string, err?: unknown) => void;
  private readonly sleeper: Sleeper;

  private observed: LeaderElectionRecord | undefined;
  private observedRaw = '';
  private observedTime = 0;
  private reportedLeader = '';
  private leading = false;
  private stopped = false;
  private running: Promise<void> | undefined;

  constructor(o: LeaderElectionOptions) {
    this.leaseMs = o.leaseDurationMs ?? 15_000;
    this.renewDeadlineMs = o.renewDeadlineMs ?? 10_000;
    this.retryMs = o.retryPeriodMs ?? 2_000;
    if (!(this.leaseMs >= 1000) || !(this.renewDeadlineMs > 0) || !(this.retryMs > 0)) throw new Error('leaseDuration must be at least 1 s; renewDeadline and retryPeriod must be positive');
    if (this.leaseMs <= this.renewDeadlineMs) throw new Error('leaseDuration must be greater than renewDeadline');
    if (this.renewDeadlineMs <= JITTER_FACTOR * this.retryMs) throw new Error('renewDeadline must be greater than retryPeriod*JitterFactor');
    if (o.lock === undefined) throw new Error('LeaderElectionOptions.lock is required');
    if (typeof o.identity !== 'string' || o.identity === '') throw new Error('LeaderElectionOptions.identity is required');
    if (typeof o.callbacks?.onStartedLeading !== 'function' || typeof o.callbacks.onStoppedLeading !== 'function') {
      throw new Error('LeaderElectionOptions.callbacks needs onStartedLeading and onStoppedLeading');
    }
    this.lock = o.lock;
    this.identity = o.identity;
    this.cb = o.callbacks;
    this.release = o.releaseOnCancel ?? false;
    this.clock = o.clock ?? realClock;
    this.random = o.random ?? Math.random;
    this.log = o.log ?? ((m, e) => console.error(`kubelite leaderelection ${this.lock.describe()}: ${m}`, e ?? ''));
    this.sleeper = new Sleeper(this.clock);
  }

  /**
   * Campaigns until this candidate leads, then leads until it loses the lease or
   * stop() is called. Resolves when it is all over; run once per elector.
   */
  run(): Promise<void> {
    this.running ??= this.campaign();
    return this.running;
  }

  /** Ends the election (and leadership; see releaseOnCancel); resolves when run() has. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.sleeper.interrupt();
    await this.running;
  }

  isLeader(): boolean {
    return this.observed?.holderIdentity === this.identity;
  }

  /** The holder this candidate last saw ('' for none). */
  getLeader(): string {
    return this.observed?.holderIdentity ?? '';
  }

  private async campaign(): Promise<void> {
    if (!(await this.acquire())) return;
    if (this.stopped) {
      // Stopped while the winning write was in flight: never start, just hand the lease back.
      if (this.release) await this.releaseLease();
      return;
    }
    const ac = new AbortController();
    this.leading = true;
    try {
      const r = this.cb.onStartedLeading(ac.signal);
      if (r instanceof Promise) r.catch((e: unknown) => this.log('onStartedLeading failed', e));
    } catch (e) {
      this.log('onStartedLeading failed', e);
    }
    await this.renew();
    ac.abort();
    this.leading = false;
    if (this.stopped && this.release) await this.releaseLease();
    try {
      this.cb.onStoppedLeading();
    } catch (e) {
      this.log('onStoppedLeading failed', e);
    }
  }

  private async acquire(): Promise<boolean> {
    while (!this.stopped) {
      const ok = await this.tryAcquireOrRenew(this.renewDeadlineMs);
      this.reportTransition();
      if (ok) return true;
      if (this.stopped) break;
      await this.sleeper.sleep(this.retryMs + this.random() * JITTER_FACTOR * this.retryMs);
    }
    return false;
  }

  private async renew(): Promise<void> {
    while (!this.stopped) {
      const deadline = this.clock.now() + this.renewDeadlineMs;
      let ok = false;
      for (;;) {
        ok = await this.tryAcquireOrRenew(Math.max(1, deadline - this.clock.now()));
        if (ok || this.stopped) break;
        await this.sleeper.sleep(this.retryMs);
        if (this.stopped || this.clock.now() >= deadline) break;
      }
      this.reportTransition();
      if (this.stopped) return;
      if (!ok) {
        this.log(`failed to renew lease within ${this.renewDeadlineMs} ms; stopped leading`);
        return;
      }
      await this.sleeper.sleep(this.retryMs);
    }
  }

  /** One attempt to take or keep the lease; true when this candidate holds it afterwards. */
  private async tryAcquireOrRenew(timeoutMs: number): Promise<boolean> {
    const now = this.clock.now();
    const t = microTime(now);
    const fresh: LeaderElectionRecord = {
      holderIdentity: this.identity,
      leaseDurationSeconds: Math.round(this.leaseMs / 1000),
      acquireTime: t,
      renewTime: t,
      leaseTransitions: 0,
    };
    const opt = { timeoutMs };

    // Fast path: the leader renews on top of what it last wrote, without reading first.
    if (this.isLeader() && this.observed !== undefined && this.observedTime + this.leaseMs > now) {
      const next = { ...fresh, acquireTime: this.observed.acquireTime, leaseTransitions: this.observed.leaseTransitions };
      try {
        await this.lock.update(next, opt);
        this.setObserved(next, now);
        return true;
      } catch (e) {
        this.log('renewing the lease failed; reading it again', e);
      }
    }

    let got: { record: LeaderElectionRecord; raw: string } | undefined;
    try {
      got = await this.lock.get(opt);
    } catch (e) {
      this.log('reading the lease failed', e);
      return false;
    }
    if (got === undefined) {
      try {
        await this.lock.create(fresh, opt);
        this.setObserved(fresh, now);
        return true;
      } catch (e) {
        this.log('creating the lease failed', e);
        return false;
      }
    }
    const old = got.record;
    if (got.raw !== this.observedRaw) {
      this.observed = old;
      this.observedRaw = got.raw;
      this.observedTime = now;
    }
    if (old.holderIdentity !== '' && old.holderIdentity !== this.identity && this.observedTime + old.leaseDurationSeconds * 1000 > now) {
      return false; // held by someone else, and not expired by our watch
    }
    const next =
      old.holderIdentity === this.identity
        ? { ...fresh, acquireTime: old.acquireTime, leaseTransitions: old.leaseTransitions }
        : { ...fresh, leaseTransitions: old.leaseTransitions + 1 };
    try {
      await this.lock.update(next, opt);
    } catch (e) {
      this.log('updating the lease failed', e);
      return false;
    }
    this.setObserved(next, now);
    return true;
  }

  private setObserved(r: LeaderElectionRecord, now: number): void {
    this.observed = r;
    this.observedRaw = JSON.stringify(r);
    this.observedTime = now;
  }

  private reportTransition(): void {
    const leader = this.getLeader();
    if (leader === this.reportedLeader) return;
    this.reportedLeader = leader;
    if (leader === '') return;
    try {
      this.cb.onNewLeader?.(leader);
    } catch (e) {
      this.log('onNewLeader failed', e);
    }
  }

  private async releaseLease(): Promise<void> {
    if (!this.isLeader() || this.observed === undefined) return;
    const now = this.clock.now();
    const r: LeaderElectionRecord = {
      holderIdentity: '',
      leaseDurationSeconds: 1,
      acquireTime: microTime(now),
      renewTime: microTime(now),
      leaseTransitions: this.observed.leaseTransitions,
    };
    try {
      await this.lock.update(r, { timeoutMs: this.renewDeadlineMs });
      this.setObserved(r, now);
    } catch (e) {
      this.log('releasing the lease failed', e);
    }
  }

  /** True while onStartedLeading's signal is live. */
  get isLeading(): boolean {
    return this.leading;
  }
}

/** A LeaderElector on a Lease through the REST client. */
export function leaseElector(o: Omit<LeaderElectionOptions, 'lock'> & LeaseLockOptions): LeaderElector {
  const { client, namespace, name, labels, ...rest } = o;
  return new LeaderElector({ ...rest, lock: new LeaseLock({ client, namespace, name, ...(labels ? { labels } : {}) }) });
}
