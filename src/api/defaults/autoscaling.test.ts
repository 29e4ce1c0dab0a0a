import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultHPAv2 } from './autoscaling.js';

const cases: { name: string; behavior: object | undefined; want: object | undefined }[] = [
  { name: 'no behavior: nothing is filled', behavior: undefined, want: undefined },
  {
    name: 'empty behavior: both directions get upstream rules (scale-down without a window)',
    behavior: {},
    want: {
      scaleUp: {
        stabilizationWindowSeconds: 0,
        selectPolicy: 'Max',
        policies: [
          { type: 'Pods', value: 4, periodSeconds: 15 },
          { type: 'Percent', value: 100, periodSeconds: 15 },
        ],
      },
      scaleDown: { selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] },
    },
  },
  {
    name: 'given fields are kept, even an empty policy list',
    behavior: { scaleDown: { stabilizationWindowSeconds: 60, policies: [] }, scaleUp: { selectPolicy: 'Disabled' } },
    want: {
      scaleDown: { stabilizationWindowSeconds: 60, selectPolicy: 'Max', policies: [] },
      scaleUp: {
        stabilizationWindowSeconds: 0,
        selectPolicy: 'Disabled',
        policies: [
          { type: 'Pods', value: 4, periodSeconds: 15 },
          { type: 'Percent', value: 100, periodSeconds: 15 },
        ],
      },
    },
  },
];

for (const c of cases) {
  test(`HPA v2 behavior defaults: ${c.name}`, () => {
    const hpa: any = { spec: { maxReplicas: 3, ...(c.behavior !== undefined ? { behavior: structuredClone(c.behavior) } : {}) } };
    defaultHPAv2(hpa);
    assert.deepEqual(hpa.spec.behavior, c.want);
    assert.equal(hpa.spec.minReplicas, 1);
    assert.deepEqual(hpa.spec.metrics, [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }]);
  });
}
