/**
 * The ReplicaSet (and ReplicationController) as the controllers that read it see it: the
 * replicaset controller manages one, the deployment controller manages many. Loosely
 * typed on purpose: both kinds share it, and a deployment hashes and compares the pod
 * template exactly as stored.
 */
import type { KubeObject } from '../../client/types.js';

export interface ReplicaSetCondition {
  type: string;
  status: string;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

export interface ReplicaSetStatus {
  replicas?: number;
  fullyLabeledReplicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  observedGeneration?: number;
  conditions?: ReplicaSetCondition[];
  [k: string]: unknown;
}

export interface PodTemplate {
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string>; finalizers?: string[]; [k: string]: unknown };
  spec?: Record<string, unknown>;
}

/** A ReplicaSet or ReplicationController as the controller reads it. */
export interface ReplicaSetLike extends KubeObject {
  spec?: {
    replicas?: number;
    minReadySeconds?: number;
    selector?: unknown;
    template?: PodTemplate;
    [k: string]: unknown;
  };
  status?: ReplicaSetStatus;
}

/** spec.replicas with upstream's default of 1. */
export function specReplicas(rs: ReplicaSetLike): number {
  const r = rs.spec?.replicas;
  return typeof r === 'number' ? r : 1;
}
