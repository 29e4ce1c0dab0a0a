/**
 * The Pod printer: NAME READY STATUS RESTARTS AGE, wide IP NODE NOMINATED-NODE
 * READINESS-GATES, with the STATUS reason logic kubectl users know.
 *
 * STATUS, from upstream printPod (1.32):
 * 1. Start from status.reason, else status.phase; a PodScheduled condition with reason
 *    SchedulingGated makes it "SchedulingGated".
 * 2. Walk the init container statuses in order. One that exited 0 is done; a started
 *    sidecar (restartPolicy Always) is done and counts toward READY. The first other one
 *    decides: terminated -> "Init:<reason>" (or Init:Signal:N / Init:ExitCode:N),
 *    waiting with a reason other than PodInitializing -> "Init:<reason>", else
 *    "Init:<index>/<count>"; the pod is then initializing.
 * 3. Unless initializing (and the Initialized condition is not True), walk the
 *    container statuses last to first: a waiting reason, a terminated reason (or
 *    Signal:N / ExitCode:N) wins, so the first container's state shows; ready running
 *    containers count toward READY. "Completed" with something still running reads
 *    "Running" when the pod is Ready, else "NotReady".
 * 4. A pod being deleted reads "Unknown" when its reason is NodeLost, else
 *    "Terminating" unless it already Succeeded or Failed.
 *
 * READY counts regular containers plus sidecars. RESTARTS sums restarts (only the
 * sidecars' while initializing is over) and appends "(<age> ago)" of the latest
 * lastState.terminated.finishedAt.
 */
import { age, humanDuration, parseTimestamp } from './duration.js';
import { arr, conditionStatus, meta, nameOf, num, obj, optObj, str } from './format.js';
import { ageColumn, col, nameColumn, wide } from './columns.js';
import type { KObject } from '../registry/strategy.js';
import type { Printer, TableRowCondition } from './types.js';

const NODE_UNREACHABLE_REASON = 'NodeLost';

function isSidecar(container: Record<string, any> | undefined): boolean {
  return container?.restartPolicy === 'Always';
}

/** Exit description of a terminated state that has no reason. */
function exitText(terminated: Record<string, any>): string {
  const signal = num(terminated.signal);
  return signal !== 0 ? `Signal:${signal}` : `ExitCode:${num(terminated.exitCode)}`;
}

interface RestartTally {
  count: number;
  /** Latest lastState.terminated.finishedAt in ms, or undefined. */
  last: number | undefined;
}

function tally(into: RestartTally, status: Record<string, any>): void {
  into.count += num(status.restartCount);
  const finished = parseTimestamp(obj(obj(status.lastState).terminated).finishedAt);
  if (finished !== undefined && (into.last === undefined || finished > into.last)) into.last = finished;
}

export interface PodSummary {
  ready: number;
  total: number;
  reason: string;
  restarts: RestartTally;
}

