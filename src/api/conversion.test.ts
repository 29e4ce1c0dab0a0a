import { test } from 'node:test';
import assert from 'node:assert/strict';
import { convertTo } from './conversion.js';

test('convertTo', () => {
  const coreEvent = {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: 'e1', namespace: 'default' },
    involvedObject: { kind: 'Pod', name: 'p', namespace: 'default' },
    reason: 'Scheduled',
    message: 'Successfully assigned default/p to n1',
    type: 'Normal',
    source: { component: 'default-scheduler' },
    count: 2,
    reportingComponent: 'default-scheduler',
  };
  const hpaV1 = {
    apiVersion: 'autoscaling/v1',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'h' },
    spec: { scaleTargetRef: { kind: 'Deployment', name: 'web', apiVersion: 'apps/v1' }, minReplicas: 1, maxReplicas: 5, targetCPUUtilizationPercentage: 70 },
  };
  const cases: { name: string; in: Record<string, any>; to: string; want: (o: Record<string, any>) => void }[] = [
    {
      name: 'core event to events.k8s.io',
      in: coreEvent,
      to: 'events.k8s.io/v1',
      want: (o) => {
        assert.equal(o.apiVersion, 'events.k8s.io/v1');
        assert.deepEqual(o.regarding, coreEvent.involvedObject);
        assert.equal(o.note, coreEvent.message);
        assert.equal(o.reportingController, 'default-scheduler');
        assert.equal(o.deprecatedCount, 2);
        assert.equal(o.involvedObject, undefined);
      },
    },
    {
      name: 'round trip event',
      in: convertTo(coreEvent, 'events.k8s.io/v1'),
      to: 'v1',
      want: (o) => assert.deepEqual(o, coreEvent),
    },
    {
      name: 'hpa v1 to v2 carries the cpu target as a metric',
      in: hpaV1,
      to: 'autoscaling/v2',
      want: (o) => {
        assert.equal(o.spec.metrics[0].resource.target.averageUtilization, 70);
        assert.equal(o.spec.targetCPUUtilizationPercentage, undefined);
      },
    },
    { name: 'hpa round trip', in: convertTo(hpaV1, 'autoscaling/v2'), to: 'autoscaling/v1', want: (o) => assert.deepEqual(o, hpaV1) },
    { name: 'same version unchanged', in: coreEvent, to: 'v1', want: (o) => assert.equal(o, coreEvent) },
    { name: 'no conversion for other kinds', in: { apiVersion: 'v1', kind: 'Pod' }, to: 'apps/v1', want: (o) => assert.equal(o.kind, 'Pod') },
  ];
  for (const c of cases) {
    try {
      c.want(convertTo(c.in, c.to));
    } catch (e) {
      throw new Error(`${c.name}: ${(e as Error).message}`);
    }
  }
});
