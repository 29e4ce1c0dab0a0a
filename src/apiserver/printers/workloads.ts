/**
 * Printers for workload kinds: apps (ReplicaSet, Deployment, DaemonSet, StatefulSet,
 * ControllerRevision), batch (Job, CronJob), autoscaling (HorizontalPodAutoscaler) and
 * policy (PodDisruptionBudget).
 */
import { age, humanDuration, parseTimestamp } from './duration.js';
import {
  arr,
  boolPtr,
  conditionStatus,
  containerCells,
  formatLabelSelector,
  formatLabels,
  labelSelectorString,
  meta,
  nameOf,
  num,
  obj,
  resourceName,
  str,
  templateContainers,
} from './format.js';
import { formatQuantity } from './quantity.js';
import { ageColumn, col, containersColumn, imagesColumn, nameColumn, wide } from './columns.js';
import type { KObject } from '../registry/strategy.js';
import type { Printer } from './types.js';

const created = (o: KObject, now: number): string => age(meta(o).creationTimestamp, now);

export const replicaSetPrinter: Printer = {
  columns: [
    nameColumn(),
    col('Desired', 'integer', 'Replicas is the number of desired replicas.'),
    col('Current', 'integer', 'Replicas is the most recently observed number of replicas.'),
    col('Ready', 'integer', 'The number of ready replicas for this replica set.'),
    ageColumn(),
    containersColumn(),
    imagesColumn(),
    wide('Selector', 'string', 'Selector is a label query over pods that should match the replica count.'),
  ],
  cells(o, now) {
    const spec = obj(o.spec);
    const status = obj(o.status);
    const [names, images] = containerCells(templateContainers(spec.template));
    return [
      nameOf(o),
      num(spec.replicas, 1),
      num(status.replicas),
      num(status.readyReplicas),
      created(o, now),
      names,
      images,
      formatLabelSelector(spec.selector),
    ];
  },
};

export const deploymentPrinter: Printer = {
  columns: [
    nameColumn(),
    col('Ready', 'string', 'Number of the pod with ready state'),
    col('Up-to-date', 'string', 'Total number of non-terminated pods targeted by this deployment that have the desired template spec.'),
    col('Available', 'string', 'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.'),
    ageColumn(),
    containersColumn(),
    imagesColumn(),
    wide('Selector', 'string', 'Label selector for pods.'),
  ],
  cells(o, now) {
    const spec = obj(o.spec);
    const status = obj(o.status);
    const [names, images] = containerCells(templateContainers(spec.template));
    // Upstream prints the selector string itself here (no "<none>"), "<invalid>" when it does not parse.
    const selector = labelSelectorString(spec.selector) ?? '<invalid>';
    return [
      nameOf(o),
      `${num(status.readyReplicas)}/${num(spec.replicas, 1)}`,
      num(status.updatedReplicas),
      num(status.availableReplicas),
      created(o, now),
      names,
      images,
      selector,
    ];
  },
};

export const daemonSetPrinter: Printer = {
  columns: [
    nameColumn(),
    col('Desired', 'integer', 'The total number of nodes that should be running the daemon pod.'),
    col('Current', 'integer', 'The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod.'),
    col('Ready', 'integer', 'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and ready.'),
    col('Up-to-date', 'integer', 'The total number of nodes that are running updated daemon pod.'),
    col('Available', 'integer', 'The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available.'),
    col('Node Selector', 'string', "NodeSelector is a selector which must be true for the pod to fit on a node."),
    ageColumn(),
    containersColumn(),
    imagesColumn(),
    wide('Selector', 'string', 'A label query over pods that are managed by the daemon set.'),
  ],
  cells(o, now) {
    const spec = obj(o.spec);
    const status = obj(o.status);
    const template = obj(spec.template);
    const [names, images] = containerCells(templateContainers(template));
    return [
      nameOf(o),
      num(status.desiredNumberScheduled),
      num(status.currentNumberScheduled),
      num(status.numberReady),
      num(status.updatedNumberScheduled),
      num(status.numberAvailable),
      formatLabels(obj(template.spec).nodeSelector),
      created(o, now),
      names,
      images,
      formatLabelSelector(spec.selector),
    ];
  },
};

export const statefulSetPrinter: Printer = {
  columns: [
    nameColumn(),
    col('Ready', 'string', 'Number of the pod with ready state'),
    ageColumn(),
    containersColumn(),
    imagesColumn(),
  ],
  cells(o, now) {
    const spec = obj(o.spec);
    const [names, images] = containerCells(templateContainers(spec.template));
    return [nameOf(o), `${num(obj(o.status).readyReplicas)}/${num(spec.replicas, 1)}`, created(o, now), names, images];
  },
};

