/**
 * How many feasible nodes a cycle looks for before it stops filtering (upstream
 * Scheduler.numFeasibleNodesToFind). In big clusters scoring every node costs more
 * than it gains, so the scheduler filters nodes (starting where the last cycle
 * stopped) until it has found this many that fit.
 */

/** Below this many nodes every node is evaluated; above it at least this many are. */
export const MIN_FEASIBLE_NODES_TO_FIND = 100;
/** The adaptive percentage never drops below this. */
export const MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND = 5;

/**
 * percentageOfNodesToScore: 0 (or undefined) for the adaptive default
 * (50 - nodes/125, at least 5%), otherwise a percentage in (0, 100].
 */
export function numFeasibleNodesToFind(percentageOfNodesToScore: number | undefined, numAllNodes: number): number {
  if (numAllNodes < MIN_FEASIBLE_NODES_TO_FIND) return numAllNodes;
  let percentage = percentageOfNodesToScore ?? 0;
  if (percentage >= 100) return numAllNodes;
  if (percentage <= 0) {
    percentage = 50 - Math.trunc(numAllNodes / 125);
    if (percentage < MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND) percentage = MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND;
  }
  const n = Math.trunc((numAllNodes * percentage) / 100);
  if (n < MIN_FEASIBLE_NODES_TO_FIND) return MIN_FEASIBLE_NODES_TO_FIND;
  return n;
}
