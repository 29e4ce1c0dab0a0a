/**
 * The EndpointSlice controller (upstream pkg/controller/endpointslice): keeps the
 * EndpointSlices "<service>-<random>" of every service with a selector, labelled
 * kubernetes.io/service-name and endpointslice.kubernetes.io/managed-by, owned by the
 * service, holding its pods' endpoints with ready/serving/terminating conditions
 * (terminating pods included), at most 100 per slice (reconcile.ts).
 *
 * Slices are created with generated names, so a lagging cache could make us create
 * twice: a tracker remembers the slices we wrote and deleted per service, and a sync
 * whose cache has not caught up with them fails (and is retried) instead of acting.
 */
import type { Node } from 'kubernetes-types/core/v1.js';
import { matches } from '../../apimachinery/labels.js';
import { isNotFound } from '../../client/errors.js';
import { splitMetaNamespaceKey, unwrapTombstone } from '../../client/indexer.js';
import type { SharedInformer } from '../../client/informer.js';
import { enqueueServicesOnChange, isAPIServerService, serviceKey, serviceSelector, type PodObj, type ServiceObj } from '../common/endpointutil.js';
import { KeyWorkers } from '../common/queue.js';
import { ENDPOINTSLICE_CONTROLLER_NAME, GVR, MANAGED_BY_LABEL, SERVICE_NAME_LABEL, type Obj } from '../common/types.js';
import type { Controller, ControllerContext } from '../types.js';
import { desiredEndpoints, MAX_ENDPOINTS_PER_SLICE, planSlices, type SliceObj } from './reconcile.js';

export const CONTROLLER_NAME = 'endpointslice';

type NodeObj = Obj<Node>;

const keyOf = serviceKey;

function rvNumber(rv: string | undefined): bigint {
  return rv !== undefined && /^[0-9]+$/.test(rv) ? BigInt(rv) : 0n;
}

/**
 * Slices we wrote (name -> resourceVersion) or deleted (resourceVersion undefined), per
 * service key, until the cache shows them. Entries older than TRACKER_TTL_MS are
 * dropped (the slice may have been deleted by someone else meanwhile).
 */
class SliceTracker {
  private readonly written = new Map<string, Map<string, { rv: string | undefined; at: number }>>();

  constructor(private readonly now: () => number) {}

  wrote(svcKey: string, name: string, rv: string | undefined): void {
    let m = this.written.get(svcKey);
    if (m === undefined) {
      m = new Map();
      this.written.set(svcKey, m);
    }
    m.set(name, { rv, at: this.now() });
  }

  deleted(svcKey: string, name: string): void {
    this.wrote(svcKey, name, undefined);
  }

  /** True when the cache shows everything we did; entries it shows are dropped. */
  caughtUp(svcKey: string, cached: ReadonlyMap<string, SliceObj>): boolean {
    const m = this.written.get(svcKey);
    if (m === undefined) return true;
    const now = this.now();
    for (const [name, { rv, at }] of m) {
      const c = cached.get(name);
      const seen = rv === undefined ? c === undefined : c !== undefined && rvNumber(c.metadata?.resourceVersion) >= rvNumber(rv);
      if (seen || now - at > TRACKER_TTL_MS) m.delete(name);
    }
    if (m.size === 0) this.written.delete(svcKey);
    return m.size === 0;
  }

  forget(svcKey: string): void {
    this.written.delete(svcKey);
  }
}

/** How long a write we made may stay unseen by the cache before we stop waiting for it. */
export const TRACKER_TTL_MS = 60_000;

export interface EndpointSliceControllerOptions {
  maxEndpointsPerSlice?: number;
}

export class EndpointSliceController implements Controller {
  readonly name = CONTROLLER_NAME;
  private readonly workers: KeyWorkers;
  private readonly serviceInformer: SharedInformer<ServiceObj>;
  private readonly podInformer: SharedInformer<PodObj>;
  private readonly nodeInformer: SharedInformer<NodeObj>;
  private readonly sliceInformer: SharedInformer<SliceObj>;
  private readonly tracker: SliceTracker;
  private readonly maxPerSlice: number;
  private initialized = false;