export const controllerRevisionPrinter: Printer = {
  columns: [
    nameColumn(),
    col('Controller', 'string', 'Controller of the object'),
    col('Revision', 'string', 'Revision indicates the revision of the state represented by Data.'),
    ageColumn(),
  ],
  cells(o, now) {
    const owner = arr(meta(o).ownerReferences)
      .map(obj)
      .find((r) => r.controller === true);
    const controller = owner ? resourceName(str(owner.apiVersion), str(owner.kind), str(owner.name)) : '<none>';
    return [nameOf(o), controller, num(o.revision), created(o, now)];
  },
};

/** Job STATUS, in upstream's order of precedence. */
function jobStatus(job: KObject): string {
  const conditions = obj(job.status).conditions;
  if (conditionStatus(conditions, 'Complete') === 'True') return 'Complete';
  if (conditionStatus(conditions, 'Failed') === 'True') return 'Failed';
  if (meta(job).deletionTimestamp) return 'Terminating';
  if (conditionStatus(conditions, 'Suspended') === 'True') return 'Suspended';
  if (conditionStatus(conditions, 'FailureTarget') === 'True') return 'FailureTarget';
  return 'Running';
}

function jobCompletions(job: KObject): string {
  const spec = obj(job.spec);
  const succeeded = num(obj(job.status).succeeded);
  let completions: number | undefined = typeof spec.completions === 'number' ? spec.completions : undefined;
  // Defaulting gives completions 1 when neither completions nor parallelism was set.
  if (completions === undefined && typeof spec.parallelism !== 'number') completions = 1;
  if (completions !== undefined) return `${succeeded}/${completions}`;
  const parallelism = num(spec.parallelism, 1);
  return parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
}

function jobDuration(job: KObject, now: number): string {
  const status = obj(job.status);
  const start = parseTimestamp(status.startTime);
  if (start === undefined) return '';
  const completion = parseTimestamp(status.completionTime);
  return humanDuration((completion ?? now) - start);
}

export const jobPrinter: Printer = {
  columns: [
    nameColumn(),
    col('Status', 'string', 'Status of the job.'),
    col('Completions', 'string', 'The number of pods which reached phase Succeeded.'),
    col('Duration', 'string', 'Time required to complete the job.'),
    ageColumn(),
    containersColumn(),
    imagesColumn(),
    wide('Selector', 'string', 'A label query over pods that should match the pod count.'),
  ],
  cells(o, now) {
    const spec = obj(o.spec);
    const [names, images] = containerCells(templateContainers(spec.template));
    return [
      nameOf(o),
      jobStatus(o),
      jobCompletions(o),
      jobDuration(o, now),
      created(o, now),
      names,
      images,
      formatLabelSelector(spec.selector),
    ];
  },
};

export const cronJobPrinter: Printer = {
  columns: [
    nameColumn(),
    col('Schedule', 'string', 'The schedule in Cron format.'),
    col('Timezone', 'string', 'The time zone name for the given schedule.'),
    col('Suspend', 'boolean', 'This flag tells the controller to suspend subsequent executions.'),
    col('Active', 'integer', 'A list of pointers to currently running jobs.'),
    col('Last Schedule', 'string', 'Information when was the last time the job was successfully scheduled.'),
    ageColumn(),
    containersColumn(),
    imagesColumn(),
    wide('Selector', 'string', 'A label query over pods that should match the pod count.'),
  ],
  cells(o, now) {
    const spec = obj(o.spec);
    const status = obj(o.status);
    const jobSpec = obj(obj(spec.jobTemplate).spec);
    const [names, images] = containerCells(templateContainers(jobSpec.template));
    const last = parseTimestamp(status.lastScheduleTime) === undefined ? '<none>' : age(status.lastScheduleTime, now);
    return [
      nameOf(o),
      str(spec.schedule),
      typeof spec.timeZone === 'string' ? spec.timeZone : '<none>',
      boolPtr(spec.suspend ?? false),
      arr(status.active).length,
      last,
      created(o, now),
      names,
      images,
      formatLabelSelector(jobSpec.selector),
    ];
  },
};

/** A Quantity as upstream's (*Quantity).String() prints it, "<nil>" for a missing pointer. */
function qty(v: unknown): string {
  return v === undefined || v === null ? '<nil>' : formatQuantity(v);
}

/** An autoscaling/v1 HPA seen through v2's metrics; v2 objects pass through. */
function hpaMetrics(hpa: KObject): { specs: Record<string, any>[]; statuses: Record<string, any>[] } {
  const spec = obj(hpa.spec);
  const status = obj(hpa.status);
  let specs = arr(spec.metrics).map(obj);
  let statuses = arr(status.currentMetrics).map(obj);
  if (specs.length === 0) {
    // v1's single CPU target; v2 defaulting supplies 80% CPU when nothing is set.
    const target = typeof spec.targetCPUUtilizationPercentage === 'number' ? spec.targetCPUUtilizationPercentage : 80;
    specs = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: target } } }];
  }
  if (statuses.length === 0 && typeof status.currentCPUUtilizationPercentage === 'number') {
    statuses = [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: status.currentCPUUtilizationPercentage } } }];
  }
  return { specs, statuses };
}

