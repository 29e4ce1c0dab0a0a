/**
 * The namespace controller (upstream pkg/controller/namespace): when a namespace is
 * deleted (deletionTimestamp set, phase Terminating, "kubernetes" in spec.finalizers) it
 * deletes everything in it, reports progress in status.conditions, and then clears its
 * finalizer through the finalize subresource so the API server can remove the namespace.
 * The work is in deleter.ts; this file queues namespace names.
 *
 * As upstream, a namespace is processed namespaceDeletionGracePeriod (5 s) after its
 * event, so that last-moment creations elsewhere are visible before content is listed.
 */
import type { SharedInformer } from '../../client/informer.js';
import { RateLimitingQueue } from '../../client/workqueue.js';
import type { Controller, ControllerContext } from '../types.js';
import { QueueWorkers } from '../common/queue.js';
import { NamespacedResourcesDeleter, type Discovery, type Namespace } from './deleter.js';

export const NAMESPACES = { group: '', version: 'v1', resource: 'namespaces' };
/** Upstream's namespaceDeletionGracePeriod. */
export const NAMESPACE_DELETION_GRACE_PERIOD_MS = 5_000;

export interface NamespaceControllerOptions {
  /** Delay before a deleted namespace is processed (5 s). */
  deletionGracePeriodMs?: number;
  /** Discovery override (tests). */
  discover?: () => Promise<Discovery>;
}

export class NamespaceController implements Controller {
  readonly name = 'namespace';
  private readonly queue: RateLimitingQueue<string>;
  private readonly workers: QueueWorkers;
  private readonly deleter: NamespacedResourcesDeleter;
  private readonly graceMs: number;
  private informer: SharedInformer<Namespace> | undefined;

  constructor(
    private readonly ctx: ControllerContext,
    opts: NamespaceControllerOptions = {},
  ) {
    this.graceMs = opts.deletionGracePeriodMs ?? NAMESPACE_DELETION_GRACE_PERIOD_MS;
    this.queue = new RateLimitingQueue<string>({ clock: ctx.clock, name: 'namespace' });
    const log = (m: string): void => ctx.log(this.name, m);
    this.deleter = new NamespacedResourcesDeleter({ client: ctx.client, clock: ctx.clock, log, ...(opts.discover ? { discover: opts.discover } : {}) });
    this.workers = new QueueWorkers({ queue: this.queue, sync: (k) => this.deleter.delete(k), log });
  }

  init(): void {
    if (this.informer !== undefined) return;
    this.informer = this.ctx.informers.forResource<Namespace>(NAMESPACES);
    this.informer.addEventHandler({
      onAdd: (ns) => this.enqueue(ns),
      onUpdate: (_old, ns) => this.enqueue(ns),
    });
  }

  private enqueue(ns: Namespace): void {
    if (ns.metadata?.deletionTimestamp === undefined) return;
    this.queue.addAfter(ns.metadata?.name ?? '', this.graceMs);
  }

  run(workers: number): void {
    this.init();
    this.workers.run(workers);
  }

  async stop(): Promise<void> {
    await this.workers.stop();
  }
}

export function newNamespaceController(ctx: ControllerContext, opts: NamespaceControllerOptions = {}): Controller {
  return new NamespaceController(ctx, opts);
}
