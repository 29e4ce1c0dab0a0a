/**
 * Conversion between the versions of a kind that share one storage key (upstream
 * stores one object and serves it in every version). Two pairs exist among the
 * built-ins we serve: core/v1 Event <-> events.k8s.io/v1 Event, and autoscaling/v1
 * <-> autoscaling/v2 HorizontalPodAutoscaler. Objects are stored in whichever version
 * wrote them and converted on the way out.
 */
type Obj = Record<string, any>;

type Converter = (obj: Obj) => Obj;

function pick(src: Obj, map: [string, string][]): Obj {
  const out: Obj = {};
  for (const [from, to] of map) if (src[from] !== undefined) out[to] = structuredClone(src[from]);
  return out;
}

// core/v1 field name -> events.k8s.io/v1 field name
const EVENT_FIELDS: [string, string][] = [
  ['involvedObject', 'regarding'],
  ['message', 'note'],
  ['reason', 'reason'],
  ['type', 'type'],
  ['eventTime', 'eventTime'],
  ['series', 'series'],
  ['action', 'action'],
  ['related', 'related'],
  ['reportingComponent', 'reportingController'],
  ['reportingInstance', 'reportingInstance'],
  ['source', 'deprecatedSource'],
  ['firstTimestamp', 'deprecatedFirstTimestamp'],
  ['lastTimestamp', 'deprecatedLastTimestamp'],
  ['count', 'deprecatedCount'],
];

const coreEventToEvents: Converter = (o) => ({
  apiVersion: 'events.k8s.io/v1',
  kind: 'Event',
  metadata: structuredClone(o.metadata ?? {}),
  ...pick(o, EVENT_FIELDS),
});

const eventsToCoreEvent: Converter = (o) => ({
  apiVersion: 'v1',
  kind: 'Event',
  metadata: structuredClone(o.metadata ?? {}),
  ...pick(
    o,
    EVENT_FIELDS.map(([a, b]) => [b, a]),
  ),
});

function cpuTarget(metrics: unknown): number | undefined {
  if (!Array.isArray(metrics)) return undefined;
  for (const m of metrics as Obj[]) {
    if (m?.type === 'Resource' && m.resource?.name === 'cpu' && m.resource?.target?.type === 'Utilization') {
      return m.resource.target.averageUtilization as number | undefined;
    }
  }
  return undefined;
}

const hpaV2ToV1: Converter = (o) => {
  const spec: Obj = o.spec ?? {};
  const status: Obj = o.status ?? {};
  const out: Obj = {
    apiVersion: 'autoscaling/v1',
    kind: 'HorizontalPodAutoscaler',
    metadata: structuredClone(o.metadata ?? {}),
    spec: pick(spec, [
      ['scaleTargetRef', 'scaleTargetRef'],
      ['minReplicas', 'minReplicas'],
      ['maxReplicas', 'maxReplicas'],
    ]),
  };
  const target = cpuTarget(spec.metrics);
  if (target !== undefined) out.spec.targetCPUUtilizationPercentage = target;
  if (o.status !== undefined) {
    out.status = pick(status, [
      ['observedGeneration', 'observedGeneration'],
      ['lastScaleTime', 'lastScaleTime'],
      ['currentReplicas', 'currentReplicas'],
      ['desiredReplicas', 'desiredReplicas'],
    ]);
    for (const m of (status.currentMetrics as Obj[] | undefined) ?? []) {
      if (m?.type === 'Resource' && m.resource?.name === 'cpu' && m.resource?.current?.averageUtilization !== undefined) {
        out.status.currentCPUUtilizationPercentage = m.resource.current.averageUtilization;
      }
    }
  }
  return out;
};

const hpaV1ToV2: Converter = (o) => {
  const spec: Obj = o.spec ?? {};
  const status: Obj = o.status ?? {};
  const out: Obj = {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: structuredClone(o.metadata ?? {}),
    spec: pick(spec, [
      ['scaleTargetRef', 'scaleTargetRef'],
      ['minReplicas', 'minReplicas'],
      ['maxReplicas', 'maxReplicas'],
    ]),
  };
  if (typeof spec.targetCPUUtilizationPercentage === 'number') {
    out.spec.metrics = [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: spec.targetCPUUtilizationPercentage } } }];
  }
  if (o.status !== undefined) {
    out.status = pick(status, [
      ['observedGeneration', 'observedGeneration'],
      ['lastScaleTime', 'lastScaleTime'],
      ['currentReplicas', 'currentReplicas'],
      ['desiredReplicas', 'desiredReplicas'],
    ]);
    if (typeof status.currentCPUUtilizationPercentage === 'number') {
      out.status.currentMetrics = [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: status.currentCPUUtilizationPercentage } } }];
    }
  }
  return out;
};

const converters = new Map<string, Converter>([
  ['v1/Event->events.k8s.io/v1', coreEventToEvents],
  ['events.k8s.io/v1/Event->v1', eventsToCoreEvent],
  ['autoscaling/v2/HorizontalPodAutoscaler->autoscaling/v1', hpaV2ToV1],
  ['autoscaling/v1/HorizontalPodAutoscaler->autoscaling/v2', hpaV1ToV2],
]);

/**
 * Converts obj (whose apiVersion says what it is) to targetAPIVersion. Objects already
 * in the target version, or of kinds with no conversion, come back unchanged.
 */
export function convertTo(obj: Obj, targetAPIVersion: string): Obj {
  const from = obj.apiVersion as string | undefined;
  if (from === undefined || from === targetAPIVersion) return obj;
  const conv = converters.get(`${from}/${String(obj.kind)}->${targetAPIVersion}`);
  return conv === undefined ? obj : conv(obj);
}
