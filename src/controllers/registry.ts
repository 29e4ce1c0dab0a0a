/**
 * Every controller the controller manager can run, by the name kube-controller-manager's
 * --controllers flag uses. Adding a controller is one line here:
 *
 *     daemonset: { init: newDaemonSetController, workers: 2 },
 *
 * init receives the ControllerContext (plus the few manager-wide settings below) and
 * returns the controller, or undefined when it cannot run in this configuration (the
 * manager logs and skips it). workers is upstream's default concurrency for that
 * controller (--concurrent-*-syncs); the manager's options may override it.
 */
import type { Controller, ControllerContext } from './types.js';
import { newDeploymentController } from './deployment/controller.js';
import { newGarbageCollectorController } from './garbagecollector/controller.js';
import { newNamespaceController } from './namespace/controller.js';
import { newReplicaSetController, newReplicationControllerController } from './replicaset/controller.js';
import { newRootCACertPublisher, newServiceAccountController } from './serviceaccount/controller.js';
import { newNodeLifecycleController, type NodeLifecycleOptions } from './nodelifecycle/controller.js';
import { newTaintEvictionController } from './tainteviction/controller.js';
import { newDaemonSetController } from './daemonset/controller.js';
import { newStatefulSetController } from './statefulset/controller.js';
import { newJobController } from './job/controller.js';
import { newCronJobController } from './cronjob/controller.js';
import { newTTLAfterFinishedController } from './ttlafterfinished/controller.js';
import { newEndpointsController } from './endpoints/controller.js';
import { newEndpointSliceController } from './endpointslice/controller.js';
import { newDisruptionController } from './disruption/controller.js';

/** What a controller's init may read beyond ControllerContext. */
export interface ControllerInitContext extends ControllerContext {
  /** The cluster CA certificate (PEM), when the manager was given one. */
  caPEM?: string;
  /** Options of the node lifecycle controller (its upstream flags). */
  nodeLifecycle?: NodeLifecycleOptions;
}

export type ControllerInit = (ctx: ControllerInitContext) => Controller | undefined;

export interface ControllerRegistration {
  init: ControllerInit;
  /** Default number of workers. */
  workers: number;
  /** Only run when named explicitly in --controllers (upstream's ControllersDisabledByDefault). */
  disabledByDefault?: boolean;
}

export const CONTROLLERS: Record<string, ControllerRegistration> = {
  deployment: { init: newDeploymentController, workers: 5 },
  replicaset: { init: newReplicaSetController, workers: 5 },
  replicationcontroller: { init: newReplicationControllerController, workers: 5 },
  garbagecollector: { init: newGarbageCollectorController, workers: 20 },
  namespace: { init: newNamespaceController, workers: 10 },
  serviceaccount: { init: newServiceAccountController, workers: 1 },
  daemonset: { init: newDaemonSetController, workers: 2 },
  statefulset: { init: newStatefulSetController, workers: 5 },
  job: { init: newJobController, workers: 5 },
  cronjob: { init: newCronJobController, workers: 5 },
  'ttl-after-finished': { init: newTTLAfterFinishedController, workers: 5 },
  endpoint: { init: newEndpointsController, workers: 5 },
  endpointslice: { init: newEndpointSliceController, workers: 5 },
  disruption: { init: newDisruptionController, workers: 1 },
  nodelifecycle: { init: (ctx) => newNodeLifecycleController(ctx, ctx.nodeLifecycle ?? {}), workers: 1 },
  'taint-eviction-controller': { init: newTaintEvictionController, workers: 1 },
  'root-ca-cert-publisher': { init: (ctx) => (ctx.caPEM ? newRootCACertPublisher(ctx, { caPEM: ctx.caPEM }) : undefined), workers: 1 },
};