  constructor(
    private readonly ctx: ControllerContext,
    opts: EndpointSliceControllerOptions = {},
  ) {
    this.maxPerSlice = opts.maxEndpointsPerSlice ?? MAX_ENDPOINTS_PER_SLICE;
    this.tracker = new SliceTracker(() => ctx.clock.now());
    if (!(this.maxPerSlice >= 1 && this.maxPerSlice <= 1000)) throw new Error('maxEndpointsPerSlice must be within 1..1000');
    this.workers = new KeyWorkers({ name: CONTROLLER_NAME, ctx, sync: (k) => this.sync(k) });
    this.serviceInformer = ctx.informers.forResource<ServiceObj>(GVR.services);
    this.podInformer = ctx.informers.forResource<PodObj>(GVR.pods);
    this.nodeInformer = ctx.informers.forResource<NodeObj>(GVR.nodes);
    this.sliceInformer = ctx.informers.forResource<SliceObj>(GVR.endpointSlices);
  }

  init(): void {
    if (this.initialized) return;
    this.initialized = true;
    enqueueServicesOnChange(this.serviceInformer, this.podInformer, (k) => this.workers.add(k));
    const sliceChanged = (s: SliceObj): void => {
      const labels = s.metadata?.labels ?? {};
      const svc = labels[SERVICE_NAME_LABEL];
      if (labels[MANAGED_BY_LABEL] !== ENDPOINTSLICE_CONTROLLER_NAME || svc === undefined) return;
      this.workers.add(`${s.metadata?.namespace ?? ''}/${svc}`);
    };
    this.sliceInformer.addEventHandler({ onAdd: sliceChanged, onUpdate: (_o, s) => sliceChanged(s), onDelete: (o) => sliceChanged(unwrapTombstone(o)) });
    this.nodeInformer.addEventHandler({
      onUpdate: (old, cur) => {
        if (old.metadata?.labels?.['topology.kubernetes.io/zone'] === cur.metadata?.labels?.['topology.kubernetes.io/zone']) return;
        for (const s of this.serviceInformer.lister().list()) this.workers.add(keyOf(s));
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

  private ourSlices(namespace: string, svcName: string): SliceObj[] {
    return this.sliceInformer
      .lister()
      .namespace(namespace)
      .list()
      .filter((s) => s.metadata?.labels?.[SERVICE_NAME_LABEL] === svcName && s.metadata?.labels?.[MANAGED_BY_LABEL] === ENDPOINTSLICE_CONTROLLER_NAME);
  }

  async sync(key: string): Promise<void> {
    const { namespace, name } = splitMetaNamespaceKey(key);
    const svc = this.serviceInformer.lister().get(namespace, name);
    if (svc === undefined) {
      // Owner references let the garbage collector remove the slices; forget them here.
      this.tracker.forget(key);
      return;
    }
    const existing = this.ourSlices(namespace, name);
    if (!this.tracker.caughtUp(key, new Map(existing.map((s) => [s.metadata?.name ?? '', s])))) {
      throw new Error(`EndpointSlice informer cache is out of date for service ${key}`);
    }
    if (isAPIServerService(svc)) return;
    const selector = serviceSelector(svc);
    if (selector === undefined) return;
    const pods = this.podInformer
      .lister()
      .namespace(namespace)
      .list()
      .filter((p) => matches(selector, p.metadata?.labels));
    const nodes = this.nodeInformer.lister();
    const desired = desiredEndpoints(svc, pods, (n) => (n === '' ? undefined : nodes.get('', n)));
    const plan = planSlices(svc, desired, existing, this.maxPerSlice);
    const errors: unknown[] = [];
    for (const s of plan.create) {
      try {
        const created = await this.ctx.client.create<SliceObj>({ ...GVR.endpointSlices, namespace }, s);
        this.tracker.wrote(key, created.metadata?.name ?? '', created.metadata?.resourceVersion);
      } catch (e) {
        errors.push(e);
      }
    }
    for (const s of plan.update) {
      try {
        const updated = await this.ctx.client.update<SliceObj>({ ...GVR.endpointSlices, namespace }, s);
        this.tracker.wrote(key, updated.metadata?.name ?? '', updated.metadata?.resourceVersion);
      } catch (e) {
        errors.push(e);
      }
    }
    for (const s of plan.delete) {
      try {
        await this.ctx.client.delete({ ...GVR.endpointSlices, namespace, name: s.metadata?.name ?? '' });
        this.tracker.deleted(key, s.metadata?.name ?? '');
      } catch (e) {
        if (!isNotFound(e)) errors.push(e);
      }
    }
    if (errors.length > 0) throw errors[0];
  }
}

export function newEndpointSliceController(ctx: ControllerContext): Controller {
  return new EndpointSliceController(ctx);
}
