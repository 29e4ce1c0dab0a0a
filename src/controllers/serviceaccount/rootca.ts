/**
 * The root CA certificate publisher (upstream pkg/controller/certificates/
 * rootcacertpublisher): every namespace carries a ConfigMap "kube-root-ca.crt" whose
 * "ca.crt" is the cluster CA (PEM), so pods can verify the API server. It is recreated
 * when deleted and rewritten when its data or description annotation changes.
 */
import { isDeepStrictEqual } from 'node:util';
import { deepCopy } from '../../apimachinery/meta.js';
import { hasStatusCause, isNotFound, NAMESPACE_TERMINATING_CAUSE } from '../../client/errors.js';
import { unwrapTombstone } from '../../client/indexer.js';
import type { SharedInformer } from '../../client/informer.js';
import type { KubeObject } from '../../client/types.js';
import { RateLimitingQueue } from '../../client/workqueue.js';
import type { Controller, ControllerContext } from '../types.js';
import { QueueWorkers } from '../common/queue.js';

export const ROOT_CA_CONFIGMAP = 'kube-root-ca.crt';
export const DESCRIPTION_ANNOTATION = 'kubernetes.io/description';
export const DESCRIPTION =
  'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. ' +
  'No other usage is guaranteed across distributions of Kubernetes clusters.';

const NAMESPACES = { group: '', version: 'v1', resource: 'namespaces' };
const CONFIGMAPS = { group: '', version: 'v1', resource: 'configmaps' };

export interface RootCAOptions {
  /** The cluster CA certificate(s), PEM. */
  caPEM: string;
}

type ConfigMap = KubeObject & { data?: Record<string, string> };
type Namespace = KubeObject & { status?: { phase?: string } };

export class RootCACertPublisher implements Controller {
  readonly name = 'root-ca-cert-publisher';
  private readonly queue: RateLimitingQueue<string>;
  private readonly workers: QueueWorkers;
  private readonly caPEM: string;
  private cmInformer: SharedInformer<ConfigMap> | undefined;

  constructor(
    private readonly ctx: ControllerContext,
    opts: RootCAOptions,
  ) {
    if (typeof opts?.caPEM !== 'string' || opts.caPEM.trim() === '') throw new Error('root-ca-cert-publisher needs RootCAOptions.caPEM');
    this.caPEM = opts.caPEM;
    this.queue = new RateLimitingQueue<string>({ clock: ctx.clock, name: 'root_ca_cert_publisher' });
    this.workers = new QueueWorkers({ queue: this.queue, sync: (k) => this.sync(k), log: (m) => ctx.log(this.name, m) });
  }

  init(): void {
    if (this.cmInformer !== undefined) return;
    this.cmInformer = this.ctx.informers.forResource<ConfigMap>(CONFIGMAPS);
    const nsInformer = this.ctx.informers.forResource<Namespace>(NAMESPACES);
    const onCM = (cm: ConfigMap): void => {
      if (cm.metadata?.name === ROOT_CA_CONFIGMAP) this.queue.add(cm.metadata.namespace ?? '');
    };
    this.cmInformer.addEventHandler({ onUpdate: (_old, cm) => onCM(cm), onDelete: (obj) => onCM(unwrapTombstone(obj)) });
    nsInformer.addEventHandler({
      onAdd: (ns) => this.queue.add(ns.metadata?.name ?? ''),
      onUpdate: (_old, ns) => {
        if (ns.status?.phase === 'Active') this.queue.add(ns.metadata?.name ?? '');
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
    const data = { 'ca.crt': this.caPEM };
    const cm = this.cmInformer?.lister().get(namespace, ROOT_CA_CONFIGMAP);
    if (cm === undefined) {
      try {
        await this.ctx.client.create({ ...CONFIGMAPS, namespace }, {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: ROOT_CA_CONFIGMAP, namespace, annotations: { [DESCRIPTION_ANNOTATION]: DESCRIPTION } },
          data,
        });
      } catch (e) {
        // A namespace that is gone or terminating gets nothing; no retry.
        if (isNotFound(e) || hasStatusCause(e, NAMESPACE_TERMINATING_CAUSE)) return;
        throw e;
      }
      return;
    }
    if (isDeepStrictEqual(cm.data ?? {}, data) && (cm.metadata?.annotations?.[DESCRIPTION_ANNOTATION] ?? '') !== '') return;
    const next = deepCopy(cm);
    next.data = data;
    next.metadata = { ...(next.metadata ?? {}), annotations: { ...(next.metadata?.annotations ?? {}), [DESCRIPTION_ANNOTATION]: DESCRIPTION } };
    await this.ctx.client.update({ ...CONFIGMAPS, namespace, name: ROOT_CA_CONFIGMAP }, { ...next, apiVersion: 'v1', kind: 'ConfigMap' });
  }
}

export function newRootCACertPublisher(ctx: ControllerContext, opts: RootCAOptions): Controller {
  return new RootCACertPublisher(ctx, opts);
}
