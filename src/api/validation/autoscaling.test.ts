import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateAs, type Row } from './testing.js';

const ref = { kind: 'Deployment', name: 'web', apiVersion: 'apps/v1' };
const hpa = (spec: object) => ({ metadata: { name: 'h', namespace: 'd' }, spec: { scaleTargetRef: ref, maxReplicas: 5, ...spec } });
const resource = (target: object, name = 'cpu') => ({ type: 'Resource', resource: { name, target } });
const Q = (value: number, scale: number, s: string) =>
  `resource.Quantity{i:resource.int64Amount{value:${value}, scale:${scale}}, d:resource.infDecAmount{Dec:(*inf.Dec)(nil)}, s:"${s}", Format:"DecimalSI"}`;

const v2Rows: Row[] = [
  { name: 'valid with the default metric', obj: hpa({}), want: [] },
  {
    name: 'valid with every metric source',
    obj: hpa({
      minReplicas: 2,
      metrics: [
        resource({ type: 'AverageValue', averageValue: '500m' }, 'memory'),
        { type: 'Pods', pods: { metric: { name: 'qps' }, target: { type: 'AverageValue', averageValue: '10' } } },
        { type: 'Object', object: { describedObject: { kind: 'Service', name: 'web' }, metric: { name: 'hits' }, target: { type: 'Value', value: '100' } } },
        { type: 'External', external: { metric: { name: 'queue' }, target: { type: 'AverageValue', averageValue: '30' } } },
        { type: 'ContainerResource', containerResource: { name: 'cpu', container: 'app', target: { type: 'Utilization', averageUtilization: 60 } } },
      ],
    }),
    want: [],
  },
  {
    name: 'maxReplicas below minReplicas',
    obj: hpa({ minReplicas: 5, maxReplicas: 2 }),
    want: [['FieldValueInvalid', 'spec.maxReplicas: Invalid value: 2: must be greater than or equal to `minReplicas`']],
  },
  {
    name: 'minReplicas 0 (HPAScaleToZero is off) and maxReplicas 0',
    obj: hpa({ minReplicas: 0, maxReplicas: 0 }),
    want: [
      ['FieldValueInvalid', 'spec.minReplicas: Invalid value: 0: must be greater than or equal to 1'],
      ['FieldValueInvalid', 'spec.maxReplicas: Invalid value: 0: must be greater than 0'],
      ['FieldValueForbidden', 'spec.metrics: Forbidden: must specify at least one Object or External metric to support scaling to zero replicas'],
    ],
  },
  {
    name: 'scaleTargetRef kind and name required, path segments',
    obj: hpa({ scaleTargetRef: { name: 'a/b' } }),
    want: [
      ['FieldValueRequired', 'spec.scaleTargetRef.kind: Required value'],
      ['FieldValueInvalid', `spec.scaleTargetRef.name: Invalid value: "a/b": may not contain '/'`],
    ],
  },
  {
    name: 'resource target: utilization below 1, bad type',
    obj: hpa({ metrics: [resource({ type: 'Percent', averageUtilization: 0 })] }),
    want: [
      ['FieldValueInvalid', 'spec.metrics[0].resource.target.type: Invalid value: "Percent": must be either Utilization, Value, or AverageValue'],
      ['FieldValueInvalid', 'spec.metrics[0].resource.target.averageUtilization: Invalid value: 0: must be greater than 0'],
    ],
  },
  {
    name: 'resource target: neither or both of utilization and value',
    obj: hpa({ metrics: [resource({ type: 'Utilization' }), resource({ type: 'Utilization', averageUtilization: 50, averageValue: '-1' }, 'memory')] }),
    want: [
      ['FieldValueRequired', 'spec.metrics[0].resource.target.averageUtilization: Required value: must set either a target raw value or a target utilization'],
      ['FieldValueInvalid', `spec.metrics[1].resource.target.averageValue: Invalid value: ${Q(-1, 0, '-1')}: must be positive`],
      ['FieldValueForbidden', 'spec.metrics[1].resource.target.averageValue: Forbidden: may not set both a target raw value and a target utilization'],
    ],
  },
  {
    name: 'metric type: unknown, and a source that does not match it',
    obj: hpa({ metrics: [{ type: 'Custom' }, { type: 'Pods', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }] }),
    want: [
      ['FieldValueNotSupported', 'spec.metrics[0].type: Unsupported value: "Custom": supported values: "ContainerResource", "External", "Object", "Pods", "Resource"'],
      ['FieldValueNotSupported', 'spec.metrics[0].type: Unsupported value: "Custom": supported values: "ContainerResource", "External", "Object", "Pods", "Resource"'],
      ['FieldValueRequired', 'spec.metrics[1].pods: Required value: must populate information for the given metric source'],
    ],
  },
  {
    name: 'two sources in one metric',
    obj: hpa({
      metrics: [
        {
          type: 'Resource',
          resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } },
          pods: { metric: { name: 'qps' }, target: { type: 'AverageValue', averageValue: '1' } },
        },
      ],
    }),
    want: [['FieldValueForbidden', 'spec.metrics[0].pods: Forbidden: must populate the given metric source only']],
  },
  {
    name: 'pods, object and external sources',
    obj: hpa({
      metrics: [
        { type: 'Pods', pods: { metric: {}, target: { type: 'AverageValue' } } },
        { type: 'Object', object: { describedObject: { kind: 'Service' }, metric: { name: 'm' }, target: { type: 'Value', value: '0' } } },
        { type: 'External', external: { metric: { name: 'm' }, target: { type: 'Value', value: '1', averageValue: '1' } } },
      ],
    }),
    want: [
      ['FieldValueRequired', 'spec.metrics[0].pods.metric.name: Required value: must specify a metric name'],
      ['FieldValueRequired', 'spec.metrics[0].pods.target.averageValue: Required value: must specify a positive target averageValue'],
      ['FieldValueRequired', 'spec.metrics[1].object.describedObject.name: Required value'],
      ['FieldValueInvalid', `spec.metrics[1].object.target.value: Invalid value: ${Q(0, 0, '0')}: must be positive`],
      ['FieldValueForbidden', 'spec.metrics[2].external.target.value: Forbidden: may not set both a target value for metric and a per-pod target'],
    ],
  },
  {
    name: 'container resource source',
    obj: hpa({ metrics: [{ type: 'ContainerResource', containerResource: { name: 'gpu', container: 'App', target: { type: 'Utilization', averageUtilization: 50 } } }] }),
    want: [
      ['FieldValueInvalid', 'spec.metrics[0].containerResource.name: Invalid value: "gpu": must be a standard resource type or fully qualified'],
      ['FieldValueInvalid', 'spec.metrics[0].containerResource.name: Invalid value: "gpu": must be a standard resource for containers'],
      [
        'FieldValueInvalid',
        `spec.metrics[0].containerResource.container: Invalid value: "App": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`,
      ],
    ],
  },
  {
    name: 'behavior: defaults fill what is missing and are valid',
    obj: hpa({ behavior: { scaleDown: { stabilizationWindowSeconds: 60 } } }),
    want: [],
  },
  {
    name: 'behavior: windows, periods, values, select policy',
    obj: hpa({
      behavior: {
        scaleUp: { stabilizationWindowSeconds: 3601, selectPolicy: 'Average', policies: [{ type: 'Replicas', value: 0, periodSeconds: 1801 }] },
        scaleDown: { stabilizationWindowSeconds: -1, policies: [{ type: 'Pods', value: 1, periodSeconds: 0 }] },
      },
    }),
    want: [
      ['FieldValueInvalid', 'spec.behavior.scaleUp.stabilizationWindowSeconds: Invalid value: 3601: must be less than or equal to 3600'],
      ['FieldValueNotSupported', 'spec.behavior.scaleUp.selectPolicy: Unsupported value: "Average": supported values: "Disabled", "Max", "Min"'],
      ['FieldValueNotSupported', 'spec.behavior.scaleUp.policies[0].type: Unsupported value: "Replicas": supported values: "Percent", "Pods"'],
      ['FieldValueInvalid', 'spec.behavior.scaleUp.policies[0].value: Invalid value: 0: must be greater than zero'],
      ['FieldValueInvalid', 'spec.behavior.scaleUp.policies[0].periodSeconds: Invalid value: 1801: must be less than or equal to 1800'],
      ['FieldValueInvalid', 'spec.behavior.scaleDown.stabilizationWindowSeconds: Invalid value: -1: must be greater than or equal to zero'],
      ['FieldValueInvalid', 'spec.behavior.scaleDown.policies[0].periodSeconds: Invalid value: 0: must be greater than zero'],
    ],
  },
  {
    name: 'behavior: an explicit empty policy list is kept and refused',
    obj: hpa({ behavior: { scaleUp: { policies: [] } } }),
    want: [['FieldValueRequired', 'spec.behavior.scaleUp.policies: Required value: must specify at least one Policy']],
  },
  {
    name: 'update keeps a stored minReplicas of 0',
    old: hpa({ minReplicas: 0, metrics: [{ type: 'External', external: { metric: { name: 'q' }, target: { type: 'Value', value: '1' } } }] }),
    obj: hpa({ minReplicas: 0, metrics: [{ type: 'External', external: { metric: { name: 'q' }, target: { type: 'Value', value: '2' } } }] }),
    want: [],
  },
  {
    name: 'update may not lower minReplicas to 0',
    old: hpa({ minReplicas: 1 }),
    obj: hpa({ minReplicas: 0 }),
    want: [
      ['FieldValueInvalid', 'spec.minReplicas: Invalid value: 0: must be greater than or equal to 1'],
      ['FieldValueForbidden', 'spec.metrics: Forbidden: must specify at least one Object or External metric to support scaling to zero replicas'],
    ],
  },
];

