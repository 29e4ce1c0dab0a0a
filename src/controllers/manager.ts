/**
 * The controller manager (kube-controller-manager): builds one ControllerContext (one
 * SharedInformerFactory shared by all controllers, one EventRecorder per component),
 * constructs every enabled controller from the registry, lets each register its
 * informers (init), starts the informers, waits for their caches, and runs the
 * controllers with their worker counts.
 *
 * With leader election, all of that happens only while this instance holds the Lease
 * kube-system/kube-controller-manager (client/leaderelection.ts). Upstream exits when it
 * loses the lease; kubelite stops the controllers and informers, and campaigns again
 * with a fresh start. Without leader election the controllers start at once.
 *
 * Each controller talks to the API server through its own client, as upstream's
 * ClientBuilder gives it one: same connections, but a User-Agent naming the controller's
 * service account (kube-controller-manager/<version> (<os>/<arch>) kubernetes/<commit>/
 * system:serviceaccount:kube-system:<name>), so its writes are recorded in managedFields
 * as "kube-controller-manager" and its requests can be told apart in the server's logs.
 * The shared informers and leader election use "shared-informers" and "leader-election".
 *
 * Controller selection follows --controllers: "*" enables every controller not disabled
 * by default, "name" enables one, "-name" disables one; the first entry naming a
 * controller wins. Names may be given as upstream spells them ("garbagecollector",
 * "garbage-collector", "garbage-collector-controller").
 */
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { EventRecorder } from '../client/events.js';
import { dropManagedFields, SharedInformerFactory } from '../client/informer.js';
import { leaseElector, type LeaderElector } from '../client/leaderelection.js';
import type { NodeLifecycleOptions } from './nodelifecycle/controller.js';
import type { RestClient } from '../client/rest.js';
import { addUserAgent, defaultKubernetesUserAgent, KUBE_CONTROLLER_MANAGER, serviceAccountUsername } from '../client/useragent.js';
import { realClock, type Clock } from '../util/clock.js';
import { CONTROLLERS, type ControllerInitContext, type ControllerRegistration } from './registry.js';
import type { Controller } from './types.js';

export const LEASE_NAMESPACE = 'kube-system';
export const LEASE_NAME = 'kube-controller-manager';
/** Where the controllers' service accounts live. */
export const CONTROLLER_SA_NAMESPACE = 'kube-system';

/** The User-Agent of one client of the controller manager ("shared-informers", a controller's service account user, ...). */
export function controllerManagerUserAgent(clientName: string): string {
  return addUserAgent(defaultKubernetesUserAgent(KUBE_CONTROLLER_MANAGER), clientName);
}

export interface ControllerManagerOptions {
  client: RestClient;
  clock?: Clock;
  /** --controllers (default ["*"]). */
  controllers?: string[];
  /** Run only while holding the kube-controller-manager Lease (default false). */
  leaderElection?: boolean;
  /** This candidate's identity (default "<hostname>_<uuid>"). */
  identity?: string;
  /** The cluster CA (PEM) for the root CA publisher; without it that controller is skipped. */
  caPEM?: string;
  /** Node lifecycle timings (--node-monitor-period, --node-monitor-grace-period, ...). */
  nodeLifecycle?: NodeLifecycleOptions;
  /** Workers per controller name, overriding the registry's defaults. */
  workers?: Record<string, number>;
  /** Default informer resync period in ms (0, the default: never). */
  resyncPeriodMs?: number;
  /** Leader election timing (client-go defaults: 15 s, 10 s, 2 s). */
  leaseDurationMs?: number;
  renewDeadlineMs?: number;
  retryPeriodMs?: number;
  /** The registry to build from (default CONTROLLERS). */
  registry?: Record<string, ControllerRegistration>;
  /** Where log lines go (default stderr). */
  log?: (line: string) => void;
}

function normalizeName(s: string): string {
  const n = s.replace(/-controller$/, '').replace(/-/g, '');
  // Upstream's --controllers name is "endpoint" while its controller is "endpoints-controller".
  return n === 'endpoints' ? 'endpoint' : n;
}

/** The registry key a --controllers entry names, or undefined. */
export function resolveControllerName(name: string, registry: Record<string, ControllerRegistration> = CONTROLLERS): string | undefined {
  if (Object.prototype.hasOwnProperty.call(registry, name)) return name;
  const n = normalizeName(name);
  return Object.keys(registry).find((k) => normalizeName(k) === n);
}

