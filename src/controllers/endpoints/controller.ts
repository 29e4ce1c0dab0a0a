/**
 * The Endpoints controller (upstream pkg/controller/endpoint): keeps an Endpoints
 * object named after every service with a selector, listing its pods' addresses
 * (see endpoints.ts). Services without a selector are left alone (their Endpoints are
 * written by hand), and so is default/kubernetes, which the API server maintains.
 * When a service goes, its Endpoints go too.
 */
import { matches } from '../../apimachinery/labels.js';
import { isAlreadyExists, isNotFound } from '../../client/errors.js';
import { splitMetaNamespaceKey, unwrapTombstone } from '../../client/indexer.js';
import type { SharedInformer } from '../../client/informer.js';
import { enqueueServicesOnChange, isAPIServerService, serviceKey, serviceSelector, type PodObj, type ServiceObj } from '../common/endpointutil.js';
import { KeyWorkers } from '../common/queue.js';
import { canonicalJSON } from '../common/revision.js';
import { GVR } from '../common/types.js';
import type { Controller, ControllerContext } from '../types.js';
import { computeSubsets, endpointsLabels, OVER_CAPACITY_ANNOTATION, truncateSubsets, type EndpointsObj } from './endpoints.js';

export const CONTROLLER_NAME = 'endpoints';

const keyOf = serviceKey;

export class EndpointsController implements Controller {
  readonly name = CONTROLLER_NAME;
  private readonly workers: KeyWorkers;
  private readonly serviceInformer: SharedInformer<ServiceObj>;
  private readonly podInformer: SharedInformer<PodObj>;
  private readonly endpointsInformer: SharedInformer<EndpointsObj>;
  private initialized = false;

  constructor(private readonly ctx: ControllerContext) {
    this.workers = new KeyWorkers({ name: CONTROLLER_NAME, ctx, sync: (k) => this.sync(k) });
    this.serviceInformer = ctx.informers.forResource<ServiceObj>(GVR.services);
    this.podInformer = ctx.informers.forResource<PodObj>(GVR.pods);
    this.endpointsInformer = ctx.informers.forResource<EndpointsObj>(GVR.endpoints);
  }

  init(): void {
    if (this.initialized) return;
    this.initialized = true;
    enqueueServicesOnChange(this.serviceInformer, this.podInformer, (k) => this.workers.add(k));
    this.endpointsInformer.addEventHandler({
      // Someone deleted an Endpoints object we manage: put it back.
      onDelete: (o) => {
        const ep = unwrapTombstone(o);
        if (this.serviceInformer.lister().get(ep.metadata?.namespace ?? '', ep.metadata?.name ?? '') !== undefined) this.workers.add(keyOf(ep));
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

  async sync(key: string): Promise<void> {
    const { namespace, name } = splitMetaNamespaceKey(key);
    const svc = this.serviceInformer.lister().get(namespace, name);
    if (svc === undefined) {
      if (namespace === 'default' && name === 'kubernetes') return;
      // The service is gone: so are its endpoints.
      try {
        await this.ctx.client.delete({ ...GVR.endpoints, namespace, name });
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
      return;
    }
    if (isAPIServerService(svc)) return;
    const selector = serviceSelector(svc);
    if (selector === undefined) return;
    const pods = this.podInformer
      .lister()
      .namespace(namespace)
      .list()
      .filter((p) => matches(selector, p.metadata?.labels));
    const subsets = computeSubsets(svc, pods);
    const truncated = truncateSubsets(subsets);
    const labels = endpointsLabels(svc);

    const current = this.endpointsInformer.lister().get(namespace, name);
    const annotations = { ...(current?.metadata?.annotations ?? {}) };
    delete annotations['endpoints.kubernetes.io/last-change-trigger-time'];
    if (truncated) annotations[OVER_CAPACITY_ANNOTATION] = 'truncated';
    else delete annotations[OVER_CAPACITY_ANNOTATION];
    if (
      current !== undefined &&
      canonicalJSON(current.subsets ?? []) === canonicalJSON(subsets) &&
      canonicalJSON(current.metadata?.labels ?? {}) === canonicalJSON(labels) &&
      (current.metadata?.annotations?.[OVER_CAPACITY_ANNOTATION] === 'truncated') === truncated
    ) {
      return;
    }
    const desired: EndpointsObj = {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: {
        ...(current?.metadata ?? {}),
        name,
        namespace,
        labels,
        ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
      },
      ...(subsets.length > 0 ? { subsets } : {}),
    };
    if (Object.keys(annotations).length === 0 && desired.metadata) delete desired.metadata.annotations;
    if (current === undefined) {
      try {
        await this.ctx.client.create({ ...GVR.endpoints, namespace }, desired);
      } catch (e) {
        // Already there (our cache lags): the next sync updates it.
        if (isAlreadyExists(e)) throw new Error(`endpoints ${key} exist but are not in the cache yet`, { cause: e });
        throw e;
      }
      return;
    }
    await this.ctx.client.update({ ...GVR.endpoints, namespace }, desired);
  }
}

export function newEndpointsController(ctx: ControllerContext): Controller {
  return new EndpointsController(ctx);
}