function valueOrAverage(
  source: Record<string, any>,
  status: Record<string, any> | undefined,
): string {
  const target = obj(source.target);
  const current = status === undefined ? undefined : obj(status.current);
  if (target.averageValue !== undefined && target.averageValue !== null) {
    const cur = current && current.averageValue !== undefined && current.averageValue !== null ? qty(current.averageValue) : '<unknown>';
    return `${cur}/${qty(target.averageValue)} (avg)`;
  }
  const cur = current ? qty(current.value) : '<unknown>';
  return `${cur}/${qty(target.value)}`;
}

function resourceTarget(source: Record<string, any>, status: Record<string, any> | undefined): string {
  const target = obj(source.target);
  const name = str(source.name);
  if (target.averageValue !== undefined && target.averageValue !== null) {
    const cur = status ? qty(obj(status.current).averageValue) : '<unknown>';
    return `${name}: ${cur}/${qty(target.averageValue)}`;
  }
  const util = status === undefined ? undefined : obj(status.current).averageUtilization;
  const cur = typeof util === 'number' ? `${util}%` : '<unknown>';
  const tgt = typeof target.averageUtilization === 'number' ? `${target.averageUtilization}%` : '<auto>';
  return `${name}: ${cur}/${tgt}`;
}

/** TARGETS: at most two metrics, "current/target" each, then "+ N more...". */
export function formatHPAMetrics(hpa: KObject): string {
  const { specs, statuses } = hpaMetrics(hpa);
  if (specs.length === 0) return '<none>';
  const list: string[] = [];
  for (const [i, spec] of specs.entries()) {
    const st = statuses[i];
    const sub = (field: string): Record<string, any> | undefined =>
      st !== undefined && st[field] !== undefined && st[field] !== null ? obj(st[field]) : undefined;
    switch (spec.type) {
      case 'External':
        list.push(valueOrAverage(obj(spec.external), sub('external')));
        break;
      case 'Object':
        list.push(valueOrAverage(obj(spec.object), sub('object')));
        break;
      case 'Pods': {
        const status = sub('pods');
        const cur = status ? qty(obj(status.current).averageValue) : '<unknown>';
        list.push(`${cur}/${qty(obj(obj(spec.pods).target).averageValue)}`);
        break;
      }
      case 'Resource':
        list.push(resourceTarget(obj(spec.resource), sub('resource')));
        break;
      case 'ContainerResource':
        list.push(resourceTarget(obj(spec.containerResource), sub('containerResource')));
        break;
      default:
        list.push('<unknown type>');
    }
  }
  const max = 2;
  if (list.length > max) return `${list.slice(0, max).join(', ')} + ${list.length - max} more...`;
  return list.join(', ');
}

export const horizontalPodAutoscalerPrinter: Printer = {
  columns: [
    nameColumn(),
    col('Reference', 'string', 'The target resource to scale.'),
    col('Targets', 'string', 'The metrics used to calculate the desired replica count.'),
    col('MinPods', 'string', 'The lower limit for the number of replicas.'),
    col('MaxPods', 'string', 'The upper limit for the number of replicas.'),
    col('Replicas', 'string', 'Current number of replicas of pods managed by this autoscaler.'),
    ageColumn(),
  ],
  cells(o, now) {
    const spec = obj(o.spec);
    const ref = obj(spec.scaleTargetRef);
    const minReplicas = typeof spec.minReplicas === 'number' ? spec.minReplicas : 1;
    return [
      nameOf(o),
      `${str(ref.kind)}/${str(ref.name)}`,
      formatHPAMetrics(o),
      String(minReplicas),
      num(spec.maxReplicas),
      num(obj(o.status).currentReplicas),
      created(o, now),
    ];
  },
};

/** An IntOrString as upstream prints it ("2", "50%"). */
function intOrString(v: unknown): string {
  return typeof v === 'number' ? String(v) : str(v);
}

export const podDisruptionBudgetPrinter: Printer = {
  columns: [
    nameColumn(),
    col('Min Available', 'string', 'The minimum number of pods that must be available.'),
    col('Max Unavailable', 'string', 'The maximum number of pods that may be unavailable.'),
    col('Allowed Disruptions', 'integer', 'Calculated number of pods that may be disrupted at this time.'),
    ageColumn(),
  ],
  cells(o, now) {
    const spec = obj(o.spec);
    const present = (v: unknown): boolean => v !== undefined && v !== null;
    return [
      nameOf(o),
      present(spec.minAvailable) ? intOrString(spec.minAvailable) : 'N/A',
      present(spec.maxUnavailable) ? intOrString(spec.maxUnavailable) : 'N/A',
      num(obj(o.status).disruptionsAllowed),
      created(o, now),
    ];
  },
};
