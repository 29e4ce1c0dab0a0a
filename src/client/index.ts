/**
 * The client layer: how controllers, the scheduler, the kubelet, proxy and DNS reach
 * the cluster. Nothing above this layer imports apiserver or storage.
 */
export * from './types.js';
export * from './errors.js';
export * from './transport.js';
export * from './watch.js';
export * from './rest.js';
export * from './kubeconfig.js';
export * from './useragent.js';
export * from './backoff.js';
export * from './reflector.js';
export * from './indexer.js';
export * from './lister.js';
export * from './informer.js';
export * from './workqueue.js';
export * from './events.js';
export * from './leaderelection.js';
