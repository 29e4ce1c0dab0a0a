/**
 * The node agent (kubelet core) and its runtimes. It sees the cluster only through
 * src/client. Entry points: NodeAgent (one node) and startSimulatedNodes (many
 * simulated nodes sharing one client and one pod watch).
 */
export { NodeAgent, type NodeAgentStats } from './agent.js';
export { validateNodeAgentOptions, DEFAULT_CAPACITY, type NodeAgentOptions, type ResolvedNodeAgentOptions } from './options.js';
export { startSimulatedNodes, simulatedNodeIP, type SimulatedNodePool, type SimulatedNodesOptions, type PoolNodeOptions } from './pool.js';
export { SimulatedRuntime, SIM_ANNOTATION_PREFIX, type SimulatedRuntimeOptions, type SimulatedStage, type StageSelector, type DelayRange } from './runtime/simulated.js';
export type * from './runtime/interface.js';
export { runtimeVersionString } from './runtime/interface.js';
export { PodsByNode, type NodePodHandler } from './podsource.js';
export { LimitedTransport, isHeartbeat, type LimitedTransportOptions } from './limiter.js';
export { KUBELET_VERSION, NODE_LEASE_NAMESPACE, type PodObject, type NodeObject, type LeaseObject } from './types.js';
