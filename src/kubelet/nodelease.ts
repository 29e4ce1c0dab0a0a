/**
 * The node heartbeat: a coordination.k8s.io/v1 Lease named after the node in
 * kube-node-lease, renewed every renewInterval (upstream: a quarter of the 40 s lease
 * duration, jittered by up to 4 %), as component-helpers' lease controller does for
 * the kubelet.
 *
 * Contract:
 *   - The lease has holderIdentity = node name, leaseDurationSeconds, renewTime (a
 *     MicroTime) and, once the Node's UID is known, an ownerReference to the Node
 *     (so deleting the Node garbage-collects the Lease).
 *   - Each renewal updates the last lease written (its resourceVersion rides along);
 *     on 409 Conflict or 404 the lease is read again (or created) and the update is
 *     retried at once, as upstream's ensureLease + retryUpdateLease.
 *   - A failed renewal is retried after a backoff (800 ms doubling, capped at the renew
 *     interval), not after a whole interval.
 *   - Only the injected Clock schedules anything; stop() cancels the next renewal
 *     (a write in flight finishes).
 */
import type { OwnerReference } from '../client/types.js';
import type { RestClient } from '../client/rest.js';
import { isConflict, isNotFound } from '../client/errors.js';
import { microTime } from '../client/leaderelection.js';
import type { Clock, TimerHandle } from '../util/clock.js';
import { LEASES, NODE_LEASE_NAMESPACE, type LeaseObject } from './types.js';

export interface NodeLeaseOptions {
  client: RestClient;
  nodeName: string;
  clock: Clock;
  leaseDurationSeconds: number;
  renewIntervalMs: number;
  /** The Node's owner reference once known (the Node's uid). */
  owner: () => OwnerReference | undefined;
  random?: () => number;
  log?: (message: string, err?: unknown) => void;
  /** Told after every successful renewal (tests, metrics). */
  onRenew?: (lease: LeaseObject) => void;
  /** The wait after the first renewal of a start() (default: a jittered interval); pools spread phases with it. */
  firstPeriodMs?: () => number;
}

/** Upstream JitterUntil factor of the lease loop. */
export const LEASE_JITTER = 0.04;
const RETRY_INITIAL_MS = 800;

export class NodeLeaseController {
  private latest: LeaseObject | undefined;
  private timer: TimerHandle | undefined;
  private running = false;
  private failures = 0;
  private first = true;
  private inFlight: Promise<void> | undefined;
  private readonly random: () => number;
  private readonly log: (message: string, err?: unknown) => void;
  /** Renewals written since creation. */
  renewals = 0;

  constructor(private readonly o: NodeLeaseOptions) {
    this.random = o.random ?? Math.random;
    this.log = o.log ?? ((m, e) => console.error(`kubelite node lease ${o.nodeName}: ${m}`, e ?? ''));
  }

  /** Renews at once, then every interval. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.failures = 0;
    this.first = true;
    this.tick();
  }

  stop(): void {
    this.running = false;
    if (this.timer !== undefined) this.o.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Resolves when the renewal in flight (if any) has finished. */
  async idle(): Promise<void> {
    await this.inFlight;
  }

  /** The lease as last written. */
  get lease(): LeaseObject | undefined {
    return this.latest;
  }

  private tick(): void {
    this.timer = undefined;
    if (!this.running) return;
    this.inFlight = this.sync()
      .then(
        () => {
          this.failures = 0;
        },
        (e: unknown) => {
          this.failures++;
          this.log(`renewing the lease failed (attempt ${this.failures})`, e instanceof Error ? e.message : e);
        },
      )
      .finally(() => {
        this.inFlight = undefined;
        if (!this.running) return;
        const base = this.o.renewIntervalMs;
        let wait: number;
        if (this.failures > 0) wait = Math.min(base, RETRY_INITIAL_MS * 2 ** Math.min(this.failures - 1, 10));
        else if (this.first && this.o.firstPeriodMs !== undefined) wait = this.o.firstPeriodMs();
        else wait = base * (1 + this.random() * LEASE_JITTER);
        if (this.failures === 0) this.first = false;
        this.timer = this.o.clock.setTimeout(() => this.tick(), wait);
      });
  }

  /** One renewal: update the lease we hold, else read or create it and update that. */
  async sync(): Promise<void> {
    const now = this.o.clock.now();
    if (this.latest !== undefined) {
      try {
        await this.update(this.latest, now);
        return;
      } catch (e) {
        if (!isConflict(e) && !isNotFound(e)) throw e;
        this.latest = undefined;
      }
    }
    const ref = { ...LEASES, namespace: NODE_LEASE_NAMESPACE, name: this.o.nodeName };
    let current: LeaseObject | undefined;
    try {
      current = await this.o.client.get<LeaseObject>(ref, { timeoutMs: this.o.renewIntervalMs });
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
    if (current === undefined) {
      const owner = this.o.owner();
      const created = await this.o.client.create<LeaseObject>(
        { ...LEASES, namespace: NODE_LEASE_NAMESPACE },
        {
          apiVersion: 'coordination.k8s.io/v1',
          kind: 'Lease',
          metadata: { name: this.o.nodeName, namespace: NODE_LEASE_NAMESPACE, ...(owner !== undefined ? { ownerReferences: [owner] } : {}) },
          spec: { holderIdentity: this.o.nodeName, leaseDurationSeconds: this.o.leaseDurationSeconds, renewTime: microTime(now) },
        },
        { timeoutMs: this.o.renewIntervalMs },
      );
      this.written(created);
      return;
    }
    await this.update(current, now);
  }

  private async update(base: LeaseObject, now: number): Promise<void> {
    const owner = this.o.owner();
    const metadata = { ...base.metadata };
    if (owner !== undefined && !(metadata.ownerReferences ?? []).some((r) => r.uid === owner.uid)) metadata.ownerReferences = [owner];
    const next: LeaseObject = {
      ...base,
      metadata,
      spec: { ...base.spec, holderIdentity: this.o.nodeName, leaseDurationSeconds: this.o.leaseDurationSeconds, renewTime: microTime(now) },
    };
    const res = await this.o.client.update<LeaseObject>({ ...LEASES, namespace: NODE_LEASE_NAMESPACE, name: this.o.nodeName }, next, { timeoutMs: this.o.renewIntervalMs });
    this.written(res);
  }

  private written(lease: LeaseObject): void {
    this.latest = lease;
    this.renewals++;
    this.o.onRenew?.(lease);
  }
}