/** READY, STATUS and RESTARTS of a pod, before formatting. */
export function summarizePod(pod: KObject): PodSummary {
  const spec = obj(pod.spec);
  const status = obj(pod.status);
  const phase = str(status.phase);
  let reason = str(status.reason) || phase;
  for (const c of arr(status.conditions)) {
    const cond = obj(c);
    if (cond.type === 'PodScheduled' && cond.reason === 'SchedulingGated') reason = 'SchedulingGated';
  }

  const initSpecs = arr(spec.initContainers).map(obj);
  const initByName = new Map(initSpecs.map((c) => [str(c.name), c]));
  const total = arr(spec.containers).length + initSpecs.filter(isSidecar).length;
  let ready = 0;

  const all: RestartTally = { count: 0, last: undefined };
  const sidecars: RestartTally = { count: 0, last: undefined };
  let initializing = false;
  const initStatuses = arr(status.initContainerStatuses).map(obj);
  for (const [i, cs] of initStatuses.entries()) {
    const sidecar = isSidecar(initByName.get(str(cs.name)));
    tally(all, cs);
    if (sidecar) tally(sidecars, cs);
    const state = obj(cs.state);
    const terminated = optObj(state.terminated);
    const waiting = optObj(state.waiting);
    if (terminated && num(terminated.exitCode) === 0) continue;
    if (sidecar && cs.started === true) {
      if (cs.ready === true) ready++;
      continue;
    }
    if (terminated) {
      reason = `Init:${str(terminated.reason) || exitText(terminated)}`;
    } else if (waiting && str(waiting.reason) !== '' && waiting.reason !== 'PodInitializing') {
      reason = `Init:${str(waiting.reason)}`;
    } else {
      reason = `Init:${i}/${initSpecs.length}`;
    }
    initializing = true;
    break;
  }

  let restarts = all;
  if (!initializing || conditionStatus(status.conditions, 'Initialized') === 'True') {
    restarts = { ...sidecars };
    let hasRunning = false;
    const statuses = arr(status.containerStatuses).map(obj);
    for (let i = statuses.length - 1; i >= 0; i--) {
      const cs = statuses[i] ?? {};
      tally(restarts, cs);
      const state = obj(cs.state);
      const waitingReason = str(obj(state.waiting).reason);
      const terminated = optObj(state.terminated);
      if (waitingReason !== '') reason = waitingReason;
      else if (terminated) reason = str(terminated.reason) || exitText(terminated);
      else if (cs.ready === true && optObj(state.running)) {
        hasRunning = true;
        ready++;
      }
    }
    if (reason === 'Completed' && hasRunning) {
      reason = conditionStatus(status.conditions, 'Ready') === 'True' ? 'Running' : 'NotReady';
    }
  }

  if (meta(pod).deletionTimestamp) {
    if (status.reason === NODE_UNREACHABLE_REASON) reason = 'Unknown';
    else if (phase !== 'Succeeded' && phase !== 'Failed') reason = 'Terminating';
  }
  return { ready, total, reason, restarts };
}

function readinessGates(pod: KObject): string {
  const gates = arr(obj(pod.spec).readinessGates).map(obj);
  if (gates.length === 0) return '<none>';
  const conditions = arr(obj(pod.status).conditions).map(obj);
  let trueCount = 0;
  for (const gate of gates) {
    const cond = conditions.find((c) => c.type === gate.conditionType);
    if (cond?.status === 'True') trueCount++;
  }
  return `${trueCount}/${gates.length}`;
}

function podIP(status: Record<string, any>): string {
  const first = obj(arr(status.podIPs)[0]);
  return str(first.ip) || str(status.podIP);
}

export const podPrinter: Printer = {
  columns: [
    nameColumn(),
    col('Ready', 'string', 'The aggregate readiness state of this pod for accepting traffic.'),
    col('Status', 'string', 'The aggregate status of the containers in this pod.'),
    col(
      'Restarts',
      'string',
      'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.',
    ),
    ageColumn(),
    wide('IP', 'string', 'IP address allocated to the pod. Routable at least within the cluster.'),
    wide('Node', 'string', 'The name of the node this pod is scheduled onto.'),
    wide('Nominated Node', 'string', 'The node preemption nominated for this pod, if any.'),
    wide('Readiness Gates', 'string', 'Readiness gates of the pod that are True, out of all of them.'),
  ],
  cells(pod, now) {
    const s = summarizePod(pod);
    let restarts = String(s.restarts.count);
    if (s.restarts.count !== 0 && s.restarts.last !== undefined) {
      restarts = `${s.restarts.count} (${humanDuration(now - s.restarts.last)} ago)`;
    }
    const spec = obj(pod.spec);
    const status = obj(pod.status);
    return [
      nameOf(pod),
      `${s.ready}/${s.total}`,
      s.reason,
      restarts,
      age(meta(pod).creationTimestamp, now),
      podIP(status) || '<none>',
      str(spec.nodeName) || '<none>',
      str(status.nominatedNodeName) || '<none>',
      readinessGates(pod),
    ];
  },
  conditions(pod): TableRowCondition[] | undefined {
    switch (obj(pod.status).phase) {
      case 'Succeeded':
        return [{ type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' }];
      case 'Failed':
        return [{ type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod failed.' }];
      default:
        return undefined;
    }
  },
};
