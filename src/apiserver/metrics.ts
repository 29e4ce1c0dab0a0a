/**
 * Prometheus metrics with upstream's names, so dashboards and alerts written for
 * kube-apiserver read ours: request counts and latencies by verb and resource, store
 * latency by operation, and the number of open watches.
 */
import { Registry, Counter, Histogram, Gauge } from 'prom-client';

export class APIMetrics {
  readonly registry = new Registry();
  readonly requests = new Counter({
    name: 'apiserver_request_total',
    help: 'Counter of apiserver requests broken out for each verb, dry run value, group, version, resource, scope, component, and HTTP response code.',
    labelNames: ['verb', 'group', 'version', 'resource', 'subresource', 'scope', 'code'] as const,
    registers: [this.registry],
  });
  readonly latency = new Histogram({
    name: 'apiserver_request_duration_seconds',
    help: 'Response latency distribution in seconds for each verb, dry run value, group, version, resource, subresource, scope and component.',
    labelNames: ['verb', 'group', 'version', 'resource', 'subresource', 'scope'] as const,
    buckets: [0.005, 0.025, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1, 1.25, 1.5, 2, 3, 4, 5, 6, 8, 10, 15, 20, 30, 45, 60],
    registers: [this.registry],
  });
  readonly storeLatency = new Histogram({
    name: 'etcd_request_duration_seconds',
    help: 'Store request latency in seconds for each operation and object type.',
    labelNames: ['operation', 'type'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  readonly watchers = new Gauge({
    name: 'apiserver_registered_watchers',
    help: 'Number of currently registered watchers for a given resources',
    labelNames: ['group', 'version', 'kind'] as const,
    registers: [this.registry],
  });
  readonly longRunning = new Gauge({
    name: 'apiserver_longrunning_requests',
    help: 'Gauge of all active long-running apiserver requests broken out by verb, group, version, resource, scope and component.',
    labelNames: ['verb', 'resource'] as const,
    registers: [this.registry],
  });

  async text(): Promise<string> {
    return this.registry.metrics();
  }
}

/**
 * The verb label upstream's request metrics carry: the route's action (GET, LIST,
 * WATCH, POST, PUT, PATCH, DELETE, DELETECOLLECTION), not the authorization verb, so
 * queries written for kube-apiserver (verb="POST") read ours; non-resource requests
 * report their HTTP method.
 */
export function metricVerb(info: { isResourceRequest: boolean; verb: string }, method: string): string {
  if (!info.isResourceRequest) return method.toUpperCase();
  switch (info.verb) {
    case 'create':
      return 'POST';
    case 'update':
      return 'PUT';
    default:
      return info.verb.toUpperCase();
  }
}
