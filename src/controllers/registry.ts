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
 * serviceAccount is the kube-system service account upstream builds the controller's
 * client for (ClientBuilder.ClientOrDie): its username ends the controller's User-Agent.
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
  /** The controller's service account in kube-system (default: the registry key). */
  serviceAccount?: string;
}

export const CONTROLLERS: Record<string, ControllerRegistration> = {
  deployment: { init: newDeploymentController, workers: 5, serviceAccount: 'deployment-controller' },
  replicaset: { init: newReplicaSetController, workers: 5, serviceAccount: 'replicaset-controller' },
  replicationcontroller: { init: newReplicationControllerController, workers: 5, serviceAccount: 'replication-controller' },
  garbagecollector: { init: newGarbageCollectorController, workers: 20, serviceAccount: 'generic-garbage-collector' },
  namespace: { init: newNamespaceController, workers: 10, serviceAccount: 'namespace-controller' },
  serviceaccount: { init: newServiceAccountController, workers: 1, serviceAccount: 'service-account-controller' },
  daemonset: { init: newDaemonSetController, workers: 2, serviceAccount: 'daemon-set-controller' },
  statefulset: { init: newStatefulSetController, workers: 5, serviceAccount: 'statefulset-controller' },
  job: { init: newJobController, workers: 5, serviceAccount: 'job-controller' },
  cronjob: { init: newCronJobController, workers: 5, serviceAccount: 'cronjob-controller' },
  'ttl-after-finished': { init: newTTLAfterFinishedController, workers: 5, serviceAccount: 'ttl-after-finished-controller' },
  endpoint: { init: newEndpointsController, workers: 5, serviceAccount: 'endpoint-controller' },
  endpointslice: { init: newEndpointSliceController, workers: 5, serviceAccount: 'endpointslice-controller' },
  disruption: { init: newDisruptionController, workers: 1, serviceAccount: 'disruption-controller' },
  nodelifecycle: { init: (ctx) => newNodeLifecycleController(ctx, ctx.nodeLifecycle ?? {}), workers: 1, serviceAccount: 'node-controller' },
  'taint-eviction-controller': { init: newTaintEvictionController, workers: 1, serviceAccount: 'node-controller' },
  'root-ca-cert-publisher': { init: (ctx) => (ctx.caPEM ? newRootCACertPublisher(ctx, { caPEM: ctx.caPEM }) : undefined), workers: 1, serviceAccount: 'root-ca-cert-publisher' },
};
