/**
 * The in-tree plugin registry and the default profile's plugin list with upstream's
 * score weights (pkg/scheduler/apis/config/v1 getDefaultPlugins). Volume plugins and
 * ImageLocality are not implemented.
 */
import type { PluginFactory } from '../framework/interface.js';
import type { PluginSpec } from '../framework/runtime.js';
import { newDefaultBinder } from './defaultbinder/defaultbinder.js';
import { newDefaultPreemption } from './defaultpreemption/defaultpreemption.js';
import { newInterPodAffinity } from './interpodaffinity/interpodaffinity.js';
import { Names } from './names.js';
import { newNodeAffinity } from './nodeaffinity/nodeaffinity.js';
import { newNodeName } from './nodename/nodename.js';
import { newNodePorts } from './nodeports/nodeports.js';
import { newBalancedAllocation } from './noderesources/balancedallocation.js';
import { newFit } from './noderesources/fit.js';
import { newNodeUnschedulable } from './nodeunschedulable/nodeunschedulable.js';
import { newPodTopologySpread } from './podtopologyspread/podtopologyspread.js';
import { newPrioritySort } from './prioritysort/prioritysort.js';
import { newSchedulingGates } from './schedulinggates/schedulinggates.js';
import { newTaintToleration } from './tainttoleration/tainttoleration.js';

export const inTreeRegistry: Readonly<Record<string, PluginFactory>> = {
  [Names.PrioritySort]: () => newPrioritySort(),
  [Names.SchedulingGates]: () => newSchedulingGates(),
  [Names.NodeName]: () => newNodeName(),
  [Names.NodeUnschedulable]: () => newNodeUnschedulable(),
  [Names.TaintToleration]: () => newTaintToleration(),
  [Names.NodeAffinity]: () => newNodeAffinity(),
  [Names.NodePorts]: () => newNodePorts(),
  [Names.NodeResourcesFit]: (args) => newFit(args),
  [Names.NodeResourcesBalancedAllocation]: (args) => newBalancedAllocation(args),
  [Names.PodTopologySpread]: newPodTopologySpread,
  [Names.InterPodAffinity]: newInterPodAffinity,
  [Names.DefaultPreemption]: newDefaultPreemption,
  [Names.DefaultBinder]: newDefaultBinder,
};

/** The default profile, in upstream's order (which decides which Filter reports first). */
export function defaultPlugins(): PluginSpec[] {
  return [
    { name: Names.SchedulingGates },
    { name: Names.PrioritySort },
    { name: Names.NodeUnschedulable },
    { name: Names.NodeName },
    { name: Names.TaintToleration, weight: 3 },
    { name: Names.NodeAffinity, weight: 2 },
    { name: Names.NodePorts },
    { name: Names.NodeResourcesFit, weight: 1 },
    { name: Names.PodTopologySpread, weight: 2 },
    { name: Names.InterPodAffinity, weight: 2 },
    { name: Names.DefaultPreemption },
    { name: Names.NodeResourcesBalancedAllocation, weight: 1 },
    { name: Names.DefaultBinder },
  ];
}
