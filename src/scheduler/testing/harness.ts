/**
 * Runs single plugins against a snapshot the way the framework would (test support).
 */
import type { Node, Pod } from 'kubernetes-types/core/v1.js';
import { FakeClock } from '../../util/clock.js';
import { CycleState } from '../framework/cyclestate.js';
import type { NodeScore, PluginFactory, SchedulerListers } from '../framework/interface.js';
import { Framework, type PluginSpec } from '../framework/runtime.js';
import { Snapshot } from '../framework/snapshot.js';
import type { Status } from '../framework/status.js';
import { inTreeRegistry } from '../plugins/registry.js';
import { FakeAPI, FakeListers } from './wrappers.js';

export interface Harness {
  fw: Framework;
  snapshot: Snapshot;
  api: FakeAPI;
  listers: FakeListers;
  clock: FakeClock;
}

export function harness(plugins: PluginSpec[], nodes: readonly Node[], pods: readonly Pod[] = [], o: { listers?: FakeListers; registry?: Record<string, PluginFactory> } = {}): Harness {
  const snapshot = Snapshot.from(nodes, pods);
  const api = new FakeAPI();
  const listers = o.listers ?? new FakeListers();
  const clock = new FakeClock();
  const fw = new Framework({
    registry: { ...inTreeRegistry, ...o.registry },
    plugins,
    clock,
    api,
    listers: listers as SchedulerListers,
    nominator: { nominatedPodsForNode: () => [] },
    snapshot: () => snapshot,
    random: () => 0,
  });
  return { fw, snapshot, api, listers, clock };
}

/** PreFilter + Filter of one plugin set on every node: node name -> status. */
export function filterAll(h: Harness, pod: Pod): { preFilter: Status; statuses: Map<string, Status> } {
  const state = new CycleState();
  const pre = h.fw.runPreFilterPlugins(state, pod, h.snapshot.list());
  const statuses = new Map<string, Status>();
  if (!pre.status.isSuccess()) return { preFilter: pre.status, statuses };
  for (const ni of h.snapshot.list()) statuses.set(ni.name, h.fw.runFilterPlugins(state, pod, ni));
  return { preFilter: pre.status, statuses };
}

/** PreScore + Score (+normalise, weights) over all nodes: node name -> total score. */
export function scoreAll(h: Harness, pod: Pod, nodeNames?: string[]): Map<string, number> {
  const state = new CycleState();
  const nodes = h.snapshot.list().filter((n) => nodeNames === undefined || nodeNames.includes(n.name));
  const pre = h.fw.runPreScorePlugins(state, pod, nodes);
  if (!pre.isSuccess()) throw new Error(`prescore: ${pre.message()}`);
  const { scores, status } = h.fw.runScorePlugins(state, pod, nodes);
  if (!status.isSuccess()) throw new Error(`score: ${status.message()}`);
  return new Map(scores.map((s) => [s.name, s.totalScore]));
}

export type { NodeScore };
