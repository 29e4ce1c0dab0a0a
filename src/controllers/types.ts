/**
 * What every controller gets and what it must offer, so the controller manager can
 * run any of them the same way. Controllers see the cluster only through the client
 * (REST client + shared informers), never through the API server's internals.
 */
import type { RestClient } from '../client/rest.js';
import type { SharedInformerFactory } from '../client/informer.js';
import type { EventRecorder } from '../client/events.js';
import type { Clock } from '../util/clock.js';

export interface ControllerContext {
  client: RestClient;
  /** Shared by all controllers of one manager: one watch per resource. */
  informers: SharedInformerFactory;
  clock: Clock;
  /** An event recorder reporting as the given component (e.g. "deployment-controller"). */
  recorder(component: string): EventRecorder;
  /** Logs a line prefixed with the controller's name; never throws. */
  log(controller: string, message: string): void;
}

export interface Controller {
  /** Upstream's controller name, e.g. "deployment", "replicaset", "garbage-collector". */
  readonly name: string;
  /**
   * Registers informer handlers. Called before the factory starts, so every informer
   * the controller needs exists when the manager calls informers.start().
   */
  init?(): void;
  /** Starts workers after the informers have synced; returns once they are running. */
  run(workers: number): Promise<void> | void;
  /** Stops workers and queues; idempotent. */
  stop(): Promise<void> | void;
}

export type ControllerConstructor = (ctx: ControllerContext) => Controller;