/** The controllers --controllers selects, in registry order; throws on unknown names. */
export function enabledControllers(list: readonly string[], registry: Record<string, ControllerRegistration> = CONTROLLERS): string[] {
  const decisions = new Map<string, boolean>();
  let star = false;
  for (const raw of list) {
    const entry = raw.trim();
    if (entry === '') continue;
    if (entry === '*') {
      star = true;
      continue;
    }
    const off = entry.startsWith('-');
    const key = resolveControllerName(off ? entry.slice(1) : entry, registry);
    if (key === undefined) throw new Error(`"${entry}" is not in the list of known controllers`);
    if (!decisions.has(key)) decisions.set(key, !off);
  }
  return Object.keys(registry).filter((k) => decisions.get(k) ?? (star && registry[k]?.disabledByDefault !== true));
}

/** One run of the controllers: built when leading (or at start), torn down when not. */
class Term {
  readonly factory: SharedInformerFactory;
  private readonly recorders = new Map<string, EventRecorder>();
  private readonly controllers: { name: string; controller: Controller; workers: number }[] = [];
  private stopping = false;
  ready = false;
  readonly failures: string[] = [];

  constructor(private readonly m: ControllerManager) {
    const o = m.options;
    this.factory = new SharedInformerFactory({
      client: o.client.withUserAgent(controllerManagerUserAgent('shared-informers')),
      clock: m.clock,
      defaultResyncMs: o.resyncPeriodMs ?? 0,
      onHandlerError: (e) => m.log(`informer handler failed: ${e instanceof Error ? e.message : String(e)}`),
      // As kube-controller-manager: no controller reads managedFields, so the caches drop them.
      transform: dropManagedFields,
    });
  }

  /** The context one controller is built with: the shared informers, its own client and recorders. */
  private contextFor(name: string, reg: ControllerRegistration): ControllerInitContext {
    const o = this.m.options;
    const client = o.client.withUserAgent(controllerManagerUserAgent(serviceAccountUsername(CONTROLLER_SA_NAMESPACE, reg.serviceAccount ?? name)));
    return {
      client,
      informers: this.factory,
      clock: this.m.clock,
      recorder: (component) => {
        let r = this.recorders.get(component);
        if (r === undefined) {
          r = new EventRecorder({ client, component, clock: this.m.clock, log: (msg, err) => this.m.log(`events ${component}: ${msg}${err !== undefined ? `: ${String(err)}` : ''}`) });
          this.recorders.set(component, r);
        }
        return r;
      },
      log: (controller, message) => this.m.log(`${controller}: ${message}`),
      ...(o.caPEM !== undefined ? { caPEM: o.caPEM } : {}),
      ...(o.nodeLifecycle !== undefined ? { nodeLifecycle: o.nodeLifecycle } : {}),
    };
  }

