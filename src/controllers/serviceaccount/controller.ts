/**
 * The service account controller (upstream pkg/controller/serviceaccount,
 * serviceaccounts_controller.go): every active namespace gets the "default"
 * ServiceAccount, and gets it back when it is deleted. The root CA publisher
 * (rootca.ts) lives beside it: every namespace gets the kube-root-ca.crt ConfigMap.
 */
import { hasStatusCause, isAlreadyExists, NAMESPACE_TERMINATING_CAUSE } from '../../client/errors.js';
import { unwrapTombstone } from '../../client/indexer.js';
import type { SharedInformer } from '../../client/informer.js';
import type { KubeObject } from '../../client/types.js';
import { RateLimitingQueue } from '../../client/workqueue.js';
import type { Controller, ControllerContext } from '../types.js';
import { QueueWorkers } from '../common/queue.js';

export { newRootCACertPublisher, RootCACertPublisher, ROOT_CA_CONFIGMAP, type RootCAOptions } from './rootca.js';

export const NAMESPACES = { group: '', version: 'v1', resource: 'namespaces' };
export const SERVICEACCOUNTS = { group: '', version: 'v1', resource: 'serviceaccounts' };

export interface ServiceAccountControllerOptions {
  /** Names of the service accounts every namespace gets (["default"]). */
  serviceAccounts?: string[];
}

export class ServiceAccountController implements Controller {
  readonly name = 'serviceaccount';
  private readonly queue: RateLimitingQueue<string>;
  private readonly workers: QueueWorkers;
  private readonly ensure: string[];
  private nsInformer: SharedInformer<KubeObject & { status?: { phase?: string } }> | undefined;
  private saInformer: SharedInformer<KubeObject> | undefined;

  constructor(
    private readonly ctx: ControllerContext,
    opts: ServiceAccountControllerOptions = {},
  ) {
    this.ensure = opts.serviceAccounts ?? ['default'];
    this.queue = new RateLimitingQueue<string>({ clock: ctx.clock, name: 'serviceaccount' });
    this.workers = new QueueWorkers({ queue: this.queue, sync: (k) => this.sync(k), log: (m) => ctx.log(this.name, m) });
  }

  init(): void {
    if (this.nsInformer !== undefined) return;
    this.nsInformer = this.ctx.informers.forResource(NAMESPACES);
    this.saInformer = this.ctx.informers.forResource(SERVICEACCOUNTS);
    this.nsInformer.addEventHandler({
      onAdd: (ns) => this.queue.add(ns.metadata?.name ?? ''),
      onUpdate: (_old, ns) => this.queue.add(ns.metadata?.name ?? ''),
    });
    this.saInformer.addEventHandler({
      onDelete: (obj) => {
        const sa = unwrapTombstone(obj);
        if (this.ensure.includes(sa.metadata?.name ?? '')) this.queue.add(sa.metadata?.namespace ?? '');
      },
    });
  }

  run(workers: number): void {
    this.init();
    this.workers.run(workers);
  }

  async stop(): Promise<void> {
    await this.workers.stop();
  }

  async sync(namespace: string): Promise<void> {
    const ns = this.nsInformer?.lister().get('', namespace);
    // Nothing is created in a namespace that is not (or no longer) active.
    if (ns === undefined || ns.status?.phase !== 'Active') return;
    const failures: string[] = [];
    for (const name of this.ensure) {
      if (this.saInformer?.lister().get(namespace, name) !== undefined) continue;
      try {
        await this.ctx.client.create({ ...SERVICEACCOUNTS, namespace }, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name, namespace } });
      } catch (e) {
        if (isAlreadyExists(e) || hasStatusCause(e, NAMESPACE_TERMINATING_CAUSE)) continue;
        failures.push(e instanceof Error ? e.message : String(e));
      }
    }
    if (failures.length > 0) throw new Error(failures.length === 1 ? failures[0] : `[${failures.join(', ')}]`);
  }
}

export function newServiceAccountController(ctx: ControllerContext, opts: ServiceAccountControllerOptions = {}): Controller {
  return new ServiceAccountController(ctx, opts);
}
