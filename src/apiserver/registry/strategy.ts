/**
 * Per-resource behaviour the generic registry consults: what a create or update may
 * touch, how generation moves, defaults and validation. The pipeline in store.ts is
 * generic; everything kind-specific lives in a Strategy (upstream's RESTCreateStrategy
 * and friends).
 */
import type { FieldError } from '../../apimachinery/errors.js';
import type { ResourceInfo } from '../../api/types.js';

export type KObject = Record<string, any> & { metadata?: Record<string, any> };

export interface Strategy {
  /** Whether the resource has a status subresource (main-resource writes then keep the old status). */
  readonly hasStatus: boolean;
  /** Whether metadata.generation is set on create and bumped when anything but metadata/status changes. */
  readonly tracksGeneration: boolean;
  /** Whether PUT to a missing object creates it (upstream: true for a handful of kinds). */
  readonly allowCreateOnUpdate: boolean;
  /** Fills defaults (on create and update). */
  defaults?(obj: KObject): void;
  /** Clears or sets fields on create (e.g. status). */
  prepareForCreate?(obj: KObject): void;
  /** subresource is undefined for the main resource, else 'status', 'finalize', 'binding', ... */
  prepareForUpdate?(obj: KObject, old: KObject, subresource: string | undefined): void;
  validate?(obj: KObject): FieldError[];
  validateUpdate?(obj: KObject, old: KObject): FieldError[];
  /** Blockers of final removal beyond metadata.finalizers (a namespace's spec.finalizers). */
  deletionBlocked?(obj: KObject): boolean;
  /** Mutates an object whose graceful deletion begins (a namespace turns Terminating). */
  prepareForDelete?(obj: KObject): void;
  /** Grace period when a DELETE does not give one; undefined means delete immediately. */
  defaultGracePeriodSeconds?(obj: KObject): number | undefined;
}

/** Kinds whose objects carry metadata.generation in upstream 1.32. */
const generationKinds = new Set([
  'apps/Deployment',
  'apps/ReplicaSet',
  'apps/StatefulSet',
  'apps/DaemonSet',
  'batch/Job',
  'batch/CronJob',
  'networking.k8s.io/Ingress',
  'networking.k8s.io/NetworkPolicy',
  'networking.k8s.io/IngressClass',
  'policy/PodDisruptionBudget',
  'autoscaling/HorizontalPodAutoscaler',
  'apiextensions.k8s.io/CustomResourceDefinition',
  'admissionregistration.k8s.io/ValidatingWebhookConfiguration',
  'admissionregistration.k8s.io/MutatingWebhookConfiguration',
  'admissionregistration.k8s.io/ValidatingAdmissionPolicy',
  'admissionregistration.k8s.io/ValidatingAdmissionPolicyBinding',
  'flowcontrol.apiserver.k8s.io/FlowSchema',
  'flowcontrol.apiserver.k8s.io/PriorityLevelConfiguration',
  '/ReplicationController',
  'storage.k8s.io/VolumeAttachment',
]);

/** Kinds for which PUT on a missing object creates it, as upstream's AllowCreateOnUpdate. */
const createOnUpdateKinds = new Set(['/Endpoints', '/LimitRange', 'coordination.k8s.io/Lease', 'discovery.k8s.io/EndpointSlice', 'events.k8s.io/Event', '/Event']);

export function defaultStrategy(info: ResourceInfo): Strategy {
  const gk = `${info.group}/${info.kind}`;
  return {
    hasStatus: info.subresources.some((s) => s.name === 'status'),
    tracksGeneration: generationKinds.has(gk),
    allowCreateOnUpdate: createOnUpdateKinds.has(gk),
  };
}