  async start(): Promise<void> {
    const o = this.m.options;
    for (const name of this.m.enabled) {
      const reg = this.m.registry[name];
      if (reg === undefined) continue;
      try {
        const c = reg.init(this.contextFor(name, reg));
        if (c === undefined) {
          this.m.log(`skipping "${name}": not available in this configuration`);
          continue;
        }
        c.init?.();
        this.controllers.push({ name, controller: c, workers: o.workers?.[name] ?? reg.workers });
      } catch (e) {
        this.failures.push(name);
        this.m.log(`error starting "${name}": ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    this.factory.start();
    const synced = await this.factory.waitForCacheSync();
    if (this.stopping) return;
    if (!synced) {
      this.failures.push('informers');
      this.m.log('informer caches did not sync');
      return;
    }
    for (const c of this.controllers) {
      if (this.stopping) return;
      try {
        await c.controller.run(c.workers);
        this.m.log(`started "${c.name}" with ${c.workers} worker(s)`);
      } catch (e) {
        this.failures.push(c.name);
        this.m.log(`error running "${c.name}": ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    this.ready = true;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.ready = false;
    await Promise.all(
      this.controllers.map(async (c) => {
        try {
          await c.controller.stop();
        } catch (e) {
          this.m.log(`error stopping "${c.name}": ${e instanceof Error ? e.message : String(e)}`);
        }
      }),
    );
    await this.factory.shutdown();
    await Promise.all([...this.recorders.values()].map((r) => r.shutdown()));
  }

  names(): string[] {
    return this.controllers.map((c) => c.name);
  }
}

export class ControllerManager {
  readonly options: ControllerManagerOptions;
  readonly clock: Clock;
  readonly identity: string;
  readonly registry: Record<string, ControllerRegistration>;
  /** Registry keys of the enabled controllers. */
  readonly enabled: string[];
  private readonly logLine: (line: string) => void;
  private term: Term | undefined;
  private termStart: Promise<void> | undefined;
  private elector: LeaderElector | undefined;
  private campaign: Promise<void> | undefined;
  private started = false;
  private stopped = false;
  private leading = false;

  constructor(opts: ControllerManagerOptions) {
    if (opts?.client === undefined) throw new Error('ControllerManagerOptions.client is required');
    this.options = opts;
    this.clock = opts.clock ?? realClock;
    this.registry = opts.registry ?? CONTROLLERS;
    this.enabled = enabledControllers(opts.controllers ?? ['*'], this.registry);
    for (const [name, n] of Object.entries(opts.workers ?? {})) {
      if (resolveControllerName(name, this.registry) === undefined) throw new Error(`workers: "${name}" is not a known controller`);
      if (!Number.isInteger(n) || n < 1) throw new Error(`workers for "${name}" must be a positive integer`);
    }
    this.identity = opts.identity ?? `${hostname()}_${randomUUID()}`;
    this.logLine = opts.log ?? ((line) => console.error(`kubelite controller-manager: ${line}`));
  }

  log(line: string): void {
    try {
      this.logLine(line);
    } catch {
      // logging never fails a controller
    }
  }

  /**
   * Starts the manager. Without leader election resolves once every controller runs;
   * with it, resolves at once (controllers start when the lease is won).
   */
  async start(): Promise<void> {
    if (this.started) throw new Error('controller manager already started');
    this.started = true;
    if (this.options.leaderElection !== true) {
      await this.startTerm();
      return;
    }
    this.campaign = this.campaignLoop();
  }

  private async startTerm(): Promise<void> {
    const term = new Term(this);
    this.term = term;
    this.termStart = term.start().catch((e: unknown) => {
      term.failures.push('start');
      this.log(`starting controllers failed: ${e instanceof Error ? e.message : String(e)}`);
    });
    await this.termStart;
  }

  private async stopTerm(): Promise<void> {
    const term = this.term;
    if (term === undefined) return;
    this.term = undefined;
    const starting = this.termStart;
    // Let a start in progress see the stop, then wait for it before tearing down.
    const stopped = term.stop();
    await starting;
    await stopped;
  }

  private async campaignLoop(): Promise<void> {
    while (!this.stopped) {
      const elector = leaseElector({
        client: this.options.client.withUserAgent(controllerManagerUserAgent('leader-election')),
        namespace: LEASE_NAMESPACE,
        name: LEASE_NAME,
        identity: this.identity,
        clock: this.clock,
        releaseOnCancel: true,
        ...(this.options.leaseDurationMs !== undefined ? { leaseDurationMs: this.options.leaseDurationMs } : {}),
        ...(this.options.renewDeadlineMs !== undefined ? { renewDeadlineMs: this.options.renewDeadlineMs } : {}),
        ...(this.options.retryPeriodMs !== undefined ? { retryPeriodMs: this.options.retryPeriodMs } : {}),
        log: (m, e) => this.log(`leader election: ${m}${e !== undefined ? `: ${e instanceof Error ? e.message : String(e)}` : ''}`),
        callbacks: {
          onStartedLeading: () => {
            this.leading = true;
            this.log(`${this.identity} became leader`);
            void this.startTerm();
          },
          onStoppedLeading: () => {
            this.leading = false;
          },
          onNewLeader: (id) => {
            if (id !== this.identity) this.log(`new leader: ${id}`);
          },
        },
      });
      this.elector = elector;
      await elector.run();
      this.leading = false;
      await this.stopTerm();
      if (!this.stopped) this.log('leadership lost; controllers stopped, campaigning again');
    }
  }

  /** True while this instance holds the lease (always true without leader election once started). */
  isLeader(): boolean {
    return this.options.leaderElection === true ? this.leading : this.started && !this.stopped;
  }

  /** The controllers currently running (registry keys). */
  runningControllers(): string[] {
    return this.term?.ready === true ? this.term.names() : [];
  }

  /**
   * For componentstatuses / healthz: started, not stopped, and nothing failed to start.
   * A candidate waiting for the lease is healthy.
   */
  healthy(): boolean {
    if (!this.started || this.stopped) return false;
    return (this.term?.failures.length ?? 0) === 0;
  }

  /** Stops controllers and informers (and gives up the lease); idempotent. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.elector !== undefined) await this.elector.stop();
    await this.campaign;
    await this.stopTerm();
  }
}