for (const r of v2Rows) test(`HPA v2: ${r.name}`, () => assert.deepEqual(validateAs('autoscaling/HorizontalPodAutoscaler', r.obj, r.old, 'v2'), r.want));

const v1 = (spec: object) => ({ apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler', metadata: { name: 'h', namespace: 'd' }, spec: { scaleTargetRef: ref, ...spec } });

const v1Rows: Row[] = [
  { name: 'valid', obj: v1({ minReplicas: 1, maxReplicas: 3, targetCPUUtilizationPercentage: 50 }), want: [] },
  { name: 'valid without a target', obj: v1({ maxReplicas: 3 }), want: [] },
  {
    name: 'min above max (what kubectl autoscale --min=5 --max=2 sends)',
    obj: v1({ minReplicas: 5, maxReplicas: 2 }),
    want: [['FieldValueInvalid', 'spec.maxReplicas: Invalid value: 2: must be greater than or equal to `minReplicas`']],
  },
  {
    name: 'a target of 0 is reported at its v2 path',
    obj: v1({ maxReplicas: 3, targetCPUUtilizationPercentage: 0 }),
    want: [['FieldValueInvalid', 'spec.metrics[0].resource.target.averageUtilization: Invalid value: 0: must be greater than 0']],
  },
];

for (const r of v1Rows) test(`HPA v1: ${r.name}`, () => assert.deepEqual(validateAs('autoscaling/HorizontalPodAutoscaler', r.obj, r.old, 'v1'), r.want));
